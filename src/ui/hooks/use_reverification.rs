use std::cell::RefCell;
use std::rc::Rc;

use crate::client::oneshot;
use ::yew::prelude::*;

use super::flow_state::use_flow_context;
use crate::client::flows::{
    FirstFactorAttempt, SecondFactorStrategy, SessionVerification, SessionVerificationStatus,
};
use crate::client::Clerk;
use crate::core::authorization::{AuthorizationInputs, Check, Reverification};
use crate::core::reverification::ReverificationHint;
use crate::error::ClerkError;
use crate::ui::instance::ClerkInstance;

/// An action error that may be Clerk's reverification error. Implemented for
/// [`ClerkError`] (the Frontend API's `session_reverification_required`) and
/// [`ReverificationHint`]; implement it for your own error type, reading a backend's 403
/// body with [`ReverificationHint::from_body`].
pub trait ReverificationHintSource {
    /// The hint when this error asks the user to verify again.
    fn reverification_hint(&self) -> Option<ReverificationHint>;
}

impl ReverificationHintSource for ClerkError {
    fn reverification_hint(&self) -> Option<ReverificationHint> {
        ReverificationHint::from_error(self)
    }
}

impl ReverificationHintSource for ReverificationHint {
    fn reverification_hint(&self) -> Option<ReverificationHint> {
        Some(*self)
    }
}

/// Why a reverification ended without the action succeeding (the `Failed` state).
#[derive(Debug, Clone, PartialEq)]
pub enum ReverificationFailure {
    /// [`UseReverificationHandle::cancel`] was called (clerk-react's
    /// `reverification_cancelled`). Nothing was retried; run the action again to restart.
    Cancelled,
    /// The verification could not start or go on (signed out, offline, …).
    Clerk(ClerkError),
    /// The retried action still answered the reverification error (the backend wants more
    /// than was verified). Not retried again.
    StillRequired(ReverificationHint),
}

/// The error of [`UseReverificationHandle::run`].
#[derive(Debug, Clone, PartialEq)]
pub enum ReverificationError<E> {
    /// The action failed with an error that is not the reverification error (first run or
    /// retry).
    Action(E),
    /// The verification did not complete (see [`ReverificationFailure`]).
    Verification(ReverificationFailure),
}

/// Where a guarded action stands: what a custom verification UI renders.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum ReverificationState {
    /// Nothing running.
    #[default]
    Idle,
    /// The action (or its retry) is running.
    Running,
    /// The user must verify a first factor: offer `verification.supported_first_factors`
    /// (password, email code after `prepare_first_factor`, …). `error` is the last failed
    /// attempt (`form_password_incorrect`, `form_code_incorrect`, `verification_expired`):
    /// the user may try again.
    NeedsFirstFactor {
        /// The session verification (its supported factors).
        verification: Rc<SessionVerification>,
        /// The last failed step.
        error: Option<ClerkError>,
    },
    /// The user must verify a second factor (`supported_second_factors`: TOTP, phone code
    /// after `prepare_second_factor`, backup code); `error` as above.
    NeedsSecondFactor {
        /// The session verification (its supported factors).
        verification: Rc<SessionVerification>,
        /// The last failed step.
        error: Option<ClerkError>,
    },
    /// A verification step is in flight (disable the form).
    Verifying(Rc<SessionVerification>),
    /// The action succeeded (after a verification or without one).
    Done,
    /// The action could not be completed; see the failure.
    Failed(ReverificationFailure),
}

/// Shared between the handle's clones and the running action: the state setter and the
/// signal that ends the wait for the verification (`true` = verified, `false` = cancelled).
struct Shared {
    set: ::yew::functional::UseStateSetter<ReverificationState>,
    waiting: RefCell<Option<oneshot::Sender<bool>>>,
}

/// What [`use_reverification`] returns.
#[derive(Clone)]
pub struct UseReverificationHandle {
    /// Whether Clerk has loaded.
    pub is_loaded: bool,
    state: UseStateHandle<ReverificationState>,
    shared: Rc<RefCell<Option<Rc<Shared>>>>,
    clerk: ClerkInstance,
}

