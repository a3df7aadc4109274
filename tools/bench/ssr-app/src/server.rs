//! The page server of the `ssr` variant of `tools/bench/load-time.mjs`.
//!
//! Every page request goes through yew-clerk-server's `ClerkLayer` (`authenticate_request`
//! against the emulator: development instance, JWKS from the emulator's
//! `/.well-known/jwks.json`, cached after the first request; an expired `__session` with
//! `__client_uat` set goes through the handshake), and the page is Yew's `ServerRenderer`
//! output of the bench app with the request's [`InitialState`], plus the state's `<script>`
//! for the hydrating client. No Backend API call (the marker shows only the auth state).
//!
//! It serves pages only: the bench's static server sits in front of it (it adds the per-request
//! latency and gzip, exactly as for the other variants, and serves the wasm), so this process
//! neither delays nor compresses.
//!
//! Configured from the environment: `CLERK_PUBLISHABLE_KEY`, `CLERK_PROXY_URL` (the emulator's
//! URL), `BENCH_SSR_ORIGIN` (the page origin: the tokens' authorized party), `BENCH_SSR_HEAD`
//! (HTML placed at the start of `<head>`: the bench's instrumentation, `window.__BENCH`, the
//! module preload and script), `BENCH_SSR_ADDR` (default `127.0.0.1:0`). Prints
//! `listening on http://ADDR` on stdout once bound.

#[cfg(not(target_arch = "wasm32"))]
mod server {
    use std::io::Write;
    use std::net::SocketAddr;
    use std::rc::Rc;
    use std::sync::Arc;

    use axum::extract::{Request, State};
    use axum::http::header;
    use axum::response::{IntoResponse, Response};
    use axum::Router;
    use bench_ssr::bench_app::{App, AppProps};
    use tower::ServiceExt;
    use yew::AttrValue;
    use yew_clerk::core::initial_state::InitialState;
    use yew_clerk_server::{Auth, Clerk, ClerkConfig, ClerkLayer};

    struct Page {
        publishable_key: String,
        proxy_url: String,
        head: String,
    }

    fn env(name: &str) -> Option<String> {
        std::env::var(name).ok().filter(|v| !v.trim().is_empty())
    }

    async fn page(State(page): State<Arc<Page>>, auth: Auth) -> Response {
        let initial = match auth.session_claims() {
            Some(claims) => InitialState::from_claims(claims),
            None => InitialState::signed_out(),
        };
        let state_tag = initial.script_tag();
        let (publishable_key, proxy_url) = (page.publishable_key.clone(), page.proxy_url.clone());
        // The props are built on the renderer's thread (they hold an Rc).
        let body = yew::ServerRenderer::<App>::with_props(move || AppProps {
            publishable_key: AttrValue::from(publishable_key),
            proxy_url: AttrValue::from(proxy_url),
            initial: Some(Rc::new(initial)),
        })
        .render()
        .await;
        // <body> holds exactly the app's HTML: the client hydrates <body>.
        let html = format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>yew-clerk SSR</title>\n{head}\n{state_tag}\n</head><body>{body}</body></html>",
            head = page.head,
        );
        (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            html,
        )
            .into_response()
    }

    /// Whether the request carries a dev browser (`__clerk_db_jwt` cookie, or the query
    /// parameter of a handshake's return). Without one a development browser has no client
    /// yet: it is signed out and rendered so without a handshake (the Frontend API's handshake
    /// needs a dev browser; the hydrated client creates one as it loads), as demo-ssr does.
    fn has_dev_browser(req: &Request) -> bool {
        let in_cookie = req
            .headers()
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .any(|c| {
                c.trim()
                    .strip_prefix("__clerk_db_jwt")
                    .and_then(|rest| rest.split_once('='))
                    .is_some_and(|(suffix, v)| {
                        (suffix.is_empty() || suffix.starts_with('_')) && !v.is_empty()
                    })
            });
        let in_query = req
            .uri()
            .query()
            .is_some_and(|q| q.contains("__clerk_db_jwt="));
        in_cookie || in_query
    }

    pub async fn run() -> std::process::ExitCode {
        let fail = |what: String| {
            eprintln!("bench-ssr-server: {what}");
            std::process::ExitCode::from(2)
        };
        let addr: SocketAddr = match env("BENCH_SSR_ADDR")
            .unwrap_or_else(|| "127.0.0.1:0".into())
            .parse()
        {
            Ok(addr) => addr,
            Err(e) => return fail(format!("BENCH_SSR_ADDR: {e}")),
        };
        let (Some(publishable_key), Some(proxy_url)) =
            (env("CLERK_PUBLISHABLE_KEY"), env("CLERK_PROXY_URL"))
        else {
            return fail("set CLERK_PUBLISHABLE_KEY and CLERK_PROXY_URL".into());
        };
        let mut config = ClerkConfig::default()
            .with_publishable_key(publishable_key.clone())
            .with_proxy_url(proxy_url.clone())
            .with_jwks_url(format!(
                "{}/.well-known/jwks.json",
                proxy_url.trim_end_matches('/')
            ));
        if let Some(origin) = env("BENCH_SSR_ORIGIN") {
            config = config.with_authorized_parties([origin]);
        }
        let clerk = match Clerk::new(config) {
            Ok(clerk) => clerk,
            Err(e) => return fail(e.to_string()),
        };
        let state = Arc::new(Page {
            publishable_key,
            proxy_url,
            head: env("BENCH_SSR_HEAD").unwrap_or_default(),
        });
        let plain = Router::new().fallback(page).with_state(state);
        let authenticated = plain.clone().layer(ClerkLayer::new(clerk));
        let app = Router::new().fallback(move |req: Request| {
            let route = if has_dev_browser(&req) {
                authenticated.clone()
            } else {
                plain.clone()
            };
            async move {
                match route.oneshot(req).await {
                    Ok(res) => res,
                    Err(never) => match never {},
                }
            }
        });
        let listener = match tokio::net::TcpListener::bind(addr).await {
            Ok(l) => l,
            Err(e) => return fail(format!("cannot listen on {addr}: {e}")),
        };
        let bound = match listener.local_addr() {
            Ok(a) => a,
            Err(e) => return fail(e.to_string()),
        };
        println!("listening on http://{bound}");
        let _ = std::io::stdout().flush();
        if let Err(e) = axum::serve(listener, app).await {
            return fail(e.to_string());
        }
        std::process::ExitCode::SUCCESS
    }
}

#[cfg(not(target_arch = "wasm32"))]
#[tokio::main]
async fn main() -> std::process::ExitCode {
    server::run().await
}

#[cfg(target_arch = "wasm32")]
fn main() {}
