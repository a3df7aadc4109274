//! Browser tests of hydration with the server's initial state: HTML rendered by Yew's
//! `ServerRenderer` with an `InitialState` (as a server would), the state embedded as the
//! `__clerk_initial_state` element, then `Renderer::hydrate`. A MutationObserver records
//! every text the DOM ever held: no loading element may appear, and the client reconciles
//! with the emulator's FAPI (a revoked session ends signed out, a forged state signs nobody
//! in).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::rc::Rc;

use common::*;
use serde_json::json;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;
use yew::prelude::*;
use yew_clerk::core::claims::SessionToken;
use yew_clerk::core::initial_state::{InitialState, InitialUser, ELEMENT_ID};
use yew_clerk::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

#[derive(Properties, PartialEq, Clone)]
struct SsrAppProps {
    key: AttrValue,
    proxy: AttrValue,
    /// `Some` on the server; `None` when hydrating (the provider reads the element).
    initial: Option<Rc<InitialState>>,
}

#[component]
fn SsrApp(props: &SsrAppProps) -> Html {
    html! {
        <ClerkProvider publishable_key={props.key.clone()} proxy_url={props.proxy.clone()}
                initial_state={props.initial.clone()}>
            <AuthView /><UserView />
            <ClerkLoading><span>{ "[clerk-loading]" }</span></ClerkLoading>
            <StatusView /><LoadedFromFapi />
        </ClerkProvider>
    }
}

#[component]
fn StatusView() -> Html {
    let clerk = use_clerk();
    html! { <span class="status">{ format!("[status:{:?}]", clerk.status) }</span> }
}

/// `[fapi]` once the session on screen came from the Frontend API (the first-paint hint's
/// session has no `expire_at`), or once signed out: the load has been applied.
#[component]
fn LoadedFromFapi() -> Html {
    let session = use_session();
    let auth = use_auth();
    let from_fapi = session.session.as_ref().is_some_and(|s| s.expire_at > 0)
        || auth.is_signed_in == Some(false);
    html! { <span class="fapi">{ if from_fapi { "[fapi]" } else { "[hint]" } }</span> }
}

/// What the server would build from the verified `__session`: the claims of the client's
/// current session token.
async fn server_state_for_current_session() -> InitialState {
    let v = fapi("GET", "/client", None).await;
    let session = &v["response"]["sessions"][0];
    let jwt = session["last_active_token"]["jwt"].as_str().expect("jwt");
    let token = SessionToken::decode(jwt).unwrap();
    let user = &session["user"];
    InitialState::from_claims(token.claims()).with_user(InitialUser {
        id: user["id"].as_str().unwrap().to_string(),
        first_name: user["first_name"].as_str().map(str::to_string),
        last_name: user["last_name"].as_str().map(str::to_string),
        primary_email_address: Some(EMAIL.to_string()),
        image_url: None,
    })
}

/// Starts recording every text node content added or changed under `root`.
fn observe(root: &web_sys::Element) -> JsValue {
    let f = js_sys::Function::new_with_args(
        "root",
        "const seen = [root.textContent];
         const o = new MutationObserver(records => {
           for (const r of records) {
             if (r.type === 'characterData') seen.push(r.target.data);
             // Text and elements only: Yew's hydration comments name components
             // (`ClerkLoading`), they are not rendered content.
             for (const n of r.addedNodes || [])
               if (n.nodeType === 1 || n.nodeType === 3) seen.push(n.textContent);
           }
           seen.push(root.textContent);
         });
         o.observe(root, {subtree: true, childList: true, characterData: true});
         return {seen, o};",
    );
    f.call1(&JsValue::NULL, root).unwrap()
}

fn seen(observer: &JsValue) -> Vec<String> {
    let arr = js_sys::Reflect::get(observer, &JsValue::from_str("seen")).unwrap();
    js_sys::Array::from(&arr)
        .iter()
        .filter_map(|v| v.as_string())
        .collect()
}

