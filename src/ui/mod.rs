//! The Yew layer: [`ClerkProvider`], the contexts, the hooks and the control components.
//!
//! (The folder is `ui/` rather than `yew/` so that `yew::…` always means the Yew crate.)
//!
//! Everything here only maps the engine's state ([`crate::client::ClerkState`]) into Yew
//! contexts; the work (requests, token cache, refresh, cross-tab sync) is the engine's.

pub mod components;
pub mod context;
mod has;
pub mod hooks;
pub(crate) mod instance;
mod provider;

pub use self::components::*;
pub use self::context::{
    ClerkContext, OrganizationContext, SessionContext, SessionListContext, UserContext,
};
pub use self::has::{Check, HasFn};
pub use self::hooks::*;
pub use self::instance::ClerkInstance;
pub use self::provider::{ClerkProvider, ClerkProviderProps};
