use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use super::token_id::split_token_id;
use crate::client::ports::{Broadcast, TabMessage};

/// Sign-out channel name (clerk-js: `{type: "signout"}`).
pub const SIGN_OUT_CHANNEL: &str = "clerk";
/// Token channel name (clerk-js: `{tokenId, tokenRaw, sessionId, organizationId, template, traceId}`).
pub const TOKEN_CHANNEL: &str = "clerk:session_token";

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

/// Decodes a message of either channel.
fn decode(channel: &str, data: &JsValue) -> Option<TabMessage> {
    if channel == SIGN_OUT_CHANNEL {
        return (get_string(data, "type").as_deref() == Some("signout"))
            .then_some(TabMessage::SignOut);
    }
    Some(TabMessage::Token {
        token_id: get_string(data, "tokenId")?,
        token: get_string(data, "tokenRaw")?,
    })
}

fn encode(message: &TabMessage) -> (&'static str, JsValue) {
    let obj = js_sys::Object::new();
    match message {
        TabMessage::SignOut => {
            set(&obj, "type", &JsValue::from_str("signout"));
            (SIGN_OUT_CHANNEL, obj.into())
        }
        TabMessage::Token { token_id, token } => {
            let (session, template, org) = split_token_id(token_id);
            set(&obj, "tokenId", &JsValue::from_str(token_id));
            set(&obj, "tokenRaw", &JsValue::from_str(token));
            set(&obj, "sessionId", &JsValue::from_str(&session));
            if let Some(t) = template {
                set(&obj, "template", &JsValue::from_str(&t));
            }
            let org = org.map_or(JsValue::NULL, |o| JsValue::from_str(&o));
            set(&obj, "organizationId", &org);
            let trace = format!("bc_{}", js_sys::Date::now() as i64);
            set(&obj, "traceId", &JsValue::from_str(&trace));
            (TOKEN_CHANNEL, obj.into())
        }
    }
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
        let (name, data) = encode(&message);
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
                if let Some(message) = decode(name, &event.data()) {
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
