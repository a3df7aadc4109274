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
use yew_clerk::client::flows::SignInStatus;
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
    clear_requests().await;
    // 20 concurrent calls for the expiring default token: one request.
    let calls: Vec<_> = (0..20)
        .map(|_| clerk.get_token(GetTokenOptions::default()))
        .collect();
    let results = futures::future::join_all(calls).await;
    let shared = results[0].clone().unwrap().unwrap();
    assert!(results
        .iter()
        .all(|r| r.as_ref().ok() == Some(&Some(shared.clone()))));
    assert_eq!(count("POST", is_tokens).await, 1, "20 calls, one /tokens");
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
    assert!(
        before >= 2,
        "UserView rendered loading and signed-in: {before}"
    );
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

/// Shows the current session's status and first task (`use_session`).
#[component]
fn TaskView() -> Html {
    let s = use_session();
    let text = match &s.session {
        None => "[session:none]".to_string(),
        Some(session) => format!(
            "[session:{} task={}]",
            session.status.as_str(),
            session
                .current_task()
                .map(|t| t.key.as_str())
                .unwrap_or("none")
        ),
    };
    html! { <span>{ text }</span> }
}

#[wasm_bindgen_test]
async fn a_pending_session_reads_as_signed_out_until_an_organization_is_chosen() {
    reset().await;
    reset_grabbed();
    // Clerk's "force organization selection": the new session is `pending` with the
    // `choose-organization` task.
    control(
        "POST",
        "settings",
        Some(json!({"force_organization_selection": true})),
    )
    .await;
    let sid = sign_in(EMAIL, PASSWORD).await;
    let users = control("GET", "users", None).await;
    let org_id = users[0]["organization_memberships"][0]["organization"]["id"]
        .as_str()
        .expect("the demo user's organization")
        .to_string();
    let (default_handle, default_root) = mount(html! { <>{ views() }<TaskView /></> }).await;
    let (keeping_handle, keeping_root) = mount_keeping_pending(html! { <AuthView /> }).await;
    // Default: use_auth reads signed out; use_user still has the user and use_session the
    // pending session with its task (as clerk-react).
    let text = wait_text(&default_root, 10_000, |t| t.contains("[auth:signed-out]")).await;
    assert!(text.contains("name=Demo User"), "{text}");
    assert!(
        text.contains("[session:pending task=choose-organization]"),
        "{text}"
    );
    // treat_pending_as_signed_out = false: signed in, no organization yet.
    wait_text(&keeping_root, 10_000, |t| {
        t.contains("[auth:signed-in user=") && t.contains(&format!("session={sid} org=]"))
    })
    .await;
    // The task's page: the hosted sign-in page's `#/tasks/choose-organization` route.
    let tasks_url = grabbed(0).tasks_url(Some("/back")).expect("a tasks URL");
    assert!(
        tasks_url.contains("/sign-in?") && tasks_url.ends_with("#/tasks/choose-organization"),
        "{tasks_url}"
    );
    // Choosing the organization completes the task: the session is active.
    clear_requests().await;
    grabbed(0)
        .set_active(SetActiveParams {
            session_id: None,
            organization: Some(OrganizationSelection::Organization(org_id.clone())),
        })
        .await
        .unwrap();
    let text = wait_text(&default_root, 10_000, |t| t.contains("[auth:signed-in")).await;
    assert!(
        text.contains(&format!("session={sid} org={org_id}]")),
        "{text}"
    );
    assert_eq!(
        count("POST", |p| p.ends_with("/touch")).await,
        1,
        "one touch selected the organization"
    );
    let sessions = control("GET", "sessions", None).await;
    assert_eq!(sessions[0]["status"], "active", "{sessions}");
    let text = wait_text(&default_root, 10_000, |t| t.contains("[session:active")).await;
    assert!(text.contains("[session:active task=none]"), "{text}");
    assert_eq!(grabbed(0).tasks_url(None), None);
    assert!(
        grabbed(0).redirect_to_tasks(None).is_ok(),
        "no task: nothing to do"
    );
    default_handle.destroy();
    keeping_handle.destroy();
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
    wait_text(&root, 10_000, |t| t.contains("[auth:signed-in")).await;
    assert_eq!(count("GET", |p| p == "/v1/client").await, 1, "one engine");
    handle.destroy();
}

