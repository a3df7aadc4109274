//! What a provider shares with the hooks: one [`Store`] in one Yew context, holding the
//! provider's values split into slices like clerk-react v5's contexts, so that a component
//! re-renders only when a slice it reads changed.
//!
//! | slice | read by | changes when |
//! | --- | --- | --- |
//! | [`AuthSnapshot`] | `use_auth`, `SignedIn`, `SignedOut`, `Protect`, `Show` | sign-in/out, session or organization switch, a claim change (never on a plain token refresh) |
//! | [`UserContext`] | `use_user`, `use_organization`, `use_organization_list` | the user object changed |
//! | [`SessionContext`] | `use_session`, `use_organization` | the current session changed |
//! | [`SessionListContext`] | `use_session_list` | the client's sessions changed |
//! | [`ClerkContext`] | `use_clerk`, `use_auth`, the flow hooks, `ClerkLoaded`, `ClerkFailed`, … | load status, error or environment changed |
//!
//! Why one store instead of one `ContextProvider` per slice: every `ContextProvider<T>` is a
//! component type of its own, and its Yew lifecycle code is compiled once per `T` (measured
//! with `tools/size/measure.sh`; see `docs/ARCHITECTURE.md`). The store's identity never
//! changes, so the context itself never re-renders anyone; [`Store::set`] compares each slice
//! (`PartialEq`) and wakes only the hooks subscribed to a slice that changed. The slices that
//! hold models (user, session, sessions, environment) compare them by `Rc` identity: the
//! engine keeps an unchanged model's `Rc` across re-reads (see `ClerkState::same_as`), so
//! identity says what `==` would, without the deep comparison of ~190 fields in the wasm.

use std::cell::{Cell, Ref, RefCell};
use std::rc::{Rc, Weak};

use ::yew::prelude::*;

use super::instance::ClerkInstance;
use crate::client::state::same_rc;
use crate::client::{AuthSnapshot, ClerkState, LoadStatus};
use crate::core::models::{Client, Environment, Session, User};
use crate::error::ClerkError;

/// The user of the current session (`use_user`). `==` compares the user by identity.
#[derive(Debug, Clone)]
pub(crate) struct UserContext {
    /// Whether loading finished.
    pub is_loaded: bool,
    /// The user, when signed in.
    pub user: Option<Rc<User>>,
}

/// The current session (`use_session`). `==` compares the session by identity.
#[derive(Debug, Clone)]
pub(crate) struct SessionContext {
    /// Whether loading finished.
    pub is_loaded: bool,
    /// The current (`active` or `pending`) session.
    pub session: Option<Rc<Session>>,
}

/// The client's signed-in sessions (`use_session_list`). `==` compares the sessions by
/// identity, one by one.
#[derive(Debug, Clone)]
pub(crate) struct SessionListContext {
    /// Whether loading finished.
    pub is_loaded: bool,
    /// Sessions with status `active` or `pending`, in the client's order (the client's own
    /// `Rc`s).
    pub sessions: Rc<Vec<Rc<Session>>>,
}

/// Load status, error and environment plus the [`ClerkInstance`] (`use_clerk`). `==`
/// compares the environment by identity.
#[derive(Debug, Clone)]
pub(crate) struct ClerkContext {
    /// The action handle (identity comparison).
    pub instance: ClerkInstance,
    /// Load status.
    pub status: LoadStatus,
    /// `Failed`: why; `Degraded`: what fell back.
    pub error: Option<ClerkError>,
    /// The instance's environment, once fetched.
    pub environment: Option<Rc<Environment>>,
}

impl PartialEq for UserContext {
    fn eq(&self, other: &Self) -> bool {
        self.is_loaded == other.is_loaded && same_rc(&self.user, &other.user)
    }
}

impl PartialEq for SessionContext {
    fn eq(&self, other: &Self) -> bool {
        self.is_loaded == other.is_loaded && same_rc(&self.session, &other.session)
    }
}

impl PartialEq for SessionListContext {
    fn eq(&self, other: &Self) -> bool {
        self.is_loaded == other.is_loaded
            && self.sessions.len() == other.sessions.len()
            && self
                .sessions
                .iter()
                .zip(other.sessions.iter())
                .all(|(a, b)| Rc::ptr_eq(a, b))
    }
}

impl PartialEq for ClerkContext {
    fn eq(&self, other: &Self) -> bool {
        self.instance == other.instance
            && self.status == other.status
            && self.error == other.error
            && same_rc(&self.environment, &other.environment)
    }
}

/// Every slice of one provider.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ProviderValues {
    pub auth: AuthSnapshot,
    pub user: UserContext,
    pub session: SessionContext,
    pub sessions: SessionListContext,
    pub clerk: ClerkContext,
}

impl ProviderValues {
    /// The loading state.
    pub(crate) fn loading(instance: ClerkInstance) -> Self {
        Self::from_state(instance, &ClerkState::default(), true)
    }

