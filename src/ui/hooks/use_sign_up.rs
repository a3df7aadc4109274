use ::yew::prelude::*;

use super::flow_state::{run_step, step_parts, use_flow_context, FlowState, StepParts};
use crate::client::flows::{SignUp, SignUpParams, SignUpStatus};
use crate::error::ClerkError;
use crate::ui::instance::ClerkInstance;

/// What [`use_sign_up`] returns: the flow's state and its steps (create → prepare the email
/// code → attempt it). Each step returns a `'static` future and updates the hook's state when
/// it settles.
#[derive(Debug, Clone, PartialEq)]
pub struct UseSignUpHandle {
    /// Whether Clerk has loaded.
    pub is_loaded: bool,
    state: UseStateHandle<FlowState<SignUp>>,
    clerk: ClerkInstance,
}

impl UseSignUpHandle {
    /// The flow state: latest sign-up resource, latest error, pending flag.
    pub fn state(&self) -> &FlowState<SignUp> {
        &self.state
    }

    /// The latest sign-up resource (`missing_fields`, `unverified_fields`, …).
    pub fn sign_up(&self) -> Option<&SignUp> {
        self.state.resource.as_ref()
    }

    /// The error of the latest step (`form_identifier_exists`, `form_password_pwned`, …).
    pub fn error(&self) -> Option<&ClerkError> {
        self.state.error.as_ref()
    }

    /// A step is in flight.
    pub fn pending(&self) -> bool {
        self.state.pending
    }

    /// Whether the sign-up completed (its session is now current).
    pub fn is_complete(&self) -> bool {
        self.sign_up()
            .is_some_and(|s| s.status == SignUpStatus::Complete)
    }

    /// Creates the sign-up.
    pub fn create(
        &self,
        params: SignUpParams,
    ) -> impl std::future::Future<Output = Result<SignUp, ClerkError>> + 'static {
        let (clerk, set, previous) = self.parts();
        run_step(set, previous, async move {
            clerk?.sign_up_create(&params).await
        })
    }

    /// Emails the verification code for the sign-up in progress.
    pub fn prepare_email_code(
        &self,
    ) -> impl std::future::Future<Output = Result<SignUp, ClerkError>> + 'static {
        let (clerk, set, previous) = self.parts();
        let id = previous.as_ref().map(|s| s.id.clone());
        run_step(set, previous, async move {
            clerk?.sign_up_prepare_email_code(&Self::id(id)?).await
        })
    }

    /// Verifies the emailed code; on completion the new session becomes current.
    pub fn attempt_email_code(
        &self,
        code: &str,
    ) -> impl std::future::Future<Output = Result<SignUp, ClerkError>> + 'static {
        let (clerk, set, previous) = self.parts();
        let id = previous.as_ref().map(|s| s.id.clone());
        let code = code.to_string();
        run_step(set, previous, async move {
            clerk?
                .sign_up_attempt_email_code(&Self::id(id)?, &code)
                .await
        })
    }

    /// Sign-up with an OAuth provider by redirect (clerk-js's
    /// `signUp.authenticateWithRedirect`), like `use_sign_in().authenticate_with_redirect`:
    /// the browser leaves for the provider; the callback page finishes (an existing account
    /// is signed in instead).
    pub fn authenticate_with_redirect(
        &self,
        strategy: &str,
        redirect_url: &str,
        redirect_url_complete: &str,
    ) -> impl std::future::Future<Output = Result<SignUp, ClerkError>> + 'static {
        let (clerk, set, previous) = self.parts();
        let (strategy, redirect_url, complete) = (
            strategy.to_string(),
            redirect_url.to_string(),
            redirect_url_complete.to_string(),
        );
        run_step(set, previous, async move {
            clerk?
                .sign_up_authenticate_with_redirect(&strategy, &redirect_url, &complete)
                .await
        })
    }

    /// Forgets the flow.
    pub fn reset(&self) {
        self.state.set(FlowState::default());
    }

    fn id(id: Option<String>) -> Result<String, ClerkError> {
        id.ok_or_else(|| ClerkError::FlowStep("no sign-up in progress: call create first".into()))
    }

    fn parts(&self) -> StepParts<SignUp> {
        step_parts(&self.clerk, &self.state)
    }
}

/// A headless sign-up flow for your own form, like clerk-react's `useSignUp()`.
///
/// # Example
///
/// ```rust,no_run
/// use yew::prelude::*;
/// use yew_clerk::client::flows::SignUpParams;
/// use yew_clerk::prelude::*;
///
/// #[component]
/// fn SignUpForm() -> Html {
///     let sign_up = use_sign_up();
///     let onclick = {
///         let sign_up = sign_up.clone();
///         Callback::from(move |_| {
///             let sign_up = sign_up.clone();
///             yew::platform::spawn_local(async move {
///                 let params = SignUpParams {
///                     email_address: Some("new@example.com".into()),
///                     password: Some("a long passphrase".into()),
///                     ..Default::default()
///                 };
///                 if sign_up.create(params).await.is_ok() {
///                     let _ = sign_up.prepare_email_code().await;
///                 }
///             });
///         })
///     };
///     html! { <button {onclick}>{ "Create account" }</button> }
/// }
/// ```
#[hook]
pub fn use_sign_up() -> UseSignUpHandle {
    let state = use_state_eq(FlowState::default);
    let (is_loaded, clerk) = use_flow_context("use_sign_up");
    UseSignUpHandle {
        is_loaded,
        state,
        clerk,
    }
}