#[wasm_bindgen_test]
async fn production_instance_signs_in_with_the_client_cookie_and_no_dev_browser() {
    let live = emulator_live();
    control_at(live, "POST", "reset", None).await;
    clear_browser_state();
    reset_grabbed();
    let config = control_at(live, "GET", "config", None).await;
    let key = config["publishable_key"].as_str().expect("key").to_string();
    assert!(key.starts_with("pk_live_"), "{key}");
    let proxy = config["proxy_url"].as_str().unwrap_or(live).to_string();

    let (first, root) = mount_with_key(&key, &proxy, views());
    wait_text(&root, 10_000, |t| t.contains("[auth:signed-out]")).await;
    let engine = grabbed(0).engine().cloned().expect("a real provider");
    let signed_in = engine.sign_in_with_password(EMAIL, PASSWORD).await.unwrap();
    assert!(signed_in.created_session_id.is_some());
    let text = wait_text(&root, 10_000, |t| t.contains("[user:user_")).await;
    assert!(text.contains("email=demo@example.com"), "{text}");
    let jwt = grabbed(0)
        .get_token(GetTokenOptions::default())
        .await
        .unwrap()
        .expect("a token while signed in");
    assert_eq!(jwt.split('.').count(), 3);
    assert!(cookie("__session").is_some(), "__session written");
    assert!(
        cookie("__client_uat").is_some_and(|v| v != "0"),
        "__client_uat says signed in"
    );
    first.destroy();

    // A new provider (a reload): the browser sends the HttpOnly `__client` cookie, which is
    // the only thing that identifies the client in production.
    let (second, root) = mount_with_key(&key, &proxy, views());
    wait_text(&root, 10_000, |t| t.contains("[auth:signed-in")).await;
    second.destroy();

    let log = control_at(live, "GET", "requests", None).await;
    let log = log.as_array().cloned().unwrap_or_default();
    assert!(!log.is_empty());
    for entry in &log {
        let path = entry["path"].as_str().unwrap_or("");
        let query = entry["query"].as_str().unwrap_or("");
        assert_ne!(path, "/v1/dev_browser", "no dev browser in production");
        assert!(!query.contains("__clerk_db_jwt"), "{path}?{query}");
    }
    control_at(live, "POST", "reset", None).await;
    clear_browser_state();
}

/// Lists the signed-in sessions, each with a switch button (use_session_list), and the
/// current session (use_session).
#[component]
fn SessionsView() -> Html {
    let list = use_session_list();
    let current = use_session();
    let ids: Vec<String> = list.sessions.iter().map(|s| s.id.clone()).collect();
    let buttons = list.sessions.iter().map(|s| {
        let (id, list) = (s.id.clone(), list.clone());
        let onclick = Callback::from(move |_: MouseEvent| {
            let switch = list.set_active(&id);
            yew::platform::spawn_local(async move { switch.await.unwrap() });
        });
        html! { <button class={format!("switch-{}", s.id)} {onclick}></button> }
    });
    html! {
        <span>
            { format!("[sessions:{}]", ids.join(",")) }
            { format!("[current:{}:{:?}]", current.session.map(|s| s.id.clone()).unwrap_or_default(), current.is_signed_in) }
            { for buttons }
        </span>
    }
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
    assert!(
        text.contains(&format!("[current:{current}:Some(true)]")),
        "{text}"
    );
    // Switch to the other session and back (use_session_list().set_active).
    click(&root, &format!("button.switch-{other}"));
    wait_text(&root, 10_000, |t| t.contains(&format!("session={other}"))).await;
    click(&root, &format!("button.switch-{current}"));
    wait_text(&root, 10_000, |t| {
        t.contains(&format!("[current:{current}:Some(true)]"))
    })
    .await;
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
    let (handle, root) = mount(views_with_degraded_and_failed()).await;
    let text = wait_text(&root, 20_000, |t| t.contains("[degraded]")).await;
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

/// [`views`] plus `[degraded]` / `[failed]` markers from `ClerkDegraded` / `ClerkFailed`.
fn views_with_degraded_and_failed() -> Html {
    html! {
        <>
            { views() }
            <ClerkDegraded>{ "[degraded]" }</ClerkDegraded>
            <ClerkFailed>{ "[failed]" }</ClerkFailed>
        </>
    }
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
            <OrgListView />
            <Grab />
        </>
    }
}

