//! The engine's shared state ([`Inner`], behind every [`Clerk`](super::Clerk) clone), in named
//! parts: one small struct per concern, saying what it owns and which module writes it. A
//! part that exists only with a cargo feature is a single `#[cfg]` field of [`Inner`]. Parts
//! with an invariant (batching, the load gate, the refresh generation) are changed through
//! their methods, not by setting their cells.

use std::any::Any;
use std::cell::{Cell, OnceCell, RefCell};
use std::rc::Rc;

use super::oneshot;

use super::clerk::Listener;
use super::options::ClerkOptions;
use super::ports::Platform;
use super::state::ClerkState;
use super::token_cache::TokenCache;
use crate::core::key::{FapiEndpoint, PublishableKey};
use crate::error::ClerkError;

pub(crate) struct Inner {
    pub(crate) options: ClerkOptions,
    pub(crate) platform: Platform,
    /// The parsed key and FAPI address, or why they are unusable.
    pub(crate) config: Result<(PublishableKey, FapiEndpoint), ClerkError>,
    pub(crate) current: Current,
    pub(crate) listeners: Listeners,
    pub(crate) load: LoadGate,
    pub(crate) tokens: TokenState,
    pub(crate) lifecycle: Lifecycle,
    pub(crate) clock: ClockSkew,
    pub(crate) once: Once,
    pub(crate) router: RouterSlot,
    #[cfg(feature = "dev-browser")]
    pub(crate) dev_browser: DevBrowser,
    #[cfg(feature = "cross-tab")]
    pub(crate) tab: TabSync,
    #[cfg(feature = "focus-touch")]
    pub(crate) focus: FocusTouch,
    #[cfg(feature = "prefetch")]
    pub(crate) prefetch: PrefetchGate,
    #[cfg(feature = "degraded")]
    pub(crate) degraded: Degraded,
}

impl Inner {
    /// The state of a new engine: loading, signed out, nothing cached. `tab_id` names this tab
    /// in the cross-tab refresh lock.
    pub(crate) fn new(
        options: ClerkOptions,
        platform: Platform,
        config: Result<(PublishableKey, FapiEndpoint), ClerkError>,
        #[cfg(feature = "cross-tab")] tab_id: String,
    ) -> Inner {
        Inner {
            options,
            platform,
            config,
            current: Current::default(),
            listeners: Listeners::default(),
            load: LoadGate::default(),
            tokens: TokenState::default(),
            lifecycle: Lifecycle::default(),
            clock: ClockSkew::default(),
            once: Once::default(),
            router: RouterSlot::default(),
            #[cfg(feature = "dev-browser")]
            dev_browser: DevBrowser::default(),
            #[cfg(feature = "cross-tab")]
            tab: TabSync {
                id: tab_id,
                sign_out: Cell::new(super::tab_sync::TabSignOut::Idle),
            },
            #[cfg(feature = "focus-touch")]
            focus: FocusTouch::default(),
            #[cfg(feature = "prefetch")]
            prefetch: PrefetchGate::default(),
            #[cfg(feature = "degraded")]
            degraded: Degraded::default(),
        }
    }
}

/// The published snapshot and the current session. `Clerk::update` replaces the snapshot;
/// `Clerk::apply_client` (`apply.rs`) alone picks the session and bumps the epoch.
#[derive(Default)]
pub(crate) struct Current {
    /// The snapshot subscribers were (or are about to be) given.
    pub(crate) state: RefCell<Rc<ClerkState>>,
    /// Id of the current session (also in `state.session`, kept apart so it survives a
    /// snapshot that was not replaced).
    pub(crate) session_id: RefCell<Option<String>>,
    /// Bumped whenever the current session changes (sign-out, switch, session ended): a
    /// response to a request sent under an older epoch must not re-select a session.
    epoch: Cell<u64>,
}

impl Current {
    pub(crate) fn epoch(&self) -> u64 {
        self.epoch.get()
    }

    /// Makes `next` the current session; a change starts a new epoch.
    pub(crate) fn select(&self, next: Option<String>) {
        if *self.session_id.borrow() != next {
            self.epoch.set(self.epoch.get().wrapping_add(1));
        }
        *self.session_id.borrow_mut() = next;
    }
}

/// Subscribers and batching: `Clerk::subscribe` / `Subscription::drop` add and remove,
/// `Clerk::update` and `Clerk::batch` (`clerk.rs`) hold notifications back inside a batch.
#[derive(Default)]
pub(crate) struct Listeners {
    subscribers: RefCell<Vec<(u64, Listener)>>,
    next_id: Cell<u64>,
    /// Nesting of `Clerk::batch`.
    depth: Cell<u32>,
    /// Whether the state changed inside the open batch.
    dirty: Cell<bool>,
}

