//! Helpers of the browser tests: the emulator's control API, cookies/storage cleanup, a
//! sign-in through the emulator's FAPI with the page's dev browser, mounting and waiting.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::cell::{Cell, RefCell};
use std::time::Duration;

use serde_json::{json, Value};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;
use yew_clerk::prelude::*;

/// API version sent by the helpers' (and tests') own FAPI calls.
pub const API_VERSION: &str = "2026-05-12";

/// The emulator's seeded demo user: email and password.
pub const EMAIL: &str = "demo@example.com";
/// The demo user's password.
pub const PASSWORD: &str = "demo-password-123";
/// RFC 6238's test secret in base32 (the TOTP secret tests give the demo user).
pub const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

/// The emulator base URL (build-time `CLERK_EMULATOR_URL`): a development instance.
pub fn emulator() -> &'static str {
    option_env!("CLERK_EMULATOR_URL").unwrap_or("http://127.0.0.1:7450")
}

/// The production-instance emulator (build-time `CLERK_EMULATOR_LIVE_URL`; `scripts/test`
/// starts it with `--instance production`).
pub fn emulator_live() -> &'static str {
    option_env!("CLERK_EMULATOR_LIVE_URL").unwrap_or("http://127.0.0.1:7452")
}

fn window() -> web_sys::Window {
    web_sys::window().expect("window")
}

/// `fetch` and read the body as text; `(status, body)`.
pub async fn http(
    method: &str,
    url: &str,
    body: Option<String>,
    content_type: &str,
) -> (u16, String) {
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_credentials(web_sys::RequestCredentials::Include);
    if let Some(b) = body {
        let h = web_sys::Headers::new().unwrap();
        h.set("content-type", content_type).unwrap();
        init.set_headers(&h);
        init.set_body(&JsValue::from_str(&b));
    }
    let resp = JsFuture::from(window().fetch_with_str_and_init(url, &init))
        .await
        .unwrap_or_else(|e| panic!("fetch {method} {url} failed: {e:?}"));
    let resp: web_sys::Response = resp.dyn_into().unwrap();
    let text = JsFuture::from(resp.text().unwrap()).await.unwrap();
    (resp.status(), text.as_string().unwrap_or_default())
}

/// A control API call (`/__emulator/...`), JSON in and out; panics unless 2xx.
pub async fn control(method: &str, path: &str, body: Option<Value>) -> Value {
    control_at(emulator(), method, path, body).await
}

/// [`control`] on the emulator at `base`.
pub async fn control_at(base: &str, method: &str, path: &str, body: Option<Value>) -> Value {
    let url = format!("{base}/__emulator/{}", path.trim_start_matches('/'));
    // The emulator refuses state-changing control calls that are not JSON (415), as a
    // browser's cross-site form post would be: send `{}` when the call has no body.
    let body = match (body, method) {
        (Some(b), _) => Some(b.to_string()),
        (None, "GET") => None,
        (None, _) => Some("{}".to_string()),
    };
    let (status, text) = http(method, &url, body, "application/json").await;
    assert!(
        (200..300).contains(&status),
        "{method} {url}: {status} {text}"
    );
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// The emulator's config: `(publishable_key, proxy_url)`.
pub async fn config() -> (String, String) {
    let c = control("GET", "config", None).await;
    let key = c["publishable_key"]
        .as_str()
        .expect("publishable_key")
        .to_string();
    let proxy = c["proxy_url"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| emulator().to_string());
    (key, proxy)
}

/// Removes every cookie of the page (path=/) and clears localStorage.
pub fn clear_browser_state() {
    let doc: web_sys::HtmlDocument = window().document().unwrap().dyn_into().unwrap();
    let all = doc.cookie().unwrap_or_default();
    for pair in all.split(';') {
        if let Some((name, _)) = pair.trim().split_once('=') {
            let _ = doc.set_cookie(&format!("{name}=; path=/; max-age=0"));
        }
    }
    if let Ok(Some(s)) = window().local_storage() {
        let _ = s.clear();
    }
}

/// Sets a cookie of the page (`path=/`, one hour), `value` as it is.
pub fn set_cookie(name: &str, value: &str) {
    let doc: web_sys::HtmlDocument = window().document().unwrap().dyn_into().unwrap();
    doc.set_cookie(&format!(
        "{name}={value}; path=/; max-age=3600; SameSite=Lax"
    ))
    .unwrap();
}

/// Reads a cookie of the page.
pub fn cookie(name: &str) -> Option<String> {
    let doc: web_sys::HtmlDocument = window().document().unwrap().dyn_into().unwrap();
    doc.cookie().ok()?.split(';').find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        (k == name && !v.is_empty()).then(|| v.to_string())
    })
}

