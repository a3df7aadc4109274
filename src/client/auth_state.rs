//! [`AuthState`]: the auth snapshot as an enum you can `match`.
//!
//! [`AuthSnapshot`] keeps clerk-react's field names (`is_loaded`, `is_signed_in`, `user_id`, …)
//! so code ported from React reads the same, but its `Option`s make signed-in code unwrap ids it
//! knows are there. `AuthState` is the same information as clerk's `useAuth` union type: a
//! signed-in state carries a `String` user id, and a provider whose load failed for good says so
//! instead of looking like "still loading".

use crate::client::{AuthSnapshot, LoadStatus};
use crate::core::models::Actor;
use crate::error::ClerkError;

/// The auth state of the current user (see [`AuthSnapshot::state`] and `use_auth().state()`).
///
/// ```rust
/// use yew_clerk::client::{AuthState, SignedInAuth};
///
/// fn greeting(state: &AuthState) -> String {
///     match state {
///         AuthState::Loading => "Loading…".into(),
///         AuthState::Failed(error) => format!("Clerk could not load: {error}"),
///         AuthState::SignedOut => "Please sign in".into(),
///         AuthState::SignedIn(SignedInAuth { user_id, organization, .. }) => match organization {
///             Some(org) => format!("{user_id} in {} as {}", org.id, org.role),
///             None => format!("{user_id} (personal account)"),
///         },
///     }
/// }
/// # assert_eq!(greeting(&AuthState::SignedOut), "Please sign in");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum AuthState {
    /// Loading has not finished (nothing is known yet; render a placeholder, not "signed out").
    Loading,
    /// Loading failed for good, for example an invalid publishable key: the error says what to
    /// fix. It will not turn into `SignedIn` without a new provider.
    Failed(ClerkError),
    /// Loaded, and no session is signed in (a `pending` session counts as signed out unless
    /// the provider's `treat_pending_as_signed_out` is `false`).
    SignedOut,
    /// Loaded with a signed-in session.
    SignedIn(SignedInAuth),
}

/// The signed-in part of [`AuthState`]: the ids are plain `String`s.
#[derive(Debug, Clone, PartialEq)]
pub struct SignedInAuth {
    /// `user_…`
    pub user_id: String,
    /// `sess_…`
    pub session_id: String,
    /// The active organization, `None` for the personal account.
    pub organization: Option<ActiveOrganization>,
    /// The impersonator, when an admin signed in as this user.
    pub actor: Option<Actor>,
}

/// The active organization of a signed-in session (the token's `o` / `org_*` claims).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveOrganization {
    /// `org_…`
    pub id: String,
    /// The user's role in it (`org:admin`).
    pub role: String,
    /// Its slug, when it has one.
    pub slug: Option<String>,
    /// The user's permissions in it (`org:invoices:read`).
    pub permissions: Vec<String>,
}

impl AuthSnapshot {
    /// This snapshot as an [`AuthState`]. `status` and `error` are the provider's load status
    /// and error (`use_clerk()`), so that a failed load reads as [`AuthState::Failed`].
    pub fn state(&self, status: LoadStatus, error: Option<&ClerkError>) -> AuthState {
        if status == LoadStatus::Failed {
            return AuthState::Failed(error.cloned().unwrap_or_else(|| {
                ClerkError::LoadFailed("Clerk failed to load; see use_clerk().error".into())
            }));
        }
        match (self.is_signed_in, &self.user_id, &self.session_id) {
            (Some(true), Some(user_id), Some(session_id)) => AuthState::SignedIn(SignedInAuth {
                user_id: user_id.clone(),
                session_id: session_id.clone(),
                organization: self.org_id.as_ref().map(|id| ActiveOrganization {
                    id: id.clone(),
                    role: self.org_role.clone().unwrap_or_default(),
                    slug: self.org_slug.clone(),
                    permissions: self.org_permissions.clone(),
                }),
                actor: self.actor.clone(),
            }),
            (Some(_), _, _) => AuthState::SignedOut,
            (None, _, _) => AuthState::Loading,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed_in() -> AuthSnapshot {
        AuthSnapshot {
            is_loaded: true,
            is_signed_in: Some(true),
            user_id: Some("user_1".into()),
            session_id: Some("sess_1".into()),
            org_id: Some("org_1".into()),
            org_role: Some("org:admin".into()),
            org_slug: Some("acme".into()),
            org_permissions: vec!["org:invoices:read".into()],
            ..AuthSnapshot::default()
        }
    }

    #[test]
    fn loading_signed_out_and_signed_in() {
        assert_eq!(
            AuthSnapshot::default().state(LoadStatus::Loading, None),
            AuthState::Loading
        );
        let out = AuthSnapshot {
            is_loaded: true,
            is_signed_in: Some(false),
            ..AuthSnapshot::default()
        };
        assert_eq!(out.state(LoadStatus::Ready, None), AuthState::SignedOut);
        let AuthState::SignedIn(auth) = signed_in().state(LoadStatus::Degraded, None) else {
            unreachable!("a signed-in snapshot reads as SignedIn");
        };
        assert_eq!(auth.user_id, "user_1");
        assert_eq!(auth.session_id, "sess_1");
        let org = auth
            .organization
            .unwrap_or_else(|| unreachable!("an active organization"));
        assert_eq!(
            (org.id.as_str(), org.role.as_str(), org.slug.as_deref()),
            ("org_1", "org:admin", Some("acme"))
        );
        assert_eq!(org.permissions, vec!["org:invoices:read".to_string()]);
    }

    #[test]
    fn a_failed_load_is_failed_with_its_error_not_loading() {
        let error = ClerkError::Config("bad proxy".into());
        assert_eq!(
            AuthSnapshot::default().state(LoadStatus::Failed, Some(&error)),
            AuthState::Failed(error)
        );
        assert!(matches!(
            AuthSnapshot::default().state(LoadStatus::Failed, None),
            AuthState::Failed(ClerkError::LoadFailed(_))
        ));
    }

    #[test]
    fn personal_account_has_no_organization() {
        let snapshot = AuthSnapshot {
            org_id: None,
            org_role: None,
            org_slug: None,
            org_permissions: Vec::new(),
            ..signed_in()
        };
        let AuthState::SignedIn(auth) = snapshot.state(LoadStatus::Ready, None) else {
            unreachable!("signed in");
        };
        assert_eq!(auth.organization, None);
    }
}
