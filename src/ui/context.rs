//! The contexts a provider fills, split like clerk-react v5 so that a component re-renders
//! only when what it reads changed.
//!
//! | context | read by | changes when |
//! | --- | --- | --- |
//! | [`AuthSnapshot`] | `use_auth`, `SignedIn`, `SignedOut`, `Protect`, `Show` | sign-in/out, session or organization switch, a claim change (never on a plain token refresh) |
//! | [`UserContext`] | `use_user`, `use_organization`, `use_organization_list` | the user object changed (`updated_at`) |
//! | [`SessionContext`] | `use_session`, `use_organization` | the current session changed |
//! | [`SessionListContext`] | `use_session_list` | the client's sessions changed |
//! | [`ClerkContext`] | `use_clerk`, `ClerkLoaded`, `ClerkFailed`, … | load status, error or environment changed |
//!
//! Providers only replace a context value when it differs (`PartialEq`), and Yew only
//! re-renders the consumers of a context whose value changed.

use std::rc::Rc;

use ::yew::prelude::*;

use super::instance::ClerkInstance;
use crate::client::{AuthSnapshot, ClerkState, LoadStatus};
use crate::core::models::{Client, Environment, Session, User};
use crate::error::ClerkError;

/// The user of the current session (`use_user`).
#[derive(Debug, Clone, PartialEq)]
pub struct UserContext {
    /// Whether loading finished.
    pub is_loaded: bool,
    /// The user, when signed in.
    pub user: Option<Rc<User>>,
}

/// The current session (`use_session`).
#[derive(Debug, Clone, PartialEq)]
pub struct SessionContext {
    /// Whether loading finished.
    pub is_loaded: bool,
    /// The current (`active` or `pending`) session.
    pub session: Option<Rc<Session>>,
}

/// The client's signed-in sessions (`use_session_list`).
#[derive(Debug, Clone, PartialEq)]
pub struct SessionListContext {
    /// Whether loading finished.
    pub is_loaded: bool,
    /// Sessions with status `active` or `pending`, in the client's order.
    pub sessions: Rc<Vec<Session>>,
}

/// Load status, error and environment plus the [`ClerkInstance`] (`use_clerk`).
#[derive(Debug, Clone, PartialEq)]
pub struct ClerkContext {
    /// The action handle (identity comparison).
    pub instance: ClerkInstance,
    /// Load status.
    pub status: LoadStatus,
    /// `Failed`: why; `Degraded`: what fell back.
    pub error: Option<ClerkError>,
    /// The instance's environment, once fetched.
    pub environment: Option<Rc<Environment>>,
}

/// Every context value of one provider.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ProviderValues {
    pub auth: AuthSnapshot,
    pub user: UserContext,
    pub session: SessionContext,
    pub sessions: SessionListContext,
    pub clerk: ClerkContext,
}

impl ProviderValues {
    /// The loading state.
    pub(crate) fn loading(instance: ClerkInstance) -> Self {
        Self::from_state(instance, &ClerkState::default())
    }

    /// The values for a snapshot of the engine.
    pub(crate) fn from_state(instance: ClerkInstance, state: &ClerkState) -> Self {
        let is_loaded = state.is_loaded();
        let pick = |v: Option<Rc<Session>>| if is_loaded { v } else { None };
        let user = if is_loaded { state.user.clone() } else { None };
        let sessions = match (&state.client, is_loaded) {
            (Some(c), true) => signed_in_sessions(c),
            _ => Vec::new(),
        };
        ProviderValues {
            auth: state.auth(true),
            user: UserContext { is_loaded, user },
            session: SessionContext {
                is_loaded,
                session: pick(state.session.clone()),
            },
            sessions: SessionListContext {
                is_loaded,
                sessions: Rc::new(sessions),
            },
            clerk: ClerkContext {
                instance,
                status: state.status,
                error: state.error.clone(),
                environment: state.environment.clone(),
            },
        }
    }
}

fn signed_in_sessions(client: &Client) -> Vec<Session> {
    client.signed_in_sessions().cloned().collect()
}

/// Renders `children` under the five context providers.
pub(crate) fn provide(values: &ProviderValues, children: Html) -> Html {
    html! {
        <ContextProvider<ClerkContext> context={values.clerk.clone()}>
        <ContextProvider<AuthSnapshot> context={values.auth.clone()}>
        <ContextProvider<UserContext> context={values.user.clone()}>
        <ContextProvider<SessionContext> context={values.session.clone()}>
        <ContextProvider<SessionListContext> context={values.sessions.clone()}>
            { children }
        </ContextProvider<SessionListContext>>
        </ContextProvider<SessionContext>>
        </ContextProvider<UserContext>>
        </ContextProvider<AuthSnapshot>>
        </ContextProvider<ClerkContext>>
    }
}