/// A FAPI address the browser refuses to connect to (port 9 is on Chromium's list of unsafe
/// ports, so the fetch fails at once without leaving the browser).
///
/// A test that server-renders *in the browser* (`LocalServerRenderer`) passes it as the
/// provider's `proxy_url`: unlike a real server, where there is no `window`, a provider
/// rendered in a page creates its engine and starts the load, and that load's requests would
/// reach the emulator's request log after the test cleared it.
pub const UNREACHABLE_FAPI: &str = "http://127.0.0.1:9";

/// Unmounts one app.
type Destroy = Box<dyn FnOnce()>;

thread_local! {
    /// Apps mounted through [`track`] and not destroyed yet. A test that panics never reaches
    /// its `destroy()`: without this its engine (timers, listeners, cookie writes) would run on
    /// into the tests after it and fail them too.
    static MOUNTED: RefCell<Vec<(u64, Destroy)>> = RefCell::new(Vec::new());
    static NEXT_MOUNT: Cell<u64> = const { Cell::new(0) };
}

/// A mounted app, unmounted by [`Mounted::destroy`] or, if the test never gets there, by the
/// next test's [`reset`].
#[must_use = "destroy the app at the end of the test"]
pub struct Mounted(u64);

impl Mounted {
    /// Unmounts the app (`AppHandle::destroy`).
    pub fn destroy(self) {
        let found = MOUNTED.with(|m| {
            let mut m = m.borrow_mut();
            let at = m.iter().position(|(id, _)| *id == self.0)?;
            Some(m.remove(at).1)
        });
        if let Some(destroy) = found {
            destroy();
        }
    }
}

/// Registers a mounted app so that it cannot outlive its test (see [`Mounted`]).
pub fn track<C: BaseComponent>(handle: yew::AppHandle<C>) -> Mounted {
    let id = NEXT_MOUNT.with(|n| {
        n.set(n.get() + 1);
        n.get()
    });
    MOUNTED.with(|m| {
        m.borrow_mut()
            .push((id, Box::new(move || handle.destroy())))
    });
    Mounted(id)
}

/// Destroys the apps earlier tests left mounted (they panicked before their `destroy()`).
pub fn destroy_leftovers() {
    let left = MOUNTED.with(|m| std::mem::take(&mut *m.borrow_mut()));
    for (_, destroy) in left {
        destroy();
    }
}

/// Resets the emulator (clients, sessions, faults, log; seed users back) and the browser,
/// after unmounting whatever an earlier, failed test left mounted.
pub async fn reset() {
    destroy_leftovers();
    control("POST", "reset", None).await;
    control("POST", "settings", Some(json!({"token_lifetime_secs": 60}))).await;
    clear_browser_state();
}

/// The dev browser of this page: the `__clerk_db_jwt` cookie, created when missing.
pub async fn dev_browser() -> String {
    if let Some(id) = cookie("__clerk_db_jwt") {
        return id;
    }
    let url = format!(
        "{}/v1/dev_browser?__clerk_api_version={API_VERSION}",
        emulator()
    );
    let (status, text) = http(
        "POST",
        &url,
        Some(String::new()),
        "application/x-www-form-urlencoded",
    )
    .await;
    assert_eq!(status, 200, "dev_browser: {text}");
    let v: Value = serde_json::from_str(&text).unwrap();
    let id = v["id"].as_str().expect("dev browser id").to_string();
    let doc: web_sys::HtmlDocument = window().document().unwrap().dyn_into().unwrap();
    doc.set_cookie(&format!(
        "__clerk_db_jwt={id}; path=/; max-age=31536000; SameSite=Lax"
    ))
    .unwrap();
    id
}

/// A FAPI call on this page's dev browser: `method` on `{emulator}/v1{path}` with the API
/// version and `__clerk_db_jwt`, `form` sent `application/x-www-form-urlencoded`. Panics
/// unless `200`; returns the JSON answer.
pub async fn fapi(method: &str, path: &str, form: Option<String>) -> Value {
    let dvb = dev_browser().await;
    let url = format!(
        "{}/v1{path}?__clerk_api_version={API_VERSION}&__clerk_db_jwt={dvb}",
        emulator()
    );
    let (status, text) = http(method, &url, form, "application/x-www-form-urlencoded").await;
    assert_eq!(status, 200, "{method} {path}: {text}");
    serde_json::from_str(&text).unwrap()
}

