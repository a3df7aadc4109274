//! Session operations: `get_token` (cache, dedup, retries), `sign_out`, `set_active`,
//! `handle_unauthenticated`, and the hosted-page URLs.

use super::clerk::{Clerk, Select};
use super::options::{GetTokenOptions, SetActiveParams, SignOutOptions};
use super::ports::TabMessage;
use super::state::LoadStatus;
use super::token_cache::{token_id, Lookup, TokenResult};
use super::url;
use crate::core::claims::SessionToken;
use crate::core::models::{Client, Session, Token};
use crate::core::request::Method;
use crate::error::ClerkError;

/// Retries of a token request on 429 / 5xx / network errors (clerk-js retries ~2.7 min; a UI
/// waiting on `get_token` should hear back sooner).
pub(crate) const TOKEN_RETRIES: u32 = 3;
/// First retry delay; doubles each time. A `Retry-After` header wins (capped).
const TOKEN_RETRY_BASE_MS: u32 = 1_000;
const RETRY_AFTER_CAP_MS: u32 = 10_000;
/// clerk-js throttles focus touches in single-session mode to one per 5 s.
const TOUCH_THROTTLE_MS: i64 = 5_000;

impl Clerk {
    /// A session token (clerk-js `session.getToken`).
    ///
    /// Waits for load (`Err(LoadFailed)` if it failed; never hangs). `Ok(None)` only when
    /// signed out. Cached per `[session, template, org]`; concurrent calls share one request;
    /// a token with 5 s or less left is never returned. Offline gives
    /// [`ClerkError::Offline`]; 429/5xx/network errors are retried a few times; a 401 re-reads
    /// the client (and signs out when the session is gone) before the error is returned.
    pub async fn get_token(&self, options: GetTokenOptions) -> Result<Option<String>, ClerkError> {
        self.wait_loaded().await;
        // A waiter whose shared request was cancelled (sign-out meanwhile) looks again.
        for _ in 0..3 {
            let state = self.state();
            match state.status {
                LoadStatus::Failed => {
                    return Err(ClerkError::LoadFailed(
                        state
                            .error
                            .as_ref()
                            .map_or_else(|| "unknown error".to_string(), ToString::to_string),
                    ))
                }
                LoadStatus::Loading => {
                    return Err(ClerkError::LoadFailed("Clerk was shut down".into()))
                }
                LoadStatus::Ready | LoadStatus::Degraded => {}
            }
            let Some((sid, active_org)) = self.current_context() else {
                return Ok(None);
            };
            let template = options.template.clone().filter(|t| !t.is_empty());
            let org = match &options.organization_id {
                None => active_org,
                Some(o) => Some(o.clone()).filter(|o| !o.is_empty()),
            };
            let key = token_id(&sid, template.as_deref(), org.as_deref());
            let waiter = if options.skip_cache {
                self.start_token_fetch(&key, &sid, template.clone(), org.clone(), true, true)
            } else {
                let lookup = self.inner.tokens.borrow_mut().lookup(&key, self.now_ms());
                match lookup {
                    Lookup::Fresh(raw) => return Ok(Some(raw)),
                    Lookup::Wait(rx) => Some(rx),
                    Lookup::Miss => self.start_token_fetch(
                        &key,
                        &sid,
                        template.clone(),
                        org.clone(),
                        false,
                        true,
                    ),
                }
            };
            let Some(rx) = waiter else {
                return Err(ClerkError::LoadFailed("Clerk was shut down".into()));
            };
            match rx.await {
                Ok(Ok(token)) => return Ok(Some(token.raw().to_string())),
                Ok(Err(e)) => return Err(e),
                Err(_cancelled) => continue,
            }
        }
        match self.current_context() {
            None => Ok(None),
            Some(_) => Err(ClerkError::Network {
                url: "/v1/client/sessions/tokens".into(),
                message: "the token request was cancelled repeatedly".into(),
            }),
        }
    }

