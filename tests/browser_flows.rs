//! Browser tests of the custom sign-in flows of `use_sign_in` against the real emulator:
//! second factor (TOTP, phone code, backup code), forgot/reset password, phone-code
//! sign-in, and the bad-input errors (wrong, expired, too many codes) the form recovers
//! from. Tests run one at a time and share the emulator, so each starts with `reset()`.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::cell::RefCell;

use common::*;
use serde_json::{json, Value};
use wasm_bindgen_test::*;
use yew::prelude::*;
use yew_clerk::client::flows::{SecondFactorStrategy, SignInStatus};
use yew_clerk::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

const MFA_PHONE: &str = "+15555550100";
const LOGIN_PHONE: &str = "+15555550199";

thread_local! {
    static SIGN_IN: RefCell<Option<UseSignInHandle>> = const { RefCell::new(None) };
}

/// Renders `use_sign_in`'s state and keeps its latest handle for the test.
#[component]
fn SignInProbe() -> Html {
    let sign_in = use_sign_in();
    SIGN_IN.with(|s| *s.borrow_mut() = Some(sign_in.clone()));
    let code = sign_in
        .error()
        .and_then(|e| e.code().map(str::to_string))
        .unwrap_or_default();
    html! {
        <span>
            { format!("[sign-in:{:?}:{}:{}]", sign_in.sign_in().map(|s| s.status.clone()), code, sign_in.pending()) }
        </span>
    }
}

fn handle() -> UseSignInHandle {
    SIGN_IN
        .with(|s| s.borrow().clone())
        .expect("SignInProbe rendered")
}

fn wrong(code: &str) -> &'static str {
    if code == "000000" {
        "111111"
    } else {
        "000000"
    }
}

/// Sets the demo user's MFA on the emulator at `base`.
async fn set_mfa_at(base: &str, body: Value) -> Value {
    let users = control_at(base, "GET", "users", None).await;
    let id = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email_addresses"][0]["email_address"] == EMAIL)
        .expect("demo user")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut v = control_at(base, "POST", &format!("users/{id}/mfa"), Some(body)).await;
    v["user_id"] = json!(id);
    v
}

async fn totp_at(base: &str, user_id: &str) -> String {
    let v = control_at(base, "GET", &format!("totp?user_id={user_id}"), None).await;
    v["code"].as_str().unwrap().to_string()
}

async fn phone_code(phone: &str) -> String {
    let v = control(
        "GET",
        &format!("verification_codes?phone={}", phone.replace('+', "%2B")),
        None,
    )
    .await;
    v["code"].as_str().expect("a code was texted").to_string()
}

async fn email_code() -> String {
    let v = control("GET", &format!("verification_codes?email={EMAIL}"), None).await;
    v["code"].as_str().expect("a code was sent").to_string()
}

/// Mounts the probe and signs in with the password; the user has MFA, so the flow stops
/// at `needs_second_factor`, signed out.
async fn mount_at_second_factor() -> (Mounted, web_sys::Element) {
    let (app, root) = mount(html! { <><AuthView /><SignInProbe /></> }).await;
    wait_text(&root, 10_000, |t| t.contains("[auth:signed-out]")).await;
    let si = handle().with_password(EMAIL, PASSWORD).await.unwrap();
    assert_eq!(si.status, SignInStatus::NeedsSecondFactor);
    let text = wait_text(&root, 5_000, |t| {
        t.contains("[sign-in:Some(NeedsSecondFactor)::false]")
    })
    .await;
    assert!(text.contains("[auth:signed-out]"), "{text}");
    (app, root)
}

#[wasm_bindgen_test]
async fn totp_second_factor_signs_in_after_a_wrong_code() {
    reset().await;
    let mfa = set_mfa_at(emulator(), json!({"totp_secret": SECRET})).await;
    let uid = mfa["user_id"].as_str().unwrap().to_string();
    let (app, root) = mount_at_second_factor().await;
    let si = handle().sign_in().cloned().unwrap();
    assert!(si.second_factor(SecondFactorStrategy::Totp).is_some());
    let code = totp_at(emulator(), &uid).await;
    let err = handle()
        .attempt_second_factor(SecondFactorStrategy::Totp, wrong(&code))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("form_code_incorrect"), "{err:?}");
    // The state keeps the sign-in: the user can type the code again.
    wait_text(&root, 5_000, |t| {
        t.contains("[sign-in:Some(NeedsSecondFactor):form_code_incorrect:false]")
    })
    .await;
    let code = totp_at(emulator(), &uid).await;
    let done = handle()
        .attempt_second_factor(SecondFactorStrategy::Totp, &code)
        .await
        .unwrap();
    assert!(done.created_session_id.is_some());
    let text = wait_signed_in(&root).await;
    assert!(text.contains("[sign-in:Some(Complete)::false]"), "{text}");
    app.destroy();
}

