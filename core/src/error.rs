//! The one error type of the crate.
//!
//! Every fallible operation returns [`ClerkError`]. Variants are coarse enough to match on
//! (offline vs. signed out vs. a FAPI error) and carry the details needed for a clear message.

use crate::models::ApiError;

/// Why a publishable key was rejected. Mirrors the checks of clerk-js's `isPublishableKey`.
///
/// Every message says what is wrong and what a valid key looks like. Keys are public values,
/// but messages still show at most the first 8 characters of a key with a wrong prefix (which
/// may be a secret key pasted by mistake).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The key is empty (or only white space).
    #[error("publishable key is missing: pass the key from the Clerk dashboard (API keys page); it looks like pk_test_... or pk_live_...")]
    Missing,
    /// The key does not start with `pk_test_` or `pk_live_`.
    #[error("publishable key not valid: it must start with pk_test_ or pk_live_ (got a key starting with {prefix:?}; sk_ keys are secret keys and must never be used in a browser)")]
    InvalidPrefix {
        /// The first characters of the key (at most 8), to help spot a secret key or a typo.
        prefix: String,
    },
    /// Splitting the key on `_` does not give exactly three parts (`pk`, `test`/`live`, data).
    #[error("publishable key not valid: expected exactly three '_'-separated parts (pk_test_<base64> or pk_live_<base64>), got {parts}")]
    InvalidParts {
        /// The number of parts found.
        parts: usize,
    },
    /// Nothing follows `pk_test_` / `pk_live_`.
    #[error("publishable key not valid: nothing follows the pk_test_/pk_live_ prefix (expected pk_test_<base64 of \"<frontend-api-host>$\">)")]
    EmptyEncodedPart,
    /// The part after the prefix is not base64 (as the browser's `atob` reads it).
    #[error("publishable key not valid: failed to decode key (the part after pk_test_/pk_live_ must be standard base64 of \"<frontend-api-host>$\", padding optional)")]
    Decode,
    /// The decoded key is not `<host>$` with a host containing a dot.
    #[error("publishable key not valid: decoded key has invalid format: {problem} (expected \"<frontend-api-host>$\" such as \"clerk.example.com$\", got {decoded:?})")]
    Format {
        /// The decoded text.
        decoded: String,
        /// Which rule failed.
        problem: KeyFormatProblem,
    },
}

/// Which format rule a decoded publishable key broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyFormatProblem {
    /// The decoded text does not end with `$`.
    MissingTrailingDollar,
    /// A `$` appears before the final one.
    ExtraDollar,
    /// The host (before `$`) contains no `.` (e.g. `localhost`).
    HostWithoutDot,
}

impl std::fmt::Display for KeyFormatProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            KeyFormatProblem::MissingTrailingDollar => "it does not end with '$'",
            KeyFormatProblem::ExtraDollar => "it contains '$' before the end",
            KeyFormatProblem::HostWithoutDot => {
                "the host contains no '.' (a bare host such as localhost is not accepted)"
            }
        })
    }
}

/// The error type of yew-clerk.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ClerkError {
    /// The publishable key is invalid.
    #[error("invalid Clerk publishable key: {0}")]
    InvalidKey(#[from] KeyError),
    /// The app's set-up is wrong, not the user's input: a configuration value other than the
    /// key (a proxy URL), no sign-in/up URL known for a redirect, or a flow called under
    /// `MockClerkProvider`. The message names the prop or option to fix.
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
    /// Clerk did not answer within the request's deadline; the request was cancelled (the
    /// browser aborts the fetch) and nothing changed. Retry later; the session is kept.
    #[error("Clerk did not answer {url} within {after_ms} ms: the request was cancelled and nothing changed, retry later")]
    Timeout {
        /// The URL path without query parameters (no secrets).
        url: String,
        /// The deadline that passed, in milliseconds.
        after_ms: u32,
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
    #[error(
        "this operation needs a browser (called during server-side rendering or outside wasm32)"
    )]
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
    /// A navigation was refused by the redirect policy (clerk-js's allowed protocols and
    /// `allowedRedirectOrigins`): only http(s) URLs on the page's origin, the Clerk
    /// instance's (Frontend API, Account Portal, sign-in/up URLs) or an origin listed in
    /// `allowed_redirect_origins` are opened. Nothing was opened.
    #[error("redirect to {target} refused: {}", if *.foreign_origin {
        "that origin is neither this page's nor the Clerk instance's; if it is yours, add it to \
         allowed_redirect_origins (ClerkProvider prop / ClerkOptions field)"
    } else {
        "only http(s) URLs and paths of this site are followed"
    })]
    RedirectRefused {
        /// The refused origin (`https://evil.example`) or kind of URL (`a javascript: URL`);
        /// never the path or query, which may hold a token or a dev-browser id.
        target: String,
        /// True when the URL is a plain http(s) URL on another origin, which
        /// `allowed_redirect_origins` can allow; false for a refused scheme or a malformed URL.
        foreign_origin: bool,
    },
    /// An OAuth / SSO redirect flow came back without a session: the provider denied access
    /// (`oauth_access_denied`), or the verification failed or expired. [`ClerkError::code`]
    /// gives Clerk's code. Start the flow again or offer another way to sign in; the current
    /// session, if any, is kept.
    #[error("sign-in with {strategy} did not complete ({}): {}", .error.code, .error.long_message.as_deref().unwrap_or(&.error.message))]
    ExternalVerification {
        /// The strategy (`oauth_google`, ...).
        strategy: String,
        /// The verification's error, as FAPI reported it (boxed: keeps `ClerkError` small).
        error: Box<ApiError>,
    },
    /// A sign-in, sign-up or reverification call that the flow's current state does not allow:
    /// no flow in progress, a factor this account cannot use, no code to send again, a
    /// strategy that is not `oauth_<provider>`. Nothing was sent;
    /// the message names the step or the factors the account can use, so the form can offer
    /// those instead.
    #[error("{0}")]
    FlowStep(String),
}

