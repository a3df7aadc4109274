use ::yew::prelude::*;

use super::hosted_page::{use_redirect_when_loaded, HostedPage};

/// Props of [`RedirectToTasks`].
#[derive(Properties, PartialEq, Clone, Debug)]
pub struct RedirectToTasksProps {
    /// Where to come back to once the task is done (default: the current page).
    #[prop_or_default]
    pub redirect_url: Option<AttrValue>,
}

/// Sends a `pending` session to the page of its task as soon as Clerk has loaded
/// (clerk-react's `<RedirectToTasks>`), e.g. choosing an organization when the instance
/// requires one. The task page is the sign-in page's `#/tasks/{key}` route
/// ([`ClerkInstance::tasks_url`](crate::ui::ClerkInstance::tasks_url)). Renders nothing, and
/// does nothing when the current session has no task.
///
/// # Example
///
/// ```rust,no_run
/// use yew::prelude::*;
/// use yew_clerk::prelude::*;
///
/// #[component]
/// fn Dashboard() -> Html {
///     // A pending session reads as signed out; its task is on the session.
///     let session = use_session().session;
///     let pending = session.is_some_and(|s| s.current_task().is_some());
///     html! {
///         <>
///             <SignedIn>{ "Dashboard" }</SignedIn>
///             <SignedOut>
///                 if pending { <RedirectToTasks /> } else { <RedirectToSignIn /> }
///             </SignedOut>
///         </>
///     }
/// }
/// ```
#[component]
pub fn RedirectToTasks(props: &RedirectToTasksProps) -> Html {
    use_redirect_when_loaded(HostedPage::Tasks, props.redirect_url.clone());
    Html::default()
}
