//! Sign-in flows beyond password and email code: second factor (TOTP, phone code, backup
//! code), reset password, phone-code first factor, and the bad-input rules (wrong, expired
//! and too many codes). Every FAPI response body is validated against Clerk's OpenAPI
//! document by `common::finish`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use serde_json::{json, Value};

const LOGIN_PHONE: &str = "+15555550199";

/// Password sign-in of the demo user, which has MFA: returns the sign-in id.
async fn to_second_factor(f: &Fapi) -> (String, Value) {
    let r = password_sign_in(f, EMAIL, PASSWORD).await;
    r.expect(200);
    let si = r.json["response"].clone();
    assert_eq!(si["status"], "needs_second_factor", "{}", r.text);
    assert!(si["created_session_id"].is_null());
    assert!(r.json["client"]["sessions"].as_array().unwrap().is_empty());
    (si["id"].as_str().unwrap().to_string(), si)
}

#[tokio::test]
async fn second_factor_totp() {
    let f = dev().await;
    let mfa = set_mfa(&f, json!({"totp_secret": SECRET})).await;
    assert_eq!(mfa["two_factor_enabled"], true);
    let (id, si) = to_second_factor(&f).await;
    assert_eq!(strategies(&si["supported_second_factors"]), ["totp"]);
    let attempt = format!("/v1/client/sign_ins/{id}/attempt_second_factor");
    let code = totp_now();
    // The control API hands out the same code a test computes from the secret.
    let uid = demo_user_id(&f).await;
    let (_, served) = f
        .control("GET", &format!("/totp?user_id={uid}"), None)
        .await;
    let served = served["code"].as_str().unwrap().to_string();
    assert!(served == code || served == totp_now(), "step boundary");
    f.post(&attempt, &[("strategy", "totp"), ("code", wrong(&code))])
        .await
        .expect_err(422, "form_code_incorrect");
    let g = f.get(&format!("/v1/client/sign_ins/{id}")).await;
    g.expect(200);
    assert_eq!(g.json["response"]["status"], "needs_second_factor");
    assert_eq!(
        g.json["response"]["second_factor_verification"]["object"],
        "verification_totp"
    );
    assert_eq!(
        g.json["response"]["second_factor_verification"]["attempts"],
        1
    );
    f.post(&attempt, &[("strategy", "totp")])
        .await
        .expect_err(422, "form_param_missing");
    f.post(&attempt, &[("strategy", "backup_code"), ("code", "x")])
        .await
        .expect_err(422, "strategy_for_user_invalid");
    let ok = f
        .post(&attempt, &[("strategy", "totp"), ("code", &totp_now())])
        .await;
    ok.expect(200);
    let r = &ok.json["response"];
    assert_eq!(r["status"], "complete");
    assert_eq!(r["second_factor_verification"]["status"], "verified");
    let sid = r["created_session_id"].as_str().unwrap();
    assert_eq!(ok.json["client"]["sessions"][0]["id"], sid);
    assert_eq!(
        ok.json["client"]["last_authentication_strategy"],
        "password"
    );
    // A finished sign-in takes no more attempts.
    f.post(&attempt, &[("strategy", "totp"), ("code", &totp_now())])
        .await
        .expect_err(422, "verification_already_verified");
    assert_bodies_validated();
}

