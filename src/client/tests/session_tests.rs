//! Host tests: session. Test-only: compiled under #[cfg(test)] (see `src/client/mod.rs`).

use std::rc::Rc;

use super::fakes::*;
use crate::client::ports::TabMessage;
use crate::client::{
    GetTokenOptions, Method, OrganizationSelection, SetActiveParams, SignOutOptions,
};
use crate::core::claims::SessionToken;
use crate::core::models::Session;

#[test]
fn sign_out_all() {
    let h = Harness::new(true);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    let tab = h.tab_with(
        h.options()
            .with_after_sign_out_url("http://localhost:8080/bye"),
        FakePage::new("http://localhost:8080/"),
    );
    let c = tab.clerk.clone();
    h.run(async move { c.load().await });
    assert!(h.session_cookie().is_some());
    let c = tab.clerk.clone();
    h.run(async move { c.sign_out(SignOutOptions::default()).await })
        .unwrap();
    let f = h.fapi.borrow();
    assert_eq!(f.count("DELETE /v1/client/sessions"), 1);
    assert!(f.log.last().unwrap().url.contains("_method=DELETE"));
    let s = tab.clerk.state();
    assert_eq!(s.auth(true).is_signed_in, Some(false));
    assert!(s.session.is_none());
    assert!(h.session_cookie().is_none());
    assert!(!h.cookies.names().iter().any(|n| n.starts_with("__session")));
    assert_eq!(h.cookies.value("__client_uat").as_deref(), Some("0"));
    assert!(h
        .bus
        .posted
        .borrow()
        .iter()
        .any(|(_, m)| *m == TabMessage::SignOut));
    // Same-origin after-sign-out URL: no dev-browser decoration.
    assert_eq!(
        *tab.page.navigated.borrow(),
        vec!["http://localhost:8080/bye".to_string()]
    );
    drop(f);
    let c = tab.clerk.clone();
    assert_eq!(
        h.run(async move { c.get_token(GetTokenOptions::default()).await }),
        Ok(None)
    );
}

#[test]
fn sign_out_redirect_url_wins() {
    let h = Harness::new(false);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    let tab = h.loaded_tab();
    let c = tab.clerk.clone();
    h.run(async move {
        c.sign_out(SignOutOptions {
            redirect_url: Some("/signed-out".into()),
            ..Default::default()
        })
        .await
    })
    .unwrap();
    assert_eq!(
        *tab.page.navigated.borrow(),
        vec!["/signed-out".to_string()]
    );
}

fn two_sessions() -> (Harness, Tab) {
    let h = Harness::new(false);
    {
        let mut f = h.fapi.borrow_mut();
        f.add_user("user_2", "bob@example.com");
        f.sign_in_session("user_1", T0);
        f.sign_in_session("user_2", T0); // sess_2, last active
    }
    let tab = h.loaded_tab();
    assert_eq!(
        tab.clerk.state().auth(true).session_id.as_deref(),
        Some("sess_2")
    );
    (h, tab)
}

#[test]
fn sign_out_one_of_two_sessions() {
    let (h, tab) = two_sessions();
    let cookie = h.session_cookie();
    let c = tab.clerk.clone();
    h.run(async move {
        c.sign_out(SignOutOptions {
            session_id: Some("sess_1".into()),
            ..Default::default()
        })
        .await
    })
    .unwrap();
    {
        let f = h.fapi.borrow();
        assert_eq!(f.count("POST /v1/client/sessions/sess_1/remove"), 1);
        assert_eq!(f.count("DELETE /v1/client/sessions"), 0);
    }
    let s = tab.clerk.state();
    assert_eq!(
        s.auth(true).session_id.as_deref(),
        Some("sess_2"),
        "current session kept"
    );
    assert_eq!(s.client.as_ref().unwrap().signed_in_sessions().count(), 1);
    assert_eq!(h.session_cookie(), cookie);
    assert!(tab.page.navigated.borrow().is_empty());
    assert!(!h
        .bus
        .posted
        .borrow()
        .iter()
        .any(|(_, m)| *m == TabMessage::SignOut));
}