    /// Registers a request for `key` in the cache and runs it as a background task (so a
    /// caller that goes away does not strand the others). Returns a receiver for the result
    /// when `wait`.
    pub(crate) fn start_token_fetch(
        &self,
        key: &str,
        sid: &str,
        template: Option<String>,
        org: Option<String>,
        skip_cache: bool,
        wait: bool,
    ) -> Option<futures_channel::oneshot::Receiver<TokenResult>> {
        if !self.inner.alive.get() {
            return None;
        }
        let (ticket, rx) = self.inner.tokens.borrow_mut().begin(key, wait);
        let clerk = self.clone();
        let key = key.to_string();
        let sid = sid.to_string();
        self.spawn(Box::pin(async move {
            let result = clerk
                .fetch_token(&sid, template.as_deref(), org.as_deref(), skip_cache)
                .await;
            if let Err(e) = &result {
                // Waiters hear about the failure after the state reflects it: clerk-js
                // re-reads the client (handleUnauthenticated) before rejecting.
                let waiters = clerk.inner.tokens.borrow_mut().take_waiters(&key, ticket);
                if e.is_unauthenticated() {
                    clerk.handle_unauthenticated(true).await;
                }
                for w in waiters.unwrap_or_default() {
                    let _ = w.send(Err(e.clone()));
                }
                return;
            }
            let stored = clerk
                .inner
                .tokens
                .borrow_mut()
                .finish(&key, ticket, result.clone());
            if let (true, Ok(token)) = (stored, &result) {
                clerk.inner.platform.broadcast.post(TabMessage::Token {
                    token_id: key.clone(),
                    token: token.raw().to_string(),
                });
                clerk.sync_active_token();
            }
        }));
        rx
    }

    /// `POST /v1/client/sessions/{sid}/tokens[/{template}]` with bounded retries.
    async fn fetch_token(
        &self,
        sid: &str,
        template: Option<&str>,
        org: Option<&str>,
        skip_cache: bool,
    ) -> TokenResult {
        let path = match template {
            Some(t) => format!(
                "/v1/client/sessions/{sid}/tokens/{}",
                crate::core::request::encode_path_segment(t)
            ),
            None => format!("/v1/client/sessions/{sid}/tokens"),
        };
        let org_form = [("organization_id", org.unwrap_or(""))];
        // Template tokens are requested with an empty body (clerk-js).
        let form: &[(&str, &str)] = if template.is_some() { &[] } else { &org_form };
        let query: &[(&str, &str)] = if skip_cache {
            &[("debug", "skip_cache")]
        } else {
            &[]
        };
        let mut attempt = 0;
        loop {
            let result = self
                .fetch_json::<Token>(Method::Post, &path, query, form)
                .await
                .and_then(|t| {
                    if t.jwt.is_empty() {
                        // clerk-js: an empty jwt is a network error, never "signed out".
                        Err(ClerkError::Network {
                            url: path.clone(),
                            message: "empty token in response".into(),
                        })
                    } else {
                        SessionToken::decode(&t.jwt)
                    }
                });
            match result {
                Err(e)
                    if attempt < TOKEN_RETRIES
                        && e.is_retryable()
                        && !matches!(e, ClerkError::Offline)
                        && self.inner.alive.get() =>
                {
                    let delay = match &e {
                        ClerkError::Api {
                            retry_after: Some(secs),
                            ..
                        } => secs.saturating_mul(1000).min(RETRY_AFTER_CAP_MS),
                        _ => TOKEN_RETRY_BASE_MS << attempt,
                    };
                    attempt += 1;
                    self.inner.platform.clock.sleep(delay).await;
                }
                other => return other,
            }
        }
    }

    /// clerk-js `handleUnauthenticated`: re-read the client; when the current session is
    /// gone, go signed out (and tell the other tabs when `broadcast`).
    pub(crate) async fn handle_unauthenticated(&self, broadcast: bool) {
        let had_session = self.current_context().is_some();
        match self.fetch_client(false).await {
            Ok(client) => self.apply_client(client, Select::Keep),
            Err(ClerkError::Api {
                status: 403 | 500, ..
            }) => {
                let client = self.state().client.as_deref().cloned();
                self.apply_client(client, Select::SignedOut);
            }
            Err(_) => return,
        }
        if had_session && self.current_context().is_none() && broadcast {
            self.inner.platform.broadcast.post(TabMessage::SignOut);
        }
    }

