//! The one error type of the crate.
//!
//! Every fallible operation returns [`ClerkError`]. Variants are coarse enough to match on
//! (offline vs. signed out vs. a FAPI error) and carry the details needed for a clear message.

use crate::core::models::ApiError;

/// Why a publishable key was rejected. Mirrors the checks of clerk-js's `isPublishableKey`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The key is empty (or only white space).
    #[error("publishable key is missing: pass the key from the Clerk dashboard (it looks like pk_test_... or pk_live_...)")]
    Missing,
    /// The key does not start with `pk_test_` or `pk_live_`, or has a wrong number of `_` parts.
    #[error("publishable key not valid (expected format: pk_test_... or pk_live_...; got a key starting with {prefix:?})")]
    InvalidPrefix {
        /// The first characters of the key (at most 8), to help spot a secret key or a typo.
        prefix: String,
    },
    /// The part after the prefix is not base64.
    #[error("publishable key not valid: failed to decode key (the part after pk_test_/pk_live_ must be base64 of \"<frontend-api-host>$\")")]
    Decode,
    /// The decoded key is not `<host>$` with a host containing a dot.
    #[error("publishable key not valid: decoded key has invalid format (expected \"<frontend-api-host>$\" with a dotted host, got {decoded:?})")]
    Format {
        /// The decoded text.
        decoded: String,
    },
}

/// The error type of yew-clerk.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ClerkError {
    /// The publishable key is invalid.
    #[error("invalid Clerk publishable key: {0}")]
    InvalidKey(#[from] KeyError),
    /// A configuration value other than the key is invalid (for example a proxy URL).
    #[error("invalid Clerk configuration: {0}")]
    Config(String),
    /// The browser is offline (or the network refused the request while `navigator.onLine` is false).
    /// Never reported as "signed out".
    #[error("the browser is offline: Clerk could not be reached")]
    Offline,
    /// The request could not be sent or no response came back (DNS, refused connection, CORS, abort).
    #[error("network error while calling Clerk at {url}: {message}")]
    Network {
        /// The URL without query parameters (no secrets).
        url: String,
        /// What the transport reported.
        message: String,
    },
    /// Clerk answered with an error envelope (`{"errors": [...]}`) or an error status.
    #[error("Clerk API error {status}: {}", .errors.first().map(|e| e.long_message.as_deref().unwrap_or(&e.message)).unwrap_or("(no details)"))]
    Api {
        /// HTTP status code.
        status: u16,
        /// The errors of the envelope (possibly empty when the body was not an envelope).
        errors: Vec<ApiError>,
        /// `clerk_trace_id` of the envelope, for support requests.
        trace_id: Option<String>,
        /// Seconds from a `Retry-After` header (429).
        retry_after: Option<u32>,
    },
    /// Clerk answered 2xx with a body that is not the expected JSON.
    #[error("malformed response from Clerk at {url}: {message}")]
    MalformedResponse {
        /// The URL without query parameters.
        url: String,
        /// The parse error.
        message: String,
    },
    /// A JWT could not be decoded.
    #[error("invalid JWT: {0}")]
    InvalidJwt(String),
    /// Loading Clerk failed; hooks that wait for load report this instead of waiting forever.
    #[error("Clerk failed to load: {0}")]
    LoadFailed(String),
    /// The operation needs a browser (for example `get_token` during server-side rendering).
    #[error("this operation needs a browser (called during server-side rendering or outside wasm32)")]
    NotInBrowser,
    /// A hook was used outside a `ClerkProvider`.
    #[error("{hook} must be used inside a <ClerkProvider> component")]
    NoProvider {
        /// The hook's name.
        hook: &'static str,
    },
    /// There is no active session for the operation (for example `set_active` with an unknown id).
    #[error("no such session: {0}")]
    NoSession(String),
}

impl ClerkError {
    /// The first error code of an API error (`form_password_incorrect`, `signed_out`, ...).
    pub fn code(&self) -> Option<&str> {
        match self {
            ClerkError::Api { errors, .. } => errors.first().map(|e| e.code.as_str()),
            _ => None,
        }
    }

    /// The HTTP status of an API error.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClerkError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// True for errors that mean the session is gone (clerk-js's `isUnauthenticatedError`:
    /// 401, 422, or 403 with `user_banned`/`user_deactivated`).
    pub fn is_unauthenticated(&self) -> bool {
        match self {
            ClerkError::Api { status: 401 | 422, .. } => self.code() != Some("requires_captcha"),
            ClerkError::Api { status: 403, .. } => {
                matches!(self.code(), Some("user_banned" | "user_deactivated"))
            }
            _ => false,
        }
    }

    /// True for errors worth retrying later (network faults, 429, 5xx).
    pub fn is_retryable(&self) -> bool {
        match self {
            ClerkError::Network { .. } | ClerkError::Offline => true,
            ClerkError::Api { status, .. } => *status == 429 || *status >= 500,
            _ => false,
        }
    }
}

/// Result alias used across the crate.
pub type Result<T, E = ClerkError> = std::result::Result<T, E>;
