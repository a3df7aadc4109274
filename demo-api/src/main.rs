//! `demo-api`: the demo's protected API. See the library docs (`src/lib.rs`).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;
use demo_api::{frontend_api_from_publishable_key, router, Config};

/// The demo's protected API: verifies Clerk session tokens like `getAuth(req)`.
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
    /// Allowed `azp` values and CORS origins, comma-separated. Empty: azp is not checked.
    #[arg(
        long,
        env = "DEMO_AUTHORIZED_PARTIES",
        value_delimiter = ',',
        default_value = "http://127.0.0.1:8080,http://localhost:8080"
    )]
    authorized_parties: Vec<String>,
    /// Allowed clock skew for exp/nbf, in seconds.
    #[arg(long, default_value_t = demo_api::verify::DEFAULT_CLOCK_SKEW_SECS)]
    clock_skew_secs: i64,
    /// Serve this directory (the demo's dist/) for non-API paths.
    #[arg(long, env = "DEMO_STATIC_DIR")]
    static_dir: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let jwks_url = args.jwks_url.clone().or_else(|| {
        let base = match &args.proxy_url {
            Some(proxy) => proxy.trim_end_matches('/').to_owned(),
            None => frontend_api_from_publishable_key(args.publishable_key.as_deref()?)?,
        };
        Some(format!("{base}/.well-known/jwks.json"))
    });
    let Some(jwks_url) = jwks_url else {
        eprintln!("demo-api: give --jwks-url, --proxy-url or a valid --publishable-key (or their env vars)");
        return std::process::ExitCode::from(2);
    };
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
        static_dir: args.static_dir,
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
    println!("demo-api listening on http://{addr} (jwks: {jwks_url}; authorized parties: {authorized_parties:?})");
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    if let Err(e) = axum::serve(listener, router(config))
        .with_graceful_shutdown(shutdown)
        .await
    {
        eprintln!("demo-api: {e}");
        return std::process::ExitCode::FAILURE;
    }
    std::process::ExitCode::SUCCESS
}
