use ::yew::prelude::*;

use crate::client::flows::{RedirectCallbackOutcome, RedirectCallbackParams};
use crate::error::ClerkError;
use crate::ui::hooks::use_clerk;
use crate::ui::instance::report_error;

/// Props of [`AuthenticateWithRedirectCallback`] (clerk-react's `signInFallbackRedirectUrl`
/// and friends, under the names of [`RedirectCallbackParams`]).
#[derive(Properties, PartialEq, Clone, Debug)]
pub struct AuthenticateWithRedirectCallbackProps {
    /// After a completed sign-in (default `/`). Checked by the redirect policy.
    #[prop_or_default]
    pub after_sign_in_url: Option<AttrValue>,
    /// After a completed sign-up (default: `after_sign_in_url`).
    #[prop_or_default]
    pub after_sign_up_url: Option<AttrValue>,
    /// The app's sign-in form, for a sign-in that needs another step (second factor, ...).
    #[prop_or_default]
    pub continue_sign_in_url: Option<AttrValue>,
    /// The app's sign-up form, for a sign-up that misses fields.
    #[prop_or_default]
    pub continue_sign_up_url: Option<AttrValue>,
    /// How it ended (signed in, a step left, nothing to do), for apps that handle it in place.
    #[prop_or_default]
    pub on_outcome: Option<Callback<RedirectCallbackOutcome>>,
    /// Why it failed: [`ClerkError::ExternalVerification`] (`oauth_access_denied`, ...) or
    /// a transfer error (`form_identifier_exists`). Without it the error is logged with
    /// `console.error`.
    #[prop_or_default]
    pub on_error: Option<Callback<ClerkError>>,
    /// Shown while the callback runs (default: nothing).
    #[prop_or_default]
    pub children: Html,
}

/// The page at an OAuth `redirect_url` (clerk-react's `<AuthenticateWithRedirectCallback>`):
/// once Clerk has loaded, runs [`Clerk::handle_redirect_callback`](crate::client::Clerk::handle_redirect_callback)
/// once, which activates the new session and navigates to the after-sign-in/up URL, or
/// transfers an unknown account to a sign-up (and an existing one to a sign-in). Renders its
/// children.
///
/// # Example
///
/// ```rust,no_run
/// use yew::prelude::*;
/// use yew_clerk::prelude::*;
///
/// #[component]
/// fn SsoCallback() -> Html {
///     let error = use_state(|| None::<String>);
///     let on_error = {
///         let error = error.clone();
///         Callback::from(move |e: ClerkError| error.set(Some(e.to_string())))
///     };
///     html! {
///         <AuthenticateWithRedirectCallback after_sign_in_url="/dashboard" {on_error}>
///             if let Some(e) = &*error { <p role="alert">{ e }</p> } else { { "Signing in…" } }
///         </AuthenticateWithRedirectCallback>
///     }
/// }
/// ```
#[component]
pub fn AuthenticateWithRedirectCallback(props: &AuthenticateWithRedirectCallbackProps) -> Html {
    let clerk = use_clerk();
    let loaded = clerk.is_loaded();
    let instance = clerk.clerk();
    let started = use_mut_ref(|| false);
    {
        let props = props.clone();
        use_effect_with((loaded, instance), move |(loaded, instance)| {
            if !*loaded || *started.borrow() {
                return;
            }
            *started.borrow_mut() = true;
            let engine = instance.require_engine();
            let text = |v: &Option<AttrValue>| v.as_ref().map(|s| s.to_string());
            let params = RedirectCallbackParams {
                after_sign_in_url: text(&props.after_sign_in_url),
                after_sign_up_url: text(&props.after_sign_up_url),
                continue_sign_in_url: text(&props.continue_sign_in_url),
                continue_sign_up_url: text(&props.continue_sign_up_url),
            };
            ::yew::platform::spawn_local(async move {
                let result = match engine {
                    Ok(clerk) => clerk.handle_redirect_callback(&params).await,
                    Err(e) => Err(e),
                };
                match (result, &props.on_outcome, &props.on_error) {
                    (Ok(out), Some(cb), _) => cb.emit(out),
                    (Ok(_), None, _) => {}
                    (Err(e), _, Some(cb)) => cb.emit(e),
                    (Err(e), _, None) => report_error("OAuth callback", &e),
                }
            });
        });
    }
    props.children.clone()
}
