//! Background behaviour: the proactive token refresh timer (one tab at a time), focus
//! handling and the cross-tab messages (sign-out, fresh tokens).

#[cfg(any(feature = "cross-tab", feature = "focus-touch", feature = "degraded"))]
use std::rc::Rc;

use super::clerk::Clerk;
use super::ports::TabMessage;
#[cfg(feature = "cross-tab")]
use super::session_ops::OtherTabs;
use super::token_cache::remaining_ms;
#[cfg(feature = "cross-tab")]
use super::token_cache::{belongs_to, plausible_times, MIN_REMAINING_MS};
use super::tokens::FapiCache;
use crate::core::claims::SessionToken;

/// Whether a re-read of the client for another tab's sign-out is in flight.
#[cfg(feature = "cross-tab")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum TabSignOut {
    /// None.
    #[default]
    Idle,
    /// One is.
    Running,
    /// One is, and another message arrived meanwhile: read once more after it.
    RunningAgain,
}

/// Refresh this long before `exp` (clerk-js: `remaining − max(15, 5) − 2` seconds).
pub(crate) const REFRESH_BEFORE_EXP_MS: i64 = 17_000;
/// Never re-arm sooner than this: whatever the token says, no refresh loop.
const REFRESH_MIN_DELAY_MS: i64 = 5_000;
/// localStorage key of the refresh lock: `"<tab id>|<token id>|<until ms>"` (no token).
#[cfg(feature = "cross-tab")]
pub(crate) const REFRESH_LOCK_KEY: &str = "__clerk_token_refresh_lock";
/// How long a tab owns the refresh of a token id.
#[cfg(feature = "cross-tab")]
const REFRESH_LOCK_TTL_MS: i64 = 10_000;
/// A tab that found the lock taken (or whose refresh failed) looks again after this long;
/// meanwhile the winner's token usually arrives by broadcast and ends the wait.
const REFRESH_RETRY_MS: u32 = 5_000;
/// Cap of the doubling retry delay while refreshes keep failing.
const REFRESH_RETRY_MAX_MS: u32 = 60_000;
/// Longest token or token id accepted from another tab (a session token fits in a 4 KB
/// cookie; template tokens are larger but not this large). Bigger messages are dropped before
/// any parsing.
#[cfg(feature = "cross-tab")]
pub(crate) const MAX_TAB_TOKEN_BYTES: usize = 16 * 1024;
#[cfg(feature = "cross-tab")]
const MAX_TAB_TOKEN_ID_BYTES: usize = 512;

impl Clerk {
    /// Subscribes to the other tabs (`cross-tab`), window focus (`focus-touch`) and the
    /// `online` event (`degraded`); the guards are dropped by `shutdown`. With none of these
    /// features it listens to nothing.
    pub(crate) fn listen(&self) {
        #[cfg(feature = "cross-tab")]
        {
            let weak = self.weak();
            let guard =
                self.inner
                    .platform
                    .broadcast
                    .subscribe(Rc::new(move |message: TabMessage| {
                        let Some(clerk) = Clerk::from_weak(&weak) else {
                            return;
                        };
                        match message {
                            TabMessage::SignOut => clerk.on_tab_sign_out(),
                            TabMessage::Token { token_id, token } => {
                                clerk.adopt_token(&token_id, &token)
                            }
                        }
                    }));
            self.inner.lifecycle.keep(guard);
        }
        #[cfg(feature = "focus-touch")]
        {
            let weak = self.weak();
            let guard = self.inner.platform.page.on_focus(Rc::new(move || {
                let Some(clerk) = Clerk::from_weak(&weak) else {
                    return;
                };
                let task_clerk = clerk.clone();
                clerk.spawn(Box::pin(async move { task_clerk.on_focus().await }));
            }));
            self.inner.lifecycle.keep(guard);
        }
        #[cfg(feature = "degraded")]
        {
            let weak = self.weak();
            let guard = self.inner.platform.page.on_online(Rc::new(move || {
                if let Some(clerk) = Clerk::from_weak(&weak) {
                    clerk.on_online();
                }
            }));
            self.inner.lifecycle.keep(guard);
        }
    }

    /// Tells the other tabs (`cross-tab` only; without it nothing is sent).
    pub(crate) fn post_to_tabs(&self, message: TabMessage) {
        #[cfg(feature = "cross-tab")]
        self.inner.platform.broadcast.post(message);
        #[cfg(not(feature = "cross-tab"))]
        drop(message);
    }

    /// Another tab says it signed out: re-read the client (FAPI decides; the message is
    /// untrusted). Messages arriving while a re-read is in flight cost one more re-read at
    /// most, so a flood of messages cannot turn into a flood of requests.
    #[cfg(feature = "cross-tab")]
    fn on_tab_sign_out(&self) {
        let running = &self.inner.tab.sign_out;
        if running.get() != TabSignOut::Idle {
            running.set(TabSignOut::RunningAgain);
            return;
        }
        running.set(TabSignOut::Running);
        let clerk = self.clone();
        self.spawn(Box::pin(async move {
            loop {
                // Before load finished there is nothing to update: load reads the client.
                if clerk.state().is_loaded() {
                    clerk.handle_unauthenticated(OtherTabs::Quiet).await;
                }
                let state = &clerk.inner.tab.sign_out;
                if state.get() == TabSignOut::RunningAgain && clerk.inner.lifecycle.is_alive() {
                    state.set(TabSignOut::Running);
                    continue;
                }
                state.set(TabSignOut::Idle);
                return;
            }
        }));
    }

