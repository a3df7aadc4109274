//! Loading: signed out / signed in, nested providers, an invalid key, a failing or unreachable
//! emulator, hooks outside a provider, unmounting.

use super::*;

#[wasm_bindgen_test]
async fn loads_signed_out() {
    reset().await;
    let (handle, root) = mount(views()).await;
    yew::scheduler::flush().await;
    let first = root.text_content().unwrap_or_default();
    assert!(
        first.contains("[auth:loading]"),
        "first render must be loading: {first}"
    );
    assert!(first.contains("[user:loading]"), "{first}");
    let text = wait_text(&root, 10_000, |t| t.contains("[auth:signed-out]")).await;
    assert!(text.contains("[user:none]"), "{text}");
    assert!(text.contains("[status:Ready]"), "{text}");
    handle.destroy();
}

#[wasm_bindgen_test]
async fn loads_signed_in_with_one_client_request_and_no_token_request() {
    reset().await;
    let sid = sign_in(EMAIL, PASSWORD).await;
    clear_requests().await;
    let (handle, root) = mount(views()).await;
    yew::scheduler::flush().await;
    assert!(root
        .text_content()
        .unwrap_or_default()
        .contains("[auth:loading]"));
    let text = wait_signed_in(&root).await;
    assert!(text.contains(&format!("session={sid}")), "{text}");
    assert!(text.contains("name=Demo User"), "{text}");
    assert!(text.contains("email=demo@example.com"), "{text}");
    let user_id = text
        .split("[user:")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .unwrap();
    assert!(text.contains(&format!("user={user_id}")), "{text}");
    assert_eq!(
        count("GET", |p| p == "/v1/client").await,
        1,
        "one GET /v1/client at load"
    );
    assert_eq!(count("POST", is_tokens).await, 0, "no /tokens at load");
    assert!(
        cookie("__session").is_some(),
        "the __session cookie is written"
    );
    handle.destroy();
}

#[wasm_bindgen_test]
async fn a_nested_provider_is_ignored_and_its_children_use_the_outer_one() {
    reset().await;
    sign_in(EMAIL, PASSWORD).await;
    clear_requests().await;
    let (handle, root) = mount(html! {
        <ClerkProvider publishable_key="pk_test_bm90LWEta2V5">
            <AuthView />
        </ClerkProvider>
    })
    .await;
    // The inner provider's invalid key would give a failed state if it ran.
    wait_signed_in(&root).await;
    assert_eq!(count("GET", |p| p == "/v1/client").await, 1, "one engine");
    handle.destroy();
}

/// `use_auth()` alone, read as an enum: an invalid key must not look like "still loading".
#[component]
fn AuthStateView() -> Html {
    let auth = use_auth();
    let state = match auth.state() {
        AuthState::Loading => "loading".to_string(),
        AuthState::Failed(e) => format!("failed:{}", e.to_string().contains("publishable key")),
        AuthState::SignedOut => "signed-out".to_string(),
        AuthState::SignedIn(_) => "signed-in".to_string(),
    };
    html! { <span>{ format!("[state:{state} status:{:?}]", auth.status()) }</span> }
}

#[wasm_bindgen_test]
async fn invalid_key_fails_with_the_error_text() {
    reset().await;
    let render = Callback::from(|e: ClerkError| html! { <span>{ format!("[error:{e}]") }</span> });
    let (handle, root) = mount_with_key(
        "pk_test_not-a-key",
        emulator(),
        html! {
            <>
                <ClerkLoading>{ "[loading]" }</ClerkLoading>
                <ClerkLoaded>{ "[loaded]" }</ClerkLoaded>
                <ClerkFailed {render}>{ "[failed]" }</ClerkFailed>
                <SignedIn>{ "[in]" }</SignedIn>
                <SignedOut>{ "[out]" }</SignedOut>
                <StatusView />
                <AuthStateView />
            </>
        },
    );
    let text = wait_text(&root, 10_000, |t| t.contains("[failed]")).await;
    assert!(text.contains("publishable key"), "{text}");
    assert!(text.contains("[status:Failed]"), "{text}");
    assert!(text.contains("[state:failed:true status:Failed]"), "{text}");
    for absent in ["[loading]", "[loaded]", "[in]", "[out]"] {
        assert!(!text.contains(absent), "{absent} rendered: {text}");
    }
    handle.destroy();
}

