//! The fault matrix: one test per fault or hostile input, each asserting what the user sees
//! (status, error, signed-in state) and whether the session survives. Host tests with the fake
//! transport and the fake clock (see `fakes/`). "Before" says whether the test failed on the
//! engine as it was before issue 10 (✗ = failed, so the row proves a fix; ✓ = already held).
//!
//! The rows, with what the user sees and whether each failed before its fix, are listed in
//! `RELIABILITY.md` at the repository root (keep it in step when adding a row).
//!
//! Property tests of the same inputs: `tab_props.rs` (the engine on arbitrary cross-tab
//! messages) and `src/browser/tab_codec.rs` (the message decoder).
//!
//! Test-only: compiled under #[cfg(test)] (see `src/client/mod.rs`).

use std::cell::RefCell;
use std::rc::Rc;

use serde_json::json;

use super::fakes::*;
use crate::client::{GetTokenOptions, LoadStatus, SignOutOptions};
use crate::error::ClerkError;

const TOKENS: &str = "POST /v1/client/sessions/sess_1/tokens";
const TOUCH: &str = "POST /v1/client/sessions/sess_1/touch";

/// A signed-in user; the tab is loaded.
fn signed_in(development: bool) -> (Harness, Tab) {
    let h = Harness::new(development);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    let tab = h.loaded_tab();
    (h, tab)
}

/// A signed-in user whose tab is created but not loaded yet.
fn signed_in_unloaded(development: bool, page: Rc<FakePage>) -> (Harness, Tab) {
    let h = Harness::new(development);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    let tab = h.tab_with(h.options(), page);
    (h, tab)
}

fn page() -> Rc<FakePage> {
    FakePage::new("http://localhost:8080/")
}

/// Starts `fut` in the background; the returned cell holds its output once it finished.
fn start<T: 'static>(
    h: &Harness,
    fut: impl std::future::Future<Output = T> + 'static,
) -> Rc<RefCell<Option<T>>> {
    let out = Rc::new(RefCell::new(None));
    let o = out.clone();
    h.spawn(async move {
        let v = fut.await;
        *o.borrow_mut() = Some(v);
    });
    h.settle();
    out
}

fn is_signed_in(tab: &Tab) -> Option<bool> {
    tab.clerk.state().auth(true).is_signed_in
}

fn get_token(
    h: &Harness,
    tab: &Tab,
    options: GetTokenOptions,
) -> Result<Option<String>, ClerkError> {
    let c = tab.clerk.clone();
    h.run(async move { c.get_token(options).await })
}

fn skip_cache() -> GetTokenOptions {
    GetTokenOptions {
        skip_cache: true,
        ..Default::default()
    }
}

// ------------------------------------------------------------------ stalled requests

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

// ------------------------------------------------------------------ refresh and retries

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

// ------------------------------------------------------------------ hostile tabs

/// Posts `message` as another tab of the same app (or a hostile script) would.
fn post_from_other_tab(h: &Harness, message: crate::client::ports::TabMessage) {
    h.platform(page()).broadcast.post(message);
    h.settle();
}

/// A token for `sess_1` with these claims over the defaults of FAPI's tokens.
fn forged(overrides: serde_json::Value) -> String {
    let now = T0 / 1000;
    let mut p = json!({
        "sub": "user_1", "sid": "sess_1", "iat": now, "nbf": now - 10, "exp": now + 60,
        "iss": "https://clerk.example.test", "azp": "http://localhost:8080", "v": 2,
        "sts": "active",
    });
    for (k, v) in overrides.as_object().unwrap() {
        p[k] = v.clone();
    }
    jwt(p)
}

fn token_message(token_id: &str, token: String) -> crate::client::ports::TabMessage {
    crate::client::ports::TabMessage::Token {
        token_id: token_id.into(),
        token,
    }
}

/// The tab still serves FAPI's own token and the cookie holds it.
fn assert_own_token_kept(h: &Harness, tab: &Tab, own: &str) {
    assert_eq!(h.session_cookie().as_deref(), Some(own));
    let got = get_token(h, tab, GetTokenOptions::default()).unwrap();
    assert_eq!(got.as_deref(), Some(own));
    assert_eq!(is_signed_in(tab), Some(true));
}

