use std::ops::Deref;
use std::rc::Rc;

use ::yew::prelude::*;

use crate::client::LoadStatus;
use crate::core::models::Environment;
use crate::error::ClerkError;
use crate::ui::context::{slice, use_store};
use crate::ui::instance::ClerkInstance;

/// What [`use_clerk`] returns: load status, error and environment, plus every operation of
/// [`ClerkInstance`] through `Deref` (`get_token`, `sign_out`, `set_active`,
/// `sign_in_url`, `redirect_to_sign_in`, …).
#[derive(Debug, Clone, PartialEq)]
pub struct UseClerkHandle {
    /// Load status: `Loading`, `Ready`, `Degraded` or `Failed`.
    pub status: LoadStatus,
    /// `Failed`: why; `Degraded`: what fell back.
    pub error: Option<ClerkError>,
    /// The instance's environment, once fetched.
    pub environment: Option<Rc<Environment>>,
    instance: ClerkInstance,
}

impl Deref for UseClerkHandle {
    type Target = ClerkInstance;

    fn deref(&self) -> &ClerkInstance {
        &self.instance
    }
}

impl UseClerkHandle {
    /// `Ready` or `Degraded`.
    pub fn is_loaded(&self) -> bool {
        self.status.is_loaded()
    }

    /// The action handle to keep in callbacks and effects (`==` is identity, so it never
    /// re-triggers a dependency). The same method as `use_auth().clerk()`,
    /// `use_session_list().clerk()` and `use_organization_list().clerk()`.
    pub fn clerk(&self) -> ClerkInstance {
        self.instance.clone()
    }
}

/// The Clerk handle, like clerk-react's `useClerk()`: load status and error, the environment,
/// hosted page URLs and redirects, and the operations.
///
/// Re-renders when the load status, error or environment changes.
///
/// # Example
///
/// ```rust,no_run
/// use yew::prelude::*;
/// use yew_clerk::prelude::*;
///
/// #[component]
/// fn Status() -> Html {
///     let clerk = use_clerk();
///     let onclick = {
///         let clerk = clerk.clone();
///         Callback::from(move |_| {
///             let _ = clerk.redirect_to_sign_in(None);
///         })
///     };
///     html! {
///         <>
///             <p>{ format!("Clerk is {}", clerk.status) }</p>
///             if let Some(error) = &clerk.error { <p>{ error.to_string() }</p> }
///             <button {onclick}>{ "Sign in" }</button>
///         </>
///     }
/// }
/// ```
#[hook]
pub fn use_clerk() -> UseClerkHandle {
    match use_store(slice::CLERK).map(|s| s.values().clerk.clone()) {
        Some(ctx) => UseClerkHandle {
            status: ctx.status,
            error: ctx.error,
            environment: ctx.environment,
            instance: ctx.instance,
        },
        None => UseClerkHandle {
            status: LoadStatus::Loading,
            error: None,
            environment: None,
            instance: ClerkInstance::missing("use_clerk"),
        },
    }
}
