//! Host tests: tab. Test-only: compiled under #[cfg(test)] (see `src/client/mod.rs`).

use super::fakes::*;
use crate::client::ports::TabMessage;
use crate::client::{GetTokenOptions, SignOutOptions};
use crate::core::claims::SessionToken;

fn two_tabs() -> (Harness, Tab, Tab) {
    let h = Harness::new(false);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    let a = h.loaded_tab();
    let b = h.loaded_tab();
    (h, a, b)
}

#[test]
fn sign_out_reaches_the_other_tab() {
    let (h, a, b) = two_tabs();
    assert_eq!(b.clerk.state().auth(true).is_signed_in, Some(true));
    let c = a.clerk.clone();
    h.run(async move { c.sign_out(SignOutOptions::default()).await })
        .unwrap();
    h.settle();
    assert_eq!(
        h.fapi.borrow().count("GET /v1/client"),
        3,
        "tab B re-read the client"
    );
    assert_eq!(b.clerk.state().auth(true).is_signed_in, Some(false));
    assert!(b.page.navigated.borrow().is_empty(), "no reload in tab B");
    // Tab B does not echo the sign-out back.
    let sign_outs = h
        .bus
        .posted
        .borrow()
        .iter()
        .filter(|(_, m)| *m == TabMessage::SignOut)
        .count();
    assert_eq!(sign_outs, 1);
}

#[test]
fn token_broadcast_is_adopted_by_the_other_tab() {
    let (h, a, b) = two_tabs();
    h.advance(2_000);
    let c = a.clerk.clone();
    let fresh = h
        .run(async move {
            c.get_token(GetTokenOptions {
                skip_cache: true,
                ..Default::default()
            })
            .await
        })
        .unwrap()
        .unwrap();
    h.settle();
    let requests = h.fapi.borrow().log.len();
    let c = b.clerk.clone();
    let got = h.run(async move { c.get_token(GetTokenOptions::default()).await });
    assert_eq!(got.unwrap(), Some(fresh));
    assert_eq!(
        h.fapi.borrow().log.len(),
        requests,
        "served from the adopted token"
    );
}

#[test]
fn stale_or_foreign_broadcasts_are_ignored() {
    let (h, a, b) = two_tabs();
    let ours = h.session_cookie().unwrap();
    // A token for a session this client does not have.
    let foreign = jwt(
        serde_json::json!({"sub":"user_x","sid":"sess_x","iat": T0/1000 + 5,"exp": T0/1000 + 65}),
    );
    a.clerk.inner.platform.broadcast.post(TabMessage::Token {
        token_id: "sess_x".into(),
        token: foreign,
    });
    // An older token for our session.
    let older = h.fapi.borrow().mint("sess_1", None, T0 - 10_000, None);
    a.clerk.inner.platform.broadcast.post(TabMessage::Token {
        token_id: "sess_1".into(),
        token: older,
    });
    h.settle();
    let c = b.clerk.clone();
    assert_eq!(
        h.run(async move { c.get_token(GetTokenOptions::default()).await })
            .unwrap(),
        Some(ours)
    );
}

#[test]
fn only_one_tab_refreshes() {
    let (h, a, b) = two_tabs();
    h.advance(43_500);
    assert_eq!(
        h.fapi
            .borrow()
            .count("POST /v1/client/sessions/sess_1/tokens"),
        1,
        "one refresh for both tabs"
    );
    let ta = {
        let c = a.clerk.clone();
        h.run(async move { c.get_token(GetTokenOptions::default()).await })
    };
    let tb = {
        let c = b.clerk.clone();
        h.run(async move { c.get_token(GetTokenOptions::default()).await })
    };
    assert_eq!(ta, tb);
    let t = SessionToken::decode(&ta.unwrap().unwrap()).unwrap();
    assert!(t.claims().iat * 1000 > T0);
    // And the next cycle is shared again.
    h.advance(43_000);
    assert_eq!(
        h.fapi
            .borrow()
            .count("POST /v1/client/sessions/sess_1/tokens"),
        2
    );
}

#[test]
fn background_tab_does_not_overwrite_another_context_cookie() {
    let (h, a, b) = two_tabs();
    b.page.focused.set(false);
    let c = a.clerk.clone();
    h.run(async move {
        c.set_active(crate::client::SetActiveParams {
            organization: Some(crate::client::OrganizationSelection::Organization(
                "org_9".into(),
            )),
            ..Default::default()
        })
        .await
    })
    .unwrap();
    let org_of_cookie = |h: &Harness| {
        SessionToken::decode(&h.session_cookie().unwrap())
            .unwrap()
            .claims()
            .org
            .as_ref()
            .map(|o| o.id.clone())
    };
    assert_eq!(org_of_cookie(&h), Some("org_9".to_string()));
    // Tab B still shows the personal account and refreshes that token in the background.
    h.advance(43_500);
    assert!(h
        .fapi
        .borrow()
        .log
        .iter()
        .any(|r| r.path.ends_with("/tokens") && r.form("organization_id").as_deref() == Some("")));
    assert_eq!(org_of_cookie(&h), Some("org_9".to_string()));
    assert_eq!(b.clerk.state().auth(true).org_id, None);
}