#[test]
fn hostile_tab_token_with_extreme_times_is_ignored() {
    let (h, tab) = signed_in(false);
    let own = h.session_cookie().unwrap();
    for (iat, exp) in [
        (i64::MAX, i64::MAX),
        (i64::MIN, i64::MAX),
        (0, i64::MIN),
        (i64::MAX, i64::MIN),
        (i64::MIN, i64::MIN),
    ] {
        post_from_other_tab(
            &h,
            token_message("sess_1", forged(json!({"iat": iat, "exp": exp}))),
        );
    }
    assert_own_token_kept(&h, &tab, &own);
}

#[test]
fn hostile_tab_token_with_future_iat_does_not_pin_the_cache() {
    let (h, tab) = signed_in(false);
    let now = T0 / 1000;
    // Plausible expiry, but "minted" a year from now: fresher than anything FAPI will mint.
    let pin = forged(json!({"iat": now + 365 * 86_400, "exp": now + 60}));
    post_from_other_tab(&h, token_message("sess_1", pin.clone()));
    assert_ne!(h.session_cookie().as_deref(), Some(pin.as_str()));
    let fresh = get_token(&h, &tab, skip_cache()).unwrap().unwrap();
    assert_own_token_kept(&h, &tab, &fresh);
}

#[test]
fn hostile_tab_token_with_future_oiat_header_does_not_pin_the_cache() {
    let (h, tab) = signed_in(false);
    let own = h.session_cookie().unwrap();
    let payload = forged(json!({}));
    let body = payload.split('.').nth(1).unwrap();
    let header = b64(&json!({"alg":"RS256","kid":"ins_test","typ":"JWT","oiat": i64::MAX / 2}));
    post_from_other_tab(&h, token_message("sess_1", format!("{header}.{body}.c2ln")));
    assert_own_token_kept(&h, &tab, &own);
}

#[test]
fn hostile_tab_token_for_another_session_is_ignored() {
    let (h, tab) = signed_in(false);
    let own = h.session_cookie().unwrap();
    let now = T0 / 1000 + 1;
    post_from_other_tab(
        &h,
        token_message("sess_1", forged(json!({"sid": "sess_2", "iat": now}))),
    );
    post_from_other_tab(
        &h,
        token_message("sess_2", forged(json!({"sid": "sess_2", "iat": now}))),
    );
    assert_own_token_kept(&h, &tab, &own);
}

#[test]
fn hostile_tab_token_from_another_issuer_is_ignored() {
    let (h, tab) = signed_in(false);
    let own = h.session_cookie().unwrap();
    let now = T0 / 1000 + 1;
    let evil = forged(json!({"iat": now, "iss": "https://clerk.evil.test"}));
    post_from_other_tab(&h, token_message("sess_1", evil));
    let no_iss = forged(json!({"iat": now, "iss": null}));
    post_from_other_tab(&h, token_message("sess_1", no_iss));
    assert_own_token_kept(&h, &tab, &own);
}

#[test]
fn hostile_tab_token_with_inverted_or_huge_lifetime_is_ignored() {
    let (h, tab) = signed_in(false);
    let own = h.session_cookie().unwrap();
    let now = T0 / 1000 + 1;
    post_from_other_tab(
        &h,
        token_message("sess_1", forged(json!({"iat": now, "exp": now - 1}))),
    );
    post_from_other_tab(
        &h,
        token_message(
            "sess_1",
            forged(json!({"iat": now, "exp": now + 10 * 365 * 86_400})),
        ),
    );
    assert_own_token_kept(&h, &tab, &own);
}

#[test]
fn hostile_tab_garbage_messages_are_ignored() {
    let (h, tab) = signed_in(false);
    let own = h.session_cookie().unwrap();
    for (id, token) in [
        ("", String::new()),
        ("sess_1", "not a jwt".to_string()),
        ("sess_1", "a.b.c".to_string()),
        ("sess_1", "x".repeat(1 << 20)),
        ("sess_1-", forged(json!({"iat": T0 / 1000 + 1}))),
        ("\u{0}\u{ffff}", "..".to_string()),
    ] {
        post_from_other_tab(&h, token_message(id, token));
    }
    assert_own_token_kept(&h, &tab, &own);
}

#[test]
fn valid_token_from_another_tab_is_still_adopted() {
    let (h, tab) = signed_in(false);
    h.advance(2_000);
    let theirs = h.fapi.borrow().mint("sess_1", None, T0 + 2_000, None);
    post_from_other_tab(&h, token_message("sess_1", theirs.clone()));
    assert_own_token_kept(&h, &tab, &theirs);
    assert_eq!(h.fapi.borrow().count(TOKENS), 0);
}

