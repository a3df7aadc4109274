//! Host tests of the engine built without its optional features (`cargo test -p yew-clerk
//! --no-default-features`): each test states what the documented fallback of one missing
//! feature is (see `[features]` in Cargo.toml) and runs only when that feature is off.
// Which imports a build uses depends on which features are off.
#![allow(unused_imports)]

use serde_json::json;

use super::fakes::*;
use crate::client::ports::HttpResponse;
use crate::client::{GetTokenOptions, LoadStatus};
use crate::error::ClerkError;

/// A development key is a configuration error that names the feature to enable, before any
/// request is sent.
#[cfg(not(feature = "dev-browser"))]
#[test]
fn development_key_without_dev_browser_fails_load_with_config_error() {
    let h = Harness::new(true);
    let tab = h.tab();
    let c = tab.clerk.clone();
    h.run(async move { c.load().await });
    let s = tab.clerk.state();
    assert_eq!(s.status, LoadStatus::Failed);
    let Some(ClerkError::Config(message)) = s.error.clone() else {
        panic!("expected a Config error, got {:?}", s.error);
    };
    assert!(message.contains("`dev-browser` feature"), "{message}");
    assert!(!message.contains(&h.key), "the key is not repeated");
    assert!(h.fapi.borrow().log.is_empty(), "no request sent");
    let c = tab.clerk.clone();
    let token = h.run(async move { c.get_token(GetTokenOptions::default()).await });
    assert!(matches!(token, Err(ClerkError::LoadFailed(_))));
}

/// No other tab hears of this tab's tokens or sign-out, and no refresh lock is written.
#[cfg(not(feature = "cross-tab"))]
#[test]
fn without_cross_tab_nothing_is_posted_and_no_lock_is_taken() {
    let h = Harness::new(false);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    let tab = h.loaded_tab();
    let c = tab.clerk.clone();
    let fresh = h.run(async move {
        c.get_token(GetTokenOptions {
            skip_cache: true,
            ..GetTokenOptions::default()
        })
        .await
    });
    assert!(fresh.unwrap().is_some());
    // The refresh timer fires and refreshes without a lock.
    let before = h
        .fapi
        .borrow()
        .count_prefix("POST /v1/client/sessions/sess_1/tokens");
    h.advance(60_000);
    let after = h
        .fapi
        .borrow()
        .count_prefix("POST /v1/client/sessions/sess_1/tokens");
    assert!(after > before, "the timer refreshed the token");
    assert!(
        h.storage.0.borrow().is_empty() || !h.storage.0.borrow().keys().any(|k| k.contains("lock"))
    );
    let c = tab.clerk.clone();
    h.run(async move { c.sign_out(Default::default()).await })
        .unwrap();
    assert!(
        h.bus.posted.borrow().is_empty(),
        "nothing posted to other tabs"
    );
    assert_eq!(tab.clerk.state().auth(true).is_signed_in, Some(false));
}

/// FAPI unreachable at load: the load fails with the error (no cookie stand-in, no background
/// recovery), and the environment is not stored for later loads.
#[cfg(not(feature = "degraded"))]
#[test]
fn without_degraded_an_unreachable_fapi_fails_the_load() {
    let h = Harness::new(false);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    let _first = h.loaded_tab();
    assert!(h.storage.0.borrow().get("__clerk_environment").is_none());
    h.fapi.borrow_mut().fault(
        "GET /v1/client",
        Fault::Status(503, "unavailable".into()),
        1,
    );
    let tab = h.loaded_tab();
    let s = tab.clerk.state();
    assert_eq!(s.status, LoadStatus::Failed);
    assert_eq!(s.error.as_ref().and_then(|e| e.status()), Some(503));
    assert!(s.client.is_none(), "no session from the cookie");
    let reads = h.fapi.borrow().count("GET /v1/client");
    h.advance(120_000);
    assert_eq!(
        h.fapi.borrow().count("GET /v1/client"),
        reads,
        "no recovery loop"
    );
    assert_eq!(tab.clerk.state().status, LoadStatus::Failed);
}

/// A focused window neither touches the session nor checks the token; no listener is set.
#[cfg(not(feature = "focus-touch"))]
#[test]
fn without_focus_touch_focus_changes_nothing() {
    let h = Harness::new(false);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    let tab = h.loaded_tab();
    assert_eq!(tab.page.live_focus_listeners(), 0);
    let requests = h.fapi.borrow().log.len();
    tab.page.focus();
    h.settle();
    assert_eq!(h.fapi.borrow().log.len(), requests);
}

/// Responses prefetched by the page are left alone: the engine sends its own requests.
#[cfg(not(feature = "prefetch"))]
#[test]
fn without_prefetch_the_engine_fetches_itself() {
    let h = Harness::new(false);
    let page = FakePage::new("http://localhost:8080/");
    page.prefetched.borrow_mut().insert(
        "/v1/client".into(),
        Ok(HttpResponse {
            status: 200,
            retry_after: None,
            dev_browser: None,
            body: json!({"response": null, "client": null}).to_string(),
        }),
    );
    let tab = h.tab_with(h.options(), page.clone());
    let c = tab.clerk.clone();
    h.run(async move { c.load().await });
    assert_eq!(tab.clerk.state().status, LoadStatus::Ready);
    assert_eq!(h.fapi.borrow().count("GET /v1/client"), 1);
    assert!(page.prefetched.borrow().contains_key("/v1/client"));
}
