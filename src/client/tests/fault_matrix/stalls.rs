//! The fault matrix: stalled requests.

use super::*;

#[test]
fn stalled_environment_at_load_degrades_then_recovers() {
    let (h, tab) = signed_in_unloaded(false, page());
    // Stalls at load and again in the first recovery round.
    h.fapi
        .borrow_mut()
        .fault("GET /v1/environment", Fault::Stall, 2);
    let c = tab.clerk.clone();
    let loaded = start(&h, async move { c.load().await });
    h.advance(8_000);
    assert!(loaded.borrow().is_some(), "load finished");
    let s = tab.clerk.state();
    assert_eq!(s.status, LoadStatus::Degraded);
    assert!(
        matches!(s.error, Some(ClerkError::Timeout { .. })),
        "{:?}",
        s.error
    );
    assert_eq!(is_signed_in(&tab), Some(true));
    h.advance(60_000);
    assert_eq!(tab.clerk.state().status, LoadStatus::Ready);
    assert_eq!(is_signed_in(&tab), Some(true));
    assert_eq!(h.abandoned.get(), 2, "both stalled fetches were dropped");
}

#[test]
fn stalled_client_at_load_degrades_from_cookie_then_recovers() {
    let (h, tab) = signed_in(false);
    h.fapi.borrow_mut().fault("GET /v1/client", Fault::Stall, 1);
    let second = h.tab();
    let c = second.clerk.clone();
    let loaded = start(&h, async move { c.load().await });
    h.advance(7_500);
    assert!(loaded.borrow().is_some());
    let s = second.clerk.state();
    assert_eq!(s.status, LoadStatus::Degraded);
    assert!(
        matches!(s.error, Some(ClerkError::Timeout { .. })),
        "{:?}",
        s.error
    );
    assert_eq!(is_signed_in(&second), Some(true), "session from the cookie");
    h.advance(10_000);
    assert_eq!(second.clerk.state().status, LoadStatus::Ready);
    assert_eq!(is_signed_in(&tab), Some(true));
}

#[test]
fn stalled_dev_browser_creation_degrades_instead_of_loading_forever() {
    let (h, tab) = signed_in_unloaded(true, page());
    h.fapi
        .borrow_mut()
        .fault("POST /v1/dev_browser", Fault::Stall, 1);
    let c = tab.clerk.clone();
    let loaded = start(&h, async move { c.load().await });
    let t = tab.clerk.clone();
    let token = start(
        &h,
        async move { t.get_token(GetTokenOptions::default()).await },
    );
    h.advance(8_000);
    assert!(loaded.borrow().is_some(), "load finished");
    assert_eq!(tab.clerk.state().status, LoadStatus::Degraded);
    assert!(token.borrow().is_some(), "get_token did not wait forever");
    // The recovery loop creates the dev browser and loads the client.
    h.advance(10_000);
    assert_eq!(tab.clerk.state().status, LoadStatus::Ready);
    assert_eq!(h.fapi.borrow().count("POST /v1/dev_browser"), 2);
}

#[test]
fn stalled_prefetched_client_degrades_then_recovers() {
    let page = page();
    page.prefetch_stalled.borrow_mut().push("/v1/client".into());
    let (h, tab) = signed_in_unloaded(false, page);
    let c = tab.clerk.clone();
    let loaded = start(&h, async move { c.load().await });
    h.advance(8_000);
    assert!(loaded.borrow().is_some(), "load finished");
    assert_eq!(tab.clerk.state().status, LoadStatus::Degraded);
    h.advance(10_000);
    assert_eq!(tab.clerk.state().status, LoadStatus::Ready);
    assert_eq!(is_signed_in(&tab), Some(true));
}

#[test]
fn stalled_token_request_times_out_for_every_waiter_and_session_survives() {
    let h = Harness::new(false);
    h.fapi.borrow_mut().token_lifetime = 8;
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    let tab = h.loaded_tab();
    // The refresh timer fires at +5 s (3 s left) and its request stalls: every caller now
    // waits for it.
    h.fapi.borrow_mut().fault(TOKENS, Fault::Stall, 1);
    h.advance(5_000);
    assert_eq!(h.fapi.borrow().count(TOKENS), 1);
    let waiters: Vec<_> = (0..3)
        .map(|_| {
            let c = tab.clerk.clone();
            start(
                &h,
                async move { c.get_token(GetTokenOptions::default()).await },
            )
        })
        .collect();
    assert!(waiters.iter().all(|w| w.borrow().is_none()), "they wait");
    h.advance(10_000);
    for w in &waiters {
        let w = w.borrow();
        let result = w.as_ref().expect("every waiter answered");
        assert!(
            matches!(result, Err(ClerkError::Timeout { .. })),
            "{result:?}"
        );
    }
    assert_eq!(h.abandoned.get(), 1, "the stalled fetch was aborted");
    assert_eq!(is_signed_in(&tab), Some(true));
    assert!(get_token(&h, &tab, GetTokenOptions::default())
        .unwrap()
        .is_some());
}

#[test]
fn stalled_touch_on_focus_is_abandoned_and_session_survives() {
    let (h, tab) = signed_in(false);
    h.fapi.borrow_mut().fault(TOUCH, Fault::Stall, 1);
    tab.page.focus();
    h.advance(15_000);
    assert_eq!(h.abandoned.get(), 1);
    assert_eq!(is_signed_in(&tab), Some(true));
    assert_eq!(tab.clerk.state().status, LoadStatus::Ready);
    tab.page.focus();
    h.advance(1_000);
    assert_eq!(
        h.fapi.borrow().count(TOUCH),
        2,
        "the next focus touches again"
    );
}

#[test]
fn stalled_sign_out_reports_timeout_and_keeps_the_session() {
    let (h, tab) = signed_in(false);
    h.fapi
        .borrow_mut()
        .fault("DELETE /v1/client/sessions", Fault::Stall, 1);
    let c = tab.clerk.clone();
    let out = start(
        &h,
        async move { c.sign_out(SignOutOptions::default()).await },
    );
    h.advance(15_000);
    let out = out.borrow();
    assert!(
        matches!(out.as_ref(), Some(Err(ClerkError::Timeout { .. }))),
        "{out:?}"
    );
    assert_eq!(is_signed_in(&tab), Some(true), "nothing changed: retry");
    assert!(h.session_cookie().is_some());
}
