//! Browser tests of OAuth / SSO by redirect against the real emulator, in Chromium.
//!
//! What is covered, honestly: a wasm test cannot follow a top-level navigation away from its
//! page, so the legs that leave the page are driven from here. The OAuth attempt is created
//! with the same FAPI request `authenticate_with_redirect` sends (on this page's dev browser);
//! the provider and callback legs are fetched (`no-cors`, redirects followed, as the browser
//! would navigate); then a fresh `ClerkProvider` (the page at `redirect_url`) renders
//! `<AuthenticateWithRedirectCallback>`, which runs `handle_redirect_callback` for real. Its
//! after-URLs are `#fragments`, so the final navigation does not leave the page either.
//! `authenticate_with_redirect`'s own navigation to the provider is covered by the host
//! tests (`src/client/tests/oauth_tests.rs`), the clerk-js conformance run and the demo e2e.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::cell::RefCell;

use common::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use yew::prelude::*;
use yew_clerk::client::flows::RedirectCallbackOutcome;
use yew_clerk::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

const NEW_EMAIL: &str = "new.user@example.com";

thread_local! {
    static OUTCOME: RefCell<Option<Result<RedirectCallbackOutcome, ClerkError>>> =
        const { RefCell::new(None) };
    static SIGN_IN: RefCell<Option<UseSignInHandle>> = const { RefCell::new(None) };
}

fn window() -> web_sys::Window {
    web_sys::window().unwrap()
}

/// The page at `redirect_url`: the callback component, reporting how it ended.
#[component]
fn CallbackPage() -> Html {
    let on_outcome = Callback::from(|o: RedirectCallbackOutcome| {
        OUTCOME.with(|s| *s.borrow_mut() = Some(Ok(o)))
    });
    let on_error = Callback::from(|e: ClerkError| OUTCOME.with(|s| *s.borrow_mut() = Some(Err(e))));
    html! {
        <AuthenticateWithRedirectCallback
            after_sign_in_url="#oauth-signed-in"
            after_sign_up_url="#oauth-signed-up"
            {on_outcome}
            {on_error}
        >
            <span>{ "[callback]" }</span>
        </AuthenticateWithRedirectCallback>
    }
}

#[component]
fn SignInProbe() -> Html {
    let sign_in = use_sign_in();
    SIGN_IN.with(|s| *s.borrow_mut() = Some(sign_in.clone()));
    Html::default()
}

async fn outcome() -> Result<RedirectCallbackOutcome, ClerkError> {
    for _ in 0..500 {
        if let Some(o) = OUTCOME.with(|s| s.borrow_mut().take()) {
            return o;
        }
        sleep(20).await;
    }
    panic!("the callback component never reported");
}

fn callback_url() -> String {
    format!(
        "{}/sso-callback-test",
        window().location().origin().unwrap()
    )
}

/// Creates an OAuth attempt (`kind` = `sign_ins` / `sign_ups`) the way
/// `authenticate_with_redirect` does, on this page's dev browser; returns the provider URL.
async fn start(kind: &str, strategy: &str) -> String {
    let body = format!(
        "strategy={strategy}&redirect_url={}&action_complete_redirect_url=%2F",
        js_sys::encode_uri_component(&callback_url())
    );
    let v = fapi("POST", &format!("/client/{kind}"), Some(body)).await;
    let verification = if kind == "sign_ins" {
        &v["response"]["first_factor_verification"]
    } else {
        &v["response"]["verifications"]["external_account"]
    };
    verification["external_verification_redirect_url"]
        .as_str()
        .expect("provider url")
        .to_string()
}

/// Like a browser navigation: a `no-cors` GET that follows the redirects (provider →
/// `/v1/oauth_callback` → `redirect_url`). The response is opaque; only the effect counts.
async fn navigate_like_a_browser(url: &str) {
    let init = web_sys::RequestInit::new();
    init.set_mode(web_sys::RequestMode::NoCors);
    init.set_credentials(web_sys::RequestCredentials::Omit);
    let _ = JsFuture::from(window().fetch_with_str_and_init(url, &init)).await;
}

/// The provider page's "choose" link for `account` (a built-in provider account id), or Deny.
fn choose_url(provider_url: &str, account: Option<&str>) -> String {
    let base = provider_url.replacen("/oauth/authorize?", "/oauth/choose?", 1);
    match account {
        Some(a) => format!("{base}&account={a}"),
        None => format!("{base}&deny=1"),
    }
}

