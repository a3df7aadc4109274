//! Host tests: token. Test-only: compiled under #[cfg(test)] (see `src/client/mod.rs`).

use super::fakes::*;
use crate::client::ports::TabMessage;
use crate::client::{GetTokenOptions, LoadStatus};
use crate::core::claims::SessionToken;
use crate::error::ClerkError;

fn signed_in() -> (Harness, Tab) {
    let h = Harness::new(false);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    let tab = h.loaded_tab();
    (h, tab)
}

fn org_opts() -> GetTokenOptions {
    GetTokenOptions {
        organization: Some(crate::client::OrganizationSelection::Organization(
            "org_9".into(),
        )),
        ..Default::default()
    }
}

#[test]
fn concurrent_calls_share_one_request() {
    let (h, tab) = signed_in();
    h.hold.set(true);
    let results = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    for _ in 0..20 {
        let c = tab.clerk.clone();
        let r = results.clone();
        h.spawn(async move {
            let t = c.get_token(org_opts()).await;
            r.borrow_mut().push(t);
        });
    }
    h.settle();
    assert_eq!(h.held.borrow().len(), 1);
    h.release();
    let results = results.borrow();
    assert_eq!(results.len(), 20);
    let first = results[0].clone().unwrap().unwrap();
    assert!(results
        .iter()
        .all(|r| r.as_ref().unwrap().as_deref() == Some(first.as_str())));
    let f = h.fapi.borrow();
    assert_eq!(f.count("POST /v1/client/sessions/sess_1/tokens"), 1);
    assert_eq!(
        f.log.last().unwrap().form("organization_id").as_deref(),
        Some("org_9")
    );
    let claims = SessionToken::decode(&first).unwrap();
    assert_eq!(claims.claims().org.as_ref().unwrap().id, "org_9");
    // A non-active org token never writes the cookie.
    assert_ne!(h.session_cookie().as_deref(), Some(first.as_str()));
    // And it is cached: no second request.
    drop(f);
    let c = tab.clerk.clone();
    assert_eq!(
        h.run(async move { c.get_token(org_opts()).await }).unwrap(),
        Some(first)
    );
    assert_eq!(
        h.fapi
            .borrow()
            .count("POST /v1/client/sessions/sess_1/tokens"),
        1
    );
}

#[test]
fn template_tokens_have_their_own_entry_and_no_cookie() {
    let (h, tab) = signed_in();
    let cookie = h.session_cookie();
    let c = tab.clerk.clone();
    let t = h
        .run(async move { c.get_token(GetTokenOptions::template("supabase")).await })
        .unwrap()
        .unwrap();
    {
        let f = h.fapi.borrow();
        assert_eq!(
            f.count("POST /v1/client/sessions/sess_1/tokens/supabase"),
            1
        );
        assert_eq!(f.log.last().unwrap().body, "", "template body is empty");
    }
    assert_eq!(h.session_cookie(), cookie);
    let c = tab.clerk.clone();
    let default = h
        .run(async move { c.get_token(GetTokenOptions::default()).await })
        .unwrap();
    assert_eq!(default, cookie);
    assert_ne!(Some(t.clone()), default);
    let c = tab.clerk.clone();
    let again = h.run(async move { c.get_token(GetTokenOptions::template("supabase")).await });
    assert_eq!(again.unwrap(), Some(t));
    assert_eq!(h.fapi.borrow().count_prefix("POST /v1/client/sessions"), 1);
}

#[test]
fn token_with_five_seconds_left_is_refetched() {
    let (h, tab) = signed_in();
    let get = |h: &Harness| {
        let c = tab.clerk.clone();
        h.run(async move { c.get_token(GetTokenOptions::template("t")).await })
            .unwrap()
            .unwrap()
    };
    let a = get(&h);
    h.advance(54_000); // 6 s left
    assert_eq!(get(&h), a);
    h.advance(1_000); // 5 s left: never handed out
    let b = get(&h);
    assert_ne!(a, b);
    assert_eq!(
        h.fapi
            .borrow()
            .count("POST /v1/client/sessions/sess_1/tokens/t"),
        2
    );
}

