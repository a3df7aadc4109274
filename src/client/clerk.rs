//! The [`Clerk`] handle: snapshot updates, subscriptions and the public operations (their
//! bodies live in `load.rs`, `session_ops.rs`, `tab_sync.rs` and `fapi.rs`; the state they
//! share is `Inner`, in named parts, in `inner.rs`).

use std::rc::{Rc, Weak};

use super::inner::Inner;
use super::options::ClerkOptions;
use super::ports::{LocalFuture, Platform};
use super::state::{derive_session_fields, ClerkState, LoadStatus};
use super::token_cache::token_id;
use crate::core::key::{FapiEndpoint, PublishableKey};
use crate::core::models::Environment;
use crate::error::ClerkError;

/// Clock differences below this are treated as none.
const CLOCK_SKEW_TOLERANCE_MS: i64 = 10_000;

/// A subscriber callback.
pub type Listener = Rc<dyn Fn(Rc<ClerkState>)>;

/// The Clerk client of one page: load, state, tokens, sign-out, session switching.
///
/// Cheap to clone (an `Rc`); clones are the same instance (`==` compares identity).
#[derive(Clone)]
pub struct Clerk {
    pub(crate) inner: Rc<Inner>,
}

impl PartialEq for Clerk {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

impl std::fmt::Debug for Clerk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Clerk")
            .field("status", &self.inner.current.state.borrow().status)
            .finish_non_exhaustive()
    }
}

/// How [`Clerk::apply_client`] picks the current session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Select {
    /// Keep the current session while it is signed in (clerk-js `updateClient`); when there
    /// is none, take the client's last active one.
    Keep,
    /// Make this session current (set_active).
    Session(String),
    /// No current session (sign-out).
    SignedOut,
    /// Do not apply the client at all: it answers a request sent before the current session
    /// changed, so it is older than the state it would overwrite.
    Ignore,
}

impl Clerk {
    /// Creates the client. Never fails: an invalid key or proxy URL is reported by
    /// [`Clerk::load`] as [`LoadStatus::Failed`].
    pub fn new(options: ClerkOptions, platform: Platform) -> Clerk {
        let config = PublishableKey::parse(&options.publishable_key)
            .map_err(ClerkError::from)
            .and_then(require_dev_browser_feature)
            .and_then(|key| {
                let origin = platform.page.origin();
                let origin = (!origin.is_empty()).then_some(origin);
                FapiEndpoint::resolve(&key, options.proxy_url.as_deref(), origin.as_deref())
                    .map(|endpoint| (key, endpoint))
            });
        #[cfg(feature = "cross-tab")]
        let now = platform.clock.now_ms();
        let inner = Rc::new_cyclic(|_weak: &Weak<Inner>| {
            Inner::new(
                options,
                platform,
                config,
                #[cfg(feature = "cross-tab")]
                format!("{now:x}.{:x}", _weak.as_ptr() as usize),
            )
        });
        Clerk { inner }
    }

    /// The options this instance was created with.
    pub fn options(&self) -> &ClerkOptions {
        &self.inner.options
    }

    /// The current snapshot.
    pub fn state(&self) -> Rc<ClerkState> {
        self.inner.current.state.borrow().clone()
    }

    /// Calls `listener` with every new snapshot (not with the current one) until the returned
    /// [`Subscription`] is dropped.
    pub fn subscribe(&self, listener: Listener) -> Subscription {
        let id = self.inner.listeners.add(listener);
        Subscription {
            inner: Rc::downgrade(&self.inner),
            id,
        }
    }

    /// Stops every timer, listener and background task of this instance (the provider calls
    /// it on unmount). In-flight requests finish but change nothing. Idempotent.
    pub fn shutdown(&self) {
        self.inner.lifecycle.end();
        self.inner.tokens.next_generation();
        self.inner.load.abandon();
    }

    /// Whether `shutdown()` was called.
    pub fn is_shut_down(&self) -> bool {
        !self.inner.lifecycle.is_alive()
    }

    // ----- internals shared by the other modules -----

    pub(crate) fn weak(&self) -> Weak<Inner> {
        Rc::downgrade(&self.inner)
    }

    pub(crate) fn from_weak(weak: &Weak<Inner>) -> Option<Clerk> {
        let inner = weak.upgrade()?;
        inner.lifecycle.is_alive().then_some(Clerk { inner })
    }

    pub(crate) fn spawn(&self, task: LocalFuture<()>) {
        if self.inner.lifecycle.is_alive() {
            self.inner.platform.spawner.spawn(task);
        }
    }

    pub(crate) fn now_ms(&self) -> i64 {
        self.inner.platform.clock.now_ms()
    }

    /// FAPI's clock as estimated from the last freshly minted token: token times (`iat`,
    /// `exp`) are compared with this, so a wrong device clock neither makes every token look
    /// expired (a refresh loop) nor keeps expired ones alive.
    pub(crate) fn server_now_ms(&self) -> i64 {
        self.now_ms().saturating_add(self.inner.clock.skew_ms.get())
    }

    /// Records the device/FAPI clock difference from a token FAPI minted for a request we
    /// sent at `sent_ms` (device clock) and whose answer arrived now. FAPI minted it somewhere
    /// in between, so `iat` is compared with the midpoint and half the round trip is allowed
    /// on top of the tolerance (`iat` rounding, latency): a slow answer is not skew. Only
    /// timed requests count: a prefetched or stored body may be old, and its age would read
    /// as skew (making an expired token look fresh).
    pub(crate) fn observe_server_time(
        &self,
        token: &crate::core::claims::SessionToken,
        sent_ms: i64,
    ) {
        let received = self.now_ms();
        let half_trip = received.saturating_sub(sent_ms).max(0) / 2;
        let midpoint = sent_ms.saturating_add(half_trip);
        let skew = token
            .claims()
            .iat
            .saturating_mul(1000)
            .saturating_sub(midpoint);
        let tolerance = CLOCK_SKEW_TOLERANCE_MS.saturating_add(half_trip);
        self.inner
            .clock
            .skew_ms
            .set(if skew.unsigned_abs() > tolerance.unsigned_abs() {
                skew
            } else {
                0
            });
    }

