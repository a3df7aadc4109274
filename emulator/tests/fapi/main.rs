//! Integration tests of clerk-emulator over real HTTP. Every FAPI response body
//! is validated against Clerk's OpenAPI document (see `common/openapi.rs`).
//!
//! One module per area; each scenario is a named test run by `libtest-mimic`
//! (`harness = false`), so `cargo test -p clerk-emulator --test fapi -- NAME`
//! filters (`-- sign_in::` for an area) and `-- --list` lists them. After the run
//! it prints how many bodies were validated against the OpenAPI documents.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../common/mod.rs"]
mod common;

mod bapi;
mod control;
mod environment;
mod handshake;
mod production;
mod routing;
mod sessions;
mod sign_in;
mod sign_up;
mod validator;

use std::future::Future;
use std::sync::atomic::Ordering;
use std::sync::OnceLock;

use libtest_mimic::{Arguments, Failed, Trial};

/// What every scenario module uses.
mod prelude {
    pub use std::time::{Duration, Instant};

    pub use clerk_emulator::{ClaimsVersion, Config, InstanceType, SeedUser, Template};
    pub use libtest_mimic::Trial;
    pub use serde_json::{json, Value};

    pub(crate) use crate::common::{self, *};
    pub(crate) use crate::trials;
}

/// `trials![a, b]`: a [`Trial`] per `async fn` scenario, named `module::scenario`.
#[macro_export]
macro_rules! trials {
    ($($name:ident),* $(,)?) => {
        vec![$($crate::trial(
            concat!(module_path!(), "::", stringify!($name)),
            $name,
        )),*]
    };
}

/// The runtime the scenarios share (each runs in its own task on it).
fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("runtime")
    })
}

/// A trial that runs `scenario` in a task; a panic fails it with the panic's message.
pub(crate) fn trial<F>(name: &str, scenario: fn() -> F) -> Trial
where
    F: Future<Output = ()> + Send + 'static,
{
    // `module_path!()` starts with the crate name (`fapi::`): drop it.
    let name = name.strip_prefix("fapi::").unwrap_or(name).to_string();
    Trial::test(name, move || {
        let rt = runtime();
        rt.block_on(rt.spawn(scenario()))
            .map_err(|e| match e.try_into_panic() {
                Ok(p) => Failed::from(
                    p.downcast_ref::<String>()
                        .cloned()
                        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_else(|| "panicked".into()),
                ),
                Err(e) => Failed::from(e.to_string()),
            })
    })
}

fn main() {
    let args = Arguments::from_args();
    let listing = args.list;
    let trials = [
        environment::trials(),
        sign_in::trials(),
        sign_up::trials(),
        sessions::trials(),
        production::trials(),
        control::trials(),
        bapi::trials(),
        handshake::trials(),
        routing::trials(),
        validator::trials(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let conclusion = libtest_mimic::run(&args, trials);
    if !listing {
        report_validated();
    }
    conclusion.exit();
}

/// How many response bodies were validated against the OpenAPI documents.
fn report_validated() {
    let v = common::openapi::VALIDATED.load(Ordering::Relaxed);
    let fallback = common::openapi::VALIDATED_AS_CLERK_ERRORS.load(Ordering::Relaxed);
    let none = common::openapi::NO_SCHEMA.load(Ordering::Relaxed);
    if common::openapi::bapi_spec().is_some() {
        println!(
            "validated {} Backend API response bodies against the BAPI OpenAPI document",
            common::openapi::BAPI_VALIDATED.load(Ordering::Relaxed)
        );
    } else {
        println!("BAPI OpenAPI document absent: 0 Backend API bodies validated");
    }
    if common::openapi::spec().is_some() {
        println!(
            "validated {v} response bodies against the OpenAPI document ({fallback} error bodies of statuses the document does not list for their path were checked against ClerkErrors; {none} bodies had no schema in the document)\n"
        );
    } else {
        println!(
            "OpenAPI document absent: 0 response bodies validated (behavioural assertions ran)\n"
        );
    }
}
