//! The custom flow hooks: `use_sign_in`, `use_sign_up`.

use super::*;

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
    let text = wait_signed_in(&root).await;
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
    let text = wait_signed_in(&root).await;
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
    let text = wait_signed_in(&root).await;
    assert!(
        text.contains("name=New Person") && text.contains(email),
        "{text}"
    );
    assert!(text.contains("[sign-up:Some(Complete):]"), "{text}");
    handle.destroy();
}
