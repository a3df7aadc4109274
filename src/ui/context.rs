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
//! (`PartialEq`) and wakes only the hooks subscribed to a slice that changed.

use std::cell::{Cell, Ref, RefCell};
use std::rc::{Rc, Weak};

use ::yew::prelude::*;

use super::instance::ClerkInstance;
use crate::client::{AuthSnapshot, ClerkState, LoadStatus};
use crate::core::models::{Client, Environment, Session, User};
use crate::error::ClerkError;

/// The user of the current session (`use_user`).
#[derive(Debug, Clone, PartialEq)]
pub struct UserContext {
    /// Whether loading finished.
    pub is_loaded: bool,
    /// The user, when signed in.
    pub user: Option<Rc<User>>,
}

/// The current session (`use_session`).
#[derive(Debug, Clone, PartialEq)]
pub struct SessionContext {
    /// Whether loading finished.
    pub is_loaded: bool,
    /// The current (`active` or `pending`) session.
    pub session: Option<Rc<Session>>,
}

/// The client's signed-in sessions (`use_session_list`).
#[derive(Debug, Clone, PartialEq)]
pub struct SessionListContext {
    /// Whether loading finished.
    pub is_loaded: bool,
    /// Sessions with status `active` or `pending`, in the client's order.
    pub sessions: Rc<Vec<Session>>,
}

/// Load status, error and environment plus the [`ClerkInstance`] (`use_clerk`).
#[derive(Debug, Clone, PartialEq)]
pub struct ClerkContext {
    /// The action handle (identity comparison).
    pub instance: ClerkInstance,
    /// Load status.
    pub status: LoadStatus,
    /// `Failed`: why; `Degraded`: what fell back.
    pub error: Option<ClerkError>,
    /// The instance's environment, once fetched.
    pub environment: Option<Rc<Environment>>,
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

fn signed_in_sessions(client: &Client) -> Vec<Session> {
    client.signed_in_sessions().cloned().collect()
}

/// Slice bits for [`use_store`] and [`Store::set`].
pub(crate) mod slice {
    pub const AUTH: u8 = 1;
    pub const USER: u8 = 2;
    pub const SESSION: u8 = 4;
    pub const SESSIONS: u8 = 8;
    pub const CLERK: u8 = 16;
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
    changed_at: Cell<[u32; 5]>,
    listeners: RefCell<Vec<Listener>>,
    next_id: Cell<u32>,
}

struct Listener {
    id: u32,
    slices: u8,
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
            changed_at: Cell::new([0; 5]),
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
            [
                current.auth != next.auth,
                current.user != next.user,
                current.session != next.session,
                current.sessions != next.sessions,
                current.clerk != next.clerk,
            ]
            .iter()
            .enumerate()
            .fold(0u8, |mask, (bit, differs)| {
                mask | (u8::from(*differs) << bit)
            })
        };
        if changed == 0 {
            return;
        }
        let version = self.0.version.get() + 1;
        self.0.version.set(version);
        let mut changed_at = self.0.changed_at.get();
        for (bit, at) in changed_at.iter_mut().enumerate() {
            if changed & (1 << bit) != 0 {
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
            .filter(|l| l.slices & changed != 0)
            .map(|l| l.wake.clone())
            .collect();
        for w in wake {
            w.emit(());
        }
    }

    /// Whether any of `slices` changed after `version`.
    fn changed_since(&self, slices: u8, version: u32) -> bool {
        self.0
            .changed_at
            .get()
            .iter()
            .enumerate()
            .any(|(bit, at)| slices & (1 << bit) != 0 && *at > version)
    }

    fn subscribe(&self, slices: u8, wake: Callback<()>) -> Subscription {
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
pub(crate) fn use_store(slices: u8) -> Option<Store> {
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
