use ::yew::prelude::*;

use crate::ui::has::{Check, HasFn};
use crate::ui::hooks::use_auth;

/// When [`Show`] renders its children (clerk-react v6's `when`).
#[derive(Debug, Clone, PartialEq)]
pub enum ShowWhen {
    /// A user is signed in.
    SignedIn,
    /// No user is signed in.
    SignedOut,
    /// A signed-in user passes the check.
    Check(Check),
    /// A signed-in user for whom the callback returns `true`.
    Condition(Callback<HasFn, bool>),
}

/// Props of [`Show`].
#[derive(Properties, PartialEq, Clone, Debug)]
pub struct ShowProps {
    /// The condition.
    pub when: ShowWhen,
    /// Rendered when the condition is false (after loading).
    #[prop_or_default]
    pub fallback: Html,
    /// Rendered while Clerk is loading (default: nothing).
    #[prop_or_default]
    pub loading: Html,
    /// The content.
    #[prop_or_default]
    pub children: Html,
}

/// Renders its children when `when` holds, else `fallback` (clerk-react v6's `<Show>`, which
/// replaced `SignedIn`, `SignedOut` and `Protect`).
///
/// # Example
///
/// ```rust,no_run
/// use yew::prelude::*;
/// use yew_clerk::prelude::*;
///
/// #[component]
/// fn Admin() -> Html {
///     html! {
///         <Show when={ShowWhen::Check(Check::role("org:admin"))} fallback={html! { "Admins only" }}>
///             { "Admin tools" }
///         </Show>
///     }
/// }
/// ```
#[component]
pub fn Show(props: &ShowProps) -> Html {
    let auth = use_auth();
    let Some(signed_in) = auth.is_signed_in else {
        return props.loading.clone();
    };
    let shown = match &props.when {
        ShowWhen::SignedIn => signed_in,
        ShowWhen::SignedOut => !signed_in,
        ShowWhen::Check(check) => signed_in && auth.has(check),
        ShowWhen::Condition(condition) => signed_in && condition.emit(auth.has_fn()),
    };
    if shown {
        props.children.clone()
    } else {
        props.fallback.clone()
    }
}
