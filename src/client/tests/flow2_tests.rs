//! Host tests: second factor, reset password and phone-code sign-in (issue 14), with the
//! fake FAPI routes they need. Test-only: compiled under #[cfg(test)].
//!
//! The routes here answer only while [`Mfa::on`] is set for the test's thread; every
//! other test keeps the plain sign-in routes of `flows_fake.rs`.

use super::fakes::*;
use super::flows_fake::CODE;
use super::oauth_fake::{flow_harness, json, ok, Cell, HttpResponse, TransportError, Value};
use crate::client::flows::{SecondFactorStrategy, SignInStatus};

const TOTP: &str = "287082";
const PHONE_2FA_CODE: &str = "135790";
const BACKUP: &str = "bkp-1";

thread_local! {
    static ON: Cell<bool> = const { Cell::new(false) };
}

/// Turns the MFA routes on for this thread until dropped.
struct Mfa;

impl Mfa {
    fn on() -> Mfa {
        ON.with(|o| o.set(true));
        Mfa
    }
}

impl Drop for Mfa {
    fn drop(&mut self) {
        ON.with(|o| o.set(false));
    }
}

fn err(code: &str) -> Result<HttpResponse, TransportError> {
    Ok(FakeFapi::respond_err(422, code))
}

fn complete(
    fapi: &mut FakeFapi,
    mut sign_in: Value,
    now: i64,
) -> Result<HttpResponse, TransportError> {
    let sid = fapi.sign_in_session("user_1", now);
    sign_in["status"] = json!("complete");
    sign_in["created_session_id"] = json!(sid);
    fapi.sign_in = None;
    ok(fapi, &sign_in, now)
}

/// The MFA-aware sign-in routes (`None`: not handled here).
pub(crate) fn route(
    fapi: &mut FakeFapi,
    method: &str,
    parts: &[&str],
    rec: &Rec,
    now: i64,
) -> Option<Result<HttpResponse, TransportError>> {
    if method != "POST" || !ON.with(Cell::get) {
        return None;
    }
    let current = |fapi: &FakeFapi, id: &str| fapi.sign_in.clone().filter(|s| s["id"] == id);
    Some(match parts {
        ["client", "sign_ins"] => {
            if rec.form("identifier").as_deref() != Some("ada@example.com")
                && rec.form("identifier").as_deref() != Some("+15555550199")
            {
                return Some(err("form_identifier_not_found"));
            }
            fapi.has_client = true;
            let id = fapi.next_id("sia");
            let mut sign_in = json!({"object":"sign_in_attempt","id": id,
                "status":"needs_first_factor","identifier": rec.form("identifier"),
                "created_session_id": null,
                "supported_first_factors": [
                    {"strategy":"password"},
                    {"strategy":"phone_code","phone_number_id":"idn_p1","safe_identifier":"+1******0199"},
                    {"strategy":"reset_password_email_code","email_address_id":"idn_1"}
                ],
                "supported_second_factors": null});
            match rec.form("strategy").as_deref() {
                Some("password") => {
                    if rec.form("password").as_deref() != Some("correct horse") {
                        return Some(err("form_password_incorrect"));
                    }
                    sign_in["status"] = json!("needs_second_factor");
                    sign_in["supported_second_factors"] = json!([
                        {"strategy":"totp"},
                        {"strategy":"phone_code","phone_number_id":"idn_p0","safe_identifier":"+1******0100"},
                        {"strategy":"phone_code","phone_number_id":"idn_p2","safe_identifier":"+1******0102","default":true},
                        {"strategy":"backup_code"}
                    ]);
                }
                Some("reset_password_email_code") => {
                    fapi.codes.insert(id.clone(), CODE.into());
                    sign_in["first_factor_verification"] = json!({"status":"unverified",
                        "strategy":"reset_password_email_code","attempts":0});
                }
                _ => {}
            }
            fapi.sign_in = Some(sign_in.clone());
            ok(fapi, &sign_in, now)
        }
        ["client", "sign_ins", id, "prepare_first_factor"] => {
            let Some(mut sign_in) = current(fapi, id) else {
                return Some(Ok(FakeFapi::respond_err(404, "resource_not_found")));
            };
            if rec.form("strategy").as_deref() != Some("phone_code")
                || rec.form("phone_number_id").as_deref() != Some("idn_p1")
            {
                return Some(err("form_param_invalid"));
            }
            fapi.codes.insert(id.to_string(), CODE.into());
            sign_in["first_factor_verification"] =
                json!({"status":"unverified","strategy":"phone_code","attempts":0});
            fapi.sign_in = Some(sign_in.clone());
            ok(fapi, &sign_in, now)
        }
        ["client", "sign_ins", id, "attempt_first_factor"] => {
            let Some(mut sign_in) = current(fapi, id) else {
                return Some(Ok(FakeFapi::respond_err(404, "resource_not_found")));
            };
            if fapi.codes.get(*id) != rec.form("code").as_ref() {
                return Some(err("form_code_incorrect"));
            }
            let strategy = rec.form("strategy").unwrap_or_default();
            sign_in["first_factor_verification"] =
                json!({"status":"verified","strategy": strategy,"attempts":1});
            if strategy == "reset_password_email_code" {
                sign_in["status"] = json!("needs_new_password");
                fapi.sign_in = Some(sign_in.clone());
                return Some(ok(fapi, &sign_in, now));
            }
            complete(fapi, sign_in, now)
        }
        ["client", "sign_ins", id, "reset_password"] => {
            let Some(sign_in) = current(fapi, id).filter(|s| s["status"] == "needs_new_password")
            else {
                return Some(err("strategy_for_user_invalid"));
            };
            if rec.form("password").unwrap_or_default().len() < 8 {
                return Some(err("form_password_length_too_short"));
            }
            complete(fapi, sign_in, now)
        }
        ["client", "sign_ins", id, "prepare_second_factor"] => {
            let Some(mut sign_in) = current(fapi, id) else {
                return Some(Ok(FakeFapi::respond_err(404, "resource_not_found")));
            };
            if rec.form("strategy").as_deref() != Some("phone_code") {
                return Some(err("strategy_for_user_invalid"));
            }
            fapi.codes.insert(
                format!("2fa {}", rec.form("phone_number_id").unwrap_or_default()),
                PHONE_2FA_CODE.into(),
            );
            sign_in["second_factor_verification"] =
                json!({"status":"unverified","strategy":"phone_code","attempts":0});
            fapi.sign_in = Some(sign_in.clone());
            ok(fapi, &sign_in, now)
        }
        ["client", "sign_ins", id, "attempt_second_factor"] => {
            let Some(mut sign_in) = current(fapi, id) else {
                return Some(Ok(FakeFapi::respond_err(404, "resource_not_found")));
            };
            let code = rec.form("code").unwrap_or_default();
            let strategy = rec.form("strategy").unwrap_or_default();
            let right = match strategy.as_str() {
                "totp" => code == TOTP,
                "backup_code" => code == BACKUP,
                "phone_code" => fapi
                    .codes
                    .values()
                    .any(|c| *c == code && c == PHONE_2FA_CODE),
                _ => return Some(err("strategy_for_user_invalid")),
            };
            if !right {
                return Some(err("form_code_incorrect"));
            }
            sign_in["second_factor_verification"] =
                json!({"status":"verified","strategy": strategy,"attempts":1});
            complete(fapi, sign_in, now)
        }
        _ => return None,
    })
}