impl Listeners {
    /// Registers `listener`; returns its id for [`Listeners::remove`].
    pub(crate) fn add(&self, listener: Listener) -> u64 {
        let id = self.next_id.get() + 1;
        self.next_id.set(id);
        self.subscribers.borrow_mut().push((id, listener));
        id
    }

    pub(crate) fn remove(&self, id: u64) {
        self.subscribers.borrow_mut().retain(|(i, _)| *i != id);
    }

    /// The listeners now (a copy: a listener may subscribe or unsubscribe while called).
    pub(crate) fn all(&self) -> Vec<Listener> {
        self.subscribers
            .borrow()
            .iter()
            .map(|(_, l)| l.clone())
            .collect()
    }

    /// Inside a batch: records that the state changed and returns true (the batch notifies
    /// when it closes); outside one: false (notify now).
    pub(crate) fn defer(&self) -> bool {
        if self.depth.get() > 0 {
            self.dirty.set(true);
            return true;
        }
        false
    }

    /// Opens a (possibly nested) batch; pass the result to [`Listeners::close_batch`].
    pub(crate) fn open_batch(&self) -> u32 {
        let depth = self.depth.get();
        self.depth.set(depth + 1);
        depth
    }

    /// Closes the batch opened at `depth`: true when it was the outermost one and the state
    /// changed inside it (then the caller notifies once).
    pub(crate) fn close_batch(&self, depth: u32) -> bool {
        self.depth.set(depth);
        depth == 0 && self.dirty.replace(false)
    }
}

/// Load progress: whether `load()` started and who waits for it to finish (`load.rs`,
/// `Clerk::wait_loaded` / `finish_load` in `clerk.rs`).
#[derive(Default)]
pub(crate) struct LoadGate {
    started: Cell<bool>,
    waiters: RefCell<Vec<oneshot::Sender<()>>>,
}

impl LoadGate {
    /// Marks load as started; false when it already was.
    pub(crate) fn begin(&self) -> bool {
        !self.started.replace(true)
    }

    pub(crate) fn is_started(&self) -> bool {
        self.started.get()
    }

    /// A receiver that resolves when load finishes (or errs when the gate is dropped by
    /// shutdown).
    pub(crate) fn wait(&self) -> oneshot::Receiver<()> {
        let (tx, rx) = oneshot::channel();
        self.waiters.borrow_mut().push(tx);
        rx
    }

    /// Wakes every waiter (load finished).
    pub(crate) fn open(&self) {
        let waiters = std::mem::take(&mut *self.waiters.borrow_mut());
        for w in waiters {
            let _ = w.send(());
        }
    }

    /// Drops every waiter without waking it (shutdown: their waits end).
    pub(crate) fn abandon(&self) {
        let waiters = std::mem::take(&mut *self.waiters.borrow_mut());
        drop(waiters);
    }
}

/// Tokens: the cache (`tokens.rs`, `apply.rs`, `tab_sync.rs`, `session_ops.rs`), the refresh
/// timer's generation and the token the cookie / claims / timer were last synchronised with
/// (`Clerk::sync_active_token`, `Clerk::schedule_refresh`).
#[derive(Default)]
pub(crate) struct TokenState {
    pub(crate) cache: RefCell<TokenCache>,
    /// Bumped whenever the active token changes: a refresh timer of an older generation
    /// exits when it wakes.
    generation: Cell<u64>,
    /// Raw JWT the cookie / claims / timer were last synchronised with.
    synced: RefCell<Option<String>>,
}

impl TokenState {
    pub(crate) fn generation(&self) -> u64 {
        self.generation.get()
    }

    /// Starts a new refresh generation (ending the timers of older ones) and returns it.
    pub(crate) fn next_generation(&self) -> u64 {
        let generation = self.generation.get() + 1;
        self.generation.set(generation);
        generation
    }

    /// Records `raw` as the synchronised token; false when it already was.
    pub(crate) fn sync(&self, raw: Option<String>) -> bool {
        if *self.synced.borrow() == raw {
            return false;
        }
        *self.synced.borrow_mut() = raw;
        true
    }
}

/// Whether the engine runs, and what `shutdown()` stops: background tasks check
/// [`Lifecycle::is_alive`] after every await; the listener guards (broadcast, focus, online)
/// are pushed by `Clerk::listen` (`tab_sync.rs`) and dropped by `Clerk::shutdown`.
pub(crate) struct Lifecycle {
    alive: Cell<bool>,
    guards: RefCell<Vec<Box<dyn Any>>>,
}

impl Default for Lifecycle {
    fn default() -> Self {
        Lifecycle {
            alive: Cell::new(true),
            guards: RefCell::new(Vec::new()),
        }
    }
}

impl Lifecycle {
    pub(crate) fn is_alive(&self) -> bool {
        self.alive.get()
    }

