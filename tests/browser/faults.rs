//! The fault matrix: redirects, tampered cookies and storage, sign-out failures. Each `fault_*`
//! test is one row.

use super::*;

/// `[error:<message>]` after the `SignOutButton` (its `on_error`), plus the auth state.
#[component]
fn SignOutWithError(props: &SignOutWithErrorProps) -> Html {
    let error = use_state(|| None::<String>);
    let on_error = {
        let error = error.clone();
        Callback::from(move |e: ClerkError| error.set(Some(e.to_string())))
    };
    html! {
        <>
            <AuthView />
            <SignOutButton class="out" redirect_url={props.redirect_url.clone()} {on_error} />
            if let Some(e) = &*error { <span>{ format!("[error:{e}]") }</span> }
        </>
    }
}

#[derive(Properties, PartialEq, Clone)]
struct SignOutWithErrorProps {
    #[prop_or_default]
    redirect_url: Option<AttrValue>,
}

/// Mounts the emulator app signed in with a `SignOutWithError`, the given
/// `after_sign_out_url` and `allowed_redirect_origins`.
async fn mount_sign_out(
    redirect_url: Option<&str>,
    after_sign_out_url: Option<&str>,
    allowed_redirect_origins: &[&str],
) -> (Mounted, web_sys::Element) {
    let (key, proxy) = config().await;
    let redirect_url = redirect_url.map(|r| AttrValue::from(r.to_string()));
    let (handle, root) = mount_props(TestAppProps {
        after_sign_out_url: after_sign_out_url.map(|u| AttrValue::from(u.to_string())),
        allowed_redirect_origins: allowed_redirect_origins
            .iter()
            .map(|o| AttrValue::from(o.to_string()))
            .collect(),
        ..TestAppProps::new(&key, &proxy, html! { <SignOutWithError {redirect_url} /> })
    });
    wait_signed_in(&root).await;
    (handle, root)
}

fn js_global(name: &str) -> wasm_bindgen::JsValue {
    js_sys::Reflect::get(&web_sys::window().unwrap(), &name.into()).unwrap()
}

#[wasm_bindgen_test]
async fn fault_javascript_redirect_url_is_refused() {
    reset().await;
    sign_in(EMAIL, PASSWORD).await;
    let _ = js_sys::Reflect::delete_property(
        &web_sys::window().unwrap().into(),
        &"__clerk_pwned".into(),
    );
    let (handle, root) = mount_sign_out(
        Some("javascript:window.__clerk_pwned=document.cookie;void 0"),
        None,
        &[],
    )
    .await;
    click(&root, "button.out");
    let text = wait_text(&root, 10_000, |t| t.contains("[error:")).await;
    assert!(
        text.contains("javascript: URL refused"),
        "the typed error is shown: {text}"
    );
    sleep(300).await;
    assert!(
        js_global("__clerk_pwned").is_undefined(),
        "the javascript: URL ran"
    );
    // The sign-out the user asked for still happened.
    assert!(text.contains("[auth:signed-out]"), "{text}");
    assert!(cookie("__session").is_none());
    handle.destroy();
}

#[wasm_bindgen_test]
async fn fault_foreign_after_sign_out_url_is_refused() {
    reset().await;
    sign_in(EMAIL, PASSWORD).await;
    let landing = foreign_landing("sign-out").await;
    let (handle, root) = mount_sign_out(None, Some(&landing), &[]).await;
    click(&root, "button.out");
    let text = wait_text(&root, 10_000, |t| t.contains("[error:")).await;
    assert!(
        text.contains(&format!("redirect to {} refused", emulator_live()))
            && text.contains("allowed_redirect_origins"),
        "says which origin and what to do: {text}"
    );
    let dev_browser = cookie("__clerk_db_jwt").unwrap_or_default();
    assert!(
        dev_browser.is_empty() || !text.contains(&dev_browser),
        "no dev-browser id in the message: {text}"
    );
    sleep(1_000).await;
    assert_eq!(foreign_landing_visits().await, 0, "nothing was opened");
    assert!(text.contains("[auth:signed-out]"), "{text}");
    handle.destroy();
}

