//! Clerk's reverification error: what a backend answers (403) when an action needs a
//! fresher factor verification than the session token shows, and how a client recognises it
//! (`@clerk/shared` `authorization-errors.ts`: `reverificationError`,
//! `reverificationErrorResponse`, `isReverificationHint`).
//!
//! Wire shape (the body of a **403**):
//!
//! ```json
//! {"clerk_error": {"type": "forbidden", "reason": "reverification-error",
//!                  "metadata": {"reverification": "strict"}}}
//! ```
//!
//! `metadata.reverification` is the requirement that failed: a preset name (`strict_mfa`,
//! `strict`, `moderate`, `lax`) or `{"level": "second_factor", "afterMinutes": 10}`. A body
//! is a reverification hint when `type` is `forbidden` and `reason` is `reverification-error`
//! (metadata need not be valid; a client then verifies at the `second_factor` level, as
//! Clerk's UI does). The Frontend API itself signals the same need with the error code
//! [`FAPI_REVERIFICATION_CODE`] (`session_reverification_required`).

use crate::authorization::{Reverification, VerificationLevel};
use crate::json::{Map, Value};
use crate::ClerkError;

/// `clerk_error.reason` of the reverification error.
pub const REVERIFICATION_REASON: &str = "reverification-error";

/// The Frontend API's error code for an action that needs reverification (clerk-react's
/// `useReverification` treats it as the hint).
pub const FAPI_REVERIFICATION_CODE: &str = "session_reverification_required";

/// A parsed reverification error: the action needs the user to verify again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReverificationHint {
    /// The requirement that failed; `None` when the metadata is missing or not a valid
    /// requirement (unknown preset, non-positive age, unknown level).
    pub requirement: Option<Reverification>,
}

impl ReverificationHint {
    /// The hint for a failed `requirement` (what a backend answers).
    pub fn new(requirement: Reverification) -> Self {
        ReverificationHint {
            requirement: Some(requirement),
        }
    }

    /// The level to verify at: the requirement's, else `second_factor` (Clerk's default; the
    /// Frontend API falls back to the first factor for users without a second factor).
    pub fn level(&self) -> VerificationLevel {
        self.requirement
            .and_then(Reverification::config)
            .map_or(VerificationLevel::SecondFactor, |(level, _)| level)
    }

    /// The JSON body of the 403: `{"clerk_error": {"type": "forbidden", "reason":
    /// "reverification-error", "metadata": {"reverification": …}}}` (no `reverification` key
    /// when the requirement is unknown or invalid, like `reverificationError()`).
    pub fn to_json(&self) -> Value {
        let mut metadata = Map::new();
        if let Some(r) = self.requirement.and_then(requirement_json) {
            metadata.insert("reverification", r);
        }
        let mut error = Map::new();
        error.insert("type", "forbidden".into());
        error.insert("reason", REVERIFICATION_REASON.into());
        error.insert("metadata", metadata.into());
        let mut body = Map::new();
        body.insert("clerk_error", error.into());
        body.into()
    }

    /// Reads a response body (JSON text) as a reverification hint (`isReverificationHint`);
    /// `None` for anything else, including text that is not JSON.
    pub fn from_body(body: &str) -> Option<Self> {
        Self::from_value(&Value::parse(body).ok()?)
    }

    /// [`Self::from_body`] on a parsed value.
    pub fn from_value(value: &Value) -> Option<Self> {
        let error = value.get("clerk_error")?;
        if error.get("type")?.as_str()? != "forbidden"
            || error.get("reason")?.as_str()? != REVERIFICATION_REASON
        {
            return None;
        }
        let requirement = error
            .get("metadata")
            .and_then(|m| m.get("reverification"))
            .and_then(parse_requirement);
        Some(ReverificationHint { requirement })
    }

    /// The hint an API error stands for: a Frontend API error with the code
    /// [`FAPI_REVERIFICATION_CODE`] (no metadata: `second_factor`).
    pub fn from_error(error: &ClerkError) -> Option<Self> {
        match error {
            ClerkError::Api { errors, .. }
                if errors.iter().any(|e| e.code == FAPI_REVERIFICATION_CODE) =>
            {
                Some(ReverificationHint { requirement: None })
            }
            _ => None,
        }
    }
}

/// A preset by name, or `{level, afterMinutes}` with a known level and a positive age
/// (`validateReverificationConfig`). `after_minutes` is accepted too.
fn parse_requirement(value: &Value) -> Option<Reverification> {
    if let Some(name) = value.as_str() {
        return Reverification::parse(name);
    }
    let level = VerificationLevel::parse(value.get("level")?.as_str()?)?;
    let after_minutes = value
        .get("afterMinutes")
        .or_else(|| value.get("after_minutes"))?
        .as_i64()
        .filter(|m| *m > 0)?;
    Some(Reverification::Custom {
        level,
        after_minutes,
    })
}

