//! Sessions: pending tasks, sign-out (button, one of several sessions, across providers),
//! production instances.

use super::*;

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
    wait_signed_in(&root).await;
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
    wait_signed_in(&root).await;
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
    let text = wait_signed_in(&root).await;
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
    let ((a, root_a), (b, root_b)) = two_signed_in_providers().await;
    let first = grabbed(0);
    first.sign_out(SignOutOptions::default()).await.unwrap();
    wait_text(&root_a, 10_000, |t| t.contains("[auth:signed-out]")).await;
    // B heard `{type: "signout"}` on BroadcastChannel("clerk") and re-read its client.
    wait_text(&root_b, 10_000, |t| t.contains("[auth:signed-out]")).await;
    a.destroy();
    b.destroy();
}
