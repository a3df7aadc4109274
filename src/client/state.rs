//! Immutable snapshots of the client state and the auth view the hooks read.

use std::rc::Rc;

use crate::core::authorization::factor_verification_age;
use crate::core::claims::SessionClaims;
use crate::core::models::{Actor, Client, Environment, Organization, Session, SessionStatus, User};
use crate::error::ClerkError;

/// Where loading stands (clerk-js `status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum LoadStatus {
    /// `load()` has not finished.
    #[default]
    Loading,
    /// Environment and client were fetched.
    Ready,
    /// Loaded with a fallback (environment snapshot, or a session from the `__session` cookie
    /// while FAPI is unreachable). `is_loaded` is true; [`ClerkState::error`] says what failed.
    Degraded,
    /// Loading failed for good (invalid key, FAPI refused the client). `is_loaded` is false.
    Failed,
}

impl LoadStatus {
    /// `Ready` or `Degraded` (clerk-js `loaded`).
    pub fn is_loaded(self) -> bool {
        matches!(self, LoadStatus::Ready | LoadStatus::Degraded)
    }

    /// clerk-js's name for the status (`clerk.status`): `loading`, `ready`, `degraded`, or
    /// `error` for [`LoadStatus::Failed`].
    pub fn as_str(self) -> &'static str {
        match self {
            LoadStatus::Loading => "loading",
            LoadStatus::Ready => "ready",
            LoadStatus::Degraded => "degraded",
            LoadStatus::Failed => "error",
        }
    }
}

/// clerk-js's status name ([`LoadStatus::as_str`]), e.g. for a status line or a log.
impl std::fmt::Display for LoadStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An immutable snapshot of everything the UI may render. A new one (in a new `Rc`) is
/// pushed to subscribers whenever something visible changed; a token refresh that changes no
/// claim produces none.
///
/// Session tokens are deliberately absent: the sessions of `client` carry no
/// `last_active_token` (use [`Clerk::get_token`](super::Clerk::get_token)).
#[derive(Debug, Clone, Default)]
pub struct ClerkState {
    /// Load status.
    pub status: LoadStatus,
    /// `Failed`: why; `Degraded`: what fell back.
    pub error: Option<ClerkError>,
    /// The instance environment (possibly the localStorage snapshot when degraded).
    pub environment: Option<Rc<Environment>>,
    /// The browser's client (`None` before load or when FAPI has no client yet).
    pub client: Option<Rc<Client>>,
    /// The current signed-in (`active` or `pending`) session.
    pub session: Option<Rc<Session>>,
    /// The user of the current session.
    pub user: Option<Rc<User>>,
    /// The active organization of the current session, from the user's memberships.
    pub organization: Option<Rc<Organization>>,
    /// Claims of the current session's latest token for its active organization. `iat`/`exp`
    /// are those of the token that last changed a claim: do not use them for expiry.
    pub claims: Option<Rc<SessionClaims>>,
}

/// Claims without the fields that change on every refresh.
fn stable_claims(c: &SessionClaims) -> SessionClaims {
    SessionClaims {
        iat: 0,
        nbf: None,
        exp: 0,
        ..c.clone()
    }
}

fn same_claims(a: &Option<Rc<SessionClaims>>, b: &Option<Rc<SessionClaims>>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => stable_claims(a) == stable_claims(b),
        _ => false,
    }
}

/// `Rc` identity of two optional shared parts.
pub(crate) fn same_rc<T>(a: &Option<Rc<T>>, b: &Option<Rc<T>>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => Rc::ptr_eq(a, b),
        _ => false,
    }
}

impl ClerkState {
    /// The engine's change test: [`PartialEq`] with the shared parts (environment, client,
    /// session, user, organization) compared by identity. Sound because the engine keeps an
    /// unchanged part's `Rc` when it re-reads it ([`share_unchanged`],
    /// [`derive_session_fields`], `Clerk::set_environment`), so equal contents are the same
    /// `Rc`; it spares the deep comparisons of ~190 model fields on every update (wasm size).
    pub(crate) fn same_as(&self, other: &Self) -> bool {
        self.status == other.status
            && self.error == other.error
            && same_rc(&self.environment, &other.environment)
            && same_rc(&self.client, &other.client)
            && same_rc(&self.session, &other.session)
            && same_rc(&self.user, &other.user)
            && same_rc(&self.organization, &other.organization)
            && same_claims(&self.claims, &other.claims)
    }
}

