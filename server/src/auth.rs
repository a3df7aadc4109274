//! The verified identity of a request (Clerk's `Auth` object: `userId`, `sessionId`, org
//! fields, `has()`, `sessionClaims`), read with yew-clerk-core's claims and `has()` code: the
//! browser library reads the same token with the same functions.

use std::sync::Arc;

use serde::de::DeserializeOwned;
use yew_clerk_core::authorization::{AuthorizationInputs, Check};
use yew_clerk_core::claims::{SessionClaims, SessionToken};

use crate::backend::{BackendError, User};
use crate::config::Clerk;
use crate::reason::Reason;

/// A verified session token.
#[derive(Debug, Clone)]
pub struct SignedInAuth {
    token: SessionToken,
}

impl SignedInAuth {
    pub(crate) fn new(token: SessionToken) -> Self {
        SignedInAuth { token }
    }

    /// `sub`: the user id.
    pub fn user_id(&self) -> &str {
        &self.token.claims().sub
    }

    /// `sid`: the session id.
    pub fn session_id(&self) -> Option<&str> {
        self.token.claims().sid.as_deref()
    }

    /// The active organization (v1 `org_id` or v2 `o.id`).
    pub fn org_id(&self) -> Option<&str> {
        self.token.claims().org_id()
    }

    /// The role in the active organization, `org:` prefixed.
    pub fn org_role(&self) -> Option<&str> {
        self.token.claims().org_role()
    }

    /// The active organization's slug.
    pub fn org_slug(&self) -> Option<&str> {
        self.token.claims().org_slug()
    }

    /// The permissions in the active organization (`org:<feature>:<permission>`).
    pub fn org_permissions(&self) -> &[String] {
        self.token.claims().org_permissions()
    }

    /// All claims, normalised (v1 and v2 org claims read the same).
    pub fn session_claims(&self) -> &SessionClaims {
        self.token.claims()
    }

    /// The verified JWT (to forward to another service). Never log it.
    pub fn token(&self) -> &str {
        self.token.raw()
    }

    /// Clerk's `has()`: role, permission, feature, plan or reverification checks.
    pub fn has(&self, check: &Check) -> bool {
        AuthorizationInputs::from_claims(self.token.claims()).has(check)
    }

    /// The payload deserialized into your own type (custom session-token claims).
    pub fn claims<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        let payload = self.token.raw().split('.').nth(1).unwrap_or("");
        let bytes = base64::Engine::decode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            payload.trim_end_matches('='),
        )
        .unwrap_or_default();
        serde_json::from_slice(&bytes)
    }
}

#[derive(Debug, Clone)]
enum AuthState {
    SignedIn(Arc<SignedInAuth>),
    SignedOut { reason: Reason, message: String },
}

/// What a handler sees (the axum extractor; also usable on its own): signed in with the
/// verified claims, or signed out with Clerk's reason. Never an error: a handler decides,
/// or calls [`Auth::protect`].
#[derive(Debug, Clone)]
pub struct Auth {
    state: AuthState,
    pub(crate) is_document: bool,
    pub(crate) url: Option<String>,
    pub(crate) clerk: Option<Clerk>,
}

impl Auth {
    /// A signed-in `Auth`.
    pub fn signed_in(auth: SignedInAuth) -> Self {
        Auth {
            state: AuthState::SignedIn(Arc::new(auth)),
            is_document: false,
            url: None,
            clerk: None,
        }
    }

    /// A signed-out `Auth` with Clerk's reason.
    pub fn signed_out(reason: Reason, message: impl Into<String>) -> Self {
        Auth {
            state: AuthState::SignedOut {
                reason,
                message: message.into(),
            },
            is_document: false,
            url: None,
            clerk: None,
        }
    }

    /// The signed-in part, if signed in.
    pub fn signed_in_auth(&self) -> Option<&SignedInAuth> {
        match &self.state {
            AuthState::SignedIn(a) => Some(a),
            AuthState::SignedOut { .. } => None,
        }
    }

