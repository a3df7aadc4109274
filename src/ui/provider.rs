//! [`ClerkProvider`]: loads Clerk in the browser and fills the contexts.

use std::rc::Rc;

use ::yew::prelude::*;

use super::context::{provide, ProviderValues, Store};
use super::instance::{Backend, ClerkInstance};
#[cfg(target_arch = "wasm32")]
use crate::client::ClerkOptions;
use crate::client::{initial, ClerkState};
use crate::core::initial_state::InitialState;

/// Props of [`ClerkProvider`].
#[derive(Properties, PartialEq, Clone, Debug)]
pub struct ClerkProviderProps {
    /// The publishable key from the Clerk dashboard (`pk_test_…` / `pk_live_…`). An invalid
    /// key does not panic: the provider ends in the failed state (see `ClerkFailed`) with a
    /// message saying what is wrong.
    pub publishable_key: AttrValue,
    /// Clerk's `proxyUrl`: the Frontend API is called at `{proxy_url}/v1/...` instead of
    /// `https://<frontend api host>/v1/...` (also how tests reach a local emulator).
    #[prop_or_default]
    pub proxy_url: Option<AttrValue>,
    /// Where `sign_out` navigates when the call gives no `redirect_url` (default: no
    /// navigation).
    #[prop_or_default]
    pub after_sign_out_url: Option<AttrValue>,
    /// Your sign-in page; overrides the hosted Account Portal page of the environment.
    #[prop_or_default]
    pub sign_in_url: Option<AttrValue>,
    /// Your sign-up page; overrides the hosted Account Portal page of the environment.
    #[prop_or_default]
    pub sign_up_url: Option<AttrValue>,
    /// Other origins that `redirect_url`, `after_sign_out_url` and the sign-in/up redirects
    /// may go to (clerk-js's `allowedRedirectOrigins`), e.g. `https://app.example.com` or
    /// `https://*.example.com`. This page's origin and the Clerk instance's (Frontend API or
    /// proxy, Account Portal, `sign_in_url` / `sign_up_url`) are always allowed; when empty
    /// (the default) clerk-js's default also applies (`https://<site>` and
    /// `https://*.<site>` for a Frontend API `clerk.<site>`). Other origins and every
    /// non-http(s) URL (`javascript:` …) are refused with `ClerkError::RedirectRefused`.
    #[prop_or_default]
    pub allowed_redirect_origins: Vec<AttrValue>,
    /// Where to go after every sign-in, whatever the `redirect_url` says (clerk-js's
    /// `signInForceRedirectUrl`). Precedence after a sign-in: this, else the `redirect_url`
    /// query parameter of the page, else `sign_in_fallback_redirect_url`. Used by the
    /// headless flows (`use_sign_in`) when they complete and handed to the hosted sign-in
    /// page; checked by the redirect policy (`allowed_redirect_origins`), a refused one is
    /// skipped with a `console.warn`.
    #[prop_or_default]
    pub sign_in_force_redirect_url: Option<AttrValue>,
    /// Where to go after a sign-in when the page has no `redirect_url` (clerk-js's
    /// `signInFallbackRedirectUrl`).
    #[prop_or_default]
    pub sign_in_fallback_redirect_url: Option<AttrValue>,
    /// Where to go after every sign-up (clerk-js's `signUpForceRedirectUrl`), like
    /// `sign_in_force_redirect_url`.
    #[prop_or_default]
    pub sign_up_force_redirect_url: Option<AttrValue>,
    /// Where to go after a sign-up when the page has no `redirect_url` (clerk-js's
    /// `signUpFallbackRedirectUrl`).
    #[prop_or_default]
    pub sign_up_fallback_redirect_url: Option<AttrValue>,
    /// clerk-react's `routerPush`: receives the path (`/dashboard?tab=1`) of every
    /// navigation of Clerk that stays on this origin (the sign-out redirect, the redirect
    /// after a sign-in or sign-up), so your router changes the route in-app instead of a full
    /// page load. Navigations to other origins (the Account Portal, an identity provider)
    /// stay full page loads. With yew-router, `<ClerkRouterBridge />` (feature `yew-router`)
    /// does this for you; use one or the other.
    #[prop_or_default]
    pub router_push: Option<Callback<String>>,
    /// clerk-react's `routerReplace`: like `router_push` for navigations that replace the
    /// current history entry (default: `router_push`).
    #[prop_or_default]
    pub router_replace: Option<Callback<String>>,
    /// Touch the session when the window gains focus, as clerk-js does (default `true`).
    #[prop_or(true)]
    pub touch_session: bool,
    /// Whether a `pending` session (signed in, with tasks left such as choosing an
    /// organization) reads as signed out in `use_auth`, `SignedIn`/`SignedOut` and `Protect`
    /// (default `true`, clerk-js's `treatPendingAsSignedOut`). `use_session` and `use_user`
    /// still show the pending session and its user.
    #[prop_or(true)]
    pub treat_pending_as_signed_out: bool,
    /// The auth state the server rendered with (server-side rendering; Clerk's
    /// `initialState`): build it with [`InitialState::from_claims`] from the verified request,
    /// pass it here on the server, and embed it in the page with [`InitialState::script_tag`].
    /// The first render is then that signed-in or signed-out state instead of the loading
    /// state, on the server and in the hydrating browser alike (which reads the embedded
    /// element when this prop is `None`). Only a hint for the first paint: the engine still
    /// loads from the Frontend API, `get_token` waits for that load, and its result replaces
    /// the hint. Read once, when the engine is created.
    ///
    /// [`InitialState::from_claims`]: crate::core::initial_state::InitialState::from_claims
    /// [`InitialState::script_tag`]: crate::core::initial_state::InitialState::script_tag
    #[prop_or_default]
    pub initial_state: Option<Rc<InitialState>>,
    /// The app.
    #[prop_or_default]
    pub children: Html,
}

