//! Host tests of the state machine with fake ports (see `fakes/`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::type_complexity
)]

// Some fakes serve only the default build's tests.
#[cfg_attr(
    not(all(
        feature = "cross-tab",
        feature = "dev-browser",
        feature = "degraded",
        feature = "prefetch",
        feature = "focus-touch"
    )),
    allow(dead_code)
)]
mod fakes;
mod flows_fake;

// What each optional feature does when it is off (each test runs only with its feature off).
#[cfg(not(all(
    feature = "cross-tab",
    feature = "dev-browser",
    feature = "degraded",
    feature = "prefetch",
    feature = "focus-touch"
)))]
mod features_off;

// The engine's tests assume the default build (every optional feature on).
macro_rules! default_build {
    ($($item:item)*) => {$(
        #[cfg(all(
            feature = "cross-tab",
            feature = "dev-browser",
            feature = "degraded",
            feature = "prefetch",
            feature = "focus-touch"
        ))]
        $item
    )*};
}

// The fake routes of OAuth and reverification (the fakes use them; so do their tests).
mod oauth_fake;
mod reverification_fake;

// Sign-in/up, OAuth and reverification flows, and token requests under the session minter:
// built in every configuration (what they test does not depend on an optional feature;
// their dev-instance cases are cfg'd inside).
mod flow2_tests;
mod minter_tests;
mod oauth_tests;
mod reverification_tests;

default_build! {
    mod fault_matrix;
    mod flow_tests;
    mod initial_tests;
    mod load_tests;
    mod redirect_tests;
    mod session_tests;
    #[cfg(not(target_arch = "wasm32"))]
    mod tab_props;
    mod tab_tests;
    mod token_tests;
}