    /// Keeps a listener registration until shutdown (none without the features that listen).
    #[cfg_attr(
        not(any(feature = "cross-tab", feature = "focus-touch", feature = "degraded")),
        allow(dead_code)
    )]
    pub(crate) fn keep(&self, guard: Box<dyn Any>) {
        self.guards.borrow_mut().push(guard);
    }

    /// Marks the engine stopped and drops the guards (unregistering their listeners).
    pub(crate) fn end(&self) {
        self.alive.set(false);
        let guards = std::mem::take(&mut *self.guards.borrow_mut());
        drop(guards);
    }
}

/// The device/FAPI clock difference, written by `Clerk::observe_server_time` (`clerk.rs`)
/// from the timing `Clerk::fetch_client` (`load.rs`) records.
#[derive(Default)]
pub(crate) struct ClockSkew {
    /// FAPI time minus device time (see `Clerk::server_now_ms`).
    pub(crate) skew_ms: Cell<i64>,
    /// Device times (sent, received) of the last `/v1/client` we fetched ourselves, for
    /// `Clerk::observe_client_time`; `None` after a prefetched one (its age is unknown).
    pub(crate) client_timing: Cell<Option<(i64, i64)>>,
}

/// Things computed or done once per engine.
#[derive(Default)]
pub(crate) struct Once {
    /// The key's cookie-name suffix (SHA-1 + base64 of the key; `cookies.rs`).
    pub(crate) cookie_suffix: OnceCell<Option<String>>,
    /// Whether schema drift was already reported (see `Clerk::reading` in `fapi.rs`).
    pub(crate) drift_reported: Cell<bool>,
}

/// The app's router for same-origin navigations, set by `Clerk::set_router` (`router.rs`).
#[derive(Default)]
pub(crate) struct RouterSlot(RefCell<Option<Rc<dyn super::router::Router>>>);

impl RouterSlot {
    pub(crate) fn get(&self) -> Option<Rc<dyn super::router::Router>> {
        self.0.borrow().clone()
    }

    pub(crate) fn set(&self, router: Option<Rc<dyn super::router::Router>>) {
        *self.0.borrow_mut() = router;
    }
}

/// The development dev browser (`__clerk_db_jwt`), written only by `dev_browser.rs`; read
/// through `Clerk::dev_browser_id`.
#[cfg(feature = "dev-browser")]
#[derive(Default)]
pub(crate) struct DevBrowser {
    pub(crate) id: RefCell<Option<String>>,
    /// Callers waiting for a dev browser being created (`Some` while one is).
    pub(crate) waiters: RefCell<Option<Vec<oneshot::Sender<()>>>>,
}

/// Cross-tab sync (`tab_sync.rs`).
#[cfg(feature = "cross-tab")]
pub(crate) struct TabSync {
    /// Identifies this tab in the refresh lock.
    pub(crate) id: String,
    /// Coalesces other tabs' sign-out messages (see `Clerk::on_tab_sign_out`).
    pub(crate) sign_out: Cell<super::tab_sync::TabSignOut>,
}

/// Touching the session when the page regains focus (`Clerk::on_focus`, `session_ops.rs`).
#[cfg(feature = "focus-touch")]
#[derive(Default)]
pub(crate) struct FocusTouch {
    /// When the session was last touched on focus.
    last_ms: Cell<Option<i64>>,
}

#[cfg(feature = "focus-touch")]
impl FocusTouch {
    /// Whether to touch now: not when `throttle` applies and the last touch was less than
    /// `interval_ms` ago. A touch that goes ahead is recorded at `now`.
    pub(crate) fn claim(&self, now: i64, throttle: bool, interval_ms: i64) -> bool {
        let throttled = throttle && self.last_ms.get().is_some_and(|t| now - t < interval_ms);
        if !throttled {
            self.last_ms.set(Some(now));
        }
        !throttled
    }
}

/// Adoption of the page's prefetched responses (`load.rs`); `dev_browser.rs` turns it off.
#[cfg(feature = "prefetch")]
#[derive(Default)]
pub(crate) struct PrefetchGate {
    /// Set when the prefetched responses must not be used (the dev browser changed).
    skip: Cell<bool>,
}

#[cfg(feature = "prefetch")]
impl PrefetchGate {
    /// Only the dev browser turns adoption off.
    #[cfg_attr(not(feature = "dev-browser"), allow(dead_code))]
    pub(crate) fn skip(&self) {
        self.skip.set(true);
    }

    pub(crate) fn is_skipped(&self) -> bool {
        self.skip.get()
    }
}

/// Degraded mode and its recovery loop (`load.rs`).
#[cfg(feature = "degraded")]
#[derive(Default)]
pub(crate) struct Degraded {
    /// Whether the environment came from FAPI (not the snapshot) in this page's life.
    pub(crate) environment_fresh: Cell<bool>,
    /// Wakes the recovery loop early (the browser came back online).
    pub(crate) recovery_wake: RefCell<Option<oneshot::Sender<()>>>,
}
