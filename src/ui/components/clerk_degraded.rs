use ::yew::prelude::*;

use crate::client::LoadStatus;
use crate::ui::hooks::use_clerk;

/// Props of [`ClerkDegraded`].
#[derive(Properties, PartialEq, Clone, Debug)]
pub struct ClerkDegradedProps {
    /// Rendered when Clerk loaded in degraded mode (the Frontend API was unreachable and a fallback was used; `use_clerk().error` says what failed).
    #[prop_or_default]
    pub children: Html,
}

/// Renders its children when Clerk loaded in degraded mode (the Frontend API was unreachable and a fallback was used; `use_clerk().error` says what failed) (clerk-react's `<ClerkDegraded>`).
///
/// # Example
///
/// ```rust,no_run
/// use yew::prelude::*;
/// use yew_clerk::prelude::*;
///
/// #[component]
/// fn App() -> Html {
///     html! { <ClerkDegraded>{ "…" }</ClerkDegraded> }
/// }
/// ```
#[component]
pub fn ClerkDegraded(props: &ClerkDegradedProps) -> Html {
    let clerk = use_clerk();
    if clerk.status == LoadStatus::Degraded {
        props.children.clone()
    } else {
        Html::default()
    }
}
