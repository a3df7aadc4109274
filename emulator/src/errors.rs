//! Clerk-style API errors: `{"errors":[{code,message,long_message,meta}],"meta":{},"clerk_trace_id":…}`.
//!
//! Codes and statuses follow what real FAPI returns as far as it could be
//! confirmed from clerk-js, Clerk's docs and public issue threads. Every
//! constructor whose code or status is NOT confirmed says so in its doc comment.

use serde_json::{json, Value};

use crate::state::random_hex;

/// One Clerk API error, rendered as the `ClerkErrors` envelope.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status code.
    pub status: u16,
    /// Machine-readable Clerk error code (`form_password_incorrect`, …).
    pub code: &'static str,
    /// Short message.
    pub message: String,
    /// Longer, user-facing message (clerk-js throws with this text).
    pub long_message: String,
    /// `meta` object of the error (e.g. `{"param_name":"identifier"}`).
    pub meta: Value,
    /// Value of the `Retry-After` header (seconds), for 429s.
    pub retry_after: Option<u32>,
}

impl ApiError {
    /// A new error with an empty `meta`.
    pub fn new(status: u16, code: &'static str, message: &str, long_message: &str) -> Self {
        ApiError {
            status,
            code,
            message: message.to_string(),
            long_message: long_message.to_string(),
            meta: json!({}),
            retry_after: None,
        }
    }

    /// Adds `meta.param_name`, as FAPI does for form errors.
    pub fn param(mut self, name: &str) -> Self {
        if let Value::Object(m) = &mut self.meta {
            m.insert("param_name".into(), json!(name));
        }
        self
    }

    /// Adds an arbitrary `meta` key.
    pub fn meta(mut self, key: &str, value: Value) -> Self {
        if let Value::Object(m) = &mut self.meta {
            m.insert(key.into(), value);
        }
        self
    }

    /// The `ClerkErrors` JSON body.
    pub fn body(&self) -> Value {
        json!({
            "errors": [{
                "code": self.code,
                "message": self.message,
                "long_message": self.long_message,
                "meta": self.meta,
            }],
            "meta": {},
            "clerk_trace_id": random_hex(16),
        })
    }

    /// 401 `dev_browser_unauthenticated` (message text as seen on real FAPI).
    pub fn dev_browser_unauthenticated() -> Self {
        Self::new(
            401,
            "dev_browser_unauthenticated",
            "Browser unauthenticated",
            "Unable to authenticate this browser for your development instance. Check your Clerk cookies and try again. If the issue persists, reach out to support@clerk.com.",
        )
    }

    /// 404 `resource_not_found`.
    pub fn resource_not_found(what: &str) -> Self {
        Self::new(
            404,
            "resource_not_found",
            "not found",
            &format!("{what} not found"),
        )
    }

    /// 422 `form_param_missing` for a required form parameter.
    pub fn form_param_missing(param: &str) -> Self {
        Self::new(
            422,
            "form_param_missing",
            "is missing",
            &format!("{param} must be included."),
        )
        .param(param)
    }

    /// 422 `form_param_format_invalid`.
    pub fn form_param_format_invalid(param: &str, long: &str) -> Self {
        Self::new(422, "form_param_format_invalid", "is invalid", long).param(param)
    }

    /// 422 `form_identifier_not_found`.
    pub fn form_identifier_not_found() -> Self {
        Self::new(
            422,
            "form_identifier_not_found",
            "Couldn't find your account.",
            "Couldn't find your account.",
        )
        .param("identifier")
    }

    /// 422 `form_password_incorrect`.
    pub fn form_password_incorrect() -> Self {
        Self::new(
            422,
            "form_password_incorrect",
            "Password is incorrect. Try again, or use another method.",
            "Password is incorrect. Try again, or use another method.",
        )
        .param("password")
    }

    /// 422 `form_code_incorrect` (wrong email code).
    pub fn form_code_incorrect() -> Self {
        Self::new(
            422,
            "form_code_incorrect",
            "Incorrect code",
            "Incorrect code",
        )
        .param("code")
    }

    /// 422 `form_identifier_exists` (sign-up with a taken email address).
    pub fn form_identifier_exists(param: &str) -> Self {
        Self::new(
            422,
            "form_identifier_exists",
            "That email address is taken. Please try another.",
            "That email address is taken. Please try another.",
        )
        .param(param)
    }

    /// 422 `form_password_length_too_short`.
    pub fn form_password_length_too_short(min: usize) -> Self {
        Self::new(
            422,
            "form_password_length_too_short",
            "Passwords must be 8 characters or more.",
            &format!("Passwords must be {min} characters or more."),
        )
        .param("password")
    }