#[tokio::test]
async fn second_factor_phone_code_and_backup_code() {
    let f = dev().await;
    let mfa = set_mfa(
        &f,
        json!({"backup_codes": ["aaaa1111", "bbbb2222"],
               "phone_numbers": [{"phone_number": MFA_PHONE, "second_factor": true}]}),
    )
    .await;
    let phone_id = mfa["phone_numbers"][0]["id"].as_str().unwrap().to_string();
    let (id, si) = to_second_factor(&f).await;
    assert_eq!(
        strategies(&si["supported_second_factors"]),
        ["phone_code", "backup_code"]
    );
    assert_eq!(
        si["supported_second_factors"][0]["phone_number_id"],
        phone_id.as_str()
    );
    assert_eq!(
        si["supported_second_factors"][0]["safe_identifier"],
        "+1******0100"
    );
    let prepare = format!("/v1/client/sign_ins/{id}/prepare_second_factor");
    let attempt = format!("/v1/client/sign_ins/{id}/attempt_second_factor");
    // Attempting before preparing.
    f.post(&attempt, &[("strategy", "phone_code"), ("code", "123456")])
        .await
        .expect_err(422, "strategy_for_user_invalid");
    f.post(&prepare, &[("strategy", "totp")])
        .await
        .expect_err(422, "strategy_for_user_invalid");
    let p = f
        .post(
            &prepare,
            &[("strategy", "phone_code"), ("phone_number_id", &phone_id)],
        )
        .await;
    p.expect(200);
    let sfv = &p.json["response"]["second_factor_verification"];
    assert_eq!(sfv["strategy"], "phone_code");
    assert_eq!(sfv["status"], "unverified");
    let code = phone_code(&f, MFA_PHONE).await;
    assert_eq!(code.len(), 6);
    let ok = wrong_then_right(&f, &attempt, "phone_code", wrong(&code), &code).await;
    assert_eq!(ok.json["response"]["status"], "complete");

    // Backup codes: a second client, each code works once.
    let mut g = f;
    g.new_dev_browser().await;
    let (id, _) = to_second_factor(&g).await;
    let attempt = format!("/v1/client/sign_ins/{id}/attempt_second_factor");
    let ok = wrong_then_right(&g, &attempt, "backup_code", "nope", "aaaa1111").await;
    assert_eq!(ok.json["response"]["status"], "complete");
    assert_eq!(
        ok.json["response"]["second_factor_verification"]["object"],
        "verification_backup_code"
    );
    g.new_dev_browser().await;
    let (id, _) = to_second_factor(&g).await;
    g.post(
        &format!("/v1/client/sign_ins/{id}/attempt_second_factor"),
        &[("strategy", "backup_code"), ("code", "aaaa1111")],
    )
    .await
    .expect_err(422, "form_code_incorrect");
}

#[tokio::test]
async fn second_factor_too_many_attempts_and_expiry() {
    let f = dev().await;
    set_mfa(
        &f,
        json!({"totp_secret": SECRET,
               "phone_numbers": [{"phone_number": MFA_PHONE, "second_factor": true}]}),
    )
    .await;
    let (id, _) = to_second_factor(&f).await;
    let prepare = format!("/v1/client/sign_ins/{id}/prepare_second_factor");
    let attempt = format!("/v1/client/sign_ins/{id}/attempt_second_factor");
    f.post(&prepare, &[("strategy", "phone_code")])
        .await
        .expect(200);
    let code = phone_code(&f, MFA_PHONE).await;
    for _ in 1..5 {
        f.post(
            &attempt,
            &[("strategy", "phone_code"), ("code", wrong(&code))],
        )
        .await
        .expect_err(422, "form_code_incorrect");
    }
    f.post(
        &attempt,
        &[("strategy", "phone_code"), ("code", wrong(&code))],
    )
    .await
    .expect_err(422, "verification_failed");
    // Failed: even the right code is refused until a new one is sent.
    f.post(&attempt, &[("strategy", "phone_code"), ("code", &code)])
        .await
        .expect_err(422, "verification_failed");
    let g = f.get(&format!("/v1/client/sign_ins/{id}")).await;
    assert_eq!(
        g.json["response"]["second_factor_verification"]["status"],
        "failed"
    );
    assert_eq!(g.json["response"]["status"], "needs_second_factor");
    // Retry: a new code.
    f.post(&prepare, &[("strategy", "phone_code")])
        .await
        .expect(200);
    let code = phone_code(&f, MFA_PHONE).await;
    // Expired code.
    let (st, v) = f.control("POST", "/verifications/expire", None).await;
    assert_eq!((st, v["expired"].as_i64()), (200, Some(1)));
    f.post(&attempt, &[("strategy", "phone_code"), ("code", &code)])
        .await
        .expect_err(422, "verification_expired");
    let g = f.get(&format!("/v1/client/sign_ins/{id}")).await;
    assert_eq!(
        g.json["response"]["second_factor_verification"]["status"],
        "expired"
    );
    // Another method still works after a failed one.
    let ok = f
        .post(&attempt, &[("strategy", "totp"), ("code", &totp_now())])
        .await;
    ok.expect(200);
    assert_eq!(ok.json["response"]["status"], "complete");
}