impl ClerkError {
    /// The first error code of an API error (`form_password_incorrect`, `signed_out`, ...).
    pub fn code(&self) -> Option<&str> {
        match self {
            ClerkError::Api { errors, .. } => errors.first().map(|e| e.code.as_str()),
            ClerkError::ExternalVerification { error, .. } => Some(error.code.as_str()),
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
            ClerkError::Api {
                status: 401 | 422, ..
            } => self.code() != Some("requires_captcha"),
            ClerkError::Api { status: 403, .. } => {
                matches!(self.code(), Some("user_banned" | "user_deactivated"))
            }
            _ => false,
        }
    }

    /// True for errors worth retrying later (network faults, 429, 5xx).
    pub fn is_retryable(&self) -> bool {
        match self {
            ClerkError::Network { .. } | ClerkError::Offline | ClerkError::Timeout { .. } => true,
            ClerkError::Api { status, .. } => *status == 429 || *status >= 500,
            _ => false,
        }
    }
}

/// Result alias used across the crate.
pub type Result<T, E = ClerkError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use crate::models::ApiErrorMeta;

    fn api(status: u16, code: Option<&str>) -> ClerkError {
        ClerkError::Api {
            status,
            errors: code
                .map(|c| ApiError {
                    code: c.into(),
                    message: format!("{c} message"),
                    long_message: None,
                    meta: ApiErrorMeta::default(),
                })
                .into_iter()
                .collect(),
            trace_id: None,
            retry_after: None,
        }
    }

    #[test]
    fn unauthenticated_errors() {
        for (status, code, expected) in [
            (401, Some("signed_out"), true),
            (401, Some("authentication_invalid"), true),
            (401, None, true),
            (401, Some("requires_captcha"), false),
            (422, Some("missing_expired_token"), true),
            (403, Some("user_banned"), true),
            (403, Some("user_deactivated"), true),
            (403, Some("origin_invalid"), false),
            (403, None, false),
            (404, Some("resource_not_found"), false),
            (429, Some("rate_limit_exceeded"), false),
            (500, Some("internal_clerk_error"), false),
        ] {
            assert_eq!(
                api(status, code).is_unauthenticated(),
                expected,
                "{status} {code:?}"
            );
        }
        assert!(!ClerkError::Offline.is_unauthenticated());
        assert!(!ClerkError::Network {
            url: "u".into(),
            message: "m".into()
        }
        .is_unauthenticated());
    }

    #[test]
    fn retryable_errors() {
        assert!(api(429, Some("rate_limit_exceeded")).is_retryable());
        assert!(api(500, None).is_retryable());
        assert!(api(503, None).is_retryable());
        assert!(!api(401, Some("signed_out")).is_retryable());
        assert!(!api(404, None).is_retryable());
        assert!(ClerkError::Offline.is_retryable());
        assert!(ClerkError::Network {
            url: "u".into(),
            message: "m".into()
        }
        .is_retryable());
        assert!(ClerkError::Timeout {
            url: "/v1/client".into(),
            after_ms: 10_000
        }
        .is_retryable());
        assert!(!ClerkError::InvalidJwt("x".into()).is_retryable());
        assert!(!ClerkError::from(KeyError::Missing).is_retryable());
        assert!(!ClerkError::MalformedResponse {
            url: "u".into(),
            message: "m".into()
        }
        .is_retryable());
    }

    #[test]
    fn code_and_status() {
        let e = api(401, Some("signed_out"));
        assert_eq!(e.code(), Some("signed_out"));
        assert_eq!(e.status(), Some(401));
        assert_eq!(api(502, None).code(), None);
        assert_eq!(ClerkError::Offline.status(), None);
    }

    #[test]
    fn messages() {
        let mut e = api(401, Some("signed_out"));
        assert_eq!(e.to_string(), "Clerk API error 401: signed_out message");
        if let ClerkError::Api { errors, .. } = &mut e {
            errors[0].long_message = Some("You are signed out".into());
        }
        assert_eq!(e.to_string(), "Clerk API error 401: You are signed out");
        assert_eq!(
            api(502, None).to_string(),
            "Clerk API error 502: (no details)"
        );
        let key = ClerkError::from(KeyError::InvalidPrefix {
            prefix: "sk_test_".into(),
        });
        let msg = key.to_string();
        assert!(msg.starts_with("invalid Clerk publishable key: "), "{msg}");
        assert!(
            msg.contains("pk_test_") && msg.contains("sk_test_"),
            "{msg}"
        );
        assert_eq!(
            ClerkError::NoProvider { hook: "use_auth" }.to_string(),
            "use_auth must be used inside a <ClerkProvider> component"
        );
        let net = ClerkError::Network {
            url: "https://x.test/v1/client".into(),
            message: "refused".into(),
        };
        assert_eq!(
            net.to_string(),
            "network error while calling Clerk at https://x.test/v1/client: refused"
        );
        assert!(ClerkError::Offline.to_string().contains("offline"));
        let f = KeyError::Format {
            decoded: "localhost$".into(),
            problem: KeyFormatProblem::HostWithoutDot,
        };
        assert!(f.to_string().contains("localhost$") && f.to_string().contains("no '.'"));
    }
}
