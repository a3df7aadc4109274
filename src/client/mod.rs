//! The client state machine: load, token cache, refresh, sign-out and cross-tab sync.
//!
//! It talks to the outside world only through the small traits in [`ports`], so host tests
//! drive it with fakes and the browser build plugs in fetch, cookies, storage, timers and
//! `BroadcastChannel` (see `crate::browser`).
//!
//! Module map: [`Clerk`] and the snapshot plumbing (`clerk.rs`), `apply.rs` (applying a
//! client: current session, token seeding, cookies), `load.rs` (load, degraded mode),
//! `tokens.rs` (get_token), `session_ops.rs` (sign_out, set_active, focus), `tab_sync.rs`
//! (refresh timer, other tabs), `fapi.rs` (requests, dev browser, piggyback), `cookies.rs`,
//! `token_cache.rs`, [`flows`] (sign-in / sign-up), [`options`], [`state`], `redirect.rs`
//! (the redirect policy), `redirect_urls.rs` (where to go after sign-in / sign-up), [`router`]
//! (in-app navigation through the app's router).
//!
//! # Where this differs from clerk-js, and why
//!
//! - **Dev browser** whenever the key is `pk_test_` (clerk-js: only for `*.accounts.dev`-like
//!   hosts), so a local emulator behind `proxy_url` exercises the development path.
//! - **Load never hangs**: offline or 7 s without an answer (environment or client) means
//!   `Degraded` with a background retry, and `get_token` before/after a failed load returns
//!   `Err(LoadFailed)` instead of waiting forever. When FAPI answers again the status goes
//!   back to `Ready` (clerk-js stays `degraded`).
//! - **Token retries** are bounded (3, ~7 s, `Retry-After` honoured) instead of ~2.7 min, and
//!   offline fails at once with `ClerkError::Offline` (a still-valid cached token is still
//!   returned).
//! - **No poller**: one timer per active token fires ≈17 s before `exp` (half the remaining
//!   life for short tokens, never sooner than 5 s); the focus handler covers the rest. One tab
//!   refreshes at a time through a short localStorage lock (no token in it); the others adopt
//!   the broadcast token.
//! - **Clock skew**: token times are compared with FAPI's clock as estimated from the last
//!   freshly minted token, so a wrong device clock causes no refresh loop.
//! - **Snapshots carry no tokens** (`last_active_token` is stripped), which also makes a
//!   token refresh that changes no claim invisible to subscribers.
//! - **No transitive (undefined) state** during sign-out; the new state arrives in one
//!   snapshot.
//! - **OAuth callback** (`flows::oauth`): a step left after the provider (second factor,
//!   missing sign-up fields) is returned as a `RedirectCallbackOutcome` and navigates only to a
//!   continue URL the app gave, instead of the hosted `#/factor-two` / `#/continue` pages; no
//!   popup, SAML/enterprise SSO, protect-check or `user_locked` routing; the provider URL is
//!   only scheme-checked (its origin is foreign by design).

mod apply;
pub mod auth_state;
mod clerk;
mod cookies;
mod dev_browser;
mod fapi;
pub mod flows;
pub mod initial;
mod inner;
mod load;
pub(crate) mod oneshot;
pub mod options;
pub mod ports;
mod redirect;
mod redirect_urls;
pub mod router;
mod session_ops;
pub mod state;
mod tab_sync;
// Parts of these serve only optional features (the tab checks, the dev-browser parameter).
#[cfg_attr(
    not(all(feature = "cross-tab", feature = "dev-browser", feature = "degraded")),
    allow(dead_code)
)]
mod token_cache;
mod tokens;
#[cfg_attr(not(feature = "dev-browser"), allow(dead_code))]
mod url;

pub use self::auth_state::{ActiveOrganization, AuthState, SignedInAuth};
pub use self::clerk::{Clerk, Listener, Subscription};
pub use self::options::{
    ClerkOptions, GetTokenOptions, OrganizationSelection, SetActiveParams, SignOutOptions,
};
pub use self::redirect_urls::{AfterAuthRedirect, AuthFlow};
pub use self::router::{Navigation, Router};
pub(crate) use self::session_ops::HostedPage;
pub use self::state::{AuthSnapshot, ClerkState, LoadStatus};
pub use self::url::is_navigable;
pub use crate::core::request::Method;

#[cfg(test)]
mod tests;