fn state_of(provider_url: &str) -> String {
    provider_url
        .split("state=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_string()
}

/// A fresh start (emulator, browser, address bar) and an OAuth attempt of `kind`
/// (`sign_ins` / `sign_ups`) with `strategy`; returns the provider URL (see [`start`]).
async fn begin(kind: &str, strategy: &str) -> String {
    reset().await;
    clear_hash().await;
    start(kind, strategy).await
}

/// Mounts the callback page (with the auth view) and waits for its outcome.
async fn callback_page() -> (
    Mounted,
    web_sys::Element,
    Result<RedirectCallbackOutcome, ClerkError>,
) {
    let (app, root) = mount(html! { <><AuthView /><CallbackPage /></> }).await;
    let out = outcome().await;
    (app, root, out)
}

async fn clear_hash() {
    let _ = window().location().set_hash("");
}

#[wasm_bindgen_test]
async fn existing_user_is_signed_in_by_the_callback_component() {
    let provider = begin("sign_ins", "oauth_google").await;
    assert!(provider.starts_with(&format!("{}/oauth/authorize?", emulator())));
    navigate_like_a_browser(&choose_url(&provider, Some("google_demo"))).await;
    let (_app, root, out) = callback_page().await;
    let out = out.unwrap();
    assert!(
        matches!(out, RedirectCallbackOutcome::SignedIn { .. }),
        "{out:?}"
    );
    wait_signed_in(&root).await;
    assert_eq!(window().location().hash().unwrap(), "#oauth-signed-in");
    clear_hash().await;
}

#[wasm_bindgen_test]
async fn unknown_account_is_transferred_to_a_sign_up() {
    let provider = begin("sign_ins", "oauth_github").await;
    navigate_like_a_browser(&choose_url(&provider, Some("github_new"))).await;
    let (_app, root, out) = callback_page().await;
    let out = out.unwrap();
    assert!(
        matches!(out, RedirectCallbackOutcome::SignedUp { .. }),
        "{out:?}"
    );
    wait_signed_in(&root).await;
    assert_eq!(window().location().hash().unwrap(), "#oauth-signed-up");
    let users = control("GET", "users", None).await;
    assert!(users
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u["email_addresses"][0]["email_address"] == NEW_EMAIL));
    clear_hash().await;
}

#[wasm_bindgen_test]
async fn sign_up_of_an_existing_account_is_transferred_to_a_sign_in() {
    let provider = begin("sign_ups", "oauth_google").await;
    navigate_like_a_browser(&choose_url(&provider, Some("google_demo"))).await;
    let (_app, root, out) = callback_page().await;
    let out = out.unwrap();
    assert!(
        matches!(out, RedirectCallbackOutcome::SignedIn { .. }),
        "{out:?}"
    );
    wait_signed_in(&root).await;
    clear_hash().await;
    let sessions = control("GET", "sessions", None).await;
    let users = control("GET", "users", None).await;
    let demo = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email_addresses"][0]["email_address"] == EMAIL)
        .unwrap()["id"]
        .clone();
    assert_eq!(sessions[0]["user_id"], demo, "{sessions}");
}

#[wasm_bindgen_test]
async fn denied_is_a_typed_error_and_the_user_stays_signed_out() {
    let provider = begin("sign_ins", "oauth_google").await;
    navigate_like_a_browser(&choose_url(&provider, None)).await;
    let (_app, root, e) = callback_page().await;
    let e = e.unwrap_err();
    assert_eq!(e.code(), Some("oauth_access_denied"), "{e:?}");
    assert!(matches!(e, ClerkError::ExternalVerification { .. }));
    wait_text(&root, 5_000, |t| t.contains("[auth:signed-out]")).await;
    assert_eq!(window().location().hash().unwrap(), "");
}

#[wasm_bindgen_test]
async fn tampered_and_replayed_callbacks_are_typed_errors_and_change_nothing() {
    let provider = begin("sign_ins", "oauth_google").await;
    let state = state_of(&provider);
    let callback = format!("{}/v1/oauth_callback", emulator());
    // Tampered: a state nobody issued, then a code the provider did not issue for this state.
    for (url, code) in [
        (
            format!("{callback}?state=forged&code=x"),
            "oauth_state_invalid",
        ),
        (
            format!("{callback}?state={state}&code=forged"),
            "oauth_state_invalid",
        ),
    ] {
        let (status, text) = http("GET", &url, None, "").await;
        assert_eq!(status, 400, "{text}");
        assert!(text.contains(code), "{text}");
    }
    // The genuine callback still works once.
    navigate_like_a_browser(&choose_url(&provider, Some("google_demo"))).await;
    // Replayed: the state is spent.
    let (status, text) = http("GET", &format!("{callback}?state={state}&code=x"), None, "").await;
    assert_eq!(status, 400, "{text}");
    assert!(text.contains("oauth_state_already_used"), "{text}");
    let (_app, root, out) = callback_page().await;
    assert!(matches!(
        out.unwrap(),
        RedirectCallbackOutcome::SignedIn { .. }
    ));
    wait_signed_in(&root).await;
    let sessions = control("GET", "sessions", None).await;
    assert_eq!(sessions.as_array().unwrap().len(), 1, "{sessions}");
    clear_hash().await;
}

#[wasm_bindgen_test]
async fn refused_urls_and_unknown_providers_leave_the_page_alone() {
    reset().await;
    let (_app, root) = mount(html! { <><AuthView /><SignInProbe /></> }).await;
    wait_text(&root, 10_000, |t| t.contains("[auth:signed-out]")).await;
    let sign_in = SIGN_IN.with(|s| s.borrow().clone()).unwrap();
    let e = sign_in
        .authenticate_with_redirect("oauth_google", "https://evil.example/cb", "/")
        .await
        .unwrap_err();
    assert!(matches!(e, ClerkError::RedirectRefused { .. }), "{e:?}");
    let e = sign_in
        .authenticate_with_redirect("oauth_google", "/cb", "javascript:alert(1)")
        .await
        .unwrap_err();
    assert!(matches!(e, ClerkError::RedirectRefused { .. }), "{e:?}");
    // A provider the instance does not enable: FAPI's error, nothing opened.
    let e = sign_in
        .authenticate_with_redirect("oauth_facebook", "/cb", "/")
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("form_param_format_invalid"), "{e:?}");
    let page: web_sys::Location = window().location();
    assert!(page.href().unwrap().starts_with(&page.origin().unwrap()));
    assert!(root.text_content().unwrap().contains("[auth:signed-out]"));
}
