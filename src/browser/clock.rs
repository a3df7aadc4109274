use crate::client::ports::{Clock, LocalFuture};

/// [`Clock`] on `Date.now()` and `setTimeout` (through gloo-timers).
#[derive(Debug, Clone, Copy, Default)]
pub struct BrowserClock;

impl Clock for BrowserClock {
    fn now_ms(&self) -> i64 {
        js_sys::Date::now() as i64
    }

    fn sleep(&self, ms: u32) -> LocalFuture<()> {
        Box::pin(gloo_timers::future::TimeoutFuture::new(ms))
    }
}