#[test]
fn sign_out_current_of_two_sessions() {
    let (h, tab) = two_sessions();
    let c = tab.clerk.clone();
    h.run(async move {
        c.sign_out(SignOutOptions {
            session_id: Some("sess_2".into()),
            ..Default::default()
        })
        .await
    })
    .unwrap();
    assert_eq!(
        h.fapi
            .borrow()
            .count("POST /v1/client/sessions/sess_2/remove"),
        1
    );
    let s = tab.clerk.state();
    assert_eq!(s.auth(true).is_signed_in, Some(false));
    assert!(h.session_cookie().is_none());
    assert!(h
        .bus
        .posted
        .borrow()
        .iter()
        .any(|(_, m)| *m == TabMessage::SignOut));
}

#[test]
fn set_active_organization() {
    let h = Harness::new(false);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    let tab = h.loaded_tab();
    assert_eq!(tab.clerk.state().auth(true).org_id, None);
    let emits = tab.emits();
    let c = tab.clerk.clone();
    h.run(async move {
        c.set_active(SetActiveParams {
            organization: Some(OrganizationSelection::Organization("org_9".into())),
            ..Default::default()
        })
        .await
    })
    .unwrap();
    {
        let f = h.fapi.borrow();
        let touch = f.log.last().unwrap();
        assert_eq!(touch.path, "/v1/client/sessions/sess_1/touch");
        assert_eq!(touch.form("intent").as_deref(), Some("select_org"));
        assert_eq!(
            touch.form("active_organization_id").as_deref(),
            Some("org_9")
        );
        // The piggybacked client carried a token for the new org: no /tokens needed.
        assert_eq!(f.count("POST /v1/client/sessions/sess_1/tokens"), 0);
    }
    let auth = tab.clerk.state().auth(true);
    assert_eq!(auth.org_id.as_deref(), Some("org_9"));
    assert_eq!(auth.org_role.as_deref(), Some("org:admin"));
    assert_eq!(auth.org_slug.as_deref(), Some("acme"));
    assert_eq!(
        auth.org_permissions,
        vec!["org:sys_memberships:manage".to_string()]
    );
    assert_eq!(tab.clerk.state().organization.as_ref().unwrap().id, "org_9");
    let cookie = SessionToken::decode(&h.session_cookie().unwrap()).unwrap();
    assert_eq!(cookie.claims().org.as_ref().unwrap().id, "org_9");
    assert!(tab.emits() > emits);
    // A token for the personal account, while org_9 stays the active organization.
    let c = tab.clerk.clone();
    let personal = h
        .run(async move {
            let options =
                GetTokenOptions::skip_cache().with_organization(OrganizationSelection::Personal);
            c.get_token(options).await
        })
        .unwrap()
        .unwrap();
    let last_form = h.fapi.borrow().log.last().unwrap().form("organization_id");
    assert_eq!(last_form.as_deref(), Some(""));
    assert!(SessionToken::decode(&personal)
        .unwrap()
        .claims()
        .org
        .is_none());
    assert_eq!(
        tab.clerk.state().auth(true).org_id.as_deref(),
        Some("org_9")
    );
    // Back to the personal account.
    let c = tab.clerk.clone();
    h.run(async move {
        c.set_active(SetActiveParams {
            organization: Some(OrganizationSelection::Personal),
            ..Default::default()
        })
        .await
    })
    .unwrap();
    assert_eq!(
        h.fapi
            .borrow()
            .log
            .last()
            .unwrap()
            .form("active_organization_id")
            .as_deref(),
        Some("")
    );
    assert_eq!(tab.clerk.state().auth(true).org_id, None);
}

#[test]
fn set_active_session() {
    let (h, tab) = two_sessions();
    let c = tab.clerk.clone();
    h.run(async move {
        c.set_active(SetActiveParams {
            session_id: Some("sess_1".into()),
            ..Default::default()
        })
        .await
    })
    .unwrap();
    let f = h.fapi.borrow();
    let touch = f.log.last().unwrap();
    assert_eq!(touch.path, "/v1/client/sessions/sess_1/touch");
    assert_eq!(touch.form("intent").as_deref(), Some("select_session"));
    let auth = tab.clerk.state().auth(true);
    assert_eq!(auth.session_id.as_deref(), Some("sess_1"));
    assert_eq!(auth.user_id.as_deref(), Some("user_1"));
    let cookie = SessionToken::decode(&h.session_cookie().unwrap()).unwrap();
    assert_eq!(cookie.claims().sid.as_deref(), Some("sess_1"));
}

