//! The first paint from a server's [`InitialState`] (server-side rendering).
//!
//! A server that rendered the page signed in hands the provider an [`InitialState`]; the
//! provider shows [`state_from_initial`] of it until the engine's own load finishes
//! ([`shown_state`]), so the server's HTML, the hydrating render and every frame up to the
//! load are the same signed-in (or signed-out) state, with no loading frame in between.
//!
//! The hint never enters the engine: the engine's status stays `Loading` until Frontend API
//! answered, so `get_token` (and every operation) still waits for the real load, and once it
//! finished the engine's state replaces the hint whatever the hint said. A tampered embedded
//! state therefore changes the first paint, never who is signed in. Because the hint is built
//! so that its [`ClerkState::auth`] equals the loaded state's when the server and FAPI agree,
//! the load re-renders nothing that reads only the auth slice.

use std::rc::Rc;

use super::state::{ClerkState, LoadStatus};
use crate::core::claims::SessionClaims;
use crate::core::initial_state::InitialState;
use crate::core::models::{EmailAddress, Session, User};

/// Id of the synthetic primary email address of the hint's user (its real id comes with the
/// load).
const HINT_EMAIL_ID: &str = "idn_initial_state";

/// The snapshot to render while the engine loads: `Ready`, with the session, claims and (when
/// given) user of `initial`. No client, no environment and no organization resource: those
/// arrive with the load.
pub fn state_from_initial(initial: &InitialState) -> ClerkState {
    let mut state = ClerkState {
        status: LoadStatus::Ready,
        ..ClerkState::default()
    };
    let Some(s) = &initial.session else {
        return state;
    };
    let user = initial.user.as_ref().map(|u| {
        let email = u
            .primary_email_address
            .as_ref()
            .map(|address| EmailAddress {
                id: HINT_EMAIL_ID.into(),
                email_address: address.clone(),
                verification: None,
                reserved: false,
                matches_sso_connection: false,
                linked_to: Vec::new(),
                created_at: 0,
                updated_at: 0,
            });
        Rc::new(User {
            id: u.id.clone(),
            first_name: u.first_name.clone(),
            last_name: u.last_name.clone(),
            image_url: u.image_url.clone(),
            primary_email_address_id: email.as_ref().map(|e| e.id.clone()),
            email_addresses: email.into_iter().collect(),
            ..User::default()
        })
    });
    state.session = Some(Rc::new(Session {
        id: s.session_id.clone(),
        status: s.status.clone(),
        last_active_organization_id: s.org.as_ref().map(|o| o.id.clone()),
        actor: s.actor.clone(),
        factor_verification_age: s.factor_verification_age,
        user: user.clone(),
        ..Session::default()
    }));
    // The organization role, slug and permissions come from these claims (the hint's user
    // has no memberships), as they do for a session read from the cookie while degraded.
    state.claims = Some(Rc::new(SessionClaims {
        sub: s.user_id.clone(),
        sid: Some(s.session_id.clone()),
        sts: Some(s.status.as_str().to_string()),
        act: s.actor.clone(),
        fva: s.factor_verification_age,
        org: s.org.clone(),
        features: s.features.clone(),
        plans: s.plans.clone(),
        ..SessionClaims::default()
    }));
    state.user = user;
    state
}

/// What to render for the engine's `engine_state`: the hint while the engine is still
/// loading, the engine's own state from then on (loaded, degraded or failed).
pub fn shown_state(engine_state: Rc<ClerkState>, hint: Option<&Rc<ClerkState>>) -> Rc<ClerkState> {
    match hint {
        Some(hint) if engine_state.status == LoadStatus::Loading => hint.clone(),
        _ => engine_state,
    }
}
