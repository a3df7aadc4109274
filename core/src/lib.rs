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
pub mod json;
pub mod key;
pub mod models;
pub mod request;

pub use crate::error::{ClerkError, KeyError, KeyFormatProblem};
