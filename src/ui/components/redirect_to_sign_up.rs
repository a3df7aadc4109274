use ::yew::prelude::*;

use super::hosted_page::{use_redirect_when_loaded, HostedPage};

/// Props of [`RedirectToSignUp`].
#[derive(Properties, PartialEq, Clone, Debug)]
pub struct RedirectToSignUpProps {
    /// Where to come back to afterwards (default: the current page).
    #[prop_or_default]
    pub redirect_url: Option<AttrValue>,
}

/// Navigates to the sign-up page as soon as Clerk has loaded (clerk-react's `<RedirectToSignUp>`). Renders
/// nothing. Put it inside `SignedOut` to send visitors away from a protected page.
///
/// # Example
///
/// ```rust,no_run
/// use yew::prelude::*;
/// use yew_clerk::prelude::*;
///
/// #[component]
/// fn Dashboard() -> Html {
///     html! {
///         <>
///             <SignedIn>{ "Dashboard" }</SignedIn>
///             <SignedOut><RedirectToSignUp /></SignedOut>
///         </>
///     }
/// }
/// ```
#[component]
pub fn RedirectToSignUp(props: &RedirectToSignUpProps) -> Html {
    use_redirect_when_loaded(HostedPage::SignUp, props.redirect_url.clone());
    Html::default()
}
