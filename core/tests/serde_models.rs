//! The `serde` feature: models serialize with Clerk's wire names and deserialize through the
//! same readers the client uses, checked against real FAPI bodies (captured from the
//! emulator, and the FAPI notes' example). Run with `cargo test -p yew-clerk-core --features serde`.
#![cfg(feature = "serde")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{json, Value};
use yew_clerk_core::initial_state::{InitialSession, InitialState, InitialUser};
use yew_clerk_core::models::{
    Actor, Client, Environment, FromJson, IdentificationLink, Session, SessionStatus, User,
};

/// `GET /v1/client` of a signed-in user with an organization and public metadata, captured
/// from clerk-emulator (the token is replaced by a dummy).
const CLIENT_BODY: &str = include_str!("fixtures/fapi_client_signed_in.json");
/// `GET /v1/environment` of the emulator's development instance.
const ENVIRONMENT_BODY: &str = include_str!("fixtures/fapi_environment.json");

fn response(body: &str) -> Value {
    serde_json::from_str::<Value>(body).unwrap()["response"].clone()
}

fn fapi_client() -> (Value, Client) {
    let wire = response(CLIENT_BODY);
    let client = Client::from_json_str(&wire.to_string()).unwrap();
    (wire, client)
}

/// Every key of `ours` that has a value is a key at the same place in `wire`: serialization
/// invents no names (the field names are the wire names). A key the body left out may only
/// carry its default (`null`, `false`, `0`, empty); the round trips below check that those
/// names read back. Arrays are compared item by item.
fn assert_wire_names(ours: &Value, wire: &Value, path: &str) {
    match (ours, wire) {
        (Value::Object(o), Value::Object(w)) => {
            for (k, v) in o {
                let at = format!("{path}.{k}");
                match w.get(k) {
                    Some(wv) => assert_wire_names(v, wv, &at),
                    None => assert!(
                        is_default(v),
                        "serialized `{at}` = {v} is not a field of the FAPI body"
                    ),
                }
            }
        }
        (Value::Array(o), Value::Array(w)) => {
            assert_eq!(o.len(), w.len(), "`{path}` length");
            for (i, (ov, wv)) in o.iter().zip(w).enumerate() {
                assert_wire_names(ov, wv, &format!("{path}[{i}]"));
            }
        }
        _ => {}
    }
}

fn is_default(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_i64() == Some(0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
    }
}

#[test]
fn client_round_trips_through_serde() {
    let (wire, client) = fapi_client();
    let ours = serde_json::to_value(&client).unwrap();
    assert_wire_names(&ours, &wire, "client");
    let back: Client = serde_json::from_value(ours).unwrap();
    // Everything but the session token survives (the token is never serialized).
    let mut expected = client.clone();
    for s in &mut expected.sessions {
        std::rc::Rc::make_mut(s).last_active_token = None;
    }
    assert_eq!(back, expected);
    // The fixture is not trivial: a user with an email, an organization and metadata.
    let user = back.current_session().unwrap().user.as_ref().unwrap();
    assert_eq!(
        user.primary_email_address().unwrap().email_address,
        "serde@example.com"
    );
    assert_eq!(user.organization_memberships[0].role, "org:admin");
}

#[test]
fn serde_reads_fapi_text_exactly_like_the_client_reader() {
    let (wire, client) = fapi_client();
    let via_serde: Client = serde_json::from_value(wire).unwrap();
    assert_eq!(via_serde, client);
    assert!(via_serde.sessions[0].last_active_token.is_some());

    // `/v1/environment` is not enveloped.
    let env_wire: Value = serde_json::from_str(ENVIRONMENT_BODY).unwrap();
    let env = Environment::from_json_str(&env_wire.to_string()).unwrap();
    assert_eq!(
        serde_json::from_value::<Environment>(env_wire.clone()).unwrap(),
        env
    );
    let ours = serde_json::to_value(&env).unwrap();
    assert_wire_names(&ours, &env_wire, "environment");
    assert_eq!(serde_json::from_value::<Environment>(ours).unwrap(), env);
}

