//! Host-only tests of the FAPI models (`yew_clerk::core::models`) against Clerk's OpenAPI
//! document: an example instance is generated from each schema (`example` values where given,
//! else type-appropriate values; `$ref`, `allOf`, `oneOf`, `nullable` resolved) and must parse.
//!
//! The document is read at test time from `../shared/clerk-fapi-openapi-2026-05-12.yml`
//! (override with `CLERK_FAPI_OPENAPI`); when it is absent those tests print a skip message
//! and pass. The hand-written bad-input tests always run.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use serde_json::{json, Map, Value};
use yew_clerk::core::models::{
    AuthConfig, Client, ClientEnvelope, DevBrowser, DisplayConfig, EmailAddress, Environment,
    ErrorEnvelope, ExternalAccount, Organization, OrganizationMembership, OrganizationSettings,
    PhoneNumber, PublicOrganizationData, PublicUserData, Session, SessionStatus, SessionTask,
    Token, User, VerificationStatus,
};
use yew_clerk::core::models::{FromJson, JsonError};

const DOC: &str = "clerk-fapi-openapi-2026-05-12.yml";

fn openapi() -> Option<Value> {
    let path = std::env::var_os("CLERK_FAPI_OPENAPI")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("..")
                .join("shared")
                .join(DOC)
        });
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(serde_yaml::from_str::<Value>(&text).expect("OpenAPI YAML parses")),
        Err(e) => {
            eprintln!(
                "SKIP: OpenAPI document not found at {} ({e}); schema-example tests skipped",
                path.display()
            );
            None
        }
    }
}

/// Generates example instances of OpenAPI 3.0 schemas.
struct Examples<'a> {
    schemas: &'a Map<String, Value>,
    /// `true`: every nullable value is `null` (the "minimal" instance); `false`: all filled.
    nulls: bool,
}

impl Examples<'_> {
    fn schema(&self, name: &str) -> &Value {
        self.schemas
            .get(name)
            .unwrap_or_else(|| panic!("schema {name} not in the document"))
    }

    fn named(&self, name: &str) -> Value {
        self.gen(self.schema(name), name, 0)
    }

    fn resolve<'s>(&'s self, schema: &'s Value) -> &'s Value {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let name = r.trim_start_matches("#/components/schemas/");
                self.resolve(self.schema(name))
            }
            None => schema,
        }
    }

    fn gen(&self, schema: &Value, field: &str, depth: usize) -> Value {
        if depth > 16 {
            return Value::Null;
        }
        let schema = self.resolve(schema);
        if self.nulls && schema.get("nullable") == Some(&Value::Bool(true)) {
            return Value::Null;
        }
        if let Some(example) = schema.get("example") {
            return example.clone();
        }
        if let Some(Value::Array(values)) = schema.get("enum") {
            if let Some(first) = values.iter().find(|v| !v.is_null()) {
                return first.clone();
            }
        }
        if let Some(Value::Array(parts)) = schema.get("allOf") {
            let mut merged = Map::new();
            let mut other = None;
            for part in parts {
                match self.gen(part, field, depth + 1) {
                    Value::Object(map) => merged.extend(map),
                    v => other = Some(v),
                }
            }
            if let Value::Object(own) = self.object(schema, depth) {
                merged.extend(own);
            }
            return match other {
                Some(v) if merged.is_empty() => v,
                _ => Value::Object(merged),
            };
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(options)) = schema.get(key) {
                // The first option that yields something non-empty.
                let mut first = None;
                for option in options {
                    let v = self.gen(option, field, depth + 1);
                    if v.as_object().is_some_and(|m| !m.is_empty()) || !v.is_object() {
                        return v;
                    }
                    first.get_or_insert(v);
                }
                return first.unwrap_or(Value::Null);
            }
        }
        match schema.get("type").and_then(Value::as_str) {
            Some("array") => match schema.get("items") {
                Some(items) => {
                    let item = self.gen(items, field, depth + 1);
                    if item.is_null() {
                        json!([])
                    } else {
                        json!([item])
                    }
                }
                None => json!([]),
            },
            Some("string") => match schema.get("format").and_then(Value::as_str) {
                Some("date-time") => json!("2026-05-12T00:00:00Z"),
                _ => json!(format!("example_{field}")),
            },
            Some("integer") => {
                if field.ends_with("_at") {
                    json!(1_700_690_400_000_i64)
                } else {
                    json!(3)
                }
            }
            Some("number") => json!(1.5),
            Some("boolean") => json!(true),
            _ => self.object(schema, depth),
        }
    }

    fn object(&self, schema: &Value, depth: usize) -> Value {
        let mut out = Map::new();
        if let Some(Value::Object(props)) = schema.get("properties") {
            for (name, prop) in props {
                out.insert(name.clone(), self.gen(prop, name, depth + 1));
            }
        } else if schema.get("additionalProperties") == Some(&Value::Bool(true)) && !self.nulls {
            out.insert("example_key".into(), json!({"nested": [1, "two"]}));
        }
        Value::Object(out)
    }
}

