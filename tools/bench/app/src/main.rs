//! Load-time benchmark app (tools/bench/load-time.mjs), client-rendered: the app of
//! [`bench_app`] (`ClerkProvider` plus a marker) rendered into `<body>`.
//!
//! The page sets `window.__BENCH = { publishableKey, proxyUrl }` before the module runs;
//! `main` stores `window.__mainAt` when the wasm starts running.
use wasm_bindgen::JsValue;
use yew::AttrValue;

mod bench_app;

/// `window.__BENCH[name]` as a string ("" when missing).
fn bench_config(name: &str) -> String {
    let get =
        |target: &JsValue, key: &str| js_sys::Reflect::get(target, &JsValue::from_str(key)).ok();
    web_sys::window()
        .and_then(|w| get(&w, "__BENCH"))
        .and_then(|cfg| get(&cfg, name))
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

fn main() {
    // When the wasm started running (after download, compile and instantiate).
    if let Some(window) = web_sys::window() {
        let _ = js_sys::Reflect::set(&window, &"__mainAt".into(), &bench_app::now().into());
    }
    let props = bench_app::AppProps {
        publishable_key: AttrValue::from(bench_config("publishableKey")),
        proxy_url: AttrValue::from(bench_config("proxyUrl")),
        initial: None,
    };
    yew::Renderer::<bench_app::App>::with_props(props).render();
}