fn requirement_json(requirement: Reverification) -> Option<Value> {
    let name = match requirement {
        Reverification::StrictMfa => "strict_mfa",
        Reverification::Strict => "strict",
        Reverification::Moderate => "moderate",
        Reverification::Lax => "lax",
        Reverification::Custom { .. } => {
            let (level, after_minutes) = requirement.config()?;
            let mut m = Map::new();
            m.insert("level", level.as_str().into());
            m.insert("afterMinutes", after_minutes.into());
            return Some(m.into());
        }
    };
    Some(name.into())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::test_support::{within, CASE_LIMIT};
    use proptest::prelude::*;

    #[test]
    fn writes_clerks_exact_shape() {
        let body = ReverificationHint::new(Reverification::Strict)
            .to_json()
            .to_string();
        assert_eq!(
            body,
            r#"{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":"strict"}}}"#
        );
        let custom = ReverificationHint::new(Reverification::Custom {
            level: VerificationLevel::MultiFactor,
            after_minutes: 5,
        });
        assert_eq!(
            custom.to_json().to_string(),
            r#"{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":{"level":"multi_factor","afterMinutes":5}}}}"#
        );
        // An invalid custom requirement is left out, as reverificationError() does.
        let invalid = ReverificationHint::new(Reverification::Custom {
            level: VerificationLevel::FirstFactor,
            after_minutes: 0,
        });
        assert_eq!(
            invalid.to_json().to_string(),
            r#"{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{}}}"#
        );
    }

    #[test]
    fn round_trips_every_requirement() {
        use Reverification::*;
        for r in [
            StrictMfa,
            Strict,
            Moderate,
            Lax,
            Custom {
                level: VerificationLevel::FirstFactor,
                after_minutes: 99,
            },
        ] {
            let hint = ReverificationHint::new(r);
            let back = ReverificationHint::from_body(&hint.to_json().to_string());
            assert_eq!(back, Some(hint), "{r:?}");
        }
        assert_eq!(
            ReverificationHint::new(StrictMfa).level(),
            VerificationLevel::MultiFactor
        );
    }

    #[test]
    fn tampered_or_foreign_bodies() {
        let parse = ReverificationHint::from_body;
        // Not a hint at all.
        for body in [
            "",
            "not json",
            "null",
            "[]",
            r#"{"clerk_error":{"type":"unauthorized","reason":"reverification-error"}}"#,
            r#"{"clerk_error":{"type":"forbidden","reason":"other"}}"#,
            r#"{"clerk_error":{"type":"forbidden"}}"#,
            r#"{"clerk_error":"forbidden"}"#,
            r#"{"errors":[{"code":"session_reverification_required"}]}"#,
        ] {
            assert_eq!(parse(body), None, "{body}");
        }
        // A hint with tampered metadata: still a hint, with no requirement (second factor).
        for body in [
            r#"{"clerk_error":{"type":"forbidden","reason":"reverification-error"}}"#,
            r#"{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":"strictest"}}}"#,
            r#"{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":{"level":"third_factor","afterMinutes":5}}}}"#,
            r#"{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":{"level":"first_factor","afterMinutes":-5}}}}"#,
            r#"{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":{"level":"first_factor","afterMinutes":"5"}}}}"#,
            r#"{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":[1]}}"#,
        ] {
            let hint = parse(body).unwrap();
            assert_eq!(hint.requirement, None, "{body}");
            assert_eq!(hint.level(), VerificationLevel::SecondFactor);
        }
    }

    #[test]
    fn fapi_error_code_is_a_hint() {
        let api = |code: &str| ClerkError::Api {
            status: 403,
            errors: vec![crate::models::ApiError {
                code: code.into(),
                message: String::new(),
                long_message: None,
                meta: Default::default(),
            }],
            trace_id: None,
            retry_after: None,
        };
        assert!(ReverificationHint::from_error(&api(FAPI_REVERIFICATION_CODE)).is_some());
        assert!(ReverificationHint::from_error(&api("form_code_incorrect")).is_none());
        assert!(ReverificationHint::from_error(&ClerkError::Offline).is_none());
    }

    proptest! {
        /// Any body (bytes as text, or JSON-ish text around the hint's keys) is read without
        /// panicking or hanging.
        #[test]
        fn prop_reverification_hint_never_panics(
            body in prop_oneof![
                any::<String>(),
                "\\{\"clerk_error\":\\{\"type\":\"forbidden\",\"reason\":\"reverification-error\",\"metadata\":.{0,40}\\}\\}",
            ]
        ) {
            within(CASE_LIMIT, move || {
                let _ = ReverificationHint::from_body(&body);
            });
        }
    }
}