/// Loads Clerk and provides the auth state to every hook and control component below it.
///
/// In the browser it creates the engine on mount and starts `load()` right away (one
/// `GET /v1/client`, and the environment, in parallel), keeps the contexts in sync with the
/// engine, and stops every timer and listener on unmount. Outside a browser (server-side
/// rendering, native code) it renders the loading state without touching any web API.
///
/// When the page's [prefetch snippet](crate::browser::prefetch) already holds both responses
/// as the provider starts, the load completes while the engine is created and the provider's
/// first render is already the loaded state (no loading flash, no second render). A provider
/// that **hydrates** server-rendered HTML (`Renderer::hydrate`) always renders the loading
/// state first, as the server did, so hydration never mismatches; it is recognised by the
/// Yew hydration markers (`<!--<[…]>-->` comments) still in the document when it starts.
/// With an [`initial_state`](ClerkProviderProps::initial_state) (the prop, or the embedded
/// element when hydrating) that first render is the server's signed-in or signed-out state
/// instead, shown until the load finishes: no loading frame at all.
///
/// Changing `publishable_key`, `proxy_url`, the URLs, `allowed_redirect_origins`,
/// `touch_session` or
/// `treat_pending_as_signed_out` re-creates the engine (`router_push` / `router_replace` do
/// not: the new callbacks are installed on the same engine). A `ClerkProvider` inside another one
/// is ignored (logged with `console.error`): its children use the outer provider.
///
/// # Example
///
/// ```rust,no_run
/// use yew::prelude::*;
/// use yew_clerk::prelude::*;
///
/// #[component]
/// fn App() -> Html {
///     html! {
///         <ClerkProvider publishable_key="pk_test_Y2xlcmsuZXhhbXBsZS5jb20k">
///             <ClerkLoading>{ "Loading…" }</ClerkLoading>
///             <SignedIn><Profile /></SignedIn>
///             <SignedOut><SignInButton /></SignedOut>
///         </ClerkProvider>
///     }
/// }
///
/// #[component]
/// fn Profile() -> Html {
///     let user = use_user();
///     let name = user.user.as_ref().and_then(|u| u.full_name()).unwrap_or_default();
///     html! { <p>{ format!("Hello, {name}") }</p> }
/// }
/// ```
#[component]
pub fn ClerkProvider(props: &ClerkProviderProps) -> Html {
    // Nested providers would run two engines over one set of cookies; clerk-react throws
    // here, this logs and lets the outer provider serve the subtree (no panic).
    if use_context::<Store>().is_some() {
        super::instance::report_nested_provider();
        return props.children.clone();
    }
    let (instance, first, hint) = use_instance(props);
    let store = (*use_memo(instance.clone(), move |_| Store::new(first))).clone();
    use_sync(&instance, &store, props.treat_pending_as_signed_out, hint);
    provide(&store, props.children.clone())
}

