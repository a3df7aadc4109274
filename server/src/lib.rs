//! # yew-clerk-server
//!
//! Clerk on the server for Rust backends, the counterpart of `@clerk/backend` and the
//! server half of Clerk's "Read user and session data" guide:
//!
//! - [`Clerk::authenticate_request`]: Clerk's decision table (Bearer header or `__session`
//!   cookie, `__client_uat`, dev browser, document vs API request) → [`RequestState`]
//!   (signed in / signed out with Clerk's [`Reason`] / handshake), including the handshake
//!   with the Frontend API and its loop protection;
//! - verification: RS256 only, JWKS (Frontend or Backend API) cached with a TTL, one shared
//!   and rate-limited refetch on an unknown `kid`, or a PEM key (`CLERK_JWT_KEY`) offline;
//!   `exp`/`nbf`/`iat` with clock skew; `azp` against the authorized parties; `sts: pending`
//!   signed out unless accepted;
//! - the claims (v1 and v2 organization claims) and `has()` come from `yew-clerk-core`, the
//!   very code the browser library runs;
//! - [`BackendApi`]: users, sessions, organizations; [`Auth::current_user`];
//! - with the `axum` feature (default): [`ClerkLayer`], the [`Auth`] extractor and
//!   [`Auth::protect`].
//!
//! ```no_run
//! # #[cfg(feature = "axum")]
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use axum::{routing::get, Json, Router};
//! use yew_clerk_server::{Auth, Clerk, ClerkLayer};
//!
//! let clerk = Clerk::from_env()?; // CLERK_PUBLISHABLE_KEY, CLERK_SECRET_KEY, ...
//! let app: Router = Router::new()
//!     .route("/api/me", get(|auth: Auth| async move {
//!         match auth.protect() {
//!             Ok(me) => Ok(Json(serde_json::json!({ "user_id": me.user_id() }))),
//!             Err(unauthorized) => Err(unauthorized),
//!         }
//!     }))
//!     .layer(ClerkLayer::new(clerk));
//! # let _ = app; Ok(()) }
//! ```

pub mod auth;
#[cfg(feature = "axum")]
pub mod axum_support;
pub mod backend;
pub mod config;
pub mod jwks;
pub mod reason;
pub mod request;
pub mod reverification;
pub mod verify;

pub use auth::{Auth, SignedInAuth};
#[cfg(feature = "axum")]
pub use axum_support::{ClerkLayer, Unauthorized};
pub use backend::{BackendApi, BackendError, User};
pub use config::{Clerk, ClerkConfig, ConfigError};
pub use reason::Reason;
pub use request::RequestState;
#[cfg(feature = "axum")]
pub use reverification::Rejection;
pub use reverification::ReverificationRequired;
pub use verify::VerifyError;
/// `has()` checks, from yew-clerk-core (shared with the browser).
pub use yew_clerk_core::authorization::Check;
/// Reverification requirements (`strict`, `moderate`, ...), from yew-clerk-core.
pub use yew_clerk_core::authorization::Reverification;
/// The claims reader, from yew-clerk-core (shared with the browser).
pub use yew_clerk_core::claims::SessionClaims;
