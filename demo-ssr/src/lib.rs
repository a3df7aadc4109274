//! The demo app of `demo/` for server-side rendering: the same views (`demo/src/views.rs`,
//! compiled into this crate), under a `ClerkProvider` that gets the server's
//! [`InitialState`]. The server renders [`App`] with Yew's `ServerRenderer`; the browser
//! hydrates the same [`App`] (`src/app_main.rs`), whose provider reads the embedded state.

use std::rc::Rc;

use serde::{Deserialize, Serialize};
use yew::prelude::*;
use yew_clerk::prelude::*;

#[allow(dead_code)] // fetch_config: the SSR page embeds the configuration instead.
#[path = "../../demo/src/api.rs"]
mod api;
#[path = "../../demo/src/sensitive.rs"]
mod sensitive;
#[path = "../../demo/src/views.rs"]
mod views;

/// `id` of the element holding [`DemoConfig`] as JSON.
pub const CONFIG_ELEMENT_ID: &str = "demo_ssr_config";

/// What the hydrating app needs to create the same provider as the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemoConfig {
    /// The instance's publishable key.
    pub publishable_key: String,
    /// Frontend API base override (the emulator's URL), if any.
    pub proxy_url: Option<String>,
}

/// Props of [`App`]: plain data (`Send`), as `ServerRenderer` builds them on its thread.
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct AppProps {
    /// Key and Frontend API.
    pub config: DemoConfig,
    /// The request's auth state on the server; `None` in the browser (the provider reads the
    /// embedded element when it hydrates).
    #[prop_or_default]
    pub initial: Option<InitialState>,
}

/// The demo page: header and the demo's views under the provider.
#[component]
pub fn App(props: &AppProps) -> Html {
    let initial = props.initial.clone().map(Rc::new);
    html! {
        <>
            <header class="top">
                <h1>{ "yew-clerk demo" }</h1>
                <span class="muted">{ "Clerk for Yew, rendered on the server and hydrated" }</span>
            </header>
            <main>
                <ClerkProvider
                    publishable_key={props.config.publishable_key.clone()}
                    proxy_url={props.config.proxy_url.clone().map(AttrValue::from)}
                    initial_state={initial}
                >
                    <views::Shell />
                </ClerkProvider>
            </main>
        </>
    }
}