    /// 422 `strategy_for_user_invalid`: a strategy the user cannot use.
    pub fn strategy_for_user_invalid() -> Self {
        Self::new(
            422,
            "strategy_for_user_invalid",
            "Invalid verification strategy",
            "The verification strategy is not valid for this account",
        )
        .param("strategy")
    }

    /// 422 `verification_already_verified`.
    pub fn verification_already_verified() -> Self {
        Self::new(
            422,
            "verification_already_verified",
            "Already verified",
            "This verification has already been verified.",
        )
    }

    /// 400 `identifier_already_signed_in` (multi-session: that user already has a
    /// session on this client). clerk-js reads `meta.session_id`. The status is not
    /// confirmed (400 vs 422).
    pub fn identifier_already_signed_in(session_id: &str) -> Self {
        Self::new(
            400,
            "identifier_already_signed_in",
            "You're already signed in",
            "You're already signed in.",
        )
        .meta("session_id", json!(session_id))
    }

    /// 401 `signed_out`: token or touch for a session that is no longer active.
    /// Code from clerk/javascript#954; today's exact code is not confirmed.
    pub fn signed_out() -> Self {
        Self::new(401, "signed_out", "Signed out", "You are signed out")
    }

    /// 403 `not_a_member_in_organization`.
    pub fn not_a_member_in_organization() -> Self {
        Self::new(
            403,
            "not_a_member_in_organization",
            "not a member",
            "Current user is not a member of the organization. Only organization members can perform this action.",
        )
    }

    /// 429 `rate_limit_exceeded` with `Retry-After`.
    pub fn rate_limit_exceeded(retry_after: u32) -> Self {
        let mut e = Self::new(
            429,
            "rate_limit_exceeded",
            "Too many requests",
            "Too many requests, please try again later.",
        );
        e.retry_after = Some(retry_after);
        e
    }

    /// 500 `internal_clerk_error`.
    pub fn internal() -> Self {
        Self::new(
            500,
            "internal_clerk_error",
            "Oops, an unexpected error occurred",
            "There was an internal error on our servers. We've been notified and are working on fixing it.",
        )
    }

    /// The error used for an injected status fault: a Clerk code that matches the
    /// status where one is known, else a generic one (status-only faults are for
    /// testing client error paths, the code is secondary).
    pub fn for_status(status: u16) -> Self {
        match status {
            401 => Self::new(
                401,
                "authentication_invalid",
                "Unauthorized request",
                "You are not authorized to perform this request",
            ),
            404 => Self::resource_not_found("Resource"),
            429 => Self::rate_limit_exceeded(1),
            s if s >= 500 => {
                let mut e = Self::internal();
                e.status = s;
                e
            }
            s => {
                // Not a confirmed Clerk code: only used for injected faults.
                Self::new(
                    s,
                    "request_failed",
                    "Request failed",
                    "The request failed (injected by clerk-emulator).",
                )
            }
        }
    }

    /// 400 for a JSON (or otherwise non-form) request body. FAPI is form-based; the
    /// exact code real FAPI uses for this is NOT confirmed.
    pub fn request_body_invalid() -> Self {
        Self::new(
            400,
            "request_body_invalid",
            "Request body invalid",
            "The request body is invalid. The Frontend API accepts application/x-www-form-urlencoded bodies only.",
        )
    }

    /// 400 for an unknown or duplicated API version. The code is NOT confirmed.
    pub fn api_version_invalid(detail: &str) -> Self {
        Self::new(400, "api_version_invalid", "Invalid API version", detail)
    }

    /// 400 `session_exists` (single-session mode: already signed in).
    pub fn session_exists() -> Self {
        Self::new(
            400,
            "session_exists",
            "You're already signed in",
            "You're already signed in.",
        )
    }

    /// 422 `verification_expired`: the code's `expire_at` has passed; prepare a new one.
    /// The code is the one Clerk apps handle; the status (400 vs 422) is NOT confirmed.
    pub fn verification_expired() -> Self {
        Self::new(
            422,
            "verification_expired",
            "Verification expired",
            "This verification has expired. You need to send a new code.",
        )
        .param("code")
    }

    /// 422 `verification_failed`: too many wrong codes; the verification is `failed` until
    /// a new code is prepared (or another strategy is used). The status is NOT confirmed.
    pub fn verification_failed() -> Self {
        Self::new(
            422,
            "verification_failed",
            "Too many failed attempts",
            "Too many failed attempts. You have to try again with the same or another method.",
        )
        .param("code")
    }
}
