//! A single-threaded one-shot channel: hands one value from a [`Sender`] to the task awaiting
//! its [`Receiver`] (token request dedup, the load gate, the dev browser's waiters, the
//! recovery's `online` wake-up, the reverification modal).
//!
//! The engine runs on one thread (the page's event loop), so an `Rc<RefCell<…>>` is enough;
//! `futures_channel::oneshot`'s atomics, lock and `assert!` paths were ~1 KB of wasm for the
//! same contract: the receiver gets the value, or [`Canceled`] once the sender is dropped
//! without sending.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

/// The sender was dropped without sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Canceled;

/// What both ends share.
struct Slot<T> {
    value: Option<T>,
    /// The receiver's task, woken by a send or by the sender's drop.
    waker: Option<Waker>,
    /// The sender sent or was dropped: no value will come after `value`.
    closed: bool,
}

/// Sends one value (see the [module docs](self)).
pub(crate) struct Sender<T>(Rc<RefCell<Slot<T>>>);

/// Resolves to the sent value, or to [`Canceled`] when the sender is dropped without sending.
pub(crate) struct Receiver<T>(Rc<RefCell<Slot<T>>>);

/// A connected pair.
pub(crate) fn channel<T>() -> (Sender<T>, Receiver<T>) {
    let slot = Rc::new(RefCell::new(Slot {
        value: None,
        waker: None,
        closed: false,
    }));
    (Sender(slot.clone()), Receiver(slot))
}

impl<T> Sender<T> {
    /// Hands `value` to the receiver; gives it back when the receiver is gone.
    pub(crate) fn send(self, value: T) -> Result<(), T> {
        if Rc::strong_count(&self.0) == 1 {
            return Err(value);
        }
        self.0.borrow_mut().value = Some(value);
        // `self` drops on return: that closes the slot and wakes the receiver.
        Ok(())
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        // Taken out before waking: the waker may be the receiver's own task.
        let waker = {
            let mut slot = self.0.borrow_mut();
            slot.closed = true;
            slot.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

impl<T> Future for Receiver<T> {
    type Output = Result<T, Canceled>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut slot = self.0.borrow_mut();
        if let Some(value) = slot.value.take() {
            return Poll::Ready(Ok(value));
        }
        if slot.closed {
            return Poll::Ready(Err(Canceled));
        }
        slot.waker = Some(cx.waker().clone());
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use futures::executor::LocalPool;
    use futures::task::LocalSpawnExt;
    use std::cell::Cell;

    #[test]
    fn a_sent_value_arrives() {
        let (tx, rx) = channel();
        assert_eq!(tx.send(7), Ok(()));
        assert_eq!(futures::executor::block_on(rx), Ok(7));
    }

    #[test]
    fn a_dropped_sender_cancels() {
        let (tx, rx) = channel::<u8>();
        drop(tx);
        assert_eq!(futures::executor::block_on(rx), Err(Canceled));
    }

    #[test]
    fn sending_to_a_dropped_receiver_gives_the_value_back() {
        let (tx, rx) = channel();
        drop(rx);
        assert_eq!(tx.send("v"), Err("v"));
    }

    /// A receiver waiting before the send (or the drop) is woken by it.
    #[test]
    fn a_waiting_receiver_is_woken() {
        for send in [true, false] {
            let mut pool = LocalPool::new();
            let (tx, rx) = channel();
            let got = Rc::new(Cell::new(None));
            let out = got.clone();
            pool.spawner()
                .spawn_local(async move { out.set(Some(rx.await)) })
                .unwrap();
            pool.run_until_stalled();
            assert_eq!(got.get(), None, "still waiting");
            if send {
                tx.send(1).unwrap();
            } else {
                drop(tx);
            }
            pool.run_until_stalled();
            let expected = if send { Ok(1) } else { Err(Canceled) };
            assert_eq!(got.get(), Some(expected));
        }
    }
}
