//! The fault matrix: refresh and retries.

use super::*;

#[test]
fn refresh_is_rearmed_when_the_request_it_deferred_to_fails() {
    let (h, tab) = signed_in(false);
    // A caller's forced refresh at +40 s fails for good (first try and 3 retries)...
    h.fapi
        .borrow_mut()
        .fault(TOKENS, Fault::Status(503, "unavailable".into()), 4);
    h.advance(40_000);
    let c = tab.clerk.clone();
    let forced = start(&h, async move { c.get_token(skip_cache()).await });
    // ...while the refresh timer (+43 s) found it in flight and deferred to it.
    h.advance(10_000);
    assert!(matches!(
        forced.borrow().as_ref(),
        Some(Err(ClerkError::Api { status: 503, .. }))
    ));
    let failed_at = h.fapi.borrow().count(TOKENS);
    assert_eq!(failed_at, 4);
    // The timer must try again on its own before the token expires (+60 s).
    h.advance(8_000);
    assert!(
        h.fapi.borrow().count(TOKENS) > failed_at,
        "refresh re-armed"
    );
    let cookie = h.session_cookie().unwrap();
    let iat = crate::core::claims::SessionToken::decode(&cookie)
        .unwrap()
        .claims()
        .iat;
    assert!(
        iat * 1000 > T0 + 50_000,
        "the cookie holds the refreshed token"
    );
    assert_eq!(is_signed_in(&tab), Some(true));
}
