//! The fault matrix: races and ordering.

use super::*;

#[test]
fn sign_out_racing_a_touch_stays_signed_out() {
    let (h, tab) = signed_in(false);
    // The focus touch is answered (session active) but its response arrives only after
    // the user signed out.
    h.late.set(1);
    tab.page.focus();
    h.settle();
    assert_eq!(h.fapi.borrow().count(TOUCH), 1);
    let c = tab.clerk.clone();
    h.run(async move { c.sign_out(SignOutOptions::default()).await })
        .unwrap();
    assert_eq!(is_signed_in(&tab), Some(false));
    h.release();
    h.advance(1_000);
    assert_eq!(
        is_signed_in(&tab),
        Some(false),
        "the stale touch did not sign back in"
    );
    assert!(h.session_cookie().is_none());
    assert_eq!(h.fapi.borrow().count(TOKENS), 0, "no token fetched for it");
}

#[test]
fn stale_client_response_does_not_undo_a_newer_one() {
    let (h, tab) = signed_in(false);
    // A touch answered at +1 s but delivered late, after a sign-out answered at +2 s.
    h.advance(1_000);
    h.late.set(1);
    tab.page.focus();
    h.settle();
    h.advance(1_000);
    let c = tab.clerk.clone();
    h.run(async move { c.sign_out(SignOutOptions::default()).await })
        .unwrap();
    h.release();
    let client = tab.clerk.state().client.clone().unwrap();
    assert_eq!(
        client.signed_in_sessions().count(),
        0,
        "the newer client is kept"
    );
    assert_eq!(is_signed_in(&tab), Some(false));
}

#[test]
fn session_revoked_elsewhere_signs_out_on_401() {
    let (h, tab) = signed_in(false);
    h.fapi.borrow_mut().sessions[0].status = "revoked".into();
    h.fapi.borrow_mut().last_active = None;
    let result = get_token(&h, &tab, skip_cache());
    assert!(
        matches!(&result, Err(e) if e.is_unauthenticated()),
        "{result:?}"
    );
    assert_eq!(is_signed_in(&tab), Some(false), "the user sees signed out");
    assert_eq!(tab.clerk.state().status, LoadStatus::Ready);
    assert!(h.session_cookie().is_none());
}
