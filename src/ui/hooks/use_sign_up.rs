use ::yew::prelude::*;

use super::flow_state::{use_flow, FlowHandle};
use crate::client::flows::{SignUp, SignUpParams, SignUpStatus};
use crate::error::ClerkError;

/// What [`use_sign_up`] returns: the flow's state (through [`FlowHandle::state`] and the
/// shortcuts) and its steps (create → prepare the email code → attempt it). Each step
/// returns a `'static` future and updates the hook's state when it settles.
pub type UseSignUpHandle = FlowHandle<SignUp>;

impl FlowHandle<SignUp> {
    /// The latest sign-up resource (`missing_fields`, `unverified_fields`, …).
    pub fn sign_up(&self) -> Option<&SignUp> {
        self.resource()
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
        self.step(move |clerk| async move { clerk.sign_up_create(&params).await })
    }

    /// Emails the verification code for the sign-up in progress.
    pub fn prepare_email_code(
        &self,
    ) -> impl std::future::Future<Output = Result<SignUp, ClerkError>> + 'static {
        self.continue_step(no_sign_up, move |clerk, current| async move {
            clerk.sign_up_prepare_email_code(&current.id).await
        })
    }

    /// Verifies the emailed code; on completion the new session becomes current.
    pub fn attempt_email_code(
        &self,
        code: &str,
    ) -> impl std::future::Future<Output = Result<SignUp, ClerkError>> + 'static {
        let code = code.to_string();
        self.continue_step(no_sign_up, move |clerk, current| async move {
            clerk.sign_up_attempt_email_code(&current.id, &code).await
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
        let (strategy, redirect_url, complete) = (
            strategy.to_string(),
            redirect_url.to_string(),
            redirect_url_complete.to_string(),
        );
        self.step(move |clerk| async move {
            clerk
                .sign_up_authenticate_with_redirect(&strategy, &redirect_url, &complete)
                .await
        })
    }
}

/// Why a step that continues a sign-up cannot run without one.
fn no_sign_up() -> ClerkError {
    ClerkError::FlowStep("no sign-up in progress: call create first".into())
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
    use_flow("use_sign_up")
}
