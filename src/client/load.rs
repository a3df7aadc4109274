//! `load()`: dev browser, then environment and client in one parallel round trip (or the
//! responses the page prefetched), then `Ready` / `Degraded` / `Failed`.

use super::clerk::{Clerk, Select};
#[cfg(feature = "prefetch")]
use super::fapi::parse_response;
use super::state::LoadStatus;
use crate::core::json::{FromJson, Value};
use crate::core::models::{Client, ClientEnvelope, Environment};
use crate::core::request::Method;
use crate::error::ClerkError;
use std::future::Future;
use std::pin::pin;
use std::task::Poll;
#[cfg(feature = "degraded")]
use {
    super::fapi::retry_after_ms,
    super::token_cache::plausible_times,
    crate::core::claims::SessionToken,
    crate::core::json::Fields,
    crate::core::models::{Session, SessionStatus, Token, User},
};

/// Id of the client synthesized from the `__session` cookie while FAPI is unreachable.
#[cfg(feature = "degraded")]
pub(crate) const SYNTHETIC_CLIENT_ID: &str = "client_from_cookie";
/// localStorage key of the environment snapshot (clerk-js's key and `{value, exp}` shape).
#[cfg(feature = "degraded")]
pub(crate) const ENVIRONMENT_KEY: &str = "__clerk_environment";
/// The snapshot is trusted for a day (clerk-js).
#[cfg(feature = "degraded")]
const ENVIRONMENT_TTL_MS: i64 = 24 * 3600 * 1000;
/// clerk-js `INITIALIZATION_TIMEOUT_MS`: a `/v1/client` slower than this degrades the load.
pub(crate) const CLIENT_TIMEOUT_MS: u32 = 7_000;
/// Degraded-mode retries of `/v1/client`: first delay and cap.
#[cfg(feature = "degraded")]
const RECOVERY_FIRST_MS: u32 = 2_000;
#[cfg(feature = "degraded")]
const RECOVERY_MAX_MS: u32 = 30_000;
/// Longest `Retry-After` the recovery loop honours (a larger one is read as this).
#[cfg(feature = "degraded")]
const RECOVERY_RETRY_AFTER_CAP_MS: u32 = 300_000;

/// Whether a load request may use the response the page prefetched (only the first load's:
/// a later read must see FAPI's current answer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Prefetched {
    /// Use it when there is one (`prefetch` feature).
    Adopt,
    /// Always send the request.
    Ignore,
}

impl Clerk {
    /// Loads Clerk: reads the key, sets up the development dev browser, fetches the
    /// environment and the client in parallel, seeds the token cache from the current
    /// session's `last_active_token` (no `/tokens` request) and writes the cookies.
    ///
    /// Ends in [`LoadStatus::Ready`], [`LoadStatus::Degraded`] (a fallback was used; see
    /// [`ClerkState::error`](super::ClerkState::error)) or [`LoadStatus::Failed`]. Never
    /// panics. Idempotent: a second call waits for the first one.
    pub async fn load(&self) {
        if !self.begin_load() {
            self.wait_load_event().await;
            return;
        }
        self.load_once().await;
        self.finish_load();
    }

    async fn load_once(&self) {
        if !self.inner.lifecycle.is_alive() {
            return;
        }
        if let Err(e) = &self.inner.config {
            self.set_status(LoadStatus::Failed, Some(e.clone()));
            return;
        }
        self.load_state().await;
        // Off the path to the first loaded state: the other tabs and focus matter only once
        // there is a client (before that, their messages are ignored anyway).
        if self.inner.lifecycle.is_alive() {
            self.listen();
        }
    }

