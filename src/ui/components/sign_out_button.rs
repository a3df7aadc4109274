use ::yew::prelude::*;

use crate::client::SignOutOptions;
use crate::error::ClerkError;
use crate::ui::hooks::use_clerk;
use crate::ui::instance::report_error;

/// Props of [`SignOutButton`].
#[derive(Properties, PartialEq, Clone, Debug)]
pub struct SignOutButtonProps {
    /// Sign out of this session only (multi-session apps); default: every session.
    #[prop_or_default]
    pub session_id: Option<AttrValue>,
    /// Where to go afterwards (default: the provider's `after_sign_out_url`, else stay).
    /// Checked by the redirect policy (see `allowed_redirect_origins` of `ClerkProvider`).
    #[prop_or_default]
    pub redirect_url: Option<AttrValue>,
    /// Called when signing out fails (offline, a FAPI error; the user is then still signed
    /// in) or its redirect is refused ([`ClerkError::RedirectRefused`]: the user is signed
    /// out but stays on the page). Without it the error is logged with `console.error`.
    #[prop_or_default]
    pub on_error: Option<Callback<ClerkError>>,
    /// CSS classes of the `<button>`.
    #[prop_or_default]
    pub class: Classes,
    /// The button's content (default: "Sign out").
    #[prop_or_default]
    pub children: Html,
}

/// An unstyled `<button>` that signs out (clerk-react's `<SignOutButton>`). Failures go to
/// `on_error` (else to `console.error`); `use_auth().sign_out(..)` returns them directly.
///
/// # Example
///
/// ```rust,no_run
/// use yew::prelude::*;
/// use yew_clerk::prelude::*;
///
/// #[component]
/// fn Nav() -> Html {
///     let error = use_state(|| None::<String>);
///     let on_error = {
///         let error = error.clone();
///         Callback::from(move |e: ClerkError| error.set(Some(e.to_string())))
///     };
///     html! {
///         <SignedIn>
///             <SignOutButton redirect_url="/" {on_error} />
///             if let Some(e) = &*error { <p role="alert">{ e }</p> }
///         </SignedIn>
///     }
/// }
/// ```
#[component]
pub fn SignOutButton(props: &SignOutButtonProps) -> Html {
    let clerk = use_clerk();
    let onclick = {
        let instance = clerk.clerk();
        let options = SignOutOptions {
            session_id: props.session_id.as_ref().map(|s| s.to_string()),
            redirect_url: props.redirect_url.as_ref().map(|s| s.to_string()),
        };
        let on_error = props.on_error.clone();
        Callback::from(move |_: MouseEvent| {
            let done = instance.sign_out(options.clone());
            let on_error = on_error.clone();
            ::yew::platform::spawn_local(async move {
                if let Err(e) = done.await {
                    match &on_error {
                        Some(cb) => cb.emit(e),
                        None => report_error("sign out", &e),
                    }
                }
            });
        })
    };
    super::labelled_button(
        props.class.clone(),
        onclick,
        props.children.clone(),
        "Sign out",
    )
}
