use ::yew::prelude::*;

use crate::ui::has::{Check, HasFn};
use crate::ui::hooks::use_auth;

/// Props of [`Protect`].
#[derive(Properties, PartialEq, Clone, Debug)]
pub struct ProtectProps {
    /// Required organization role (`org:admin`; `admin` gets the `org:` prefix).
    #[prop_or_default]
    pub role: Option<AttrValue>,
    /// Required organization permission (`org:invoices:create`).
    #[prop_or_default]
    pub permission: Option<AttrValue>,
    /// Required feature (`fea` claim).
    #[prop_or_default]
    pub feature: Option<AttrValue>,
    /// Required plan (`pla` claim).
    #[prop_or_default]
    pub plan: Option<AttrValue>,
    /// A custom check; wins over the other checks. Receives `has()`.
    #[prop_or_default]
    pub condition: Option<Callback<HasFn, bool>>,
    /// Rendered when the user is signed out or fails the check.
    #[prop_or_default]
    pub fallback: Html,
    /// Rendered while Clerk is loading (default: nothing, to avoid a flash of the fallback).
    #[prop_or_default]
    pub loading: Html,
    /// The protected content.
    #[prop_or_default]
    pub children: Html,
}

/// Renders its children only for a signed-in user who passes the check (clerk-react v5's
/// `<Protect>`). With no check it behaves like `SignedIn`. Protects the UI only: enforce the
/// same rule on your server.
///
/// # Example
///
/// ```rust,no_run
/// use yew::prelude::*;
/// use yew_clerk::prelude::*;
///
/// #[component]
/// fn Billing() -> Html {
///     html! {
///         <Protect permission="org:billing:manage" fallback={html! { "Ask an admin." }}>
///             <button>{ "Manage billing" }</button>
///         </Protect>
///     }
/// }
/// ```
#[component]
pub fn Protect(props: &ProtectProps) -> Html {
    let auth = use_auth();
    match auth.is_signed_in {
        None => return props.loading.clone(),
        Some(false) => return props.fallback.clone(),
        Some(true) => {}
    }
    let allowed = if let Some(condition) = &props.condition {
        condition.emit(auth.has_fn())
    } else {
        let text = |v: &Option<AttrValue>| v.as_ref().map(|s| s.to_string());
        let checks: Vec<Check> = [
            text(&props.role).map(Check::Role),
            text(&props.permission).map(Check::Permission),
            text(&props.feature).map(Check::Feature),
            text(&props.plan).map(Check::Plan),
        ]
        .into_iter()
        .flatten()
        .collect();
        // No check given: any signed-in user (like `SignedIn`).
        checks.is_empty() || auth.has_all(&checks)
    };
    if allowed {
        props.children.clone()
    } else {
        props.fallback.clone()
    }
}