    /// Everything up to the published load outcome.
    async fn load_state(&self) {
        let dev_browser = self.with_timeout("/v1/dev_browser", self.setup_dev_browser());
        if let Err(e) = dev_browser.await {
            #[cfg(feature = "degraded")]
            if is_transient(&e) {
                // Not fetched yet: the stored snapshot (or the defaults) stands in for it.
                self.set_fallback_environment();
                self.degrade_client(e);
                return;
            }
            self.set_status(LoadStatus::Failed, Some(e));
            return;
        }
        // Both bounded by the load timeout: the app must not sit in `Loading` forever.
        let environment =
            self.with_timeout("/v1/environment", self.fetch_environment(Prefetched::Adopt));
        let (environment, client) = join(environment, self.fetch_client(Prefetched::Adopt)).await;
        if !self.inner.lifecycle.is_alive() {
            return;
        }
        // One snapshot for the whole outcome (environment, client, status).
        #[cfg(feature = "degraded")]
        self.batch(|| {
            let environment_error = match environment {
                Ok(env) => {
                    self.set_environment(env);
                    None
                }
                Err(e) => {
                    self.set_fallback_environment();
                    Some(e)
                }
            };
            match client {
                Ok(client) => {
                    self.observe_client_time(client.as_ref());
                    self.apply_client(client, Select::Keep);
                    match environment_error {
                        None => self.set_status(LoadStatus::Ready, None),
                        Some(e) => {
                            let first = recovery_delay(&e, RECOVERY_FIRST_MS);
                            self.set_status(LoadStatus::Degraded, Some(e));
                            self.spawn_recovery(first);
                        }
                    }
                }
                Err(e) if is_transient(&e) => self.degrade_client(e),
                Err(e) => self.set_status(LoadStatus::Failed, Some(e)),
            }
        });
        // Without degraded mode, any failure (the environment's first) fails the load.
        #[cfg(not(feature = "degraded"))]
        self.batch(|| match (environment, client) {
            (Ok(env), Ok(client)) => {
                self.set_environment(env);
                self.observe_client_time(client.as_ref());
                self.apply_client(client, Select::Keep);
                self.set_status(LoadStatus::Ready, None);
            }
            (Err(e), _) | (_, Err(e)) => self.set_status(LoadStatus::Failed, Some(e)),
        });
    }

    /// `/v1/environment`: PATCH (touch) on development instances, GET in production. Stores a
    /// snapshot for degraded loads.
    pub(crate) async fn fetch_environment(
        &self,
        prefetched: Prefetched,
    ) -> Result<Environment, ClerkError> {
        let path = "/v1/environment";
        let prefetched = if prefetched == Prefetched::Adopt {
            self.take_prefetched(path).await
        } else {
            None
        };
        let raw: Value = match prefetched {
            Some(raw) => raw,
            None => {
                let method = if self.is_development() {
                    Method::Patch
                } else {
                    Method::Get
                };
                self.fetch_json(method, path, &[], &[]).await?
            }
        };
        let env = self.reading(|| Environment::from_json(&raw)).map_err(|e| {
            ClerkError::MalformedResponse {
                url: path.to_string(),
                message: e.to_string(),
            }
        })?;
        #[cfg(feature = "degraded")]
        self.inner.degraded.environment_fresh.set(true);
        // The response as received (unknown fields included, like clerk-js's snapshot),
        // written in a background task: it is not on the path to "loaded".
        #[cfg(feature = "degraded")]
        self.store_environment_snapshot(raw);
        Ok(env)
    }

