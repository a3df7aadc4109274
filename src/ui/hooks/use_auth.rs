use std::ops::Deref;

use ::yew::prelude::*;

use crate::client::{AuthSnapshot, AuthState, GetTokenOptions, LoadStatus, SignOutOptions};
use crate::error::ClerkError;
use crate::ui::context::{slice, use_store};
use crate::ui::has::{Check, HasFn};
use crate::ui::instance::ClerkInstance;

/// What [`use_auth`] returns: the auth snapshot (through `Deref`: `is_loaded`,
/// `is_signed_in`, `user_id`, `session_id`, `org_id`, `org_role`, `org_slug`, `actor`, …)
/// plus `has`, `get_token` and `sign_out`.
///
/// States (as clerk-react's `useAuth`): loading (`is_loaded == false`,
/// `is_signed_in == None`, every id `None`), signed out (`Some(false)`), signed in
/// (`Some(true)` with `user_id` and `session_id`, and `org_*` when an organization is active).
/// A `pending` session reads as signed out.
#[derive(Debug, Clone, PartialEq)]
pub struct UseAuthHandle {
    auth: AuthSnapshot,
    status: LoadStatus,
    error: Option<ClerkError>,
    clerk: ClerkInstance,
}

impl Deref for UseAuthHandle {
    type Target = AuthSnapshot;

    fn deref(&self) -> &AuthSnapshot {
        &self.auth
    }
}

impl UseAuthHandle {
    /// The state as an enum to `match`: `Loading`, `Failed(error)` (an invalid key, for
    /// example: it never loads), `SignedOut`, or `SignedIn` with `String` ids.
    ///
    /// ```rust,no_run
    /// use yew::prelude::*;
    /// use yew_clerk::prelude::*;
    ///
    /// #[component]
    /// fn Greeting() -> Html {
    ///     match use_auth().state() {
    ///         AuthState::Loading => html! { "Loading…" },
    ///         AuthState::Failed(e) => html! { { format!("Clerk failed: {e}") } },
    ///         AuthState::SignedOut => html! { <SignInButton /> },
    ///         AuthState::SignedIn(auth) => html! { { format!("Hello {}", auth.user_id) } },
    ///     }
    /// }
    /// ```
    pub fn state(&self) -> AuthState {
        self.auth.state(self.status, self.error.as_ref())
    }

    /// The provider's load status, so that `use_auth()` alone can tell a degraded load apart:
    /// while `Degraded` (Clerk unreachable at load), [`state`](Self::state) is the stand-in
    /// read from the `__session` cookie and a background loop keeps trying to reach Clerk.
    /// `Failed` is also [`AuthState::Failed`]. The same value as `use_clerk().status`.
    pub fn status(&self) -> LoadStatus {
        self.status
    }

    /// Whether the signed-in user passes `check` (false while loading or signed out).
    pub fn has(&self, check: &Check) -> bool {
        crate::ui::has::has_all(&self.auth, std::slice::from_ref(check))
    }

    /// Whether the signed-in user passes every check (false for an empty list).
    pub fn has_all(&self, checks: &[Check]) -> bool {
        crate::ui::has::has_all(&self.auth, checks)
    }

    /// `has()` as a value (what `Protect::condition` receives).
    pub fn has_fn(&self) -> HasFn {
        HasFn::new(self.auth.clone())
    }

    /// A session token (see [`ClerkInstance::get_token`]). The future is `'static`, so it can
    /// be spawned with `yew::platform::spawn_local`.
    pub fn get_token(
        &self,
        options: GetTokenOptions,
    ) -> impl std::future::Future<Output = Result<Option<String>, ClerkError>> + 'static {
        self.clerk.get_token(options)
    }

    /// Signs out (see [`ClerkInstance::sign_out`]).
    pub fn sign_out(
        &self,
        options: SignOutOptions,
    ) -> impl std::future::Future<Output = Result<(), ClerkError>> + 'static {
        self.clerk.sign_out(options)
    }

    /// The stable action handle (`==` is identity): put it, not the whole handle, in effect
    /// dependencies when an effect only needs `get_token` / `sign_out`.
    pub fn clerk(&self) -> ClerkInstance {
        self.clerk.clone()
    }

    /// The plain snapshot.
    pub fn snapshot(&self) -> &AuthSnapshot {
        &self.auth
    }
}

/// The auth state of the current user, like clerk-react's `useAuth()`.
///
/// Re-renders only when a value of the snapshot changes (sign-in/out, session or organization
/// switch, a claim change); a token refresh alone re-renders nothing.
///
/// Outside a `ClerkProvider` it does not panic: it stays in the loading state, its
/// `get_token`/`sign_out` fail with [`ClerkError::NoProvider`] naming the hook, and the
/// browser console shows `use_auth must be used inside a <ClerkProvider> component` once.
///
/// # Example
///
/// ```rust,no_run
/// use yew::prelude::*;
/// use yew_clerk::prelude::*;
///
/// #[component]
/// fn CallApi() -> Html {
///     let auth = use_auth();
///     let clerk = auth.clerk(); // stable: re-runs the effect only on sign-in/out
///     use_effect_with((clerk, auth.user_id.clone()), |(clerk, user_id)| {
///         if user_id.is_some() {
///             let token = clerk.get_token(GetTokenOptions::default());
///             yew::platform::spawn_local(async move {
///                 if let Ok(Some(jwt)) = token.await {
///                     // send `Authorization: Bearer {jwt}` to your API
///                     let _ = jwt;
///                 }
///             });
///         }
///     });
///     match auth.state() {
///         AuthState::Loading => html! { "Loading…" },
///         AuthState::Failed(e) => html! { { format!("Clerk failed to load: {e}") } },
///         AuthState::SignedOut => html! { "Signed out" },
///         AuthState::SignedIn(signed_in) => html! { { format!("Signed in as {}", signed_in.user_id) } },
///     }
/// }
/// ```
#[hook]
pub fn use_auth() -> UseAuthHandle {
    match use_store(slice::AUTH | slice::CLERK) {
        Some(store) => {
            let values = store.values();
            UseAuthHandle {
                auth: values.auth.clone(),
                status: values.clerk.status,
                error: values.clerk.error.clone(),
                clerk: values.clerk.instance.clone(),
            }
        }
        None => UseAuthHandle {
            auth: AuthSnapshot::default(),
            status: LoadStatus::Loading,
            error: None,
            clerk: ClerkInstance::missing("use_auth"),
        },
    }
}
