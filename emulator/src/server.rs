//! The HTTP server: an axum [`Router`] whose layers are CORS (outermost), the body
//! limit and parsing, then faults and the request log; behind them the FAPI routes
//! ([`fn@routes::router`]) and, for any other path, `other` (the control API, the
//! Backend API, the hosted and OAuth pages). hyper's accept loop stays underneath
//! because the "drop" and "stall" faults close a connection without answering,
//! which an axum service (infallible) cannot express: the fault layer marks such a
//! response with [`DropConnection`] and the connection's service turns the mark
//! into an error, which makes hyper close the connection.

use std::future::Future;
use std::pin::pin;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::header::CONTENT_TYPE;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Uri};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinSet;
use tower::{ServiceBuilder, ServiceExt};

use crate::errors::ApiError;
use crate::faults::{self, FaultKind};
use crate::http::{Body, Reply, Req};
use crate::state::{now_ms, App, LogEntry};
use crate::{control, cors, routes};

/// Largest request body accepted (FAPI bodies are small forms).
const MAX_BODY: usize = 1 << 20;
/// How much of an oversized body is read (and dropped) before answering 413.
const MAX_DRAIN: usize = 8 << 20;

/// Returned by the service to make hyper close the connection without answering
/// (the "drop" fault); as a response extension, the fault layer's mark for it.
#[derive(Debug, Clone, Copy)]
pub struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for DropConnection {}

/// When the request arrived (before its body was read), for the request log.
#[derive(Debug, Clone, Copy)]
struct ArrivedAt(i64);

/// The emulator as an axum service: `app_routes` behind the CORS, body and fault layers.
///
/// CORS and the body layer wrap the router rather than being its layers: the body
/// layer decides what the routes are matched on ([`routed`]), and a
/// `Router::layer` runs after routing. Faults and the log are a `Router::layer`
/// (they run for every route and the fallback, after the body layer).
pub fn router(app: Arc<App>) -> Router {
    let routes = app_routes().layer(middleware::from_fn_with_state(app.clone(), faults_and_log));
    let service = ServiceBuilder::new()
        .layer(middleware::from_fn(cors::layer))
        .layer(middleware::from_fn_with_state(app, read_body))
        .service(routes);
    Router::new().fallback_service(service)
}

/// Every route without layers: FAPI's, then [`other`] for any other path. The
/// routes take the app from the request ([`routed`]) rather than as the router's
/// state, so that one table, built once, serves every app (`respond` needs one
/// per request, and building a table costs far more than answering).
fn app_routes() -> Router {
    static ROUTES: OnceLock<Router> = OnceLock::new();
    ROUTES
        .get_or_init(|| {
            routes::router().fallback(routes::router::Public(|app, req| Ok(other(app, req))))
        })
        .clone()
}

/// Accepts connections until `shutdown` fires, then stops in-flight ones.
pub async fn run(listener: TcpListener, app: Arc<App>, shutdown: oneshot::Receiver<()>) {
    let router = router(app);
    let mut conns = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else {
                    // e.g. too many open files: back off instead of spinning.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                };
                let router = router.clone();
                conns.spawn(async move {
                    let svc = service_fn(move |req| handle(router.clone(), req));
                    // Errors here are client disconnects or dropped-by-fault: nothing to do.
                    let _ = http1::Builder::new().keep_alive(true).serve_connection(TokioIo::new(stream), svc).await;
                });
            }
            _ = &mut shutdown => break,
            // Reap finished connection tasks so the set does not grow forever.
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
        }
    }
    conns.shutdown().await;
}

/// Serves one request through [`router`]; a response marked [`DropConnection`]
/// becomes an error, so hyper closes the connection without answering.
pub async fn handle(router: Router, req: Request<Incoming>) -> Result<Response, DropConnection> {
    let Ok(resp) = router.oneshot(req).await;
    if resp.extensions().get::<DropConnection>().is_some() {
        return Err(DropConnection);
    }
    Ok(resp)
}

fn effective_method(wire: &str, query: &[(String, String)]) -> String {
    if wire == "POST" {
        if let Some((_, m)) = query.iter().find(|(k, _)| k == "_method") {
            let m = m.to_ascii_uppercase();
            if matches!(m.as_str(), "PATCH" | "PUT" | "DELETE" | "GET") {
                return m;
            }
        }
    }
    wire.to_string()
}

