//! Browser tests of ClerkProvider, the hooks and the control components against the real
//! emulator (headless Chromium, over HTTP). Tests run one at a time and share the emulator,
//! so each starts with `reset()`.
//!
//! One module per area; this file holds what several areas use (the views, `Grab`).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../common/mod.rs"]
mod common;

mod components;
mod faults;
mod flows;
mod load;
mod prefetch;
mod sessions;
mod tokens;

use std::cell::RefCell;

use common::*;
use serde_json::json;
use wasm_bindgen_test::*;
use yew::prelude::*;
use yew_clerk::client::flows::SignInStatus;
use yew_clerk::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

thread_local! {
    static GRABBED: RefCell<Vec<ClerkInstance>> = const { RefCell::new(Vec::new()) };
}

/// Stores the provider's action handle for the test to call.
#[component]
fn Grab() -> Html {
    let auth = use_auth();
    let clerk = auth.clerk();
    use_effect_with(clerk, |clerk| {
        GRABBED.with(|g| g.borrow_mut().push(clerk.clone()));
    });
    Html::default()
}

fn grabbed(i: usize) -> ClerkInstance {
    GRABBED
        .with(|g| g.borrow().get(i).cloned())
        .expect("no grabbed instance")
}

fn reset_grabbed() {
    GRABBED.with(|g| g.borrow_mut().clear());
}

/// Two providers in this page, signed in as the demo user (the first one's handle is
/// `grabbed(0)`): `((a, root_a), (b, root_b))`.
async fn two_signed_in_providers() -> ((Mounted, web_sys::Element), (Mounted, web_sys::Element)) {
    reset().await;
    reset_grabbed();
    sign_in(EMAIL, PASSWORD).await;
    let a = mount(views()).await;
    let b = mount(views()).await;
    wait_signed_in(&a.1).await;
    wait_signed_in(&b.1).await;
    (a, b)
}

/// Makes FAPI's `/v1/client` answer `503`, mounts [`views_with_degraded_and_failed`] and
/// waits (up to 20 s) for `<ClerkDegraded>`; returns the app, its root and the text.
async fn mount_while_client_fails() -> (Mounted, web_sys::Element, String) {
    control(
        "POST",
        "faults",
        Some(json!({"path": "/v1/client", "kind": "status", "status": 503})),
    )
    .await;
    let (handle, root) = mount(views_with_degraded_and_failed()).await;
    let text = wait_text(&root, 20_000, |t| t.contains("[degraded]")).await;
    (handle, root, text)
}

/// Shows the load status.
#[component]
fn StatusView() -> Html {
    let clerk = use_clerk();
    html! { <span class="status">{ format!("[status:{:?}]", clerk.status) }</span> }
}

fn views() -> Html {
    html! { <><AuthView /><UserView /><StatusView /><Grab /></> }
}

/// [`views`] plus `[degraded]` / `[failed]` markers from `ClerkDegraded` / `ClerkFailed`.
fn views_with_degraded_and_failed() -> Html {
    html! {
        <>
            { views() }
            <ClerkDegraded>{ "[degraded]" }</ClerkDegraded>
            <ClerkFailed>{ "[failed]" }</ClerkFailed>
        </>
    }
}
