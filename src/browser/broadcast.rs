use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use super::tab_codec::{decode, encode};
pub use super::tab_codec::{SIGN_OUT_CHANNEL, TOKEN_CHANNEL};
use crate::client::ports::{Broadcast, TabMessage};

/// [`Broadcast`] on two `BroadcastChannel`s, compatible with clerk-js: `"clerk"` carries
/// `{type: "signout"}` and `"clerk:session_token"` carries fresh tokens.
///
/// The channel objects are created on first use and shared by [`post`](Broadcast::post) and
/// [`subscribe`](Broadcast::subscribe): a `BroadcastChannel` never receives its own messages,
/// so one instance does not hear itself, while another instance (another tab, or a second
/// `ClerkProvider` in the same page) does. Where `BroadcastChannel` is missing, posting and
/// listening do nothing.
#[derive(Debug, Default)]
pub struct TabChannels {
    sign_out: RefCell<Option<web_sys::BroadcastChannel>>,
    token: RefCell<Option<web_sys::BroadcastChannel>>,
}

impl TabChannels {
    /// Channels that are opened on first use.
    pub fn new() -> Self {
        Self::default()
    }

    fn channel(
        slot: &RefCell<Option<web_sys::BroadcastChannel>>,
        name: &str,
    ) -> Option<web_sys::BroadcastChannel> {
        let mut slot = slot.borrow_mut();
        if slot.is_none() {
            *slot = web_sys::BroadcastChannel::new(name).ok();
        }
        slot.clone()
    }
}

impl Drop for TabChannels {
    fn drop(&mut self) {
        for slot in [&self.sign_out, &self.token] {
            if let Some(ch) = slot.borrow_mut().take() {
                ch.close();
            }
        }
    }
}

fn set(obj: &js_sys::Object, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(obj, &JsValue::from_str(key), value);
}

fn get_string(obj: &JsValue, key: &str) -> Option<String> {
    js_sys::Reflect::get(obj, &JsValue::from_str(key))
        .ok()?
        .as_string()
}

/// `message` as the JS object clerk-js posts (see [`encode`]), with its channel name.
fn to_js(message: &TabMessage) -> (&'static str, JsValue) {
    let (channel, fields) = encode(message, js_sys::Date::now() as i64);
    let obj = js_sys::Object::new();
    for (key, value) in fields {
        let value = value.map_or(JsValue::NULL, |v| JsValue::from_str(&v));
        set(&obj, key, &value);
    }
    (channel, obj.into())
}

/// A `message` event handler.
type MessageHandler = Closure<dyn FnMut(web_sys::MessageEvent)>;

/// Keeps a `message` listener attached until dropped.
struct Listener {
    channels: Vec<(web_sys::BroadcastChannel, MessageHandler)>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        for (channel, closure) in &self.channels {
            let _ = channel
                .remove_event_listener_with_callback("message", closure.as_ref().unchecked_ref());
        }
    }
}

impl Broadcast for TabChannels {
    fn post(&self, message: TabMessage) {
        let (name, data) = to_js(&message);
        let slot = if name == SIGN_OUT_CHANNEL {
            &self.sign_out
        } else {
            &self.token
        };
        if let Some(channel) = Self::channel(slot, name) {
            let _ = channel.post_message(&data);
        }
    }

    fn subscribe(&self, listener: Rc<dyn Fn(TabMessage)>) -> Box<dyn std::any::Any> {
        let mut channels = Vec::new();
        for (slot, name) in [
            (&self.sign_out, SIGN_OUT_CHANNEL),
            (&self.token, TOKEN_CHANNEL),
        ] {
            let Some(channel) = Self::channel(slot, name) else {
                continue;
            };
            let listener = listener.clone();
            let closure = MessageHandler::new(move |event: web_sys::MessageEvent| {
                let data = event.data();
                if let Some(message) = decode(name, |key| get_string(&data, key)) {
                    listener(message);
                }
            });
            if channel
                .add_event_listener_with_callback("message", closure.as_ref().unchecked_ref())
                .is_ok()
            {
                channels.push((channel, closure));
            }
        }
        Box::new(Listener { channels })
    }
}