#[test]
fn the_lenient_rules_hold_through_serde() {
    // FAPI sends `null` lists and unknown enum values; both read as in the client.
    let s: Session = serde_json::from_value(json!({
        "id": "sess_1", "status": "something_new", "tasks": null, "actor": null,
        "factor_verification_age": [0, -1], "future_field": {"x": 1}
    }))
    .unwrap();
    assert_eq!(s.status, SessionStatus::Other("something_new".into()));
    assert!(s.tasks.is_empty());
    assert_eq!(s.factor_verification_age, Some([0, -1]));
    assert_eq!(
        serde_json::to_value(&s.status).unwrap(),
        json!("something_new")
    );
    // A missing required field is an error naming it, never a value from the body.
    let err = serde_json::from_value::<User>(json!({"first_name": "Ada"})).unwrap_err();
    assert!(err.to_string().contains("`id`"), "{err}");
    // The two fields named `type` on the wire keep that name.
    let actor: Actor =
        serde_json::from_value(json!({"sub": "user_admin", "type": "agent"})).unwrap();
    assert_eq!(actor.actor_type.as_deref(), Some("agent"));
    assert_eq!(
        serde_json::to_value(&actor).unwrap()["type"],
        json!("agent")
    );
    let link: IdentificationLink =
        serde_json::from_value(json!({"id": "idn_1", "type": "oauth_google"})).unwrap();
    assert_eq!(
        serde_json::to_value(&link).unwrap()["type"],
        json!("oauth_google")
    );
}

#[test]
fn the_session_token_is_never_serialized() {
    let (_, client) = fapi_client();
    let session = client.current_session().unwrap();
    let jwt = &session.last_active_token.as_ref().unwrap().jwt;
    let text = serde_json::to_string(session).unwrap();
    assert!(!text.contains("last_active_token"));
    assert!(!text.contains(jwt.as_str()));
}

#[test]
fn metadata_reads_into_the_callers_type() {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Nested {
        ok: bool,
        none: Option<String>,
    }
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Plan {
        plan: String,
        seats: u32,
        ratio: f64,
        tags: Vec<String>,
        nested: Nested,
    }
    let (wire, client) = fapi_client();
    let user = client.current_session().unwrap().user.as_ref().unwrap();
    let plan: Plan = user.public_metadata_as().unwrap();
    assert_eq!(
        plan,
        Plan {
            plan: "pro".into(),
            seats: 3,
            ratio: 1.5,
            tags: vec!["a".into(), "b".into()],
            nested: Nested {
                ok: true,
                none: None
            },
        }
    );
    // As a serde_json::Value it is the body's object, unchanged.
    let as_value: Value = user.public_metadata_as().unwrap();
    assert_eq!(as_value, wire["sessions"][0]["user"]["public_metadata"]);
    assert_eq!(user.unsafe_metadata_as::<Value>().unwrap(), json!({}));
    // The wrong shape is an error, not a panic or a default.
    assert!(user.public_metadata_as::<Vec<String>>().is_err());
    let org = &user.organization_memberships[0].organization;
    assert_eq!(org.public_metadata_as::<Value>().unwrap(), json!({}));
}

#[test]
fn initial_state_serializes_as_its_embedded_form() {
    let state = InitialState {
        session: None,
        user: None,
    };
    assert_eq!(
        serde_json::to_string(&state).unwrap(),
        state.to_json().to_string()
    );

    // Its own camelCase form (the one the page embeds), not the FAPI names.
    let (_, client) = fapi_client();
    let session = client.current_session().unwrap();
    let user = session.user.as_ref().unwrap();
    let state = InitialState {
        session: Some(InitialSession {
            user_id: user.id.clone(),
            session_id: session.id.clone(),
            status: SessionStatus::Active,
            org: None,
            actor: None,
            factor_verification_age: session.factor_verification_age,
            features: vec![],
            plans: vec![],
        }),
        user: None,
    }
    .with_user(InitialUser {
        id: user.id.clone(),
        first_name: user.first_name.clone(),
        ..InitialUser::default()
    });
    assert!(state.user.is_some());
    let text = serde_json::to_string(&state).unwrap();
    assert_eq!(text, state.to_json().to_string());
    assert_eq!(serde_json::from_str::<InitialState>(&text).unwrap(), state);
}