/// The body layer: reads the body (at most [`MAX_BODY`], else 413 after draining up
/// to [`MAX_DRAIN`]), parses the request into a [`Req`] and hands it on as an extension.
async fn read_body(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let at_ms = now_ms();
    let (parts, mut body) = req.into_parts();
    let mut kept = Vec::new();
    let mut seen = 0usize;
    // Read at most MAX_BODY; past it keep reading (and dropping) up to MAX_DRAIN, so that a
    // client still writing its body reads the 413 instead of a broken pipe. Beyond MAX_DRAIN the
    // connection is closed unread.
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else { break };
        let Ok(data) = frame.into_data() else {
            continue;
        };
        seen = seen.saturating_add(data.len());
        if seen <= MAX_BODY {
            kept.extend_from_slice(&data);
        } else if seen > MAX_DRAIN {
            break;
        }
    }
    if seen > MAX_BODY {
        return Reply::from(ApiError::new(
            413,
            "request_body_too_large",
            "Request too large",
            "The request body is too large.",
        ))
        .into_response();
    }
    let mut next_req = routed(app, Arc::new(parse_parts(parts, Bytes::from(kept))));
    next_req.extensions_mut().insert(ArrivedAt(at_ms));
    next.run(next_req).await
}

/// The request the routes are matched on: the effective method (FAPI's `_method`
/// override), the path as FAPI reads it ([`routes::router::route_path`]), no body;
/// the app and the parsed [`Req`] (what the handlers read) as extensions.
pub fn routed(app: Arc<App>, req: Arc<Req>) -> Request {
    let mut routed = Request::new(axum::body::Body::empty());
    if let Ok(method) = Method::from_bytes(req.method.as_bytes()) {
        *routed.method_mut() = method;
    }
    if let Ok(uri) = Uri::try_from(routes::router::route_path(&req.path).as_ref()) {
        *routed.uri_mut() = uri;
    }
    routed.extensions_mut().insert(app);
    routed.extensions_mut().insert(req);
    routed
}

/// Builds a [`Req`] from the request head and its (already size-limited) body:
/// decodes the query and, unless the body is JSON, the form body; resolves
/// `_method`. Never fails: undecodable queries and bodies read as empty.
pub fn parse_parts(parts: hyper::http::request::Parts, body: Bytes) -> Req {
    let raw_query = parts.uri.query().unwrap_or("").to_string();
    let query: Vec<(String, String)> = serde_urlencoded::from_str(&raw_query).unwrap_or_default();
    let wire_method = parts.method.as_str().to_string();
    let method = effective_method(&wire_method, &query);
    let is_json = parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.to_ascii_lowercase().contains("json"));
    let form = if is_json {
        Vec::new()
    } else {
        serde_urlencoded::from_bytes(&body).unwrap_or_default()
    };
    Req {
        method,
        wire_method,
        path: parts.uri.path().to_string(),
        raw_query,
        query,
        form,
        body,
        headers: parts.headers,
    }
}

/// Answers a parsed request without faults, in process: the routes of [`router`]
/// (`app_routes`) without its layers, for tests that run many requests quickly.
/// Every input gets a reply.
pub fn respond(app: &Arc<App>, req: &Req) -> Reply {
    let request = routed(app.clone(), Arc::new(req.clone()));
    // The routes answer synchronously (their handlers return ready futures), so
    // one poll answers; anything else would be a bug, answered as a 500.
    let Some(Ok(resp)) = poll_once(app_routes().oneshot(request)) else {
        return ApiError::for_status(500).into();
    };
    let (parts, body) = resp.into_parts();
    match poll_once(body.collect()) {
        Some(Ok(body)) => Reply::from_response(parts, body.to_bytes()),
        _ => ApiError::for_status(500).into(),
    }
}

/// Polls `future` once: its output if it is ready.
fn poll_once<F: Future>(future: F) -> Option<F::Output> {
    let mut cx = Context::from_waker(Waker::noop());
    match pin!(future).poll(&mut cx) {
        Poll::Ready(out) => Some(out),
        Poll::Pending => None,
    }
}