#[test]
fn proactive_refresh_fires_17s_before_exp() {
    let (h, tab) = signed_in();
    let first = h.session_cookie().unwrap();
    h.advance(42_900);
    assert_eq!(
        h.fapi
            .borrow()
            .count("POST /v1/client/sessions/sess_1/tokens"),
        0
    );
    h.advance(200);
    assert_eq!(
        h.fapi
            .borrow()
            .count("POST /v1/client/sessions/sess_1/tokens"),
        1
    );
    let second = h.session_cookie().unwrap();
    assert_ne!(first, second, "cookie rewritten with the refreshed token");
    let c = tab.clerk.clone();
    assert_eq!(
        h.run(async move { c.get_token(GetTokenOptions::default()).await })
            .unwrap(),
        Some(second)
    );
    // The new token is refreshed again 43 s after it was minted.
    h.advance(43_000);
    assert_eq!(
        h.fapi
            .borrow()
            .count("POST /v1/client/sessions/sess_1/tokens"),
        2
    );
    // The token was shared with the other tabs.
    assert!(h
        .bus
        .posted
        .borrow()
        .iter()
        .any(|(_, m)| matches!(m, TabMessage::Token { token_id, .. } if token_id == "sess_1")));
}

#[test]
fn identical_refresh_emits_nothing() {
    let (h, tab) = signed_in();
    let before = tab.emits();
    let state = tab.clerk.state();
    h.advance(43_500);
    assert_eq!(
        h.fapi
            .borrow()
            .count("POST /v1/client/sessions/sess_1/tokens"),
        1
    );
    assert_eq!(tab.emits(), before, "no claim changed");
    assert!(std::rc::Rc::ptr_eq(&state, &tab.clerk.state()));
}

#[test]
fn unauthorized_token_refetches_client_and_signs_out() {
    let (h, tab) = signed_in();
    h.fapi.borrow_mut().sessions[0].status = "revoked".into();
    let c = tab.clerk.clone();
    let r = h.run(async move {
        c.get_token(GetTokenOptions {
            skip_cache: true,
            ..Default::default()
        })
        .await
    });
    let e = r.unwrap_err();
    assert_eq!(e.status(), Some(401));
    assert_eq!(e.code(), Some("signed_out"));
    assert_eq!(h.fapi.borrow().count("GET /v1/client"), 2);
    let s = tab.clerk.state();
    assert_eq!(s.status, LoadStatus::Ready);
    assert_eq!(s.auth(true).is_signed_in, Some(false));
    assert!(h.session_cookie().is_none());
    assert!(h
        .bus
        .posted
        .borrow()
        .iter()
        .any(|(_, m)| *m == TabMessage::SignOut));
    let c = tab.clerk.clone();
    assert_eq!(
        h.run(async move { c.get_token(GetTokenOptions::default()).await })
            .unwrap(),
        None
    );
}

#[test]
fn offline_is_an_error_not_none() {
    let (h, tab) = signed_in();
    h.fapi
        .borrow_mut()
        .fault("POST /v1/client/sessions/sess_1/tokens", Fault::Offline, 5);
    let c = tab.clerk.clone();
    let r = h.run(async move { c.get_token(org_opts()).await });
    assert_eq!(r, Err(ClerkError::Offline));
    assert_eq!(tab.clerk.state().auth(true).is_signed_in, Some(true));
}

#[test]
fn network_error_while_page_offline_is_offline() {
    let (h, tab) = signed_in();
    tab.page.online.set(false);
    h.fapi
        .borrow_mut()
        .fault("POST /v1/client/sessions/sess_1/tokens", Fault::Network, 5);
    let c = tab.clerk.clone();
    let r = h.run(async move { c.get_token(org_opts()).await });
    assert_eq!(r, Err(ClerkError::Offline));
}

#[test]
fn rate_limit_is_retried_then_succeeds() {
    let (h, tab) = signed_in();
    h.fapi.borrow_mut().fault(
        "POST /v1/client/sessions/sess_1/tokens",
        Fault::RateLimit(2),
        2,
    );
    let start = h.clock.now();
    let c = tab.clerk.clone();
    let r = h.run(async move { c.get_token(org_opts()).await });
    assert!(r.unwrap().is_some());
    assert_eq!(
        h.fapi
            .borrow()
            .count("POST /v1/client/sessions/sess_1/tokens"),
        3
    );
    assert_eq!(h.clock.now() - start, 4_000, "Retry-After honoured");
    assert_eq!(tab.clerk.state().auth(true).is_signed_in, Some(true));
}

