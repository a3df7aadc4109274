use ::yew::prelude::*;

use super::hosted_page::{use_redirect_when_loaded, HostedPage};

/// Props of [`RedirectToSignIn`].
#[derive(Properties, PartialEq, Clone, Debug)]
pub struct RedirectToSignInProps {
    /// Where to come back to afterwards (default: the current page).
    #[prop_or_default]
    pub redirect_url: Option<AttrValue>,
}

/// Navigates to the sign-in page as soon as Clerk has loaded (clerk-react's `<RedirectToSignIn>`). Renders
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
///             <SignedOut><RedirectToSignIn /></SignedOut>
///         </>
///     }
/// }
/// ```
#[component]
pub fn RedirectToSignIn(props: &RedirectToSignInProps) -> Html {
    use_redirect_when_loaded(HostedPage::SignIn, props.redirect_url.clone());
    Html::default()
}
