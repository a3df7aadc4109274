//! Clients (one per browser) and development browsers.

use super::{new_id, now_ms, random_hex, Store};

/// A client (one browser).
#[derive(Debug, Clone)]
pub struct Client {
    /// `client_…`
    pub id: String,
    /// Opaque value of the `__client` cookie (production).
    pub cookie_token: String,
    /// Sessions in creation order.
    pub session_ids: Vec<String>,
    /// Current sign-in attempt.
    pub sign_in_id: Option<String>,
    /// Current sign-up attempt.
    pub sign_up_id: Option<String>,
    /// `last_active_session_id`.
    pub last_active_session_id: Option<String>,
    /// `last_authentication_strategy`.
    pub last_authentication_strategy: Option<String>,
    /// Creation time, ms.
    pub created_at: i64,
    /// Last change, ms.
    pub updated_at: i64,
}

/// A development browser (`dvb_…`), the dev-instance stand-in for the `__client` cookie.
#[derive(Debug, Clone)]
pub struct DevBrowser {
    /// `dvb_…`
    pub id: String,
    /// Linked client, once one exists.
    pub client_id: Option<String>,
    /// Creation time, ms.
    pub created_at: i64,
    /// Last change, ms.
    pub updated_at: i64,
}

impl Store {
    /// Creates a client and returns its id.
    pub fn new_client(&mut self) -> String {
        let now = now_ms();
        let id = new_id("client");
        self.clients.insert(
            id.clone(),
            Client {
                id: id.clone(),
                cookie_token: random_hex(24),
                session_ids: Vec::new(),
                sign_in_id: None,
                sign_up_id: None,
                last_active_session_id: None,
                last_authentication_strategy: None,
                created_at: now,
                updated_at: now,
            },
        );
        id
    }

    /// Marks a client changed (`updated_at`), so clerk-js re-emits state.
    pub fn touch_client(&mut self, client_id: &str) {
        let now = now_ms();
        if let Some(c) = self.clients.get_mut(client_id) {
            c.updated_at = now.max(c.updated_at + 1);
        }
    }
}
