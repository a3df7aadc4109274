use ::yew::prelude::*;

use crate::client::SignOutOptions;
use crate::ui::hooks::use_clerk;

/// Props of [`SignOutButton`].
#[derive(Properties, PartialEq, Clone, Debug)]
pub struct SignOutButtonProps {
    /// Sign out of this session only (multi-session apps); default: every session.
    #[prop_or_default]
    pub session_id: Option<AttrValue>,
    /// Where to go afterwards (default: the provider's `after_sign_out_url`, else stay).
    #[prop_or_default]
    pub redirect_url: Option<AttrValue>,
    /// CSS classes of the `<button>`.
    #[prop_or_default]
    pub class: Classes,
    /// The button's content (default: "Sign out").
    #[prop_or_default]
    pub children: Html,
}

/// An unstyled `<button>` that signs out (clerk-react's `<SignOutButton>`). Errors are
/// reported by the engine state; use `use_auth().sign_out(..)` to handle them yourself.
///
/// # Example
///
/// ```rust,no_run
/// use yew::prelude::*;
/// use yew_clerk::prelude::*;
///
/// #[component]
/// fn Nav() -> Html {
///     html! { <SignedIn><SignOutButton redirect_url="/" /></SignedIn> }
/// }
/// ```
#[component]
pub fn SignOutButton(props: &SignOutButtonProps) -> Html {
    let clerk = use_clerk();
    let onclick = {
        let instance = clerk.instance();
        let options = SignOutOptions {
            session_id: props.session_id.as_ref().map(|s| s.to_string()),
            redirect_url: props.redirect_url.as_ref().map(|s| s.to_string()),
        };
        Callback::from(move |_: MouseEvent| {
            let done = instance.sign_out(options.clone());
            ::yew::platform::spawn_local(async move {
                let _ = done.await;
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
