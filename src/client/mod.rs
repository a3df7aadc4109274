//! The client state machine: load, token cache, refresh, sign-out and cross-tab sync.
//!
//! It talks to the outside world only through the small traits in [`ports`], so host tests
//! drive it with fakes and the browser build plugs in fetch, cookies, storage, timers and
//! `BroadcastChannel` (see `crate::browser`).

pub mod ports;
