use ::yew::prelude::*;

use super::hosted_page::{use_hosted_page_button, HostedPage, PageButtonProps};

/// Props of [`SignUpButton`].
pub type SignUpButtonProps = PageButtonProps;

/// An unstyled `<button>` that navigates to the sign-up page (clerk-react's `<SignUpButton>` in redirect
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
///     html! { <SignedOut><SignUpButton class="btn" /></SignedOut> }
/// }
/// ```
#[component]
pub fn SignUpButton(props: &SignUpButtonProps) -> Html {
    use_hosted_page_button(HostedPage::SignUp, props, "Sign up")
}
