//! The control components (`SignedIn`, `Protect`, organization views, …).

use super::*;

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
    let text = wait_signed_in(&root).await;
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
