use ::yew::prelude::*;

use super::hosted_page::{use_hosted_page_button, HostedPage};

/// Props of [`SignInButton`].
#[derive(Properties, PartialEq, Clone, Debug)]
pub struct SignInButtonProps {
    /// Where to come back to afterwards (default: the current page).
    #[prop_or_default]
    pub redirect_url: Option<AttrValue>,
    /// CSS classes of the `<button>`.
    #[prop_or_default]
    pub class: Classes,
    /// The button's content (default: "Sign in").
    #[prop_or_default]
    pub children: Html,
}

/// An unstyled `<button>` that navigates to the sign-in page (clerk-react's `<SignInButton>` in redirect
/// mode).
///
/// # Example
///
/// ```rust,no_run
/// use yew::prelude::*;
/// use yew_clerk::prelude::*;
///
/// #[component]
/// fn Nav() -> Html {
///     html! { <SignedOut><SignInButton class="btn" /></SignedOut> }
/// }
/// ```
#[component]
pub fn SignInButton(props: &SignInButtonProps) -> Html {
    let button = use_hosted_page_button(
        HostedPage::SignIn,
        props.redirect_url.clone(),
        props.class.clone(),
        props.children.clone(),
        "Sign in",
    );
    button
}