    /// Stores the environment for a degraded load of a later page.
    #[cfg(feature = "degraded")]
    fn store_environment_snapshot(&self, raw: Value) {
        let exp = self.now_ms() + ENVIRONMENT_TTL_MS;
        let storage = self.inner.platform.storage.clone();
        self.spawn(Box::pin(async move {
            storage.set(
                ENVIRONMENT_KEY,
                &format!(r#"{{"value":{raw},"exp":{exp}}}"#),
            );
        }));
    }

    /// `GET /v1/client` (or the prefetched response) with the 7 s load timeout: `Ok(None)`
    /// when FAPI has no client yet.
    pub(crate) async fn fetch_client(
        &self,
        prefetched: Prefetched,
    ) -> Result<Option<Client>, ClerkError> {
        let path = "/v1/client";
        self.with_timeout(path, async {
            if prefetched == Prefetched::Adopt {
                if let Some(envelope) = self.take_prefetched::<ClientEnvelope<Client>>(path).await {
                    self.inner.clock.client_timing.set(None);
                    return Ok(envelope.response);
                }
            }
            let sent = self.now_ms();
            let client = self
                .fetch_json::<ClientEnvelope<Client>>(Method::Get, path, &[], &[])
                .await?
                .response;
            self.inner
                .clock
                .client_timing
                .set(Some((sent, self.now_ms())));
            Ok(client)
        })
        .await
    }

    /// `fut`, or [`ClerkError::Timeout`] after [`CLIENT_TIMEOUT_MS`].
    async fn with_timeout<T>(
        &self,
        path: &str,
        fut: impl std::future::Future<Output = Result<T, ClerkError>>,
    ) -> Result<T, ClerkError> {
        self.deadline(path, CLIENT_TIMEOUT_MS, fut).await
    }

    /// Without the `prefetch` feature nothing is adopted: the engine sends its own requests.
    #[cfg(not(feature = "prefetch"))]
    async fn take_prefetched<T: FromJson>(&self, _path: &str) -> Option<T> {
        None
    }

    /// A response the page prefetched, when it is a usable 2xx; anything else (absent,
    /// failed, an error status such as a stale dev browser) means "fetch it yourself".
    #[cfg(feature = "prefetch")]
    async fn take_prefetched<T: FromJson>(&self, path: &str) -> Option<T> {
        let pending = self.inner.platform.page.take_prefetched(path)?;
        if self.inner.prefetch.is_skipped() {
            return None;
        }
        let response = pending.await.ok()?;
        self.adopt_dev_browser_header(&response);
        self.reading(|| parse_response(&response, path)).ok()
    }

    #[cfg(feature = "degraded")]
    fn environment_snapshot(&self) -> Option<Environment> {
        let raw = self.inner.platform.storage.get(ENVIRONMENT_KEY)?;
        let snapshot = Value::parse(&raw).ok()?;
        let fields = Fields::of(&snapshot).ok()?;
        let exp: i64 = fields.req("exp");
        let value: Environment = fields.req("value");
        let value = fields.finish(value).ok()?;
        // We write `now + TTL`; anything later was not written by us (any script of the
        // origin can write localStorage) and is not trusted.
        let now = self.now_ms();
        (exp > now && exp <= now.saturating_add(ENVIRONMENT_TTL_MS)).then_some(value)
    }

    /// The environment when FAPI's is out of reach: the snapshot stored by an earlier load
    /// (still within its TTL), else the defaults.
    #[cfg(feature = "degraded")]
    fn set_fallback_environment(&self) {
        let fallback = self.environment_snapshot().unwrap_or_default();
        self.set_environment(fallback);
    }

    /// FAPI unreachable for the client (the environment already set): synthesize a session
    /// from a still-valid `__session` cookie (clerk-js `createClientFromJwt`), go `Degraded`,
    /// retry in the background.
    #[cfg(feature = "degraded")]
    fn degrade_client(&self, error: ClerkError) {
        let client = self.client_from_cookie();
        let first = recovery_delay(&error, RECOVERY_FIRST_MS);
        self.batch(|| {
            self.apply_client(client, Select::Keep);
            self.set_status(LoadStatus::Degraded, Some(error));
        });
        self.spawn_recovery(first);
    }

    /// A client with one active session built from the `__session` cookie's claims, or
    /// `None` when there is no unexpired cookie token.
    #[cfg(feature = "degraded")]
    fn client_from_cookie(&self) -> Option<Client> {
        let raw = self.read_session_cookie()?;
        let token = SessionToken::decode(&raw).ok()?;
        let claims = token.claims();
        // Any script of the site can write the cookie: only a token with sane times stands
        // in for the session (see `plausible_times`), never one that claims to last forever.
        let now = self.server_now_ms();
        if claims.exp.saturating_mul(1000) <= now || !plausible_times(&token, now) {
            return None;
        }
        let sid = claims.sid.clone()?;
        let status = match claims.sts.as_deref() {
            Some("pending") => SessionStatus::Pending,
            _ => SessionStatus::Active,
        };
        let session = Session {
            id: sid.clone(),
            status,
            last_active_organization_id: claims.org.as_ref().map(|o| o.id.clone()),
            actor: claims.act.clone(),
            factor_verification_age: claims.fva,
            last_active_token: Some(Token { jwt: raw }),
            user: Some(std::rc::Rc::new(User {
                id: claims.sub.clone(),
                ..User::default()
            })),
            ..Session::default()
        };
        Some(Client {
            id: SYNTHETIC_CLIENT_ID.to_string(),
            last_active_session_id: Some(sid),
            sessions: vec![std::rc::Rc::new(session)],
            ..Client::default()
        })
    }

    /// Background retries after a degraded load, with exponential backoff (`first_ms`
    /// first; a `Retry-After` wins), until FAPI answers (then `Ready`), a permanent error, or
    /// shutdown. The browser's `online` event cuts the wait short (see [`Clerk::on_online`]).
    #[cfg(feature = "degraded")]
    fn spawn_recovery(&self, first_ms: u32) {
        let weak = self.weak();
        let sleep_clock = self.inner.platform.clock.clone();
        self.spawn(Box::pin(async move {
            let mut delay = first_ms;
            let mut backoff = RECOVERY_FIRST_MS;
            loop {
                let (wake, woken) = super::oneshot::channel::<()>();
                match Clerk::from_weak(&weak) {
                    Some(clerk) => *clerk.inner.degraded.recovery_wake.borrow_mut() = Some(wake),
                    None => return,
                }
                let mut sleep = sleep_clock.sleep(delay);
                // Whichever comes first: the backoff's end or a wake-up (`online`). A wake
                // handle dropped without a wake-up keeps the full wait (no early retry, and
                // never a busy loop). Polled by hand, the sleep first: no `select` panic path.
                let mut woken = Some(woken);
                std::future::poll_fn(|cx| {
                    if sleep.as_mut().poll(cx).is_ready() {
                        return Poll::Ready(());
                    }
                    match woken.as_mut().map(|w| std::pin::Pin::new(w).poll(cx)) {
                        Some(Poll::Ready(Ok(()))) => Poll::Ready(()),
                        Some(Poll::Ready(Err(_dropped))) => {
                            woken = None;
                            Poll::Pending
                        }
                        Some(Poll::Pending) | None => Poll::Pending,
                    }
                })
                .await;
                let Some(clerk) = Clerk::from_weak(&weak) else {
                    return;
                };
                clerk.inner.degraded.recovery_wake.borrow_mut().take();
                match clerk.recover_once().await {
                    Ok(()) => return,
                    Err(e) if is_transient(&e) => {
                        backoff = backoff.saturating_mul(2).min(RECOVERY_MAX_MS);
                        delay = recovery_delay(&e, backoff);
                        clerk.update(|s| s.error = Some(e));
                    }
                    Err(e) => {
                        clerk.update(|s| s.error = Some(e));
                        return;
                    }
                }
            }
        }));
    }

    /// The browser is back online: a degraded load retries now instead of at its next
    /// backoff step; a loaded one makes sure its token is fresh (a refresh may have failed
    /// while offline).
    #[cfg(feature = "degraded")]
    pub(crate) fn on_online(&self) {
        let wake = self.inner.degraded.recovery_wake.borrow_mut().take();
        if let Some(wake) = wake {
            let _ = wake.send(());
            return;
        }
        if self.state().status == LoadStatus::Ready && self.current_context().is_some() {
            let clerk = self.clone();
            self.spawn(Box::pin(async move {
                let _ = clerk.get_token(super::GetTokenOptions::default()).await;
            }));
        }
    }

    #[cfg(feature = "degraded")]
    async fn recover_once(&self) -> Result<(), ClerkError> {
        if self.is_development() && self.dev_browser_id().is_none() {
            self.with_timeout("/v1/dev_browser", self.setup_dev_browser())
                .await?;
        }
        if !self.inner.degraded.environment_fresh.get() {
            let env = self
                .with_timeout(
                    "/v1/environment",
                    self.fetch_environment(Prefetched::Ignore),
                )
                .await?;
            self.set_environment(env);
        }
        let epoch = self.inner.current.epoch();
        let client = self.fetch_client(Prefetched::Ignore).await?;
        if !self.inner.lifecycle.is_alive() {
            return Ok(());
        }
        self.observe_client_time(client.as_ref());
        // Signed out (or switched) meanwhile: this client predates that.
        let select = if self.inner.current.epoch() == epoch {
            Select::Keep
        } else {
            Select::Ignore
        };
        self.batch(|| {
            self.apply_client(client, select);
            self.set_status(LoadStatus::Ready, None);
        });
        Ok(())
    }
}

/// The wait before the next recovery round: `backoff_ms`, or longer when FAPI asked for it
/// with `Retry-After`.
#[cfg(feature = "degraded")]
fn recovery_delay(e: &ClerkError, backoff_ms: u32) -> u32 {
    retry_after_ms(e, RECOVERY_RETRY_AFTER_CAP_MS).map_or(backoff_ms, |ms| ms.max(backoff_ms))
}

/// Errors that mean "FAPI is unreachable or broken right now" (degrade and retry) rather than
/// "FAPI refused us" (fail): network, offline, 429, 5xx and unparseable 2xx bodies.
#[cfg(feature = "degraded")]
pub(crate) fn is_transient(e: &ClerkError) -> bool {
    e.is_retryable() || matches!(e, ClerkError::MalformedResponse { .. })
}

/// Runs `a` and `b` concurrently and gives both outputs (`futures_util::future::join`,
/// polled by hand: no "polled after value taken" panic path to link). Neither future is
/// polled again once it is done.
async fn join<A: Future, B: Future>(a: A, b: B) -> (A::Output, B::Output) {
    let (mut a, mut b) = (pin!(a), pin!(b));
    let (mut out_a, mut out_b) = (None, None);
    std::future::poll_fn(|cx| {
        if out_a.is_none() {
            if let Poll::Ready(v) = a.as_mut().poll(cx) {
                out_a = Some(v);
            }
        }
        if out_b.is_none() {
            if let Poll::Ready(v) = b.as_mut().poll(cx) {
                out_b = Some(v);
            }
        }
        match (out_a.take(), out_b.take()) {
            (Some(a), Some(b)) => Poll::Ready((a, b)),
            (a, b) => {
                (out_a, out_b) = (a, b);
                Poll::Pending
            }
        }
    })
    .await
}