/// FAPI and BAPI paths: faults apply to them and they are logged.
fn is_api(path: &str) -> bool {
    path.starts_with("/v1/")
        || path == "/v1"
        || path.starts_with("/.well-known/")
        || crate::bapi::is_bapi(path)
}

/// The fault layer: applies the first matching fault to FAPI/BAPI requests (the
/// control API and hosted pages are never faulted) and logs them.
async fn faults_and_log(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let (Some(req), Some(ArrivedAt(at_ms))) = (
        request.extensions().get::<Arc<Req>>().cloned(),
        request.extensions().get::<ArrivedAt>().copied(),
    ) else {
        return next.run(request).await;
    };
    if req.path.starts_with("/__emulator/") || !is_api(&req.path) {
        return next.run(request).await;
    }
    let fault = {
        let mut f = app.faults.lock().unwrap_or_else(|e| e.into_inner());
        faults::take(&mut f, &req.method, &req.path)
    };
    if let Some(f) = fault.as_ref().filter(|f| f.kind == FaultKind::Stall) {
        // Nothing is sent: the client's timeout fires first; the bound frees the task.
        tokio::time::sleep(Duration::from_millis(f.stall_ms())).await;
        log(&app, &req, 0, at_ms);
        return dropped();
    }
    if let Some(ms) = fault.as_ref().and_then(|f| f.latency_ms) {
        tokio::time::sleep(Duration::from_millis(ms.min(faults::MAX_DELAY_MS))).await;
    }
    let reply = match fault.as_ref().map(|f| f.kind) {
        Some(FaultKind::Drop | FaultKind::Stall) => {
            log(&app, &req, 0, at_ms);
            return dropped();
        }
        Some(FaultKind::Status) => {
            ApiError::for_status(fault.as_ref().and_then(|f| f.status).unwrap_or(500)).into()
        }
        Some(FaultKind::RateLimit) => {
            ApiError::rate_limit_exceeded(fault.as_ref().and_then(|f| f.retry_after).unwrap_or(1))
                .into()
        }
        Some(FaultKind::Malformed) => Reply {
            status: 200,
            body: Body::Raw(
                "application/json",
                b"{\"response\": {\"object\": \"cli".to_vec(),
            ),
            headers: Vec::new(),
        },
        Some(FaultKind::Html) => {
            let status = fault.as_ref().and_then(|f| f.status).unwrap_or(200);
            Reply {
                status,
                body: Body::Html(faults::html_page(status)),
                headers: Vec::new(),
            }
        }
        Some(FaultKind::Latency) | None => {
            let resp = next.run(request).await;
            log(&app, &req, resp.status().as_u16(), at_ms);
            return resp;
        }
    };
    log(&app, &req, reply.status, at_ms);
    reply.into_response()
}

/// A response marked to close the connection unanswered (see [`handle`]).
fn dropped() -> Response {
    let mut resp = Response::new(axum::body::Body::empty());
    resp.extensions_mut().insert(DropConnection);
    resp
}

/// Any path that is no FAPI route: the control API, the Backend API, the hosted
/// pages and the OAuth provider's pages; `/.well-known/…` other than the JWKS is
/// 404 without FAPI's checks.
fn other(app: &App, req: &Req) -> Reply {
    if req.path.starts_with("/__emulator/") {
        return control::handle(app, req);
    }
    if crate::bapi::is_bapi(&req.path) {
        return crate::bapi::handle(app, req);
    }
    if is_api(&req.path) {
        return ApiError::resource_not_found("Resource").into();
    }
    match (req.method.as_str(), req.path.as_str()) {
        ("GET", "/sign-in" | "/sign-in/") => routes::hosted::sign_in(app),
        ("GET", "/sign-up" | "/sign-up/") => routes::hosted::sign_up(app),
        ("GET", "/") => routes::hosted::index(app),
        (_, p) if p.starts_with("/oauth/") => routes::oauth::idp(app, req),
        _ => ApiError::resource_not_found("Page").into(),
    }
}

fn log(app: &App, req: &Req, status: u16, at_ms: i64) {
    let entry = LogEntry {
        method: req.method.clone(),
        wire_method: req.wire_method.clone(),
        path: req.path.clone(),
        query: req.raw_query.clone(),
        status,
        at_ms,
    };
    app.log
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(entry);
}
