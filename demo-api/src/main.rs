//! `demo-api`: the demo's protected API. See the library docs (`src/lib.rs`).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;
use demo_api::{frontend_api_from_publishable_key, router, Config};

/// The demo's protected API, on yew-clerk-server (`getAuth(req)`, `currentUser()`).
/// Configured from the environment like Clerk's SDKs; flags override.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// Address to listen on.
    #[arg(long, env = "DEMO_API_ADDR", default_value = "127.0.0.1:7460")]
    addr: SocketAddr,
    /// Publishable key (returned by /api/config; also locates the JWKS when no URL is given).
    #[arg(long, env = "CLERK_PUBLISHABLE_KEY")]
    publishable_key: Option<String>,
    /// Frontend API base URL override (Clerk's proxyUrl), e.g. the emulator's URL.
    #[arg(long, env = "CLERK_PROXY_URL")]
    proxy_url: Option<String>,
    /// JWKS URL. Default: <proxy-url>/.well-known/jwks.json, else https://<frontend api>/.well-known/jwks.json.
    #[arg(long, env = "CLERK_JWKS_URL")]
    jwks_url: Option<String>,
    /// Secret key: enables `GET /api/user` (Backend API).
    #[arg(long, env = "CLERK_SECRET_KEY", hide_env_values = true)]
    secret_key: Option<String>,
    /// Backend API base URL (default https://api.clerk.com; the emulator prints its own).
    #[arg(long, env = "CLERK_API_URL")]
    api_url: Option<String>,
    /// PEM public key for networkless verification (instead of the JWKS).
    #[arg(long, env = "CLERK_JWT_KEY", hide_env_values = true)]
    jwt_key: Option<String>,
    /// Allowed `azp` values and CORS origins, comma-separated. Empty: azp is not checked.
    #[arg(
        long,
        env = "DEMO_AUTHORIZED_PARTIES",
        value_delimiter = ',',
        default_value = "http://127.0.0.1:8080,http://localhost:8080"
    )]
    authorized_parties: Vec<String>,
    /// Allowed clock skew for exp/nbf, in seconds.
    #[arg(long, default_value_t = yew_clerk_server::verify::DEFAULT_CLOCK_SKEW_SECS)]
    clock_skew_secs: i64,
    /// Serve this directory (the demo's dist/) for non-API paths.
    #[arg(long, env = "DEMO_STATIC_DIR")]
    static_dir: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    // Without an explicit URL the JWKS comes from the proxy (the emulator) or the key's
    // Frontend API, as before; with only a secret key or a JWT key, yew-clerk-server picks.
    let jwks_url = args.jwks_url.clone().or_else(|| {
        let base = match &args.proxy_url {
            Some(proxy) => proxy.trim_end_matches('/').to_owned(),
            None => frontend_api_from_publishable_key(args.publishable_key.as_deref()?)?,
        };
        Some(format!("{base}/.well-known/jwks.json"))
    });
    let jwks_url = if args.jwt_key.is_some() {
        None
    } else {
        jwks_url
    };
    if jwks_url.is_none() && args.jwt_key.is_none() && args.secret_key.is_none() {
        eprintln!("demo-api: give --jwks-url, --proxy-url, a valid --publishable-key, --secret-key or --jwt-key (or their env vars)");
        return std::process::ExitCode::from(2);
    }
    let authorized_parties: Vec<String> = args
        .authorized_parties
        .iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    let config = Config {
        jwks_url: jwks_url.clone(),
        authorized_parties: authorized_parties.clone(),
        clock_skew_secs: args.clock_skew_secs,
        publishable_key: args.publishable_key,
        proxy_url: args.proxy_url,
        secret_key: args.secret_key,
        api_url: args.api_url,
        jwt_key: args.jwt_key,
        static_dir: args.static_dir,
    };
    let app = match router(config) {
        Ok(app) => app,
        Err(e) => {
            eprintln!("demo-api: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(args.addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("demo-api: cannot listen on {}: {e}", args.addr);
            return std::process::ExitCode::FAILURE;
        }
    };
    let addr = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    let jwks = jwks_url
        .as_deref()
        .unwrap_or("derived (CLERK_JWT_KEY or Backend API)");
    println!("demo-api listening on http://{addr} (jwks: {jwks}; authorized parties: {authorized_parties:?})");
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    if let Err(e) = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
    {
        eprintln!("demo-api: {e}");
        return std::process::ExitCode::FAILURE;
    }
    std::process::ExitCode::SUCCESS
}