impl PartialEq for UseReverificationHandle {
    fn eq(&self, other: &Self) -> bool {
        self.is_loaded == other.is_loaded
            && *self.state == *other.state
            && Rc::ptr_eq(&self.shared, &other.shared)
            && self.clerk == other.clerk
    }
}

impl std::fmt::Debug for UseReverificationHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UseReverificationHandle")
            .field("is_loaded", &self.is_loaded)
            .field("state", &*self.state)
            .finish_non_exhaustive()
    }
}

impl UseReverificationHandle {
    /// The current state.
    pub fn state(&self) -> &ReverificationState {
        &self.state
    }

    fn shared(&self) -> Rc<Shared> {
        let mut slot = self.shared.borrow_mut();
        let shared = slot.get_or_insert_with(|| {
            Rc::new(Shared {
                set: self.state.setter(),
                waiting: RefCell::new(None),
            })
        });
        Rc::clone(shared)
    }

    /// Runs `action`; when it fails with Clerk's reverification error, starts a session
    /// verification at the hint's level (the state becomes `NeedsFirstFactor` /
    /// `NeedsSecondFactor`), waits until the user completes it (the session token then
    /// carries the new `fva`) and runs `action` once more. The future is `'static`: spawn it.
    pub fn run<T, E, F, Fut>(
        &self,
        action: F,
    ) -> impl std::future::Future<Output = Result<T, ReverificationError<E>>> + 'static
    where
        T: 'static,
        E: ReverificationHintSource + 'static,
        F: Fn() -> Fut + 'static,
        Fut: std::future::Future<Output = Result<T, E>> + 'static,
    {
        self.guarded(None, action)
    }

    /// Like [`Self::run`], and first checks `requirement` against the current token with
    /// `has()`: when the factor verification is already too old, the user verifies before
    /// the action runs at all.
    pub fn run_requiring<T, E, F, Fut>(
        &self,
        requirement: Reverification,
        action: F,
    ) -> impl std::future::Future<Output = Result<T, ReverificationError<E>>> + 'static
    where
        T: 'static,
        E: ReverificationHintSource + 'static,
        F: Fn() -> Fut + 'static,
        Fut: std::future::Future<Output = Result<T, E>> + 'static,
    {
        self.guarded(Some(requirement), action)
    }

    fn guarded<T, E, F, Fut>(
        &self,
        requirement: Option<Reverification>,
        action: F,
    ) -> impl std::future::Future<Output = Result<T, ReverificationError<E>>> + 'static
    where
        T: 'static,
        E: ReverificationHintSource + 'static,
        F: Fn() -> Fut + 'static,
        Fut: std::future::Future<Output = Result<T, E>> + 'static,
    {
        let shared = self.shared();
        let clerk = self.clerk.require_engine();
        async move {
            let stale = requirement
                .filter(|r| {
                    clerk.as_ref().is_ok_and(|c| {
                        let state = c.state();
                        !state.claims.as_ref().is_some_and(|claims| {
                            AuthorizationInputs::from_claims(claims).has(&Check::Reverification(*r))
                        })
                    })
                })
                .map(ReverificationHint::new);
            let hint = match stale {
                Some(hint) => hint,
                None => {
                    shared.set.set(ReverificationState::Running);
                    match action().await {
                        Err(e) => match e.reverification_hint() {
                            Some(hint) => hint,
                            None => {
                                shared.set.set(ReverificationState::Idle);
                                return Err(ReverificationError::Action(e));
                            }
                        },
                        Ok(v) => {
                            shared.set.set(ReverificationState::Done);
                            return Ok(v);
                        }
                    }
                }
            };
            let fail = |f: ReverificationFailure| {
                shared.set.set(ReverificationState::Failed(f.clone()));
                Err(ReverificationError::Verification(f))
            };
            let clerk = match clerk {
                Ok(c) => c,
                Err(e) => return fail(ReverificationFailure::Clerk(e)),
            };
            let verification = match clerk.session_verify_start(hint.level()).await {
                Ok(v) => v,
                Err(e) => return fail(ReverificationFailure::Clerk(e)),
            };
            let (tx, rx) = oneshot::channel();
            // A verification already waiting (a second run) is cancelled: one at a time.
            if let Some(previous) = shared.waiting.borrow_mut().replace(tx) {
                let _ = previous.send(false);
            }
            let done_at_once = verification.status == SessionVerificationStatus::Complete;
            shared.set.set(step_state(verification, None));
            if done_at_once {
                if let Some(tx) = shared.waiting.borrow_mut().take() {
                    let _ = tx.send(true);
                }
            }
            // A dropped sender (the component unmounted) reads as a cancel.
            if rx.await != Ok(true) {
                return fail(ReverificationFailure::Cancelled);
            }
            shared.set.set(ReverificationState::Running);
            match action().await {
                Ok(v) => {
                    shared.set.set(ReverificationState::Done);
                    Ok(v)
                }
                Err(e) => match e.reverification_hint() {
                    Some(hint) => fail(ReverificationFailure::StillRequired(hint)),
                    None => {
                        shared.set.set(ReverificationState::Idle);
                        Err(ReverificationError::Action(e))
                    }
                },
            }
        }
    }

