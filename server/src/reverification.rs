//! Requiring reverification in a handler (Clerk's `auth.has({ reverification })` +
//! `reverificationErrorResponse`): when the session token's factor verification ages
//! (`fva`) are older than the requirement, answer **403** with Clerk's reverification error,
//! which the browser's `use_reverification` (and clerk-react's `useReverification`)
//! recognise, verify, and retry the call after.
//!
//! The freshness rule is yew-clerk-core's `has(Check::Reverification(..))`; the body is
//! core's [`ReverificationHint`]. This module only connects them to responses.
//!
//! ```rust,ignore
//! use yew_clerk_server::{Auth, Reverification};
//!
//! async fn sensitive(auth: Auth) -> Result<&'static str, yew_clerk_server::Rejection> {
//!     let me = auth.require_reverification(Reverification::Strict)?; // 401 or 403
//!     Ok("done")
//! }
//! ```

use yew_clerk_core::authorization::{Check, Reverification};
use yew_clerk_core::reverification::ReverificationHint;

use crate::auth::SignedInAuth;

/// The session must verify again before this action: answer it with [`Self::status`] and
/// [`Self::body`] (with the `axum` feature, it is an `IntoResponse`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReverificationRequired {
    hint: ReverificationHint,
}

impl ReverificationRequired {
    /// For a failed `requirement`.
    pub fn new(requirement: Reverification) -> Self {
        ReverificationRequired {
            hint: ReverificationHint::new(requirement),
        }
    }

    /// The requirement that was not met.
    pub fn hint(&self) -> ReverificationHint {
        self.hint
    }

    /// 403, as Clerk's `reverificationErrorResponse`.
    pub fn status(&self) -> http::StatusCode {
        http::StatusCode::FORBIDDEN
    }

    /// `{"clerk_error": {"type": "forbidden", "reason": "reverification-error", "metadata":
    /// {"reverification": …}}}`.
    pub fn body(&self) -> String {
        self.hint.to_json().to_string()
    }

    /// The whole response for any framework on `http` types (JSON content type).
    pub fn to_http_response(&self) -> http::Response<String> {
        let mut res = http::Response::new(self.body());
        *res.status_mut() = self.status();
        res.headers_mut().insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/json"),
        );
        res
    }
}

impl std::fmt::Display for ReverificationRequired {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the session must verify again (reverification-error)")
    }
}

impl std::error::Error for ReverificationRequired {}

impl SignedInAuth {
    /// `Ok` when the token's factor verification is fresh enough for `requirement` (core's
    /// `has()`), else the reverification error to answer. A token without `fva` (v1 claims)
    /// fails closed, as `has()` does.
    pub fn require_reverification(
        &self,
        requirement: Reverification,
    ) -> Result<(), ReverificationRequired> {
        if self.has(&Check::Reverification(requirement)) {
            Ok(())
        } else {
            Err(ReverificationRequired::new(requirement))
        }
    }
}

#[cfg(feature = "axum")]
mod axum_impl {
    use axum::response::{IntoResponse, Response};

    use super::ReverificationRequired;
    use crate::auth::{Auth, SignedInAuth};
    use crate::axum_support::Unauthorized;
    use yew_clerk_core::authorization::Reverification;

    impl IntoResponse for ReverificationRequired {
        fn into_response(self) -> Response {
            self.to_http_response().into_response()
        }
    }

    /// Why a protected handler refused: not signed in ([`Unauthorized`]: 401, a sign-in
    /// redirect for pages, 503 on an outage) or not verified recently enough (403).
    #[derive(Debug)]
    pub enum Rejection {
        /// Not signed in.
        Unauthorized(Unauthorized),
        /// Signed in, but the factor verification is too old.
        Reverification(ReverificationRequired),
    }

    impl From<Unauthorized> for Rejection {
        fn from(e: Unauthorized) -> Self {
            Rejection::Unauthorized(e)
        }
    }

    impl From<ReverificationRequired> for Rejection {
        fn from(e: ReverificationRequired) -> Self {
            Rejection::Reverification(e)
        }
    }

