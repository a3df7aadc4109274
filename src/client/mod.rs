//! The client state machine: load, token cache, refresh, sign-out and cross-tab sync.
//!
//! It talks to the outside world only through the small traits in [`ports`], so host tests
//! drive it with fakes and the browser build plugs in fetch, cookies, storage, timers and
//! `BroadcastChannel` (see `crate::browser`).
//!
//! Module map: [`Clerk`] and the snapshot plumbing (`clerk.rs`), `load.rs` (load, degraded
//! mode), `tokens.rs` (get_token), `session_ops.rs` (sign_out, set_active, focus), `tab_sync.rs` (refresh timer,
//! focus, other tabs), `fapi.rs` (requests, dev browser, piggyback), `cookies.rs`,
//! `token_cache.rs`, [`options`], [`state`].

mod apply;
mod clerk;
mod cookies;
mod fapi;
pub mod flows;
mod load;
pub mod options;
pub mod ports;
mod session_ops;
pub mod state;
mod tab_sync;
mod token_cache;
mod tokens;
mod url;

pub use self::clerk::{Clerk, Listener, Subscription};
pub use self::options::{ClerkOptions, GetTokenOptions, SetActiveParams, SignOutOptions};
pub use self::state::{AuthSnapshot, ClerkState, LoadStatus};
pub use crate::core::request::Method;

#[cfg(test)]
mod tests;
