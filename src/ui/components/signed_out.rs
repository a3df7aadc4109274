use ::yew::prelude::*;

use crate::ui::hooks::use_auth;

/// Props of [`SignedOut`].
#[derive(Properties, PartialEq, Clone, Debug)]
pub struct SignedOutProps {
    /// Rendered when no user is signed in (after loading).
    #[prop_or_default]
    pub children: Html,
}

/// Renders its children when no user is signed in (after loading); nothing while loading (clerk-react v5's `<SignedOut>`).
///
/// # Example
///
/// ```rust,no_run
/// use yew::prelude::*;
/// use yew_clerk::prelude::*;
///
/// #[component]
/// fn Nav() -> Html {
///     html! { <SignedOut>{ "…" }</SignedOut> }
/// }
/// ```
#[component]
pub fn SignedOut(props: &SignedOutProps) -> Html {
    let auth = use_auth();
    if auth.is_signed_in == Some(false) {
        props.children.clone()
    } else {
        Html::default()
    }
}
