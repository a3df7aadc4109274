//! Models of the Frontend API resources (snake_case on the wire), read with hand-written
//! [`FromJson`] impls: a small JSON module of this crate rather than serde, for wasm size
//! (serde derives are available with the `serde` feature).
//!
//! Rules shared by every model (Clerk adds fields and changes optional shapes over time):
//! - unknown fields are ignored;
//! - optional fields may be missing or `null` (both give the default); an optional field
//!   that is present but cannot be read (wrong type, or a required field missing inside it)
//!   also gives its default and is reported as schema drift
//!   (logged once by the client), so the drift never fails a whole load;
//! - a required field that is missing or cannot be read is an error naming the field path;
//!   so are the few optional fields whose loss would change the meaning (`Client::sessions`,
//!   the `response` and `client` of an envelope);
//! - timestamps are Unix epoch **milliseconds** (`i64`);
//! - enums that Clerk may extend (session status, verification status) are open: an unknown
//!   value parses as `Other(String)`.

mod client;
mod dev_browser;
mod envelope;
mod environment;
mod organization;
#[cfg(feature = "serde")]
mod serde_support;
mod session;
mod user;

/// The JSON types that appear in the models' signatures (the JSON module itself is internal).
pub use crate::json::{FromJson, JsonError, JsonErrorKind, Map as JsonMap, Value as JsonValue};
pub use client::Client;
pub use dev_browser::DevBrowser;
pub use envelope::{ApiError, ApiErrorMeta, ClientEnvelope, ErrorEnvelope};
pub use environment::{AuthConfig, DisplayConfig, Environment, OrganizationSettings};
pub use organization::{Organization, OrganizationMembership, PublicOrganizationData};
pub use session::{Actor, PublicUserData, Session, SessionStatus, SessionTask, Token};
pub use user::{
    full_name, EmailAddress, ExternalAccount, IdentificationLink, PhoneNumber, User, Verification,
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::json::collect_drift;

    const SESSION: &str = r#"{"id":"sess_1","status":"active","user":{"id":"user_1"}}"#;

    #[test]
    fn drift_in_a_client_falls_back_field_by_field() {
        let body = r#"{"id":"client_1","last_active_session_id":"sess_1","captcha_bypass":"no",
            "sessions":[{"id":"sess_1","status":"brand_new_status","expire_at":"soon",
              "last_active_token":{"jwt":7},"tasks":"x","new_field":{"a":1},
              "user":{"id":"user_1","banned":"yes","email_addresses":[{"id":"e1"}],
                "public_metadata":[1],"first_name":"Ada"}}]}"#;
        let (client, drift) = collect_drift(|| Client::from_json_str(body));
        let client = client.unwrap();
        let session = &client.sessions[0];
        assert_eq!(session.id, "sess_1");
        assert_eq!(
            session.status,
            SessionStatus::Other("brand_new_status".into())
        );
        assert_eq!(session.expire_at, 0);
        assert_eq!(session.last_active_token, None);
        let user = session.user.as_ref().unwrap();
        assert_eq!(user.first_name.as_deref(), Some("Ada"));
        assert!(!user.banned && user.email_addresses.is_empty());
        let paths: Vec<String> = drift.iter().map(ToString::to_string).collect();
        assert_eq!(
            paths,
            [
                "`sessions`: [0]: `expire_at`: expected an integer, got a string",
                "`sessions`: [0]: `last_active_token`: `jwt`: expected a string, got a number",
                "`sessions`: [0]: `tasks`: expected an array, got a string",
                "`sessions`: [0]: `user`: `email_addresses`: [0]: missing field `email_address`",
                "`sessions`: [0]: `user`: `public_metadata`: expected an object, got an array",
                "`sessions`: [0]: `user`: `banned`: expected a boolean, got a string",
                "`captcha_bypass`: expected a boolean, got a string",
            ]
        );
        assert_eq!(drift.total(), 7);
    }

    #[test]
    fn required_fields_and_sessions_still_fail() {
        // A session without a status: the client fails (no silent sign-out).
        let e = Client::from_json_str(r#"{"id":"c","sessions":[{"id":"s"}]}"#).unwrap_err();
        assert_eq!(e.to_string(), "`sessions`: [0]: missing field `status`");
        assert!(Client::from_json_str(r#"{"id":"c","sessions":{}}"#).is_err());
        assert!(Client::from_json_str(r#"{"id":5}"#).is_err());
        let ok = format!(r#"{{"id":"c","sessions":[{SESSION}]}}"#);
        let (client, drift) = collect_drift(|| Client::from_json_str(&ok));
        assert_eq!(client.unwrap().sessions.len(), 1);
        assert!(drift.is_empty());
    }

    #[test]
    fn environment_drift_keeps_the_rest() {
        let body = r#"{"auth_config":"new-shape","display_config":{"sign_in_url":"https://a.b/s",
            "application_name":{"en":"x"}},"maintenance_mode":false,"organization_settings":
            {"enabled":true,"max_allowed_memberships":-1}}"#;
        let (env, drift) = collect_drift(|| Environment::from_json_str(body));
        let env = env.unwrap();
        assert_eq!(env.auth_config, AuthConfig::default());
        assert_eq!(
            env.display_config.sign_in_url.as_deref(),
            Some("https://a.b/s")
        );
        assert_eq!(env.display_config.application_name, None);
        assert!(env.organization_settings.enabled);
        assert_eq!(drift.total(), 3);
    }
}

/// Property tests (`cargo test prop_`): arbitrary JSON through every model reader.
#[cfg(test)]
mod props {
    use super::*;
    use crate::json::props::arb_value;
    use crate::json::{collect_drift, Value, MAX_DRIFT_ENTRIES};
    use crate::test_support::{within, CASE_LIMIT};
    use proptest::prelude::*;

    /// A valid client whose session and user carry `extra` under Clerk's own field names,
    /// so that the drift paths (not just "expected an object") are exercised.
    fn drifted_client(extra: &[(String, Value)]) -> String {
        let fields: String = extra.iter().map(|(k, v)| format!(",\"{k}\":{v}")).collect();
        format!(
            r#"{{"id":"client_1"{fields},"sessions":[{{"id":"sess_1","status":"active"{fields},"user":{{"id":"user_1"{fields}}}}}]}}"#
        )
    }

    fn arb_field_name() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("last_active_token"),
            Just("user"),
            Just("public_user_data"),
            Just("actor"),
            Just("tasks"),
            Just("expire_at"),
            Just("email_addresses"),
            Just("phone_numbers"),
            Just("external_accounts"),
            Just("organization_memberships"),
            Just("public_metadata"),
            Just("banned"),
            Just("first_name"),
            Just("created_at"),
            Just("sign_in"),
            Just("cookie_expires_at"),
            Just("last_active_organization_id"),
            Just("brand_new"),
        ]
        .prop_map(str::to_string)
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn prop_models_never_panic_on_arbitrary_json(value in arb_value()) {
            within(CASE_LIMIT, move || {
                let ((), drift) = collect_drift(|| {
                    let _ = Client::from_json(&value);
                    let _ = Session::from_json(&value);
                    let _ = User::from_json(&value);
                    let _ = Environment::from_json(&value);
                    let _ = ClientEnvelope::<Client>::from_json(&value);
                    let _ = ErrorEnvelope::from_json(&value);
                    let _ = DevBrowser::from_json(&value);
                });
                assert!(drift.iter().count() <= drift.total().min(MAX_DRIFT_ENTRIES));
            });
        }

        #[test]
        fn prop_optional_drift_never_fails_a_client(
            extra in proptest::collection::vec((arb_field_name(), arb_value()), 0..6)
        ) {
            // Unique names: a repeated key would just keep its last value.
            let mut seen = std::collections::HashSet::new();
            let extra: Vec<(String, Value)> =
                extra.into_iter().filter(|(k, _)| seen.insert(k.clone())).collect();
            let text = drifted_client(&extra);
            // The session ids leave the timed thread (a `Client` holds `Rc`s: not `Send`).
            let (ids, drift) = within(CASE_LIMIT, move || {
                collect_drift(|| {
                    Client::from_json_str(&text)
                        .map(|c| c.sessions.iter().map(|s| s.id.clone()).collect::<Vec<_>>())
                })
            });
            // Whatever the optional fields hold, the client and its session still load.
            let ids = ids.map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(ids, vec!["sess_1".to_string()]);
            prop_assert!(drift.iter().count() <= drift.total().min(MAX_DRIFT_ENTRIES));
        }
    }
}
