#[cfg(any(feature = "focus-touch", feature = "degraded"))]
use {
    std::rc::Rc,
    wasm_bindgen::{closure::Closure, JsCast},
};

use crate::client::ports::Page;
#[cfg(feature = "prefetch")]
use crate::client::ports::{HttpResponse, LocalFuture, TransportError};

/// [`Page`] on `window.location`, `history`, `navigator.onLine`, `document.hasFocus()` and the
/// `focus` / `visibilitychange` events.
#[derive(Debug, Clone, Copy, Default)]
pub struct BrowserPage;

/// Removes the focus listeners when dropped.
#[cfg(feature = "focus-touch")]
struct FocusListener {
    window: web_sys::Window,
    document: Option<web_sys::Document>,
    closure: Closure<dyn FnMut(web_sys::Event)>,
}

#[cfg(feature = "focus-touch")]
impl Drop for FocusListener {
    fn drop(&mut self) {
        let f = self.closure.as_ref().unchecked_ref();
        let _ = self.window.remove_event_listener_with_callback("focus", f);
        if let Some(doc) = &self.document {
            let _ = doc.remove_event_listener_with_callback("visibilitychange", f);
        }
    }
}

/// Removes the `online` listener when dropped.
#[cfg(feature = "degraded")]
struct OnlineListener {
    window: web_sys::Window,
    closure: Closure<dyn FnMut()>,
}

#[cfg(feature = "degraded")]
impl Drop for OnlineListener {
    fn drop(&mut self) {
        let f = self.closure.as_ref().unchecked_ref();
        let _ = self.window.remove_event_listener_with_callback("online", f);
    }
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// The document, seen only for `visibilityState` read as its string: web-sys's
    /// `VisibilityState` enum conversion links an `unreachable!` panic path.
    type VisibilityDocument;
    #[wasm_bindgen(method, getter = visibilityState)]
    fn visibility_state(this: &VisibilityDocument) -> String;
}

fn is_visible(document: Option<&web_sys::Document>) -> bool {
    document.is_none_or(|d| {
        wasm_bindgen::JsCast::unchecked_ref::<VisibilityDocument>(d).visibility_state() == "visible"
    })
}

impl Page for BrowserPage {
    fn url(&self) -> String {
        super::window()
            .and_then(|w| w.location().href().ok())
            .unwrap_or_default()
    }

    fn origin(&self) -> String {
        super::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default()
    }

    fn replace_url(&self, url: &str) {
        if let Some(history) = super::window().and_then(|w| w.history().ok()) {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url));
        }
    }

    /// `location.assign`, for http(s) URLs and paths only (the engine has already applied
    /// its redirect policy; this keeps a `javascript:` URL from ever running, whoever calls).
    fn navigate(&self, url: &str) {
        if crate::client::is_navigable(url) {
            if let Some(w) = super::window() {
                let _ = w.location().assign(url);
            }
        }
    }

    fn is_online(&self) -> bool {
        super::window().is_none_or(|w| w.navigator().on_line())
    }

    fn has_focus(&self) -> bool {
        let Some(document) = super::window().and_then(|w| w.document()) else {
            return false;
        };
        document.has_focus().unwrap_or(false) && is_visible(Some(&document))
    }

    // Without the features, the trait's defaults (nothing prefetched, no listener) keep this
    // code out of the build.
    #[cfg(feature = "prefetch")]
    fn take_prefetched(
        &self,
        path: &str,
    ) -> Option<LocalFuture<Result<HttpResponse, TransportError>>> {
        super::prefetch::take(path)
    }

    fn warn(&self, message: &str) {
        web_sys::console::warn_1(&message.into());
    }

    #[cfg(feature = "degraded")]
    fn on_online(&self, listener: Rc<dyn Fn()>) -> Box<dyn std::any::Any> {
        let Some(window) = super::window() else {
            return Box::new(());
        };
        let closure = Closure::<dyn FnMut()>::new(move || listener());
        let _ = window.add_event_listener_with_callback("online", closure.as_ref().unchecked_ref());
        Box::new(OnlineListener { window, closure })
    }

    #[cfg(feature = "focus-touch")]
    fn on_focus(&self, listener: Rc<dyn Fn()>) -> Box<dyn std::any::Any> {
        let Some(window) = super::window() else {
            return Box::new(());
        };
        let document = window.document();
        let doc = document.clone();
        let closure = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            // `focus` counts only while visible; `visibilitychange` only when it becomes visible.
            if is_visible(doc.as_ref()) || event.type_() == "focus" && doc.is_none() {
                listener();
            }
        });
        let f = closure.as_ref().unchecked_ref();
        let _ = window.add_event_listener_with_callback("focus", f);
        if let Some(d) = &document {
            let _ = d.add_event_listener_with_callback("visibilitychange", f);
        }
        Box::new(FocusListener {
            window,
            document,
            closure,
        })
    }
}
