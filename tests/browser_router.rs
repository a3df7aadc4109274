//! Browser tests of in-app navigation (issue 14, navigation): `ClerkProvider`'s
//! `router_push`, the redirect props, and (feature `yew-router`) `ClerkRouterBridge`, in real
//! Chromium against the emulator. Tests share the page and the emulator: each starts with
//! `reset()` and puts the address bar back when it changed it.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::cell::RefCell;

use common::*;
use wasm_bindgen_test::*;
use yew::prelude::*;
use yew_clerk::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

thread_local! {
    /// What the `router_push` callback received.
    static PUSHED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    static SIGN_IN: RefCell<Option<UseSignInHandle>> = const { RefCell::new(None) };
}

fn pushed() -> Vec<String> {
    PUSHED.with(|p| p.borrow().clone())
}

fn href() -> String {
    web_sys::window().unwrap().location().href().unwrap()
}

/// Puts the address bar back to `url` (without navigating).
fn restore_url(url: &str) {
    let history = web_sys::window().unwrap().history().unwrap();
    history
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url))
        .unwrap();
}

#[derive(Properties, PartialEq, Clone)]
struct RoutedAppProps {
    after_sign_out_url: Option<AttrValue>,
    #[prop_or_default]
    sign_in_fallback_redirect_url: Option<AttrValue>,
    #[prop_or_default]
    allowed_redirect_origins: Vec<AttrValue>,
    publishable_key: AttrValue,
    proxy: AttrValue,
    /// Whether to pass `router_push`.
    #[prop_or(true)]
    with_router: bool,
    #[prop_or_default]
    children: Html,
}

/// `ClerkProvider` whose `router_push` records what it gets.
#[component]
fn RoutedApp(props: &RoutedAppProps) -> Html {
    let router_push = props
        .with_router
        .then(|| Callback::from(|path: String| PUSHED.with(|p| p.borrow_mut().push(path))));
    html! {
        <ClerkProvider
            publishable_key={props.publishable_key.clone()}
            proxy_url={props.proxy.clone()}
            after_sign_out_url={props.after_sign_out_url.clone()}
            sign_in_fallback_redirect_url={props.sign_in_fallback_redirect_url.clone()}
            allowed_redirect_origins={props.allowed_redirect_origins.clone()}
            {router_push}
        >
            <AuthView />
            { props.children.clone() }
        </ClerkProvider>
    }
}

/// `[error:…]` when the sign-out button's call failed.
#[component]
fn SignOutProbe() -> Html {
    let error = use_state(|| None::<String>);
    let on_error = {
        let error = error.clone();
        Callback::from(move |e: ClerkError| error.set(Some(e.to_string())))
    };
    html! {
        <>
            <SignOutButton class="out" {on_error} />
            if let Some(e) = &*error { <span>{ format!("[error:{e}]") }</span> }
        </>
    }
}

/// The emulator's key and FAPI, `router_push` on, every redirect prop unset.
async fn routed_props(children: Html) -> RoutedAppProps {
    let (key, proxy) = config().await;
    RoutedAppProps {
        after_sign_out_url: None,
        sign_in_fallback_redirect_url: None,
        allowed_redirect_origins: Vec::new(),
        publishable_key: key.into(),
        proxy: proxy.into(),
        with_router: true,
        children,
    }
}

/// Mounts a [`RoutedApp`] (nothing pushed yet).
fn mount_routed_props(props: RoutedAppProps) -> (Mounted, web_sys::Element) {
    PUSHED.with(|p| p.borrow_mut().clear());
    let root = make_root();
    let handle =
        track(yew::Renderer::<RoutedApp>::with_root_and_props(root.clone(), props).render());
    (handle, root)
}

async fn mount_routed(
    after_sign_out_url: Option<&str>,
    allowed: &[&str],
    children: Html,
) -> (Mounted, web_sys::Element) {
    mount_routed_props(RoutedAppProps {
        after_sign_out_url: after_sign_out_url.map(|u| AttrValue::from(u.to_string())),
        allowed_redirect_origins: allowed
            .iter()
            .map(|o| AttrValue::from(o.to_string()))
            .collect(),
        ..routed_props(children).await
    })
}

