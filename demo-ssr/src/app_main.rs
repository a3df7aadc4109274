//! The hydrating client of the SSR demo: reads the configuration the server embedded and
//! hydrates `#app` (the provider reads the embedded `__clerk_initial_state` itself).

#[cfg(target_arch = "wasm32")]
fn main() {
    use demo_ssr::{App, AppProps, DemoConfig, CONFIG_ELEMENT_ID};

    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let config = document
        .get_element_by_id(CONFIG_ELEMENT_ID)
        .and_then(|e| e.text_content())
        .and_then(|text| serde_json::from_str::<DemoConfig>(&text).ok());
    let (Some(config), Some(root)) = (config, document.get_element_by_id("app")) else {
        web_sys::console::error_1(&"demo-ssr: no #app or no configuration in the page".into());
        return;
    };
    yew::Renderer::<App>::with_root_and_props(
        root,
        AppProps {
            config,
            initial: None,
        },
    )
    .hydrate();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("demo-ssr-app is the browser half: build it with --target wasm32-unknown-unknown");
}
