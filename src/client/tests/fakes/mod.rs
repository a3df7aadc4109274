//! Fakes of every port plus a small stateful FAPI, driven by a `LocalPool` and a manual clock.
//! Test-only: compiled under #[cfg(test)] (see `src/client/mod.rs`).
//!
//! - `ports`: the clock, storage, cookies, broadcast channel, page and spawner;
//! - `fapi`: the stateful fake Frontend API and the transport in front of it;
//! - `harness`: tabs over one shared FAPI, cookie jar and bus, and the app's router.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::rc::{Rc, Weak};

use base64::Engine as _;
use futures::channel::oneshot;
use futures::executor::{LocalPool, LocalSpawner};
use futures::task::LocalSpawnExt;
use serde_json::{json, Value};

use crate::client::ports::*;
use crate::client::{Clerk, ClerkOptions, ClerkState};
use crate::core::key::{build_publishable_key, InstanceType};
use crate::core::request::FapiRequest;

mod fapi;
mod harness;
mod ports;

pub use fapi::*;
pub use harness::*;
pub use ports::*;

// ---------------------------------------------------------------- JWTs

pub fn b64(v: &Value) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
}

/// An unsigned but well-formed JWT.
pub fn jwt(payload: Value) -> String {
    format!(
        "{}.{}.c2lnbmF0dXJl",
        b64(&json!({"alg":"RS256","kid":"ins_test","typ":"JWT"})),
        b64(&payload)
    )
}