    /// The verification the state shows, if any.
    fn verification(&self) -> Option<Rc<SessionVerification>> {
        match &*self.state {
            ReverificationState::NeedsFirstFactor { verification, .. }
            | ReverificationState::NeedsSecondFactor { verification, .. }
            | ReverificationState::Verifying(verification) => Some(Rc::clone(verification)),
            _ => None,
        }
    }

    /// Runs one verification step: `Verifying`, then the next step, `Done` → the action is
    /// retried; an error keeps the step with `error` set so the user can try again.
    fn step<Fut>(
        &self,
        step: impl FnOnce(Clerk, Rc<SessionVerification>) -> Fut,
    ) -> impl std::future::Future<Output = Result<(), ClerkError>> + 'static
    where
        Fut: std::future::Future<Output = Result<SessionVerification, ClerkError>> + 'static,
    {
        let shared = self.shared();
        let current = self.verification();
        let started = match (self.clerk.require_engine(), current) {
            (Ok(clerk), Some(v)) => {
                shared
                    .set
                    .set(ReverificationState::Verifying(Rc::clone(&v)));
                Ok((step(clerk, Rc::clone(&v)), v))
            }
            (Err(e), _) => Err(e),
            (_, None) => Err(ClerkError::FlowStep(
                "no reverification in progress: run an action with use_reverification first".into(),
            )),
        };
        async move {
            let (fut, before) = started?;
            match fut.await {
                Ok(v) if v.status == SessionVerificationStatus::Complete => {
                    if let Some(tx) = shared.waiting.borrow_mut().take() {
                        let _ = tx.send(true);
                    }
                    Ok(())
                }
                Ok(v) => {
                    shared.set.set(step_state(v, None));
                    Ok(())
                }
                Err(e) => {
                    shared
                        .set
                        .set(step_state((*before).clone(), Some(e.clone())));
                    Err(e)
                }
            }
        }
    }

