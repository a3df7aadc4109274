//! yew-router integration (feature `yew-router`): Clerk's same-origin navigations through
//! yew-router's [`Navigator`], so a sign-out or the redirect after a sign-in changes the route
//! in-app instead of reloading the page.
//!
//! Place [`ClerkRouterBridge`] (or call [`use_clerk_router_navigation`] in a component) inside
//! both the `ClerkProvider` and the `BrowserRouter`:
//!
//! ```rust,no_run
//! use yew::prelude::*;
//! use yew_clerk::prelude::*;
//! use yew_clerk::ui::router::ClerkRouterBridge;
//! use yew_router::prelude::*;
//!
//! #[derive(Clone, PartialEq, Routable)]
//! enum Route {
//!     #[at("/")]
//!     Home,
//!     #[at("/dashboard")]
//!     Dashboard,
//! }
//!
//! #[component]
//! fn App() -> Html {
//!     html! {
//!         <ClerkProvider publishable_key="pk_test_Y2xlcmsuZXhhbXBsZS5jb20k"
//!                        after_sign_out_url="/" sign_in_fallback_redirect_url="/dashboard">
//!             <BrowserRouter>
//!                 <ClerkRouterBridge />
//!                 <Switch<Route> render={|route| match route {
//!                     Route::Home => html! { <SignedOut><SignInButton /></SignedOut> },
//!                     Route::Dashboard => html! { <SignedIn><SignOutButton /></SignedIn> },
//!                 }} />
//!             </BrowserRouter>
//!         </ClerkProvider>
//!     }
//! }
//! ```
//!
//! Only a `BrowserRouter` takes navigations in-app (with its `basename`: a path outside it is
//! a full page load); under a `HashRouter` or `MemoryHistory` every navigation stays a full
//! page load, since the engine's targets are URL paths. Navigations to other origins (the
//! Account Portal, an identity provider) are always full page loads.

use std::rc::Rc;

use ::yew::prelude::*;
use yew_router::navigator::NavigatorKind;
use yew_router::prelude::{use_navigator, Navigator};
use yew_router::AnyRoute;

use crate::client::{Navigation, Router};
use crate::ui::hooks::use_clerk;

/// yew-router's [`Navigator`] as the engine's [`Router`].
struct NavigatorRouter(Navigator);

impl Router for NavigatorRouter {
    fn navigate(&self, path: &str, how: Navigation) -> bool {
        if self.0.kind() != NavigatorKind::Browser {
            return false;
        }
        // The navigator puts its basename back in front of the route.
        let route = match self.0.basename() {
            Some(base) => match path.strip_prefix(base) {
                Some(rest) if rest.is_empty() || rest.starts_with(['/', '?', '#']) => rest,
                _ => return false,
            },
            None => path,
        };
        let route = AnyRoute::new(route);
        match how {
            Navigation::Push => self.0.push(&route),
            Navigation::Replace => self.0.replace(&route),
        }
        true
    }
}

/// Sends Clerk's same-origin navigations (the sign-out redirect, the redirect after a sign-in
/// or sign-up) through yew-router's [`Navigator`] while the calling component is mounted.
/// Call it in a component inside both the `ClerkProvider` and the `BrowserRouter` (see the
/// [module docs](self)); [`ClerkRouterBridge`] is that component.
#[hook]
pub fn use_clerk_router_navigation() {
    let navigator = use_navigator();
    let clerk = use_clerk().clerk();
    use_effect_with((navigator, clerk), |(navigator, clerk)| {
        let engine = clerk.engine().cloned().filter(|_| navigator.is_some());
        if let (Some(engine), Some(navigator)) = (&engine, navigator) {
            engine.set_router(Some(Rc::new(NavigatorRouter(navigator.clone()))));
        }
        move || {
            if let Some(engine) = engine {
                engine.set_router(None);
            }
        }
    });
}

/// Renders nothing; wires yew-router into Clerk ([`use_clerk_router_navigation`]). Place it
/// inside both `<ClerkProvider>` and `<BrowserRouter>`.
#[component]
pub fn ClerkRouterBridge() -> Html {
    use_clerk_router_navigation();
    Html::default()
}
