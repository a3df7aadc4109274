use std::rc::Rc;

use ::yew::prelude::*;

use crate::core::models::{Session, SessionStatus};
use crate::ui::context::{slice, use_store};
use crate::ui::instance::ClerkInstance;

/// What [`use_session`] returns: the current session (with its status and, when `pending`,
/// its task) and whether it counts as signed in.
#[derive(Debug, Clone, PartialEq)]
pub struct UseSessionHandle {
    /// Whether Clerk loaded (`Ready` or `Degraded`). Stays `false` when loading failed (an
    /// invalid key, …): `use_auth().state()` is then `AuthState::Failed` with the reason.
    pub is_loaded: bool,
    /// `None` while loading; then whether the current session is `active` (a `pending`
    /// session reads as not signed in, as clerk-js's `isSignedIn`).
    pub is_signed_in: Option<bool>,
    /// The current session (`active` or `pending`).
    pub session: Option<Rc<Session>>,
}

/// The current session, like clerk-react's `useSession()`.
///
/// # Example
///
/// ```rust,no_run
/// use yew::prelude::*;
/// use yew_clerk::prelude::*;
///
/// #[component]
/// fn LastActive() -> Html {
///     let s = use_session();
///     html! { { s.session.map(|s| s.last_active_at.to_string()).unwrap_or_default() } }
/// }
/// ```
#[hook]
pub fn use_session() -> UseSessionHandle {
    let Some(ctx) = use_store(slice::SESSION).map(|s| s.values().session.clone()) else {
        let _ = ClerkInstance::missing("use_session");
        return UseSessionHandle {
            is_loaded: false,
            is_signed_in: None,
            session: None,
        };
    };
    let active = ctx
        .session
        .as_ref()
        .is_some_and(|s| s.status == SessionStatus::Active);
    UseSessionHandle {
        is_loaded: ctx.is_loaded,
        is_signed_in: ctx.is_loaded.then_some(active),
        session: ctx.session,
    }
}