#[test]
fn server_errors_are_retried_a_bounded_number_of_times() {
    let (h, tab) = signed_in();
    h.fapi.borrow_mut().fault(
        "POST /v1/client/sessions/sess_1/tokens",
        Fault::Status(500, "internal_clerk_error".into()),
        10,
    );
    let c = tab.clerk.clone();
    let r = h.run(async move { c.get_token(org_opts()).await });
    assert_eq!(r.unwrap_err().status(), Some(500));
    assert_eq!(
        h.fapi
            .borrow()
            .count("POST /v1/client/sessions/sess_1/tokens"),
        4
    );
    assert_eq!(tab.clerk.state().auth(true).is_signed_in, Some(true));
}

#[test]
fn signed_out_get_token_is_none_without_request() {
    let h = Harness::new(false);
    let tab = h.loaded_tab();
    let c = tab.clerk.clone();
    assert_eq!(
        h.run(async move { c.get_token(GetTokenOptions::default()).await }),
        Ok(None)
    );
    assert_eq!(h.fapi.borrow().log.len(), 2);
}

#[test]
fn skip_cache_always_asks_and_replaces_the_entry() {
    let (h, tab) = signed_in();
    h.advance(1_000);
    let c = tab.clerk.clone();
    let fresh = h
        .run(async move {
            c.get_token(GetTokenOptions {
                skip_cache: true,
                ..Default::default()
            })
            .await
        })
        .unwrap();
    {
        let f = h.fapi.borrow();
        let last = f.log.last().unwrap();
        assert_eq!(last.query("debug").as_deref(), Some("skip_cache"));
        assert_eq!(last.form("organization_id").as_deref(), Some(""));
    }
    assert_eq!(h.session_cookie(), fresh);
    let c = tab.clerk.clone();
    assert_eq!(
        h.run(async move { c.get_token(GetTokenOptions::default()).await })
            .unwrap(),
        fresh
    );
}

#[test]
fn shutdown_stops_timers_and_listeners() {
    let (h, tab) = signed_in();
    let requests = h.fapi.borrow().log.len();
    assert_eq!(tab.page.live_focus_listeners(), 1);
    tab.clerk.shutdown();
    assert_eq!(tab.page.live_focus_listeners(), 0);
    h.advance(10 * 60_000);
    tab.page.focus();
    h.settle();
    assert_eq!(
        h.fapi.borrow().log.len(),
        requests,
        "no request after shutdown"
    );
    assert_eq!(h.clock.pending_sleepers(), 0);
}

#[test]
fn dropping_the_handle_stops_background_work() {
    let (h, tab) = signed_in();
    let requests = h.fapi.borrow().log.len();
    drop(tab);
    h.advance(10 * 60_000);
    assert_eq!(h.fapi.borrow().log.len(), requests);
}

#[test]
fn failed_background_refresh_is_retried_with_backoff() {
    let (h, tab) = signed_in();
    h.fapi.borrow_mut().fault(
        "POST /v1/client/sessions/sess_1/tokens",
        Fault::Status(503, "unavailable".into()),
        4,
    );
    h.advance(43_100 + 7_000); // refresh at +43 s, retries after 1, 2, 4 s: all fail
    assert_eq!(
        h.fapi
            .borrow()
            .count("POST /v1/client/sessions/sess_1/tokens"),
        4
    );
    assert_eq!(
        tab.clerk.state().auth(true).is_signed_in,
        Some(true),
        "503 never signs out"
    );
    h.advance(5_000); // the timer tries again
    assert_eq!(
        h.fapi
            .borrow()
            .count("POST /v1/client/sessions/sess_1/tokens"),
        5
    );
    let t = SessionToken::decode(&h.session_cookie().unwrap()).unwrap();
    assert!(t.claims().iat * 1000 > T0 + 50_000);
}

