use crate::error::ClerkError;

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
