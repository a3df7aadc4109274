//! The [`Clerk`] handle: shared state, subscriptions and the public operations (their bodies
//! live in `load.rs`, `session_ops.rs`, `tab_sync.rs` and `fapi.rs`).

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use futures_channel::oneshot;

use super::options::ClerkOptions;
use super::ports::{LocalFuture, Platform};
use super::state::{derive_session_fields, ClerkState, LoadStatus};
use super::token_cache::{token_id, TokenCache};
use crate::core::key::{FapiEndpoint, PublishableKey};
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
            .field("status", &self.inner.state.borrow().status)
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

pub(crate) struct Inner {
    pub(crate) options: ClerkOptions,
    pub(crate) platform: Platform,
    /// The parsed key and FAPI address, or why they are unusable.
    pub(crate) config: Result<(PublishableKey, FapiEndpoint), ClerkError>,
    pub(crate) state: RefCell<Rc<ClerkState>>,
    /// Id of the current session (also in `state.session`, kept apart so it survives a
    /// snapshot that was not replaced).
    pub(crate) current: RefCell<Option<String>>,
    subscribers: RefCell<Vec<(u64, Listener)>>,
    /// Nesting of [`Clerk::batch`] and whether the state changed inside it.
    batch_depth: Cell<u32>,
    batch_dirty: Cell<bool>,
    next_subscriber: Cell<u64>,
    pub(crate) tokens: RefCell<TokenCache>,
    /// The development-instance dev-browser id (`__clerk_db_jwt`).
    pub(crate) dev_browser: RefCell<Option<String>>,
    /// Callers waiting for a dev browser being created (`Some` while one is).
    #[cfg(feature = "dev-browser")]
    pub(crate) dev_browser_waiters: RefCell<Option<Vec<oneshot::Sender<()>>>>,
    load_started: Cell<bool>,
    load_waiters: RefCell<Vec<oneshot::Sender<()>>>,
    /// False after `shutdown()`: background tasks check it after every await.
    pub(crate) alive: Cell<bool>,
    /// Listener guards (broadcast, focus); dropped by `shutdown()`.
    pub(crate) guards: RefCell<Vec<Box<dyn Any>>>,
    /// When the session was last touched on focus (throttle).
    #[cfg(feature = "focus-touch")]
    pub(crate) last_touch_ms: Cell<Option<i64>>,
    /// Bumped whenever the active token changes: a refresh timer of an older generation
    /// exits when it wakes.
    pub(crate) refresh_generation: Cell<u64>,
    /// Raw JWT the cookie / claims / timer were last synchronised with.
    pub(crate) synced_token: RefCell<Option<String>>,
    /// Identifies this tab in the refresh lock.
    #[cfg(feature = "cross-tab")]
    pub(crate) tab_id: String,
    /// FAPI time minus device time (see [`Clerk::server_now_ms`]).
    pub(crate) clock_skew_ms: Cell<i64>,
    /// Set when the prefetched responses must not be used (the dev browser changed).
    #[cfg(feature = "prefetch")]
    pub(crate) skip_prefetch: Cell<bool>,
    /// Whether the environment came from FAPI (not the snapshot) in this page's life.
    #[cfg(feature = "degraded")]
    pub(crate) environment_fresh: Cell<bool>,
    /// Device times (sent, received) of the last `/v1/client` we fetched ourselves, for
    /// [`Clerk::observe_client_time`]; `None` after a prefetched one (its age is unknown).
    pub(crate) client_timing: Cell<Option<(i64, i64)>>,
    /// Bumped whenever the current session changes (sign-out, switch, session ended): a
    /// response to a request sent under an older epoch must not re-select a session.
    pub(crate) session_epoch: Cell<u64>,
    /// Coalesces other tabs' sign-out messages (see `Clerk::on_tab_sign_out`).
    #[cfg(feature = "cross-tab")]
    pub(crate) tab_sign_out: Cell<super::tab_sync::TabSignOut>,
    /// Wakes the degraded-mode recovery loop early (the browser came back online).
    #[cfg(feature = "degraded")]
    pub(crate) recovery_wake: RefCell<Option<oneshot::Sender<()>>>,
    /// The key's cookie-name suffix (SHA-1 + base64 of the key), computed once.
    pub(crate) cookie_suffix: std::cell::OnceCell<Option<String>>,
    /// Whether schema drift was already reported (once per engine: see `Clerk::reading`).
    pub(crate) drift_reported: Cell<bool>,
    /// The app's router for same-origin navigations (see `router.rs`).
    pub(crate) router: RefCell<Option<Rc<dyn super::router::Router>>>,
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
        let inner = Rc::new_cyclic(|_weak: &Weak<Inner>| Inner {
            #[cfg(feature = "cross-tab")]
            tab_id: format!("{now:x}.{:x}", _weak.as_ptr() as usize),
            options,
            platform,
            config,
            state: RefCell::new(Rc::new(ClerkState::default())),
            current: RefCell::new(None),
            subscribers: RefCell::new(Vec::new()),
            batch_depth: Cell::new(0),
            batch_dirty: Cell::new(false),
            next_subscriber: Cell::new(0),
            tokens: RefCell::new(TokenCache::default()),
            dev_browser: RefCell::new(None),
            #[cfg(feature = "dev-browser")]
            dev_browser_waiters: RefCell::new(None),
            load_started: Cell::new(false),
            load_waiters: RefCell::new(Vec::new()),
            alive: Cell::new(true),
            guards: RefCell::new(Vec::new()),
            #[cfg(feature = "focus-touch")]
            last_touch_ms: Cell::new(None),
            refresh_generation: Cell::new(0),
            synced_token: RefCell::new(None),
            #[cfg(feature = "degraded")]
            environment_fresh: Cell::new(false),
            drift_reported: Cell::new(false),
            #[cfg(feature = "prefetch")]
            skip_prefetch: Cell::new(false),
            clock_skew_ms: Cell::new(0),
            #[cfg(feature = "degraded")]
            recovery_wake: RefCell::new(None),
            #[cfg(feature = "cross-tab")]
            tab_sign_out: Cell::new(super::tab_sync::TabSignOut::Idle),
            client_timing: Cell::new(None),
            session_epoch: Cell::new(0),
            cookie_suffix: std::cell::OnceCell::new(),
            router: RefCell::new(None),
        });
        Clerk { inner }
    }

    /// The options this instance was created with.
    pub fn options(&self) -> &ClerkOptions {
        &self.inner.options
    }

    /// The current snapshot.
    pub fn state(&self) -> Rc<ClerkState> {
        self.inner.state.borrow().clone()
    }

    /// Calls `listener` with every new snapshot (not with the current one) until the returned
    /// [`Subscription`] is dropped.
    pub fn subscribe(&self, listener: Listener) -> Subscription {
        let id = self.inner.next_subscriber.get() + 1;
        self.inner.next_subscriber.set(id);
        self.inner.subscribers.borrow_mut().push((id, listener));
        Subscription {
            inner: Rc::downgrade(&self.inner),
            id,
        }
    }

    /// Stops every timer, listener and background task of this instance (the provider calls
    /// it on unmount). In-flight requests finish but change nothing. Idempotent.
    pub fn shutdown(&self) {
        self.inner.alive.set(false);
        self.inner
            .refresh_generation
            .set(self.inner.refresh_generation.get() + 1);
        let guards = std::mem::take(&mut *self.inner.guards.borrow_mut());
        drop(guards);
        let waiters = std::mem::take(&mut *self.inner.load_waiters.borrow_mut());
        drop(waiters);
    }

    /// Whether `shutdown()` was called.
    pub fn is_shut_down(&self) -> bool {
        !self.inner.alive.get()
    }

    // ----- internals shared by the other modules -----

    pub(crate) fn weak(&self) -> Weak<Inner> {
        Rc::downgrade(&self.inner)
    }

    pub(crate) fn from_weak(weak: &Weak<Inner>) -> Option<Clerk> {
        let inner = weak.upgrade()?;
        inner.alive.get().then_some(Clerk { inner })
    }

    pub(crate) fn spawn(&self, task: LocalFuture<()>) {
        if self.inner.alive.get() {
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
        self.now_ms().saturating_add(self.inner.clock_skew_ms.get())
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
            .clock_skew_ms
            .set(if skew.unsigned_abs() > tolerance.unsigned_abs() {
                skew
            } else {
                0
            });
    }

    /// Marks load as started; false when it already was.
    pub(crate) fn begin_load(&self) -> bool {
        !self.inner.load_started.replace(true)
    }

    /// Resolves when load finished (immediately when it has). Starts it when nobody did, so
    /// `get_token` before `load()` does not wait forever.
    pub(crate) async fn wait_loaded(&self) {
        if self.state().status != LoadStatus::Loading {
            return;
        }
        if !self.inner.load_started.get() {
            self.load().await;
            return;
        }
        self.wait_load_event().await;
    }

    /// Waits for the load in progress to finish.
    pub(crate) async fn wait_load_event(&self) {
        if self.state().status != LoadStatus::Loading || !self.inner.alive.get() {
            return;
        }
        let (tx, rx) = oneshot::channel();
        self.inner.load_waiters.borrow_mut().push(tx);
        // A dropped sender (shutdown) also ends the wait.
        let _ = rx.await;
    }

    pub(crate) fn finish_load(&self) {
        let waiters = std::mem::take(&mut *self.inner.load_waiters.borrow_mut());
        for w in waiters {
            let _ = w.send(());
        }
    }

    /// Replaces the snapshot with `f(current)` plus re-derived session fields and claims,
    /// and notifies subscribers when it differs.
    pub(crate) fn update(&self, f: impl FnOnce(&mut ClerkState)) {
        let mut next = (*self.state()).clone();
        f(&mut next);
        let current = self.inner.current.borrow().clone();
        let (session, user, organization) =
            derive_session_fields(next.client.as_ref(), current.as_deref());
        next.claims = session.as_ref().and_then(|s| {
            let key = token_id(&s.id, None, s.last_active_organization_id.as_deref());
            self.inner
                .tokens
                .borrow()
                .peek(&key)
                .map(|t| Rc::new(t.claims().clone()))
        });
        next.session = session;
        next.user = user;
        next.organization = organization;
        // Keep the same Rc for unchanged parts so consumers can compare cheaply.
        let old = self.state();
        if next.client == old.client {
            next.client = old.client.clone();
        }
        if next.environment == old.environment {
            next.environment = old.environment.clone();
        }
        if next == *old {
            return;
        }
        let next = Rc::new(next);
        *self.inner.state.borrow_mut() = next.clone();
        if self.inner.batch_depth.get() > 0 {
            self.inner.batch_dirty.set(true);
            return;
        }
        self.notify(next);
    }

    /// Runs `f` with notifications held back, then notifies once if the state changed:
    /// a multi-step transition (environment + client + status at load, sign-out) reaches
    /// subscribers as one snapshot.
    pub(crate) fn batch<R>(&self, f: impl FnOnce() -> R) -> R {
        let depth = self.inner.batch_depth.get();
        self.inner.batch_depth.set(depth + 1);
        let result = f();
        self.inner.batch_depth.set(depth);
        if depth == 0 && self.inner.batch_dirty.replace(false) {
            self.notify(self.state());
        }
        result
    }

    fn notify(&self, next: Rc<ClerkState>) {
        if !self.inner.alive.get() {
            return;
        }
        let listeners: Vec<Listener> = self
            .inner
            .subscribers
            .borrow()
            .iter()
            .map(|(_, l)| l.clone())
            .collect();
        for l in listeners {
            l(next.clone());
        }
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
            inner
                .subscribers
                .borrow_mut()
                .retain(|(id, _)| *id != self.id);
        }
    }
}
