use ::yew::prelude::*;

use crate::client::Clerk;
use crate::error::ClerkError;
use crate::ui::context::{slice, use_store};
use crate::ui::instance::ClerkInstance;

/// The state of a sign-in or sign-up flow in progress, as the flow hooks expose it.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowState<T> {
    /// The latest resource Clerk returned (its `status` says what is next).
    pub resource: Option<T>,
    /// The error of the latest step (`form_password_incorrect`, `form_code_incorrect`, …;
    /// see [`ClerkError::code`]).
    pub error: Option<ClerkError>,
    /// A step is in flight (disable the submit button).
    pub pending: bool,
}

impl<T> Default for FlowState<T> {
    fn default() -> Self {
        FlowState {
            resource: None,
            error: None,
            pending: false,
        }
    }
}

/// Runs one step: marks the state pending, awaits `step`, stores the resource or the error.
pub(crate) async fn run_step<T: Clone + 'static>(
    set: ::yew::functional::UseStateSetter<FlowState<T>>,
    previous: Option<T>,
    step: impl std::future::Future<Output = Result<T, ClerkError>>,
) -> Result<T, ClerkError> {
    set.set(FlowState {
        resource: previous.clone(),
        error: None,
        pending: true,
    });
    let result = step.await;
    set.set(match &result {
        Ok(r) => FlowState {
            resource: Some(r.clone()),
            error: None,
            pending: false,
        },
        Err(e) => FlowState {
            resource: previous,
            error: Some(e.clone()),
            pending: false,
        },
    });
    result
}

/// What a flow step needs: the engine (or why there is none), the state setter and the
/// resource of the previous step.
pub(crate) type StepParts<T> = (
    Result<Clerk, ClerkError>,
    ::yew::functional::UseStateSetter<FlowState<T>>,
    Option<T>,
);

/// The [`StepParts`] of a flow hook's handle.
pub(crate) fn step_parts<T: Clone>(
    clerk: &ClerkInstance,
    state: &UseStateHandle<FlowState<T>>,
) -> StepParts<T> {
    (
        clerk.require_engine(),
        state.setter(),
        state.resource.clone(),
    )
}

/// The provider's load status and action handle for the flow hook named `hook` (a handle
/// that reports `NoProvider` outside a `ClerkProvider`).
#[hook]
pub(crate) fn use_flow_context(hook: &'static str) -> (bool, ClerkInstance) {
    match use_store(slice::CLERK) {
        Some(store) => {
            let clerk = &store.values().clerk;
            (clerk.status.is_loaded(), clerk.instance.clone())
        }
        None => (false, ClerkInstance::missing(hook)),
    }
}
