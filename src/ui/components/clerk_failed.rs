use ::yew::prelude::*;

use crate::client::LoadStatus;
use crate::error::ClerkError;
use crate::ui::hooks::use_clerk;

/// Props of [`ClerkFailed`].
#[derive(Properties, PartialEq, Clone, Debug)]
pub struct ClerkFailedProps {
    /// Rendered when loading failed.
    #[prop_or_default]
    pub children: Html,
    /// Renders the error (after `children`); e.g.
    /// `render={Callback::from(|e: ClerkError| html! { <pre>{ e.to_string() }</pre> })}`.
    #[prop_or_default]
    pub render: Option<Callback<ClerkError, Html>>,
}

/// Renders its children when Clerk failed to load (invalid publishable key, the Frontend
/// API refused the client, …), like clerk-react's `<ClerkFailed>`. The error is available
/// through `render` or `use_clerk().error`.
///
/// # Example
///
/// ```rust,no_run
/// use yew::prelude::*;
/// use yew_clerk::prelude::*;
///
/// #[component]
/// fn App() -> Html {
///     let render = Callback::from(|e: ClerkError| html! { <p class="error">{ e.to_string() }</p> });
///     html! { <ClerkFailed {render}>{ "Sign-in is unavailable." }</ClerkFailed> }
/// }
/// ```
#[component]
pub fn ClerkFailed(props: &ClerkFailedProps) -> Html {
    let clerk = use_clerk();
    if clerk.status != LoadStatus::Failed {
        return Html::default();
    }
    let error = clerk
        .error
        .clone()
        .unwrap_or_else(|| ClerkError::LoadFailed("unknown error".into()));
    html! {
        <>
            { props.children.clone() }
            if let Some(render) = &props.render { { render.emit(error) } }
        </>
    }
}
