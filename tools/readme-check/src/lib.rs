#![cfg_attr(doctest, doc = include_str!("../../../README.md"))]
// The include is on line 1, so rustdoc's line numbers (test names, errors) are README.md's.
//! The README's Rust code, compiled.
//!
//! Every ```` ```rust ```` block of the workspace `README.md` is a doctest of this crate
//! (`cargo test -p readme-check --doc`, run by `scripts/test host`), so a snippet that stops
//! compiling fails CI. A failure is reported as `tools/readme-check/src/lib.rs - (line N)`
//! with N and the error lines counted in `README.md`.
//!
//! The blocks are `rust,no_run`: compiled against this crate's dependencies (what a reader's
//! app has, with the features the README names; client and server snippets alike, on the host
//! target) but not run. Lines starting with `# ` are rustdoc's hidden lines, kept to what a
//! reader obviously has (`use` lines, the surrounding function); GitHub shows them as they
//! are. Snippets that are partial on purpose (`toml`, `sh`) stay out by their fence language.