    /// A token another tab fetched (untrusted input: any script of the origin can post on
    /// the channel). Kept only when it is for the current session (token id and `sid`), has
    /// sane times (see [`plausible_times`]), comes from the issuer of the tokens FAPI gave
    /// us for that session, has more than [`MIN_REMAINING_MS`] left and is at least as fresh
    /// as ours (clerk-js's order, [`SessionToken::freshness`]; an expired token of ours is
    /// no baseline).
    #[cfg(feature = "cross-tab")]
    pub(crate) fn adopt_token(&self, id: &str, raw: &str) {
        if raw.len() > MAX_TAB_TOKEN_BYTES || id.len() > MAX_TAB_TOKEN_ID_BYTES {
            return;
        }
        let Some((sid, _)) = self.current_context() else {
            return;
        };
        if !belongs_to(id, &sid) {
            return;
        }
        let Ok(token) = SessionToken::decode(raw) else {
            return;
        };
        let claims = token.claims();
        let now = self.server_now_ms();
        if claims.sid.as_deref() != Some(sid.as_str())
            || !plausible_times(&token, now)
            || remaining_ms(&token, now) <= MIN_REMAINING_MS
        {
            return;
        }
        let mut tokens = self.inner.tokens.cache.borrow_mut();
        let same_issuer = claims.iss.is_some() && tokens.issuer_of(&sid) == claims.iss.as_deref();
        if !same_issuer {
            return;
        }
        let stored = tokens.offer(id, token, now, super::token_cache::Source::OtherTab);
        drop(tokens);
        if stored {
            self.sync_active_token();
        }
    }

    /// Arms the proactive refresh of the active token ≈17 s before it expires (half its
    /// remaining life for short-lived tokens, so they are not refreshed in a tight loop).
    ///
    /// One tab at a time: the tab whose timer fires first takes a short localStorage lock for
    /// the token id, refreshes and broadcasts; the others find the lock taken, adopt the
    /// broadcast token and re-arm on it. (clerk-js uses `navigator.locks`; a storage
    /// timestamp needs no extra browser API. A race costs one duplicate request.)
    pub(crate) fn schedule_refresh(&self, key: String, token: &SessionToken) {
        let generation = self.inner.tokens.next_generation();
        let remaining = remaining_ms(token, self.server_now_ms());
        let delay = if remaining > 2 * REFRESH_BEFORE_EXP_MS {
            remaining - REFRESH_BEFORE_EXP_MS
        } else {
            (remaining / 2).max(REFRESH_MIN_DELAY_MS)
        };
        let delay = u32::try_from(delay).unwrap_or(u32::MAX);
        let clock = self.inner.platform.clock.clone();
        let weak = self.weak();
        self.spawn(Box::pin(async move {
            clock.sleep(delay).await;
            let mut retry = REFRESH_RETRY_MS;
            loop {
                let Some(clerk) = Clerk::from_weak(&weak) else {
                    return;
                };
                if clerk.inner.tokens.generation() != generation
                    || clerk.active_token_id().as_deref() != Some(key.as_str())
                {
                    return;
                }
                if clerk.try_refresh_lock(&key) {
                    // A request in flight (a caller's) does the refresh: wait for it like for
                    // our own, so its failure is retried here instead of ending the timer.
                    let joined = clerk.inner.tokens.cache.borrow_mut().join(&key);
                    let rx = match joined {
                        Some(rx) => rx,
                        None => {
                            let Some((sid, org)) = clerk.current_context() else {
                                return;
                            };
                            let started =
                                clerk.start_token_fetch(&key, &sid, None, org, FapiCache::Allow);
                            let Some(rx) = started else {
                                return;
                            };
                            rx
                        }
                    };
                    let result = rx.await;
                    if clerk.inner.tokens.generation() != generation {
                        // A new token re-armed the timer meanwhile.
                        return;
                    }
                    match result {
                        // Success re-armed the timer (new generation); a permanent error
                        // was handled by the fetch (sign-out).
                        Ok(Ok(_)) | Err(_) => return,
                        Ok(Err(e)) if !e.is_retryable() => return,
                        Ok(Err(_)) => {}
                    }
                }
                drop(clerk);
                clock.sleep(retry).await;
                // FAPI down: back off instead of polling it every few seconds.
                retry = retry.saturating_mul(2).min(REFRESH_RETRY_MAX_MS);
            }
        }));
    }

    /// Without `cross-tab` there is no lock: every tab refreshes its own token.
    #[cfg(not(feature = "cross-tab"))]
    fn try_refresh_lock(&self, _key: &str) -> bool {
        true
    }

    /// Takes (or renews) the refresh lock for `key` unless another tab holds it.
    #[cfg(feature = "cross-tab")]
    fn try_refresh_lock(&self, key: &str) -> bool {
        let storage = &self.inner.platform.storage;
        let now = self.now_ms();
        if let Some(value) = storage.get(REFRESH_LOCK_KEY) {
            let mut parts = value.splitn(3, '|');
            let (tab, locked_key, until) = (parts.next(), parts.next(), parts.next());
            let until = until.and_then(|u| u.parse::<i64>().ok()).unwrap_or(0);
            // Any script of the origin can write the lock: one that claims to be held beyond
            // its TTL is not a lock a tab of ours took, and is ignored.
            let held = until > now && until <= now.saturating_add(REFRESH_LOCK_TTL_MS);
            if tab != Some(self.inner.tab.id.as_str()) && locked_key == Some(key) && held {
                return false;
            }
        }
        storage.set(
            REFRESH_LOCK_KEY,
            &format!(
                "{}|{key}|{}",
                self.inner.tab.id,
                now.saturating_add(REFRESH_LOCK_TTL_MS)
            ),
        );
        true
    }
}
