//! The bench app of `tools/bench/app` (same source file), for the server-rendered variant.
#[path = "../../app/src/bench_app.rs"]
pub mod bench_app;
