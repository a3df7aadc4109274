//! The fault matrix: tampered storage and cookies.

use super::*;

/// A tab loading while FAPI is unreachable, with `__session` set to `cookie`.
fn degraded_load_with_session_cookie(cookie: &str) -> (Harness, Tab) {
    let h = Harness::new(false);
    use crate::client::ports::CookieJar;
    h.cookies.set("__session", cookie, 3600);
    h.fapi
        .borrow_mut()
        .fault("GET /v1/client", Fault::Network, 1);
    let tab = h.loaded_tab();
    (h, tab)
}

#[test]
fn tampered_session_cookie_garbage_means_signed_out_while_degraded() {
    for cookie in ["", "garbage", "a.b.c", "..", "\u{0}", &"e".repeat(100_000)] {
        let (_h, tab) = degraded_load_with_session_cookie(cookie);
        assert_eq!(tab.clerk.state().status, LoadStatus::Degraded);
        assert_eq!(is_signed_in(&tab), Some(false), "{:.20}", cookie);
    }
}

#[test]
fn tampered_session_cookie_with_forged_times_is_not_a_session() {
    let now = T0 / 1000;
    for (iat, exp) in [
        (now, i64::MAX),
        (i64::MIN, i64::MAX),
        (now + 86_400 * 365, now + 86_400 * 365 + 60),
        (now, now + 10 * 365 * 86_400),
    ] {
        let cookie = forged(json!({"iat": iat, "exp": exp}));
        let (h, tab) = degraded_load_with_session_cookie(&cookie);
        assert_eq!(tab.clerk.state().status, LoadStatus::Degraded);
        assert_eq!(is_signed_in(&tab), Some(false), "iat {iat} exp {exp}");
        // The real state comes back with FAPI (signed out there too).
        h.advance(2_500);
        assert_eq!(tab.clerk.state().status, LoadStatus::Ready);
    }
}

#[test]
fn valid_session_cookie_keeps_the_user_signed_in_while_degraded() {
    let cookie = forged(json!({}));
    let (_h, tab) = degraded_load_with_session_cookie(&cookie);
    assert_eq!(tab.clerk.state().status, LoadStatus::Degraded);
    assert_eq!(is_signed_in(&tab), Some(true));
}

#[test]
fn tampered_environment_snapshot_is_ignored() {
    for snapshot in [
        "garbage",
        r#"{"value": 12, "exp": 99999999999999999999}"#,
        r#"{"value": {"auth_config": []}, "exp": -1}"#,
        r#"{"value": {}, "exp": 1e308}"#,
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    ] {
        let h = Harness::new(false);
        h.fapi.borrow_mut().sign_in_session("user_1", T0);
        h.storage
            .set_raw(crate::client::load::ENVIRONMENT_KEY, snapshot);
        h.fapi
            .borrow_mut()
            .fault("GET /v1/environment", Fault::Network, 1);
        let tab = h.loaded_tab();
        let s = tab.clerk.state();
        assert_eq!(s.status, LoadStatus::Degraded, "{snapshot}");
        assert!(s.environment.is_some(), "the default environment");
        assert_eq!(is_signed_in(&tab), Some(true));
    }
}