    /// Signs out (clerk-js `signOut`): all sessions (`DELETE /v1/client/sessions`) unless
    /// `session_id` names one of several signed-in sessions (`…/remove`). Clears the ended
    /// sessions' tokens and, when the current session ended, the `__session` cookie; tells
    /// the other tabs; then navigates to `redirect_url` / `after_sign_out_url` when set.
    pub async fn sign_out(&self, options: SignOutOptions) -> Result<(), ClerkError> {
        self.wait_loaded().await;
        self.ensure_loaded()?;
        let state = self.state();
        let Some(client) = state.client.as_deref() else {
            return Ok(());
        };
        if client.sessions.is_empty() {
            return Ok(());
        }
        let signed_in = client.signed_in_sessions().count();
        let current = self.current_context().map(|(sid, _)| sid);
        let current_ended = match options.session_id.as_deref() {
            Some(sid) if signed_in > 1 => {
                let path = format!("/v1/client/sessions/{sid}/remove");
                self.call::<Session>(Method::Post, &path, &[], Select::Keep)
                    .await?;
                self.inner.tokens.borrow_mut().remove_session(sid);
                if current.as_deref() == Some(sid) {
                    let client = self.state().client.as_deref().cloned();
                    self.apply_client(client, Select::SignedOut);
                    true
                } else {
                    false
                }
            }
            _ => {
                let envelope: crate::core::models::ClientEnvelope<Client> = self
                    .fetch_json(Method::Delete, "/v1/client/sessions", &[], &[])
                    .await?;
                self.inner.tokens.borrow_mut().clear();
                let client = envelope.client.or(envelope.response);
                self.apply_client(client, Select::SignedOut);
                true
            }
        };
        if current_ended {
            self.write_session_cookie(None);
            self.inner.platform.broadcast.post(TabMessage::SignOut);
            let target = options.redirect_url.or_else(|| self.after_sign_out_url());
            if let Some(target) = target {
                self.inner.platform.page.navigate(&target);
            }
        }
        Ok(())
    }

    fn after_sign_out_url(&self) -> Option<String> {
        let url = self.inner.options.after_sign_out_url.clone()?;
        Some(self.with_dev_browser(&url))
    }

    /// Makes a session (and/or organization) current (clerk-js `setActive`): touches it with
    /// `intent=select_session|select_org`, applies the returned client, then fetches a token
    /// for the new context (which writes the cookie).
    pub async fn set_active(&self, params: SetActiveParams) -> Result<(), ClerkError> {
        self.wait_loaded().await;
        self.ensure_loaded()?;
        let current = self.current_context().map(|(sid, _)| sid);
        let sid = params
            .session_id
            .clone()
            .or_else(|| current.clone())
            .ok_or_else(|| ClerkError::NoSession("there is no current session".into()))?;
        let state = self.state();
        let session = state
            .client
            .as_deref()
            .and_then(|c| c.signed_in_sessions().find(|s| s.id == sid))
            .ok_or_else(|| ClerkError::NoSession(sid.clone()))?;
        let org = match &params.organization_id {
            None => session
                .last_active_organization_id
                .clone()
                .unwrap_or_default(),
            Some(None) => String::new(),
            Some(Some(o)) => o.clone(),
        };
        let intent = if current.as_deref() == Some(sid.as_str()) {
            "select_org"
        } else {
            "select_session"
        };
        self.activate(sid, &org, intent).await
    }

    /// Makes a session that was just created (sign-in / sign-up complete) current, like
    /// clerk-js's `setActive({session: createdSessionId})` after a flow.
    pub(crate) async fn activate_new_session(&self, sid: String) -> Result<(), ClerkError> {
        let org = self
            .state()
            .client
            .as_deref()
            .and_then(|c| c.session(&sid))
            .and_then(|s| s.last_active_organization_id.clone())
            .unwrap_or_default();
        self.activate(sid, &org, "select_session").await
    }

