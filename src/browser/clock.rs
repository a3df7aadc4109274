use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::client::oneshot;
use crate::client::ports::{Clock, LocalFuture};

/// [`Clock`] on `Date.now()` and `setTimeout` (through gloo-timers' `Timeout`).
#[derive(Debug, Clone, Copy, Default)]
pub struct BrowserClock;

impl Clock for BrowserClock {
    fn now_ms(&self) -> i64 {
        js_sys::Date::now() as i64
    }

    fn sleep(&self, ms: u32) -> LocalFuture<()> {
        let (tx, rx) = oneshot::channel();
        let timer = gloo_timers::callback::Timeout::new(ms, move || {
            let _ = tx.send(());
        });
        Box::pin(Sleep { _timer: timer, rx })
    }
}

/// `gloo_timers::future::TimeoutFuture` on the engine's own [`oneshot`] (that one brings
/// `futures_channel`'s and an `unwrap_throw`): resolves when the timeout fires; dropping it
/// clears the timeout.
struct Sleep {
    _timer: gloo_timers::callback::Timeout,
    rx: oneshot::Receiver<()>,
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // `Canceled` cannot happen while the timer (which owns the sender) is alive.
        Pin::new(&mut self.rx).poll(cx).map(|_| ())
    }
}