fn signed_in(tab: &Tab) -> Option<bool> {
    tab.clerk.state().auth(true).is_signed_in
}

/// Password sign-in of Ada, who has MFA: stops at `needs_second_factor`.
fn to_second_factor(h: &Harness, tab: &Tab) -> crate::client::flows::SignIn {
    let c = tab.clerk.clone();
    let si = h
        .run(async move {
            c.sign_in_with_password("ada@example.com", "correct horse")
                .await
        })
        .unwrap();
    assert_eq!(si.status, SignInStatus::NeedsSecondFactor);
    assert_eq!(si.created_session_id, None);
    assert_eq!(
        signed_in(tab),
        Some(false),
        "no session before the second factor"
    );
    assert!(si.second_factor(SecondFactorStrategy::Totp).is_some());
    si
}

#[test]
fn totp_second_factor_completes_and_activates() {
    let _mfa = Mfa::on();
    let h = flow_harness();
    let tab = h.loaded_tab();
    let si = to_second_factor(&h, &tab);
    let (c, id) = (tab.clerk.clone(), si.id.clone());
    let e = h
        .run(async move {
            c.sign_in_attempt_second_factor(&id, SecondFactorStrategy::Totp, "000000")
                .await
        })
        .unwrap_err();
    assert_eq!(e.code(), Some("form_code_incorrect"));
    assert_eq!(signed_in(&tab), Some(false));
    // Retry on the same sign-in.
    let (c, id) = (tab.clerk.clone(), si.id.clone());
    let done = h
        .run(async move {
            c.sign_in_attempt_second_factor(&id, SecondFactorStrategy::Totp, TOTP)
                .await
        })
        .unwrap();
    assert_eq!(done.status, SignInStatus::Complete);
    assert_eq!(signed_in(&tab), Some(true));
    assert_eq!(
        tab.clerk.state().auth(true).user_id.as_deref(),
        Some("user_1")
    );
    let f = h.fapi.borrow();
    let attempt = f
        .log
        .iter()
        .rfind(|r| r.path.ends_with("/attempt_second_factor"))
        .unwrap();
    assert_eq!(attempt.form("strategy").as_deref(), Some("totp"));
    assert_eq!(attempt.form("code").as_deref(), Some(TOTP));
    assert_eq!(
        f.log.last().unwrap().path,
        "/v1/client/sessions/sess_1/touch"
    );
}

