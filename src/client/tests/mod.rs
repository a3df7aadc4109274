//! Host tests of the state machine with fake ports (see `fakes.rs`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::type_complexity
)]

mod fakes;
mod flows_fake;

mod flow_tests;
mod initial_tests;
mod load_tests;
mod session_tests;
mod tab_tests;
mod token_tests;