#[test]
fn set_active_unknown_session_is_an_error() {
    let (h, tab) = two_sessions();
    let c = tab.clerk.clone();
    let r = h.run(async move {
        c.set_active(SetActiveParams {
            session_id: Some("sess_404".into()),
            ..Default::default()
        })
        .await
    });
    assert!(matches!(r, Err(crate::error::ClerkError::NoSession(_))));
}

#[test]
fn focus_touches_and_is_throttled_in_single_session_mode() {
    let h = Harness::new(false);
    {
        let mut f = h.fapi.borrow_mut();
        f.single_session = true;
        f.sign_in_session("user_1", T0);
    }
    let tab = h.loaded_tab();
    tab.page.focus();
    h.settle();
    {
        let f = h.fapi.borrow();
        assert_eq!(f.count("POST /v1/client/sessions/sess_1/touch"), 1);
        let touch = f.log.last().unwrap();
        assert_eq!(touch.form("intent").as_deref(), Some("focus"));
        assert_eq!(touch.form("active_organization_id").as_deref(), Some(""));
    }
    h.advance(1_000);
    tab.page.focus();
    h.settle();
    assert_eq!(
        h.fapi
            .borrow()
            .count("POST /v1/client/sessions/sess_1/touch"),
        1
    );
    h.advance(5_000);
    tab.page.focus();
    h.settle();
    assert_eq!(
        h.fapi
            .borrow()
            .count("POST /v1/client/sessions/sess_1/touch"),
        2
    );
}

#[test]
fn focus_without_touch_option_only_checks_the_token() {
    let h = Harness::new(false);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    let tab = h.tab_with(
        h.options().with_touch_session(false),
        FakePage::new("http://localhost:8080/"),
    );
    let c = tab.clerk.clone();
    h.run(async move { c.load().await });
    tab.page.focus();
    h.settle();
    assert_eq!(h.fapi.borrow().count_prefix("POST /v1/client/sessions"), 0);
}

#[test]
fn focus_on_revoked_session_signs_out() {
    let h = Harness::new(false);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    let tab = h.loaded_tab();
    h.fapi.borrow_mut().sessions[0].status = "revoked".into();
    tab.page.focus();
    h.settle();
    assert_eq!(tab.clerk.state().auth(true).is_signed_in, Some(false));
    assert!(h.session_cookie().is_none());
}

#[test]
fn tasks_url_points_a_pending_session_at_its_task() {
    let h = Harness::new(false);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    h.fapi.borrow_mut().sessions[0].status = "pending".into();
    let tab = h.loaded_tab();
    assert_eq!(
        tab.clerk.tasks_url(Some("/after")).as_deref(),
        Some("https://accounts.example.test/sign-in?redirect_url=http%3A%2F%2Flocalhost%3A8080%2Fafter#/tasks/choose-organization")
    );
    // An active session has no task.
    let h = Harness::new(false);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    let tab = h.loaded_tab();
    assert_eq!(tab.clerk.tasks_url(None), None);
    // Signed out: no session, no task.
    let h = Harness::new(false);
    assert_eq!(h.loaded_tab().clerk.tasks_url(None), None);
}

#[test]
fn hosted_page_urls() {
    let h = Harness::new(false);
    let tab = h.loaded_tab();
    assert_eq!(
        tab.clerk.sign_in_url(Some("http://localhost:8080/after")).as_deref(),
        Some("https://accounts.example.test/sign-in?redirect_url=http%3A%2F%2Flocalhost%3A8080%2Fafter")
    );
    assert_eq!(
        tab.clerk.sign_up_url(None).as_deref(),
        Some("https://accounts.example.test/sign-up")
    );
    let dev = Harness::new(true);
    let tab = dev.tab_with(
        dev.options().with_sign_in_url("/sign-in"),
        FakePage::new("http://localhost:8080/"),
    );
    let c = tab.clerk.clone();
    dev.run(async move { c.load().await });
    // Same-origin override: no dev browser in the URL.
    assert_eq!(
        tab.clerk.sign_in_url(Some("/x")).as_deref(),
        Some("/sign-in?redirect_url=http%3A%2F%2Flocalhost%3A8080%2Fx")
    );
    let dvb = dev.fapi.borrow().dev_browsers[0].clone();
    assert_eq!(
        tab.clerk.sign_up_url(None),
        Some(format!(
            "https://accounts.example.test/sign-up?__clerk_db_jwt={dvb}"
        ))
    );
}

