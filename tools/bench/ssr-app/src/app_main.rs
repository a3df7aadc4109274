//! The hydrating client of the `ssr` variant: reads `window.__BENCH` like the client-rendered
//! bench app and hydrates `<body>`, which holds the server's render of the same app (the
//! provider reads the embedded `InitialState` itself). `window.__mainAt` = when the wasm
//! started running.

#[cfg(target_arch = "wasm32")]
fn main() {
    use bench_ssr::bench_app::{now, App, AppProps};
    use wasm_bindgen::JsValue;
    use yew::AttrValue;

    let get =
        |target: &JsValue, key: &str| js_sys::Reflect::get(target, &JsValue::from_str(key)).ok();
    let config = |name: &str| {
        web_sys::window()
            .and_then(|w| get(&w, "__BENCH"))
            .and_then(|cfg| get(&cfg, name))
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    };
    if let Some(window) = web_sys::window() {
        let _ = js_sys::Reflect::set(&window, &"__mainAt".into(), &now().into());
    }
    let props = AppProps {
        publishable_key: AttrValue::from(config("publishableKey")),
        proxy_url: AttrValue::from(config("proxyUrl")),
        initial: None,
    };
    yew::Renderer::<App>::with_props(props).hydrate();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("bench-ssr-app is the browser half: build it with --target wasm32-unknown-unknown");
}
