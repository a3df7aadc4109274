use std::rc::Rc;

use ::yew::prelude::*;

use crate::core::models::User;
use crate::ui::context::{slice, use_store};
use crate::ui::instance::ClerkInstance;

/// What [`use_user`] returns: the signed-in user as Clerk's `User` resource (names, email
/// addresses, phone numbers, metadata, organization memberships).
#[derive(Debug, Clone, PartialEq)]
pub struct UseUserHandle {
    /// Whether Clerk loaded (`Ready` or `Degraded`). Stays `false` when loading failed (an
    /// invalid key, …): `use_auth().state()` is then `AuthState::Failed` with the reason.
    pub is_loaded: bool,
    /// `None` while loading; then whether a user is signed in (a `pending` session counts,
    /// as in clerk-react's `useUser`).
    pub is_signed_in: Option<bool>,
    /// The signed-in user (`first_name`, `email_addresses`, `full_name()`,
    /// `primary_email_address()`, memberships, metadata …).
    pub user: Option<Rc<User>>,
}

/// The signed-in user, like clerk-react's `useUser()`.
///
/// Re-renders only when the user object changes (never on a token refresh). Outside a
/// `ClerkProvider` it stays in the loading state and logs a console error once.
///
/// # Example
///
/// ```rust,no_run
/// use yew::prelude::*;
/// use yew_clerk::prelude::*;
///
/// #[component]
/// fn Greeting() -> Html {
///     let UseUserHandle { user, .. } = use_user();
///     match user {
///         Some(user) => html! {
///             <p>{ format!("Hello, {}", user.first_name.clone().unwrap_or_default()) }</p>
///         },
///         None => html! {},
///     }
/// }
/// ```
#[hook]
pub fn use_user() -> UseUserHandle {
    let ctx = use_store(slice::USER).map(|s| s.values().user.clone());
    let Some(ctx) = ctx else {
        let _ = ClerkInstance::missing("use_user");
        return UseUserHandle {
            is_loaded: false,
            is_signed_in: None,
            user: None,
        };
    };
    UseUserHandle {
        is_loaded: ctx.is_loaded,
        is_signed_in: ctx.is_loaded.then_some(ctx.user.is_some()),
        user: ctx.user,
    }
}
