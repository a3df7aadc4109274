use ::yew::prelude::*;

use crate::client::LoadStatus;
use crate::ui::hooks::use_clerk;

/// Props of [`ClerkLoading`].
#[derive(Properties, PartialEq, Clone, Debug)]
pub struct ClerkLoadingProps {
    /// Rendered while Clerk is loading.
    #[prop_or_default]
    pub children: Html,
}

/// Renders its children while Clerk is loading (clerk-react's `<ClerkLoading>`).
///
/// # Example
///
/// ```rust,no_run
/// use yew::prelude::*;
/// use yew_clerk::prelude::*;
///
/// #[component]
/// fn App() -> Html {
///     html! { <ClerkLoading>{ "…" }</ClerkLoading> }
/// }
/// ```
#[component]
pub fn ClerkLoading(props: &ClerkLoadingProps) -> Html {
    let clerk = use_clerk();
    if clerk.status == LoadStatus::Loading {
        props.children.clone()
    } else {
        Html::default()
    }
}
