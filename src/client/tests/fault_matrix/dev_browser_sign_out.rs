//! The fault matrix: dev browser, sign-out errors.

use super::*;

#[test]
fn dev_browser_rejected_is_recreated_once_and_session_survives() {
    let (h, tab) = signed_in(true);
    // FAPI forgot the dev browser (e.g. the instance was reset).
    h.fapi.borrow_mut().dev_browsers.clear();
    let token = get_token(&h, &tab, skip_cache());
    // A new dev browser means a new client on FAPI's side: the request still gets a
    // defined answer and the user sees what FAPI says.
    assert!(token.is_ok() || token.as_ref().is_err_and(ClerkError::is_unauthenticated));
    assert_eq!(h.fapi.borrow().count("POST /v1/dev_browser"), 2);
    assert_eq!(tab.clerk.state().status, LoadStatus::Ready);
}

#[test]
fn dev_browser_rejected_repeatedly_does_not_loop() {
    let (h, tab) = signed_in(true);
    h.fapi.borrow_mut().dev_browsers.clear();
    h.fapi.borrow_mut().fault(
        "POST /v1/dev_browser",
        Fault::Status(500, "internal".into()),
        10,
    );
    let result = get_token(&h, &tab, skip_cache());
    assert!(result.is_err());
    assert!(
        h.fapi.borrow().count("POST /v1/dev_browser") <= 5,
        "bounded"
    );
    assert_eq!(tab.clerk.state().status, LoadStatus::Ready);
}

#[test]
fn sign_out_500_reports_the_error_and_keeps_the_session() {
    let (h, tab) = signed_in(false);
    h.fapi.borrow_mut().fault(
        "DELETE /v1/client/sessions",
        Fault::Status(500, "internal".into()),
        1,
    );
    let c = tab.clerk.clone();
    let result = h.run(async move { c.sign_out(SignOutOptions::default()).await });
    assert_eq!(result.unwrap_err().status(), Some(500));
    assert_eq!(is_signed_in(&tab), Some(true));
    assert!(h.session_cookie().is_some());
    assert!(tab.page.navigated.borrow().is_empty());
}

#[test]
fn touch_401_signs_out_like_a_revoked_session() {
    let (h, tab) = signed_in(false);
    h.fapi.borrow_mut().sessions[0].status = "revoked".into();
    h.fapi.borrow_mut().last_active = None;
    tab.page.focus();
    h.advance(1_000);
    assert_eq!(is_signed_in(&tab), Some(false));
    assert!(h.session_cookie().is_none());
}

#[test]
fn environment_snapshot_claiming_to_live_forever_is_not_used() {
    let h = Harness::new(false);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    let mut env = h.fapi.borrow().environment_json();
    env["display_config"]["sign_in_url"] = json!("https://accounts.evil.test/sign-in");
    let snapshot = json!({"value": env, "exp": i64::MAX}).to_string();
    h.storage
        .set_raw(crate::client::load::ENVIRONMENT_KEY, &snapshot);
    h.fapi
        .borrow_mut()
        .fault("GET /v1/environment", Fault::Network, 1);
    let tab = h.loaded_tab();
    let s = tab.clerk.state();
    assert_eq!(s.status, LoadStatus::Degraded);
    assert_eq!(
        s.environment.as_ref().unwrap().display_config.sign_in_url,
        None,
        "the default environment, not the planted one"
    );
    assert_eq!(is_signed_in(&tab), Some(true));
}

#[test]
fn forged_sign_out_message_rereads_the_client_and_keeps_the_session() {
    let (h, tab) = signed_in(false);
    let before = h.fapi.borrow().count("GET /v1/client");
    post_from_other_tab(&h, crate::client::ports::TabMessage::SignOut);
    assert_eq!(h.fapi.borrow().count("GET /v1/client"), before + 1);
    assert_eq!(is_signed_in(&tab), Some(true), "FAPI still has the session");
    assert!(h.session_cookie().is_some());
}

#[test]
fn sign_out_message_flood_costs_at_most_two_client_reads() {
    let (h, tab) = signed_in(false);
    let before = h.fapi.borrow().count("GET /v1/client");
    h.hold.set(true);
    let other = h.platform(page());
    for _ in 0..50 {
        other
            .broadcast
            .post(crate::client::ports::TabMessage::SignOut);
    }
    h.settle();
    h.release();
    h.settle();
    let reads = h.fapi.borrow().count("GET /v1/client") - before;
    assert!((1..=2).contains(&reads), "{reads} reads for 50 messages");
    assert_eq!(is_signed_in(&tab), Some(true));
}
