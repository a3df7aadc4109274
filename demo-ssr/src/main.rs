//! `demo-ssr`: the demo app rendered on the server.
//!
//! Every page request goes through yew-clerk-server's `ClerkLayer` (so an expired
//! `__session` with `__client_uat` set is sent through Clerk's handshake first), the `Auth`
//! extractor gives the verified claims, `currentUser()` adds the name when a secret key is
//! configured, and the page is Yew's `ServerRenderer` output of `demo_ssr::App` with that
//! [`InitialState`] embedded for the hydrating client. `/api/*` is the demo API (demo-api's
//! router), `/pkg/*` the wasm-bindgen output of `demo-ssr-app`, `/style.css` the demo's CSS.
//!
//! Configured like demo-api, from the environment: `CLERK_PUBLISHABLE_KEY`, `CLERK_PROXY_URL`,
//! `CLERK_SECRET_KEY`, `CLERK_API_URL`, `CLERK_JWT_KEY`; plus `DEMO_SSR_ADDR`
//! (127.0.0.1:8080), `DEMO_SSR_PKG` (the wasm-bindgen output directory) and
//! `DEMO_SSR_STYLE` (demo/style.css).

#[cfg(not(target_arch = "wasm32"))]
mod server {
    use std::net::SocketAddr;
    use std::path::PathBuf;
    use std::sync::Arc;

    use axum::extract::State;
    use axum::response::{Html, IntoResponse, Response};
    use axum::routing::get;
    use axum::Router;
    use demo_ssr::{App, AppProps, DemoConfig, CONFIG_ELEMENT_ID};
    use tower::ServiceExt;
    use tower_http::services::{ServeDir, ServeFile};
    use yew_clerk::core::initial_state::{InitialState, InitialUser};
    use yew_clerk_server::{Auth, Clerk, ClerkLayer};

    struct Page {
        config: DemoConfig,
    }

    fn env(name: &str) -> Option<String> {
        std::env::var(name).ok().filter(|v| !v.trim().is_empty())
    }

    /// The request's auth as the first render's state (the Rust `buildClerkProps`).
    async fn initial_state(auth: &Auth) -> InitialState {
        let Some(claims) = auth.session_claims() else {
            return InitialState::signed_out();
        };
        let state = InitialState::from_claims(claims);
        // currentUser() for the name; without a secret key (or on a Backend API error) the
        // page still renders signed in, and the client fills the user in after its load.
        match auth.current_user().await {
            Ok(Some(user)) => state.with_user(InitialUser {
                primary_email_address: user.primary_email_address().map(str::to_owned),
                id: user.id,
                first_name: user.first_name,
                last_name: user.last_name,
                image_url: user.image_url,
            }),
            _ => state,
        }
    }

    async fn page(State(page): State<Arc<Page>>, auth: Auth) -> Response {
        let initial = initial_state(&auth).await;
        let props = AppProps {
            config: page.config.clone(),
            initial: Some(initial.clone()),
        };
        let body = yew::ServerRenderer::<App>::with_props(move || props)
            .render()
            .await;
        // The configuration holds only our own key and URL; '<' is escaped all the same.
        let config = serde_json::to_string(&page.config)
            .unwrap_or_default()
            .replace('<', "\\u003c");
        Html(format!(
            r#"<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>yew-clerk demo (SSR)</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="/style.css" />
    <script src="/api/clerk-prefetch.js"></script>
    {state}
    <script type="application/json" id="{CONFIG_ELEMENT_ID}">{config}</script>
    <script type="module">import init from "/pkg/demo-ssr-app.js"; init({{ module_or_path: "/pkg/demo-ssr-app_bg.wasm" }});</script>
  </head>
  <body><div id="app">{body}</div></body>
</html>"#,
            state = initial.script_tag(),
        ))
        .into_response()
    }

    fn publishable_key_is_development(key: &str) -> bool {
        key.starts_with("pk_test_")
    }

