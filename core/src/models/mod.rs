//! Models of the Frontend API resources (snake_case on the wire), read with hand-written
//! [`FromJson`] impls (see [`crate::json`] for why not serde).
//!
//! Rules shared by every model: unknown fields are ignored, optional fields may be missing or
//! `null` (both give the default), a required field that is missing or a field of the wrong
//! type is an error naming the field, timestamps are Unix epoch **milliseconds** (`i64`), and
//! enums that Clerk may extend (session status, verification status) are open: an unknown
//! value parses as `Other(String)`.

mod client;
mod dev_browser;
mod envelope;
mod environment;
mod organization;
mod session;
mod user;

pub use crate::json::FromJson;
pub use client::Client;
pub use dev_browser::DevBrowser;
pub use envelope::{ApiError, ApiErrorMeta, ClientEnvelope, ErrorEnvelope};
pub use environment::{AuthConfig, DisplayConfig, Environment, OrganizationSettings};
pub use organization::{Organization, OrganizationMembership, PublicOrganizationData};
pub use session::{Actor, PublicUserData, Session, SessionStatus, SessionTask, Token};
pub use user::{
    EmailAddress, ExternalAccount, IdentificationLink, PhoneNumber, User, Verification,
    VerificationStatus,
};

/// JSON object used for metadata fields (`public_metadata`, `unsafe_metadata`). Its
/// `to_string()` is JSON text, e.g. for `serde_json::from_str` into your own type.
pub type Metadata = crate::json::Map;

use crate::json::Value;

/// `[first, second]` factor ages, read leniently: anything but an array of exactly two
/// integers (including `null` or a missing field) is `None`, never an error.
pub(crate) fn factor_ages(value: Option<&Value>) -> Option<[i64; 2]> {
    match value?.as_array()?.as_slice() {
        [a, b] => Some([a.as_i64()?, b.as_i64()?]),
        _ => None,
    }
}
