//! [`HasFn`]: the `has()` of `use_auth`, `Protect` and `Show`, on top of
//! [`crate::core::authorization`].

use std::rc::Rc;

use crate::client::AuthSnapshot;
use crate::core::authorization::AuthorizationInputs;

pub use crate::core::authorization::Check;

/// `has()` bound to an auth snapshot: role / permission / feature / plan / reverification
/// checks with Clerk's rules ([`crate::core::authorization::has`]). Everything is false while
/// loading and when signed out (or `pending`).
///
/// `Protect::condition` and `ShowWhen::Condition` callbacks receive one. Cheap to clone.
#[derive(Debug, Clone, PartialEq)]
pub struct HasFn {
    auth: Rc<AuthSnapshot>,
}

impl HasFn {
    /// `has()` for a snapshot.
    pub fn new(auth: AuthSnapshot) -> Self {
        HasFn {
            auth: Rc::new(auth),
        }
    }

    /// Whether the signed-in user passes `check`.
    pub fn has(&self, check: &Check) -> bool {
        has_all(&self.auth, std::slice::from_ref(check))
    }

    /// Whether the signed-in user passes every check (false for an empty list).
    pub fn has_all(&self, checks: &[Check]) -> bool {
        has_all(&self.auth, checks)
    }

    /// The snapshot the checks run against.
    pub fn auth(&self) -> &AuthSnapshot {
        &self.auth
    }
}

/// The authorization inputs of a snapshot (`None` unless signed in).
fn inputs(auth: &AuthSnapshot) -> Option<AuthorizationInputs> {
    (auth.is_signed_in == Some(true)).then(|| AuthorizationInputs {
        user_id: auth.user_id.clone(),
        org_id: auth.org_id.clone(),
        org_role: auth.org_role.clone(),
        org_permissions: auth.org_permissions.clone(),
        factor_verification_age: auth.factor_verification_age,
        features: auth.features.clone(),
        plans: auth.plans.clone(),
    })
}

/// Clerk's `has()` on a snapshot: every check passes (and there is at least one).
pub(crate) fn has_all(auth: &AuthSnapshot, checks: &[Check]) -> bool {
    inputs(auth).is_some_and(|i| i.has_all(checks))
}
