//! [`ClerkProvider`]: loads Clerk in the browser and fills the contexts.

use ::yew::prelude::*;

use super::context::{provide, ProviderValues};
use super::instance::{Backend, ClerkInstance};
#[cfg(target_arch = "wasm32")]
use crate::client::ClerkOptions;

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
    /// Touch the session when the window gains focus, as clerk-js does (default `true`).
    #[prop_or(true)]
    pub touch_session: bool,
    /// The app.
    #[prop_or_default]
    pub children: Html,
}

/// Loads Clerk and provides the auth state to every hook and control component below it.
///
/// In the browser it creates the engine on mount, starts `load()` (one `GET /v1/client`, and
/// the environment, in parallel), keeps the contexts in sync with the engine, and stops every
/// timer and listener on unmount. Outside a browser (server-side rendering, native code) it
/// renders the loading state without touching any web API; the first client render is the
/// loading state too, so hydration never mismatches.
///
/// Changing `publishable_key`, `proxy_url`, the URLs or `touch_session` re-creates the
/// engine.
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
    let instance = use_instance(props);
    let values = use_state_eq({
        let instance = instance.clone();
        move || ProviderValues::loading(instance)
    });
    use_sync(&instance, values.setter());
    provide(&values, props.children.clone())
}

/// The engine, created once per configuration (only in a browser).
#[cfg(target_arch = "wasm32")]
#[hook]
fn use_instance(props: &ClerkProviderProps) -> ClerkInstance {
    let options = ClerkOptions {
        publishable_key: props.publishable_key.to_string(),
        proxy_url: props.proxy_url.as_ref().map(|s| s.to_string()),
        after_sign_out_url: props.after_sign_out_url.as_ref().map(|s| s.to_string()),
        sign_in_url: props.sign_in_url.as_ref().map(|s| s.to_string()),
        sign_up_url: props.sign_up_url.as_ref().map(|s| s.to_string()),
        touch_session: props.touch_session,
    };
    (*use_memo(options, |options| {
        ClerkInstance::new(Backend::Real(crate::client::Clerk::new(
            options.clone(),
            crate::browser::platform(),
        )))
    }))
    .clone()
}

/// Outside a browser there is no engine: the provider stays in the loading state.
#[cfg(not(target_arch = "wasm32"))]
#[hook]
fn use_instance(_props: &ClerkProviderProps) -> ClerkInstance {
    (*use_memo((), |_| ClerkInstance::new(Backend::NotInBrowser))).clone()
}

/// Subscribes to the engine, starts `load()`, and shuts the engine down on unmount (or when
/// it is replaced).
#[hook]
fn use_sync(instance: &ClerkInstance, set: ::yew::functional::UseStateSetter<ProviderValues>) {
    use_effect_with(instance.clone(), move |instance| {
        let engine = instance.engine().cloned();
        let subscription = engine.as_ref().map(|clerk| {
            let handle = instance.clone();
            let sync = {
                let set = set.clone();
                move |state: std::rc::Rc<crate::client::ClerkState>| {
                    set.set(ProviderValues::from_state(handle.clone(), &state));
                }
            };
            // The engine may have moved on between render and this effect.
            sync(clerk.state());
            let subscription = clerk.subscribe(std::rc::Rc::new(sync));
            let loader = clerk.clone();
            ::yew::platform::spawn_local(async move { loader.load().await });
            subscription
        });
        move || {
            drop(subscription);
            if let Some(clerk) = engine {
                clerk.shutdown();
            }
        }
    });
}
