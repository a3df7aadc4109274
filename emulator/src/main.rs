//! `clerk-emulator` binary: parses the CLI, starts the server, prints the key
//! and a ready line, and stops on SIGINT/SIGTERM.
//!
//! Output contract (stdout, one line each, stable for scripts to grep):
//! ```text
//! clerk-emulator publishable_key=pk_test_…
//! clerk-emulator frontend_api=yew-clerk-emulator.clerk.accounts.dev instance=development
//! clerk-emulator secret_key=sk_test_… backend_api=http://127.0.0.1:7450/bapi
//! clerk-emulator ready on http://127.0.0.1:7450
//! ```

use std::net::SocketAddr;

use clap::{Parser, ValueEnum};
use clerk_emulator::{ClaimsVersion, Config, InstanceType, SeedUser, Template};

#[derive(Clone, Copy, ValueEnum)]
enum Instance {
    Development,
    Production,
}

#[derive(Clone, Copy, ValueEnum)]
enum Claims {
    V1,
    V2,
}

/// Local emulator of Clerk's Frontend API.
#[derive(Parser)]
#[command(name = "clerk-emulator", version)]
struct Cli {
    /// Address to listen on (port 0 = any free port).
    #[arg(long, default_value = "127.0.0.1:7450")]
    addr: SocketAddr,
    /// Public base URL clients use as proxyUrl (default http://ADDR).
    #[arg(long, alias = "public-url")]
    origin: Option<String>,
    /// Instance type: development (pk_test_, dev browser) or production (pk_live_, __client cookie).
    #[arg(long, value_enum, default_value = "development")]
    instance: Instance,
    /// User to seed, EMAIL:PASSWORD[:FIRST[:LAST]] (repeatable). Default: demo@example.com:demo-password-123:Demo:User.
    #[arg(long = "user", value_parser = SeedUser::parse)]
    users: Vec<SeedUser>,
    /// Session token lifetime in seconds.
    #[arg(long, default_value_t = 60)]
    token_lifetime: u64,
    /// JWT template NAME[:LIFETIME_SECS] (repeatable). Default: supabase and test.
    #[arg(long = "template", value_parser = Template::parse)]
    templates: Vec<Template>,
    /// Session token claim profile.
    #[arg(long, value_enum, default_value = "v2")]
    claims: Claims,
    /// Frontend API host encoded in the publishable key (must contain a '.').
    #[arg(long)]
    frontend_api: Option<String>,
    /// Do not seed the demo organization.
    #[arg(long)]
    no_seed_org: bool,
    /// New sessions are `pending` (task `choose-organization`) until an organization is selected.
    #[arg(long)]
    force_organization_selection: bool,
    /// The environment says `auth_config.session_minter` (Clerk's session minter).
    #[arg(long)]
    session_minter: bool,
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    if let Some(host) = &cli.frontend_api {
        if !host.contains('.') || host.contains('$') {
            eprintln!("clerk-emulator: --frontend-api must be a host containing a '.' (clerk-js rejects others)");
            return std::process::ExitCode::from(2);
        }
    }
    if let Err(e) = clerk_emulator::control::check_lifetime("--token-lifetime", cli.token_lifetime)
    {
        eprintln!("clerk-emulator: {e}");
        return std::process::ExitCode::from(2);
    }
    let config = Config {
        addr: cli.addr,
        public_url: cli.origin,
        instance: match cli.instance {
            Instance::Development => InstanceType::Development,
            Instance::Production => InstanceType::Production,
        },
        token_lifetime_secs: cli.token_lifetime,
        users: cli.users,
        templates: if cli.templates.is_empty() {
            clerk_emulator::config::default_templates()
        } else {
            cli.templates
        },
        claims: match cli.claims {
            Claims::V1 => ClaimsVersion::V1,
            Claims::V2 => ClaimsVersion::V2,
        },
        seed_org: !cli.no_seed_org,
        frontend_api: cli.frontend_api,
        force_organization_selection: cli.force_organization_selection,
        session_minter: cli.session_minter,
    };
    let (addr, handle) = match clerk_emulator::spawn(config).await {
        Ok(v) => v,
        Err(e) => {
            eprintln!("clerk-emulator: cannot start on {}: {e}", cli.addr);
            return std::process::ExitCode::from(1);
        }
    };
    let app = handle.app().clone();
    println!(
        "clerk-emulator publishable_key={}",
        app.instance.publishable_key
    );
    println!(
        "clerk-emulator frontend_api={} instance={}",
        app.instance.frontend_api,
        app.instance.kind.as_str()
    );
    println!(
        "clerk-emulator secret_key={} backend_api={}",
        app.instance.secret_key.expose(),
        app.instance.backend_api_url()
    );
    for u in &app.instance.seed_users {
        println!("clerk-emulator user={} password={}", u.email, u.password);
    }
    let _ = addr;
    println!("clerk-emulator ready on {}", app.instance.proxy_url);
    shutdown_signal().await;
    println!("clerk-emulator stopping");
    handle.shutdown().await;
    std::process::ExitCode::SUCCESS
}
