//! What the hosted-page components share: `SignInButton`/`SignUpButton` and
//! `RedirectToSignIn`/`RedirectToSignUp`/`RedirectToTasks` differ only in the page they go to.

use ::yew::prelude::*;

use crate::ui::hooks::use_clerk;
use crate::ui::instance::report_error;
pub(crate) use crate::ui::instance::HostedPage;

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

/// A button that opens `page` (`label` when there are no children).
#[hook]
pub(crate) fn use_hosted_page_button(
    page: HostedPage,
    props: &PageButtonProps,
    label: &'static str,
) -> Html {
    let instance = use_clerk().clerk();
    let redirect_url = props.redirect_url.clone();
    let onclick = Callback::from(move |_: MouseEvent| {
        if let Err(e) = instance.redirect(page, redirect_url.as_deref()) {
            report_error(label, &e);
        }
    });
    super::labelled_button(props.class.clone(), onclick, props.children.clone(), label)
}

/// Navigates to `page` once Clerk has loaded (and again if `redirect_url` changes). A refused
/// or impossible redirect is logged with `console.error`.
#[hook]
pub(crate) fn use_redirect_when_loaded(page: HostedPage, redirect_url: Option<AttrValue>) {
    let clerk = use_clerk();
    let loaded = clerk.is_loaded();
    let instance = clerk.clerk();
    use_effect_with(
        (loaded, instance, redirect_url),
        move |(loaded, instance, redirect_url)| {
            if *loaded {
                if let Err(e) = instance.redirect(page, redirect_url.as_deref()) {
                    report_error("redirect", &e);
                }
            }
        },
    );
}
