//! Server-rendered loading state, hydration and the `index.html` prefetch snippet.

use super::*;

#[wasm_bindgen_test]
async fn hydrates_the_server_rendered_loading_state() {
    reset().await;
    let (key, proxy) = config().await;
    let props = TestAppProps::new(&key, &proxy, views());
    let html = server_html(&props).await;
    assert!(html.contains("[auth:loading]"), "{html}");
    let (handle, root) = hydrate(&html, props);
    yew::scheduler::flush().await;
    assert!(root
        .text_content()
        .unwrap_or_default()
        .contains("[auth:loading]"));
    wait_text(&root, 10_000, |t| t.contains("[auth:signed-out]")).await;
    handle.destroy();
}

#[wasm_bindgen_test]
async fn prefetched_requests_are_adopted_at_load() {
    reset().await;
    sign_in(EMAIL, PASSWORD).await;
    clear_requests().await;
    // What index.html would run before the wasm arrives.
    let html = yew_clerk::browser::prefetch::snippet(emulator(), true);
    let js = html.replace("<script>", "").replace("</script>", "");
    js_sys::Function::new_no_args(&js)
        .call0(&wasm_bindgen::JsValue::NULL)
        .unwrap();
    let (handle, root) = mount(views()).await;
    wait_signed_in(&root).await;
    assert_eq!(
        count("GET", |p| p == "/v1/client").await,
        1,
        "the prefetched GET /v1/client was used"
    );
    let env = requests()
        .await
        .iter()
        .filter(|r| r["path"].as_str() == Some("/v1/environment"))
        .count();
    assert_eq!(env, 1, "the prefetched environment request was used");
    let global =
        js_sys::Reflect::get(&web_sys::window().unwrap(), &"__clerk_prefetch".into()).unwrap();
    let left = js_sys::Object::keys(&global.into()).length();
    assert_eq!(left, 0, "prefetched responses are taken once");
    handle.destroy();
}