#[test]
fn phone_code_second_factor_uses_the_default_phone() {
    let _mfa = Mfa::on();
    let h = Harness::new(false);
    let tab = h.loaded_tab();
    let si = to_second_factor(&h, &tab);
    let c = tab.clerk.clone();
    let prepared = h
        .run(async move { c.sign_in_prepare_phone_code_second_factor(&si).await })
        .unwrap();
    assert_eq!(
        prepared
            .second_factor_verification
            .as_ref()
            .map(|v| v.status.clone()),
        Some(crate::core::models::VerificationStatus::Unverified)
    );
    let prepare = h
        .fapi
        .borrow()
        .log
        .iter()
        .rfind(|r| r.path.ends_with("/prepare_second_factor"))
        .cloned()
        .unwrap();
    assert_eq!(prepare.form("phone_number_id").as_deref(), Some("idn_p2"));
    let (c, id) = (tab.clerk.clone(), prepared.id.clone());
    let done = h
        .run(async move {
            c.sign_in_attempt_second_factor(&id, SecondFactorStrategy::PhoneCode, PHONE_2FA_CODE)
                .await
        })
        .unwrap();
    assert_eq!(done.status, SignInStatus::Complete);
    assert_eq!(signed_in(&tab), Some(true));
}

#[test]
fn backup_code_second_factor() {
    let _mfa = Mfa::on();
    let h = flow_harness();
    let tab = h.loaded_tab();
    let si = to_second_factor(&h, &tab);
    let c = tab.clerk.clone();
    let done = h
        .run(async move {
            c.sign_in_attempt_second_factor(&si.id, SecondFactorStrategy::BackupCode, BACKUP)
                .await
        })
        .unwrap();
    assert_eq!(done.status, SignInStatus::Complete);
    assert_eq!(signed_in(&tab), Some(true));
}

#[test]
fn phone_second_factor_needs_a_phone_factor() {
    let _mfa = Mfa::on();
    let h = flow_harness();
    let tab = h.loaded_tab();
    let mut si = to_second_factor(&h, &tab);
    si.supported_second_factors
        .retain(|f| f.strategy != "phone_code");
    let before = h.fapi.borrow().log.len();
    let c = tab.clerk.clone();
    let e = h
        .run(async move { c.sign_in_prepare_phone_code_second_factor(&si).await })
        .unwrap_err();
    assert!(matches!(e, crate::ClerkError::FlowStep(_)), "{e:?}");
    assert!(e.to_string().contains("totp, backup_code"), "{e}");
    assert_eq!(h.fapi.borrow().log.len(), before, "no request sent");
}

#[test]
fn expired_and_failed_codes_are_typed_and_retryable() {
    let _mfa = Mfa::on();
    let h = flow_harness();
    let tab = h.loaded_tab();
    let si = to_second_factor(&h, &tab);
    let path = format!("POST /v1/client/sign_ins/{}/attempt_second_factor", si.id);
    for code in ["verification_expired", "verification_failed"] {
        h.fapi
            .borrow_mut()
            .fault(&path, Fault::Status(422, code.into()), 1);
        let (c, id) = (tab.clerk.clone(), si.id.clone());
        let e = h
            .run(async move {
                c.sign_in_attempt_second_factor(&id, SecondFactorStrategy::PhoneCode, "1")
                    .await
            })
            .unwrap_err();
        assert_eq!(e.code(), Some(code));
        assert!(matches!(e, crate::ClerkError::Api { status: 422, .. }));
        assert_eq!(signed_in(&tab), Some(false));
    }
    // Another factor still works on the same sign-in.
    let c = tab.clerk.clone();
    let done = h
        .run(async move {
            c.sign_in_attempt_second_factor(&si.id, SecondFactorStrategy::Totp, TOTP)
                .await
        })
        .unwrap();
    assert_eq!(done.status, SignInStatus::Complete);
}