/// The user's memberships with switch buttons (use_organization_list).
#[component]
fn OrgListView() -> Html {
    let list = use_organization_list();
    let items = list.memberships.iter().map(|m| {
        let (id, list) = (m.organization.id.clone(), list.clone());
        let onclick = Callback::from(move |_: MouseEvent| {
            let switch = list.set_active(Some(&id));
            yew::platform::spawn_local(async move { switch.await.unwrap() });
        });
        html! { <button class={format!("org-{}", m.organization.slug.clone().unwrap_or_default())} {onclick}>{ format!("[member:{}]", m.organization.slug.clone().unwrap_or_default()) }</button> }
    });
    let personal = {
        let list = list.clone();
        Callback::from(move |_: MouseEvent| {
            let switch = list.set_active(None);
            yew::platform::spawn_local(async move { switch.await.unwrap() });
        })
    };
    html! { <span>{ for items }<button class="personal" onclick={personal}></button></span> }
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
    assert!(text.contains("[member:acme]"), "{text}");
    click(&root, "button.org-acme");
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
    click(&root, "button.personal");
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
        treat_pending_as_signed_out: true,
        after_sign_out_url: None,
        allowed_redirect_origins: Vec::new(),
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
    wait_text(&root, 10_000, |t| t.contains("[auth:signed-in")).await;
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
    wait_text(&root, 10_000, |t| t.contains("[auth:signed-in")).await;
    control("DELETE", "faults", None).await;
    assert_one_load_request_each().await;
    handle.destroy();
}

#[wasm_bindgen_test]
async fn hydration_renders_loading_first_even_with_arrived_responses() {
    reset().await;
    sign_in(EMAIL, PASSWORD).await;
    let (key, proxy) = config().await;
    let props = TestAppProps {
        publishable_key: AttrValue::from(key),
        proxy_url: AttrValue::from(proxy),
        treat_pending_as_signed_out: true,
        after_sign_out_url: None,
        allowed_redirect_origins: Vec::new(),
        children: html! { <><RenderLog /><AuthView /><SignedIn><b>{ "in" }</b></SignedIn></> },
    };
    let html = yew::LocalServerRenderer::<TestApp>::with_props(props.clone())
        .render()
        .await;
    assert!(html.contains("[auth:loading]"), "{html}");
    clear_requests().await;
    run_snippet();
    snippet_settled().await;
    let root = make_root();
    root.set_inner_html(&html);
    RENDERS.with(|r| r.borrow_mut().clear());
    let handle = yew::Renderer::<TestApp>::with_root_and_props(root.clone(), props).hydrate();
    yew::scheduler::flush().await;
    assert_eq!(
        renders().first().map(String::as_str),
        Some("false/None"),
        "hydration starts from the server's loading state"
    );
    wait_text(&root, 10_000, |t| t.contains("[auth:signed-in")).await;
    assert_one_load_request_each().await;
    handle.destroy();
}

thread_local! {
    static SIGN_IN: RefCell<Option<UseSignInHandle>> = const { RefCell::new(None) };
    static SIGN_UP: RefCell<Option<UseSignUpHandle>> = const { RefCell::new(None) };
}

/// Renders the flow hooks' state and keeps their latest handles for the test.
#[component]
fn FlowProbe() -> Html {
    let sign_in = use_sign_in();
    let sign_up = use_sign_up();
    SIGN_IN.with(|s| *s.borrow_mut() = Some(sign_in.clone()));
    SIGN_UP.with(|s| *s.borrow_mut() = Some(sign_up.clone()));
    let code = |e: Option<&ClerkError>| {
        e.and_then(|e| e.code().map(str::to_string))
            .unwrap_or_default()
    };
    html! {
        <span>
            { format!("[sign-in:{:?}:{}:{}]", sign_in.sign_in().map(|s| s.status.clone()), code(sign_in.error()), sign_in.pending()) }
            { format!("[sign-up:{:?}:{}]", sign_up.sign_up().map(|s| s.status.clone()), code(sign_up.error())) }
        </span>
    }
}

fn sign_in_handle() -> UseSignInHandle {
    SIGN_IN
        .with(|s| s.borrow().clone())
        .expect("FlowProbe rendered")
}

fn sign_up_handle() -> UseSignUpHandle {
    SIGN_UP
        .with(|s| s.borrow().clone())
        .expect("FlowProbe rendered")
}

