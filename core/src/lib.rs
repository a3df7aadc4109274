//! # yew-clerk-core
//!
//! Clerk's protocol rules in plain Rust: publishable keys, FAPI models, session-token claims,
//! `has()` authorization and request building.
//!
//! No Yew and no browser APIs, so all of it is unit-tested on the host, and the same code runs
//! in the browser (`yew-clerk`, which re-exports this crate as `yew_clerk::core`) and on the
//! server (`yew-clerk-server`): a token that the browser reads as signed in with role
//! `org:admin` is read the same way by the backend, because there is only one reader.

#![deny(missing_docs)]

pub mod authorization;
mod base64;
pub mod claims;
pub mod error;
pub mod initial_state;
// The JSON value, parser, writer and readers: the models' machinery, not part of the public
// API (Clerk's data is reached through the typed models). It stays `pub` only because
// yew-clerk (the browser crate) reads its own FAPI resources with it; the types that appear in
// public signatures are re-exported from `models`.
#[doc(hidden)]
pub mod json;
pub mod key;
pub mod models;
pub mod request;
pub mod reverification;
mod sha1;

pub use crate::error::{ClerkError, KeyError, KeyFormatProblem};

/// Helpers shared by the unit and property tests.
#[cfg(test)]
pub(crate) mod test_support {
    #![allow(clippy::expect_used)]

    use std::sync::mpsc;
    use std::time::Duration;

    /// Runs `f` on its own thread and returns its result, failing the test when it takes
    /// longer than `limit` (a hang check that cannot hang the test run itself: the stuck
    /// thread is left behind and the process ends with the test binary).
    pub(crate) fn within<T: Send + 'static>(
        limit: Duration,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> T {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(f());
        });
        rx.recv_timeout(limit)
            .expect("the case panicked, or took longer than its time bound (hang?)")
    }

    /// The per-case bound of the hang checks: generous, so a loaded CI machine never trips it,
    /// and still far below what the quadratic or 2^31-step paths took.
    pub(crate) const CASE_LIMIT: Duration = Duration::from_secs(2);
}
