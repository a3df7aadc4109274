use ::yew::prelude::*;

use super::hosted_page::{use_hosted_page_button, HostedPage, PageButtonProps};

/// Props of [`SignInButton`].
pub type SignInButtonProps = PageButtonProps;

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
    use_hosted_page_button(HostedPage::SignIn, props, "Sign in")
}
