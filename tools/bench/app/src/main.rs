//! Load-time benchmark app (tools/bench/load-time.mjs): `ClerkProvider` plus a marker.
//!
//! The page sets `window.__BENCH = { publishableKey, proxyUrl }` before the module runs.
//! When `use_auth().is_loaded` first renders, the app adds `<div id="loaded">` and stores
//! `window.__loaded = { t: performance.now(), signedIn }` (navigation start = 0); `main`
//! stores `window.__mainAt` when the wasm starts running.
use wasm_bindgen::JsValue;
use yew::prelude::*;
use yew_clerk::prelude::*;

fn bench_config(name: &str) -> String {
    let get =
        |target: &JsValue, key: &str| js_sys::Reflect::get(target, &JsValue::from_str(key)).ok();
    web_sys::window()
        .and_then(|w| get(&w, "__BENCH"))
        .and_then(|cfg| get(&cfg, name))
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

fn now() -> f64 {
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
        html! { <div id="loaded" data-signed-in={signed_in.to_string()}>{ "loaded" }</div> }
    } else {
        html! { <div id="loading">{ "loading" }</div> }
    }
}

#[component]
fn App() -> Html {
    let publishable_key = bench_config("publishableKey");
    let proxy_url = bench_config("proxyUrl");
    html! {
        <ClerkProvider publishable_key={publishable_key} proxy_url={Some(AttrValue::from(proxy_url))}>
            <Marker />
        </ClerkProvider>
    }
}

fn main() {
    // When the wasm started running (after download, compile and instantiate).
    if let Some(window) = web_sys::window() {
        let _ = js_sys::Reflect::set(&window, &"__mainAt".into(), &now().into());
    }
    yew::Renderer::<App>::new().render();
}
