//! Browser implementations of the engine's ports ([`crate::client::ports`]), for `wasm32` only.
//!
//! [`platform()`] bundles them into the [`Platform`](crate::client::ports::Platform) that `ClerkProvider` hands to the engine:
//!
//! | port | implementation |
//! | --- | --- |
//! | [`Transport`](crate::client::ports::Transport) | [`FetchTransport`]: `fetch` with `credentials: "include"` and no custom headers (form bodies are `application/x-www-form-urlencoded`, a CORS-simple type) |
//! | [`Clock`](crate::client::ports::Clock) | [`BrowserClock`]: `Date.now()` and `setTimeout` (gloo-timers) |
//! | [`KeyValueStore`](crate::client::ports::KeyValueStore) | [`LocalStore`]: `localStorage` (never used for session tokens) |
//! | [`CookieJar`](crate::client::ports::CookieJar) | [`DocumentCookies`]: `document.cookie` with `path=/; SameSite=Lax` (+ `Secure` on https) |
//! | [`Broadcast`](crate::client::ports::Broadcast) | [`TabChannels`]: `BroadcastChannel("clerk")` (`{type: "signout"}`) and `BroadcastChannel("clerk:session_token")` |
//! | [`Page`](crate::client::ports::Page) | [`BrowserPage`]: `location`, `history.replaceState`, `navigator.onLine`, `document.hasFocus()`, `focus` / `visibilitychange` listeners, and the responses of the [prefetch snippet](prefetch) |
//! | [`Spawner`](crate::client::ports::Spawner) | [`LocalSpawner`]: `wasm_bindgen_futures::spawn_local` |
//!
//! Nothing here panics: a missing `window` (for example in a worker) degrades to no-ops and
//! network errors.

//! Only [`prefetch`] exists outside `wasm32` (a server rendering `index.html` may want the
//! snippet).

// The port implementations (and so the links above) exist on wasm32 only.
#![cfg_attr(not(target_arch = "wasm32"), allow(rustdoc::broken_intra_doc_links))]

pub mod prefetch;
#[cfg(feature = "cross-tab")]
mod tab_codec;
#[cfg(feature = "cross-tab")]
mod token_id;

#[cfg(all(target_arch = "wasm32", feature = "cross-tab"))]
mod broadcast;
#[cfg(target_arch = "wasm32")]
mod clock;
#[cfg(target_arch = "wasm32")]
mod cookies;
#[cfg(target_arch = "wasm32")]
mod initial;
#[cfg(target_arch = "wasm32")]
mod page;
#[cfg(target_arch = "wasm32")]
mod spawner;
#[cfg(target_arch = "wasm32")]
mod storage;
#[cfg(target_arch = "wasm32")]
mod transport;

#[cfg(all(target_arch = "wasm32", feature = "cross-tab"))]
pub use self::broadcast::{TabChannels, SIGN_OUT_CHANNEL, TOKEN_CHANNEL};
#[cfg(target_arch = "wasm32")]
pub use self::{
    clock::BrowserClock, cookies::DocumentCookies, initial::embedded_initial_state,
    page::BrowserPage, spawner::LocalSpawner, storage::LocalStore, transport::FetchTransport,
};

/// The browser [`Platform`](crate::client::ports::Platform): fetch, `Date.now`/`setTimeout`,
/// `localStorage`, `document.cookie`, `BroadcastChannel`, the page and `spawn_local`.
///
/// Each call makes new `BroadcastChannel` objects, so two platforms in one page (two
/// `ClerkProvider`s) hear each other's messages like two tabs do.
#[cfg(target_arch = "wasm32")]
pub fn platform() -> crate::client::ports::Platform {
    use std::rc::Rc;
    crate::client::ports::Platform {
        transport: Rc::new(FetchTransport::new()),
        clock: Rc::new(BrowserClock),
        storage: Rc::new(LocalStore),
        cookies: Rc::new(DocumentCookies),
        #[cfg(feature = "cross-tab")]
        broadcast: Rc::new(TabChannels::new()),
        #[cfg(not(feature = "cross-tab"))]
        broadcast: Rc::new(crate::client::ports::NoBroadcast),
        page: Rc::new(BrowserPage),
        spawner: Rc::new(LocalSpawner),
    }
}

/// `window`, if there is one.
#[cfg(target_arch = "wasm32")]
pub(crate) fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// `document` as an `HtmlDocument` (for `document.cookie`), if there is one.
#[cfg(target_arch = "wasm32")]
pub(crate) fn html_document() -> Option<web_sys::HtmlDocument> {
    use wasm_bindgen::JsCast;
    window()?
        .document()?
        .dyn_into::<web_sys::HtmlDocument>()
        .ok()
}

/// A readable message for a JS exception or rejection value.
#[cfg(target_arch = "wasm32")]
pub(crate) fn js_error_message(value: &wasm_bindgen::JsValue) -> String {
    if let Some(s) = value.as_string() {
        return s;
    }
    if let Some(err) = wasm_bindgen::JsCast::dyn_ref::<js_sys::Error>(value) {
        return format!(
            "{}: {}",
            String::from(err.name()),
            String::from(err.message())
        );
    }
    format!("{value:?}")
}
