use ::yew::prelude::*;

use super::flow_state::{use_flow, FlowHandle};
use crate::client::flows::{SecondFactorStrategy, SignIn, SignInStatus};
use crate::error::ClerkError;

/// What [`use_sign_in`] returns: the flow's state (through [`FlowHandle::state`] and the
/// shortcuts) and its steps. Each step returns a `'static` future; the hook's state is
/// updated when it settles, so a form can simply spawn the step and render the state.
pub type UseSignInHandle = FlowHandle<SignIn>;

impl FlowHandle<SignIn> {
    /// The latest sign-in resource.
    pub fn sign_in(&self) -> Option<&SignIn> {
        self.resource()
    }

    /// Whether the latest sign-in completed (its session is now current).
    pub fn is_complete(&self) -> bool {
        self.sign_in()
            .is_some_and(|s| s.status == SignInStatus::Complete)
    }

    /// Password sign-in (`identifier` = email, username or phone). Wrong credentials give
    /// [`ClerkError::Api`] with `form_password_incorrect` / `form_identifier_not_found`.
    pub fn with_password(
        &self,
        identifier: &str,
        password: &str,
    ) -> impl std::future::Future<Output = Result<SignIn, ClerkError>> + 'static {
        let (identifier, password) = (identifier.to_string(), password.to_string());
        self.step(
            move |clerk| async move { clerk.sign_in_with_password(&identifier, &password).await },
        )
    }

    /// Starts an email-code sign-in: Clerk emails a code; finish with
    /// [`UseSignInHandle::attempt_email_code`].
    pub fn with_email_code(
        &self,
        identifier: &str,
    ) -> impl std::future::Future<Output = Result<SignIn, ClerkError>> + 'static {
        let identifier = identifier.to_string();
        self.step(move |clerk| async move { clerk.sign_in_with_email_code(&identifier).await })
    }

    /// Verifies the emailed code of the sign-in in progress.
    pub fn attempt_email_code(
        &self,
        code: &str,
    ) -> impl std::future::Future<Output = Result<SignIn, ClerkError>> + 'static {
        let code = code.to_string();
        self.continue_step(no_sign_in, move |clerk, current| async move {
            clerk.sign_in_attempt_email_code(&current.id, &code).await
        })
    }

    /// Starts a phone-code sign-in (`identifier` = phone number, email or username): Clerk
    /// texts a code; finish with [`UseSignInHandle::attempt_phone_code`].
    pub fn with_phone_code(
        &self,
        identifier: &str,
    ) -> impl std::future::Future<Output = Result<SignIn, ClerkError>> + 'static {
        let identifier = identifier.to_string();
        self.step(move |clerk| async move { clerk.sign_in_with_phone_code(&identifier).await })
    }

    /// Verifies the texted code of the sign-in in progress.
    pub fn attempt_phone_code(
        &self,
        code: &str,
    ) -> impl std::future::Future<Output = Result<SignIn, ClerkError>> + 'static {
        let code = code.to_string();
        self.continue_step(no_sign_in, move |clerk, current| async move {
            clerk.sign_in_attempt_phone_code(&current.id, &code).await
        })
    }

    /// Sends a new email, phone or reset code for the sign-in in progress (after
    /// `verification_expired`, `verification_failed`, or "I didn't get it").
    pub fn resend_code(
        &self,
    ) -> impl std::future::Future<Output = Result<SignIn, ClerkError>> + 'static {
        self.continue_step(no_sign_in, move |clerk, current| async move {
            clerk.sign_in_resend_first_factor_code(&current).await
        })
    }

    /// "Forgot password?": Clerk emails a reset code to `identifier`'s account; then
    /// [`UseSignInHandle::attempt_reset_password_code`] and
    /// [`UseSignInHandle::reset_password`].
    pub fn forgot_password(
        &self,
        identifier: &str,
    ) -> impl std::future::Future<Output = Result<SignIn, ClerkError>> + 'static {
        let identifier = identifier.to_string();
        self.step(
            move |clerk| async move { clerk.sign_in_reset_password_email_code(&identifier).await },
        )
    }

    /// Verifies the emailed reset code; the sign-in then needs a new password
    /// ([`SignInStatus::NeedsNewPassword`]).
    pub fn attempt_reset_password_code(
        &self,
        code: &str,
    ) -> impl std::future::Future<Output = Result<SignIn, ClerkError>> + 'static {
        let code = code.to_string();
        self.continue_step(no_sign_in, move |clerk, current| async move {
            clerk
                .sign_in_attempt_reset_password_email_code(&current.id, &code)
                .await
        })
    }

    /// Sets the new password at [`SignInStatus::NeedsNewPassword`], optionally signing the
    /// user out of their other sessions. The sign-in then completes or needs the second
    /// factor.
    pub fn reset_password(
        &self,
        password: &str,
        sign_out_of_other_sessions: bool,
    ) -> impl std::future::Future<Output = Result<SignIn, ClerkError>> + 'static {
        let password = password.to_string();
        self.continue_step(no_sign_in, move |clerk, current| async move {
            clerk
                .sign_in_reset_password(&current.id, &password, sign_out_of_other_sessions)
                .await
        })
    }

    /// At [`SignInStatus::NeedsSecondFactor`]: texts a code to the user's second-factor
    /// phone (needed before [`UseSignInHandle::attempt_second_factor`] with
    /// [`SecondFactorStrategy::PhoneCode`]; TOTP and backup codes need no preparation).
    pub fn prepare_second_factor(
        &self,
    ) -> impl std::future::Future<Output = Result<SignIn, ClerkError>> + 'static {
        self.continue_step(no_sign_in, move |clerk, current| async move {
            clerk
                .sign_in_prepare_phone_code_second_factor(&current)
                .await
        })
    }

    /// At [`SignInStatus::NeedsSecondFactor`]: verifies a TOTP, texted or backup code
    /// (the factors offered are in `supported_second_factors`). Completes the sign-in.
    pub fn attempt_second_factor(
        &self,
        strategy: SecondFactorStrategy,
        code: &str,
    ) -> impl std::future::Future<Output = Result<SignIn, ClerkError>> + 'static {
        let code = code.to_string();
        self.continue_step(no_sign_in, move |clerk, current| async move {
            clerk
                .sign_in_attempt_second_factor(&current.id, strategy, &code)
                .await
        })
    }

    /// Sign-in with an OAuth provider by redirect (clerk-js's
    /// `signIn.authenticateWithRedirect`): `strategy` is `oauth_google`, `oauth_github`, ...;
    /// `redirect_url` is your callback page (render
    /// [`AuthenticateWithRedirectCallback`](crate::ui::components::AuthenticateWithRedirectCallback)
    /// there); `redirect_url_complete` is where the flow ends. On success the browser leaves
    /// for the provider. Refused URLs give [`ClerkError::RedirectRefused`] (nothing sent).
    pub fn authenticate_with_redirect(
        &self,
        strategy: &str,
        redirect_url: &str,
        redirect_url_complete: &str,
    ) -> impl std::future::Future<Output = Result<SignIn, ClerkError>> + 'static {
        let (strategy, redirect_url, complete) = (
            strategy.to_string(),
            redirect_url.to_string(),
            redirect_url_complete.to_string(),
        );
        self.step(move |clerk| async move {
            clerk
                .sign_in_authenticate_with_redirect(&strategy, &redirect_url, &complete)
                .await
        })
    }
}

