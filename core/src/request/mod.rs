//! Building FAPI requests: URL, query parameters and form bodies exactly as clerk-js sends
//! them (only GET/POST on the wire, `_method` for the rest, no custom headers), and parsing
//! FAPI responses into models or [`ClerkError`](crate::error::ClerkError)s.
//!
//! Query parameters, in this order (FAPI notes §2.1):
//! 1. the caller's own parameters (e.g. `debug=skip_cache`);
//! 2. `__clerk_api_version=<version>` ([`SUPPORTED_FAPI_VERSION`] by default);
//! 3. `_method=PATCH|PUT|DELETE` for those methods (sent as POST);
//! 4. `_clerk_session_id=<id>` when a session id is set and the path is not under `/client`
//!    or `/waitlist`;
//! 5. `__clerk_db_jwt=<dev browser id>` when a dev browser is set;
//! 6. `_clerk_retry_attempt=<n>` on retries ([`FapiRequest::with_retry_attempt`]).
//!
//! clerk-js also sends `_clerk_js_version=<its version>`. yew-clerk is not clerk-js and does not
//! claim a clerk-js version: it sends no version parameter of its own (FAPI does not require
//! one; the notes record it as informational only).
//!
//! # Layout
//!
//! - `build`: the wire names ([`SUPPORTED_FAPI_VERSION`], the query parameters), [`Method`],
//!   [`FapiRequest`], [`FapiRequestBuilder`] (the query parameters above), [`encode_path_segment`]
//!   and [`strip_query`];
//! - `response`: [`parse_envelope`], [`parse_plain`], [`parse_error`],
//!   [`client_from_error_body`], [`parse_retry_after`] and [`is_success`];
//! - `build_tests`, `response_tests`: the unit and property tests (`prop_*`) of each.

mod build;
mod response;

#[cfg(test)]
mod build_tests;
#[cfg(test)]
mod response_tests;

pub use build::append_form_pair;
pub use build::{
    encode_path_segment, strip_query, FapiRequest, FapiRequestBuilder, Method, RequestBuilder,
    API_VERSION_PARAM, DEV_BROWSER_PARAM, FORM_CONTENT_TYPE, METHOD_PARAM, RETRY_ATTEMPT_PARAM,
    SESSION_ID_PARAM, SUPPORTED_FAPI_VERSION,
};
pub use response::{
    client_from_error_body, is_success, parse_envelope, parse_error, parse_plain, parse_retry_after,
};