#[wasm_bindgen_test]
async fn use_sign_in_with_password_surfaces_errors_then_signs_in() {
    reset().await;
    let (handle, root) = mount(html! { <><AuthView /><FlowProbe /></> }).await;
    wait_text(&root, 10_000, |t| t.contains("[auth:signed-out]")).await;
    let err = sign_in_handle()
        .with_password(EMAIL, "wrong-password")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("form_password_incorrect"), "{err:?}");
    wait_text(&root, 5_000, |t| {
        t.contains(":form_password_incorrect:false]")
    })
    .await;
    let done = sign_in_handle()
        .with_password(EMAIL, PASSWORD)
        .await
        .unwrap();
    assert!(done.created_session_id.is_some());
    let text = wait_text(&root, 10_000, |t| t.contains("[auth:signed-in")).await;
    assert!(text.contains("[sign-in:Some(Complete)::false]"), "{text}");
    handle.destroy();
}

#[wasm_bindgen_test]
async fn use_sign_in_with_email_code_rejects_unknown_users_then_signs_in() {
    reset().await;
    let (handle, root) = mount(html! { <><AuthView /><FlowProbe /></> }).await;
    wait_text(&root, 10_000, |t| t.contains("[auth:signed-out]")).await;
    let err = sign_in_handle()
        .with_email_code("nobody@example.com")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("form_identifier_not_found"), "{err:?}");
    wait_text(&root, 5_000, |t| {
        t.contains(":form_identifier_not_found:false]")
    })
    .await;
    let started = sign_in_handle().with_email_code(EMAIL).await.unwrap();
    assert_ne!(
        started.status,
        SignInStatus::Complete,
        "a code is still needed"
    );
    yew::scheduler::flush().await;
    let code = control("GET", &format!("verification_codes?email={EMAIL}"), None).await;
    let code = code["code"].as_str().expect("a code was sent").to_string();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    assert!(sign_in_handle().attempt_email_code(wrong).await.is_err());
    yew::scheduler::flush().await;
    let done = sign_in_handle().attempt_email_code(&code).await.unwrap();
    assert!(done.created_session_id.is_some());
    let text = wait_text(&root, 10_000, |t| t.contains("[auth:signed-in")).await;
    assert!(text.contains("[sign-in:Some(Complete)::false]"), "{text}");
    handle.destroy();
}

#[wasm_bindgen_test]
async fn use_sign_up_with_email_code_signs_in_the_new_user() {
    reset().await;
    let (handle, root) = mount(html! { <><AuthView /><UserView /><FlowProbe /></> }).await;
    wait_text(&root, 10_000, |t| t.contains("[auth:signed-out]")).await;
    let email = "new-user@example.com";
    let params = yew_clerk::client::flows::SignUpParams {
        email_address: Some(email.into()),
        password: Some("a-long-new-password-42".into()),
        first_name: Some("New".into()),
        last_name: Some("Person".into()),
        ..Default::default()
    };
    sign_up_handle().create(params).await.unwrap();
    yew::scheduler::flush().await;
    sign_up_handle().prepare_email_code().await.unwrap();
    yew::scheduler::flush().await;
    let code = control("GET", &format!("verification_codes?email={email}"), None).await;
    let code = code["code"].as_str().expect("a code").to_string();
    let wrong = sign_up_handle().attempt_email_code("000000").await;
    if code != "000000" {
        assert!(wrong.is_err(), "a wrong code was accepted");
    }
    yew::scheduler::flush().await;
    sign_up_handle().attempt_email_code(&code).await.unwrap();
    let text = wait_text(&root, 10_000, |t| t.contains("[auth:signed-in")).await;
    assert!(
        text.contains("name=New Person") && text.contains(email),
        "{text}"
    );
    assert!(text.contains("[sign-up:Some(Complete):]"), "{text}");
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
    wait_text(&root, 10_000, |t| t.contains("[auth:signed-in")).await;
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

#[wasm_bindgen_test]
async fn a_fresh_token_reaches_a_second_provider_in_the_same_page() {
    reset().await;
    reset_grabbed();
    sign_in(EMAIL, PASSWORD).await;
    let (a, root_a) = mount(views()).await;
    let (b, root_b) = mount(views()).await;
    wait_text(&root_a, 10_000, |t| t.contains("[auth:signed-in")).await;
    wait_text(&root_b, 10_000, |t| t.contains("[auth:signed-in")).await;
    // A newer `iat` than the tokens both providers got at load.
    sleep(1_100).await;
    clear_requests().await;
    let fresh = grabbed(0)
        .get_token(GetTokenOptions {
            skip_cache: true,
            ..Default::default()
        })
        .await
        .unwrap()
        .unwrap();
    sleep(200).await;
    // B got it on BroadcastChannel("clerk:session_token"): no request of its own.
    let from_b = grabbed(1)
        .get_token(GetTokenOptions::default())
        .await
        .unwrap();
    assert_eq!(from_b.as_deref(), Some(fresh.as_str()));
    assert_eq!(count("POST", is_tokens).await, 1);
    a.destroy();
    b.destroy();
}

// ----------------------------------------------------------------- fault matrix: redirects,
// tampered cookies and storage, sign-out failures. Each `fault_*` test is one row.

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
) -> (yew::AppHandle<TestApp>, web_sys::Element) {
    let (key, proxy) = config().await;
    let redirect_url = redirect_url.map(|r| AttrValue::from(r.to_string()));
    let (handle, root) = mount_props(TestAppProps {
        publishable_key: AttrValue::from(key),
        proxy_url: AttrValue::from(proxy),
        treat_pending_as_signed_out: true,
        after_sign_out_url: after_sign_out_url.map(|u| AttrValue::from(u.to_string())),
        allowed_redirect_origins: allowed_redirect_origins
            .iter()
            .map(|o| AttrValue::from(o.to_string()))
            .collect(),
        children: html! { <SignOutWithError {redirect_url} /> },
    });
    wait_text(&root, 10_000, |t| t.contains("[auth:signed-in")).await;
    (handle, root)
}