#[test]
fn hostile_refresh_lock_held_forever_does_not_stop_the_refresh() {
    let (h, tab) = signed_in(false);
    h.storage.set_raw(
        crate::client::tab_sync::REFRESH_LOCK_KEY,
        &format!("evil|sess_1|{}", i64::MAX),
    );
    h.advance(50_000);
    assert_eq!(
        h.fapi.borrow().count(TOKENS),
        1,
        "refreshed despite the lock"
    );
    assert_eq!(is_signed_in(&tab), Some(true));
}

#[test]
fn tampered_refresh_lock_garbage_is_ignored() {
    let (h, tab) = signed_in(false);
    h.storage.set_raw(
        crate::client::tab_sync::REFRESH_LOCK_KEY,
        "|||\u{0}|-99999999999999999999999|",
    );
    h.advance(50_000);
    assert_eq!(h.fapi.borrow().count(TOKENS), 1);
    assert_eq!(is_signed_in(&tab), Some(true));
}

// ------------------------------------------------------------------ error statuses and bodies

/// A second tab loading while `fault` hits its `/v1/client`; the first tab wrote the cookie.
fn load_second_tab_with_client_fault(fault: Fault) -> (Harness, Tab) {
    let (h, _first) = signed_in(false);
    h.fapi.borrow_mut().fault("GET /v1/client", fault, 1);
    let tab = h.loaded_tab();
    (h, tab)
}

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
    let s = tab.clerk.state();
    assert_eq!(s.status, LoadStatus::Degraded);
    assert!(matches!(
        s.error,
        Some(ClerkError::MalformedResponse { .. })
    ));
    assert_eq!(is_signed_in(&tab), Some(true));
    h.advance(2_500);
    assert_eq!(tab.clerk.state().status, LoadStatus::Ready);
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

// ------------------------------------------------------------------ rate limits, offline

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

// ------------------------------------------------------------------ races and ordering

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

// ------------------------------------------------------------------ clocks

/// A `/v1/client` body as FAPI produced it `age_ms` ago.
fn old_client_response(h: &Harness, age_ms: i64) -> crate::client::ports::HttpResponse {
    let body = json!({"response": h.fapi.borrow().client_json(T0 - age_ms), "client": null});
    crate::client::ports::HttpResponse {
        status: 200,
        retry_after: None,
        dev_browser: None,
        body: body.to_string(),
    }
}

#[test]
fn old_prefetched_client_does_not_make_an_expired_token_look_fresh() {
    let page = page();
    let (h, tab) = signed_in_unloaded(false, page.clone());
    // The prefetch snippet's response sat 10 minutes in a background tab.
    let old = old_client_response(&h, 600_000);
    page.prefetched
        .borrow_mut()
        .insert("/v1/client".into(), Ok(old));
    let c = tab.clerk.clone();
    h.run(async move { c.load().await });
    assert_eq!(is_signed_in(&tab), Some(true));
    let token = get_token(&h, &tab, GetTokenOptions::default())
        .unwrap()
        .unwrap();
    let claims = crate::core::claims::SessionToken::decode(&token).unwrap();
    assert!(
        claims.claims().exp * 1000 > T0,
        "an unexpired token (FAPI's clock is the device's)"
    );
    assert_eq!(h.fapi.borrow().count(TOKENS), 1);
}

fn clock_off_by(offset_ms: i64) {
    let h = Harness::new(false);
    {
        let mut f = h.fapi.borrow_mut();
        f.server_offset_ms = -offset_ms; // FAPI minus device
        f.sign_in_session("user_1", T0 - offset_ms);
    }
    let tab = h.loaded_tab();
    assert_eq!(tab.clerk.state().status, LoadStatus::Ready);
    assert_eq!(is_signed_in(&tab), Some(true));
    // The seeded token is used as is, and the timer refreshes about once a minute.
    assert!(get_token(&h, &tab, GetTokenOptions::default())
        .unwrap()
        .is_some());
    assert_eq!(h.fapi.borrow().count(TOKENS), 0);
    h.advance(120_000);
    let refreshes = h.fapi.borrow().count(TOKENS);
    assert!(
        (2..=3).contains(&refreshes),
        "{refreshes} refreshes in 2 min"
    );
    assert!(get_token(&h, &tab, GetTokenOptions::default())
        .unwrap()
        .is_some());
    assert_eq!(h.fapi.borrow().count(TOKENS), refreshes);
}

#[test]
fn device_clock_10_minutes_fast_is_tolerated() {
    clock_off_by(600_000);
}

#[test]
fn device_clock_10_minutes_slow_is_tolerated() {
    clock_off_by(-600_000);
}

