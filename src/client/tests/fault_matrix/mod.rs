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
//! One file per kind of fault; the shared set-ups are here.
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

/// A second tab loading while `fault` hits its `/v1/client`; the first tab wrote the cookie.
fn load_second_tab_with_client_fault(fault: Fault) -> (Harness, Tab) {
    let (h, _first) = signed_in(false);
    h.fapi.borrow_mut().fault("GET /v1/client", fault, 1);
    let tab = h.loaded_tab();
    (h, tab)
}

/// The load went `Degraded` on an unreadable `/v1/client` (keeping the session from the
/// cookie), and the recovery 2.5 s later makes it `Ready`.
fn degraded_by_a_malformed_client_then_recovered(h: &Harness, tab: &Tab) {
    let s = tab.clerk.state();
    assert_eq!(s.status, LoadStatus::Degraded);
    assert!(matches!(
        s.error,
        Some(ClerkError::MalformedResponse { .. })
    ));
    assert_eq!(is_signed_in(tab), Some(true));
    h.advance(2_500);
    assert_eq!(tab.clerk.state().status, LoadStatus::Ready);
}

mod stalls;
mod refresh;
mod hostile_tabs;
mod statuses;
mod rate_limits;
mod races;
mod clocks;
mod tampered_storage;
mod schema_drift;
mod dev_browser_sign_out;
