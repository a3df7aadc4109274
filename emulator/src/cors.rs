//! CORS for credentialed requests from local pages.
//!
//! clerk-js fetches with `credentials: 'include'`, so `*` is not allowed: the
//! emulator echoes the `Origin` of local pages (localhost, 127.0.0.1, `[::1]`,
//! any port) and allows credentials. `Cross-Origin-Resource-Policy: cross-origin`
//! goes on every response because the wasm-bindgen test runner's page is
//! cross-origin isolated (COEP) and would block the responses otherwise.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use hyper::header::{HeaderMap, HeaderValue};
use hyper::{Method, StatusCode};

use crate::server::DropConnection;

/// The CORS layer (outermost, `axum::middleware::from_fn`): answers every `OPTIONS`
/// as a preflight (204, nothing else runs) and adds [`apply`]'s headers to every
/// other answer. tower-http's `CorsLayer` is not used: it answers preflights 200,
/// passes `OPTIONS` without `Access-Control-Request-Method` on to the routes, adds
/// no `Cross-Origin-Resource-Policy` and allows no headers unless asked.
pub async fn layer(req: Request, next: Next) -> Response {
    let origin = header(req.headers(), "origin");
    if req.method() == Method::OPTIONS {
        let requested = header(req.headers(), "access-control-request-headers");
        let mut resp = Response::new(axum::body::Body::empty());
        *resp.status_mut() = StatusCode::NO_CONTENT;
        apply(resp.headers_mut(), origin.as_deref());
        preflight(resp.headers_mut(), requested.as_deref());
        return resp;
    }
    let mut resp = next.run(req).await;
    if resp.extensions().get::<DropConnection>().is_none() {
        apply(resp.headers_mut(), origin.as_deref());
    }
    resp
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// Whether `origin` is a local page we serve CORS to.
pub fn origin_allowed(origin: &str) -> bool {
    let rest = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"));
    let Some(rest) = rest else { return false };
    let host = if let Some(v6) = rest.strip_prefix('[') {
        v6.split(']')
            .next()
            .map(|h| format!("[{h}]"))
            .unwrap_or_default()
    } else {
        rest.split(':').next().unwrap_or_default().to_string()
    };
    host == "localhost" || host.ends_with(".localhost") || host == "127.0.0.1" || host == "[::1]"
}

/// Adds the CORS and CORP headers for a response to a request with `origin`.
pub fn apply(headers: &mut HeaderMap, origin: Option<&str>) {
    headers.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("cross-origin"),
    );
    headers.append("vary", HeaderValue::from_static("Origin"));
    let Some(origin) = origin.filter(|o| origin_allowed(o)) else {
        return;
    };
    if let Ok(v) = HeaderValue::from_str(origin) {
        headers.insert("access-control-allow-origin", v);
        headers.insert(
            "access-control-allow-credentials",
            HeaderValue::from_static("true"),
        );
        headers.insert(
            "access-control-expose-headers",
            HeaderValue::from_static("Retry-After, Clerk-Db-Jwt, x-country, Authorization"),
        );
    }
}

/// Headers of a preflight (`OPTIONS`) answer, on top of [`apply`].
pub fn preflight(headers: &mut HeaderMap, requested_headers: Option<&str>) {
    headers.insert(
        "access-control-allow-methods",
        HeaderValue::from_static("GET, POST, PUT, PATCH, DELETE, OPTIONS"),
    );
    // The control API is JSON (content-type needs a preflight); echo what was asked.
    let allow = requested_headers
        .and_then(|h| HeaderValue::from_str(h).ok())
        .unwrap_or(HeaderValue::from_static(
            "content-type, authorization, clerk-api-version",
        ));
    headers.insert("access-control-allow-headers", allow);
    headers.insert("access-control-max-age", HeaderValue::from_static("600"));
    headers.insert(
        "access-control-allow-private-network",
        HeaderValue::from_static("true"),
    );
}
