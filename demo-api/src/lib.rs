//! The demo's protected API: the Rust counterpart of a Next.js API route that calls
//! `getAuth(req)` (see Clerk's "Read user and session data" guide).
//!
//! Built on yew-clerk-server: its `ClerkLayer` runs Clerk's `authenticateRequest` on the
//! protected routes and handlers take the `Auth` extractor.
//!
//! - `GET /api/me`: the session token (`Authorization: Bearer <jwt>`, else the `__session`
//!   cookie with `__client_uat`), verified: `200 {"user_id", "session_id", "org_id", ...}` or
//!   `401 {"error", "reason", "message"}` with Clerk's reason (503 on a JWKS outage).
//! - `GET /api/user`: `currentUser()`: `200 {"user_id", "name", "email", "image_url"}` from the
//!   Backend API (needs `CLERK_SECRET_KEY`; 501 without it, 503 when the API is down).
//! - `POST /api/sensitive`: an action that needs a recent verification
//!   (`auth.require_reverification(Reverification::Strict)`): `200 {"ok", "user_id", "fva"}`,
//!   401 when signed out, or 403 with Clerk's reverification error, which the demo's
//!   `use_reverification` button answers with a password / TOTP form and then retries.
//! - `GET /api/config`: the publishable key and proxy URL the demo app should use, so one
//!   build of the demo works against the emulator and against real Clerk.
//! - `GET /api/clerk-prefetch.js`: yew-clerk's `index.html` prefetch snippet for this instance.
//! - `GET /api/health`: `ok`.
//! - Optionally serves a static directory (the demo's `dist/`) for everything else.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::{ServeDir, ServeFile};
use yew_clerk::core::key::{FapiEndpoint, PublishableKey};
use yew_clerk_server::{Auth, Clerk, ClerkConfig, ClerkLayer, ConfigError, Reverification};

/// Server configuration (flags and environment variables of the binary).
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Where the instance's JWKS is (`<fapi>/.well-known/jwks.json`). `None`: derived by
    /// yew-clerk-server (Backend API with the secret key, else the Frontend API).
    pub jwks_url: Option<String>,
    /// Allowed `azp` values and CORS origins.
    pub authorized_parties: Vec<String>,
    /// Allowed clock skew in seconds.
    pub clock_skew_secs: i64,
    /// The instance (`CLERK_PUBLISHABLE_KEY`); also returned by `/api/config`.
    pub publishable_key: Option<String>,
    /// Frontend API proxy (`CLERK_PROXY_URL`); also returned by `/api/config`.
    pub proxy_url: Option<String>,
    /// `CLERK_SECRET_KEY`: enables `/api/user` (Backend API).
    pub secret_key: Option<String>,
    /// `CLERK_API_URL`: the Backend API base (the emulator's, in tests and the demo).
    pub api_url: Option<String>,
    /// `CLERK_JWT_KEY`: a PEM public key for networkless verification.
    pub jwt_key: Option<String>,
    /// Static files to serve for non-API paths (an SPA: unknown paths get `index.html`).
    pub static_dir: Option<std::path::PathBuf>,
}

impl Config {
    /// The yew-clerk-server configuration for these settings.
    pub fn clerk_config(&self) -> ClerkConfig {
        let mut c = ClerkConfig::default()
            .with_authorized_parties(self.authorized_parties.clone())
            .with_clock_skew_secs(self.clock_skew_secs);
        c.publishable_key = self.publishable_key.clone();
        c.proxy_url = self.proxy_url.clone();
        c.secret_key = self.secret_key.clone();
        c.jwt_key = self.jwt_key.clone();
        c.jwks_url = self.jwks_url.clone();
        if let Some(api) = &self.api_url {
            c.api_url = api.clone();
        }
        c
    }
}

/// The Frontend API origin encoded in a publishable key (`pk_test_<base64("host$")>`), as
/// the browser library derives it (`FapiEndpoint::from_key`); `None` for a key whose host
/// holds a path.
pub fn frontend_api_from_publishable_key(key: &str) -> Option<String> {
    let key = PublishableKey::parse(key).ok()?;
    (!key.frontend_api().contains('/')).then(|| FapiEndpoint::from_key(&key).base().to_string())
}

struct AppState {
    config: Config,
}