#[wasm_bindgen_test]
async fn phone_code_second_factor_and_a_failed_verification() {
    reset().await;
    set_mfa_at(
        emulator(),
        json!({"phone_numbers": [{"phone_number": MFA_PHONE, "second_factor": true}],
               "backup_codes": ["bkp-one-1234"]}),
    )
    .await;
    let (app, root) = mount_at_second_factor().await;
    let prepared = handle().prepare_second_factor().await.unwrap();
    assert_eq!(prepared.status, SignInStatus::NeedsSecondFactor);
    let code = phone_code(MFA_PHONE).await;
    // Five wrong codes fail the verification; the right one is then refused too.
    for _ in 0..4 {
        let e = handle()
            .attempt_second_factor(SecondFactorStrategy::PhoneCode, wrong(&code))
            .await
            .unwrap_err();
        assert_eq!(e.code(), Some("form_code_incorrect"));
    }
    let e = handle()
        .attempt_second_factor(SecondFactorStrategy::PhoneCode, wrong(&code))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("verification_failed"));
    let e = handle()
        .attempt_second_factor(SecondFactorStrategy::PhoneCode, &code)
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("verification_failed"));
    wait_text(&root, 5_000, |t| {
        t.contains("[sign-in:Some(NeedsSecondFactor):verification_failed:false]")
    })
    .await;
    // Recover: a new code.
    handle().prepare_second_factor().await.unwrap();
    let code = phone_code(MFA_PHONE).await;
    handle()
        .attempt_second_factor(SecondFactorStrategy::PhoneCode, &code)
        .await
        .unwrap();
    wait_signed_in(&root).await;
    app.destroy();
}

#[wasm_bindgen_test]
async fn backup_code_second_factor_works_once() {
    reset().await;
    set_mfa_at(emulator(), json!({"backup_codes": ["bkp-one-1234"]})).await;
    let (app, root) = mount_at_second_factor().await;
    handle()
        .attempt_second_factor(SecondFactorStrategy::BackupCode, "bkp-one-1234")
        .await
        .unwrap();
    wait_signed_in(&root).await;
    app.destroy();
}

#[wasm_bindgen_test]
async fn forgot_password_sets_a_new_one_and_signs_in() {
    reset().await;
    let (app, root) = mount(html! { <><AuthView /><SignInProbe /></> }).await;
    wait_text(&root, 10_000, |t| t.contains("[auth:signed-out]")).await;
    let started = handle().forgot_password(EMAIL).await.unwrap();
    assert_eq!(started.status, SignInStatus::NeedsFirstFactor);
    yew::scheduler::flush().await;
    let code = email_code().await;
    let e = handle()
        .attempt_reset_password_code(wrong(&code))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("form_code_incorrect"));
    let si = handle().attempt_reset_password_code(&code).await.unwrap();
    assert_eq!(si.status, SignInStatus::NeedsNewPassword);
    wait_text(&root, 5_000, |t| {
        t.contains("[sign-in:Some(NeedsNewPassword)::false]")
    })
    .await;
    let e = handle().reset_password("short", true).await.unwrap_err();
    assert_eq!(e.code(), Some("form_password_length_too_short"));
    wait_text(&root, 5_000, |t| {
        t.contains("[sign-in:Some(NeedsNewPassword):form_password_length_too_short:false]")
    })
    .await;
    let done = handle()
        .reset_password("brand-new-password-1", true)
        .await
        .unwrap();
    assert_eq!(done.status, SignInStatus::Complete);
    wait_signed_in(&root).await;
    app.destroy();
    // The new password is the one that works now.
    clear_browser_state();
    sign_in(EMAIL, "brand-new-password-1").await;
}

#[wasm_bindgen_test]
async fn phone_code_sign_in_recovers_from_an_expired_code() {
    reset().await;
    set_mfa_at(
        emulator(),
        json!({"phone_numbers": [{"phone_number": LOGIN_PHONE}]}),
    )
    .await;
    let (app, root) = mount(html! { <><AuthView /><SignInProbe /></> }).await;
    wait_text(&root, 10_000, |t| t.contains("[auth:signed-out]")).await;
    handle().with_phone_code(LOGIN_PHONE).await.unwrap();
    let code = phone_code(LOGIN_PHONE).await;
    control("POST", "verifications/expire", None).await;
    let e = handle().attempt_phone_code(&code).await.unwrap_err();
    assert_eq!(e.code(), Some("verification_expired"));
    wait_text(&root, 5_000, |t| {
        t.contains("[sign-in:Some(NeedsFirstFactor):verification_expired:false]")
    })
    .await;
    // A fresh code on the same sign-in.
    let id = handle().sign_in().map(|s| s.id.clone());
    let resent = handle().resend_code().await.unwrap();
    assert_eq!(Some(resent.id), id);
    let code = phone_code(LOGIN_PHONE).await;
    handle().attempt_phone_code(&code).await.unwrap();
    wait_signed_in(&root).await;
    app.destroy();
}

#[wasm_bindgen_test]
async fn totp_second_factor_on_a_production_instance() {
    reset().await;
    control_at(emulator_live(), "POST", "reset", None).await;
    let mfa = set_mfa_at(emulator_live(), json!({"totp_secret": SECRET})).await;
    let uid = mfa["user_id"].as_str().unwrap().to_string();
    let c = control_at(emulator_live(), "GET", "config", None).await;
    let (app, root) = mount_with_key(
        c["publishable_key"].as_str().unwrap(),
        c["proxy_url"].as_str().unwrap(),
        html! { <><AuthView /><SignInProbe /></> },
    );
    wait_text(&root, 10_000, |t| t.contains("[auth:signed-out]")).await;
    let si = handle().with_password(EMAIL, PASSWORD).await.unwrap();
    assert_eq!(si.status, SignInStatus::NeedsSecondFactor);
    let code = totp_at(emulator_live(), &uid).await;
    handle()
        .attempt_second_factor(SecondFactorStrategy::Totp, &code)
        .await
        .unwrap();
    wait_signed_in(&root).await;
    app.destroy();
    control_at(emulator_live(), "POST", "reset", None).await;
    clear_browser_state();
}
