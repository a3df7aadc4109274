//! Token verifications per second with a cached JWKS (the Rust half of
//! `tools/bench/verify.mjs`, which starts the JWKS server, mints the tokens and runs
//! `@clerk/backend`'s `verifyToken` on the same tokens).
//!
//! ```sh
//! cargo run --release -p yew-clerk-server --example verify_bench -- \
//!   --jwks-url http://127.0.0.1:PORT/v1/jwks --tokens tokens.json --seconds 3 --azp http://app.test
//! ```
//! Prints one JSON line: `{"verifications", "seconds", "per_sec", "errors", "jwks_fetches"}`.
//! Single-threaded (a current-thread runtime, one verification at a time), like the Node side.

use std::time::{Duration, Instant};

use yew_clerk_server::ClerkConfig;

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let jwks_url = arg(&args, "--jwks-url").ok_or("--jwks-url URL is required")?;
    let tokens_file = arg(&args, "--tokens").ok_or("--tokens FILE (a JSON array) is required")?;
    let seconds: f64 = arg(&args, "--seconds").unwrap_or("3".into()).parse()?;
    let azp = arg(&args, "--azp");
    let tokens: Vec<String> = serde_json::from_str(&std::fs::read_to_string(tokens_file)?)?;
    if tokens.is_empty() {
        return Err("no tokens".into());
    }
    let mut config = ClerkConfig::default().with_jwks_url(jwks_url);
    if let Some(azp) = azp {
        config = config.with_authorized_parties([azp]);
    }
    let clerk = config.build()?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        // Warm-up: the first verification fetches the JWKS; the rest use the cache.
        clerk
            .verify_session_token(&tokens[0])
            .await
            .map_err(|e| format!("warm-up verification failed: {e}"))?;
        let budget = Duration::from_secs_f64(seconds);
        let start = Instant::now();
        let (mut done, mut errors) = (0u64, 0u64);
        'outer: loop {
            for t in &tokens {
                match clerk.verify_session_token(t).await {
                    Ok(auth) => {
                        std::hint::black_box(auth.user_id());
                    }
                    Err(_) => errors += 1,
                }
                done += 1;
                if done % 64 == 0 && start.elapsed() >= budget {
                    break 'outer;
                }
            }
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{}",
            serde_json::json!({
                "verifications": done,
                "seconds": secs,
                "per_sec": done as f64 / secs,
                "errors": errors,
                "jwks_fetches": clerk.jwks_fetch_count(),
            })
        );
        Ok::<(), Box<dyn std::error::Error>>(())
    })
}