#[tokio::test]
async fn totp_too_many_attempts() {
    let f = dev().await;
    set_mfa(&f, json!({"totp_secret": SECRET})).await;
    let (id, _) = to_second_factor(&f).await;
    let attempt = format!("/v1/client/sign_ins/{id}/attempt_second_factor");
    for n in 1..=5 {
        let want = if n < 5 {
            "form_code_incorrect"
        } else {
            "verification_failed"
        };
        f.post(&attempt, &[("strategy", "totp"), ("code", "abcdef")])
            .await
            .expect_err(422, want);
    }
    f.post(&attempt, &[("strategy", "totp"), ("code", &totp_now())])
        .await
        .expect_err(422, "verification_failed");
    // The documented TOTP statuses are unverified/verified only.
    let g = f.get(&format!("/v1/client/sign_ins/{id}")).await;
    assert_eq!(
        g.json["response"]["second_factor_verification"]["status"],
        "unverified"
    );
}

#[tokio::test]
async fn reset_password_flow() {
    // Another client (dev browser) is signed in as the demo user:
    // sign_out_of_other_sessions revokes its session.
    let mut f = dev().await;
    let (other_sid, _) = f.sign_in(EMAIL, PASSWORD).await;
    f.new_dev_browser().await;

    let r = sign_in_with(&f, EMAIL, "reset_password_email_code").await;
    r.expect(200);
    let si = &r.json["response"];
    assert_eq!(si["status"], "needs_first_factor");
    assert_eq!(
        si["first_factor_verification"]["strategy"],
        "reset_password_email_code"
    );
    assert!(strategies(&si["supported_first_factors"]).contains(&"reset_password_email_code"));
    let id = si["id"].as_str().unwrap().to_string();
    let attempt = format!("/v1/client/sign_ins/{id}/attempt_first_factor");
    let reset = format!("/v1/client/sign_ins/{id}/reset_password");
    // Not yet at needs_new_password.
    f.post(&reset, &[("password", "new-password-456")])
        .await
        .expect_err(422, "strategy_for_user_invalid");
    let code = f.code_for(EMAIL).await;
    let ok = wrong_then_right(
        &f,
        &attempt,
        "reset_password_email_code",
        wrong(&code),
        &code,
    )
    .await;
    assert_eq!(ok.json["response"]["status"], "needs_new_password");
    assert_eq!(
        ok.json["response"]["first_factor_verification"]["status"],
        "verified"
    );
    f.post(&reset, &[("password", "short")])
        .await
        .expect_err(422, "form_password_length_too_short");
    f.post(&reset, &[])
        .await
        .expect_err(422, "form_param_missing");
    let done = f
        .post(
            &reset,
            &[
                ("password", "new-password-456"),
                ("sign_out_of_other_sessions", "true"),
            ],
        )
        .await;
    done.expect(200);
    assert_eq!(done.json["response"]["status"], "complete");
    assert!(done.json["response"]["created_session_id"].is_string());
    let (_, sessions) = f.control("GET", "/sessions", None).await;
    let other = sessions
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == other_sid.as_str())
        .unwrap();
    assert_eq!(other["status"], "revoked");
    // The new password works, the old one does not.
    let mut g = f;
    g.new_dev_browser().await;
    password_sign_in(&g, EMAIL, PASSWORD)
        .await
        .expect_err(422, "form_password_incorrect");
    g.sign_in(EMAIL, "new-password-456").await;
}

#[tokio::test]
async fn reset_password_then_second_factor() {
    let f = dev().await;
    set_mfa(&f, json!({"totp_secret": SECRET})).await;
    let r = sign_in_with(&f, EMAIL, "reset_password_email_code").await;
    let id = r.json["response"]["id"].as_str().unwrap().to_string();
    let code = f.code_for(EMAIL).await;
    f.post(
        &format!("/v1/client/sign_ins/{id}/attempt_first_factor"),
        &[("strategy", "reset_password_email_code"), ("code", &code)],
    )
    .await
    .expect(200);
    let r = f
        .post(
            &format!("/v1/client/sign_ins/{id}/reset_password"),
            &[("password", "new-password-456")],
        )
        .await;
    r.expect(200);
    assert_eq!(r.json["response"]["status"], "needs_second_factor");
}

