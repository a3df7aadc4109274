//! # yew-clerk
//!
//! Clerk authentication for [Yew](https://yew.rs) apps, without loading clerk-js: a native
//! Rust client of Clerk's Frontend API (FAPI) with a [`ClerkProvider`](ui::ClerkProvider)
//! component, hooks ([`use_auth`](ui::hooks::use_auth), [`use_user`](ui::hooks::use_user), …)
//! and control components ([`SignedIn`](ui::components::SignedIn),
//! [`Protect`](ui::components::Protect), …).
//!
//! # Example
//!
//! ```rust
//! use yew::prelude::*;
//! use yew_clerk::prelude::*;
//!
//! #[component]
//! fn App() -> Html {
//!     html! {
//!         <ClerkProvider publishable_key="pk_test_Y2xlcmsuZXhhbXBsZS5jb20k">
//!             <ClerkLoading>{ "Loading…" }</ClerkLoading>
//!             <SignedOut><SignInButton /></SignedOut>
//!             <SignedIn><Profile /></SignedIn>
//!         </ClerkProvider>
//!     }
//! }
//!
//! #[component]
//! fn Profile() -> Html {
//!     let auth = use_auth();
//!     let user = use_user();
//!     let call_api = {
//!         let auth = auth.clone();
//!         Callback::from(move |_| {
//!             let token = auth.get_token(GetTokenOptions::default());
//!             yew::platform::spawn_local(async move {
//!                 // Ok(Some(jwt)) when signed in; send it as `Authorization: Bearer <jwt>`.
//!                 let _jwt = token.await;
//!             });
//!         })
//!     };
//!     // Inside <SignedIn> the state is SignedIn: its ids are plain Strings.
//!     let AuthState::SignedIn(signed_in) = auth.state() else {
//!         return html! {};
//!     };
//!     let name = user.user.as_ref().and_then(|u| u.full_name()).unwrap_or_default();
//!     html! {
//!         <div>
//!             <p>{ format!("{name} ({})", signed_in.user_id) }</p>
//!             <button onclick={call_api}>{ "Call the API" }</button>
//!             <SignOutButton />
//!         </div>
//!     }
//! }
//! # fn main() {
//! #     // Rendering outside a browser shows the loading state without touching web APIs.
//! #     let _ = yew::ServerRenderer::<App>::new();
//! # }
//! ```
//!
//! # Layers
//!
//! Three layers, one folder each:
//! - [`core`]: publishable keys, FAPI models (read by a small JSON module of their own rather
//!   than serde, for wasm size; serde derives with the `serde` feature), session-token claims, request building, `has()`
//!   (plain Rust, host-tested);
//! - [`client`]: the state machine (load, token cache, refresh, sign-out, cross-tab), behind
//!   the small traits of [`client::ports`] so host tests can fake the network and the clock;
//!   [`browser`] plugs in fetch, cookies, localStorage, timers and `BroadcastChannel`;
//! - [`ui`]: the Yew layer — `ClerkProvider`, hooks and components, which only map the
//!   state machine's snapshots into small `PartialEq` slices that hooks subscribe to.
//!
//! Session tokens live in memory and in the `__session` cookie (as clerk-js does), never in
//! localStorage or sessionStorage. The library never panics: every failure is a
//! [`ClerkError`].
//!
//! # Cargo features
//!
//! Five optional parts of the engine are cargo features, all on by default. An app that does
//! not need one sets `default-features = false` and lists the ones it keeps; the code of the
//! others is not compiled (figures in `docs/SIZE.md`):
//!
//! | feature | what it adds | without it |
//! | --- | --- | --- |
//! | `cross-tab` | sign-out and fresh tokens shared between tabs (`BroadcastChannel`), one tab refreshing at a time (a localStorage lock) | each tab refreshes its own token and learns of another tab's sign-out at its next request or refresh |
//! | `dev-browser` | development instances (`pk_test_` keys): the dev browser (`__clerk_db_jwt`) and `__client_uat` | a `pk_test_` key fails load with [`ClerkError::Config`] saying to enable the feature; `pk_live_` keys work |
//! | `degraded` | FAPI unreachable at load: the stored environment and the `__session` cookie stand in (`LoadStatus::Degraded`), a background loop recovers (also on the `online` event) | such a load ends `LoadStatus::Failed` with the error |
//! | `prefetch` | adopting the responses started by the `index.html` snippet ([`browser::prefetch`]) | the engine sends its own requests (the snippet text is still available) |
//! | `focus-touch` | on window focus: touch the session (`intent=focus`) and check the token | the refresh timer alone keeps the token fresh (`ClerkOptions::touch_session` has no effect) |
//!
//! `testing` (off by default) adds `MockClerkProvider` for your component tests.

#![deny(missing_docs)]

pub mod browser;
pub mod client;
pub use yew_clerk_core as core;
pub use yew_clerk_core::error;
#[cfg(feature = "testing")]
pub mod testing;
pub mod ui;

/// The common items: `use yew_clerk::prelude::*;`. Everything the README's snippets name
/// is here, including what a headless form or a reverification form matches on:
///
/// ```rust
/// use yew_clerk::prelude::*;
///
/// fn next_step(sign_in: &UseSignInHandle, sign_up: &UseSignUpHandle) -> &'static str {
///     match (sign_in.sign_in().map(|s: &SignIn| &s.status), sign_up.sign_up().map(|s: &SignUp| &s.status)) {
///         (Some(SignInStatus::NeedsSecondFactor), _) => "enter your TOTP code",
///         (_, Some(SignUpStatus::MissingRequirements)) => "check your email",
///         _ => "",
///     }
/// }
/// let _ = (SecondFactorStrategy::Totp, FirstFactorAttempt::Password("…"), SignUpParams::default());
/// let _ = (Check::Reverification(Reverification::Strict), VerificationLevel::SecondFactor);
/// let _: Option<ReverificationHint> = None;
/// let _ = (AuthFlow::SignIn, next_step);
/// ```
pub mod prelude {
    pub use crate::client::flows::{
        FirstFactorAttempt, SecondFactorStrategy, SignIn, SignInStatus, SignUp, SignUpParams,
        SignUpStatus,
    };
    pub use crate::client::{
        ActiveOrganization, AuthFlow, AuthSnapshot, AuthState, GetTokenOptions, LoadStatus,
        OrganizationSelection, SetActiveParams, SignOutOptions, SignedInAuth,
    };
    pub use crate::core::authorization::{Reverification, VerificationLevel};
    pub use crate::core::initial_state::InitialState;
    pub use crate::core::models::{
        EmailAddress, Organization, OrganizationMembership, PhoneNumber, Session, SessionStatus,
        User,
    };
    pub use crate::core::reverification::ReverificationHint;
    pub use crate::error::ClerkError;
    pub use crate::ui::components::*;
    pub use crate::ui::hooks::*;
    #[cfg(feature = "yew-router")]
    pub use crate::ui::router::{use_clerk_router_navigation, ClerkRouterBridge};
    pub use crate::ui::{
        Check, ClerkFuture, ClerkInstance, ClerkProvider, ClerkProviderProps, HasFn,
    };
}

pub use crate::error::{ClerkError, KeyError, KeyFormatProblem};