/// A landing page on the second emulator (another origin than the app and its FAPI) that
/// answers `204 No Content`, so a navigation there is logged by that emulator but leaves the
/// test page in place.
async fn foreign_landing() -> String {
    control_at(emulator_live(), "POST", "reset", None).await;
    control_at(
        emulator_live(),
        "POST",
        "faults",
        Some(json!({"path": "/v1/landing", "kind": "status", "status": 204})),
    )
    .await;
    format!("{}/v1/landing?from=sign-out", emulator_live())
}

async fn foreign_landing_visits() -> usize {
    control_at(emulator_live(), "GET", "requests", None)
        .await
        .as_array()
        .map_or(0, |r| {
            r.iter()
                .filter(|r| r["path"].as_str() == Some("/v1/landing"))
                .count()
        })
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
    let landing = foreign_landing().await;
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
    let landing = foreign_landing().await;
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

#[wasm_bindgen_test]
async fn fault_tampered_session_cookie_and_storage_at_load() {
    reset().await;
    sign_in(EMAIL, PASSWORD).await;
    // A first load writes both cookie names.
    let (handle, root) = mount(views()).await;
    wait_text(&root, 10_000, |t| t.contains("[auth:signed-in")).await;
    handle.destroy();
    tamper_with_cookies_and_storage();
    let (handle, root) = mount(views_with_degraded_and_failed()).await;
    let text = wait_text(&root, 10_000, |t| t.contains("[auth:signed-in")).await;
    assert!(text.contains("[status:Ready]"), "{text}");
    // The engine replaced the garbage with the session's token.
    let session = cookie("__session").unwrap_or_default();
    assert_eq!(session.split('.').count(), 3, "{session}");
    assert!(session.starts_with("eyJ") && session != "not-a-jwt");
    handle.destroy();
}

#[wasm_bindgen_test]
async fn fault_tampered_session_cookie_while_fapi_is_down_degrades_signed_out() {
    reset().await;
    sign_in(EMAIL, PASSWORD).await;
    let (handle, root) = mount(views()).await;
    wait_text(&root, 10_000, |t| t.contains("[auth:signed-in")).await;
    handle.destroy();
    tamper_with_cookies_and_storage();
    control(
        "POST",
        "faults",
        Some(json!({"path": "/v1/client", "kind": "status", "status": 503})),
    )
    .await;
    let (handle, root) = mount(views_with_degraded_and_failed()).await;
    let text = wait_text(&root, 20_000, |t| t.contains("[degraded]")).await;
    assert!(
        text.contains("[auth:signed-out]") && !text.contains("[failed]"),
        "an unreadable cookie gives no session, and no crash: {text}"
    );
    control("DELETE", "faults", None).await;
    // The real session comes back with FAPI.
    wait_text(&root, 40_000, |t| t.contains("[auth:signed-in")).await;
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
    wait_text(&root, 10_000, |t| t.contains("[auth:signed-in")).await;
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