impl PartialEq for ClerkState {
    /// Equal when nothing a user could see differs: token times (`iat`, `exp`, `nbf`) are
    /// ignored. Compares contents (the engine itself uses identity, see `same_as`).
    fn eq(&self, other: &Self) -> bool {
        self.status == other.status
            && self.error == other.error
            && self.environment == other.environment
            && self.client == other.client
            && self.session == other.session
            && self.user == other.user
            && self.organization == other.organization
            && same_claims(&self.claims, &other.claims)
    }
}

/// The view of `useAuth()`: plain values only (no token, no `iat`/`exp`), so comparing two
/// snapshots tells whether a component must re-render.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthSnapshot {
    /// `false` while loading (and when loading failed).
    pub is_loaded: bool,
    /// `None` while not loaded.
    pub is_signed_in: Option<bool>,
    /// `user_…`
    pub user_id: Option<String>,
    /// `sess_…`
    pub session_id: Option<String>,
    /// `active` or `pending`.
    pub session_status: Option<SessionStatus>,
    /// Active organization.
    pub org_id: Option<String>,
    /// The user's role in the active organization (`org:admin`).
    pub org_role: Option<String>,
    /// Slug of the active organization.
    pub org_slug: Option<String>,
    /// Permissions in the active organization.
    pub org_permissions: Vec<String>,
    /// Who is acting as the user, when the session is an impersonation (clerk-js `actor`).
    pub actor: Option<Actor>,
    /// Minutes since the first and second factor were verified (-1 = never).
    pub factor_verification_age: Option<[i64; 2]>,
    /// Features of the `fea` claim.
    pub features: Vec<String>,
    /// Plans of the `pla` claim.
    pub plans: Vec<String>,
}

impl ClerkState {
    /// Whether loading finished (`Ready` or `Degraded`).
    pub fn is_loaded(&self) -> bool {
        self.status.is_loaded()
    }

    /// The `useAuth()` view. With `treat_pending_as_signed_out` (clerk-js's default) a
    /// `pending` session reads as signed out.
    pub fn auth(&self, treat_pending_as_signed_out: bool) -> AuthSnapshot {
        if !self.is_loaded() {
            return AuthSnapshot::default();
        }
        let signed_out = AuthSnapshot {
            is_loaded: true,
            is_signed_in: Some(false),
            ..Default::default()
        };
        let Some(session) = self.session.as_deref() else {
            return signed_out;
        };
        if treat_pending_as_signed_out && session.status == SessionStatus::Pending {
            return signed_out;
        }
        let user_id = self
            .user
            .as_ref()
            .map(|u| u.id.clone())
            .or_else(|| self.claims.as_ref().map(|c| c.sub.clone()));
        let claims = self.claims.as_deref();
        let org_id = session
            .last_active_organization_id
            .clone()
            .filter(|o| !o.is_empty());
        // Role and permissions come from the membership (as clerk-js does on the client);
        // the token's org claims are the fallback when the user has no memberships loaded
        // (a session synthesized from the cookie while degraded).
        let membership = org_id
            .as_deref()
            .and_then(|id| self.user.as_ref().and_then(|u| u.membership(id)));
        let org_claims = claims
            .and_then(|c| c.org.as_ref())
            .filter(|o| Some(o.id.as_str()) == org_id.as_deref());
        let (org_role, org_slug, org_permissions) = match (membership, org_claims) {
            (Some(m), _) => (
                Some(m.role.clone()),
                m.organization.slug.clone(),
                m.permissions.clone(),
            ),
            (None, Some(o)) => (o.role.clone(), o.slug.clone(), o.permissions.clone()),
            (None, None) => (None, None, Vec::new()),
        };
        // clerk-js's org shape needs both an id and a role.
        let (org_id, org_slug, org_permissions) = if org_role.is_some() {
            (org_id, org_slug, org_permissions)
        } else {
            (None, None, Vec::new())
        };
        AuthSnapshot {
            is_loaded: true,
            is_signed_in: Some(true),
            user_id,
            session_id: Some(session.id.clone()),
            session_status: Some(session.status.clone()),
            org_id,
            org_role,
            org_slug,
            org_permissions,
            actor: session
                .actor
                .clone()
                .or_else(|| claims.and_then(|c| c.act.clone())),
            factor_verification_age: factor_verification_age(Some(session), claims),
            features: claims.map(|c| c.features.clone()).unwrap_or_default(),
            plans: claims.map(|c| c.plans.clone()).unwrap_or_default(),
        }
    }
}