#[test]
fn forgot_password_resets_and_signs_in() {
    let _mfa = Mfa::on();
    let h = flow_harness();
    let tab = h.loaded_tab();
    let c = tab.clerk.clone();
    let si = h
        .run(async move { c.sign_in_reset_password_email_code("ada@example.com").await })
        .unwrap();
    assert_eq!(si.status, SignInStatus::NeedsFirstFactor);
    {
        let f = h.fapi.borrow();
        assert_eq!(f.count("POST /v1/client/sign_ins"), 1, "one request");
        let create = f.log.last().unwrap();
        assert_eq!(
            create.form("strategy").as_deref(),
            Some("reset_password_email_code")
        );
    }
    let (c, id) = (tab.clerk.clone(), si.id.clone());
    let e = h
        .run(async move {
            c.sign_in_attempt_reset_password_email_code(&id, "999999")
                .await
        })
        .unwrap_err();
    assert_eq!(e.code(), Some("form_code_incorrect"));
    let (c, id) = (tab.clerk.clone(), si.id.clone());
    let si = h
        .run(async move { c.sign_in_attempt_reset_password_email_code(&id, CODE).await })
        .unwrap();
    assert_eq!(si.status, SignInStatus::NeedsNewPassword);
    assert_eq!(signed_in(&tab), Some(false));
    let (c, id) = (tab.clerk.clone(), si.id.clone());
    let e = h
        .run(async move { c.sign_in_reset_password(&id, "short", true).await })
        .unwrap_err();
    assert_eq!(e.code(), Some("form_password_length_too_short"));
    let c = tab.clerk.clone();
    let done = h
        .run(async move {
            c.sign_in_reset_password(&si.id, "a new password", true)
                .await
        })
        .unwrap();
    assert_eq!(done.status, SignInStatus::Complete);
    assert_eq!(signed_in(&tab), Some(true));
    let f = h.fapi.borrow();
    let reset = f
        .log
        .iter()
        .rfind(|r| r.path.ends_with("/reset_password"))
        .unwrap();
    assert_eq!(reset.form("password").as_deref(), Some("a new password"));
    assert_eq!(
        reset.form("sign_out_of_other_sessions").as_deref(),
        Some("true")
    );
}

#[test]
fn phone_code_first_factor() {
    let _mfa = Mfa::on();
    let h = flow_harness();
    let tab = h.loaded_tab();
    let c = tab.clerk.clone();
    let si = h
        .run(async move { c.sign_in_with_phone_code("+15555550199").await })
        .unwrap();
    assert_eq!(
        si.first_factor_verification
            .as_ref()
            .and_then(|v| v.strategy.as_deref()),
        Some("phone_code")
    );
    let (c, id) = (tab.clerk.clone(), si.id.clone());
    let e = h
        .run(async move { c.sign_in_attempt_phone_code(&id, "000001").await })
        .unwrap_err();
    assert_eq!(e.code(), Some("form_code_incorrect"));
    // A new code on the same sign-in, to the same number.
    let c = tab.clerk.clone();
    let si = h
        .run(async move { c.sign_in_resend_first_factor_code(&si).await })
        .unwrap();
    {
        let f = h.fapi.borrow();
        let path = format!("POST /v1/client/sign_ins/{}/prepare_first_factor", si.id);
        assert_eq!(f.count(&path), 2);
        let resend = f.log.last().unwrap();
        assert_eq!(resend.form("strategy").as_deref(), Some("phone_code"));
        assert_eq!(resend.form("phone_number_id").as_deref(), Some("idn_p1"));
    }
    let c = tab.clerk.clone();
    let done = h
        .run(async move { c.sign_in_attempt_phone_code(&si.id, CODE).await })
        .unwrap();
    assert_eq!(done.status, SignInStatus::Complete);
    assert_eq!(signed_in(&tab), Some(true));
}

#[test]
fn resend_needs_a_code_verification() {
    let _mfa = Mfa::on();
    let h = flow_harness();
    let tab = h.loaded_tab();
    let si = to_second_factor(&h, &tab);
    let before = h.fapi.borrow().log.len();
    let c = tab.clerk.clone();
    let e = h
        .run(async move { c.sign_in_resend_first_factor_code(&si).await })
        .unwrap_err();
    assert!(matches!(e, crate::ClerkError::FlowStep(_)), "{e:?}");
    assert_eq!(h.fapi.borrow().log.len(), before, "no request sent");
}

#[test]
fn phone_code_first_factor_unavailable_names_the_factors() {
    // Without the MFA routes the fake's user has only password and email_code.
    let h = flow_harness();
    let tab = h.loaded_tab();
    let c = tab.clerk.clone();
    let e = h
        .run(async move { c.sign_in_with_phone_code("ada@example.com").await })
        .unwrap_err();
    assert!(matches!(e, crate::ClerkError::FlowStep(_)), "{e:?}");
    assert!(e.to_string().contains("password, email_code"), "{e}");
}