#[wasm_bindgen_test]
async fn router_push_gets_the_same_origin_sign_out_redirect_and_the_page_stays() {
    reset().await;
    sign_in(EMAIL, PASSWORD).await;
    let before = href();
    let (handle, root) = mount_routed(
        Some("/after-sign-out?from=router#top"),
        &[],
        html! { <SignOutProbe /> },
    )
    .await;
    wait_signed_in(&root).await;
    click(&root, "button.out");
    let text = wait_text(&root, 10_000, |t| t.contains("[auth:signed-out]")).await;
    sleep(300).await;
    assert!(!text.contains("[error:"), "{text}");
    assert_eq!(pushed(), ["/after-sign-out?from=router#top"]);
    assert_eq!(href(), before, "no page load: the router decides");
    handle.destroy();
}

#[wasm_bindgen_test]
async fn a_cross_origin_sign_out_redirect_is_a_full_page_load_not_the_router() {
    reset().await;
    sign_in(EMAIL, PASSWORD).await;
    let landing = foreign_landing("router").await;
    let (handle, root) = mount_routed(
        Some(&landing),
        &[emulator_live()],
        html! { <SignOutProbe /> },
    )
    .await;
    wait_signed_in(&root).await;
    click(&root, "button.out");
    wait_text(&root, 10_000, |t| t.contains("[auth:signed-out]")).await;
    let mut waited = 0;
    while foreign_landing_visits().await == 0 {
        assert!(waited < 10_000, "the listed origin was not loaded");
        sleep(200).await;
        waited += 200;
    }
    assert!(pushed().is_empty(), "{:?}", pushed());
    handle.destroy();
}

#[wasm_bindgen_test]
async fn a_refused_cross_origin_redirect_reaches_neither_the_router_nor_the_page() {
    reset().await;
    sign_in(EMAIL, PASSWORD).await;
    let landing = foreign_landing("router").await;
    // Not listed in allowed_redirect_origins.
    let (handle, root) = mount_routed(Some(&landing), &[], html! { <SignOutProbe /> }).await;
    wait_signed_in(&root).await;
    click(&root, "button.out");
    let text = wait_text(&root, 10_000, |t| t.contains("[error:")).await;
    assert!(text.contains("refused"), "{text}");
    sleep(1_000).await;
    assert_eq!(foreign_landing_visits().await, 0);
    assert!(pushed().is_empty(), "{:?}", pushed());
    handle.destroy();
}

/// Keeps the latest `use_sign_in` handle for the test.
#[component]
fn SignInProbe() -> Html {
    let sign_in = use_sign_in();
    SIGN_IN.with(|s| *s.borrow_mut() = Some(sign_in));
    Html::default()
}

#[wasm_bindgen_test]
async fn a_headless_sign_in_goes_to_the_pages_redirect_url_through_the_router() {
    reset().await;
    let before = href();
    // This page was opened as `…?redirect_url=/welcome` (what redirect_to_sign_in sends).
    let opened = web_sys::Url::new(&before).unwrap();
    opened.search_params().set("redirect_url", "/welcome?x=1");
    restore_url(&opened.href());
    let (handle, root) = mount_routed_props(RoutedAppProps {
        sign_in_fallback_redirect_url: Some("/fallback".into()),
        ..routed_props(html! { <SignInProbe /> }).await
    });
    wait_text(&root, 10_000, |t| t.contains("[auth:signed-out]")).await;
    let sign_in = SIGN_IN.with(|s| s.borrow().clone()).unwrap();
    sign_in.with_password(EMAIL, PASSWORD).await.unwrap();
    wait_signed_in(&root).await;
    assert_eq!(pushed(), ["/welcome?x=1"], "the page's redirect_url wins");
    assert_eq!(href(), opened.href(), "no page load");
    restore_url(&before);
    handle.destroy();
}