/// Why a step that continues a sign-in cannot run without one.
fn no_sign_in() -> ClerkError {
    ClerkError::FlowStep("no sign-in in progress: start one first (with_password, with_email_code, with_phone_code or forgot_password)".into())
}

/// A headless sign-in flow for your own form, like clerk-react's `useSignIn()`: password,
/// email-code or phone-code sign-in, "forgot password" (reset code → new password), the
/// second factor of users with MFA (TOTP, phone code, backup code), typed errors, and the
/// new session made current on completion (every `use_auth` consumer then sees the user
/// signed in). Each step leaves the last good sign-in in the state, so after an error
/// (`form_code_incorrect`, `verification_expired`, `verification_failed`, …) the form can
/// retry the step, send a new code, or offer another factor.
///
/// # Example
///
/// ```rust,no_run
/// use yew::prelude::*;
/// use yew_clerk::prelude::*;
///
/// #[component]
/// fn SignInForm() -> Html {
///     let sign_in = use_sign_in();
///     let onsubmit = {
///         let sign_in = sign_in.clone();
///         Callback::from(move |e: SubmitEvent| {
///             e.prevent_default();
///             let step = sign_in.with_password("ada@example.com", "correct horse");
///             yew::platform::spawn_local(async move {
///                 let _ = step.await; // the hook's state holds the result too
///             });
///         })
///     };
///     html! {
///         <form {onsubmit}>
///             if let Some(e) = sign_in.error() { <p>{ e.to_string() }</p> }
///             <button disabled={sign_in.pending()}>{ "Sign in" }</button>
///         </form>
///     }
/// }
/// ```
#[hook]
pub fn use_sign_in() -> UseSignInHandle {
    use_flow("use_sign_in")
}
