use std::future::Future;

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
async fn run_step<T: Clone + 'static>(
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

/// The handle a headless flow hook returns: [`UseSignInHandle`](crate::ui::UseSignInHandle)
/// is `FlowHandle<SignIn>`, [`UseSignUpHandle`](crate::ui::UseSignUpHandle) is
/// `FlowHandle<SignUp>`. The state accessors live here; each flow's steps are in its hook's
/// module. Each step returns a `'static` future; the hook's state is updated when it
/// settles, so a form can simply spawn the step and render the state.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowHandle<T> {
    /// Whether Clerk has loaded (steps wait for it anyway).
    pub is_loaded: bool,
    state: UseStateHandle<FlowState<T>>,
    clerk: ClerkInstance,
}

impl<T: Clone + 'static> FlowHandle<T> {
    /// The flow state: latest resource, latest error, pending flag.
    pub fn state(&self) -> &FlowState<T> {
        &self.state
    }

    /// The error of the latest step (`form_password_incorrect`, `form_identifier_exists`, …).
    pub fn error(&self) -> Option<&ClerkError> {
        self.state.error.as_ref()
    }

    /// A step is in flight.
    pub fn pending(&self) -> bool {
        self.state.pending
    }

    /// Forgets the flow (back to the initial state).
    pub fn reset(&self) {
        self.state.set(FlowState::default());
    }

    /// The latest resource (what `sign_in()` / `sign_up()` return).
    pub(crate) fn resource(&self) -> Option<&T> {
        self.state.resource.as_ref()
    }

    /// One step of the flow: `call` gets the engine (or the step fails with why there is
    /// none: `NoProvider`, or `Config` under `MockClerkProvider`); [`run_step`] keeps the
    /// state.
    pub(crate) fn step<F, Fut>(
        &self,
        call: F,
    ) -> impl Future<Output = Result<T, ClerkError>> + 'static
    where
        F: FnOnce(Clerk) -> Fut + 'static,
        Fut: Future<Output = Result<T, ClerkError>> + 'static,
    {
        let clerk = self.clerk.require_engine();
        run_step(
            self.state.setter(),
            self.state.resource.clone(),
            async move { call(clerk?).await },
        )
    }

    /// A step that continues the flow in progress: `call` also gets the latest resource;
    /// without one the step fails with `not_started()` (after the engine check of
    /// [`Self::step`]).
    pub(crate) fn continue_step<F, Fut>(
        &self,
        not_started: fn() -> ClerkError,
        call: F,
    ) -> impl Future<Output = Result<T, ClerkError>> + 'static
    where
        F: FnOnce(Clerk, T) -> Fut + 'static,
        Fut: Future<Output = Result<T, ClerkError>> + 'static,
    {
        let current = self.state.resource.clone();
        self.step(move |clerk| async move { call(clerk, current.ok_or_else(not_started)?).await })
    }
}

/// The handle of the flow hook named `hook`: [`use_flow_context`] and the flow's own state.
#[hook]
pub(crate) fn use_flow<T: Clone + PartialEq + 'static>(hook: &'static str) -> FlowHandle<T> {
    let state = use_state_eq(FlowState::default);
    let (is_loaded, clerk) = use_flow_context(hook);
    FlowHandle {
        is_loaded,
        state,
        clerk,
    }
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
