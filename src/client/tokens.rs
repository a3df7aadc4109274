//! `get_token`: the cache lookup, one shared request per cache key, bounded retries, and
//! what a failure does to the state (401 → re-read the client).

use super::clerk::Clerk;
use super::fapi::retry_after_ms;
use super::options::GetTokenOptions;
use super::ports::TabMessage;
use super::session_ops::OtherTabs;
use super::state::LoadStatus;
use super::token_cache::{token_id, Lookup, TokenResult};
use crate::core::claims::SessionToken;
use crate::core::models::Token;
use crate::core::request::Method;
use crate::error::ClerkError;

/// Retries of a token request on 429 / 5xx / network errors (clerk-js retries ~2.7 min; a UI
/// waiting on `get_token` should hear back sooner).
pub(crate) const TOKEN_RETRIES: u32 = 3;
/// First retry delay; doubles each time. A `Retry-After` header wins (capped).
const TOKEN_RETRY_BASE_MS: u32 = 1_000;
const RETRY_AFTER_CAP_MS: u32 = 10_000;

/// Whether FAPI may answer a token request from its own cache (`Skip`: `?debug=skip_cache`,
/// for `GetTokenOptions::skip_cache`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FapiCache {
    /// FAPI's usual answer.
    Allow,
    /// A freshly minted token.
    Skip,
}