    /// Touch with `intent`, apply the returned client with `sid` current, fetch its token.
    async fn activate(&self, sid: String, org: &str, intent: &str) -> Result<(), ClerkError> {
        let path = format!("/v1/client/sessions/{sid}/touch");
        let form = [("active_organization_id", org), ("intent", intent)];
        let envelope: crate::core::models::ClientEnvelope<Session> =
            self.fetch_json(Method::Post, &path, &[], &form).await?;
        match envelope.client {
            Some(client) => self.apply_client(Some(client), Select::Session(sid)),
            None => {
                // No piggyback: merge the returned session into the client we have.
                let mut client = self.state().client.as_deref().cloned();
                if let (Some(c), Some(s)) = (client.as_mut(), envelope.response) {
                    if let Some(slot) = c.sessions.iter_mut().find(|x| x.id == s.id) {
                        *slot = s;
                    }
                }
                self.apply_client(client, Select::Session(sid));
            }
        }
        self.get_token(GetTokenOptions::default()).await?;
        Ok(())
    }

    /// On window focus: touch the session (throttled in single-session mode) and make sure
    /// the token is fresh.
    pub(crate) async fn on_focus(&self) {
        if !self.state().is_loaded() {
            return;
        }
        let Some((sid, org)) = self.current_context() else {
            return;
        };
        if self.inner.options.touch_session {
            let now = self.now_ms();
            let single = self
                .state()
                .environment
                .as_ref()
                .is_some_and(|e| e.auth_config.single_session_mode);
            let throttled = single
                && self
                    .inner
                    .last_touch_ms
                    .get()
                    .is_some_and(|t| now - t < TOUCH_THROTTLE_MS);
            if !throttled {
                self.inner.last_touch_ms.set(Some(now));
                let path = format!("/v1/client/sessions/{sid}/touch");
                let form = [
                    ("active_organization_id", org.as_deref().unwrap_or("")),
                    ("intent", "focus"),
                ];
                if let Err(e) = self
                    .call::<Session>(Method::Post, &path, &form, Select::Keep)
                    .await
                {
                    if e.is_unauthenticated() {
                        self.handle_unauthenticated(true).await;
                        return;
                    }
                }
            }
        }
        let _ = self.get_token(GetTokenOptions::default()).await;
    }

    fn ensure_loaded(&self) -> Result<(), ClerkError> {
        let state = self.state();
        match state.status {
            LoadStatus::Ready | LoadStatus::Degraded => Ok(()),
            _ => Err(ClerkError::LoadFailed(state.error.as_ref().map_or_else(
                || "Clerk is not loaded".to_string(),
                ToString::to_string,
            ))),
        }
    }

    /// The hosted sign-in page (option override, else the environment's
    /// `display_config.sign_in_url`) with `redirect_url` and, for a development instance on
    /// another origin, `__clerk_db_jwt` (clerk-js `buildUrlWithAuth`). `None` before the
    /// environment is known when no override is set.
    pub fn sign_in_url(&self, redirect_url: Option<&str>) -> Option<String> {
        let base = self.inner.options.sign_in_url.clone().or_else(|| {
            self.state()
                .environment
                .as_ref()
                .and_then(|e| e.display_config.sign_in_url.clone())
        })?;
        Some(self.hosted_url(&base, redirect_url))
    }

    /// The hosted sign-up page, like [`Clerk::sign_in_url`].
    pub fn sign_up_url(&self, redirect_url: Option<&str>) -> Option<String> {
        let base = self.inner.options.sign_up_url.clone().or_else(|| {
            self.state()
                .environment
                .as_ref()
                .and_then(|e| e.display_config.sign_up_url.clone())
        })?;
        Some(self.hosted_url(&base, redirect_url))
    }

    fn hosted_url(&self, base: &str, redirect_url: Option<&str>) -> String {
        let url = match redirect_url.filter(|r| !r.is_empty()) {
            Some(r) => url::set_param(base, "redirect_url", r),
            None => base.to_string(),
        };
        self.with_dev_browser(&url)
    }

    /// Development: appends `__clerk_db_jwt` to a URL on another origin (the hosted pages
    /// need the dev browser to know the client).
    fn with_dev_browser(&self, target: &str) -> String {
        if !self.is_development() {
            return target.to_string();
        }
        let Some(id) = self.inner.dev_browser.borrow().clone() else {
            return target.to_string();
        };
        let target_origin = url::origin_of(target);
        let page_origin = self.inner.platform.page.origin().to_ascii_lowercase();
        match target_origin {
            Some(o) if o != page_origin => url::set_param(target, "__clerk_db_jwt", &id),
            _ => target.to_string(),
        }
    }
}
