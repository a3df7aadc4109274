use std::rc::Rc;

use ::yew::prelude::*;

use crate::core::models::{Organization, OrganizationMembership};
use crate::ui::context::{slice, use_store};
use crate::ui::instance::ClerkInstance;

/// What [`use_organization`] returns: the session's active organization and the user's
/// membership (role, permissions) in it.
#[derive(Debug, Clone, PartialEq)]
pub struct UseOrganizationHandle {
    /// Whether Clerk loaded (`Ready` or `Degraded`). Stays `false` when loading failed (an
    /// invalid key, …): `use_auth().state()` is then `AuthState::Failed` with the reason.
    pub is_loaded: bool,
    /// The active organization of the current session (`None` for the personal account).
    pub organization: Option<Rc<Organization>>,
    /// The user's membership in it: `role`, `permissions`.
    pub membership: Option<Rc<OrganizationMembership>>,
}

/// The active organization and the user's membership in it, like clerk-react's
/// `useOrganization()` (without the paginated member lists).
///
/// # Example
///
/// ```rust,no_run
/// use yew::prelude::*;
/// use yew_clerk::prelude::*;
///
/// #[component]
/// fn OrgName() -> Html {
///     let org = use_organization();
///     html! { { org.organization.map(|o| o.name.clone()).unwrap_or_else(|| "Personal".into()) } }
/// }
/// ```
///
/// Derived from the session and user contexts (the session's `last_active_organization_id`
/// and the user's memberships) rather than a context of its own: one context provider less in
/// every app's wasm.
#[hook]
pub fn use_organization() -> UseOrganizationHandle {
    let Some(store) = use_store(slice::SESSION | slice::USER) else {
        let _ = ClerkInstance::missing("use_organization");
        return UseOrganizationHandle {
            is_loaded: false,
            organization: None,
            membership: None,
        };
    };
    let values = store.values();
    let (session, user) = (&values.session, &values.user);
    let membership = session
        .session
        .as_ref()
        .and_then(|s| s.last_active_organization_id.as_deref())
        .filter(|id| !id.is_empty())
        .and_then(|id| user.user.as_ref()?.membership(id));
    UseOrganizationHandle {
        is_loaded: user.is_loaded,
        organization: membership.map(|m| Rc::new(m.organization.clone())),
        membership: membership.map(|m| Rc::new(m.clone())),
    }
}