    /// Whether the request carries a dev browser (`__clerk_db_jwt` cookie, or the query
    /// parameter of a handshake's return).
    fn has_dev_browser(req: &axum::extract::Request) -> bool {
        let in_cookie = req
            .headers()
            .get_all(axum::http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .any(|c| {
                c.trim()
                    .strip_prefix("__clerk_db_jwt=")
                    .is_some_and(|v| !v.is_empty())
            });
        let in_query = req
            .uri()
            .query()
            .is_some_and(|q| q.contains("__clerk_db_jwt="));
        in_cookie || in_query
    }

    pub async fn run() -> std::process::ExitCode {
        let addr: SocketAddr = match env("DEMO_SSR_ADDR")
            .unwrap_or_else(|| "127.0.0.1:8080".into())
            .parse()
        {
            Ok(addr) => addr,
            Err(e) => {
                eprintln!("demo-ssr: DEMO_SSR_ADDR: {e}");
                return std::process::ExitCode::from(2);
            }
        };
        let Some(publishable_key) = env("CLERK_PUBLISHABLE_KEY") else {
            eprintln!("demo-ssr: set CLERK_PUBLISHABLE_KEY (scripts/demo --ssr does)");
            return std::process::ExitCode::from(2);
        };
        let proxy_url = env("CLERK_PROXY_URL");
        let jwt_key = env("CLERK_JWT_KEY");
        let jwks_url = match (&jwt_key, &proxy_url) {
            (Some(_), _) => None,
            (None, Some(proxy)) => Some(format!(
                "{}/.well-known/jwks.json",
                proxy.trim_end_matches('/')
            )),
            (None, None) => demo_api::frontend_api_from_publishable_key(&publishable_key)
                .map(|base| format!("{base}/.well-known/jwks.json")),
        };
        let origin = format!("http://{addr}");
        let config = demo_api::Config {
            jwks_url,
            authorized_parties: vec![origin.clone(), origin.replace("127.0.0.1", "localhost")],
            clock_skew_secs: yew_clerk_server::verify::DEFAULT_CLOCK_SKEW_SECS,
            publishable_key: Some(publishable_key.clone()),
            proxy_url: proxy_url.clone(),
            secret_key: env("CLERK_SECRET_KEY"),
            api_url: env("CLERK_API_URL"),
            jwt_key,
            static_dir: None,
        };
        let clerk = match Clerk::new(config.clerk_config()) {
            Ok(clerk) => clerk,
            Err(e) => {
                eprintln!("demo-ssr: {e}");
                return std::process::ExitCode::from(2);
            }
        };
        let api = match demo_api::router(config) {
            Ok(api) => api,
            Err(e) => {
                eprintln!("demo-ssr: {e}");
                return std::process::ExitCode::from(2);
            }
        };
        let pkg = PathBuf::from(env("DEMO_SSR_PKG").unwrap_or_else(|| "dist-ssr/pkg".into()));
        let style = PathBuf::from(env("DEMO_SSR_STYLE").unwrap_or_else(|| "demo/style.css".into()));
        let page_state_key = publishable_key.clone();
        let page_state = Arc::new(Page {
            config: DemoConfig {
                publishable_key,
                proxy_url,
            },
        });
        // Pages run authenticate_request (and the handshake); assets and the API do not
        // (the API's protected routes have their own layer).
        let plain = Router::new()
            .route("/", get(page))
            .fallback(page)
            .with_state(page_state);
        let authenticated = plain.clone().layer(ClerkLayer::new(clerk));
        let development = publishable_key_is_development(&page_state_key);
        // A development browser that has no dev browser yet has no client either: it is
        // signed out, and the page renders so without a handshake (the emulator's handshake
        // needs a dev browser; the hydrated client creates one as it loads).
        let pages = Router::new().fallback(move |req: axum::extract::Request| {
            let route = if development && !has_dev_browser(&req) {
                plain.clone()
            } else {
                authenticated.clone()
            };
            async move {
                match route.oneshot(req).await {
                    Ok(res) => res,
                    Err(never) => match never {},
                }
            }
        });
        let app = Router::new()
            .nest_service("/pkg", ServeDir::new(pkg))
            .route_service("/style.css", ServeFile::new(style))
            .merge(api)
            .merge(pages);
        let listener = match tokio::net::TcpListener::bind(addr).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("demo-ssr: cannot listen on {addr}: {e}");
                return std::process::ExitCode::from(1);
            }
        };
        println!("demo-ssr listening on http://{addr}");
        if let Err(e) = axum::serve(listener, app).await {
            eprintln!("demo-ssr: {e}");
            return std::process::ExitCode::from(1);
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
