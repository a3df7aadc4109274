//! The bench app itself, shared by the client-rendered variants (`tools/bench/app`, this
//! crate's `main.rs`) and the server-rendered one (`tools/bench/ssr-app`, which compiles this
//! file with `#[path]`), so every variant measures the same component tree: `ClerkProvider`
//! and a marker showing the auth state.
//!
//! The marker renders `<div id="loading">` until `use_auth().is_loaded`, then
//! `<div id="loaded" data-signed-in=… elementtiming="clerk-marker">`; the first time it renders
//! loaded, its effect stores `window.__loaded = { t: performance.now(), signedIn }`
//! (navigation start = 0). Under SSR the first render is already loaded (the server's
//! `InitialState`), so that effect runs when hydration finished. The `elementtiming`
//! attribute lets the page observe when the marker was painted (Element Timing API).
use std::rc::Rc;

use yew::prelude::*;
use yew_clerk::prelude::*;

/// `performance.now()`, or -1 without a window (never called on the server: effects do not
/// run under `ServerRenderer`).
pub fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(-1.0)
}

fn record_loaded(signed_in: bool) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let t = now();
    let record = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&record, &"t".into(), &t.into());
    let _ = js_sys::Reflect::set(&record, &"signedIn".into(), &signed_in.into());
    let _ = js_sys::Reflect::set(&window, &"__loaded".into(), &record);
}

#[component]
fn Marker() -> Html {
    let auth = use_auth();
    let loaded = auth.is_loaded;
    let signed_in = auth.is_signed_in == Some(true);
    use_effect_with(loaded, move |&loaded| {
        if loaded {
            record_loaded(signed_in);
        }
    });
    if loaded {
        html! {
            <div id="loaded" data-signed-in={signed_in.to_string()} elementtiming="clerk-marker">
                { if signed_in { "signed in" } else { "signed out" } }
            </div>
        }
    } else {
        html! { <div id="loading">{ "loading" }</div> }
    }
}

/// Props of [`App`]: plain data, as `ServerRenderer` builds them on its own thread.
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct AppProps {
    /// The instance's publishable key.
    pub publishable_key: AttrValue,
    /// The Frontend API (the emulator's URL).
    pub proxy_url: AttrValue,
    /// The server's `InitialState` (SSR only; the hydrating provider reads the embedded one).
    #[prop_or_default]
    pub initial: Option<Rc<InitialState>>,
}

/// The bench app: the provider and the marker.
#[component]
pub fn App(props: &AppProps) -> Html {
    html! {
        <ClerkProvider
            publishable_key={props.publishable_key.clone()}
            proxy_url={Some(props.proxy_url.clone())}
            initial_state={props.initial.clone()}
        >
            <Marker />
        </ClerkProvider>
    }
}
