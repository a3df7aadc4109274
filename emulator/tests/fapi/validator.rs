//! The OpenAPI validators themselves reject broken bodies.

use crate::prelude::*;

/// The BAPI validator must reject bodies that break its document too, and admit
/// `null` where Clerk marks `nullable` beside `allOf` (as real Clerk sends it).
async fn bapi_validator_has_teeth() {
    let Some(spec) = common::openapi::bapi_spec() else {
        return;
    };
    let f = dev().await;
    let (sid, uid) = f.sign_in(EMAIL, PASSWORD).await;
    let user = f.bapi("GET", &format!("/users/{uid}"), None).await.json;
    let path = format!("/users/{uid}");
    let mut ok = user.clone();
    ok["scim"] = Value::Null;
    assert!(
        spec.validate("GET", &path, 200, &ok).is_ok(),
        "nullable allOf admits null"
    );
    let mut bad = user.clone();
    bad["surprise"] = json!(1);
    assert!(
        spec.validate("GET", &path, 200, &bad).is_err(),
        "User is closed"
    );
    let mut bad = user.clone();
    bad.as_object_mut().unwrap().remove("banned");
    assert!(
        spec.validate("GET", &path, 200, &bad).is_err(),
        "required property"
    );
    let mut bad = user;
    bad["scim"] = json!("x");
    assert!(
        spec.validate("GET", &path, 200, &bad).is_err(),
        "nullable allOf still checks values"
    );
    let session = f.bapi("GET", &format!("/sessions/{sid}"), None).await.json;
    let mut bad = session;
    bad["status"] = json!("bogus");
    assert!(
        spec.validate("GET", &format!("/sessions/{sid}"), 200, &bad)
            .is_err(),
        "session status enum"
    );
    assert!(
        spec.validate("GET", "/users", 200, &json!({"data": []}))
            .is_err(),
        "a list is an array"
    );
}

/// The validator must reject bodies that break the document (else every count above is hollow).
async fn validator_has_teeth() {
    let Some(spec) = common::openapi::spec() else {
        return;
    };
    let f = dev().await;
    f.sign_in(EMAIL, PASSWORD).await;
    let good = f.get("/v1/client").await.json;
    let mut bad = good.clone();
    bad["response"]["sessions"][0]["status"] = json!("bogus");
    assert!(
        spec.validate("GET", "/v1/client", 200, &bad).is_err(),
        "unknown session status"
    );
    let mut bad = good.clone();
    bad["response"]
        .as_object_mut()
        .unwrap()
        .remove("last_active_session_id");
    assert!(
        spec.validate("GET", "/v1/client", 200, &bad).is_err(),
        "missing required property"
    );
    let mut bad = good.clone();
    bad["response"]["sessions"][0]["user"]["email_addresses"][0]["surprise"] = json!(1);
    assert!(
        spec.validate("GET", "/v1/client", 200, &bad).is_err(),
        "additionalProperties: false"
    );
    let mut bad = good.clone();
    bad["extra"] = json!(true);
    assert!(
        spec.validate("GET", "/v1/client", 200, &bad).is_err(),
        "envelope is closed"
    );
    let mut bad = good;
    bad["response"]["sign_in"] = json!({"object": "sign_in_attempt"});
    assert!(
        spec.validate("GET", "/v1/client", 200, &bad).is_err(),
        "nullable allOf still checks objects"
    );
    assert!(
        spec.validate(
            "POST",
            "/v1/client/sign_ins",
            422,
            &json!({"errors": [{"code": "x"}]})
        )
        .is_err(),
        "ClerkError needs messages"
    );
}

pub(crate) fn trials() -> Vec<Trial> {
    trials![bapi_validator_has_teeth, validator_has_teeth]
}