/// Signs in with a password through the emulator's FAPI, on this page's dev browser (so the
/// provider mounted next loads signed in). Returns the session id.
pub async fn sign_in(email: &str, password: &str) -> String {
    let body = format!(
        "identifier={}&password={}&strategy=password",
        js_sys::encode_uri_component(email),
        js_sys::encode_uri_component(password)
    );
    let v = fapi("POST", "/client/sign_ins", Some(body)).await;
    v["response"]["created_session_id"]
        .as_str()
        .unwrap_or_else(|| panic!("no created_session_id in {v}"))
        .to_string()
}

/// Creates a user (control API) and returns its JSON.
pub async fn create_user(email: &str, password: &str, first: &str, last: &str) -> Value {
    control(
        "POST",
        "users",
        Some(json!({"email": email, "password": password, "first_name": first, "last_name": last})),
    )
    .await
}

/// The request log.
pub async fn requests() -> Vec<Value> {
    control("GET", "requests", None)
        .await
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Clears the request log.
pub async fn clear_requests() {
    control("DELETE", "requests", None).await;
}

/// How many logged requests have this (logical) method and a path matching `pred`.
pub async fn count(method: &str, pred: impl Fn(&str) -> bool) -> usize {
    requests()
        .await
        .iter()
        .filter(|r| r["method"].as_str() == Some(method) && pred(r["path"].as_str().unwrap_or("")))
        .count()
}

/// Paths of `/tokens` calls.
pub fn is_tokens(path: &str) -> bool {
    path.contains("/tokens")
}

/// A landing page on the second emulator (another origin than the app and its FAPI) that
/// answers `204 No Content`, so a navigation there (`?from=<from>`) is logged by that
/// emulator (see [`foreign_landing_visits`]) but leaves the test page in place. Resets that
/// emulator.
pub async fn foreign_landing(from: &str) -> String {
    control_at(emulator_live(), "POST", "reset", None).await;
    control_at(
        emulator_live(),
        "POST",
        "faults",
        Some(json!({"path": "/v1/landing", "kind": "status", "status": 204})),
    )
    .await;
    format!("{}/v1/landing?from={from}", emulator_live())
}

/// How many times the [`foreign_landing`] page was loaded.
pub async fn foreign_landing_visits() -> usize {
    control_at(emulator_live(), "GET", "requests", None)
        .await
        .as_array()
        .map_or(0, |r| {
            r.iter()
                .filter(|r| r["path"].as_str() == Some("/v1/landing"))
                .count()
        })
}

/// A fresh `<div>` in `<body>`.
pub fn make_root() -> web_sys::Element {
    let doc = window().document().unwrap();
    let div = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&div).unwrap();
    div
}

/// Sleeps.
pub async fn sleep(ms: u64) {
    yew::platform::time::sleep(Duration::from_millis(ms)).await;
}

/// Waits (polling every 20 ms, up to `timeout_ms`) until the root's text satisfies `pred`;
/// returns the text, panics with it on timeout.
pub async fn wait_text(
    root: &web_sys::Element,
    timeout_ms: u64,
    pred: impl Fn(&str) -> bool,
) -> String {
    let mut waited = 0;
    loop {
        yew::scheduler::flush().await;
        let text = root.text_content().unwrap_or_default();
        if pred(&text) {
            return text;
        }
        if waited >= timeout_ms {
            panic!("timed out after {timeout_ms} ms; root text: {text:?}");
        }
        sleep(20).await;
        waited += 20;
    }
}

/// Waits (up to 10 s) until [`AuthView`] under `root` shows a signed-in user; returns the text.
pub async fn wait_signed_in(root: &web_sys::Element) -> String {
    wait_text(root, 10_000, |t| t.contains("[auth:signed-in")).await
}

/// Clicks the first element matching `selector` under `root`.
pub fn click(root: &web_sys::Element, selector: &str) {
    let el = root
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element {selector}"));
    el.dyn_into::<web_sys::HtmlElement>().unwrap().click();
}

/// Props of [`TestApp`].
#[derive(Properties, PartialEq, Clone)]
pub struct TestAppProps {
    /// Key.
    pub publishable_key: AttrValue,
    /// Emulator URL.
    pub proxy_url: AttrValue,
    /// The provider's `treat_pending_as_signed_out`.
    #[prop_or(true)]
    pub treat_pending_as_signed_out: bool,
    /// The provider's `after_sign_out_url`.
    #[prop_or_default]
    pub after_sign_out_url: Option<AttrValue>,
    /// The provider's `allowed_redirect_origins`.
    #[prop_or_default]
    pub allowed_redirect_origins: Vec<AttrValue>,
    /// What to render under the provider.
    #[prop_or_default]
    pub children: Html,
}