/// The current session, its user and its active organization.
pub(crate) type SessionFields = (
    Option<Rc<Session>>,
    Option<Rc<User>>,
    Option<Rc<Organization>>,
);

/// Builds the derived fields (session, user, organization) of a snapshot from a client and
/// the id of the current session. The session and user are the client's own `Rc`s; the
/// organization of `old` is kept when the user and the organization id are the same, so
/// an unchanged snapshot keeps every identity (see [`ClerkState::same_as`]).
pub(crate) fn derive_session_fields(
    client: Option<&Rc<Client>>,
    session_id: Option<&str>,
    old: &ClerkState,
) -> SessionFields {
    let Some(client) = client else {
        return (None, None, None);
    };
    let Some(session) = session_id.and_then(|id| client.signed_in_sessions().find(|s| s.id == id))
    else {
        return (None, None, None);
    };
    let user = session.user.clone();
    let org_id = session
        .last_active_organization_id
        .as_deref()
        .filter(|o| !o.is_empty());
    let organization = match (&old.organization, &old.user, &user) {
        (Some(org), Some(old_user), Some(user))
            if Rc::ptr_eq(old_user, user) && org_id == Some(org.id.as_str()) =>
        {
            Some(org.clone())
        }
        _ => org_id
            .and_then(|org| user.as_ref().and_then(|u| u.membership(org)))
            .map(|m| Rc::new(m.organization.clone())),
    };
    (Some(session.clone()), user, organization)
}

/// Removes the session tokens of a client (snapshots never carry credentials, and a
/// re-minted `last_active_token` alone must not count as a change). A freshly read client
/// owns its sessions, so nothing is copied.
pub(crate) fn strip_tokens(client: &mut Client) {
    for s in &mut client.sessions {
        if s.last_active_token.is_some() {
            Rc::make_mut(s).last_active_token = None;
        }
    }
}

/// The client to hold next: `next` (tokens stripped) sharing the `Rc`s of `held` wherever
/// the contents are equal, compared deeply once here, so that the snapshot comparisons can
/// use identity. An identical re-read (a focus touch's piggybacked client) gives `held`
/// itself, so subscribers see no change; a session that changed keeps its user's `Rc` when
/// the user did not change, so `use_user` does not re-render.
pub(crate) fn share_unchanged(mut next: Client, held: Option<&Rc<Client>>) -> Rc<Client> {
    let Some(held) = held else {
        return Rc::new(next);
    };
    for session in &mut next.sessions {
        let Some(old) = held.sessions.iter().find(|o| o.id == session.id) else {
            continue;
        };
        if old == session {
            *session = old.clone();
        } else if let (Some(old_user), Some(fresh)) = (&old.user, Rc::get_mut(session)) {
            if fresh.user.as_ref() == Some(old_user) {
                fresh.user = Some(old_user.clone());
            }
        }
    }
    // The models are `Eq`, so `Rc`'s `==` checks identity first: the sessions shared above
    // are not compared a second time here, only the client's own fields and changed sessions.
    if next == **held {
        held.clone()
    } else {
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(session_fva: Option<[i64; 2]>, token_fva: Option<[i64; 2]>) -> ClerkState {
        ClerkState {
            status: LoadStatus::Ready,
            session: Some(Rc::new(Session {
                id: "sess_1".into(),
                factor_verification_age: session_fva,
                ..Session::default()
            })),
            claims: Some(Rc::new(SessionClaims {
                sub: "user_1".into(),
                fva: token_fva,
                ..SessionClaims::default()
            })),
            ..ClerkState::default()
        }
    }

    /// The snapshot (and so `has()` in the browser) reads the factor ages by the one rule of
    /// `core::authorization::factor_verification_age`: the session's, else the token's.
    #[test]
    fn load_status_displays_clerk_js_names() {
        let names = [
            LoadStatus::Loading,
            LoadStatus::Ready,
            LoadStatus::Degraded,
            LoadStatus::Failed,
        ]
        .map(|s| s.to_string());
        assert_eq!(names, ["loading", "ready", "degraded", "error"]);
    }

    #[test]
    fn factor_ages_follow_the_core_rule() {
        let fresh = Some([0, -1]);
        let stale = Some([30, -1]);
        // Just reverified: the session says 0 minutes while the token is older.
        assert_eq!(
            state(fresh, stale).auth(true).factor_verification_age,
            fresh
        );
        // A session without the field (synthesized from the cookie) falls back to the token.
        assert_eq!(state(None, stale).auth(true).factor_verification_age, stale);
        assert_eq!(state(None, None).auth(true).factor_verification_age, None);
    }
}
