//! Reads the server's embedded [`InitialState`] (`<script type="application/json"
//! id="__clerk_initial_state">`) from the document.

use wasm_bindgen::{JsCast, JsValue};

use crate::core::initial_state::{InitialState, ELEMENT_ID};

/// The state the server embedded, when the page has the element and its text is a valid
/// state. Missing, oversized or malformed text gives `None` (the provider then renders the
/// loading state first, as without a server state): the text is untrusted and only ever a
/// hint for the first paint.
pub fn embedded_initial_state() -> Option<InitialState> {
    let document = web_sys::window()?.document()?;
    // document.getElementById(id).textContent, through Reflect: no extra web-sys features.
    let get = js_sys::Reflect::get(&document, &JsValue::from_str("getElementById"))
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    let element = get.call1(&document, &JsValue::from_str(ELEMENT_ID)).ok()?;
    if element.is_null() || element.is_undefined() {
        return None;
    }
    let text = js_sys::Reflect::get(&element, &JsValue::from_str("textContent"))
        .ok()?
        .as_string()?;
    InitialState::from_embedded(&text).ok()
}