#[test]
fn pending_session_reads_as_signed_out_by_default() {
    let h = Harness::new(false);
    {
        let mut f = h.fapi.borrow_mut();
        f.sign_in_session("user_1", T0);
        f.sessions[0].status = "pending".into();
    }
    let tab = h.loaded_tab();
    let s = tab.clerk.state();
    assert_eq!(s.auth(true).is_signed_in, Some(false));
    let auth = s.auth(false);
    assert_eq!(auth.is_signed_in, Some(true));
    assert_eq!(
        auth.session_status,
        Some(crate::core::models::SessionStatus::Pending)
    );
    // A pending session still has tokens (it is signed in for FAPI).
    let c = tab.clerk.clone();
    assert!(h
        .run(async move { c.get_token(GetTokenOptions::default()).await })
        .unwrap()
        .is_some());
}

#[test]
fn auth_snapshot_never_changes_on_refresh() {
    let (h, tab) = signed_in();
    let before = tab.clerk.state().auth(true);
    h.advance(43_500);
    assert_eq!(tab.clerk.state().auth(true), before);
}

#[test]
fn missing_expired_token_is_retried_with_the_last_token() {
    let (h, tab) = signed_in();
    let last = h.session_cookie().unwrap();
    let r = after_missing_expired_token(&h, &tab, "tokens", GetTokenOptions::default());
    assert!(r.unwrap().is_some());
    let f = h.fapi.borrow();
    assert_eq!(f.count("POST /v1/client/sessions/sess_1/tokens"), 2);
    assert_eq!(f.log.last().unwrap().query("expired_token"), Some(last));
}

#[test]
fn device_clock_ahead_of_fapi_causes_no_refresh_loop() {
    let h = Harness::new(false);
    {
        let mut f = h.fapi.borrow_mut();
        f.server_offset_ms = -300_000; // the device clock is 5 minutes fast
        f.sign_in_session("user_1", T0 - 300_000);
    }
    let tab = h.loaded_tab();
    let c = tab.clerk.clone();
    let t = h.run(async move { c.get_token(GetTokenOptions::default()).await });
    assert_eq!(t.unwrap(), h.session_cookie());
    assert_eq!(
        h.fapi
            .borrow()
            .count("POST /v1/client/sessions/sess_1/tokens"),
        0
    );
    h.advance(60_000);
    assert_eq!(
        h.fapi
            .borrow()
            .count("POST /v1/client/sessions/sess_1/tokens"),
        1,
        "one proactive refresh, no loop"
    );
}

#[test]
fn missing_expired_token_for_a_template_is_retried_with_the_session_token() {
    // clerk-js sends the session's lastActiveToken, not a token of the template.
    let (h, tab) = signed_in();
    let session_token = h.session_cookie().unwrap();
    let c = tab.clerk.clone();
    let first = h
        .run(async move { c.get_token(GetTokenOptions::template("supabase")).await })
        .unwrap()
        .unwrap();
    assert_ne!(first, session_token);
    let template = GetTokenOptions::template("supabase");
    let r = after_missing_expired_token(&h, &tab, "tokens/supabase", template);
    assert!(r.unwrap().is_some());
    let f = h.fapi.borrow();
    let retry = f.log.last().unwrap();
    assert_eq!(retry.path, "/v1/client/sessions/sess_1/tokens/supabase");
    assert_eq!(retry.query("expired_token"), Some(session_token));
}

/// `get_token` with `skip_cache` while FAPI answers the first request to
/// `/v1/client/sessions/sess_1/{path}` with `422 missing_expired_token`.
fn after_missing_expired_token(
    h: &Harness,
    tab: &Tab,
    path: &str,
    options: GetTokenOptions,
) -> Result<Option<String>, crate::error::ClerkError> {
    h.fapi.borrow_mut().fault(
        &format!("POST /v1/client/sessions/sess_1/{path}"),
        Fault::Status(422, "missing_expired_token".into()),
        1,
    );
    let c = tab.clerk.clone();
    h.run(async move {
        c.get_token(GetTokenOptions {
            skip_cache: true,
            ..options
        })
        .await
    })
}
