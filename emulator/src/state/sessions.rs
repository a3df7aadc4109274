//! Sessions: status, creation, ending and expiry.

use super::{new_id, now_ms, Store, ABANDON_MS};

/// Session status (FAPI's `Client.SessionBase-2.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStatus {
    /// Signed in.
    Active,
    /// Ended by the user (`…/end`).
    Ended,
    /// Removed from the client (`…/remove`, sign-out).
    Removed,
    /// Revoked from the backend (control API).
    Revoked,
    /// Past `expire_at`.
    Expired,
    /// Past `abandon_at`.
    Abandoned,
    /// Signed in with tasks left (`tasks`); here only `choose-organization`, when
    /// [`Store::force_organization_selection`] is on and the session has no organization.
    Pending,
}

impl SessionStatus {
    /// Wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            SessionStatus::Active => "active",
            SessionStatus::Ended => "ended",
            SessionStatus::Removed => "removed",
            SessionStatus::Revoked => "revoked",
            SessionStatus::Expired => "expired",
            SessionStatus::Abandoned => "abandoned",
            SessionStatus::Pending => "pending",
        }
    }

    /// Whether the session is signed in: `active`, or `pending` (signed in, tasks left).
    /// Only these are listed in the client, mint tokens and can be touched or signed out.
    pub fn is_signed_in(self) -> bool {
        matches!(self, SessionStatus::Active | SessionStatus::Pending)
    }
}

/// A session.
#[derive(Debug, Clone)]
pub struct Session {
    /// `sess_…`
    pub id: String,
    /// Owning client.
    pub client_id: String,
    /// Signed-in user.
    pub user_id: String,
    /// Current status.
    pub status: SessionStatus,
    /// Active organization (`last_active_organization_id`).
    pub active_org_id: Option<String>,
    /// When the first factor was verified, ms (for `fva`).
    pub first_factor_at: i64,
    /// Last touch, ms.
    pub last_active_at: i64,
    /// Hard expiry, ms.
    pub expire_at: i64,
    /// Inactivity expiry, ms.
    pub abandon_at: i64,
    /// Creation time, ms.
    pub created_at: i64,
    /// Last change, ms.
    pub updated_at: i64,
}

impl Store {
    /// Creates a session for `user_id` on `client_id` and makes it the last active one: `active`,
    /// or `pending` when [`Store::force_organization_selection`] is on (a new session has no
    /// organization yet).
    pub fn create_session(&mut self, client_id: &str, user_id: &str, strategy: &str) -> String {
        let now = now_ms();
        let id = new_id("sess");
        let status = if self.force_organization_selection {
            SessionStatus::Pending
        } else {
            SessionStatus::Active
        };
        self.sessions.insert(
            id.clone(),
            Session {
                id: id.clone(),
                client_id: client_id.to_string(),
                user_id: user_id.to_string(),
                status,
                active_org_id: None,
                first_factor_at: now,
                last_active_at: now,
                expire_at: now.saturating_add(self.session_lifetime_ms),
                abandon_at: now + ABANDON_MS,
                created_at: now,
                updated_at: now,
            },
        );
        if let Some(u) = self.users.iter_mut().find(|u| u.id == user_id) {
            u.last_sign_in_at = Some(now);
            u.updated_at = now;
        }
        if let Some(c) = self.clients.get_mut(client_id) {
            c.session_ids.push(id.clone());
            c.last_active_session_id = Some(id.clone());
            c.last_authentication_strategy = Some(strategy.to_string());
        }
        self.touch_client(client_id);
        id
    }

    /// Changes a session's status (end/remove/revoke) and fixes the client's
    /// `last_active_session_id` to another active session or `null`.
    pub fn set_session_status(&mut self, session_id: &str, status: SessionStatus) {
        let now = now_ms();
        let client_id = match self.sessions.get_mut(session_id) {
            Some(s) => {
                s.status = status;
                s.updated_at = now.max(s.updated_at + 1);
                s.client_id.clone()
            }
            None => return,
        };
        self.fix_last_active(&client_id);
        self.touch_client(&client_id);
    }

    /// Ends every signed-in session of a client with `status` (sign-out of all, client
    /// destroyed).
    pub fn set_signed_in_sessions_status(&mut self, client_id: &str, status: SessionStatus) {
        let ids: Vec<String> = self
            .signed_in_sessions(client_id)
            .iter()
            .map(|s| s.id.clone())
            .collect();
        for id in ids {
            self.set_session_status(&id, status);
        }
    }

    /// Points `last_active_session_id` at the newest signed-in session (or `null`).
    pub fn fix_last_active(&mut self, client_id: &str) {
        let Some(client) = self.clients.get(client_id) else {
            return;
        };
        let current_ok = client
            .last_active_session_id
            .as_ref()
            .and_then(|id| self.sessions.get(id))
            .is_some_and(|s| s.status.is_signed_in());
        if current_ok {
            return;
        }
        let next = self
            .signed_in_sessions(client_id)
            .last()
            .map(|s| s.id.clone());
        if let Some(c) = self.clients.get_mut(client_id) {
            c.last_active_session_id = next;
        }
    }

    /// Applies `expire_at` / `abandon_at` to signed-in sessions.
    pub fn enforce_expiry(&mut self, now: i64) {
        let expired: Vec<(String, SessionStatus)> = self
            .sessions
            .values()
            .filter(|s| s.status.is_signed_in())
            .filter_map(|s| {
                if now >= s.expire_at {
                    Some((s.id.clone(), SessionStatus::Expired))
                } else if now >= s.abandon_at {
                    Some((s.id.clone(), SessionStatus::Abandoned))
                } else {
                    None
                }
            })
            .collect();
        for (id, st) in expired {
            self.set_session_status(&id, st);
        }
    }

    /// Signed-in (`active` or `pending`) sessions of a client, in creation order.
    pub fn signed_in_sessions(&self, client_id: &str) -> Vec<&Session> {
        self.clients
            .get(client_id)
            .map(|c| {
                c.session_ids
                    .iter()
                    .filter_map(|id| self.sessions.get(id))
                    .filter(|s| s.status.is_signed_in())
                    .collect()
            })
            .unwrap_or_default()
    }
}