/// The engine, created once per configuration (only in a browser), with `load()` already
/// started, and the values of the provider's first render: the engine's state when its load
/// completed synchronously (prefetched responses) and the provider is not hydrating, else the
/// loading state.
#[cfg(target_arch = "wasm32")]
#[hook]
fn use_instance(props: &ClerkProviderProps) -> (ClerkInstance, ProviderValues, Hint) {
    let options = ClerkOptions {
        publishable_key: props.publishable_key.to_string(),
        proxy_url: owned(&props.proxy_url),
        after_sign_out_url: owned(&props.after_sign_out_url),
        sign_in_url: owned(&props.sign_in_url),
        sign_up_url: owned(&props.sign_up_url),
        touch_session: props.touch_session,
        allowed_redirect_origins: props
            .allowed_redirect_origins
            .iter()
            .map(|s| s.to_string())
            .collect(),
        sign_in_force_redirect_url: owned(&props.sign_in_force_redirect_url),
        sign_in_fallback_redirect_url: owned(&props.sign_in_fallback_redirect_url),
        sign_up_force_redirect_url: owned(&props.sign_up_force_redirect_url),
        sign_up_fallback_redirect_url: owned(&props.sign_up_fallback_redirect_url),
    };
    let pending = props.treat_pending_as_signed_out;
    let initial_state = props.initial_state.clone();
    let created = use_memo((options, pending), move |(options, pending)| {
        let clerk = crate::client::Clerk::new(options.clone(), crate::browser::platform());
        start_load(&clerk);
        let instance = ClerkInstance::new(Backend::Real(clerk.clone()));
        let hydrating = is_hydrating();
        let hint = hint_of(initial_state.or_else(|| {
            hydrating
                .then(crate::browser::embedded_initial_state)
                .flatten()
                .map(Rc::new)
        }));
        let first = match (&hint, hydrating) {
            // Hydrating: the server's state (or its loading state), whatever the engine has.
            (Some(hint), true) => ProviderValues::from_state(instance.clone(), hint, *pending),
            (None, true) => ProviderValues::loading(instance.clone()),
            (hint, false) => {
                let state = initial::shown_state(clerk.state(), hint.as_ref());
                ProviderValues::from_state(instance.clone(), &state, *pending)
            }
        };
        // The router props reach the engine through this slot, refreshed on every render
        // (new callbacks never re-create the engine, and no effect is needed).
        let router = Rc::new(PropsRouter::default());
        clerk.set_router(Some(router.clone()));
        (instance, first, hint, ShutdownOnDrop(clerk), router)
    });
    *created.4 .0.borrow_mut() = props
        .router_push
        .clone()
        .map(|push| (push, props.router_replace.clone()));
    (created.0.clone(), created.1.clone(), created.2.clone())
}

/// The `router_push` / `router_replace` props as the engine's [`Router`]: without
/// `router_push`, a full page load.
///
/// [`Router`]: crate::client::Router
#[cfg(target_arch = "wasm32")]
#[derive(Default)]
struct PropsRouter(std::cell::RefCell<Option<RouterProps>>);

/// `router_push` and `router_replace`.
#[cfg(target_arch = "wasm32")]
type RouterProps = (Callback<String>, Option<Callback<String>>);

#[cfg(target_arch = "wasm32")]
impl crate::client::Router for PropsRouter {
    fn navigate(&self, path: &str, how: crate::client::Navigation) -> bool {
        // Cloned out first: the callback may re-render the provider, which writes the slot.
        let Some((push, replace)) = self.0.borrow().clone() else {
            return false;
        };
        let callback = match (how, replace) {
            (crate::client::Navigation::Replace, Some(replace)) => replace,
            _ => push,
        };
        callback.emit(path.to_string());
        true
    }
}

/// An optional prop as the engine's option. One non-generic function for every such prop: the
/// provider's render stays small in wasm.
#[cfg(target_arch = "wasm32")]
fn owned(value: &Option<AttrValue>) -> Option<String> {
    value.as_ref().map(|s| s.to_string())
}

/// The first-paint snapshot of a server's initial state (see [`initial`]).
type Hint = Option<Rc<ClerkState>>;

fn hint_of(initial_state: Option<Rc<InitialState>>) -> Hint {
    initial_state.map(|i| Rc::new(initial::state_from_initial(&i)))
}

/// Shuts the engine down when the provider's hook state goes (unmount, a new configuration,
/// or the end of a server-side render, where effects never run): the load started with the
/// engine must not outlive it.
#[cfg(target_arch = "wasm32")]
struct ShutdownOnDrop(crate::client::Clerk);

