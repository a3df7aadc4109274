//! Applying a client to the state: which session is current, seeding the token cache from
//! `last_active_token`, dropping tokens of ended sessions, and keeping the `__session`
//! cookie, the snapshot's claims and the refresh timer in step with the active token.

use super::clerk::{Clerk, Select};
use super::state::{share_unchanged, strip_tokens};
use super::token_cache::{remaining_ms, token_id, MIN_REMAINING_MS};
use crate::core::claims::SessionToken;
use crate::core::models::Client;

impl Clerk {
    /// Clock check from the client of the `/v1/client` just fetched (see
    /// [`Clerk::fetch_client`]): its current session's `last_active_token` was minted for
    /// that response. Nothing is learnt from a prefetched response.
    pub(crate) fn observe_client_time(&self, client: Option<&Client>) {
        let Some((sent, _received)) = self.inner.clock.client_timing.take() else {
            return;
        };
        let token = client
            .and_then(|c| c.current_session())
            .and_then(|s| s.last_active_token.as_ref())
            .and_then(|t| SessionToken::decode(&t.jwt).ok());
        if let Some(token) = token {
            self.observe_server_time(&token, sent);
        }
    }

    /// Applies a client (from `/v1/client` or piggybacked on a mutation): seeds the token
    /// cache with each session's `last_active_token`, drops tokens of sessions that ended,
    /// picks the current session, writes the cookies and emits.
    pub(crate) fn apply_client(&self, client: Option<Client>, select: Select) {
        if !self.inner.lifecycle.is_alive() {
            return;
        }
        if select == Select::Ignore {
            return;
        }
        let previous = self.inner.current.session_id.borrow().clone();
        // Responses can arrive out of order: a client older than the one we hold (same
        // client, earlier `updated_at`) would undo newer state, e.g. re-select a session
        // after a sign-out. Explicit selections come with their own fresh response.
        if select == Select::Keep {
            let state = self.state();
            if let (Some(new), Some(held)) = (client.as_ref(), state.client.as_deref()) {
                if new.id == held.id && new.updated_at < held.updated_at {
                    return;
                }
            }
        }
        let now = self.server_now_ms();
        let signed_in: Vec<String> = client
            .as_ref()
            .map(|c| c.signed_in_sessions().map(|s| s.id.clone()).collect())
            .unwrap_or_default();
        let is_signed_in = |id: &str| signed_in.iter().any(|s| s == id);
        let next = match select {
            Select::SignedOut | Select::Ignore => None,
            Select::Session(id) => is_signed_in(&id).then_some(id),
            Select::Keep => match &previous {
                Some(id) => is_signed_in(id).then(|| id.clone()),
                None => client
                    .as_ref()
                    .and_then(|c| c.current_session())
                    .map(|s| s.id.clone()),
            },
        };
        {
            let mut tokens = self.inner.tokens.cache.borrow_mut();
            let keep: Vec<&str> = signed_in.iter().map(String::as_str).collect();
            tokens.retain_sessions(&keep);
            for session in client.iter().flat_map(|c| c.signed_in_sessions()) {
                let Some(jwt) = session.last_active_token.as_ref() else {
                    continue;
                };
                let Ok(token) = SessionToken::decode(&jwt.jwt) else {
                    continue;
                };
                if remaining_ms(&token, now) <= MIN_REMAINING_MS {
                    continue;
                }
                let key = token_id(
                    &session.id,
                    None,
                    session.last_active_organization_id.as_deref(),
                );
                tokens.offer(&key, token, now, super::token_cache::Source::Fapi);
            }
        }
        self.inner.current.select(next);
        let mut client = client;
        if let Some(c) = client.as_mut() {
            strip_tokens(c);
        }
        let held = self.state().client.clone();
        let client = client.map(|c| share_unchanged(c, held.as_ref()));
        self.batch(|| {
            self.update(|s| s.client = client.clone());
            self.write_client_uat(client.as_deref());
            self.sync_active_token();
        });
    }

    /// After the active token may have changed: writes the `__session` cookie, refreshes the
    /// claims of the snapshot and (re)arms the refresh timer. Idempotent.
    pub(crate) fn sync_active_token(&self) {
        if !self.inner.lifecycle.is_alive() {
            return;
        }
        let token = self.active_token_id().and_then(|key| {
            self.inner
                .tokens
                .cache
                .borrow()
                .peek(&key)
                .cloned()
                .map(|t| (key, t))
        });
        let raw = token.as_ref().map(|(_, t)| t.raw().to_string());
        if !self.inner.tokens.sync(raw) {
            return;
        }
        match token {
            Some((key, token)) => {
                self.write_session_cookie(Some(token.raw()));
                self.update(|_| {});
                self.schedule_refresh(key, &token);
            }
            None => {
                // Signed in but no token yet (a new organization was just selected): keep
                // the cookie until the new token arrives; signed out: remove it.
                if self.current_context().is_none() {
                    self.write_session_cookie(None);
                }
                self.inner.tokens.next_generation();
                self.update(|_| {});
            }
        }
    }
}
