//! Browser tests of `use_reverification` against the real emulator: an action guarded by a
//! backend (the emulator's `/__emulator/protected` stand-in, which answers Clerk's 403
//! reverification error from the token's `fva`) fails, the hook verifies with a password or
//! a TOTP code (a wrong one first: typed error, retry possible), the session token's `fva`
//! becomes fresh, the action is retried once and succeeds; a cancelled verification ends in
//! `Failed(Cancelled)` without a retry. Tests share the emulator, so each starts with
//! `reset()`.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use common::*;
use serde_json::{json, Value};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use yew::prelude::*;
use yew_clerk::client::flows::{FirstFactorAttempt, SecondFactorStrategy};
use yew_clerk::core::authorization::Reverification;
use yew_clerk::core::reverification::ReverificationHint;
use yew_clerk::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

thread_local! {
    static HANDLES: RefCell<Option<(UseReverificationHandle, UseAuthHandle)>> = const { RefCell::new(None) };
    static CALLS: Cell<u32> = const { Cell::new(0) };
}

/// The guarded action's error: the backend's reverification error, or anything else.
#[derive(Debug, Clone, PartialEq)]
enum CallError {
    Reverify(ReverificationHint),
    Other(String),
}

impl ReverificationHintSource for CallError {
    fn reverification_hint(&self) -> Option<ReverificationHint> {
        match self {
            CallError::Reverify(h) => Some(*h),
            CallError::Other(_) => None,
        }
    }
}

/// `POST /__emulator/protected` with the session token as a Bearer token.
async fn protected_call(jwt: &str, requirement: &str) -> (u16, String) {
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    let h = web_sys::Headers::new().unwrap();
    h.set("content-type", "application/json").unwrap();
    h.set("authorization", &format!("Bearer {jwt}")).unwrap();
    init.set_headers(&h);
    init.set_body(&JsValue::from_str(
        &json!({"reverification": requirement}).to_string(),
    ));
    let url = format!("{}/__emulator/protected", emulator());
    let resp = JsFuture::from(
        web_sys::window()
            .unwrap()
            .fetch_with_str_and_init(&url, &init),
    )
    .await
    .unwrap();
    let resp: web_sys::Response = resp.dyn_into().unwrap();
    let text = JsFuture::from(resp.text().unwrap()).await.unwrap();
    (resp.status(), text.as_string().unwrap_or_default())
}

/// The action: a call that needs `strict` reverification, with the current session token.
fn action(
    auth: UseAuthHandle,
) -> impl Fn() -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<String, CallError>>>> {
    move || {
        let auth = auth.clone();
        Box::pin(async move {
            CALLS.with(|c| c.set(c.get() + 1));
            let jwt = auth
                .get_token(GetTokenOptions::default())
                .await
                .map_err(|e| CallError::Other(e.to_string()))?
                .ok_or_else(|| CallError::Other("signed out".into()))?;
            let (status, body) = protected_call(&jwt, "strict").await;
            match (status, ReverificationHint::from_body(&body)) {
                (403, Some(hint)) => Err(CallError::Reverify(hint)),
                (200, _) => Ok(body),
                _ => Err(CallError::Other(format!("{status} {body}"))),
            }
        })
    }
}

fn tag(state: &ReverificationState) -> String {
    match state {
        ReverificationState::Idle => "idle".into(),
        ReverificationState::Running => "running".into(),
        ReverificationState::NeedsFirstFactor {
            verification,
            error,
        } => format!(
            "first({}):{}",
            verification
                .supported_first_factors
                .iter()
                .map(|f| f.strategy.as_str())
                .collect::<Vec<_>>()
                .join(","),
            error.as_ref().and_then(|e| e.code()).unwrap_or("")
        ),
        ReverificationState::NeedsSecondFactor { error, .. } => format!(
            "second:{}",
            error.as_ref().and_then(|e| e.code()).unwrap_or("")
        ),
        ReverificationState::Verifying(_) => "verifying".into(),
        ReverificationState::Done => "done".into(),
        ReverificationState::Failed(f) => format!("failed:{f:?}"),
    }
}

/// Renders the hook's state and `has(strict)`, and keeps the latest handles for the test.
#[component]
fn Probe() -> Html {
    let reverify = use_reverification();
    let auth = use_auth();
    HANDLES.with(|h| *h.borrow_mut() = Some((reverify.clone(), auth.clone())));
    let strict = auth.has(&Check::Reverification(Reverification::Strict));
    html! { <span>{ format!("[rv:{}] [strict:{strict}]", tag(reverify.state())) }</span> }
}

fn handles() -> (UseReverificationHandle, UseAuthHandle) {
    HANDLES
        .with(|h| h.borrow().clone())
        .expect("Probe rendered")
}

