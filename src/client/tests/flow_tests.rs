//! Host tests: flow. Test-only: compiled under #[cfg(test)] (see `src/client/mod.rs`).

use super::fakes::*;
use super::flows_fake::CODE;
use crate::client::flows::{SignInStatus, SignUpParams, SignUpStatus};

#[test]
fn password_sign_in_activates_the_new_session() {
    let h = Harness::new(true);
    let tab = h.loaded_tab();
    let c = tab.clerk.clone();
    let sign_in = h
        .run(async move {
            c.sign_in_with_password("ada@example.com", "correct horse")
                .await
        })
        .unwrap();
    assert_eq!(sign_in.status, SignInStatus::Complete);
    assert_eq!(sign_in.created_session_id.as_deref(), Some("sess_1"));
    let auth = tab.clerk.state().auth(true);
    assert_eq!(auth.is_signed_in, Some(true));
    assert_eq!(auth.user_id.as_deref(), Some("user_1"));
    {
        let f = h.fapi.borrow();
        let create = f
            .log
            .iter()
            .find(|r| r.path == "/v1/client/sign_ins")
            .unwrap();
        assert_eq!(create.form("strategy").as_deref(), Some("password"));
        let touch = f.log.last().unwrap();
        assert_eq!(touch.path, "/v1/client/sessions/sess_1/touch");
        assert_eq!(touch.form("intent").as_deref(), Some("select_session"));
    }
    assert!(h.session_cookie().is_some());
    assert_ne!(h.cookies.value("__client_uat").as_deref(), Some("0"));
}

#[test]
fn wrong_password_is_an_api_error() {
    let h = Harness::new(false);
    let tab = h.loaded_tab();
    let c = tab.clerk.clone();
    let e = h
        .run(async move { c.sign_in_with_password("ada@example.com", "nope").await })
        .unwrap_err();
    assert_eq!(e.code(), Some("form_password_incorrect"));
    match &e {
        crate::ClerkError::Api { errors, status, .. } => {
            assert_eq!(*status, 422);
            assert_eq!(errors[0].meta.param_name.as_deref(), Some("password"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(tab.clerk.state().auth(true).is_signed_in, Some(false));
    let c = tab.clerk.clone();
    let e = h
        .run(async move { c.sign_in_with_password("who@example.com", "x").await })
        .unwrap_err();
    assert_eq!(e.code(), Some("form_identifier_not_found"));
}

#[test]
fn email_code_sign_in() {
    let h = Harness::new(false);
    let tab = h.loaded_tab();
    let c = tab.clerk.clone();
    let sign_in = h
        .run(async move { c.sign_in_with_email_code("ada@example.com").await })
        .unwrap();
    assert_eq!(sign_in.status, SignInStatus::NeedsFirstFactor);
    assert_eq!(
        sign_in
            .first_factor_verification
            .as_ref()
            .unwrap()
            .strategy
            .as_deref(),
        Some("email_code")
    );
    {
        let f = h.fapi.borrow();
        let prepare = f.log.last().unwrap();
        assert!(prepare.path.ends_with("/prepare_first_factor"));
        assert_eq!(prepare.form("email_address_id").as_deref(), Some("idn_1"));
    }
    let (c, id) = (tab.clerk.clone(), sign_in.id.clone());
    let e = h
        .run(async move { c.sign_in_attempt_email_code(&id, "000000").await })
        .unwrap_err();
    assert_eq!(e.code(), Some("form_code_incorrect"));
    let (c, id) = (tab.clerk.clone(), sign_in.id.clone());
    let done = h
        .run(async move { c.sign_in_attempt_email_code(&id, CODE).await })
        .unwrap();
    assert_eq!(done.status, SignInStatus::Complete);
    assert_eq!(
        tab.clerk.state().auth(true).session_id,
        done.created_session_id
    );
}

#[test]
fn sign_up_with_email_code() {
    let h = Harness::new(false);
    let tab = h.loaded_tab();
    let c = tab.clerk.clone();
    let sign_up = h
        .run(async move {
            c.sign_up_create(&SignUpParams {
                email_address: Some("grace@example.com".into()),
                password: Some("a long password".into()),
                first_name: Some("Grace".into()),
                last_name: Some("Hopper".into()),
                ..Default::default()
            })
            .await
        })
        .unwrap();
    assert_eq!(sign_up.status, SignUpStatus::MissingRequirements);
    assert_eq!(sign_up.unverified_fields, vec!["email_address".to_string()]);
    assert_eq!(
        h.fapi
            .borrow()
            .log
            .last()
            .unwrap()
            .form("last_name")
            .as_deref(),
        Some("Hopper")
    );
    let (c, id) = (tab.clerk.clone(), sign_up.id.clone());
    let prepared = h
        .run(async move { c.sign_up_prepare_email_code(&id).await })
        .unwrap();
    assert_eq!(
        prepared
            .verifications
            .unwrap()
            .email_address
            .unwrap()
            .strategy
            .as_deref(),
        Some("email_code")
    );
    let (c, id) = (tab.clerk.clone(), sign_up.id.clone());
    let done = h
        .run(async move { c.sign_up_attempt_email_code(&id, CODE).await })
        .unwrap();
    assert_eq!(done.status, SignUpStatus::Complete);
    let s = tab.clerk.state();
    assert_eq!(s.auth(true).is_signed_in, Some(true));
    assert_eq!(
        s.user.as_ref().unwrap().first_name.as_deref(),
        Some("Grace")
    );
    assert_eq!(s.auth(true).user_id, done.created_user_id);
}

#[test]
fn sign_up_with_taken_email() {
    let h = Harness::new(false);
    let tab = h.loaded_tab();
    let c = tab.clerk.clone();
    let e = h
        .run(async move {
            c.sign_up_create(&SignUpParams {
                email_address: Some("ada@example.com".into()),
                ..Default::default()
            })
            .await
        })
        .unwrap_err();
    assert_eq!(e.code(), Some("form_identifier_exists"));
}

#[test]
fn sign_up_params_debug_never_shows_the_password() {
    let params = SignUpParams {
        email_address: Some("ada@example.com".into()),
        password: Some("correct horse battery".into()),
        ..Default::default()
    };
    let shown = format!("{params:?}");
    assert!(!shown.contains("correct horse"), "{shown}");
    // The rest stays readable, and whether a password is set is still visible.
    assert!(shown.contains("ada@example.com"), "{shown}");
    assert!(shown.contains("password: Some(..)"), "{shown}");
    let none = format!("{:?}", SignUpParams::default());
    assert!(none.contains("password: None"), "{none}");
}
