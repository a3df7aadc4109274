//! # yew-clerk
//!
//! Clerk authentication for [Yew](https://yew.rs) apps, without loading clerk-js: a native
//! Rust client of Clerk's Frontend API (FAPI) with a `ClerkProvider` component and hooks.
//!
//! Three layers, one folder each:
//! - [`core`]: publishable keys, FAPI models, session-token claims, request building (plain Rust);
//! - [`client`]: the state machine (load, token cache, refresh, sign-out, cross-tab), behind
//!   small traits so host tests can fake the network and the clock;
//! - the Yew layer: `ClerkProvider`, hooks and components, which only map state into contexts.

#![deny(missing_docs)]

pub mod browser;
pub mod client;
pub mod core;
pub mod error;
#[cfg(feature = "testing")]
pub mod testing;
pub mod ui;

/// The common items: `use yew_clerk::prelude::*;`.
pub mod prelude {
    pub use crate::client::{
        AuthSnapshot, GetTokenOptions, LoadStatus, SetActiveParams, SignOutOptions,
    };
    pub use crate::error::ClerkError;
    pub use crate::ui::components::*;
    pub use crate::ui::hooks::*;
    pub use crate::ui::{Check, ClerkInstance, ClerkProvider, ClerkProviderProps, HasFn};
}

pub use crate::error::{ClerkError, KeyError, KeyFormatProblem};