    /// Sends a first-factor code (`email_code` or `phone_code`).
    pub fn prepare_first_factor(
        &self,
        strategy: &str,
    ) -> impl std::future::Future<Output = Result<(), ClerkError>> + 'static {
        let strategy = strategy.to_string();
        self.step(move |clerk, v| async move {
            clerk
                .session_verify_prepare_first_factor(&v, &strategy)
                .await
        })
    }

    /// Attempts the first factor (password, or the code just sent).
    pub fn attempt_first_factor(
        &self,
        attempt: FirstFactorAttempt<'_>,
    ) -> impl std::future::Future<Output = Result<(), ClerkError>> + 'static {
        let (kind, secret) = match attempt {
            FirstFactorAttempt::Password(p) => (0u8, p.to_string()),
            FirstFactorAttempt::EmailCode(c) => (1, c.to_string()),
            FirstFactorAttempt::PhoneCode(c) => (2, c.to_string()),
        };
        self.step(move |clerk, _| async move {
            let attempt = match kind {
                0 => FirstFactorAttempt::Password(&secret),
                1 => FirstFactorAttempt::EmailCode(&secret),
                _ => FirstFactorAttempt::PhoneCode(&secret),
            };
            clerk.session_verify_attempt_first_factor(attempt).await
        })
    }

    /// Texts a second-factor code to the user's default second-factor phone.
    pub fn prepare_second_factor(
        &self,
    ) -> impl std::future::Future<Output = Result<(), ClerkError>> + 'static {
        self.step(
            move |clerk, v| async move { clerk.session_verify_prepare_second_factor(&v).await },
        )
    }

    /// Attempts the second factor (TOTP, texted code, backup code).
    pub fn attempt_second_factor(
        &self,
        strategy: SecondFactorStrategy,
        code: &str,
    ) -> impl std::future::Future<Output = Result<(), ClerkError>> + 'static {
        let code = code.to_string();
        self.step(move |clerk, _| async move {
            clerk
                .session_verify_attempt_second_factor(strategy, &code)
                .await
        })
    }

    /// Gives up the verification in progress: the waiting action ends with
    /// `ReverificationFailure::Cancelled` (state `Failed(Cancelled)`), nothing is retried.
    /// Without one in progress it only returns the state to `Idle`.
    pub fn cancel(&self) {
        let shared = self.shared();
        let waiting = shared.waiting.borrow_mut().take();
        match waiting {
            Some(tx) => {
                let _ = tx.send(false);
            }
            None => shared.set.set(ReverificationState::Idle),
        }
    }
}

fn step_state(v: SessionVerification, error: Option<ClerkError>) -> ReverificationState {
    let verification = Rc::new(v);
    match verification.status {
        SessionVerificationStatus::NeedsSecondFactor => ReverificationState::NeedsSecondFactor {
            verification,
            error,
        },
        SessionVerificationStatus::Complete => ReverificationState::Running,
        _ => ReverificationState::NeedsFirstFactor {
            verification,
            error,
        },
    }
}

/// Guards an action with reverification, like clerk-react's `useReverification` with a
/// custom UI (`onNeedsReverification`): [`UseReverificationHandle::run`] runs the action;
/// when it answers Clerk's reverification error (a backend's 403 `reverification-error`,
/// or FAPI's `session_reverification_required`), the hook starts a session verification,
/// exposes [`ReverificationState`] for your form (first factor with the available factors,
/// second factor, verifying, done, failed), and once the user verifies it refreshes the
/// session token (new `fva`) and retries the action once. Wrong codes and passwords keep
/// the step (with the typed error) so the user can retry; [`UseReverificationHandle::cancel`]
/// ends the wait with `Failed(Cancelled)`.
///
/// # Example
///
/// ```rust,no_run
/// use yew::prelude::*;
/// use yew_clerk::prelude::*;
/// use yew_clerk::core::reverification::ReverificationHint;
///
/// // Your backend call: a 403 body that is Clerk's reverification error becomes the hint.
/// async fn delete_account() -> Result<(), ReverificationHint> {
///     # let (status, body) = (200u16, String::new());
///     match ReverificationHint::from_body(&body) {
///         Some(hint) if status == 403 => Err(hint),
///         _ => Ok(()),
///     }
/// }
///
/// #[component]
/// fn DangerZone() -> Html {
///     let reverify = use_reverification();
///     let onclick = {
///         let reverify = reverify.clone();
///         Callback::from(move |_| {
///             let run = reverify.run(delete_account);
///             yew::platform::spawn_local(async move { let _ = run.await; });
///         })
///     };
///     let form = match reverify.state() {
///         ReverificationState::NeedsFirstFactor { .. } => html! { "Enter your password" },
///         ReverificationState::NeedsSecondFactor { .. } => html! { "Enter your code" },
///         _ => html! {},
///     };
///     html! { <><button {onclick}>{ "Delete account" }</button>{ form }</> }
/// }
/// ```
#[hook]
pub fn use_reverification() -> UseReverificationHandle {
    let state = use_state_eq(ReverificationState::default);
    let shared = use_mut_ref(|| None::<Rc<Shared>>);
    let (is_loaded, clerk) = use_flow_context("use_reverification");
    UseReverificationHandle {
        is_loaded,
        state,
        shared,
        clerk,
    }
}