/// Reads a generated (serde_json) value with the library's reader.
fn from_value<T: FromJson>(value: Value) -> Result<T, JsonError> {
    T::from_json_str(&value.to_string())
}

/// Parses `value` as `T` and checks that the fields came from the right keys: every string
/// the generator made is `example_<key>`, so in the parsed value's `Debug` text each
/// `field: "example_<key>"` must have `field == key` (catches misnamed fields), apart from the
/// two fields renamed from the wire's `type`.
fn parses_as<T: FromJson + std::fmt::Debug>(schema: &str, value: &Value) -> T {
    let parsed: T = from_value(value.clone()).unwrap_or_else(|e| {
        panic!(
            "{schema} example does not parse as {}: {e}\n{}",
            std::any::type_name::<T>(),
            serde_json::to_string_pretty(value).unwrap()
        )
    });
    let debug = format!("{parsed:?}");
    let mut rest = debug.as_str();
    let next = |text: &str| {
        [": \"example_", ": Some(\"example_"]
            .iter()
            .filter_map(|p| text.find(p))
            .min()
    };
    while let Some(at) = next(rest) {
        let field = rest[..at]
            .rsplit(|c: char| !(c.is_alphanumeric() || c == '_'))
            .next()
            .unwrap_or("");
        let after = &rest[at..];
        let start = after.find("example_").unwrap() + "example_".len();
        let key: String = after[start..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let renamed = matches!((field, key.as_str()), ("link_type" | "actor_type", "type"));
        assert!(
            field == key || renamed,
            "{schema}: field `{field}` was read from key `{key}`"
        );
        rest = &after[start..];
    }
    parsed
}

fn check_all(ex: &Examples<'_>) {
    let client = ex.named("Client.Client");
    if !client.is_null() {
        let c: Client = parses_as("Client.Client", &client);
        assert_eq!(c.id, "example_id");
        assert_eq!(c.sessions.len(), 1);
        assert!(c.captcha_bypass);
    }
    let c2 = ex.named("Client.Client-2");
    if !c2.is_null() {
        parses_as::<Client>("Client.Client-2", &c2);
    }

    let session: Session = parses_as("Client.Session", &ex.named("Client.Session"));
    assert_eq!(session.status, SessionStatus::Active);
    if !ex.nulls {
        assert_eq!(session.created_at, 1_700_690_400_000);
        assert!(session.user.is_some());
        assert!(session.last_active_token.is_some());
    }
    parses_as::<Session>("Client.Session-2", &ex.named("Client.Session-2"));

    let user: User = parses_as("Client.User", &ex.named("Client.User"));
    assert_eq!(user.id, "example_id");
    if !ex.nulls {
        assert_eq!(user.email_addresses.len(), 1);
        assert_eq!(user.organization_memberships.len(), 1);
        assert_eq!(user.external_accounts.len(), 1);
        assert_eq!(user.phone_numbers.len(), 1);
        assert_eq!(user.last_sign_in_at, Some(1_700_690_400_000));
        assert!(user.public_metadata.contains_key("example_key"));
        let email = &user.email_addresses[0];
        let v = email.verification.as_ref().unwrap();
        assert_eq!(v.status, VerificationStatus::Unverified);
        assert_eq!(v.strategy.as_deref(), Some("phone_code"));
    }

    parses_as::<EmailAddress>("Client.EmailAddress", &ex.named("Client.EmailAddress"));
    parses_as::<PhoneNumber>("Client.PhoneNumber", &ex.named("Client.PhoneNumber"));
    let ext: ExternalAccount = parses_as(
        "ExternalAccountWithVerification",
        &ex.named("ExternalAccountWithVerification"),
    );
    if !ex.nulls {
        assert_eq!(
            ext.provider_user_id.as_deref(),
            Some("example_provider_user_id")
        );
        assert_eq!(ext.image_url.as_deref(), Some("example_image_url"));
    }
    let org: Organization = parses_as("Client.Organization", &ex.named("Client.Organization"));
    assert_eq!(org.slug.as_deref(), Some("example_slug"));
    let m: OrganizationMembership = parses_as(
        "Client.OrganizationMembership",
        &ex.named("Client.OrganizationMembership"),
    );
    assert_eq!(m.role, "example_role");
    parses_as::<PublicUserData>("Client.PublicUserData", &ex.named("Client.PublicUserData"));
    parses_as::<PublicOrganizationData>(
        "Client.PublicOrganizationData",
        &ex.named("Client.PublicOrganizationData"),
    );
    parses_as::<SessionTask>("Client.SessionTask", &ex.named("Client.SessionTask"));
    let token: Token = parses_as("Token", &ex.named("Token"));
    assert_eq!(token.jwt, "example_jwt");

    let env: Environment = parses_as("Client.Environment", &ex.named("Client.Environment"));
    assert!(env.auth_config.single_session_mode);
    assert_eq!(
        env.display_config.sign_in_url.as_deref(),
        Some("example_sign_in_url")
    );
    assert!(env.organization_settings.enabled);
    parses_as::<AuthConfig>("Client.AuthConfig", &ex.named("Client.AuthConfig"));
    parses_as::<DisplayConfig>("Client.DisplayConfig", &ex.named("Client.DisplayConfig"));
    parses_as::<OrganizationSettings>(
        "Client.OrganizationSettings",
        &ex.named("Client.OrganizationSettings"),
    );

    let wrapped: ClientEnvelope<Session> = parses_as(
        "Client.ClientWrappedSession",
        &ex.named("Client.ClientWrappedSession"),
    );
    if !ex.nulls {
        assert!(wrapped.response.is_some());
    }
    parses_as::<ClientEnvelope<Client>>(
        "Client.ClientWrappedClient",
        &ex.named("Client.ClientWrappedClient"),
    );
    parses_as::<ClientEnvelope<Client>>("Client.DeleteSession", &ex.named("Client.DeleteSession"));
    parses_as::<ClientEnvelope<User>>(
        "Client.ClientWrappedUser",
        &ex.named("Client.ClientWrappedUser"),
    );
    let errors: ErrorEnvelope = parses_as("ClerkErrors", &ex.named("ClerkErrors"));
    assert_eq!(errors.errors[0].code, "example_code");
}

#[test]
fn openapi_schema_examples_parse_filled() {
    let Some(doc) = openapi() else { return };
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    check_all(&Examples {
        schemas,
        nulls: false,
    });
}

#[test]
fn openapi_schema_examples_parse_with_nulls() {
    let Some(doc) = openapi() else { return };
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    check_all(&Examples {
        schemas,
        nulls: true,
    });
}

#[test]
fn notes_example_client_parses() {
    // FAPI notes §3.1 (shortened values).
    let body = r#"{"response":{"object":"client","id":"client_2yQ7ab","sessions":[{"object":"session","id":"sess_2yQ8cd","status":"active",
 "expire_at":1767916800000,"abandon_at":1769904000000,"last_active_at":1767312000000,"last_active_organization_id":null,
 "last_active_token":{"object":"token","jwt":"eyJ.eyJ.sig"},
 "actor":null,"tasks":null,"factor_verification_age":[0,-1],
 "user":{"object":"user","id":"user_2yQ9ef","external_id":null,"username":null,"first_name":"Ada","last_name":"Lovelace",
  "image_url":"https://img.clerk.com/eyJ","has_image":false,"primary_email_address_id":"idn_2yQAgh",
  "primary_phone_number_id":null,"primary_web3_wallet_id":null,"password_enabled":true,"two_factor_enabled":false,
  "totp_enabled":false,"backup_code_enabled":false,
  "email_addresses":[{"object":"email_address","id":"idn_2yQAgh","email_address":"ada@example.com","reserved":false,
   "verification":{"object":"verification_otp","status":"verified","strategy":"email_code","attempts":1,"expire_at":1767312600000},
   "linked_to":[],"matches_sso_connection":false,"created_at":1767311000000,"updated_at":1767312000000}],
  "phone_numbers":[],"web3_wallets":[],"external_accounts":[],"enterprise_accounts":[],"passkeys":[],
  "organization_memberships":[],"public_metadata":{},"unsafe_metadata":{},"last_sign_in_at":1767312000000,
  "create_organization_enabled":true,"create_organizations_limit":null,"delete_self_enabled":true,"legal_accepted_at":null,
  "created_at":1767311000000,"updated_at":1767312000000},
 "public_user_data":{"first_name":"Ada","last_name":"Lovelace","image_url":"https://img.clerk.com/eyJ","has_image":false,
  "identifier":"ada@example.com","user_id":"user_2yQ9ef"},
 "created_at":1767312000000,"updated_at":1767312000000}],
 "sign_in":null,"sign_up":null,"last_active_session_id":"sess_2yQ8cd","last_authentication_strategy":"password",
 "cookie_expires_at":1798848000000,"captcha_bypass":false,"created_at":1767311000000,"updated_at":1767312000000},
 "client":null}"#;
    let env: ClientEnvelope<Client> = FromJson::from_json_str(body).unwrap();
    let client = env.response.unwrap();
    let session = client.current_session().unwrap();
    assert_eq!(session.id, "sess_2yQ8cd");
    assert_eq!(session.factor_verification_age, Some([0, -1]));
    let user = session.user.as_ref().unwrap();
    assert_eq!(user.full_name().as_deref(), Some("Ada Lovelace"));
    assert_eq!(
        user.primary_email_address().unwrap().email_address,
        "ada@example.com"
    );
    assert!(user
        .primary_email_address()
        .unwrap()
        .verification
        .as_ref()
        .unwrap()
        .is_verified());
    assert_eq!(
        client.last_authentication_strategy.as_deref(),
        Some("password")
    );
}