    /// The values for a snapshot of the engine; `treat_pending_as_signed_out` is the
    /// provider prop of that name.
    pub(crate) fn from_state(
        instance: ClerkInstance,
        state: &ClerkState,
        treat_pending_as_signed_out: bool,
    ) -> Self {
        let is_loaded = state.is_loaded();
        let pick = |v: Option<Rc<Session>>| if is_loaded { v } else { None };
        let user = if is_loaded { state.user.clone() } else { None };
        let sessions = match (&state.client, is_loaded) {
            (Some(c), true) => signed_in_sessions(c),
            _ => Vec::new(),
        };
        ProviderValues {
            auth: state.auth(treat_pending_as_signed_out),
            user: UserContext { is_loaded, user },
            session: SessionContext {
                is_loaded,
                session: pick(state.session.clone()),
            },
            sessions: SessionListContext {
                is_loaded,
                sessions: Rc::new(sessions),
            },
            clerk: ClerkContext {
                instance,
                status: state.status,
                error: state.error.clone(),
                environment: state.environment.clone(),
            },
        }
    }
}

fn signed_in_sessions(client: &Client) -> Vec<Rc<Session>> {
    client.signed_in_sessions().cloned().collect()
}

/// One slice of the store: what a hook subscribes to and what [`Store::set`] compares.
///
/// Adding a slice means adding a variant and a field of `ProviderValues`: [`Slice::bit`]
/// matches on the variant exhaustively, [`Store::set`] destructures the fields exhaustively
/// (so the compiler asks how the new one compares), and [`Slice::ALL`] is checked against the
/// bits at compile time, so the list, the bits and the comparisons cannot fall out of step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slice {
    Auth,
    User,
    Session,
    Sessions,
    Clerk,
}

impl Slice {
    /// Every slice, in bit order.
    const ALL: [Slice; 5] = [
        Slice::Auth,
        Slice::User,
        Slice::Session,
        Slice::Sessions,
        Slice::Clerk,
    ];

    /// Its position: the bit in [`Slices`] and the index in the store's `changed_at`.
    const fn bit(self) -> usize {
        match self {
            Slice::Auth => 0,
            Slice::User => 1,
            Slice::Session => 2,
            Slice::Sessions => 3,
            Slice::Clerk => 4,
        }
    }
}

// `ALL` lists each slice once, at the index of its bit.
const _: () = {
    let mut i = 0;
    while i < Slice::ALL.len() {
        assert!(Slice::ALL[i].bit() == i);
        i += 1;
    }
};

/// A set of [`Slice`]s (`slice::AUTH | slice::CLERK`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Slices(u8);

impl Slices {
    const fn of(slice: Slice) -> Self {
        Slices(1 << slice.bit())
    }

    fn intersects(self, other: Slices) -> bool {
        self.0 & other.0 != 0
    }

    fn is_empty(self) -> bool {
        self.0 == 0
    }
}

impl std::ops::BitOr for Slices {
    type Output = Slices;

    fn bitor(self, other: Slices) -> Slices {
        Slices(self.0 | other.0)
    }
}

/// The slices by name, for [`use_store`].
pub(crate) mod slice {
    use super::{Slice, Slices};

    pub const AUTH: Slices = Slices::of(Slice::Auth);
    pub const USER: Slices = Slices::of(Slice::User);
    pub const SESSION: Slices = Slices::of(Slice::Session);
    pub const SESSIONS: Slices = Slices::of(Slice::Sessions);
    pub const CLERK: Slices = Slices::of(Slice::Clerk);
}

/// The provider's values plus the hooks waiting for changes. Cloning shares it; `==` is
/// identity.
#[derive(Clone)]
pub(crate) struct Store(Rc<StoreInner>);

struct StoreInner {
    values: RefCell<ProviderValues>,
    /// Bumped on every change.
    version: Cell<u32>,
    /// The version at which each slice (by bit position) last changed.
    changed_at: Cell<[u32; Slice::ALL.len()]>,
    listeners: RefCell<Vec<Listener>>,
    next_id: Cell<u32>,
}

struct Listener {
    id: u32,
    slices: Slices,
    wake: Callback<()>,
}

impl PartialEq for Store {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Store {
    pub(crate) fn new(values: ProviderValues) -> Self {
        Store(Rc::new(StoreInner {
            values: RefCell::new(values),
            version: Cell::new(0),
            changed_at: Cell::new([0; Slice::ALL.len()]),
            listeners: RefCell::new(Vec::new()),
            next_id: Cell::new(0),
        }))
    }

    /// The current values.
    pub(crate) fn values(&self) -> Ref<'_, ProviderValues> {
        self.0.values.borrow()
    }

