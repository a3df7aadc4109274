//! Browser tests of ClerkProvider, the hooks and the control components against the real
//! emulator (headless Chromium, over HTTP). Tests run one at a time and share the emulator,
//! so each starts with `reset()`.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::cell::RefCell;

use common::*;
use serde_json::json;
use wasm_bindgen_test::*;
use yew::prelude::*;
use yew_clerk::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

const EMAIL: &str = "demo@example.com";
const PASSWORD: &str = "demo-password-123";

thread_local! {
    static GRABBED: RefCell<Vec<ClerkInstance>> = const { RefCell::new(Vec::new()) };
}

/// Stores the provider's action handle for the test to call.
#[component]
fn Grab() -> Html {
    let auth = use_auth();
    let clerk = auth.clerk();
    use_effect_with(clerk, |clerk| {
        GRABBED.with(|g| g.borrow_mut().push(clerk.clone()));
    });
    Html::default()
}

fn grabbed(i: usize) -> ClerkInstance {
    GRABBED
        .with(|g| g.borrow().get(i).cloned())
        .expect("no grabbed instance")
}

fn reset_grabbed() {
    GRABBED.with(|g| g.borrow_mut().clear());
}

/// Shows the load status.
#[component]
fn StatusView() -> Html {
    let clerk = use_clerk();
    html! { <span class="status">{ format!("[status:{:?}]", clerk.status) }</span> }
}

fn views() -> Html {
    html! { <><AuthView /><UserView /><StatusView /><Grab /></> }
}

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
    let text = wait_text(&root, 10_000, |t| t.contains("[auth:signed-in")).await;
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
async fn concurrent_get_token_calls_share_one_request() {
    reset().await;
    reset_grabbed();
    sign_in(EMAIL, PASSWORD).await;
    let (handle, root) = mount(views()).await;
    wait_text(&root, 10_000, |t| t.contains("[auth:signed-in")).await;
    clear_requests().await;
    let clerk = grabbed(0);
    let calls: Vec<_> = (0..20)
        .map(|_| clerk.get_token(GetTokenOptions::template("test")))
        .collect();
    let results = futures::future::join_all(calls).await;
    let first = results[0].clone().unwrap().expect("a template token");
    assert!(results
        .iter()
        .all(|r| r.as_ref().ok() == Some(&Some(first.clone()))));
    assert_eq!(
        count("POST", |p| p.ends_with("/tokens/test")).await,
        1,
        "20 calls, one request"
    );
    // The template token is cached afterwards.
    let again = clerk
        .get_token(GetTokenOptions::template("test"))
        .await
        .unwrap();
    assert_eq!(again, Some(first));
    assert_eq!(count("POST", is_tokens).await, 1);
    // The default token was seeded from the client at load: no request either.
    let default = clerk.get_token(GetTokenOptions::default()).await.unwrap();
    assert!(default.is_some());
    assert_eq!(count("POST", is_tokens).await, 1);
    handle.destroy();
}

#[wasm_bindgen_test]
async fn get_token_after_expiry_fetches_a_new_one() {
    reset().await;
    reset_grabbed();
    control("POST", "settings", Some(json!({"token_lifetime_secs": 7}))).await;
    sign_in(EMAIL, PASSWORD).await;
    let (handle, root) = mount(views()).await;
    wait_text(&root, 10_000, |t| t.contains("[auth:signed-in")).await;
    let clerk = grabbed(0);
    let t1 = clerk
        .get_token(GetTokenOptions::default())
        .await
        .unwrap()
        .unwrap();
    // A token with 5 s or less left is never returned.
    sleep(2_500).await;
    let t2 = clerk
        .get_token(GetTokenOptions::default())
        .await
        .unwrap()
        .unwrap();
    assert_ne!(t1, t2, "a token about to expire must be replaced");
    assert!(count("POST", is_tokens).await >= 1);
    handle.destroy();
}