#[wasm_bindgen_test]
async fn emulator_failing_at_load_degrades_then_recovers() {
    reset().await;
    sign_in(EMAIL, PASSWORD).await;
    clear_browser_state_keep_dev_browser();
    let (handle, root, text) = mount_while_client_fails().await;
    assert!(
        text.contains("[auth:signed-out]") && text.contains("[status:Degraded]"),
        "no client and no __session cookie: degraded and signed out (not failed): {text}"
    );
    assert!(!text.contains("[failed]"), "{text}");
    // Recovery is the engine's own background retry: no focus, no reload, nothing from the
    // test but the fault going away. First it retries while FAPI still fails…
    clear_requests().await;
    let mut waited = 0;
    while count("GET", |p| p == "/v1/client").await == 0 {
        assert!(
            waited < 10_000,
            "no background retry of GET /v1/client within 10 s"
        );
        sleep(200).await;
        waited += 200;
    }
    assert!(
        root.text_content()
            .unwrap_or_default()
            .contains("[degraded]"),
        "still degraded while the fault lasts"
    );
    // …then, once FAPI answers, the next retry brings the session back.
    control("DELETE", "faults", None).await;
    clear_requests().await;
    let text = wait_text(&root, 30_000, |t| t.contains("[auth:signed-in")).await;
    assert!(text.contains("[status:Ready]"), "{text}");
    assert!(
        requests()
            .await
            .iter()
            .any(|r| r["path"] == "/v1/client" && r["method"] == "GET" && r["status"] == 200),
        "recovered by a successful GET /v1/client"
    );
    handle.destroy();
}

/// Keeps the dev browser (so the session survives) but drops `__session` and storage.
fn clear_browser_state_keep_dev_browser() {
    let dvb = cookie("__clerk_db_jwt");
    clear_browser_state();
    if let Some(id) = dvb {
        use wasm_bindgen::JsCast;
        let doc: web_sys::HtmlDocument = web_sys::window()
            .unwrap()
            .document()
            .unwrap()
            .dyn_into()
            .unwrap();
        doc.set_cookie(&format!(
            "__clerk_db_jwt={id}; path=/; max-age=3600; SameSite=Lax"
        ))
        .unwrap();
    }
}

#[wasm_bindgen_test]
async fn emulator_unreachable_at_load_does_not_read_as_failed_sign_in() {
    reset().await;
    control(
        "POST",
        "faults",
        Some(json!({"path": "/v1/client", "kind": "drop"})),
    )
    .await;
    let (handle, root) = mount(views_with_degraded_and_failed()).await;
    let text = wait_text(&root, 30_000, |t| t.contains("[degraded]")).await;
    assert!(
        text.contains("[auth:signed-out]") && text.contains("[status:Degraded]"),
        "unreachable at load: degraded, not failed: {text}"
    );
    assert!(!text.contains("[failed]"), "{text}");
    control("DELETE", "faults", None).await;
    handle.destroy();
}

#[wasm_bindgen_test]
async fn hooks_outside_a_provider_report_no_provider() {
    #[component]
    fn Orphan() -> Html {
        let auth = use_auth();
        let clerk = auth.clerk();
        let out = use_state(String::new);
        {
            let out = out.clone();
            use_effect_with((), move |_| {
                yew::platform::spawn_local(async move {
                    let e = clerk
                        .get_token(GetTokenOptions::default())
                        .await
                        .unwrap_err();
                    out.set(e.to_string());
                });
            });
        }
        html! { <span>{ format!("[{:?}][{}]", auth.is_signed_in, *out) }</span> }
    }
    let root = make_root();
    let handle = yew::Renderer::<Orphan>::with_root(root.clone()).render();
    let text = wait_text(&root, 5_000, |t| t.contains("ClerkProvider")).await;
    assert!(
        text.contains("[None][use_auth must be used inside a <ClerkProvider> component]"),
        "{text}"
    );
    handle.destroy();
}

fn focus_window() {
    let window = web_sys::window().unwrap();
    window
        .dispatch_event(&web_sys::Event::new("focus").unwrap())
        .unwrap();
}

#[wasm_bindgen_test]
async fn unmount_stops_listeners_and_timers() {
    // 10 s tokens: the refresh timer fires 5 s after each token is minted (half its life,
    // never sooner than 5 s), so both windows below are longer than one refresh period.
    reset().await;
    control("POST", "settings", Some(json!({"token_lifetime_secs": 10}))).await;
    sign_in(EMAIL, PASSWORD).await;
    let (handle, root) = mount(views()).await;
    wait_signed_in(&root).await;
    clear_requests().await;
    // Mounted, with no focus and no call: the timer refreshes the token by itself. This is
    // what proves the window after unmount is long enough to catch a timer left running.
    let mut waited = 0;
    while count("POST", is_tokens).await == 0 {
        assert!(waited < 8_000, "no timer refresh within 8 s while mounted");
        sleep(200).await;
        waited += 200;
    }
    // Mounted: a window focus touches the session (touch_session defaults to true).
    clear_requests().await;
    focus_window();
    sleep(1_000).await;
    assert!(
        count("POST", |p| p.ends_with("/touch")).await >= 1,
        "a focus while mounted touches the session"
    );
    // The newest token was minted at most ~1 s ago: its refresh is due within ~5 s.
    handle.destroy();
    sleep(300).await;
    clear_requests().await;
    // Unmounted: neither the focus listener nor the timer may send anything, for longer than
    // a refresh period.
    focus_window();
    sleep(7_500).await;
    let after: Vec<_> = requests()
        .await
        .iter()
        .map(|r| r["path"].to_string())
        .collect();
    assert!(after.is_empty(), "requests after unmount: {after:?}");
}
