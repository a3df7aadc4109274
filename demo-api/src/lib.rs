//! The demo's protected API: the Rust counterpart of a Next.js API route that calls
//! `getAuth(req)` (see Clerk's "Read user and session data" guide).
//!
//! - `GET /api/me`: verifies the session token (`Authorization: Bearer <jwt>`, else the
//!   `__session` cookie) against the instance's JWKS and answers
//!   `200 {"user_id", "session_id", "org_id", ...}` or `401 {"error", "reason"}`.
//! - `GET /api/config`: the publishable key and proxy URL the demo app should use, so one
//!   build of the demo works against the emulator and against real Clerk.
//! - `GET /api/clerk-prefetch.js`: yew-clerk's `index.html` prefetch snippet for this instance.
//! - `GET /api/health`: `ok`.
//! - Optionally serves a static directory (the demo's `dist/`) for everything else.

pub mod verify;

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use serde_json::json;
use tokio::sync::Mutex;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::{ServeDir, ServeFile};

use crate::verify::{KeySet, Reason, VerifyOptions};

/// Minimum time between two JWKS fetches triggered by an unknown `kid`.
const JWKS_REFETCH_INTERVAL: Duration = Duration::from_secs(5);

/// Server configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where the instance's JWKS is (`<fapi>/.well-known/jwks.json`).
    pub jwks_url: String,
    /// Allowed `azp` values and CORS origins.
    pub authorized_parties: Vec<String>,
    /// Allowed clock skew in seconds.
    pub clock_skew_secs: i64,
    /// Returned by `/api/config`.
    pub publishable_key: Option<String>,
    /// Returned by `/api/config`.
    pub proxy_url: Option<String>,
    /// Static files to serve for non-API paths (an SPA: unknown paths get `index.html`).
    pub static_dir: Option<std::path::PathBuf>,
}

/// The Frontend API origin encoded in a publishable key (`pk_test_<base64("host$")>`).
pub fn frontend_api_from_publishable_key(key: &str) -> Option<String> {
    use base64::Engine;
    let encoded = key
        .strip_prefix("pk_test_")
        .or_else(|| key.strip_prefix("pk_live_"))?;
    let bytes = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(encoded.trim_end_matches('='))
        .ok()?;
    let host = String::from_utf8(bytes).ok()?;
    let host = host.strip_suffix('$')?;
    (host.contains('.') && !host.contains('/')).then(|| format!("https://{host}"))
}

/// Fetches and caches the JWKS; refetches when a token names an unknown `kid`.
pub struct JwksCache {
    url: String,
    http: reqwest::Client,
    state: Mutex<(KeySet, Option<Instant>)>,
}

impl JwksCache {
    /// A cache for the JWKS at `url` (nothing is fetched yet).
    pub fn new(url: String) -> JwksCache {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap_or_default();
        JwksCache {
            url,
            http,
            state: Mutex::new((KeySet::default(), None)),
        }
    }

    async fn fetch(&self) -> Result<KeySet, String> {
        let res = self
            .http
            .get(&self.url)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if !res.status().is_success() {
            return Err(format!("GET {} -> {}", self.url, res.status()));
        }
        KeySet::from_jwks_json(&res.text().await.map_err(|e| e.to_string())?)
    }

    /// The key set, guaranteed to have been (re)fetched if it lacks `kid` and the last fetch is
    /// older than the refetch interval.
    pub async fn keys_for(&self, kid: &str) -> Result<KeySet, Reason> {
        let mut guard = self.state.lock().await;
        let (keys, fetched_at) = &mut *guard;
        if keys.get(kid).is_none()
            && fetched_at.is_none_or(|t| t.elapsed() >= JWKS_REFETCH_INTERVAL)
        {
            match self.fetch().await {
                Ok(fresh) => {
                    *keys = fresh;
                    *fetched_at = Some(Instant::now());
                }
                Err(e) => {
                    eprintln!("demo-api: JWKS fetch failed: {e}");
                    if keys.is_empty() {
                        return Err(Reason::JwksUnavailable);
                    }
                }
            }
        }
        Ok(keys.clone())
    }
}