#[wasm_bindgen_test]
async fn token_refresh_does_not_rerender_use_user_consumers() {
    reset().await;
    reset_grabbed();
    sign_in(EMAIL, PASSWORD).await;
    let (handle, root) = mount(views()).await;
    wait_text(&root, 10_000, |t| t.contains("[auth:signed-in")).await;
    sleep(200).await;
    let before = USER_RENDERS.with(|c| c.get());
    clear_requests().await;
    let clerk = grabbed(0);
    let fresh = clerk
        .get_token(GetTokenOptions {
            skip_cache: true,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(fresh.is_some());
    assert_eq!(
        count("POST", is_tokens).await,
        1,
        "skip_cache went to the network"
    );
    sleep(300).await;
    yew::scheduler::flush().await;
    let after = USER_RENDERS.with(|c| c.get());
    assert_eq!(
        before, after,
        "a token refresh re-rendered a use_user consumer"
    );
    handle.destroy();
}

#[wasm_bindgen_test]
async fn revoked_session_signs_out_on_next_token_fetch() {
    reset().await;
    reset_grabbed();
    let sid = sign_in(EMAIL, PASSWORD).await;
    let (handle, root) = mount(views()).await;
    wait_text(&root, 10_000, |t| t.contains("[auth:signed-in")).await;
    control("POST", &format!("sessions/{sid}/revoke"), Some(json!({}))).await;
    let result = grabbed(0)
        .get_token(GetTokenOptions {
            skip_cache: true,
            ..Default::default()
        })
        .await;
    assert!(
        !matches!(result, Ok(Some(_))),
        "a revoked session got a token: {result:?}"
    );
    wait_text(&root, 10_000, |t| t.contains("[auth:signed-out]")).await;
    handle.destroy();
}

#[wasm_bindgen_test]
async fn sign_out_button_signs_out() {
    reset().await;
    sign_in(EMAIL, PASSWORD).await;
    let (handle, root) = mount(html! {
        <>
            <AuthView />
            <SignedIn><SignOutButton class="out" /></SignedIn>
            <SignedOut><span>{ "[bye]" }</span></SignedOut>
        </>
    })
    .await;
    wait_text(&root, 10_000, |t| t.contains("[auth:signed-in")).await;
    assert!(cookie("__session").is_some());
    clear_requests().await;
    click(&root, "button.out");
    let text = wait_text(&root, 10_000, |t| t.contains("[auth:signed-out]")).await;
    assert!(text.contains("[bye]"), "{text}");
    assert_eq!(count("DELETE", |p| p == "/v1/client/sessions").await, 1);
    assert!(
        cookie("__session").is_none(),
        "__session removed on sign-out"
    );
    handle.destroy();
}

/// Lists the signed-in sessions.
#[component]
fn SessionsView() -> Html {
    let list = use_session_list();
    let ids: Vec<String> = list.sessions.iter().map(|s| s.id.clone()).collect();
    html! { <span>{ format!("[sessions:{}]", ids.join(",")) }</span> }
}

#[wasm_bindgen_test]
async fn sign_out_of_one_session_keeps_the_other() {
    reset().await;
    reset_grabbed();
    create_user(
        "second@example.com",
        "second-password-123",
        "Second",
        "User",
    )
    .await;
    let first = sign_in(EMAIL, PASSWORD).await;
    let second = sign_in("second@example.com", "second-password-123").await;
    assert_ne!(first, second);
    let (handle, root) = mount(html! { <>{ views() }<SessionsView /></> }).await;
    let text = wait_text(&root, 10_000, |t| t.contains("[auth:signed-in")).await;
    wait_text(&root, 5_000, |t| {
        t.contains(&first) && t.contains(&second) && t.contains("[sessions:")
    })
    .await;
    // The current session is the last one signed in.
    let (current, other) = if text.contains(&format!("session={second}")) {
        (second, first)
    } else {
        (first, second)
    };
    let clerk = grabbed(0);
    clerk
        .sign_out(SignOutOptions {
            session_id: Some(other.clone()),
            redirect_url: None,
        })
        .await
        .unwrap();
    let text = wait_text(&root, 10_000, |t| !t.contains(&other)).await;
    assert!(
        text.contains(&format!("session={current}")),
        "still signed in: {text}"
    );
    // Then signing out of everything.
    clerk.sign_out(SignOutOptions::default()).await.unwrap();
    wait_text(&root, 10_000, |t| {
        t.contains("[auth:signed-out]") && t.contains("[sessions:]")
    })
    .await;
    handle.destroy();
}

#[wasm_bindgen_test]
async fn sign_out_reaches_a_second_provider_in_the_same_page() {
    reset().await;
    reset_grabbed();
    sign_in(EMAIL, PASSWORD).await;
    let (a, root_a) = mount(views()).await;
    let (b, root_b) = mount(views()).await;
    wait_text(&root_a, 10_000, |t| t.contains("[auth:signed-in")).await;
    wait_text(&root_b, 10_000, |t| t.contains("[auth:signed-in")).await;
    let first = grabbed(0);
    first.sign_out(SignOutOptions::default()).await.unwrap();
    wait_text(&root_a, 10_000, |t| t.contains("[auth:signed-out]")).await;
    // B heard `{type: "signout"}` on BroadcastChannel("clerk") and re-read its client.
    wait_text(&root_b, 10_000, |t| t.contains("[auth:signed-out]")).await;
    a.destroy();
    b.destroy();
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
            </>
        },
    );
    let text = wait_text(&root, 10_000, |t| t.contains("[failed]")).await;
    assert!(text.contains("publishable key"), "{text}");
    assert!(text.contains("[status:Failed]"), "{text}");
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
    control(
        "POST",
        "faults",
        Some(json!({"path": "/v1/client", "kind": "status", "status": 503})),
    )
    .await;
    let (handle, root) = mount(html! {
        <>
            { views() }
            <ClerkDegraded>{ "[degraded]" }</ClerkDegraded>
            <ClerkFailed>{ "[failed]" }</ClerkFailed>
        </>
    })
    .await;
    let text = wait_text(&root, 20_000, |t| {
        t.contains("[degraded]") || t.contains("[failed]")
    })
    .await;
    assert!(
        !text.contains("[auth:signed-in"),
        "no client, no cookie: not signed in yet: {text}"
    );
    control("DELETE", "faults", None).await;
    // Recovery: the engine retries the client in the background (or on focus).
    let _ = web_sys::window()
        .unwrap()
        .dispatch_event(&web_sys::Event::new("focus").unwrap());
    wait_text(&root, 30_000, |t| t.contains("[auth:signed-in")).await;
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
    let (handle, root) = mount(html! {
        <>
            { views() }
            <ClerkDegraded>{ "[degraded]" }</ClerkDegraded>
            <ClerkFailed>{ "[failed]" }</ClerkFailed>
        </>
    })
    .await;
    let text = wait_text(&root, 30_000, |t| {
        t.contains("[degraded]") || t.contains("[failed]")
    })
    .await;
    assert!(!text.contains("[auth:signed-in"), "{text}");
    control("DELETE", "faults", None).await;
    handle.destroy();
}

