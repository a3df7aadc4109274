//! clerk-emulator: a local emulator of Clerk's Frontend API (FAPI), its handshake
//! endpoint for server-rendered apps, and a Backend API (BAPI) subset ([`bapi`]).
//!
//! It is faithful to Clerk (its OpenAPI document and clerk-js behaviour), not to
//! any particular client: real clerk-js runs against it (see
//! `tools/conformance/clerk-js.test.mjs`). Start it in-process with [`spawn`]:
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let (addr, handle) = clerk_emulator::spawn(clerk_emulator::Config::default()).await?;
//! println!("FAPI at http://{addr}, key {}", handle.publishable_key());
//! println!("BAPI at {}/v1 (Bearer secret key)", handle.backend_api_url());
//! handle.shutdown().await;
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

pub mod bapi;
pub mod config;
pub mod control;
pub mod control_mfa;
pub mod control_oauth;
pub mod control_reverify;
pub mod cors;
pub mod errors;
pub mod faults;
pub mod http;
pub mod models;
pub mod routes;
pub mod server;
pub mod state;
pub mod tokens;
pub mod totp;

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use config::{ClaimsVersion, Config, InstanceType, SeedUser, Template};
pub use state::App;

/// A running emulator. Dropping it stops the server too.
pub struct Handle {
    app: Arc<App>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Handle {
    /// Shared state (for tests that want to peek).
    pub fn app(&self) -> &Arc<App> {
        &self.app
    }

    /// The publishable key.
    pub fn publishable_key(&self) -> &str {
        &self.app.instance.publishable_key
    }

    /// The public base URL (what clients pass as `proxyUrl`).
    pub fn url(&self) -> &str {
        &self.app.instance.proxy_url
    }

    /// The instance's Backend API secret key (`sk_test_…`; `sk_live_…` in production),
    /// what a backend passes as `CLERK_SECRET_KEY`.
    pub fn secret_key(&self) -> &str {
        self.app.instance.secret_key.expose()
    }

    /// The Backend API URL, what a backend passes as `CLERK_API_URL`
    /// (`{url}/bapi`; endpoints are under `{backend_api_url}/v1/…`, as Clerk's
    /// `https://api.clerk.com` + `/v1`).
    pub fn backend_api_url(&self) -> String {
        self.app.instance.backend_api_url()
    }

    /// The JWKS URL of the Frontend API (`{url}/.well-known/jwks.json`).
    pub fn jwks_url(&self) -> String {
        format!("{}/.well-known/jwks.json", self.app.instance.proxy_url)
    }

    /// Stops accepting connections and waits for the server task.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Binds `config.addr` (port 0 = any free port), builds the state and serves in
/// a background task. Returns the bound address and a [`Handle`].
pub async fn spawn(config: Config) -> std::io::Result<(SocketAddr, Handle)> {
    let listener = TcpListener::bind(config.addr).await?;
    let addr = listener.local_addr()?;
    let proxy_url = config
        .public_url
        .clone()
        .map(|u| u.trim_end_matches('/').to_string())
        .unwrap_or_else(|| format!("http://{addr}"));
    let instance_id = state::new_id("ins");
    let keys = tokens::Keys::generate(&instance_id).map_err(std::io::Error::other)?;
    let app = Arc::new(App::new(&config, proxy_url, keys, instance_id));
    let (stop, stopped) = oneshot::channel();
    let task = tokio::spawn(server::run(listener, app.clone(), stopped));
    Ok((
        addr,
        Handle {
            app,
            stop: Some(stop),
            task: Some(task),
        },
    ))
}
