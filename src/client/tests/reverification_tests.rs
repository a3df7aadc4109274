//! Host tests: session reverification (issue 14 item 4), with the fake FAPI routes it needs
//! (`POST /v1/client/sessions/{id}/verify…`) and the fake tokens' `fva`. Test-only.
//!
//! The fake user (Ada) has a password ("correct horse") and a TOTP second factor; the
//! fake's `fva` lives in a thread-local so only these tests change it.

use super::fakes::*;
use super::reverification_fake::*;
use crate::client::flows::{FirstFactorAttempt, SecondFactorStrategy, SessionVerificationStatus};
use crate::core::authorization::{AuthorizationInputs, Check, Reverification, VerificationLevel};

fn signed_in() -> (Harness, Tab) {
    let h = Harness::new(false);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    let tab = h.loaded_tab();
    (h, tab)
}

fn passes(tab: &Tab, r: Reverification) -> bool {
    let state = tab.clerk.state();
    state
        .claims
        .as_ref()
        .is_some_and(|c| AuthorizationInputs::from_claims(c).has(&Check::Reverification(r)))
}

fn strict(tab: &Tab) -> bool {
    passes(tab, Reverification::Strict)
}

#[test]
fn password_verification_refreshes_the_token_and_fva() {
    let _f = Fresh::with([20, -1]);
    let (h, tab) = signed_in();
    assert!(!strict(&tab), "a 20-minute-old first factor is not strict");
    let c = tab.clerk.clone();
    let v = h
        .run(async move {
            c.session_verify_start(VerificationLevel::SecondFactor)
                .await
        })
        .unwrap();
    assert_eq!(v.status, SessionVerificationStatus::NeedsSecondFactor);
    // This fake user has a second factor; start a first_factor one for the password.
    let c = tab.clerk.clone();
    let v = h
        .run(async move { c.session_verify_start(VerificationLevel::FirstFactor).await })
        .unwrap();
    assert_eq!(v.status, SessionVerificationStatus::NeedsFirstFactor);
    assert!(v.first_factor("password").is_some());
    let tokens_before = h
        .fapi
        .borrow()
        .count_prefix("POST /v1/client/sessions/sess_1/tokens");
    // Wrong password: typed error, nothing refreshed, still signed in, retry possible.
    let c = tab.clerk.clone();
    let e = h
        .run(async move {
            c.session_verify_attempt_first_factor(FirstFactorAttempt::Password("nope"))
                .await
        })
        .unwrap_err();
    assert_eq!(e.code(), Some("form_password_incorrect"));
    assert_eq!(tab.clerk.state().auth(true).is_signed_in, Some(true));
    assert_eq!(
        h.fapi
            .borrow()
            .count_prefix("POST /v1/client/sessions/sess_1/tokens"),
        tokens_before
    );
    let c = tab.clerk.clone();
    let v = h
        .run(async move {
            c.session_verify_attempt_first_factor(FirstFactorAttempt::Password(PASSWORD))
                .await
        })
        .unwrap();
    assert_eq!(v.status, SessionVerificationStatus::Complete);
    // Completion fetched a new token: its fva is fresh and has() agrees.
    assert_eq!(
        h.fapi
            .borrow()
            .count_prefix("POST /v1/client/sessions/sess_1/tokens"),
        tokens_before + 1
    );
    assert_eq!(
        tab.clerk.state().auth(true).factor_verification_age,
        Some([0, -1])
    );
    assert!(strict(&tab));
    let f = h.fapi.borrow();
    let attempt = f
        .log
        .iter()
        .rfind(|r| r.path.ends_with("/verify/attempt_first_factor"))
        .unwrap();
    assert_eq!(
        attempt.path,
        "/v1/client/sessions/sess_1/verify/attempt_first_factor"
    );
    assert_eq!(attempt.form("strategy").as_deref(), Some("password"));
}

#[test]
fn multi_factor_goes_through_totp() {
    let _f = Fresh::with([30, 30]);
    let (h, tab) = signed_in();
    assert!(!strict(&tab));
    let c = tab.clerk.clone();
    h.run(async move { c.session_verify_start(VerificationLevel::MultiFactor).await })
        .unwrap();
    let c = tab.clerk.clone();
    let v = h
        .run(async move {
            c.session_verify_attempt_first_factor(FirstFactorAttempt::Password(PASSWORD))
                .await
        })
        .unwrap();
    assert_eq!(v.status, SessionVerificationStatus::NeedsSecondFactor);
    assert!(v.second_factor(SecondFactorStrategy::Totp).is_some());
    // No phone among the second factors: a flow-step error, not a configuration one, and
    // nothing is sent.
    let before = h.fapi.borrow().log.len();
    let c = tab.clerk.clone();
    let pending = v.clone();
    let e = h
        .run(async move { c.session_verify_prepare_second_factor(&pending).await })
        .unwrap_err();
    assert!(matches!(e, ClerkError::FlowStep(_)), "{e:?}");
    assert_eq!(h.fapi.borrow().log.len(), before);
    let c = tab.clerk.clone();
    let e = h
        .run(async move {
            c.session_verify_attempt_second_factor(SecondFactorStrategy::Totp, "000000")
                .await
        })
        .unwrap_err();
    assert_eq!(e.code(), Some("form_code_incorrect"));
    let c = tab.clerk.clone();
    let v = h
        .run(async move {
            c.session_verify_attempt_second_factor(SecondFactorStrategy::Totp, TOTP)
                .await
        })
        .unwrap();
    assert_eq!(v.status, SessionVerificationStatus::Complete);
    assert_eq!(
        tab.clerk.state().auth(true).factor_verification_age,
        Some([0, 0])
    );
    assert!(passes(&tab, Reverification::StrictMfa));
}

#[test]
fn steps_without_a_session_or_a_started_verification() {
    let _f = Fresh::with([20, -1]);
    // Signed out: NoSession, no request.
    let h = Harness::new(false);
    let tab = h.loaded_tab();
    let before = h.fapi.borrow().log.len();
    let c = tab.clerk.clone();
    let e = h
        .run(async move { c.session_verify_start(VerificationLevel::FirstFactor).await })
        .unwrap_err();
    assert!(matches!(e, ClerkError::NoSession(_)), "{e:?}");
    assert_eq!(h.fapi.borrow().log.len(), before);
    // Signed in, but no verification started: Clerk's 404.
    let (h, tab) = signed_in();
    let c = tab.clerk.clone();
    let e = h
        .run(async move {
            c.session_verify_attempt_first_factor(FirstFactorAttempt::Password(PASSWORD))
                .await
        })
        .unwrap_err();
    assert_eq!(e.code(), Some("resource_not_found"));
    assert_eq!(tab.clerk.state().auth(true).is_signed_in, Some(true));
    // A code factor the account lacks is a flow-step error (the app's set-up is fine)
    // before any request.
    let c = tab.clerk.clone();
    let v = h
        .run(async move { c.session_verify_start(VerificationLevel::FirstFactor).await })
        .unwrap();
    let c = tab.clerk.clone();
    let e = h
        .run(async move {
            c.session_verify_prepare_first_factor(&v, "phone_code")
                .await
        })
        .unwrap_err();
    assert!(matches!(e, ClerkError::FlowStep(_)), "{e:?}");
}

#[test]
fn attempts_never_show_their_secret_in_debug() {
    let shown = format!(
        "{:?} {:?}",
        FirstFactorAttempt::Password("hunter2"),
        FirstFactorAttempt::EmailCode("424242")
    );
    assert!(
        !shown.contains("hunter2") && !shown.contains("424242"),
        "{shown}"
    );
}