impl Clerk {
    /// A session token (clerk-js `session.getToken`).
    ///
    /// Waits for load (`Err(LoadFailed)` if it failed; never hangs). `Ok(None)` only when
    /// signed out. Cached per `[session, template, org]`; concurrent calls share one request;
    /// a token with 5 s or less left is never returned. Offline gives
    /// [`ClerkError::Offline`]; a request with no answer within 10 s gives
    /// [`ClerkError::Timeout`]; 429/5xx/network errors are retried a few times; a 401 re-reads
    /// the client (and signs out when the session is gone) before the error is returned.
    ///
    /// When the instance uses Clerk's session minter (`auth_config.session_minter`), the
    /// request carries the session's last token in its body, as clerk-js's does, and
    /// `skip_cache` also asks for claims assembled afresh (`force_origin`).
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
            let org = match &options.organization {
                None => active_org,
                Some(selected) => selected.id().map(str::to_string),
            };
            let key = token_id(&sid, template.as_deref(), org.as_deref());
            let waiter = if options.skip_cache {
                self.start_token_fetch(&key, &sid, template.clone(), org.clone(), FapiCache::Skip)
            } else {
                let lookup = self
                    .inner
                    .tokens
                    .cache
                    .borrow_mut()
                    .lookup(&key, self.server_now_ms());
                match lookup {
                    Lookup::Fresh(raw) => return Ok(Some(raw)),
                    Lookup::Wait(rx) => Some(rx),
                    Lookup::Miss => self.start_token_fetch(
                        &key,
                        &sid,
                        template.clone(),
                        org.clone(),
                        FapiCache::Allow,
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
    /// (`None` after shutdown).
    pub(crate) fn start_token_fetch(
        &self,
        key: &str,
        sid: &str,
        template: Option<String>,
        org: Option<String>,
        cache: FapiCache,
    ) -> Option<super::oneshot::Receiver<TokenResult>> {
        if !self.inner.lifecycle.is_alive() {
            return None;
        }
        let (ticket, rx) = self.inner.tokens.cache.borrow_mut().begin(key);
        let clerk = self.clone();
        let key = key.to_string();
        let sid = sid.to_string();
        self.spawn(Box::pin(async move {
            let result = clerk
                .fetch_token(&sid, template.as_deref(), org.as_deref(), cache)
                .await;
            let result = result.map(|(token, sent)| {
                clerk.observe_server_time(&token, sent);
                token
            });
            if let Err(e) = &result {
                // Waiters hear about the failure after the state reflects it: clerk-js
                // re-reads the client (handleUnauthenticated) before rejecting.
                let waiters = clerk
                    .inner
                    .tokens
                    .cache
                    .borrow_mut()
                    .take_waiters(&key, ticket);
                if e.is_unauthenticated() {
                    clerk.handle_unauthenticated(OtherTabs::Tell).await;
                }
                for w in waiters.unwrap_or_default() {
                    let _ = w.send(Err(e.clone()));
                }
                return;
            }
            let stored = clerk.inner.tokens.cache.borrow_mut().finish(
                &key,
                ticket,
                result.clone(),
                clerk.server_now_ms(),
            );
            if let (true, Ok(token)) = (stored, &result) {
                clerk.post_to_tabs(TabMessage::Token {
                    token_id: key.clone(),
                    token: token.raw().to_string(),
                });
                clerk.sync_active_token();
            }
        }));
        Some(rx)
    }

    /// `POST /v1/client/sessions/{sid}/tokens[/{template}]` with bounded retries: the token
    /// and the device time its (last) request was sent at, for the clock-skew estimate.
    async fn fetch_token(
        &self,
        sid: &str,
        template: Option<&str>,
        org: Option<&str>,
        cache: FapiCache,
    ) -> Result<(SessionToken, i64), ClerkError> {
        let path = match template {
            Some(t) => format!(
                "/v1/client/sessions/{sid}/tokens/{}",
                crate::core::request::encode_path_segment(t)
            ),
            None => format!("/v1/client/sessions/{sid}/tokens"),
        };
        // Clerk's session minter (`auth_config.session_minter`) re-mints from the last token,
        // sent in the body (never in the URL); clerk-js then skips the `expired_token` retry.
        let minter = self
            .state()
            .environment
            .as_ref()
            .is_some_and(|e| e.auth_config.session_minter);
        let last = if minter && template.is_none() {
            self.last_active_token(sid)
        } else {
            None
        };
        // clerk-js's body, in its order: template tokens are requested with an empty one.
        let mut form: Vec<(&str, &str)> = Vec::new();
        if template.is_none() {
            form.push(("organization_id", org.unwrap_or("")));
            if let Some(raw) = last.as_deref() {
                form.push(("token", raw));
            }
            if minter && cache == FapiCache::Skip {
                form.push(("force_origin", "true"));
            }
        }
        let mut query: Vec<(&str, &str)> = Vec::new();
        if cache == FapiCache::Skip {
            query.push(("debug", "skip_cache"));
        }
        // For `422 missing_expired_token` without the minter: clerk-js retries once with the
        // session's last token (the same one the minter gets, whatever was asked for).
        let expired = if minter {
            None
        } else {
            self.last_active_token(sid)
        };
        let mut sent_expired = false;
        let mut attempt = 0;
        loop {
            let sent = self.now_ms();
            let result = self
                .fetch_json::<Token>(Method::Post, &path, &query, &form)
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
                Err(e) if e.code() == Some("missing_expired_token") && !sent_expired => {
                    let Some(raw) = expired.as_deref() else {
                        return Err(e);
                    };
                    sent_expired = true;
                    query.push(("expired_token", raw));
                }
                Err(e)
                    if attempt < TOKEN_RETRIES
                        && e.is_retryable()
                        // A timeout already cost the caller the whole deadline: report
                        // it instead of making every waiter sit through more of them.
                        && !matches!(e, ClerkError::Offline | ClerkError::Timeout { .. })
                        && self.inner.lifecycle.is_alive() =>
                {
                    let delay = retry_after_ms(&e, RETRY_AFTER_CAP_MS)
                        .unwrap_or(TOKEN_RETRY_BASE_MS << attempt);
                    attempt += 1;
                    self.inner.platform.clock.sleep(delay).await;
                }
                other => return other.map(|token| (token, sent)),
            }
        }
    }

    /// clerk-js's `session.lastActiveToken`, for the session minter: the session's own token
    /// (no template, its active organization), whatever its age. It belongs to the session,
    /// not to the organization a request asks for: it is the token `last_active_token`
    /// seeds (`apply_client`) and each fetch of the active token replaces, which is where
    /// clerk-js updates `lastActiveToken`.
    fn last_active_token(&self, sid: &str) -> Option<String> {
        let state = self.state();
        let session = state
            .client
            .as_ref()?
            .sessions
            .iter()
            .find(|s| s.id == sid)?;
        let org = session
            .last_active_organization_id
            .as_deref()
            .filter(|o| !o.is_empty());
        self.inner
            .tokens
            .cache
            .borrow()
            .peek(&token_id(sid, None, org))
            .map(|t| t.raw().to_string())
    }
}