    /// True when a verified session token came with the request.
    pub fn is_signed_in(&self) -> bool {
        self.signed_in_auth().is_some()
    }

    /// Why the request is signed out (`None` when signed in).
    pub fn reason(&self) -> Option<Reason> {
        match &self.state {
            AuthState::SignedIn(_) => None,
            AuthState::SignedOut { reason, .. } => Some(*reason),
        }
    }

    /// The signed-out message (empty when signed in).
    pub fn message(&self) -> &str {
        match &self.state {
            AuthState::SignedIn(_) => "",
            AuthState::SignedOut { message, .. } => message,
        }
    }

    /// The user id (`userId`).
    pub fn user_id(&self) -> Option<&str> {
        self.signed_in_auth().map(SignedInAuth::user_id)
    }

    /// The session id (`sessionId`).
    pub fn session_id(&self) -> Option<&str> {
        self.signed_in_auth().and_then(SignedInAuth::session_id)
    }

    /// The active organization id (`orgId`).
    pub fn org_id(&self) -> Option<&str> {
        self.signed_in_auth().and_then(SignedInAuth::org_id)
    }

    /// The active organization role (`orgRole`, `org:` prefixed).
    pub fn org_role(&self) -> Option<&str> {
        self.signed_in_auth().and_then(SignedInAuth::org_role)
    }

    /// The active organization slug (`orgSlug`).
    pub fn org_slug(&self) -> Option<&str> {
        self.signed_in_auth().and_then(SignedInAuth::org_slug)
    }

    /// The organization permissions (`orgPermissions`).
    pub fn org_permissions(&self) -> &[String] {
        self.signed_in_auth()
            .map(SignedInAuth::org_permissions)
            .unwrap_or(&[])
    }

    /// The normalised session claims (`sessionClaims`).
    pub fn session_claims(&self) -> Option<&SessionClaims> {
        self.signed_in_auth().map(SignedInAuth::session_claims)
    }

    /// The verified session token (`getToken()` on the server). Never log it.
    pub fn token(&self) -> Option<&str> {
        self.signed_in_auth().map(SignedInAuth::token)
    }

    /// `has()`: false when signed out.
    pub fn has(&self, check: &Check) -> bool {
        self.signed_in_auth().is_some_and(|a| a.has(check))
    }

    /// Custom claims as your own type; `None` when signed out.
    pub fn claims<T: DeserializeOwned>(&self) -> Option<Result<T, serde_json::Error>> {
        self.signed_in_auth().map(SignedInAuth::claims)
    }

    /// `currentUser()`: the Backend API user of a signed-in request; `Ok(None)` when signed
    /// out. Needs `CLERK_SECRET_KEY`.
    pub async fn current_user(&self) -> Result<Option<User>, BackendError> {
        let Some(user_id) = self.user_id() else {
            return Ok(None);
        };
        let backend = self
            .clerk
            .as_ref()
            .and_then(Clerk::backend)
            .ok_or(BackendError::NotConfigured)?;
        backend.get_user(user_id).await.map(Some)
    }

    /// True when the request is a page load (`sec-fetch-dest: document`/`iframe`, or an
    /// `accept: text/html` request without fetch metadata), as Clerk decides it.
    pub fn is_document_request(&self) -> bool {
        self.is_document
    }

    /// The sign-in URL `protect()` redirects documents to, with `redirect_url` back here.
    pub fn sign_in_redirect(&self) -> Option<String> {
        let base = self.clerk.as_ref()?.inner.instance.sign_in_url.clone()?;
        match &self.url {
            Some(url) => {
                let sep = if base.contains('?') { '&' } else { '?' };
                let q: String = form_urlencoded::Serializer::new(String::new())
                    .append_pair("redirect_url", url)
                    .finish();
                Some(format!("{base}{sep}{q}"))
            }
            None => Some(base),
        }
    }
}
