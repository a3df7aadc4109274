use std::cell::RefCell;
use std::rc::Rc;

use ::yew::prelude::*;

use super::MockUser;
use crate::client::{ClerkState, GetTokenOptions, LoadStatus, SetActiveParams, SignOutOptions};
use crate::core::claims::SessionClaims;
use crate::error::ClerkError;
use crate::ui::context::{provide, ProviderValues, Store};
use crate::ui::instance::{Backend, ClerkInstance};

/// The state a [`MockClerkProvider`] renders.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // a test helper: `MockState::SignedIn(user)` stays simple
pub enum MockState {
    /// Still loading.
    Loading,
    /// Loaded, nobody signed in.
    SignedOut,
    /// Loaded, this user signed in.
    SignedIn(MockUser),
    /// Loaded in degraded mode (the Frontend API was unreachable), nobody signed in.
    Degraded(ClerkError),
    /// Loading failed with this error.
    Failed(ClerkError),
}

impl MockState {
    fn to_clerk_state(&self) -> ClerkState {
        let mut state = ClerkState::default();
        match self {
            MockState::Loading => {}
            MockState::SignedOut => state.status = LoadStatus::Ready,
            MockState::Degraded(e) => {
                state.status = LoadStatus::Degraded;
                state.error = Some(e.clone());
            }
            MockState::Failed(e) => {
                state.status = LoadStatus::Failed;
                state.error = Some(e.clone());
            }
            MockState::SignedIn(user) => {
                state.status = LoadStatus::Ready;
                let Some(client) = user.to_client() else {
                    return state;
                };
                let session = client.sessions.first().cloned();
                let model = session.as_ref().and_then(|s| s.user.clone());
                state.organization = user.active_org.as_deref().and_then(|org| {
                    model
                        .as_ref()
                        .and_then(|u| u.membership(org))
                        .map(|m| Rc::new(m.organization.clone()))
                });
                state.claims = Some(Rc::new(SessionClaims {
                    sub: user.id.clone(),
                    sid: Some(user.session_id.clone()),
                    features: user.features.clone(),
                    plans: user.plans.clone(),
                    version: 2,
                    ..Default::default()
                }));
                state.user = model;
                state.session = session;
                state.client = Some(Rc::new(client));
            }
        }
        state
    }
}

/// What a mock instance answers (built from the props).
pub(crate) struct MockBackend {
    token: Option<String>,
    token_error: Option<ClerkError>,
    on_sign_out: Callback<SignOutOptions>,
    on_set_active: Callback<SetActiveParams>,
    pub(crate) on_navigate: Callback<String>,
    pub(crate) sign_in_url: Option<String>,
    pub(crate) sign_up_url: Option<String>,
    current: Rc<RefCell<MockState>>,
    set_state: Callback<MockState>,
}

impl MockBackend {
    pub(crate) fn get_token(
        &self,
        _options: GetTokenOptions,
    ) -> Result<Option<String>, ClerkError> {
        if let Some(e) = &self.token_error {
            return Err(e.clone());
        }
        match &*self.current.borrow() {
            MockState::SignedIn(_) => Ok(self.token.clone()),
            MockState::Failed(e) => Err(ClerkError::LoadFailed(e.to_string())),
            _ => Ok(None),
        }
    }

    pub(crate) fn sign_out(&self, options: SignOutOptions) -> Result<(), ClerkError> {
        self.on_sign_out.emit(options);
        let signed_in = matches!(&*self.current.borrow(), MockState::SignedIn(_));
        if signed_in {
            self.set_state.emit(MockState::SignedOut);
        }
        Ok(())
    }

    pub(crate) fn set_active(&self, params: SetActiveParams) -> Result<(), ClerkError> {
        self.on_set_active.emit(params.clone());
        let next = match &*self.current.borrow() {
            MockState::SignedIn(user) => params
                .organization
                .map(|org| MockState::SignedIn(user.clone().active_org(org.id()))),
            _ => return Err(ClerkError::NoSession(params.session_id.unwrap_or_default())),
        };
        if let Some(next) = next {
            self.set_state.emit(next);
        }
        Ok(())
    }
}

/// Props of [`MockClerkProvider`].
#[derive(Properties, PartialEq, Clone, Debug)]
pub struct MockClerkProviderProps {
    /// The state to render (default: signed out). Changing the prop changes the state.
    #[prop_or(MockState::SignedOut)]
    pub state: MockState,
    /// What `get_token` returns while signed in (default `None`).
    #[prop_or_default]
    pub token: Option<AttrValue>,
    /// When set, `get_token` fails with this error (e.g. `ClerkError::Offline`).
    #[prop_or_default]
    pub token_error: Option<ClerkError>,
    /// Called by `sign_out` (then the mock switches to `SignedOut`, as a user would see).
    #[prop_or_default]
    pub on_sign_out: Callback<SignOutOptions>,
    /// Called by `set_active` (an organization switch is applied to the mock user).
    #[prop_or_default]
    pub on_set_active: Callback<SetActiveParams>,
    /// Called instead of navigating by `redirect_to_sign_in` / `redirect_to_sign_up` and the
    /// buttons, with the target URL.
    #[prop_or_default]
    pub on_navigate: Callback<String>,
    /// Like `ClerkProvider`'s prop: whether a pending session ([`MockUser::pending`]) reads
    /// as signed out in `use_auth` and the control components (default `true`).
    #[prop_or(true)]
    pub treat_pending_as_signed_out: bool,
    /// The sign-in URL (default `/sign-in`).
    #[prop_or(AttrValue::from("/sign-in"))]
    pub sign_in_url: AttrValue,
    /// The sign-up URL (default `/sign-up`).
    #[prop_or(AttrValue::from("/sign-up"))]
    pub sign_up_url: AttrValue,
    /// The components under test.
    #[prop_or_default]
    pub children: Html,
}

/// A `ClerkProvider` stand-in for tests: renders the children in the state you choose and
/// answers `get_token` / `sign_out` / `set_active` as the props say. Every hook and control
/// component works under it unchanged.
#[component]
pub fn MockClerkProvider(props: &MockClerkProviderProps) -> Html {
    let state = use_state_eq(|| props.state.clone());
    {
        let state = state.clone();
        use_effect_with(props.state.clone(), move |next| state.set(next.clone()));
    }
    let current = use_mut_ref(|| props.state.clone());
    *current.borrow_mut() = (*state).clone();
    let instance = {
        let setter = state.setter();
        let current = current.clone();
        use_memo(props.clone(), move |p| {
            ClerkInstance::new(Backend::Mock(Rc::new(MockBackend {
                token: p.token.as_ref().map(|t| t.to_string()),
                token_error: p.token_error.clone(),
                on_sign_out: p.on_sign_out.clone(),
                on_set_active: p.on_set_active.clone(),
                on_navigate: p.on_navigate.clone(),
                sign_in_url: Some(p.sign_in_url.to_string()),
                sign_up_url: Some(p.sign_up_url.to_string()),
                current,
                set_state: Callback::from(move |s: MockState| setter.set(s)),
            })))
        })
    };
    let values = ProviderValues::from_state(
        (*instance).clone(),
        &state.to_clerk_state(),
        props.treat_pending_as_signed_out,
    );
    let store = {
        let first = values.clone();
        (*use_memo((*instance).clone(), move |_| Store::new(first))).clone()
    };
    // Wakes the hooks of the slices that changed (a no-op on the first render).
    store.set(values);
    provide(&store, props.children.clone())
}
