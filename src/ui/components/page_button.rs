//! What [`SignInButton`](super::SignInButton) and [`SignUpButton`](super::SignUpButton)
//! share: their props and their one line of behaviour (open a hosted page).

use ::yew::prelude::*;

use super::hosted_page::{use_hosted_page_button, HostedPage};

/// Props of [`SignInButton`](super::SignInButton) and [`SignUpButton`](super::SignUpButton)
/// (named `SignInButtonProps` / `SignUpButtonProps`).
#[derive(Properties, PartialEq, Clone, Debug)]
pub struct PageButtonProps {
    /// Where to come back to afterwards (default: the current page).
    #[prop_or_default]
    pub redirect_url: Option<AttrValue>,
    /// CSS classes of the `<button>`.
    #[prop_or_default]
    pub class: Classes,
    /// The button's content (default: "Sign in" / "Sign up").
    #[prop_or_default]
    pub children: Html,
}

/// The `<button>` that opens `page`, labelled `label` when it has no children.
#[hook]
pub(super) fn use_page_button(
    page: HostedPage,
    props: &PageButtonProps,
    label: &'static str,
) -> Html {
    use_hosted_page_button(
        page,
        props.redirect_url.clone(),
        props.class.clone(),
        props.children.clone(),
        label,
    )
}
