//! Host tests of the state machine with fake ports (see `fakes.rs`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::type_complexity
)]

mod fakes;
mod flows_fake;

mod fault_matrix;
mod flow2_tests;
mod flow_tests;
mod initial_tests;
mod load_tests;
mod oauth_tests;
mod redirect_tests;
mod reverification_tests;
mod session_tests;
#[cfg(not(target_arch = "wasm32"))]
mod tab_props;
mod tab_tests;
mod token_tests;
