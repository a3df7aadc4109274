use std::rc::Rc;

use ::yew::prelude::*;

use crate::core::models::{Organization, OrganizationMembership};
use crate::ui::context::OrganizationContext;
use crate::ui::instance::ClerkInstance;

/// What [`use_organization`] returns.
#[derive(Debug, Clone, PartialEq)]
pub struct UseOrganizationHandle {
    /// Whether loading finished.
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
#[hook]
pub fn use_organization() -> UseOrganizationHandle {
    match use_context::<OrganizationContext>() {
        Some(ctx) => UseOrganizationHandle {
            is_loaded: ctx.is_loaded,
            organization: ctx.organization,
            membership: ctx.membership,
        },
        None => {
            let _ = ClerkInstance::missing("use_organization");
            UseOrganizationHandle {
                is_loaded: false,
                organization: None,
                membership: None,
            }
        }
    }
}
