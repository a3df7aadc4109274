use ::yew::prelude::*;

use crate::ui::hooks::use_clerk;

/// Props of [`ClerkLoaded`].
#[derive(Properties, PartialEq, Clone, Debug)]
pub struct ClerkLoadedProps {
    /// Rendered once Clerk has loaded (status `Ready` or `Degraded`).
    #[prop_or_default]
    pub children: Html,
}

/// Renders its children once Clerk has loaded (status `Ready` or `Degraded`) (clerk-react's `<ClerkLoaded>`).
///
/// # Example
///
/// ```rust,no_run
/// use yew::prelude::*;
/// use yew_clerk::prelude::*;
///
/// #[component]
/// fn App() -> Html {
///     html! { <ClerkLoaded>{ "…" }</ClerkLoaded> }
/// }
/// ```
#[component]
pub fn ClerkLoaded(props: &ClerkLoadedProps) -> Html {
    let clerk = use_clerk();
    if clerk.status.is_loaded() {
        props.children.clone()
    } else {
        Html::default()
    }
}