struct AppState {
    config: Config,
    jwks: JwksCache,
}

/// `getAuth(req)`: the verified identity of a request, or why there is none.
async fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<verify::Auth, Reason> {
    let get = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    let token = verify::token_from_request(get(header::AUTHORIZATION), get(header::COOKIE))
        .ok_or(Reason::TokenMissing)?;
    let kid = verify::token_kid(token)?;
    let keys = state.jwks.keys_for(&kid).await?;
    let options = VerifyOptions {
        authorized_parties: state.config.authorized_parties.clone(),
        clock_skew_secs: state.config.clock_skew_secs,
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    verify::verify_token(token, &keys, &options, now)
}

#[derive(Serialize)]
struct ErrorBody {
    error: &'static str,
    reason: Reason,
    message: &'static str,
}

fn unauthorized(reason: Reason) -> Response {
    let status = match reason {
        Reason::JwksUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::UNAUTHORIZED,
    };
    let error = if status == StatusCode::UNAUTHORIZED {
        "Unauthorized"
    } else {
        "Unavailable"
    };
    (
        status,
        Json(ErrorBody {
            error,
            reason,
            message: reason.message(),
        }),
    )
        .into_response()
}

async fn me(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    match authenticate(&state, &headers).await {
        Ok(auth) => Json(auth).into_response(),
        Err(reason) => unauthorized(reason),
    }
}

/// The script body of yew-clerk's prefetch snippet, configured for this instance, so the demo's
/// `index.html` can start the Clerk load requests while the wasm downloads
/// (`<script src="/api/clerk-prefetch.js">`). Empty when the Frontend API is unknown.
pub fn prefetch_script(publishable_key: Option<&str>, proxy_url: Option<&str>) -> String {
    let Some(key) = publishable_key else {
        return String::new();
    };
    let base = match proxy_url {
        Some(p) => p.trim_end_matches('/').to_owned(),
        None => match frontend_api_from_publishable_key(key) {
            Some(base) => base,
            None => return String::new(),
        },
    };
    let html = yew_clerk::browser::prefetch::snippet(&base, key.starts_with("pk_test_"));
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

/// The application router.
pub fn router(config: Config) -> Router {
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(
            config
                .authorized_parties
                .iter()
                .filter_map(|o| HeaderValue::from_str(o).ok()),
        ))
        .allow_methods([Method::GET, Method::OPTIONS])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
        .allow_credentials(true);
    let static_dir = config.static_dir.clone();
    let state = Arc::new(AppState {
        jwks: JwksCache::new(config.jwks_url.clone()),
        config,
    });
    let api = Router::new()
        .route("/api/me", get(me))
        .route("/api/config", get(client_config))
        .route("/api/clerk-prefetch.js", get(clerk_prefetch))
        .route("/api/health", get(|| async { "ok" }))
        .layer(cors)
        .with_state(state);
    match static_dir {
        Some(dir) => {
            let index = dir.join("index.html");
            api.fallback_service(ServeDir::new(dir).fallback(ServeFile::new(index)))
        }
        None => api,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frontend_api_is_decoded_from_the_key() {
        use base64::Engine;
        let key = format!(
            "pk_test_{}",
            base64::engine::general_purpose::STANDARD.encode("clerk.example.test$")
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
        let js = prefetch_script(Some("pk_test_x"), Some("http://127.0.0.1:7451/"));
        assert!(js.contains("('http://127.0.0.1:7451', true)"), "{js}");
        assert!(!js.contains("<script"), "{js}");
        assert!(prefetch_script(None, None).is_empty());
        assert!(prefetch_script(Some("pk_live_bad"), None).is_empty());
    }
}