fn control_components() -> Html {
    let admin = Callback::from(|has: HasFn| has.has(&Check::role("org:admin")));
    html! {
        <>
            <AuthView />
            <ClerkLoaded>{ "[loaded]" }</ClerkLoaded>
            <SignedIn>{ "[signed-in]" }</SignedIn>
            <SignedOut>{ "[signed-out]" }</SignedOut>
            <Protect fallback={html! { "[protect:fallback]" }}>{ "[protect:any]" }</Protect>
            <Protect role="org:admin" fallback={html! { "[admin:no]" }}>{ "[admin:yes]" }</Protect>
            <Protect permission="org:sys_memberships:manage" fallback={html! { "[perm:no]" }}>{ "[perm:yes]" }</Protect>
            <Protect condition={admin.clone()} fallback={html! { "[cond:no]" }}>{ "[cond:yes]" }</Protect>
            <Show when={ShowWhen::SignedOut} fallback={html! { "[show-out:no]" }}>{ "[show-out:yes]" }</Show>
            <Show when={ShowWhen::Check(Check::role("org:admin"))} fallback={html! { "[show-admin:no]" }}>{ "[show-admin:yes]" }</Show>
            <Show when={ShowWhen::Condition(admin)}>{ "[show-cond:yes]" }</Show>
            <OrgView />
            <Grab />
        </>
    }
}