    /// Marks load as started; false when it already was.
    pub(crate) fn begin_load(&self) -> bool {
        self.inner.load.begin()
    }

    /// Resolves when load finished (immediately when it has). Starts it when nobody did, so
    /// `get_token` before `load()` does not wait forever.
    pub(crate) async fn wait_loaded(&self) {
        if self.state().status != LoadStatus::Loading {
            return;
        }
        if !self.inner.load.is_started() {
            self.load().await;
            return;
        }
        self.wait_load_event().await;
    }

    /// Waits for the load in progress to finish.
    pub(crate) async fn wait_load_event(&self) {
        if self.state().status != LoadStatus::Loading || !self.inner.lifecycle.is_alive() {
            return;
        }
        let rx = self.inner.load.wait();
        // A dropped sender (shutdown) also ends the wait.
        let _ = rx.await;
    }

    pub(crate) fn finish_load(&self) {
        self.inner.load.open();
    }

    /// Replaces the snapshot with `f(current)` plus re-derived session fields and claims,
    /// and notifies subscribers when it differs.
    pub(crate) fn update(&self, f: impl FnOnce(&mut ClerkState)) {
        let mut next = (*self.state()).clone();
        f(&mut next);
        self.commit(next);
    }

    /// The part of [`Clerk::update`] that does not depend on its closure, out of line: it
    /// is compiled once instead of once per call site (measured on the wasm size).
    #[inline(never)]
    fn commit(&self, mut next: ClerkState) {
        let current = self.inner.current.session_id.borrow().clone();
        let old = self.state();
        let (session, user, organization) =
            derive_session_fields(next.client.as_ref(), current.as_deref(), &old);
        next.claims = session.as_ref().and_then(|s| {
            let key = token_id(&s.id, None, s.last_active_organization_id.as_deref());
            self.inner
                .tokens
                .cache
                .borrow()
                .peek(&key)
                .map(|t| Rc::new(t.claims().clone()))
        });
        next.session = session;
        next.user = user;
        next.organization = organization;
        // Identity is enough: whoever sets the client or the environment keeps the old `Rc`
        // for equal contents (`apply_client`, `set_environment`).
        if next.same_as(&old) {
            return;
        }
        let next = Rc::new(next);
        *self.inner.current.state.borrow_mut() = next.clone();
        if self.inner.listeners.defer() {
            return;
        }
        self.notify(next);
    }

    /// Runs `f` with notifications held back, then notifies once if the state changed:
    /// a multi-step transition (environment + client + status at load, sign-out) reaches
    /// subscribers as one snapshot.
    pub(crate) fn batch<R>(&self, f: impl FnOnce() -> R) -> R {
        let depth = self.inner.listeners.open_batch();
        let result = f();
        if self.inner.listeners.close_batch(depth) {
            self.notify(self.state());
        }
        result
    }

    fn notify(&self, next: Rc<ClerkState>) {
        if !self.inner.lifecycle.is_alive() {
            return;
        }
        for l in self.inner.listeners.all() {
            l(next.clone());
        }
    }

    /// Sets the environment, keeping the held `Rc` when the contents are equal (compared
    /// deeply once here; snapshots compare it by identity).
    pub(crate) fn set_environment(&self, env: Environment) {
        self.update(|s| {
            if s.environment.as_deref() != Some(&env) {
                s.environment = Some(Rc::new(env));
            }
        });
    }

    /// Sets status and error.
    pub(crate) fn set_status(&self, status: LoadStatus, error: Option<ClerkError>) {
        self.update(|s| {
            s.status = status;
            s.error = error;
        });
    }

    /// The session id and organization of the current session.
    pub(crate) fn current_context(&self) -> Option<(String, Option<String>)> {
        let state = self.state();
        let session = state.session.as_ref()?;
        Some((
            session.id.clone(),
            session
                .last_active_organization_id
                .clone()
                .filter(|o| !o.is_empty()),
        ))
    }

    /// The cache key of the current session's token for its active organization.
    pub(crate) fn active_token_id(&self) -> Option<String> {
        self.current_context()
            .map(|(sid, org)| token_id(&sid, None, org.as_deref()))
    }
}

/// A development key needs the dev browser: without the `dev-browser` feature such a key is a
/// configuration error that says how to fix it (the key itself is not repeated).
#[cfg(feature = "dev-browser")]
fn require_dev_browser_feature(key: PublishableKey) -> Result<PublishableKey, ClerkError> {
    Ok(key)
}

#[cfg(not(feature = "dev-browser"))]
fn require_dev_browser_feature(key: PublishableKey) -> Result<PublishableKey, ClerkError> {
    if key.is_development() {
        return Err(ClerkError::Config(
            "a development key (pk_test_) needs the `dev-browser` feature of yew-clerk: enable it in Cargo.toml (it is on by default), or use a production key (pk_live_)".into(),
        ));
    }
    Ok(key)
}

/// Keeps a [`Clerk::subscribe`] listener registered; dropping it unsubscribes.
pub struct Subscription {
    inner: Weak<Inner>,
    id: u64,
}

impl std::fmt::Debug for Subscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subscription")
            .field("id", &self.id)
            .finish()
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(inner) = self.inner.upgrade() {
            inner.listeners.remove(self.id);
        }
    }
}
