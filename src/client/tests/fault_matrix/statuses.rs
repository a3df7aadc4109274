//! The fault matrix: error statuses and bodies.

use super::*;

#[test]
fn client_500_at_load_degrades_keeps_session_and_recovers() {
    let (h, tab) = load_second_tab_with_client_fault(Fault::Status(500, "internal".into()));
    let s = tab.clerk.state();
    assert_eq!(s.status, LoadStatus::Degraded);
    assert_eq!(s.error.as_ref().and_then(ClerkError::status), Some(500));
    assert_eq!(is_signed_in(&tab), Some(true));
    h.advance(2_500);
    assert_eq!(tab.clerk.state().status, LoadStatus::Ready);
    assert_eq!(is_signed_in(&tab), Some(true));
}

#[test]
fn client_503_at_load_degrades_keeps_session_and_recovers() {
    let (h, tab) = load_second_tab_with_client_fault(Fault::Status(503, "unavailable".into()));
    assert_eq!(tab.clerk.state().status, LoadStatus::Degraded);
    assert_eq!(is_signed_in(&tab), Some(true));
    h.advance(2_500);
    assert_eq!(tab.clerk.state().status, LoadStatus::Ready);
}

#[test]
fn dropped_connection_at_load_degrades_keeps_session_and_recovers() {
    let (h, tab) = load_second_tab_with_client_fault(Fault::Network);
    let s = tab.clerk.state();
    assert_eq!(s.status, LoadStatus::Degraded);
    assert!(matches!(s.error, Some(ClerkError::Network { .. })));
    assert_eq!(is_signed_in(&tab), Some(true));
    h.advance(2_500);
    assert_eq!(tab.clerk.state().status, LoadStatus::Ready);
}

#[test]
fn html_error_page_at_load_degrades_keeps_session_and_recovers() {
    let html = "<!doctype html><html><body><h1>502 Bad Gateway</h1></body></html>";
    let (h, tab) = load_second_tab_with_client_fault(Fault::Body(200, html.into()));
    degraded_by_a_malformed_client_then_recovered(&h, &tab);
}

#[test]
fn html_502_on_tokens_is_retried_and_session_survives() {
    let (h, tab) = signed_in(false);
    let html = "<html><body>502 Bad Gateway</body></html>";
    h.fapi
        .borrow_mut()
        .fault(TOKENS, Fault::Body(502, html.into()), 1);
    let token = get_token(&h, &tab, skip_cache()).unwrap();
    assert!(token.is_some());
    assert_eq!(h.fapi.borrow().count(TOKENS), 2);
    assert_eq!(is_signed_in(&tab), Some(true));
}

#[test]
fn malformed_token_body_is_an_error_not_a_sign_out() {
    let (h, tab) = signed_in(false);
    h.fapi.borrow_mut().fault(TOKENS, Fault::Malformed, 1);
    let result = get_token(&h, &tab, skip_cache());
    assert!(
        matches!(result, Err(ClerkError::MalformedResponse { .. })),
        "{result:?}"
    );
    assert_eq!(is_signed_in(&tab), Some(true));
    assert!(get_token(&h, &tab, skip_cache()).unwrap().is_some());
}
