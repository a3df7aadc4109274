//! Protocol core: publishable keys, FAPI models, session-token claims and request building.
//!
//! Plain Rust with no Yew and no browser APIs, so all of it is unit-tested on the host.

pub mod authorization;
mod base64;
pub mod claims;
pub mod json;
pub mod key;
pub mod models;
pub mod request;