// ------------------------------------------------------------------ tampered storage and cookies

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

// ------------------------------------------------------------------ schema drift

/// The signed-in `/v1/client` response with `edit` applied to its JSON.
fn drifted_client(h: &Harness, edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut body = json!({"response": h.fapi.borrow().client_json(T0), "client": null});
    edit(&mut body["response"]);
    body.to_string()
}

/// Loads a tab whose `/v1/client` answers `body` (then FAPI answers normally).
fn load_with_client_body(h: &Harness, body: String) -> Tab {
    h.fapi
        .borrow_mut()
        .fault("GET /v1/client", Fault::Body(200, body), 1);
    h.loaded_tab()
}

#[test]
fn schema_drift_in_the_environment_falls_back_and_is_reported_once() {
    let h = Harness::new(false);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    let mut env = h.fapi.borrow().environment_json();
    env["display_config"]["application_name"] = json!(12);
    h.fapi
        .borrow_mut()
        .fault("GET /v1/environment", Fault::Body(200, env.to_string()), 1);
    let tab = h.loaded_tab();
    assert_eq!(tab.clerk.state().status, LoadStatus::Ready);
    let warnings = tab.page.warnings.borrow();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("application_name"), "{}", warnings[0]);
}

#[test]
fn schema_drift_unknown_fields_are_ignored() {
    let h = Harness::new(false);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    let body = drifted_client(&h, |c| {
        c["brand_new_field"] = json!({"nested": [1, 2, {"deep": null}]});
        c["sessions"][0]["another_new_field"] = json!("x");
        c["sessions"][0]["user"]["yet_another"] = json!(12.5e300);
    });
    let tab = load_with_client_body(&h, body);
    assert_eq!(tab.clerk.state().status, LoadStatus::Ready);
    assert_eq!(is_signed_in(&tab), Some(true));
    // Unknown fields are not drift: nothing to warn about.
    assert!(tab.page.warnings.borrow().is_empty());
}

#[test]
fn schema_drift_wrong_typed_optional_field_falls_back() {
    let h = Harness::new(false);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    let body = drifted_client(&h, |c| {
        c["sessions"][0]["user"]["first_name"] = json!(12);
        c["sessions"][0]["last_active_at"] = json!("yesterday");
    });
    let tab = load_with_client_body(&h, body);
    assert_eq!(tab.clerk.state().status, LoadStatus::Ready);
    assert_eq!(is_signed_in(&tab), Some(true));
    // The developer is told once, with the field paths and no values.
    let warnings = tab.page.warnings.borrow();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("first_name"), "{}", warnings[0]);
    assert!(!warnings[0].contains("yesterday"), "{}", warnings[0]);
}

#[test]
fn schema_drift_unknown_session_status_is_not_signed_in_and_load_completes() {
    let h = Harness::new(false);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    let body = drifted_client(&h, |c| {
        c["sessions"][0]["status"] = json!("hibernating");
    });
    let tab = load_with_client_body(&h, body);
    assert_eq!(tab.clerk.state().status, LoadStatus::Ready);
    assert_eq!(is_signed_in(&tab), Some(false));
    assert!(h.session_cookie().is_none());
}

#[test]
fn schema_drift_unknown_enum_values_elsewhere_are_tolerated() {
    let h = Harness::new(false);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    let body = drifted_client(&h, |c| {
        let user = &mut c["sessions"][0]["user"];
        user["email_addresses"][0]["verification"]["status"] = json!("quantum");
        user["email_addresses"][0]["verification"]["strategy"] = json!("telepathy");
        c["sessions"][0]["tasks"] = json!([{"key": "some-future-task"}]);
    });
    let tab = load_with_client_body(&h, body);
    assert_eq!(tab.clerk.state().status, LoadStatus::Ready);
    assert_eq!(is_signed_in(&tab), Some(true));
}

#[test]
fn malformed_client_json_at_load_degrades_and_recovers() {
    let (h, tab) = load_second_tab_with_client_fault(Fault::Malformed);
    let s = tab.clerk.state();
    assert_eq!(s.status, LoadStatus::Degraded);
    assert!(matches!(
        s.error,
        Some(ClerkError::MalformedResponse { .. })
    ));
    assert_eq!(is_signed_in(&tab), Some(true));
    h.advance(2_500);
    assert_eq!(tab.clerk.state().status, LoadStatus::Ready);
}

// ------------------------------------------------------------------ dev browser, sign-out errors

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