#[cfg(target_arch = "wasm32")]
impl Drop for ShutdownOnDrop {
    fn drop(&mut self) {
        self.0.shutdown();
    }
}

/// Starts `load()` now: polls it once here, so a load that needs no network (both responses
/// prefetched and arrived) has completed when this returns, and hands the rest (if any) to
/// the event loop.
#[cfg(target_arch = "wasm32")]
fn start_load(clerk: &crate::client::Clerk) {
    use std::future::Future;

    // No window (a worker rendering on the server): nothing to load from; `get_token` and
    // the like still start the load if they are called.
    if web_sys::window().is_none() {
        return;
    }

    let loader = clerk.clone();
    let mut load: std::pin::Pin<Box<dyn Future<Output = ()>>> =
        Box::pin(async move { loader.load().await });
    // Wakers registered by this poll are replaced by the executor's on its first poll.
    let mut cx = std::task::Context::from_waker(futures_util::task::noop_waker_ref());
    if load.as_mut().poll(&mut cx).is_pending() {
        ::yew::platform::spawn_local(load);
    }
}

/// Whether a `Renderer::hydrate` is under way: Yew's server-side rendering wraps every
/// component in `<!--<[type]>-->` … `<!--</[type]>-->` comments, and hydration removes each
/// pair as it reaches the component. While a provider hydrates, the markers of the components
/// below it (at least its own context providers) are still in the document; client-side
/// rendering never creates such comments.
#[cfg(target_arch = "wasm32")]
fn is_hydrating() -> bool {
    use wasm_bindgen::{JsCast, JsValue};

    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    // document.evaluate(xpath, document, null, FIRST_ORDERED_NODE_TYPE = 9, null)
    let found = (|| -> Option<bool> {
        let evaluate = js_sys::Reflect::get(&document, &JsValue::from_str("evaluate"))
            .ok()?
            .dyn_into::<js_sys::Function>()
            .ok()?;
        let args = js_sys::Array::of5(
            &JsValue::from_str("//comment()[starts-with(., '<[')]"),
            &document,
            &JsValue::NULL,
            &JsValue::from_f64(9.0),
            &JsValue::NULL,
        );
        let result = evaluate.apply(&document, &args).ok()?;
        let node = js_sys::Reflect::get(&result, &JsValue::from_str("singleNodeValue")).ok()?;
        Some(!node.is_null() && !node.is_undefined())
    })();
    // Unknown: assume hydration (the loading first render is always safe).
    found.unwrap_or(true)
}

/// Outside a browser there is no engine: the provider renders the `initial_state` prop (the
/// server's view of the request) when given, else the loading state.
#[cfg(not(target_arch = "wasm32"))]
#[hook]
fn use_instance(props: &ClerkProviderProps) -> (ClerkInstance, ProviderValues, Hint) {
    let initial_state = props.initial_state.clone();
    let pending = props.treat_pending_as_signed_out;
    (*use_memo((), move |_| {
        let instance = ClerkInstance::new(Backend::NotInBrowser);
        let values = match hint_of(initial_state) {
            Some(hint) => ProviderValues::from_state(instance.clone(), &hint, pending),
            None => ProviderValues::loading(instance.clone()),
        };
        (instance, values, None)
    }))
    .clone()
}

/// Subscribes to the engine and shuts it down on unmount (or when it is replaced). `load()`
/// was started when the engine was created.
#[hook]
fn use_sync(
    instance: &ClerkInstance,
    store: &Store,
    treat_pending_as_signed_out: bool,
    hint: Hint,
) {
    let store = store.clone();
    use_effect_with(instance.clone(), move |instance| {
        let engine = instance.engine().cloned();
        let subscription = engine.as_ref().map(|clerk| {
            let handle = instance.clone();
            // While the engine loads, the server's state (if any) stays on screen.
            let sync = move |state: Rc<ClerkState>| {
                store.set(ProviderValues::from_state(
                    handle.clone(),
                    &initial::shown_state(state, hint.as_ref()),
                    treat_pending_as_signed_out,
                ));
            };
            // The engine may have moved on between render and this effect.
            sync(clerk.state());
            clerk.subscribe(Rc::new(sync))
        });
        move || {
            drop(subscription);
            if let Some(clerk) = engine {
                clerk.shutdown();
            }
        }
    });
}