#[tokio::test]
async fn phone_code_first_factor() {
    let f = dev().await;
    let mfa = set_mfa(
        &f,
        json!({"phone_numbers": [{"phone_number": LOGIN_PHONE}]}),
    )
    .await;
    assert_eq!(mfa["two_factor_enabled"], false);
    let phone_id = mfa["phone_numbers"][0]["id"].as_str().unwrap().to_string();
    // The phone number is an identifier.
    let r = f
        .post("/v1/client/sign_ins", &[("identifier", LOGIN_PHONE)])
        .await;
    r.expect(200);
    let si = &r.json["response"];
    let factor = si["supported_first_factors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["strategy"] == "phone_code")
        .unwrap();
    assert_eq!(factor["phone_number_id"], phone_id.as_str());
    let id = si["id"].as_str().unwrap().to_string();
    f.post(
        &format!("/v1/client/sign_ins/{id}/prepare_first_factor"),
        &[
            ("strategy", "phone_code"),
            ("phone_number_id", "idn_unknown"),
        ],
    )
    .await
    .expect_err(422, "strategy_for_user_invalid");
    let p = f
        .post(
            &format!("/v1/client/sign_ins/{id}/prepare_first_factor"),
            &[("strategy", "phone_code"), ("phone_number_id", &phone_id)],
        )
        .await;
    p.expect(200);
    assert_eq!(
        p.json["response"]["first_factor_verification"]["strategy"],
        "phone_code"
    );
    let code = phone_code(&f, LOGIN_PHONE).await;
    let attempt = format!("/v1/client/sign_ins/{id}/attempt_first_factor");
    let ok = wrong_then_right(&f, &attempt, "phone_code", wrong(&code), &code).await;
    assert_eq!(ok.json["response"]["status"], "complete");
    assert_eq!(
        ok.json["client"]["last_authentication_strategy"],
        "phone_code"
    );
}

#[tokio::test]
async fn email_code_expired_and_too_many() {
    let f = dev().await;
    let r = sign_in_with(&f, EMAIL, "email_code").await;
    let id = r.json["response"]["id"].as_str().unwrap().to_string();
    let code = f.code_for(EMAIL).await;
    let attempt = format!("/v1/client/sign_ins/{id}/attempt_first_factor");
    f.control("POST", "/verifications/expire", None).await;
    f.post(&attempt, &[("strategy", "email_code"), ("code", &code)])
        .await
        .expect_err(422, "verification_expired");
    let g = f.get(&format!("/v1/client/sign_ins/{id}")).await;
    assert_eq!(
        g.json["response"]["first_factor_verification"]["status"],
        "expired"
    );
    // Retry from the same sign-in: a new code.
    f.post(
        &format!("/v1/client/sign_ins/{id}/prepare_first_factor"),
        &[("strategy", "email_code")],
    )
    .await
    .expect(200);
    let code = f.code_for(EMAIL).await;
    for n in 1..=5 {
        let want = if n < 5 {
            "form_code_incorrect"
        } else {
            "verification_failed"
        };
        f.post(
            &attempt,
            &[("strategy", "email_code"), ("code", wrong(&code))],
        )
        .await
        .expect_err(422, want);
    }
    f.post(&attempt, &[("strategy", "email_code"), ("code", &code)])
        .await
        .expect_err(422, "verification_failed");
}

#[tokio::test]
async fn mfa_control_validation() {
    let f = dev().await;
    let uid = demo_user_id(&f).await;
    let path = format!("/users/{uid}/mfa");
    let (st, _) = f
        .control("POST", &path, Some(json!({"totp_secret": "not base32!"})))
        .await;
    assert_eq!(st, 400);
    let (st, _) = f
        .control(
            "POST",
            &path,
            Some(json!({"phone_numbers": [{"phone_number": "555"}]})),
        )
        .await;
    assert_eq!(st, 400);
    let (st, _) = f
        .control("POST", "/users/user_nope/mfa", Some(json!({})))
        .await;
    assert_eq!(st, 404);
    let (st, _) = f
        .control("GET", &format!("/totp?user_id={uid}"), None)
        .await;
    assert_eq!(st, 404);
    // Turning TOTP on and off again.
    let (_, v) = f
        .control("POST", &path, Some(json!({"totp_secret": SECRET})))
        .await;
    assert_eq!(v["totp_enabled"], true);
    let (_, v) = f
        .control("POST", &path, Some(json!({"totp_secret": null})))
        .await;
    assert_eq!(v["totp_enabled"], false);
    // Without MFA a password sign-in completes at once.
    f.sign_in(EMAIL, PASSWORD).await;
}
