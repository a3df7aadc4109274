use ::yew::prelude::*;

use crate::ui::hooks::use_clerk;

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
    let clerk = use_clerk();
    let onclick = {
        let instance = clerk.instance();
        let redirect_url = props.redirect_url.clone();
        Callback::from(move |_: MouseEvent| {
            let _ = instance.redirect_to_sign_in(redirect_url.as_deref());
        })
    };
    let children = if props.children == Html::default() {
        html! { "Sign in" }
    } else {
        props.children.clone()
    };
    html! { <button type="button" class={props.class.clone()} {onclick}>{ children }</button> }
}
