//! The fault matrix: rate limits, offline.

use super::*;

#[test]
fn rate_limited_load_waits_for_retry_after_before_recovering() {
    let (h, tab) = load_second_tab_with_client_fault(Fault::RateLimit(20));
    let s = tab.clerk.state();
    assert_eq!(s.status, LoadStatus::Degraded);
    assert_eq!(s.error.as_ref().and_then(ClerkError::status), Some(429));
    assert_eq!(is_signed_in(&tab), Some(true));
    let before = h.fapi.borrow().count("GET /v1/client");
    h.advance(15_000);
    assert_eq!(
        h.fapi.borrow().count("GET /v1/client"),
        before,
        "no retry before Retry-After"
    );
    h.advance(6_000);
    assert_eq!(tab.clerk.state().status, LoadStatus::Ready);
}

#[test]
fn rate_limit_during_recovery_is_honoured() {
    let (h, tab) = load_second_tab_with_client_fault(Fault::Network);
    h.fapi
        .borrow_mut()
        .fault("GET /v1/client", Fault::RateLimit(30), 1);
    h.advance(2_000); // first recovery round: 429, Retry-After 30 s
    let after_429 = h.fapi.borrow().count("GET /v1/client");
    h.advance(25_000);
    assert_eq!(h.fapi.borrow().count("GET /v1/client"), after_429);
    assert_eq!(tab.clerk.state().status, LoadStatus::Degraded);
    assert_eq!(is_signed_in(&tab), Some(true));
    h.advance(6_000);
    assert_eq!(tab.clerk.state().status, LoadStatus::Ready);
}

#[test]
fn rate_limited_token_request_honours_retry_after() {
    let (h, tab) = signed_in(false);
    h.fapi.borrow_mut().fault(TOKENS, Fault::RateLimit(3), 1);
    let c = tab.clerk.clone();
    let out = start(&h, async move { c.get_token(skip_cache()).await });
    h.advance(2_900);
    assert!(out.borrow().is_none(), "still waiting for Retry-After");
    h.advance(200);
    assert!(matches!(out.borrow().as_ref(), Some(Ok(Some(_)))));
    assert_eq!(is_signed_in(&tab), Some(true));
}

#[test]
fn offline_then_online_recovers_without_reload() {
    let (h, _first) = signed_in(false);
    h.fapi
        .borrow_mut()
        .fault("GET /v1/client", Fault::Offline, 2);
    let page = page();
    page.online.set(false);
    let tab = h.tab_with(h.options(), page);
    let c = tab.clerk.clone();
    h.run(async move { c.load().await });
    let s = tab.clerk.state();
    assert_eq!(s.status, LoadStatus::Degraded);
    assert_eq!(s.error, Some(ClerkError::Offline));
    assert_eq!(is_signed_in(&tab), Some(true), "session from the cookie");
    let t = tab.clerk.clone();
    let token = start(
        &h,
        async move { t.get_token(GetTokenOptions::default()).await },
    );
    assert!(token.borrow().as_ref().unwrap().as_ref().unwrap().is_some());
    h.advance(2_000); // a recovery round while still offline; the next one is 4 s later
    assert_eq!(tab.clerk.state().status, LoadStatus::Degraded);
    tab.page.go_online();
    h.settle();
    assert_eq!(
        tab.clerk.state().status,
        LoadStatus::Ready,
        "recovered at once"
    );
    assert!(tab.page.navigated.borrow().is_empty(), "no reload");
    assert_eq!(is_signed_in(&tab), Some(true));
}