thread_local! {
    /// What [`RenderLog`] saw in each of its renders.
    static RENDERS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Records `use_auth`'s state at every render.
#[component]
fn RenderLog() -> Html {
    let auth = use_auth();
    RENDERS.with(|r| {
        r.borrow_mut()
            .push(format!("{:?}/{:?}", auth.is_loaded, auth.is_signed_in))
    });
    Html::default()
}

fn renders() -> Vec<String> {
    RENDERS.with(|r| r.borrow().clone())
}

/// Runs the prefetch snippet as `index.html` would.
fn run_snippet() {
    let html = yew_clerk::browser::prefetch::snippet(emulator(), true);
    let js = html.replace("<script>", "").replace("</script>", "");
    js_sys::Function::new_no_args(&js)
        .call0(&wasm_bindgen::JsValue::NULL)
        .unwrap();
}

/// Waits until the snippet's responses (bodies included) have arrived.
async fn snippet_settled() {
    let global =
        js_sys::Reflect::get(&web_sys::window().unwrap(), &"__clerk_prefetch".into()).unwrap();
    for path in ["/v1/client", "/v1/environment"] {
        let entry = js_sys::Reflect::get(&global, &path.into()).unwrap();
        let promise: js_sys::Promise = js_sys::Reflect::get(&entry, &"promise".into())
            .unwrap()
            .into();
        wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
        assert!(js_sys::Reflect::get(&entry, &"text".into())
            .unwrap()
            .is_string());
    }
}

async fn assert_one_load_request_each() {
    assert_eq!(
        count("GET", |p| p == "/v1/client").await,
        1,
        "{:?}",
        requests().await
    );
    let env = requests()
        .await
        .iter()
        .filter(|r| r["path"].as_str() == Some("/v1/environment"))
        .count();
    assert_eq!(env, 1, "the prefetched environment request was used");
}

#[wasm_bindgen_test]
async fn arrived_prefetched_responses_make_the_first_render_loaded() {
    reset().await;
    sign_in(EMAIL, PASSWORD).await;
    let (key, proxy) = config().await;
    clear_requests().await;
    run_snippet();
    snippet_settled().await;
    RENDERS.with(|r| r.borrow_mut().clear());
    let (handle, root) = mount_with_key(
        &key,
        &proxy,
        html! { <><RenderLog /><AuthView /><StatusView /></> },
    );
    yew::scheduler::flush().await;
    let log = renders();
    assert_eq!(
        log.first().map(String::as_str),
        Some("true/Some(true)"),
        "{log:?}"
    );
    assert!(
        log.iter().all(|r| r == "true/Some(true)"),
        "never rendered loading: {log:?}"
    );
    let text = root.text_content().unwrap_or_default();
    assert!(text.contains("[auth:signed-in"), "{text}");
    assert!(text.contains("[status:Ready]"), "{text}");
    // Nothing fetched again afterwards either (listeners, snapshot, cookies settle).
    sleep(300).await;
    assert_one_load_request_each().await;
    handle.destroy();
}

#[wasm_bindgen_test]
async fn pending_prefetched_responses_are_awaited() {
    reset().await;
    sign_in(EMAIL, PASSWORD).await;
    let (key, proxy) = config().await;
    control(
        "POST",
        "faults",
        Some(json!({"path": "/v1/client", "method": "GET", "kind": "latency", "latency_ms": 400})),
    )
    .await;
    clear_requests().await;
    run_snippet();
    RENDERS.with(|r| r.borrow_mut().clear());
    let (handle, root) = mount_with_key(&key, &proxy, html! { <><RenderLog /><AuthView /></> });
    yew::scheduler::flush().await;
    assert_eq!(
        renders().first().map(String::as_str),
        Some("false/None"),
        "the client response is still on its way"
    );
    wait_signed_in(&root).await;
    control("DELETE", "faults", None).await;
    assert_one_load_request_each().await;
    handle.destroy();
}

#[wasm_bindgen_test]
async fn hydration_renders_loading_first_even_with_arrived_responses() {
    reset().await;
    sign_in(EMAIL, PASSWORD).await;
    let (key, proxy) = config().await;
    let props = TestAppProps::new(
        &key,
        &proxy,
        html! { <><RenderLog /><AuthView /><SignedIn><b>{ "in" }</b></SignedIn></> },
    );
    let html = server_html(&props).await;
    assert!(html.contains("[auth:loading]"), "{html}");
    clear_requests().await;
    run_snippet();
    snippet_settled().await;
    RENDERS.with(|r| r.borrow_mut().clear());
    let (handle, root) = hydrate(&html, props);
    yew::scheduler::flush().await;
    assert_eq!(
        renders().first().map(String::as_str),
        Some("false/None"),
        "hydration starts from the server's loading state"
    );
    wait_signed_in(&root).await;
    assert_one_load_request_each().await;
    handle.destroy();
}

#[wasm_bindgen_test]
async fn prefetch_snippet_reads_the_suffixed_dev_browser_cookie() {
    reset().await;
    sign_in(EMAIL, PASSWORD).await;
    let (key, proxy) = config().await;
    let real = cookie("__clerk_db_jwt").expect("dev browser");
    // Another app on this host owns the unsuffixed cookie; this app's is the suffixed one.
    let suffixed = format!(
        "__clerk_db_jwt_{}",
        yew_clerk::core::key::cookie_suffix(&key)
    );
    set_cookie("__clerk_db_jwt", "dvb_of_another_app");
    set_cookie(&suffixed, &real);
    clear_requests().await;
    let html = yew_clerk::browser::prefetch::snippet_for_key(&key, Some(&proxy)).unwrap();
    let js = html.replace("<script>", "").replace("</script>", "");
    js_sys::Function::new_no_args(&js)
        .call0(&wasm_bindgen::JsValue::NULL)
        .unwrap();
    let (handle, root) = mount(views()).await;
    wait_signed_in(&root).await;
    let client_calls: Vec<_> = requests()
        .await
        .into_iter()
        .filter(|r| r["path"] == "/v1/client" && r["method"] == "GET")
        .collect();
    assert_eq!(
        client_calls.len(),
        1,
        "the prefetch was used: {client_calls:?}"
    );
    let query = client_calls[0]["query"].as_str().unwrap_or_default();
    assert!(
        query.contains(&format!("__clerk_db_jwt={real}")),
        "the app's own dev browser: {query}"
    );
    handle.destroy();
}

#[wasm_bindgen_test]
async fn prefetch_snippet_url_encodes_the_dev_browser() {
    reset().await;
    // What the snippet sends, without the network: fetch is replaced while it runs.
    js_sys::eval(
        "window.__b2_urls = []; window.__b2_fetch = window.fetch; \
         window.fetch = function (u) { window.__b2_urls.push(String(u)); return new Promise(function () {}); };",
    )
    .unwrap();
    set_cookie("__clerk_db_jwt", "a&b=c d");
    let html = yew_clerk::browser::prefetch::snippet(emulator(), true);
    let js = html.replace("<script>", "").replace("</script>", "");
    let ran = js_sys::Function::new_no_args(&js).call0(&wasm_bindgen::JsValue::NULL);
    js_sys::eval("window.fetch = window.__b2_fetch; delete window.__clerk_prefetch;").unwrap();
    ran.unwrap();
    let urls = js_sys::eval("window.__b2_urls.join(' ')")
        .unwrap()
        .as_string()
        .unwrap_or_default();
    assert!(
        urls.contains("__clerk_db_jwt=a%26b%3Dc%20d&"),
        "encoded once, as the engine sends it: {urls}"
    );
    clear_browser_state();
}