/// Embeds the state as a server would, renders the server HTML, hydrates it, and returns the
/// root, the observer and the app handle.
async fn serve_and_hydrate(initial: &InitialState) -> (web_sys::Element, JsValue, Mounted, String) {
    let (key, proxy) = config().await;
    // Rendered in this page, the server render's provider would load from the emulator.
    let server_props = SsrAppProps {
        key: AttrValue::from(key.clone()),
        proxy: AttrValue::from(UNREACHABLE_FAPI),
        initial: Some(Rc::new(initial.clone())),
    };
    let html = yew::LocalServerRenderer::<SsrApp>::with_props(server_props)
        .render()
        .await;
    let doc = web_sys::window().unwrap().document().unwrap();
    if let Some(old) = doc.get_element_by_id(ELEMENT_ID) {
        old.remove();
    }
    let holder = make_root();
    holder.set_inner_html(&initial.script_tag());
    let root = make_root();
    root.set_inner_html(&html);
    let observer = observe(&root);
    let props = SsrAppProps {
        key: AttrValue::from(key),
        proxy: AttrValue::from(proxy),
        initial: None,
    };
    let handle = track(yew::Renderer::<SsrApp>::with_root_and_props(root.clone(), props).hydrate());
    (root, observer, handle, html)
}

fn assert_never_loading(observer: &JsValue) {
    let seen = seen(observer);
    assert!(!seen.is_empty());
    for text in &seen {
        assert!(
            !text.contains("loading]"),
            "a loading frame was in the DOM: {text:?} (all: {seen:#?})"
        );
    }
}

#[wasm_bindgen_test]
async fn signed_in_hydration_never_shows_loading_and_keeps_the_auth_text() {
    reset().await;
    let sid = sign_in(EMAIL, PASSWORD).await;
    let initial = server_state_for_current_session().await;
    let user_id = initial.session.as_ref().unwrap().user_id.clone();
    let (root, observer, handle, html) = serve_and_hydrate(&initial).await;
    let signed_in = format!("[auth:signed-in user={user_id} session={sid} org=]");
    assert!(html.contains(&signed_in), "server HTML: {html}");
    assert!(!html.contains("loading]"), "server HTML: {html}");
    yew::scheduler::flush().await;
    let first = root.text_content().unwrap_or_default();
    assert!(first.contains(&signed_in), "hydrated: {first}");
    let text = wait_text(&root, 10_000, |t| t.contains("[fapi]")).await;
    assert!(text.contains(&signed_in), "{text}");
    assert!(text.contains(&format!("[user:{user_id}")), "{text}");
    assert_never_loading(&observer);
    // The auth text was never replaced: every recorded auth text is the signed-in one.
    assert!(seen(&observer)
        .iter()
        .filter(|t| t.starts_with("[auth:") && !t.contains("[user:"))
        .all(|t| *t == signed_in));
    handle.destroy();
}

#[wasm_bindgen_test]
async fn a_session_revoked_since_the_server_rendered_ends_signed_out_without_loading() {
    reset().await;
    let sid = sign_in(EMAIL, PASSWORD).await;
    let initial = server_state_for_current_session().await;
    control("POST", &format!("sessions/{sid}/revoke"), Some(json!({}))).await;
    let (root, observer, handle, _) = serve_and_hydrate(&initial).await;
    yew::scheduler::flush().await;
    assert!(root
        .text_content()
        .unwrap_or_default()
        .contains("[auth:signed-in"));
    wait_text(&root, 10_000, |t| t.contains("[auth:signed-out]")).await;
    assert_never_loading(&observer);
    handle.destroy();
}

#[wasm_bindgen_test]
async fn a_forged_embedded_state_signs_nobody_in() {
    reset().await;
    let forged = InitialState::from_embedded(
        r#"{"signedIn":true,"userId":"user_forged","sessionId":"sess_forged"}"#,
    )
    .unwrap();
    let (root, observer, handle, _) = serve_and_hydrate(&forged).await;
    let text = wait_text(&root, 10_000, |t| t.contains("[auth:signed-out]")).await;
    assert!(text.contains("[fapi]"), "{text}");
    assert!(!text.contains("user_forged"), "{text}");
    assert_never_loading(&observer);
    handle.destroy();
}

#[wasm_bindgen_test]
async fn signed_out_hydration_never_shows_loading() {
    reset().await;
    let (root, observer, handle, html) = serve_and_hydrate(&InitialState::signed_out()).await;
    assert!(html.contains("[auth:signed-out]"), "{html}");
    // Signed out on the server and in FAPI: nothing to wait for on screen; give the load
    // time to finish, then check nothing changed.
    sleep(1_000).await;
    assert!(root
        .text_content()
        .unwrap_or_default()
        .contains("[auth:signed-out]"));
    assert_never_loading(&observer);
    handle.destroy();
}
