//! The yew-clerk demo: `ClerkProvider` around an app that shows every state and hook.
//!
//! The publishable key and the Frontend API base (`proxy_url`) come from the demo API at start
//! (`GET /api/config`), so one build runs against the local emulator and against real Clerk.
//! `scripts/demo` starts everything; see README.md.

mod api;
mod sensitive;
mod views;

use yew::prelude::*;
use yew_clerk::prelude::*;

use crate::api::{fetch_config, DemoConfig};

/// Fetches the configuration, then mounts the provider.
#[component]
fn App() -> Html {
    let config = use_state(|| None::<Result<DemoConfig, String>>);
    {
        let config = config.clone();
        use_effect_with((), move |_| {
            yew::platform::spawn_local(async move {
                config.set(Some(fetch_config().await));
            });
        });
    }
    let body = match &*config {
        None => html! { <p class="muted" id="config-loading">{ "Loading configuration…" }</p> },
        Some(Err(e)) => html! {
            <div class="card error" id="config-error">
                <h2>{ "Demo configuration unavailable" }</h2>
                <p>{ format!("GET /api/config failed: {e}") }</p>
                <p class="muted">{ "Start the demo with scripts/demo, which runs the demo API next to trunk." }</p>
            </div>
        },
        Some(Ok(c)) => html! {
            <ClerkProvider
                publishable_key={c.publishable_key.clone()}
                proxy_url={c.proxy_url.clone().map(AttrValue::from)}
            >
                <views::Shell />
            </ClerkProvider>
        },
    };
    html! {
        <>
            <header class="top">
                <h1>{ "yew-clerk demo" }</h1>
                <span class="muted">{ "Clerk for Yew, natively in Rust/wasm" }</span>
            </header>
            <main>{ body }</main>
        </>
    }
}

fn main() {
    yew::Renderer::<App>::new().render();
}