#[test]
fn unknown_fields_are_ignored() {
    let s: Session = FromJson::from_json_str(
        r#"{"id":"sess_1","status":"active","brand_new_field":{"x":1},"object":"session"}"#,
    )
    .unwrap();
    assert_eq!(s.id, "sess_1");
    let u: User = FromJson::from_json_str(r#"{"id":"user_1","future":[1,2,3]}"#).unwrap();
    assert_eq!(u.id, "user_1");
}

#[test]
fn unknown_enum_values_are_other() {
    let s: Session = FromJson::from_json_str(r#"{"id":"sess_1","status":"mystery"}"#).unwrap();
    assert_eq!(s.status, SessionStatus::Other("mystery".into()));
    assert!(!s.status.is_signed_in());
    assert_eq!(s.status.as_str(), "mystery");
    let e: EmailAddress = FromJson::from_json_str(
        r#"{"id":"idn_1","email_address":"a@b.c","verification":{"status":"quantum"}}"#,
    )
    .unwrap();
    assert_eq!(
        e.verification.unwrap().status,
        VerificationStatus::Other("quantum".into())
    );
    for (wire, status) in [
        ("active", SessionStatus::Active),
        ("pending", SessionStatus::Pending),
        ("ended", SessionStatus::Ended),
        ("expired", SessionStatus::Expired),
        ("removed", SessionStatus::Removed),
        ("replaced", SessionStatus::Replaced),
        ("revoked", SessionStatus::Revoked),
        ("abandoned", SessionStatus::Abandoned),
    ] {
        let s: Session = from_value(json!({"id":"sess_1","status":wire})).unwrap();
        assert_eq!(s.status, status);
        assert_eq!(s.status.as_str(), wire);
    }
}

#[test]
fn null_lists_and_objects_default() {
    let c: Client = FromJson::from_json_str(
        r#"{"id":"client_1","sessions":null,"last_active_session_id":null,"sign_in":null,"cookie_expires_at":null}"#,
    )
    .unwrap();
    assert!(c.sessions.is_empty());
    assert!(c.current_session().is_none());
    let u: User = FromJson::from_json_str(
        r#"{"id":"user_1","email_addresses":null,"phone_numbers":null,"external_accounts":null,
            "organization_memberships":null,"public_metadata":null,"unsafe_metadata":null,
            "web3_wallets":null,"passkeys":null,"enterprise_accounts":null,"saml_accounts":null}"#,
    )
    .unwrap();
    assert!(u.email_addresses.is_empty() && u.organization_memberships.is_empty());
    assert!(u.public_metadata.is_empty());
    let s: Session = FromJson::from_json_str(
        r#"{"id":"sess_1","status":"pending","tasks":null,"factor_verification_age":null,"actor":null,"user":null}"#,
    )
    .unwrap();
    assert!(s.tasks.is_empty());
    assert_eq!(s.current_task(), None);
    assert_eq!(s.factor_verification_age, None);
    let s: Session = FromJson::from_json_str(
        r#"{"id":"sess_2","status":"pending","tasks":[{"key":"choose-organization"},{"key":"later"}]}"#,
    )
    .unwrap();
    assert_eq!(s.status, SessionStatus::Pending);
    assert_eq!(
        s.current_task().map(|t| t.key.as_str()),
        Some("choose-organization")
    );
    let m: OrganizationMembership = FromJson::from_json_str(
        r#"{"id":"orgmem_1","role":"org:member","permissions":null,"organization":{"id":"org_1","public_metadata":null}}"#,
    )
    .unwrap();
    assert!(m.permissions.is_empty());
    let e: ClientEnvelope<Client> =
        FromJson::from_json_str(r#"{"response":null,"client":{}}"#).unwrap();
    assert_eq!((e.response, e.client), (None, None));
    let e: ClientEnvelope<Client> = FromJson::from_json_str(r#"{"response":null}"#).unwrap();
    assert!(e.client.is_none());
    // A non-empty client must still be a valid one.
    assert!(<ClientEnvelope<Client>>::from_json_str(r#"{"client":{"sessions":[]}}"#).is_err());
}

#[test]
fn odd_factor_ages_are_none() {
    for fva in [
        json!([1]),
        json!([1, 2, 3]),
        json!(["a", 1]),
        json!("x"),
        json!({}),
    ] {
        let s: Session =
            from_value(json!({"id":"sess_1","status":"active","factor_verification_age":fva}))
                .unwrap();
        assert_eq!(s.factor_verification_age, None, "{fva}");
    }
}

#[test]
fn truncated_json_is_an_error() {
    assert!(<Client>::from_json_str(r#"{"id":"client_1","sessions":[{"id":"se"#).is_err());
    assert!(<ClientEnvelope<Client>>::from_json_str(r#"{"response":{"id":"#).is_err());
    assert!(<Environment>::from_json_str("{").is_err());
}

#[test]
fn missing_required_id_is_an_error() {
    assert!(<Client>::from_json_str(r#"{"sessions":[]}"#).is_err());
    assert!(<Session>::from_json_str(r#"{"status":"active"}"#).is_err());
    assert!(<User>::from_json_str(r#"{"first_name":"Ada"}"#).is_err());
    assert!(<Organization>::from_json_str(r#"{"name":"Acme"}"#).is_err());
    assert!(<DevBrowser>::from_json_str(r#"{"instance_id":"ins_1"}"#).is_err());
    // A session without a status is also rejected: status decides signed-in-ness.
    assert!(<Session>::from_json_str(r#"{"id":"sess_1"}"#).is_err());
}

#[test]
fn dev_browser_response() {
    let d: DevBrowser = FromJson::from_json_str(
        r#"{"id":"dvb_2wBE","instance_id":"ins_1","token":"eyJ.x.y","client_id":null,
            "created_at":"2026-05-12T00:00:00Z","updated_at":"2026-05-12T00:00:00Z","home_origin":null}"#,
    )
    .unwrap();
    assert_eq!(d.id, "dvb_2wBE");
    assert!(!format!("{d:?}").contains("dvb_2wBE"));
}

#[test]
fn token_debug_is_redacted() {
    let t: Token =
        FromJson::from_json_str(r#"{"object":"token","jwt":"secret.jwt.value"}"#).unwrap();
    assert!(!format!("{t:?}").contains("secret"));
}