    impl IntoResponse for Rejection {
        fn into_response(self) -> Response {
            match self {
                Rejection::Unauthorized(e) => e.into_response(),
                Rejection::Reverification(e) => e.into_response(),
            }
        }
    }

    impl Auth {
        /// `auth.protect()` plus a reverification requirement: the signed-in auth, or the
        /// response to send instead (401/redirect/503 when signed out, 403 Clerk
        /// reverification error when the factor verification is too old).
        pub fn require_reverification(
            &self,
            requirement: Reverification,
        ) -> Result<&SignedInAuth, Rejection> {
            let me = self.protect()?;
            me.require_reverification(requirement)?;
            Ok(me)
        }
    }
}

#[cfg(feature = "axum")]
pub use axum_impl::Rejection;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use base64::Engine as _;
    use yew_clerk_core::authorization::VerificationLevel;
    use yew_clerk_core::claims::SessionToken;

    fn auth(fva: &str) -> SignedInAuth {
        let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        let payload =
            format!(r#"{{"sub":"user_1","sid":"sess_1","iat":1,"exp":4102444800,"v":2{fva}}}"#);
        let jwt = format!(
            "{}.{}.sig",
            b64(r#"{"alg":"RS256","kid":"k"}"#),
            b64(&payload)
        );
        SignedInAuth::new(SessionToken::decode(&jwt).unwrap())
    }

    #[test]
    fn fresh_passes_stale_answers_clerks_error() {
        assert_eq!(
            auth(r#","fva":[2,-1]"#).require_reverification(Reverification::Strict),
            Ok(())
        );
        let err = auth(r#","fva":[20,-1]"#)
            .require_reverification(Reverification::Strict)
            .unwrap_err();
        assert_eq!(err.status(), http::StatusCode::FORBIDDEN);
        assert_eq!(
            err.body(),
            r#"{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":"strict"}}}"#
        );
        let res = err.to_http_response();
        assert_eq!(res.status(), 403);
        assert_eq!(res.headers()["content-type"], "application/json");
        // The client side reads back what the server wrote.
        assert_eq!(
            ReverificationHint::from_body(res.body()).and_then(|h| h.requirement),
            Some(Reverification::Strict)
        );
    }

    #[test]
    fn second_factor_and_custom_requirements_and_missing_fva() {
        // Second factor enrolled and stale: strict fails even with a fresh first factor.
        assert!(auth(r#","fva":[1,30]"#)
            .require_reverification(Reverification::Strict)
            .is_err());
        assert!(auth(r#","fva":[30,1]"#)
            .require_reverification(Reverification::Strict)
            .is_ok());
        assert!(auth(r#","fva":[30,1]"#)
            .require_reverification(Reverification::StrictMfa)
            .is_err());
        let custom = Reverification::Custom {
            level: VerificationLevel::FirstFactor,
            after_minutes: 45,
        };
        assert!(auth(r#","fva":[30,-1]"#)
            .require_reverification(custom)
            .is_ok());
        let err = auth(r#","fva":[50,-1]"#)
            .require_reverification(custom)
            .unwrap_err();
        assert!(err
            .body()
            .contains(r#"{"level":"first_factor","afterMinutes":45}"#));
        // No fva claim (v1 tokens) or a malformed one fails closed.
        assert!(auth("")
            .require_reverification(Reverification::Lax)
            .is_err());
        assert!(auth(r#","fva":"x""#)
            .require_reverification(Reverification::Lax)
            .is_err());
    }

    #[cfg(feature = "axum")]
    #[test]
    fn axum_response_is_403_json() {
        use axum::response::IntoResponse;
        let res = ReverificationRequired::new(Reverification::Moderate).into_response();
        assert_eq!(res.status(), 403);
        assert_eq!(res.headers()["content-type"], "application/json");
        let res = Rejection::from(ReverificationRequired::new(Reverification::Lax)).into_response();
        assert_eq!(res.status(), 403);
    }
}
