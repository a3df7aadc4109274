use ::yew::prelude::*;

use crate::client::SetActiveParams;
use crate::core::models::OrganizationMembership;
use crate::error::ClerkError;
use crate::ui::context::{slice, use_store};
use crate::ui::instance::ClerkInstance;

/// What [`use_organization_list`] returns: every organization membership of the user and
/// `set_active` to switch the session's active organization.
#[derive(Debug, Clone, PartialEq)]
pub struct UseOrganizationListHandle {
    /// Whether Clerk loaded (`Ready` or `Degraded`). Stays `false` when loading failed (an
    /// invalid key, …): `use_auth().state()` is then `AuthState::Failed` with the reason.
    pub is_loaded: bool,
    /// The signed-in user's organization memberships (empty when signed out).
    pub memberships: Vec<OrganizationMembership>,
    clerk: ClerkInstance,
}

impl UseOrganizationListHandle {
    /// Makes `organization_id` the active organization of the current session; `None`
    /// selects the personal account.
    pub fn set_active(
        &self,
        organization_id: Option<&str>,
    ) -> impl std::future::Future<Output = Result<(), ClerkError>> + 'static {
        self.clerk.set_active(SetActiveParams {
            session_id: None,
            organization: Some(organization_id.into()),
        })
    }

    /// The stable action handle (`==` is identity), the same as `use_auth().clerk()`: keep it,
    /// not the whole handle, in callbacks and effect dependencies.
    pub fn clerk(&self) -> ClerkInstance {
        self.clerk.clone()
    }
}

/// The user's organization memberships and a way to switch the active organization, like
/// clerk-react's `useOrganizationList()` (memberships only, no pagination).
///
/// # Example
///
/// ```rust,no_run
/// use yew::prelude::*;
/// use yew_clerk::prelude::*;
///
/// #[component]
/// fn OrgSwitcher() -> Html {
///     let list = use_organization_list();
///     let items = list.memberships.iter().map(|m| {
///         let (id, list) = (m.organization.id.clone(), list.clone());
///         let onclick = Callback::from(move |_| {
///             let switch = list.set_active(Some(&id));
///             yew::platform::spawn_local(async move {
///                 let _ = switch.await;
///             });
///         });
///         html! { <button {onclick}>{ m.organization.name.clone() }</button> }
///     });
///     html! { <nav>{ for items }</nav> }
/// }
/// ```
#[hook]
pub fn use_organization_list() -> UseOrganizationListHandle {
    match use_store(slice::USER | slice::CLERK) {
        Some(store) => {
            let values = store.values();
            UseOrganizationListHandle {
                is_loaded: values.user.is_loaded,
                memberships: values
                    .user
                    .user
                    .as_ref()
                    .map(|u| u.organization_memberships.clone())
                    .unwrap_or_default(),
                clerk: values.clerk.instance.clone(),
            }
        }
        _ => UseOrganizationListHandle {
            is_loaded: false,
            memberships: Vec::new(),
            clerk: ClerkInstance::missing("use_organization_list"),
        },
    }
}