#[test]
fn generic_request_applies_the_piggybacked_client() {
    let h = Harness::new(false);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    let tab = h.loaded_tab();
    // Another device selects the org; our touch returns the updated client.
    h.fapi.borrow_mut().sessions[0].org = Some("org_9".into());
    let c = tab.clerk.clone();
    let session = h
        .run(async move {
            c.request::<Session>(
                Method::Post,
                "/v1/client/sessions/sess_1/touch",
                &[("active_organization_id", "org_9"), ("intent", "focus")],
            )
            .await
        })
        .unwrap()
        .unwrap();
    assert_eq!(session.id, "sess_1");
    assert_eq!(
        tab.clerk.state().auth(true).org_id.as_deref(),
        Some("org_9")
    );
}

#[test]
fn api_errors_carry_codes() {
    let h = Harness::new(false);
    let tab = h.loaded_tab();
    let c = tab.clerk.clone();
    let e = h
        .run(async move {
            c.request::<Session>(Method::Post, "/v1/client/sessions/nope/touch", &[])
                .await
        })
        .unwrap_err();
    assert_eq!(e.status(), Some(404));
    assert_eq!(e.code(), Some("resource_not_found"));
}

/// Re-selects the current session (a touch whose response piggybacks the client).
fn reselect(h: &Harness, tab: &Tab) {
    let c = tab.clerk.clone();
    h.run(async move {
        c.set_active(SetActiveParams {
            session_id: Some("sess_1".into()),
            ..Default::default()
        })
        .await
    })
    .unwrap();
}

/// The snapshot's models are compared by `Rc` identity (`ClerkState::same_as`, the store's
/// slices): a client re-read with the same contents (only a re-minted token differs, and
/// tokens are stripped) must keep every `Rc` and reach no subscriber.
#[test]
fn identical_reread_client_keeps_its_rcs_and_emits_nothing() {
    let h = Harness::new(false);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    let tab = h.loaded_tab();
    let before = tab.clerk.state();
    let emits = tab.emits();
    reselect(&h, &tab);
    let after = tab.clerk.state();
    assert_eq!(tab.emits(), emits, "nothing changed");
    assert!(Rc::ptr_eq(&before, &after));
    let (c0, c1) = (before.client.as_ref().unwrap(), after.client.as_ref().unwrap());
    assert!(Rc::ptr_eq(c0, c1));
    assert!(Rc::ptr_eq(
        before.session.as_ref().unwrap(),
        after.session.as_ref().unwrap()
    ));
    assert!(after.client.iter().flat_map(|c| &c.sessions).all(|s| s.last_active_token.is_none()));
}

/// A session that changed (its `last_active_at` after a touch) is a new snapshot, but its
/// unchanged user keeps its `Rc`, so `use_user` does not re-render.
#[test]
fn a_changed_session_keeps_its_unchanged_users_rc() {
    let h = Harness::new(false);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    let tab = h.loaded_tab();
    let before = tab.clerk.state();
    let emits = tab.emits();
    h.advance(1_000);
    reselect(&h, &tab);
    let after = tab.clerk.state();
    assert!(tab.emits() > emits, "the session changed");
    let (s0, s1) = (before.session.as_ref().unwrap(), after.session.as_ref().unwrap());
    assert!(!Rc::ptr_eq(s0, s1));
    assert_ne!(s0.last_active_at, s1.last_active_at);
    let (u0, u1) = (before.user.as_ref().unwrap(), after.user.as_ref().unwrap());
    assert!(Rc::ptr_eq(u0, u1), "the user did not change");
    // The client's session holds that same user.
    let held = after.client.as_ref().unwrap().session("sess_1").unwrap();
    assert!(Rc::ptr_eq(held.user.as_ref().unwrap(), u1));
}