#[wasm_bindgen_test]
async fn the_hosted_sign_in_url_carries_the_redirect_props() {
    reset().await;
    let (handle, root) = mount_routed_props(RoutedAppProps {
        sign_in_fallback_redirect_url: Some("/fallback".into()),
        with_router: false,
        ..routed_props(html! { <GrabInstance /> }).await
    });
    wait_text(&root, 10_000, |t| t.contains("[auth:signed-out]")).await;
    // The hosted page resolves a path against its own origin: both are absolute.
    let origin = web_sys::window().unwrap().location().origin().unwrap();
    let clerk = INSTANCE
        .with(|i| i.borrow().clone())
        .expect("GrabInstance rendered");
    let url = clerk.sign_in_url(Some("/back")).expect("a sign-in URL");
    let parsed = web_sys::Url::new(&url).unwrap();
    let params = parsed.search_params();
    assert_eq!(params.get("redirect_url"), Some(format!("{origin}/back")));
    assert_eq!(
        params.get("sign_in_fallback_redirect_url"),
        Some(format!("{origin}/fallback"))
    );
    handle.destroy();
}

thread_local! {
    static INSTANCE: RefCell<Option<ClerkInstance>> = const { RefCell::new(None) };
}

#[component]
fn GrabInstance() -> Html {
    let clerk = use_clerk();
    INSTANCE.with(|i| *i.borrow_mut() = Some(clerk.clerk()));
    Html::default()
}

#[cfg(feature = "yew-router")]
mod with_yew_router {
    use super::*;
    use yew_router::prelude::*;

    #[derive(Clone, PartialEq, Routable)]
    enum Route {
        #[at("/after-sign-out")]
        AfterSignOut,
        #[not_found]
        #[at("/404")]
        Other,
    }

    fn switch(route: Route) -> Html {
        match route {
            Route::AfterSignOut => html! { <span>{ "[route:after-sign-out]" }</span> },
            Route::Other => html! { <span>{ "[route:other]" }</span> },
        }
    }

    #[derive(Properties, PartialEq, Clone)]
    struct BridgedAppProps {
        publishable_key: AttrValue,
        proxy: AttrValue,
    }

    /// `ClerkProvider` > `BrowserRouter` > `ClerkRouterBridge`, no `router_push` prop.
    #[component]
    fn BridgedApp(props: &BridgedAppProps) -> Html {
        html! {
            <ClerkProvider publishable_key={props.publishable_key.clone()} proxy_url={props.proxy.clone()}
                           after_sign_out_url="/after-sign-out">
                <BrowserRouter>
                    <ClerkRouterBridge />
                    <AuthView />
                    <SignOutProbe />
                    <Switch<Route> render={switch} />
                </BrowserRouter>
            </ClerkProvider>
        }
    }

    #[wasm_bindgen_test]
    async fn the_bridge_changes_the_yew_router_route_in_app() {
        reset().await;
        sign_in(EMAIL, PASSWORD).await;
        let before = href();
        // A marker a full page load would lose.
        let window = web_sys::window().unwrap();
        js_sys::Reflect::set(&window, &"__clerk_router_marker".into(), &true.into()).unwrap();
        let (key, proxy) = config().await;
        let root = make_root();
        let handle = track(
            yew::Renderer::<BridgedApp>::with_root_and_props(
                root.clone(),
                BridgedAppProps {
                    publishable_key: key.into(),
                    proxy: proxy.into(),
                },
            )
            .render(),
        );
        let text = wait_signed_in(&root).await;
        assert!(text.contains("[route:other]"), "{text}");
        click(&root, "button.out");
        let text = wait_text(&root, 10_000, |t| t.contains("[route:after-sign-out]")).await;
        assert!(
            text.contains("[auth:signed-out]") && !text.contains("[error:"),
            "{text}"
        );
        assert_eq!(window.location().pathname().unwrap(), "/after-sign-out");
        assert_eq!(
            js_sys::Reflect::get(&window, &"__clerk_router_marker".into()).unwrap(),
            true,
            "the page was not reloaded"
        );
        handle.destroy();
        restore_url(&before);
    }
}
