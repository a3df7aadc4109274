//! Sign-in: password, errors, two-step password, email code, multi-session.

use crate::prelude::*;

async fn sign_in_password() {
    let f = dev().await;
    let r = f
        .post(
            "/v1/client/sign_ins",
            &[
                ("identifier", EMAIL),
                ("password", PASSWORD),
                ("strategy", "password"),
                ("locale", "en-US"),
                ("timezone", "UTC"),
            ],
        )
        .await;
    r.expect(200);
    let si = &r.json["response"];
    assert_eq!(si["status"], "complete");
    assert_eq!(si["first_factor_verification"]["status"], "verified");
    let sid = si["created_session_id"].as_str().unwrap();
    let client = &r.json["client"];
    assert_eq!(client["last_active_session_id"], sid);
    assert_eq!(client["last_authentication_strategy"], "password");
    assert!(
        client["sign_in"].is_null(),
        "a completed sign-in is detached from the client"
    );
    let session = &client["sessions"][0];
    assert_eq!(session["status"], "active");
    assert_eq!(
        session["user"]["email_addresses"][0]["email_address"],
        EMAIL
    );
    assert_eq!(session["user"]["first_name"], "Demo");
    assert_eq!(session["public_user_data"]["identifier"], EMAIL);
    assert_eq!(
        session["user"]["organization_memberships"][0]["role"],
        "org:admin"
    );
    // Every client payload carries a fresh token for each active session.
    let jwt = session["last_active_token"]["jwt"].as_str().unwrap();
    let (header, claims) = f.verify(jwt).await;
    assert_eq!(header["typ"], "JWT");
    assert_eq!(claims["sid"], sid);
    assert_eq!(claims["sub"], session["user"]["id"]);
    assert_eq!(claims["azp"], ORIGIN);
    assert_eq!(claims["v"], 2);
    assert_eq!(claims["sts"], "active");
    assert_eq!(
        claims["iss"],
        "https://yew-clerk-emulator.clerk.accounts.dev"
    );
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        60
    );
    assert_eq!(
        claims["iat"].as_i64().unwrap() - claims["nbf"].as_i64().unwrap(),
        10
    );
    assert!(claims.get("o").is_none(), "personal account by default");
    // GET /v1/client mints a new token each time.
    let c1 = f.get("/v1/client").await;
    c1.expect(200);
    assert_eq!(c1.json["response"]["sessions"][0]["id"], sid);
    let c = f
        .get(&format!(
            "/v1/client/sign_ins/{}",
            si["id"].as_str().unwrap()
        ))
        .await;
    c.expect(200);
    assert_eq!(c.json["response"]["status"], "complete");
}

async fn sign_in_errors() {
    let f = dev().await;
    let r = password_sign_in(&f, EMAIL, "wrong-password").await;
    r.expect_err(422, "form_password_incorrect");
    assert_eq!(r.json["errors"][0]["meta"]["param_name"], "password");
    assert!(r.json["errors"][0]["long_message"].is_string());
    password_sign_in(&f, "nobody@example.com", "x")
        .await
        .expect_err(422, "form_identifier_not_found");
    sign_in_with(&f, EMAIL, "password")
        .await
        .expect_err(422, "form_param_missing");
    f.post(
        "/v1/client/sign_ins",
        &[("password", PASSWORD), ("strategy", "password")],
    )
    .await
    .expect_err(422, "form_param_missing");
    sign_in_with(&f, EMAIL, "oauth_nope")
        .await
        .expect_err(422, "form_param_format_invalid");
    f.get("/v1/client/sign_ins/sia_unknown")
        .await
        .expect_err(404, "resource_not_found");
    f.post(
        "/v1/client/sign_ins/sia_unknown/attempt_first_factor",
        &[("strategy", "password"), ("password", "x")],
    )
    .await
    .expect_err(404, "resource_not_found");
    // A sign-in with no identifier at all waits for one.
    let r = f.post("/v1/client/sign_ins", &[]).await;
    r.expect(200);
    assert_eq!(r.json["response"]["status"], "needs_identifier");
}

