use ::yew::prelude::*;

use crate::ui::hooks::use_auth;

/// Props of [`SignedIn`].
#[derive(Properties, PartialEq, Clone, Debug)]
pub struct SignedInProps {
    /// Rendered when a user is signed in.
    #[prop_or_default]
    pub children: Html,
}

/// Renders its children when a user is signed in; nothing while loading (clerk-react v5's `<SignedIn>`).
///
/// # Example
///
/// ```rust,no_run
/// use yew::prelude::*;
/// use yew_clerk::prelude::*;
///
/// #[component]
/// fn Nav() -> Html {
///     html! { <SignedIn>{ "…" }</SignedIn> }
/// }
/// ```
#[component]
pub fn SignedIn(props: &SignedInProps) -> Html {
    let auth = use_auth();
    if auth.is_signed_in == Some(true) {
        props.children.clone()
    } else {
        Html::default()
    }
}
