//! The Yew layer: [`ClerkProvider`], the contexts, the hooks and the control components.
//!
//! (The folder is `ui/` rather than `yew/` so that `yew::…` always means the Yew crate.)
//!
//! Everything here only maps the engine's state ([`crate::client::ClerkState`]) into the
//! slices of one Yew context that the hooks read; the work (requests, token cache, refresh, cross-tab sync) is the engine's.
//!
//! | clerk-react | yew-clerk |
//! | --- | --- |
//! | `<ClerkProvider publishableKey proxyUrl …>` | [`ClerkProvider`] |
//! | `useAuth`, `useUser`, `useSession`, `useSessionList`, `useClerk`, `useOrganization`, `useOrganizationList`, `useSignIn`, `useSignUp` | [`use_auth`], [`use_user`], [`use_session`], [`use_session_list`], [`use_clerk`], [`use_organization`], [`use_organization_list`], [`use_sign_in`], [`use_sign_up`] |
//! | `<ClerkLoading>`, `<ClerkLoaded>`, `<ClerkFailed>`, `<ClerkDegraded>` | [`ClerkLoading`], [`ClerkLoaded`], [`ClerkFailed`], [`ClerkDegraded`] |
//! | `<SignedIn>`, `<SignedOut>`, `<Protect>`, `<Show when>` | [`SignedIn`], [`SignedOut`], [`Protect`], [`Show`] with [`ShowWhen`] |
//! | `<RedirectToSignIn>`, `<RedirectToSignUp>`, `<SignInButton>`, `<SignUpButton>`, `<SignOutButton>` | [`RedirectToSignIn`], [`RedirectToSignUp`], [`SignInButton`], [`SignUpButton`], [`SignOutButton`] |
//! | `has({role})` | [`UseAuthHandle::has`]`(&Check::role(..))` |
//!
//! # Example
//!
//! ```rust,no_run
//! use yew::prelude::*;
//! use yew_clerk::prelude::*;
//!
//! #[component]
//! fn App() -> Html {
//!     html! {
//!         <ClerkProvider publishable_key="pk_test_Y2xlcmsuZXhhbXBsZS5jb20k">
//!             <ClerkLoading>{ "Loading…" }</ClerkLoading>
//!             <ClerkFailed render={Callback::from(|e: ClerkError| html! { <p>{ e.to_string() }</p> })} />
//!             <SignedOut><SignInButton /></SignedOut>
//!             <SignedIn><Dashboard /><SignOutButton /></SignedIn>
//!         </ClerkProvider>
//!     }
//! }
//!
//! #[component]
//! fn Dashboard() -> Html {
//!     let user = match use_auth().state() {
//!         AuthState::SignedIn(auth) => auth.user_id,
//!         AuthState::Loading | AuthState::Failed(_) | AuthState::SignedOut => return html! {},
//!     };
//!     html! {
//!         <>
//!             <p>{ format!("user {user}") }</p>
//!             <Protect role="org:admin" fallback={html! { "Members see this" }}>{ "Admin tools" }</Protect>
//!         </>
//!     }
//! }
//! ```

pub mod components;
pub(crate) mod context;
mod has;
pub mod hooks;
pub(crate) mod instance;
mod provider;
#[cfg(feature = "yew-router")]
pub mod router;

pub use self::components::*;
pub use self::has::{Check, HasFn};
pub use self::hooks::*;
pub use self::instance::{ClerkFuture, ClerkInstance};
pub use self::provider::{ClerkProvider, ClerkProviderProps};
