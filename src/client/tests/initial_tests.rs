//! Host tests: the server's initial state as the first paint, reconciled with the load.
//! Test-only: compiled under #[cfg(test)] (see `src/client/mod.rs`).

use std::rc::Rc;

use super::fakes::*;
use crate::client::initial::{shown_state, state_from_initial};
use crate::client::{AuthSnapshot, ClerkState, GetTokenOptions, LoadStatus};
use crate::core::claims::SessionToken;
use crate::core::initial_state::{InitialState, InitialUser};

/// What the server would embed for FAPI's current session of `user_1`: the claims of a
/// token FAPI minted (as the server verified it from the `__session` cookie).
fn server_state(h: &Harness, org: Option<&str>) -> InitialState {
    let jwt = h.fapi.borrow().mint("sess_1", org, T0, None);
    let token = SessionToken::decode(&jwt).unwrap();
    InitialState::from_claims(token.claims()).with_user(InitialUser {
        id: "user_1".into(),
        first_name: Some("Ada".into()),
        last_name: Some("Lovelace".into()),
        primary_email_address: Some("ada@example.com".into()),
        image_url: None,
    })
}

/// The auth slices a provider would show: the hint first, then every snapshot the engine
/// emitted, each through `shown_state`; consecutive equal slices collapsed (the provider's
/// store wakes auth readers only when the slice differs).
fn auth_frames(tab: &Tab, hint: &Rc<ClerkState>) -> Vec<AuthSnapshot> {
    let mut frames = vec![shown_state(Rc::new(ClerkState::default()), Some(hint)).auth(true)];
    for s in tab.emitted.borrow().iter() {
        let auth = shown_state(s.clone(), Some(hint)).auth(true);
        if frames.last() != Some(&auth) {
            frames.push(auth);
        }
    }
    frames
}

#[test]
fn the_hint_is_the_first_paint_and_matches_the_loaded_auth_when_fapi_agrees() {
    let h = Harness::new(false);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    let hint = Rc::new(state_from_initial(&server_state(&h, None)));
    let first = hint.auth(true);
    assert!(first.is_loaded);
    assert_eq!(first.is_signed_in, Some(true));
    assert_eq!(first.user_id.as_deref(), Some("user_1"));
    assert_eq!(first.session_id.as_deref(), Some("sess_1"));
    assert_eq!(
        hint.user
            .as_ref()
            .unwrap()
            .primary_email_address()
            .unwrap()
            .email_address,
        "ada@example.com"
    );
    let tab = h.loaded_tab();
    assert_eq!(tab.clerk.state().status, LoadStatus::Ready);
    let frames = auth_frames(&tab, &hint);
    assert_eq!(
        frames.len(),
        1,
        "the load changed the auth slice: {frames:#?}"
    );
    // The user slice does change (the full user replaces the small view): expected.
    assert_ne!(tab.clerk.state().user, hint.user);
}

#[test]
fn an_active_organization_from_the_server_matches_the_membership_after_load() {
    let h = Harness::new(false);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    h.fapi.borrow_mut().sessions[0].org = Some("org_9".into());
    let mut initial = server_state(&h, Some("org_9"));
    // A v2 token carries the permissions (`o.per` + `fea`); the fake's minted token leaves
    // them out, so give the server what a real token would have told it.
    let session = initial.session.as_mut().unwrap();
    session.org.as_mut().unwrap().permissions = vec!["org:sys_memberships:manage".into()];
    let hint = Rc::new(state_from_initial(&initial));
    assert_eq!(hint.auth(true).org_role.as_deref(), Some("org:admin"));
    assert_eq!(hint.auth(true).org_slug.as_deref(), Some("acme"));
    let tab = h.loaded_tab();
    let frames = auth_frames(&tab, &hint);
    assert_eq!(frames.len(), 1, "{frames:#?}");
}

#[test]
fn a_session_revoked_since_the_server_rendered_ends_signed_out() {
    let h = Harness::new(false);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    let hint = Rc::new(state_from_initial(&server_state(&h, None)));
    h.fapi.borrow_mut().sessions[0].status = "revoked".into();
    let tab = h.loaded_tab();
    let frames = auth_frames(&tab, &hint);
    assert_eq!(frames.len(), 2, "{frames:#?}");
    assert_eq!(frames[0].is_signed_in, Some(true));
    assert_eq!(frames[1].is_signed_in, Some(false));
    assert!(
        frames.iter().all(|f| f.is_loaded),
        "no loading frame: {frames:#?}"
    );
    assert!(h.session_cookie().is_none());
}

#[test]
fn a_tampered_hint_signs_nobody_in_and_get_token_waits_for_the_load() {
    let h = Harness::new(false);
    // FAPI: no client at all (signed out). The page claims user_2 is signed in.
    let forged = InitialState::from_embedded(
        r#"{"signedIn":true,"userId":"user_2","sessionId":"sess_forged"}"#,
    )
    .unwrap();
    let hint = Rc::new(state_from_initial(&forged));
    assert_eq!(hint.auth(true).user_id.as_deref(), Some("user_2"));
    let tab = h.tab();
    // get_token before the load is not answered from the hint: it loads, and FAPI says no.
    let c = tab.clerk.clone();
    let token = h.run(async move { c.get_token(GetTokenOptions::default()).await });
    assert_eq!(token.unwrap(), None);
    assert_eq!(h.fapi.borrow().count("GET /v1/client"), 1);
    let shown = shown_state(tab.clerk.state(), Some(&hint));
    assert_eq!(shown.auth(true).is_signed_in, Some(false));
    assert_eq!(shown.auth(true).user_id, None);
}

#[test]
fn signed_out_hint_then_signed_out_load_changes_nothing() {
    let h = Harness::new(false);
    let hint = Rc::new(state_from_initial(&InitialState::signed_out()));
    assert_eq!(hint.auth(true).is_signed_in, Some(false));
    let tab = h.loaded_tab();
    assert_eq!(auth_frames(&tab, &hint).len(), 1);
}

#[test]
fn a_failed_load_replaces_the_hint() {
    let h = Harness::new(false);
    let hint = Rc::new(state_from_initial(&InitialState::signed_out()));
    let mut options = h.options();
    options.publishable_key = "sk_test_oops".into();
    let tab = h.tab_with(options, FakePage::new("http://localhost:8080/"));
    let c = tab.clerk.clone();
    h.run(async move { c.load().await });
    let shown = shown_state(tab.clerk.state(), Some(&hint));
    assert_eq!(shown.status, LoadStatus::Failed);
    assert!(!shown.auth(true).is_loaded);
}
