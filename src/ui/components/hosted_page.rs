//! What the sign-in and sign-up twins share: `SignInButton`/`SignUpButton` and
//! `RedirectToSignIn`/`RedirectToSignUp` differ only in the hosted page they go to.

use ::yew::prelude::*;

use crate::ui::hooks::use_clerk;
use crate::ui::instance::ClerkInstance;

/// Which hosted page.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum HostedPage {
    SignIn,
    SignUp,
}

impl HostedPage {
    /// Navigates to this page (coming back to `redirect_url`, default: here). The error (no
    /// page URL known yet) is dropped: a click or an effect has no caller to return it to.
    fn open(self, instance: &ClerkInstance, redirect_url: Option<&str>) {
        let _ = match self {
            HostedPage::SignIn => instance.redirect_to_sign_in(redirect_url),
            HostedPage::SignUp => instance.redirect_to_sign_up(redirect_url),
        };
    }
}

/// A `<button>` that navigates to `page` (coming back to `redirect_url`, default: here);
/// `label` when `children` is empty.
#[hook]
pub(crate) fn use_hosted_page_button(
    page: HostedPage,
    redirect_url: Option<AttrValue>,
    class: Classes,
    children: Html,
    label: &'static str,
) -> Html {
    let instance = use_clerk().instance();
    let onclick =
        Callback::from(move |_: MouseEvent| page.open(&instance, redirect_url.as_deref()));
    let children = if children == Html::default() {
        html! { label }
    } else {
        children
    };
    html! { <button type="button" {class} {onclick}>{ children }</button> }
}

/// Navigates to `page` once Clerk has loaded (and again if `redirect_url` changes).
#[hook]
pub(crate) fn use_redirect_when_loaded(page: HostedPage, redirect_url: Option<AttrValue>) {
    let clerk = use_clerk();
    let loaded = clerk.is_loaded();
    let instance = clerk.instance();
    use_effect_with(
        (loaded, instance, redirect_url),
        move |(loaded, instance, redirect_url)| {
            if *loaded {
                page.open(instance, redirect_url.as_deref());
            }
        },
    );
}