    /// Replaces the values and wakes the hooks of the slices that changed.
    pub(crate) fn set(&self, next: ProviderValues) {
        let changed = {
            let current = self.0.values.borrow();
            // Destructured without `..`: a new slice field must be compared here. (All five
            // comparisons inline, then one fold: measurably smaller wasm than a loop over
            // `Slice::ALL` dispatching on the slice.)
            let ProviderValues {
                auth,
                user,
                session,
                sessions,
                clerk,
            } = &*current;
            let differs = [
                (Slice::Auth, *auth != next.auth),
                (Slice::User, *user != next.user),
                (Slice::Session, *session != next.session),
                (Slice::Sessions, *sessions != next.sessions),
                (Slice::Clerk, *clerk != next.clerk),
            ];
            Slices(differs.iter().fold(0, |mask, (slice, differs)| {
                mask | (u8::from(*differs) << slice.bit())
            }))
        };
        if changed.is_empty() {
            return;
        }
        let version = self.0.version.get() + 1;
        self.0.version.set(version);
        let mut changed_at = self.0.changed_at.get();
        // Plain bit positions (not `Slice`s) in the loops: measurably smaller wasm.
        for (bit, at) in changed_at.iter_mut().enumerate() {
            if changed.0 & (1 << bit) != 0 {
                *at = version;
            }
        }
        self.0.changed_at.set(changed_at);
        *self.0.values.borrow_mut() = next;
        // Collected first: a woken hook may subscribe or unsubscribe.
        let wake: Vec<Callback<()>> = self
            .0
            .listeners
            .borrow()
            .iter()
            .filter(|l| l.slices.intersects(changed))
            .map(|l| l.wake.clone())
            .collect();
        for w in wake {
            w.emit(());
        }
    }

    /// Whether any of `slices` changed after `version`.
    fn changed_since(&self, slices: Slices, version: u32) -> bool {
        self.0
            .changed_at
            .get()
            .iter()
            .enumerate()
            .any(|(bit, at)| slices.0 & (1 << bit) != 0 && *at > version)
    }

    fn subscribe(&self, slices: Slices, wake: Callback<()>) -> Subscription {
        let id = self.0.next_id.get();
        self.0.next_id.set(id + 1);
        self.0
            .listeners
            .borrow_mut()
            .push(Listener { id, slices, wake });
        Subscription {
            store: Rc::downgrade(&self.0),
            id,
        }
    }
}

/// Removes its listener when dropped.
struct Subscription {
    store: Weak<StoreInner>,
    id: u32,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(store) = self.store.upgrade() {
            store.listeners.borrow_mut().retain(|l| l.id != self.id);
        }
    }
}

/// The provider's store, re-rendering the component when one of `slices` changes. `None`
/// outside a provider. Not generic, so Yew's hook code is compiled once for every hook.
#[hook]
pub(crate) fn use_store(slices: Slices) -> Option<Store> {
    let store = use_context::<Store>();
    let update = use_force_update();
    let rendered_at = store.as_ref().map_or(0, |s| s.0.version.get());
    use_effect_with(store.clone(), move |store| {
        let subscription = store.as_ref().map(|store| {
            // A change between the first render and this effect.
            if store.changed_since(slices, rendered_at) {
                update.force_update();
            }
            store.subscribe(slices, Callback::from(move |()| update.force_update()))
        });
        move || drop(subscription)
    });
    store
}

/// Renders `children` under the provider's store.
pub(crate) fn provide(store: &Store, children: Html) -> Html {
    html! {
        <ContextProvider<Store> context={store.clone()}>
            { children }
        </ContextProvider<Store>>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Subscribes a counter to `slices` and returns it.
    fn counter(store: &Store, slices: Slices) -> (Rc<Cell<u32>>, Subscription) {
        let count = Rc::new(Cell::new(0));
        let c = count.clone();
        let sub = store.subscribe(slices, Callback::from(move |()| c.set(c.get() + 1)));
        (count, sub)
    }

    #[test]
    fn a_change_wakes_only_the_subscribers_of_its_slices() {
        let instance = ClerkInstance::missing("test");
        let loading = ProviderValues::loading(instance.clone());
        let store = Store::new(loading.clone());
        let (auth, _a) = counter(&store, slice::AUTH);
        let (user, _u) = counter(&store, slice::USER);
        let (clerk, _c) = counter(&store, slice::CLERK | slice::SESSION);

        // The same values: nobody wakes.
        store.set(loading.clone());
        assert_eq!((auth.get(), user.get(), clerk.get()), (0, 0, 0));

        // Only the clerk slice's status changes: only its subscribers wake.
        let mut ready = loading.clone();
        ready.clerk.status = LoadStatus::Ready;
        store.set(ready.clone());
        assert_eq!((auth.get(), user.get(), clerk.get()), (0, 0, 1));
        assert!(store.changed_since(slice::CLERK, 0));
        assert!(!store.changed_since(slice::AUTH | slice::USER, 0));

        let mut signed_out = ready;
        signed_out.auth.is_loaded = true;
        signed_out.user.is_loaded = true;
        store.set(signed_out);
        assert_eq!((auth.get(), user.get(), clerk.get()), (1, 1, 1));
        assert!(store.changed_since(slice::AUTH, 1));
        assert!(!store.changed_since(slice::CLERK, 1));
    }
}