#[wasm_bindgen_test]
async fn fault_listed_redirect_origin_is_followed() {
    reset().await;
    sign_in(EMAIL, PASSWORD).await;
    let landing = foreign_landing("sign-out").await;
    let (handle, root) = mount_sign_out(None, Some(&landing), &[emulator_live()]).await;
    click(&root, "button.out");
    wait_text(&root, 10_000, |t| t.contains("[auth:signed-out]")).await;
    let mut waited = 0;
    while foreign_landing_visits().await == 0 {
        assert!(waited < 10_000, "the listed origin was not opened");
        sleep(200).await;
        waited += 200;
    }
    let text = root.text_content().unwrap_or_default();
    assert!(!text.contains("[error:"), "{text}");
    handle.destroy();
}

#[wasm_bindgen_test]
async fn fault_sign_out_failure_reaches_on_error_and_keeps_the_session() {
    reset().await;
    sign_in(EMAIL, PASSWORD).await;
    let (handle, root) = mount_sign_out(None, None, &[]).await;
    control(
        "POST",
        "faults",
        Some(json!({"path": "/v1/client/sessions", "method": "DELETE", "kind": "status", "status": 500})),
    )
    .await;
    click(&root, "button.out");
    let text = wait_text(&root, 10_000, |t| t.contains("[error:")).await;
    assert!(text.contains("Clerk API error 500"), "{text}");
    assert!(text.contains("[auth:signed-in"), "still signed in: {text}");
    assert!(cookie("__session").is_some());
    control("DELETE", "faults", None).await;
    handle.destroy();
}

/// Garbage where the engine reads the `__session` cookie (both names) and its localStorage
/// keys.
fn tamper_with_cookies_and_storage() {
    let forged = "eyJhbGciOiJub25lIn0.eyJleHAiOiJzb29uIiwic2lkIjpbMV0sImlhdCI6LTF9.x";
    set_cookie("__session", "not-a-jwt");
    for name in session_cookie_names() {
        set_cookie(&name, forged);
    }
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage
        .set_item(
            "__clerk_environment",
            r#"{"exp":1e400,"value":{"display_config":7}}"#,
        )
        .unwrap();
    storage
        .set_item("__clerk_token_refresh_lock", "||not-a-number|")
        .unwrap();
}

/// `__session` and its suffixed twin for the emulator's key (read from the cookie jar after
/// a load wrote them).
fn session_cookie_names() -> Vec<String> {
    let doc: web_sys::HtmlDocument = {
        use wasm_bindgen::JsCast;
        web_sys::window()
            .unwrap()
            .document()
            .unwrap()
            .dyn_into()
            .unwrap()
    };
    doc.cookie()
        .unwrap_or_default()
        .split(';')
        .filter_map(|p| p.trim().split_once('=').map(|(k, _)| k.to_string()))
        .filter(|k| k.starts_with("__session"))
        .collect()
}

/// A signed-in load (it writes both `__session` cookie names), unmounted, then
/// [`tamper_with_cookies_and_storage`].
async fn signed_in_load_then_tamper() {
    reset().await;
    sign_in(EMAIL, PASSWORD).await;
    let (handle, root) = mount(views()).await;
    wait_signed_in(&root).await;
    handle.destroy();
    tamper_with_cookies_and_storage();
}

#[wasm_bindgen_test]
async fn fault_tampered_session_cookie_and_storage_at_load() {
    signed_in_load_then_tamper().await;
    let (handle, root) = mount(views_with_degraded_and_failed()).await;
    let text = wait_signed_in(&root).await;
    assert!(text.contains("[status:Ready]"), "{text}");
    // The engine replaced the garbage with the session's token.
    let session = cookie("__session").unwrap_or_default();
    assert_eq!(session.split('.').count(), 3, "{session}");
    assert!(session.starts_with("eyJ") && session != "not-a-jwt");
    handle.destroy();
}

#[wasm_bindgen_test]
async fn fault_tampered_session_cookie_while_fapi_is_down_degrades_signed_out() {
    signed_in_load_then_tamper().await;
    let (handle, root, text) = mount_while_client_fails().await;
    assert!(
        text.contains("[auth:signed-out]") && !text.contains("[failed]"),
        "an unreadable cookie gives no session, and no crash: {text}"
    );
    control("DELETE", "faults", None).await;
    // The real session comes back with FAPI.
    wait_text(&root, 40_000, |t| t.contains("[auth:signed-in")).await;
    handle.destroy();
}
