//! Server-side rendering: ClerkProvider renders the loading state without touching any web
//! API (there is none on the host).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use yew::prelude::*;
use yew_clerk::prelude::*;

#[component]
fn Status() -> Html {
    let auth = use_auth();
    let user = use_user();
    let clerk = use_clerk();
    html! {
        <p id="status">
            { format!("loaded={} signed_in={:?} user={} status={:?}", auth.is_loaded, auth.is_signed_in, user.user.is_some(), clerk.status) }
        </p>
    }
}

#[component]
fn App() -> Html {
    html! {
        <ClerkProvider publishable_key="pk_test_Y2xlcmsuZXhhbXBsZS5jb20k" proxy_url="http://127.0.0.1:7450">
            <ClerkLoading>{ "[loading]" }</ClerkLoading>
            <ClerkLoaded>{ "[loaded]" }</ClerkLoaded>
            <SignedIn>{ "[in]" }</SignedIn>
            <SignedOut>{ "[out]" }</SignedOut>
            <Protect fallback={html! { "[fallback]" }} loading={html! { "[protect-loading]" }}>{ "[protected]" }</Protect>
            <Status />
        </ClerkProvider>
    }
}

#[test]
fn server_renders_the_loading_state() {
    let html = futures::executor::block_on(yew::ServerRenderer::<App>::new().render());
    assert!(html.contains("[loading]"), "{html}");
    assert!(html.contains("[protect-loading]"), "{html}");
    assert!(
        html.contains("loaded=false signed_in=None user=false status=Loading"),
        "{html}"
    );
    for absent in ["[loaded]", "[in]", "[out]", "[fallback]", "[protected]"] {
        assert!(
            !html.contains(absent),
            "{absent} rendered on the server: {html}"
        );
    }
}

#[test]
fn get_token_on_the_server_is_not_in_browser() {
    #[component]
    fn Probe() -> Html {
        let auth = use_auth();
        let result = futures::executor::block_on(auth.get_token(GetTokenOptions::default()));
        html! { { format!("{result:?}") } }
    }
    #[component]
    fn Wrapped() -> Html {
        html! { <ClerkProvider publishable_key="pk_test_Y2xlcmsuZXhhbXBsZS5jb20k"><Probe /></ClerkProvider> }
    }
    let html = futures::executor::block_on(yew::ServerRenderer::<Wrapped>::new().render());
    assert!(html.contains("NotInBrowser"), "{html}");
}

#[test]
fn prefetch_snippet_is_exported_for_servers() {
    let s = yew_clerk::browser::prefetch::snippet("https://clerk.example.org", false);
    assert!(s.contains("window.__clerk_prefetch"), "{s}");
}