/// The active organization.
#[component]
fn OrgView() -> Html {
    let org = use_organization();
    let role = org
        .membership
        .as_ref()
        .map(|m| m.role.clone())
        .unwrap_or_default();
    html! { <span>{ format!("[org:{}:{}]", org.organization.map(|o| o.slug.clone().unwrap_or_default()).unwrap_or_default(), role) }</span> }
}

#[wasm_bindgen_test]
async fn control_components_when_signed_out() {
    reset().await;
    let (handle, root) = mount(control_components()).await;
    yew::scheduler::flush().await;
    let loading = root.text_content().unwrap_or_default();
    assert_eq!(
        loading, "[auth:loading][org::]",
        "nothing renders while loading"
    );
    let text = wait_text(&root, 10_000, |t| t.contains("[auth:signed-out]")).await;
    for shown in [
        "[loaded]",
        "[signed-out]",
        "[protect:fallback]",
        "[admin:no]",
        "[perm:no]",
        "[cond:no]",
        "[show-out:yes]",
        "[show-admin:no]",
    ] {
        assert!(text.contains(shown), "{shown} missing: {text}");
    }
    for hidden in [
        "[signed-in]",
        "[protect:any]",
        "[admin:yes]",
        "[show-cond:yes]",
    ] {
        assert!(!text.contains(hidden), "{hidden} shown: {text}");
    }
    handle.destroy();
}

#[wasm_bindgen_test]
async fn control_components_with_an_organization_admin() {
    reset().await;
    reset_grabbed();
    let user = create_user("admin@example.com", "admin-password-123", "Ada", "Admin").await;
    let user_id = user["id"].as_str().unwrap().to_string();
    let org = control(
        "POST",
        "organizations",
        Some(json!({"name": "Acme", "slug": "acme", "members": [{"user_id": user_id, "role": "org:admin"}]})),
    )
    .await;
    let org_id = org["id"].as_str().unwrap().to_string();
    sign_in("admin@example.com", "admin-password-123").await;
    let (handle, root) = mount(control_components()).await;
    let text = wait_text(&root, 10_000, |t| t.contains("[auth:signed-in")).await;
    assert!(
        text.contains("[signed-in]")
            && text.contains("[protect:any]")
            && text.contains("[show-out:no]"),
        "{text}"
    );
    grabbed(0)
        .set_active(SetActiveParams {
            session_id: None,
            organization_id: Some(Some(org_id.clone())),
        })
        .await
        .unwrap();
    let text = wait_text(&root, 10_000, |t| t.contains(&format!("org={org_id}"))).await;
    for shown in [
        "[admin:yes]",
        "[perm:yes]",
        "[cond:yes]",
        "[show-admin:yes]",
        "[show-cond:yes]",
        "[org:acme:org:admin]",
    ] {
        assert!(text.contains(shown), "{shown} missing: {text}");
    }
    // Back to the personal account.
    grabbed(0)
        .set_active(SetActiveParams {
            session_id: None,
            organization_id: Some(None),
        })
        .await
        .unwrap();
    let text = wait_text(&root, 10_000, |t| t.contains("[admin:no]")).await;
    assert!(text.contains("[org::]"), "{text}");
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

#[wasm_bindgen_test]
async fn hydrates_the_server_rendered_loading_state() {
    reset().await;
    let (key, proxy) = config().await;
    let props = TestAppProps {
        publishable_key: AttrValue::from(key),
        proxy_url: AttrValue::from(proxy),
        children: views(),
    };
    let html = yew::LocalServerRenderer::<TestApp>::with_props(props.clone())
        .render()
        .await;
    assert!(html.contains("[auth:loading]"), "{html}");
    let root = make_root();
    root.set_inner_html(&html);
    let handle = yew::Renderer::<TestApp>::with_root_and_props(root.clone(), props).hydrate();
    yew::scheduler::flush().await;
    assert!(root
        .text_content()
        .unwrap_or_default()
        .contains("[auth:loading]"));
    wait_text(&root, 10_000, |t| t.contains("[auth:signed-out]")).await;
    handle.destroy();
}
