//! Session reverification (`/v1/client/sessions/{id}/verify…`), `fva` in tokens and the
//! control API's `factor_age` and `protected` stand-in backend. Every FAPI response body is
//! validated against Clerk's OpenAPI document by `common::finish`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use serde_json::{json, Value};

async fn fva(f: &Fapi, sid: &str) -> Value {
    let jwt = token(f, sid).await;
    f.verify(&jwt).await.1["fva"].clone()
}

async fn age(f: &Fapi, sid: &str, body: Value) -> Value {
    control_ok(f, &format!("/sessions/{sid}/factor_age"), body).await
}

/// `POST /__emulator/protected` with the session's token (or `jwt` as given).
async fn protected(f: &Fapi, jwt: Option<&str>, requirement: Value) -> (u16, Value) {
    let mut rb = f
        .http
        .post(format!("{}/__emulator/protected", f.base))
        .json(&json!({"reverification": requirement}));
    if let Some(t) = jwt {
        rb = rb.bearer_auth(t);
    }
    let r = rb.send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

/// Signs the demo user in through its second factor (TOTP); returns the session id.
async fn sign_in_with_totp(f: &Fapi) -> String {
    set_mfa(
        f,
        json!({"totp_secret": SECRET, "backup_codes": ["aaaa1111"],
               "phone_numbers": [{"phone_number": MFA_PHONE, "second_factor": true}]}),
    )
    .await;
    let r = password_sign_in(f, EMAIL, PASSWORD).await;
    r.expect(200);
    let id = r.json["response"]["id"].as_str().unwrap().to_string();
    let ok = f
        .post(
            &format!("/v1/client/sign_ins/{id}/attempt_second_factor"),
            &[("strategy", "totp"), ("code", &totp_now())],
        )
        .await;
    ok.expect(200);
    ok.json["response"]["created_session_id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn password_reverification_refreshes_fva_and_passes_the_protected_call() {
    let f = dev().await;
    let (sid, _) = f.sign_in(EMAIL, PASSWORD).await;
    // No second factor: never verified.
    assert_eq!(fva(&f, &sid).await, json!([0, -1]));
    let aged = age(&f, &sid, json!({"first_factor_minutes": 20})).await;
    assert_eq!(aged["fva"], json!([20, -1]));
    let stale = token(&f, &sid).await;
    assert_eq!(f.verify(&stale).await.1["fva"], json!([20, -1]));
    let s = f.get(&format!("/v1/client/sessions/{sid}")).await;
    assert_eq!(
        s.json["response"]["factor_verification_age"],
        json!([20, -1])
    );

    // The protected call answers Clerk's reverification error, exactly.
    let (st, body) = protected(&f, Some(&stale), json!("strict")).await;
    assert_eq!(st, 403);
    assert_eq!(
        body,
        json!({"clerk_error": {"type": "forbidden", "reason": "reverification-error",
               "metadata": {"reverification": "strict"}}})
    );

    let verify = format!("/v1/client/sessions/{sid}/verify");
    // No second factor: second_factor falls back to first_factor.
    let r = f.post(&verify, &[("level", "second_factor")]).await;
    r.expect(200);
    let v = &r.json["response"];
    assert_eq!(v["object"], "session_reverification");
    assert_eq!(v["level"], "first_factor");
    assert_eq!(v["status"], "needs_first_factor");
    assert_eq!(
        strategies(&v["supported_first_factors"]),
        ["password", "email_code"]
    );
    assert!(v["supported_second_factors"].is_null());
    assert_eq!(v["session"]["id"], sid.as_str());

    let attempt = format!("{verify}/attempt_first_factor");
    f.post(
        &attempt,
        &[("strategy", "password"), ("password", "nope-nope")],
    )
    .await
    .expect_err(422, "form_password_incorrect");
    // A wrong password leaves the verification retryable.
    let ok = f
        .post(
            &attempt,
            &[("strategy", "password"), ("password", PASSWORD)],
        )
        .await;
    ok.expect(200);
    assert_eq!(ok.json["response"]["status"], "complete");
    assert_eq!(
        ok.json["response"]["first_factor_verification"]["status"],
        "verified"
    );
    assert_eq!(
        ok.json["response"]["session"]["factor_verification_age"],
        json!([0, -1])
    );
    // The old token still says stale; a new one is fresh and passes.
    assert_eq!(protected(&f, Some(&stale), json!("strict")).await.0, 403);
    let fresh = token(&f, &sid).await;
    assert_eq!(f.verify(&fresh).await.1["fva"], json!([0, -1]));
    let (st, body) = protected(&f, Some(&fresh), json!("strict")).await;
    assert_eq!(st, 200, "{body}");
    // A finished verification takes no more attempts.
    f.post(
        &attempt,
        &[("strategy", "password"), ("password", PASSWORD)],
    )
    .await
    .expect_err(422, "verification_already_verified");
    assert_bodies_validated();
}

#[tokio::test]
async fn totp_second_factor_reverification() {
    let f = dev().await;
    let sid = sign_in_with_totp(&f).await;
    // A sign-in through the second factor starts both ages.
    assert_eq!(fva(&f, &sid).await, json!([0, 0]));
    age(
        &f,
        &sid,
        json!({"first_factor_minutes": 30, "second_factor_minutes": 30}),
    )
    .await;
    let stale = token(&f, &sid).await;
    assert_eq!(protected(&f, Some(&stale), json!("strict")).await.0, 403);

    let verify = format!("/v1/client/sessions/{sid}/verify");
    let r = f.post(&verify, &[("level", "second_factor")]).await;
    r.expect(200);
    let v = &r.json["response"];
    assert_eq!(v["level"], "second_factor");
    assert_eq!(v["status"], "needs_second_factor");
    assert_eq!(
        strategies(&v["supported_second_factors"]),
        ["totp", "phone_code", "backup_code"]
    );
    // The first factor is not the step here.
    f.post(
        &format!("{verify}/attempt_first_factor"),
        &[("strategy", "password"), ("password", PASSWORD)],
    )
    .await
    .expect_err(422, "strategy_for_user_invalid");
    let attempt = format!("{verify}/attempt_second_factor");
    let code = totp_now();
    f.post(&attempt, &[("strategy", "totp"), ("code", wrong(&code))])
        .await
        .expect_err(422, "form_code_incorrect");
    f.post(&attempt, &[("strategy", "totp")])
        .await
        .expect_err(422, "form_param_missing");
    let ok = f
        .post(&attempt, &[("strategy", "totp"), ("code", &totp_now())])
        .await;
    ok.expect(200);
    let v = &ok.json["response"];
    assert_eq!(v["status"], "complete");
    assert_eq!(
        v["second_factor_verification"]["object"],
        "verification_totp"
    );
    assert_eq!(v["second_factor_verification"]["attempts"], 2);
    // Only the second factor was verified again.
    assert_eq!(fva(&f, &sid).await, json!([30, 0]));
    let fresh = token(&f, &sid).await;
    assert_eq!(protected(&f, Some(&fresh), json!("strict")).await.0, 200);
    // strict_mfa needs both.
    let (st, body) = protected(&f, Some(&fresh), json!("strict_mfa")).await;
    assert_eq!(st, 403);
    assert_eq!(
        body["clerk_error"]["metadata"]["reverification"],
        "strict_mfa"
    );
}

#[tokio::test]
async fn multi_factor_email_code_then_phone_code_with_expiry_and_backup_code() {
    let f = dev().await;
    let sid = sign_in_with_totp(&f).await;
    age(
        &f,
        &sid,
        json!({"first_factor_minutes": 15, "second_factor_minutes": 15}),
    )
    .await;
    let verify = format!("/v1/client/sessions/{sid}/verify");
    let r = f.post(&verify, &[("level", "multi_factor")]).await;
    r.expect(200);
    assert_eq!(r.json["response"]["status"], "needs_first_factor");
    let email_id = r.json["response"]["supported_first_factors"][1]["email_address_id"]
        .as_str()
        .unwrap()
        .to_string();
    let prepare = format!("{verify}/prepare_first_factor");
    let attempt = format!("{verify}/attempt_first_factor");
    // A code attempt before preparing.
    f.post(&attempt, &[("strategy", "email_code"), ("code", "123456")])
        .await
        .expect_err(422, "strategy_for_user_invalid");
    f.post(
        &prepare,
        &[
            ("strategy", "email_code"),
            ("email_address_id", "idn_other"),
        ],
    )
    .await
    .expect_err(404, "resource_not_found");
    let p = f
        .post(
            &prepare,
            &[("strategy", "email_code"), ("email_address_id", &email_id)],
        )
        .await;
    p.expect(200);
    assert_eq!(
        p.json["response"]["first_factor_verification"]["status"],
        "unverified"
    );
    // Expired code: verification_expired, then prepare again.
    let code = f.code_for(EMAIL).await;
    let (st, v) = f.control("POST", "/verifications/expire", None).await;
    assert_eq!(st, 200);
    assert!(v["expired"].as_i64().unwrap() >= 1);
    f.post(&attempt, &[("strategy", "email_code"), ("code", &code)])
        .await
        .expect_err(422, "verification_expired");
    f.post(&prepare, &[("strategy", "email_code")])
        .await
        .expect(200);
    let code = f.code_for(EMAIL).await;
    let r = wrong_then_right(&f, &attempt, "email_code", wrong(&code), &code).await;
    assert_eq!(r.json["response"]["status"], "needs_second_factor");
    assert_eq!(fva(&f, &sid).await, json!([0, 15]));

    // Second factor by backup code; it works once.
    let attempt2 = format!("{verify}/attempt_second_factor");
    let ok = wrong_then_right(&f, &attempt2, "backup_code", "zzzz", "aaaa1111").await;
    assert_eq!(ok.json["response"]["status"], "complete");
    assert_eq!(fva(&f, &sid).await, json!([0, 0]));
    let r = f.post(&verify, &[("level", "second_factor")]).await;
    r.expect(200);
    assert_eq!(
        strategies(&r.json["response"]["supported_second_factors"]),
        ["totp", "phone_code"]
    );
    // Phone code second factor.
    let p = f
        .post(
            &format!("{verify}/prepare_second_factor"),
            &[("strategy", "phone_code")],
        )
        .await;
    p.expect(200);
    let (_, c) = f
        .control("GET", "/verification_codes?phone=%2B15555550100", None)
        .await;
    let ok = f
        .post(
            &attempt2,
            &[
                ("strategy", "phone_code"),
                ("code", c["code"].as_str().unwrap()),
            ],
        )
        .await;
    ok.expect(200);
    assert_eq!(ok.json["response"]["status"], "complete");
}

#[tokio::test]
async fn bad_input_session_ids_levels_and_order() {
    let mut f = dev().await;
    let (sid, _) = f.sign_in(EMAIL, PASSWORD).await;
    let verify = format!("/v1/client/sessions/{sid}/verify");
    // Steps before a verification is started.
    f.post(
        &format!("{verify}/attempt_first_factor"),
        &[("strategy", "password"), ("password", PASSWORD)],
    )
    .await
    .expect_err(404, "resource_not_found");
    f.post(&verify, &[])
        .await
        .expect_err(422, "form_param_missing");
    f.post(&verify, &[("level", "third_factor")])
        .await
        .expect_err(422, "form_param_format_invalid");
    // Unknown session id, and another browser's session: 404, nothing changes.
    f.post(
        "/v1/client/sessions/sess_unknown/verify",
        &[("level", "first_factor")],
    )
    .await
    .expect_err(404, "resource_not_found");
    // Another browser (its own dev browser, no client) names this session.
    let mine = f.dvb.clone();
    f.new_dev_browser().await;
    f.post(&verify, &[("level", "first_factor")])
        .await
        .expect_err(404, "resource_not_found");
    f.post(
        &format!("{verify}/attempt_first_factor"),
        &[("strategy", "password"), ("password", PASSWORD)],
    )
    .await
    .expect_err(404, "resource_not_found");
    f.dvb = mine;
    // Second-factor steps on a first-factor verification.
    f.post(&verify, &[("level", "first_factor")])
        .await
        .expect(200);
    f.post(
        &format!("{verify}/prepare_second_factor"),
        &[("strategy", "phone_code")],
    )
    .await
    .expect_err(422, "strategy_for_user_invalid");
    f.post(
        &format!("{verify}/prepare_first_factor"),
        &[("strategy", "passkey")],
    )
    .await
    .expect_err(422, "strategy_for_user_invalid");
    // A signed-out session cannot reverify.
    f.post(&format!("/v1/client/sessions/{sid}/end"), &[])
        .await
        .expect(200);
    f.post(&verify, &[("level", "first_factor")])
        .await
        .expect_err(401, "signed_out");
}

#[tokio::test]
async fn protected_stand_in_refuses_missing_tampered_and_custom_requirements() {
    let f = dev().await;
    let (sid, _) = f.sign_in(EMAIL, PASSWORD).await;
    let jwt = token(&f, &sid).await;
    assert_eq!(protected(&f, None, json!("strict")).await.0, 401);
    // A token whose claims were edited (fva made fresh) fails its signature.
    let mut parts: Vec<String> = jwt.split('.').map(str::to_string).collect();
    parts[1].push('A');
    let (st, body) = protected(&f, Some(&parts.join(".")), json!("strict")).await;
    assert_eq!(st, 401);
    assert_eq!(body["clerk_error"]["type"], "unauthorized");
    assert_eq!(protected(&f, Some(&jwt), json!("bogus")).await.0, 400);
    // Custom requirement: metadata is {level, afterMinutes}, as Clerk's ReverificationConfig.
    age(&f, &sid, json!({"first_factor_minutes": 5})).await;
    let jwt = token(&f, &sid).await;
    let custom = json!({"level": "first_factor", "after_minutes": 3});
    let (st, body) = protected(&f, Some(&jwt), custom).await;
    assert_eq!(st, 403);
    assert_eq!(
        body["clerk_error"]["metadata"]["reverification"],
        json!({"level": "first_factor", "afterMinutes": 3})
    );
    assert_eq!(
        protected(
            &f,
            Some(&jwt),
            json!({"level": "first_factor", "afterMinutes": 6})
        )
        .await
        .0,
        200
    );
    // Bounds of the control call.
    let (st, _) = f
        .control(
            "POST",
            &format!("/sessions/{sid}/factor_age"),
            Some(json!({"first_factor_minutes": -1})),
        )
        .await;
    assert_eq!(st, 400);
    let (st, _) = f
        .control(
            "POST",
            "/sessions/sess_nope/factor_age",
            Some(json!({"first_factor_minutes": 1})),
        )
        .await;
    assert_eq!(st, 404);
}