async fn sign_in_two_step_password() {
    let f = dev().await;
    let r = f
        .post("/v1/client/sign_ins", &[("identifier", EMAIL)])
        .await;
    r.expect(200);
    let si = &r.json["response"];
    assert_eq!(si["status"], "needs_first_factor");
    let strategies: Vec<&str> = si["supported_first_factors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["strategy"].as_str().unwrap())
        .collect();
    assert_eq!(
        strategies,
        ["password", "email_code", "reset_password_email_code"]
    );
    assert_eq!(
        si["supported_first_factors"][1]["safe_identifier"],
        "d***@example.com"
    );
    assert_eq!(r.json["client"]["sign_in"]["id"], si["id"]);
    let id = si["id"].as_str().unwrap().to_string();
    let path = format!("/v1/client/sign_ins/{id}/attempt_first_factor");
    f.post(&path, &[("strategy", "password"), ("password", "nope")])
        .await
        .expect_err(422, "form_password_incorrect");
    f.post(&path, &[("strategy", "password")])
        .await
        .expect_err(422, "form_param_missing");
    f.post(&path, &[])
        .await
        .expect_err(422, "form_param_missing");
    let ok = f
        .post(&path, &[("strategy", "password"), ("password", PASSWORD)])
        .await;
    ok.expect(200);
    assert_eq!(ok.json["response"]["status"], "complete");
    assert!(ok.json["response"]["created_session_id"].is_string());
    f.post(&path, &[("strategy", "password"), ("password", PASSWORD)])
        .await
        .expect_err(422, "verification_already_verified");
}

async fn sign_in_email_code() {
    let f = dev().await;
    let r = f
        .post("/v1/client/sign_ins", &[("identifier", EMAIL)])
        .await;
    let id = r.json["response"]["id"].as_str().unwrap().to_string();
    let p = f
        .post(
            &format!("/v1/client/sign_ins/{id}/prepare_first_factor"),
            &[("strategy", "email_code")],
        )
        .await;
    p.expect(200);
    let ffv = &p.json["response"]["first_factor_verification"];
    assert_eq!(ffv["strategy"], "email_code");
    assert_eq!(ffv["status"], "unverified");
    f.post(
        &format!("/v1/client/sign_ins/{id}/prepare_first_factor"),
        &[("strategy", "phone_code")],
    )
    .await
    .expect_err(422, "strategy_for_user_invalid");
    let code = f.code_for(EMAIL).await;
    assert_eq!(code.len(), 6);
    let attempt = format!("/v1/client/sign_ins/{id}/attempt_first_factor");
    f.post(
        &attempt,
        &[("strategy", "email_code"), ("code", wrong(&code))],
    )
    .await
    .expect_err(422, "form_code_incorrect");
    f.post(&attempt, &[("strategy", "email_code")])
        .await
        .expect_err(422, "form_param_missing");
    let ok = f
        .post(&attempt, &[("strategy", "email_code"), ("code", &code)])
        .await;
    ok.expect(200);
    assert_eq!(ok.json["response"]["status"], "complete");
    assert_eq!(
        ok.json["client"]["last_authentication_strategy"],
        "email_code"
    );
    // Creating a sign-in with strategy=email_code prepares the code at once.
    let f2 = dev().await;
    let r = sign_in_with(&f2, EMAIL, "email_code").await;
    r.expect(200);
    assert_eq!(
        r.json["response"]["first_factor_verification"]["strategy"],
        "email_code"
    );
}

async fn multi_session() {
    let f = dev().await;
    control_ok(&f, "/users", json!({"email": "second@example.com", "password": "second-password-1", "first_name": "Second"})).await;
    let (s1, u1) = f.sign_in(EMAIL, PASSWORD).await;
    // The same user again on the same client: identifier_already_signed_in with meta.session_id.
    let again = password_sign_in(&f, EMAIL, PASSWORD).await;
    again.expect_err(400, "identifier_already_signed_in");
    assert_eq!(again.json["errors"][0]["meta"]["session_id"], s1.as_str());
    let (s2, u2) = f.sign_in("second@example.com", "second-password-1").await;
    assert_ne!(u1, u2);
    let c = f.get("/v1/client").await;
    let sessions = c.json["response"]["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 2, "signing in again adds a session");
    assert_eq!(c.json["response"]["last_active_session_id"], s2.as_str());
    for s in sessions {
        assert!(s["last_active_token"]["jwt"].is_string());
    }
    // Select the first session again.
    let t = f
        .post(
            &format!("/v1/client/sessions/{s1}/touch"),
            &[("intent", "select_session"), ("active_organization_id", "")],
        )
        .await;
    t.expect(200);
    assert_eq!(t.json["client"]["last_active_session_id"], s1.as_str());
}

pub(crate) fn trials() -> Vec<Trial> {
    trials![
        sign_in_password,
        sign_in_errors,
        sign_in_two_step_password,
        sign_in_email_code,
        multi_session
    ]
}