fn signed_out(auth: &Auth) -> Response {
    match auth.protect() {
        Ok(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        Err(unauthorized) => unauthorized.into_response(),
    }
}

/// `getAuth(req)` / `auth()`: the verified identity, or 401 (503 on a JWKS outage).
async fn me(auth: Auth) -> Response {
    let Ok(me) = auth.protect() else {
        return signed_out(&auth);
    };
    let claims = me.session_claims();
    Json(json!({
        "user_id": me.user_id(),
        "session_id": me.session_id(),
        "session_status": claims.sts,
        "org_id": me.org_id(),
        "org_role": me.org_role(),
        "org_slug": me.org_slug(),
        "azp": claims.azp,
        "expires_at": claims.exp,
    }))
    .into_response()
}

/// A sensitive action: only with a factor verified in the last 10 minutes (`strict`), else
/// Clerk's 403 reverification error.
async fn sensitive(auth: Auth) -> Response {
    match auth.require_reverification(Reverification::Strict) {
        Ok(me) => Json(json!({
            "ok": true,
            "user_id": me.user_id(),
            "fva": me.session_claims().fva,
        }))
        .into_response(),
        Err(rejection) => rejection.into_response(),
    }
}

/// `currentUser()`: the Backend API user of the signed-in request (name, email).
async fn user(auth: Auth) -> Response {
    if !auth.is_signed_in() {
        return signed_out(&auth);
    }
    match auth.current_user().await {
        Ok(Some(u)) => Json(json!({
            "user_id": u.id,
            "name": u.full_name(),
            "email": u.primary_email_address(),
            "image_url": u.image_url,
        }))
        .into_response(),
        Ok(None) => signed_out(&auth),
        Err(e) => {
            let status = if matches!(e, yew_clerk_server::BackendError::NotConfigured) {
                StatusCode::NOT_IMPLEMENTED
            } else if e.is_outage() {
                StatusCode::SERVICE_UNAVAILABLE
            } else {
                StatusCode::BAD_GATEWAY
            };
            (
                status,
                Json(json!({"error": "BackendApi", "code": e.code(), "message": e.to_string()})),
            )
                .into_response()
        }
    }
}

/// The script body of yew-clerk's prefetch snippet, configured for this instance, so the demo's
/// `index.html` can start the Clerk load requests while the wasm downloads
/// (`<script src="/api/clerk-prefetch.js">`). Empty when the Frontend API is unknown.
pub fn prefetch_script(publishable_key: Option<&str>, proxy_url: Option<&str>) -> String {
    let Some(key) = publishable_key else {
        return String::new();
    };
    // The library fills in the base, the instance type and the key's dev-browser cookie suffix.
    let Ok(html) = yew_clerk::browser::prefetch::snippet_for_key(key, proxy_url) else {
        return String::new();
    };
    let start = html
        .find("<script>")
        .map(|i| i + "<script>".len())
        .unwrap_or(0);
    let end = html.rfind("</script>").unwrap_or(html.len());
    html.get(start..end).unwrap_or_default().trim().to_owned()
}

async fn clerk_prefetch(State(state): State<Arc<AppState>>) -> Response {
    let body = prefetch_script(
        state.config.publishable_key.as_deref(),
        state.config.proxy_url.as_deref(),
    );
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

async fn client_config(State(state): State<Arc<AppState>>) -> Response {
    Json(json!({
        "publishable_key": state.config.publishable_key,
        "proxy_url": state.config.proxy_url,
    }))
    .into_response()
}

/// The application router (fails on an invalid key or proxy URL).
pub fn router(config: Config) -> Result<Router, ConfigError> {
    let clerk = Clerk::new(config.clerk_config())?;
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(
            config
                .authorized_parties
                .iter()
                .filter_map(|o| HeaderValue::from_str(o).ok()),
        ))
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
        .allow_credentials(true);
    let static_dir = config.static_dir.clone();
    let state = Arc::new(AppState { config });
    // Only the protected endpoints run authenticate_request: the static pages are public
    // and must not be redirected to a handshake.
    let protected = Router::new()
        .route("/api/me", get(me))
        .route("/api/user", get(user))
        .route("/api/sensitive", post(sensitive))
        .layer(ClerkLayer::new(clerk));
    let api = Router::new()
        .route("/api/config", get(client_config))
        .route("/api/clerk-prefetch.js", get(clerk_prefetch))
        .route("/api/health", get(|| async { "ok" }))
        .with_state(state)
        .merge(protected)
        .layer(cors);
    Ok(match static_dir {
        Some(dir) => {
            let index = dir.join("index.html");
            api.fallback_service(ServeDir::new(dir).fallback(ServeFile::new(index)))
        }
        None => api,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frontend_api_is_decoded_from_the_key() {
        let key = yew_clerk::core::key::build_publishable_key(
            "clerk.example.test",
            yew_clerk::core::key::InstanceType::Development,
        );
        assert_eq!(
            frontend_api_from_publishable_key(&key).as_deref(),
            Some("https://clerk.example.test")
        );
        assert_eq!(frontend_api_from_publishable_key("pk_test_bm9wZQ"), None); // "nope", no '$'
        assert_eq!(frontend_api_from_publishable_key("sk_test_abc"), None);
    }

    #[test]
    fn prefetch_script_is_configured_for_the_instance() {
        let js = prefetch_script(
            Some("pk_test_Y2xlcmsuZXhhbXBsZS5jb20k"),
            Some("http://127.0.0.1:7451/"),
        );
        // Base, development instance, then the key's cookie suffix.
        assert!(js.contains("('http://127.0.0.1:7451', true, '"), "{js}");
        assert!(!js.contains("<script"), "{js}");
        assert!(prefetch_script(None, None).is_empty());
        assert!(prefetch_script(Some("pk_live_bad"), None).is_empty());
    }
}