impl TestAppProps {
    /// The provider's defaults (pending sessions treated as signed out, no after-sign-out
    /// URL, no other redirect origins) for this key and FAPI.
    pub fn new(key: &str, proxy: &str, children: Html) -> Self {
        TestAppProps {
            publishable_key: AttrValue::from(key.to_string()),
            proxy_url: AttrValue::from(proxy.to_string()),
            treat_pending_as_signed_out: true,
            after_sign_out_url: None,
            allowed_redirect_origins: Vec::new(),
            children,
        }
    }
}

/// `ClerkProvider` pointed at the emulator.
#[component]
pub fn TestApp(props: &TestAppProps) -> Html {
    html! {
        <ClerkProvider
            publishable_key={props.publishable_key.clone()}
            proxy_url={props.proxy_url.clone()}
            treat_pending_as_signed_out={props.treat_pending_as_signed_out}
            after_sign_out_url={props.after_sign_out_url.clone()}
            allowed_redirect_origins={props.allowed_redirect_origins.clone()}
        >
            { props.children.clone() }
        </ClerkProvider>
    }
}

/// Mounts `children` under a `ClerkProvider` configured for the emulator.
pub async fn mount(children: Html) -> (Mounted, web_sys::Element) {
    let (key, proxy) = config().await;
    mount_with_key(&key, &proxy, children)
}

/// [`mount`] with `treat_pending_as_signed_out={false}`.
pub async fn mount_keeping_pending(children: Html) -> (Mounted, web_sys::Element) {
    let (key, proxy) = config().await;
    mount_props(TestAppProps {
        treat_pending_as_signed_out: false,
        ..TestAppProps::new(&key, &proxy, children)
    })
}

/// Mounts with an explicit key.
pub fn mount_with_key(key: &str, proxy: &str, children: Html) -> (Mounted, web_sys::Element) {
    mount_props(TestAppProps::new(key, proxy, children))
}

/// Mounts with explicit props.
pub fn mount_props(props: TestAppProps) -> (Mounted, web_sys::Element) {
    let root = make_root();
    let handle = yew::Renderer::<TestApp>::with_root_and_props(root.clone(), props).render();
    (track(handle), root)
}

/// What a server renders for these props, rendered in this page with the FAPI out of reach
/// (see [`UNREACHABLE_FAPI`]).
pub async fn server_html(props: &TestAppProps) -> String {
    let props = TestAppProps {
        proxy_url: AttrValue::from(UNREACHABLE_FAPI),
        ..props.clone()
    };
    yew::LocalServerRenderer::<TestApp>::with_props(props)
        .render()
        .await
}

/// Puts the server's `html` in a fresh root and hydrates it with these props.
pub fn hydrate(html: &str, props: TestAppProps) -> (Mounted, web_sys::Element) {
    let root = make_root();
    root.set_inner_html(html);
    let handle = yew::Renderer::<TestApp>::with_root_and_props(root.clone(), props).hydrate();
    (track(handle), root)
}

/// Shows the `use_auth` state: `loading`, `signed-out`, or `signed-in user=… session=…`.
#[component]
pub fn AuthView() -> Html {
    let auth = use_auth();
    let text = match auth.is_signed_in {
        None => "[auth:loading]".to_string(),
        Some(false) => "[auth:signed-out]".to_string(),
        Some(true) => format!(
            "[auth:signed-in user={} session={} org={}]",
            auth.user_id.clone().unwrap_or_default(),
            auth.session_id.clone().unwrap_or_default(),
            auth.org_id.clone().unwrap_or_default()
        ),
    };
    html! { <span class="auth">{ text }</span> }
}

thread_local! {
    /// How many times [`UserView`] rendered.
    pub static USER_RENDERS: Cell<u32> = const { Cell::new(0) };
}

/// Shows the `use_user` state and counts its renders.
#[component]
pub fn UserView() -> Html {
    USER_RENDERS.with(|c| c.set(c.get() + 1));
    let u = use_user();
    let text = match (&u.is_signed_in, &u.user) {
        (None, _) => "[user:loading]".to_string(),
        (Some(true), Some(user)) => format!(
            "[user:{} name={} email={}]",
            user.id,
            user.full_name().unwrap_or_default(),
            user.primary_email_address()
                .map(|e| e.email_address.clone())
                .unwrap_or_default()
        ),
        _ => "[user:none]".to_string(),
    };
    html! { <span class="user">{ text }</span> }
}