/// Runs the guarded action in the background; its result lands in the returned cell.
/// Where a spawned run leaves its result.
type RunOut = Rc<RefCell<Option<Result<String, ReverificationError<CallError>>>>>;

fn spawn_run() -> RunOut {
    let (reverify, auth) = handles();
    let out = Rc::new(RefCell::new(None));
    let slot = out.clone();
    let run = reverify.run(action(auth));
    wasm_bindgen_futures::spawn_local(async move {
        *slot.borrow_mut() = Some(run.await);
    });
    out
}

async fn session_id() -> String {
    let sessions = control("GET", "sessions", None).await;
    sessions.as_array().unwrap()[0]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Resets the emulator and the browser (see `reset`) and the action's call count.
async fn reset_all() {
    reset().await;
    CALLS.with(|c| c.set(0));
}

/// Ages the current session's factor verification (the control API's `factor_age` body);
/// returns its answer (the new `fva`).
async fn age_factors(body: Value) -> Value {
    let sid = session_id().await;
    control("POST", &format!("sessions/{sid}/factor_age"), Some(body)).await
}

/// Mounts the auth view and the [`Probe`].
async fn mount_probe() -> (Mounted, web_sys::Element) {
    mount(html! { <><AuthView /><Probe /></> }).await
}

/// [`mount_probe`], then waits until signed in with a token that is not `strict`.
async fn mount_stale_probe() -> (Mounted, web_sys::Element) {
    let (app, root) = mount_probe().await;
    wait_text(&root, 10_000, |t| {
        t.contains("[auth:signed-in") && t.contains("[strict:false]")
    })
    .await;
    (app, root)
}

async fn wait_result(out: &RunOut) -> Result<String, ReverificationError<CallError>> {
    for _ in 0..200 {
        if let Some(r) = out.borrow_mut().take() {
            return r;
        }
        sleep(50).await;
    }
    panic!("the guarded action did not finish");
}

#[wasm_bindgen_test]
async fn password_reverification_retries_the_action_with_a_fresh_token() {
    reset_all().await;
    sign_in(EMAIL, PASSWORD).await;
    // The first factor is 20 minutes old before the app loads: the token it loads is stale.
    let aged = age_factors(json!({"first_factor_minutes": 20})).await;
    assert_eq!(aged["fva"], json!([20, -1]));
    let (_app, root) = mount_stale_probe().await;

    let out = spawn_run();
    // The backend's 403 started a verification: no second factor, so the first factor.
    let text = wait_text(&root, 5_000, |t| t.contains("[rv:first(")).await;
    assert!(text.contains("[rv:first(password,email_code):]"), "{text}");
    assert_eq!(CALLS.with(Cell::get), 1);

    // A wrong password: typed error, same step, nothing retried.
    let (reverify, _) = handles();
    let e = reverify
        .attempt_first_factor(FirstFactorAttempt::Password("not-the-password"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("form_password_incorrect"));
    wait_text(&root, 5_000, |t| {
        t.contains("[rv:first(password,email_code):form_password_incorrect]")
    })
    .await;
    assert_eq!(CALLS.with(Cell::get), 1);

    // The right one: token refreshed (fva fresh), action retried once and passes.
    let (reverify, _) = handles();
    reverify
        .attempt_first_factor(FirstFactorAttempt::Password(PASSWORD))
        .await
        .unwrap();
    let result = wait_result(&out).await.unwrap();
    assert!(result.contains("\"ok\":true"), "{result}");
    assert!(result.contains("\"fva\":[0,-1]"), "{result}");
    assert_eq!(CALLS.with(Cell::get), 2);
    wait_text(&root, 5_000, |t| {
        t.contains("[rv:done]") && t.contains("[strict:true]")
    })
    .await;
}

async fn sign_in_through_totp() {
    let users = control("GET", "users", None).await;
    let uid = users.as_array().unwrap()[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    control(
        "POST",
        &format!("users/{uid}/mfa"),
        Some(json!({"totp_secret": SECRET})),
    )
    .await;
    let si = fapi(
        "POST",
        "/client/sign_ins",
        Some(format!(
            "identifier={EMAIL}&password={PASSWORD}&strategy=password"
        )),
    )
    .await;
    let id = si["response"]["id"].as_str().unwrap();
    let code = totp(&uid).await;
    fapi(
        "POST",
        &format!("/client/sign_ins/{id}/attempt_second_factor"),
        Some(format!("strategy=totp&code={code}")),
    )
    .await;
}

async fn totp(uid: &str) -> String {
    let v = control("GET", &format!("totp?user_id={uid}"), None).await;
    v["code"].as_str().unwrap().to_string()
}

#[wasm_bindgen_test]
async fn totp_reverification_after_a_wrong_code() {
    reset_all().await;
    sign_in_through_totp().await;
    age_factors(json!({"first_factor_minutes": 30, "second_factor_minutes": 30})).await;
    let (_app, root) = mount_stale_probe().await;
    let out = spawn_run();
    wait_text(&root, 5_000, |t| t.contains("[rv:second:]")).await;
    let uid = handles().1.user_id.clone().unwrap();
    let code = totp(&uid).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (reverify, _) = handles();
    let e = reverify
        .attempt_second_factor(SecondFactorStrategy::Totp, wrong)
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("form_code_incorrect"));
    wait_text(&root, 5_000, |t| {
        t.contains("[rv:second:form_code_incorrect]")
    })
    .await;
    let (reverify, _) = handles();
    reverify
        .attempt_second_factor(SecondFactorStrategy::Totp, &totp(&uid).await)
        .await
        .unwrap();
    let result = wait_result(&out).await.unwrap();
    // Only the second factor was verified again.
    assert!(result.contains("\"fva\":[30,0]"), "{result}");
    assert_eq!(CALLS.with(Cell::get), 2);
    wait_text(&root, 5_000, |t| t.contains("[rv:done] [strict:true]")).await;
}

#[wasm_bindgen_test]
async fn cancelled_verification_fails_without_a_retry() {
    reset_all().await;
    sign_in(EMAIL, PASSWORD).await;
    age_factors(json!({"first_factor_minutes": 20})).await;
    let (_app, root) = mount_probe().await;
    wait_signed_in(&root).await;
    let out = spawn_run();
    wait_text(&root, 5_000, |t| t.contains("[rv:first(")).await;
    handles().0.cancel();
    let e = wait_result(&out).await.unwrap_err();
    assert_eq!(
        e,
        ReverificationError::Verification(ReverificationFailure::Cancelled)
    );
    wait_text(&root, 5_000, |t| t.contains("[rv:failed:Cancelled]")).await;
    assert_eq!(CALLS.with(Cell::get), 1, "no retry after a cancel");
    // A new run starts over.
    let out = spawn_run();
    wait_text(&root, 5_000, |t| t.contains("[rv:first(")).await;
    handles()
        .0
        .attempt_first_factor(FirstFactorAttempt::Password(PASSWORD))
        .await
        .unwrap();
    assert!(wait_result(&out).await.is_ok());
}

#[wasm_bindgen_test]
async fn a_retry_that_still_needs_reverification_fails_without_a_loop() {
    reset_all().await;
    sign_in(EMAIL, PASSWORD).await;
    let (_app, root) = mount_probe().await;
    wait_signed_in(&root).await;
    // A backend that never accepts: it answers the reverification error every time.
    let (reverify, _) = handles();
    let run = reverify.run(|| async {
        CALLS.with(|c| c.set(c.get() + 1));
        Err::<(), _>(ReverificationHint::new(Reverification::Strict))
    });
    let out = Rc::new(RefCell::new(None));
    let slot = out.clone();
    wasm_bindgen_futures::spawn_local(async move {
        *slot.borrow_mut() = Some(run.await);
    });
    wait_text(&root, 5_000, |t| t.contains("[rv:first(")).await;
    handles()
        .0
        .attempt_first_factor(FirstFactorAttempt::Password(PASSWORD))
        .await
        .unwrap();
    for _ in 0..100 {
        if out.borrow().is_some() {
            break;
        }
        sleep(50).await;
    }
    let result = out.borrow_mut().take().expect("the run finished");
    assert_eq!(
        result,
        Err(ReverificationError::Verification(
            ReverificationFailure::StillRequired(ReverificationHint::new(Reverification::Strict))
        ))
    );
    assert_eq!(CALLS.with(Cell::get), 2, "retried exactly once");
    wait_text(&root, 5_000, |t| t.contains("[rv:failed:StillRequired")).await;
}

#[wasm_bindgen_test]
async fn run_requiring_verifies_before_the_action_when_has_says_too_old() {
    reset_all().await;
    sign_in(EMAIL, PASSWORD).await;
    age_factors(json!({"first_factor_minutes": 20})).await;
    let (_app, root) = mount_stale_probe().await;
    let (reverify, auth) = handles();
    let run = reverify.run_requiring(Reverification::Strict, action(auth));
    let out: RunOut = Rc::new(RefCell::new(None));
    let slot = out.clone();
    wasm_bindgen_futures::spawn_local(async move {
        *slot.borrow_mut() = Some(run.await);
    });
    wait_text(&root, 5_000, |t| t.contains("[rv:first(")).await;
    assert_eq!(
        CALLS.with(Cell::get),
        0,
        "the action waits for the verification"
    );
    handles()
        .0
        .attempt_first_factor(FirstFactorAttempt::Password(PASSWORD))
        .await
        .unwrap();
    let result = wait_result(&out).await.unwrap();
    assert!(result.contains("\"ok\":true"), "{result}");
    assert_eq!(CALLS.with(Cell::get), 1, "one call, already fresh");
}
