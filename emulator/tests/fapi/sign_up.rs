//! Sign-up: email code and errors.

use crate::prelude::*;

async fn sign_up_email_code() {
    let f = dev().await;
    let r = f
        .post(
            "/v1/client/sign_ups",
            &[
                ("email_address", "new@example.com"),
                ("password", "new-password-123"),
                ("first_name", "New"),
                ("last_name", "Person"),
                ("locale", "en-US"),
            ],
        )
        .await;
    r.expect(200);
    let su = &r.json["response"];
    assert_eq!(su["status"], "missing_requirements");
    assert_eq!(su["unverified_fields"], json!(["email_address"]));
    assert_eq!(
        su["verifications"]["email_address"]["next_action"],
        "needs_prepare"
    );
    let id = su["id"].as_str().unwrap().to_string();
    assert_eq!(r.json["client"]["sign_up"]["id"], id.as_str());
    let g = f.get(&format!("/v1/client/sign_ups/{id}")).await;
    g.expect(200);
    let u = f
        .send(
            "PATCH",
            &format!("/v1/client/sign_ups/{id}"),
            &[],
            Some(&[("last_name", "Renamed")]),
        )
        .await;
    u.expect(200);
    assert_eq!(u.json["response"]["last_name"], "Renamed");
    let p = f
        .post(
            &format!("/v1/client/sign_ups/{id}/prepare_verification"),
            &[("strategy", "email_code")],
        )
        .await;
    p.expect(200);
    assert_eq!(
        p.json["response"]["verifications"]["email_address"]["next_action"],
        "needs_attempt"
    );
    let code = f.code_for("new@example.com").await;
    let attempt = format!("/v1/client/sign_ups/{id}/attempt_verification");
    let ok = wrong_then_right(&f, &attempt, "email_code", wrong(&code), &code).await;
    let su = &ok.json["response"];
    assert_eq!(su["status"], "complete");
    assert!(su["created_user_id"].as_str().unwrap().starts_with("user_"));
    let sid = su["created_session_id"].as_str().unwrap();
    assert_eq!(ok.json["client"]["last_active_session_id"], sid);
    assert_eq!(
        ok.json["client"]["sessions"][0]["user"]["last_name"],
        "Renamed"
    );
    // The new user can sign in with a password from another browser.
    let mut f = f;
    f.new_dev_browser().await;
    f.sign_in("new@example.com", "new-password-123").await;
}

async fn sign_up_errors() {
    let f = dev().await;
    f.post(
        "/v1/client/sign_ups",
        &[("email_address", EMAIL), ("password", "whatever-123")],
    )
    .await
    .expect_err(422, "form_identifier_exists");
    f.post(
        "/v1/client/sign_ups",
        &[
            ("email_address", "short@example.com"),
            ("password", "short"),
        ],
    )
    .await
    .expect_err(422, "form_password_length_too_short");
    f.post("/v1/client/sign_ups", &[("email_address", "not-an-email")])
        .await
        .expect_err(422, "form_param_format_invalid");
    let r = f
        .post(
            "/v1/client/sign_ups",
            &[("email_address", "nopass@example.com")],
        )
        .await;
    r.expect(200);
    assert_eq!(r.json["response"]["missing_fields"], json!(["password"]));
    let id = r.json["response"]["id"].as_str().unwrap();
    f.post(
        &format!("/v1/client/sign_ups/{id}/attempt_verification"),
        &[("strategy", "email_code"), ("code", "123456")],
    )
    .await
    .expect_err(422, "strategy_for_user_invalid");
    f.post(
        &format!("/v1/client/sign_ups/{id}/prepare_verification"),
        &[],
    )
    .await
    .expect_err(422, "form_param_missing");
    f.get("/v1/client/sign_ups/sua_unknown")
        .await
        .expect_err(404, "resource_not_found");
}

pub(crate) fn trials() -> Vec<Trial> {
    trials![sign_up_email_code, sign_up_errors]
}
