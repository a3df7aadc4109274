//! The hooks, one per file: [`use_auth`], [`use_user`], [`use_session`],
//! [`use_session_list`], [`use_clerk`], [`use_organization`], [`use_organization_list`], and
//! the headless flows [`use_sign_in`] and [`use_sign_up`], and [`use_reverification`].
//!
//! Each reads only the context it needs, so it re-renders only when that part of the state
//! changes. Outside a `ClerkProvider` no hook panics: they return the loading state, their
//! operations fail with [`ClerkError::NoProvider`](crate::ClerkError::NoProvider) naming the
//! hook, and the browser console shows `<hook> must be used inside a <ClerkProvider>
//! component` once per hook.

mod flow_state;
mod use_auth;
mod use_clerk;
mod use_organization;
mod use_organization_list;
mod use_reverification;
mod use_session;
mod use_session_list;
mod use_sign_in;
mod use_sign_up;
mod use_user;

pub use self::flow_state::{FlowHandle, FlowState};
pub use self::use_auth::{use_auth, UseAuthHandle};
pub use self::use_clerk::{use_clerk, UseClerkHandle};
pub use self::use_organization::{use_organization, UseOrganizationHandle};
pub use self::use_organization_list::{use_organization_list, UseOrganizationListHandle};
pub use self::use_reverification::{
    use_reverification, ReverificationError, ReverificationFailure, ReverificationHintSource,
    ReverificationState, UseReverificationHandle,
};
pub use self::use_session::{use_session, UseSessionHandle};
pub use self::use_session_list::{use_session_list, UseSessionListHandle};
pub use self::use_sign_in::{use_sign_in, UseSignInHandle};
pub use self::use_sign_up::{use_sign_up, UseSignUpHandle};
pub use self::use_user::{use_user, UseUserHandle};
