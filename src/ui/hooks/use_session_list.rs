use std::rc::Rc;

use ::yew::prelude::*;

use crate::client::SetActiveParams;
use crate::core::models::Session;
use crate::error::ClerkError;
use crate::ui::context::{slice, use_store};
use crate::ui::instance::ClerkInstance;

/// What [`use_session_list`] returns: the signed-in sessions of this browser (multi-session
/// apps) and `set_active` to switch between them.
#[derive(Debug, Clone, PartialEq)]
pub struct UseSessionListHandle {
    /// Whether Clerk loaded (`Ready` or `Degraded`). Stays `false` when loading failed (an
    /// invalid key, …): `use_auth().state()` is then `AuthState::Failed` with the reason.
    pub is_loaded: bool,
    /// The client's signed-in sessions (`active` or `pending`), each the client's own `Rc`
    /// (an unchanged session keeps its `Rc` across re-reads).
    pub sessions: Rc<Vec<Rc<Session>>>,
    clerk: ClerkInstance,
}

impl UseSessionListHandle {
    /// Makes `session_id` the current session (multi-session apps).
    pub fn set_active(
        &self,
        session_id: &str,
    ) -> impl std::future::Future<Output = Result<(), ClerkError>> + 'static {
        self.clerk.set_active(SetActiveParams {
            session_id: Some(session_id.to_string()),
            organization: None,
        })
    }

    /// The stable action handle (`==` is identity), the same as `use_auth().clerk()`: keep it,
    /// not the whole handle, in callbacks and effect dependencies.
    pub fn clerk(&self) -> ClerkInstance {
        self.clerk.clone()
    }
}

/// The sessions signed in on this browser, like clerk-react's `useSessionList()`.
///
/// # Example
///
/// ```rust,no_run
/// use yew::prelude::*;
/// use yew_clerk::prelude::*;
///
/// #[component]
/// fn AccountSwitcher() -> Html {
///     let list = use_session_list();
///     let items = list.sessions.iter().map(|s| {
///         let (id, list) = (s.id.clone(), list.clone());
///         let onclick = Callback::from(move |_| {
///             let switch = list.set_active(&id);
///             yew::platform::spawn_local(async move {
///                 let _ = switch.await;
///             });
///         });
///         html! { <li key={s.id.clone()}><button {onclick}>{ s.id.clone() }</button></li> }
///     });
///     html! { <ul>{ for items }</ul> }
/// }
/// ```
#[hook]
pub fn use_session_list() -> UseSessionListHandle {
    match use_store(slice::SESSIONS | slice::CLERK) {
        Some(store) => {
            let values = store.values();
            UseSessionListHandle {
                is_loaded: values.sessions.is_loaded,
                sessions: values.sessions.sessions.clone(),
                clerk: values.clerk.instance.clone(),
            }
        }
        _ => UseSessionListHandle {
            is_loaded: false,
            sessions: Rc::default(),
            clerk: ClerkInstance::missing("use_session_list"),
        },
    }
}
