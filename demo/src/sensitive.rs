//! A reverification-protected action: `POST /api/sensitive` needs a factor verified in the
//! last 10 minutes (`strict`). The button runs it through `use_reverification`: on Clerk's
//! 403 reverification error the hook starts a session verification and this small form asks
//! for the password (or the TOTP code of a user with a second factor); once verified, the
//! hook refreshes the token and retries the call. Element ids are used by `tools/e2e/`.

use gloo_net::http::Request;
use yew::prelude::*;
use yew_clerk::client::flows::{FirstFactorAttempt, SecondFactorStrategy};
use yew_clerk::core::reverification::ReverificationHint;
use yew_clerk::prelude::*;

use crate::api::ApiAnswer;

/// The action's error: the reverification error, or anything else as text.
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

async fn call_sensitive(clerk: ClerkInstance) -> Result<ApiAnswer, CallError> {
    let token = clerk
        .get_token(GetTokenOptions::default())
        .await
        .map_err(|e| CallError::Other(e.to_string()))?;
    let mut req = Request::post("/api/sensitive");
    if let Some(token) = token {
        req = req.header("Authorization", &format!("Bearer {token}"));
    }
    let res = req
        .send()
        .await
        .map_err(|e| CallError::Other(e.to_string()))?;
    let status = res.status();
    let body = res
        .text()
        .await
        .map_err(|e| CallError::Other(e.to_string()))?;
    match ReverificationHint::from_body(&body) {
        Some(hint) if status == 403 => Err(CallError::Reverify(hint)),
        _ => Ok(ApiAnswer { status, body }),
    }
}

#[component]
pub fn SensitivePanel() -> Html {
    let auth = use_auth();
    let reverify = use_reverification();
    let answer = use_state(|| None::<Result<ApiAnswer, String>>);
    let input = use_node_ref();
    let onclick = {
        let (reverify, answer, clerk) = (reverify.clone(), answer.clone(), auth.clerk());
        Callback::from(move |_: MouseEvent| {
            let clerk = clerk.clone();
            let run = reverify.run(move || call_sensitive(clerk.clone()));
            let answer = answer.clone();
            yew::platform::spawn_local(async move {
                answer.set(Some(run.await.map_err(|e| match e {
                    ReverificationError::Action(CallError::Other(m)) => m,
                    other => format!("{other:?}"),
                })));
            });
        })
    };
    let onsubmit = {
        let (reverify, input) = (reverify.clone(), input.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let value = crate::views::input_value(&input);
            let step = match reverify.state() {
                ReverificationState::NeedsSecondFactor { .. } => {
                    Box::pin(reverify.attempt_second_factor(SecondFactorStrategy::Totp, &value))
                        as std::pin::Pin<
                            Box<dyn std::future::Future<Output = Result<(), ClerkError>>>,
                        >
                }
                _ => Box::pin(reverify.attempt_first_factor(FirstFactorAttempt::Password(&value))),
            };
            // The hook's state shows the error (and keeps the step) on a wrong value.
            yew::platform::spawn_local(async move {
                let _ = step.await;
            });
        })
    };
    let cancel = {
        let reverify = reverify.clone();
        Callback::from(move |_: MouseEvent| reverify.cancel())
    };
    let form = |label: &str, kind: &str, error: &Option<ClerkError>| {
        html! {
            <form id="reverify-form" onsubmit={onsubmit.clone()}>
                <label>{ label.to_string() }<input id="reverify-input" type={kind.to_string()} ref={input.clone()} /></label>
                <button class="primary" id="reverify-submit">{ "Verify" }</button>
                <button type="button" id="reverify-cancel" onclick={cancel.clone()}>{ "Cancel" }</button>
                if let Some(e) = error {
                    <p class="error" id="reverify-error" data-code={e.code().unwrap_or_default().to_string()}>{ e.to_string() }</p>
                }
            </form>
        }
    };
    html! {
        <section class="card" id="sensitive">
            <h2>{ "Sensitive action" }<small>{ " use_reverification → POST /api/sensitive" }</small></h2>
            <p class="muted">{ "Needs a factor verified in the last 10 minutes (strict); otherwise you verify again and the call is retried." }</p>
            <button class="primary" id="call-sensitive" {onclick}>{ "Run the sensitive action" }</button>
            {
                match reverify.state() {
                    ReverificationState::NeedsFirstFactor { error, .. } => form("Password", "password", error),
                    ReverificationState::NeedsSecondFactor { error, .. } => form("Authenticator code", "text", error),
                    ReverificationState::Verifying(_) => html! { <p id="reverify-verifying">{ "Verifying…" }</p> },
                    _ => html! {},
                }
            }
            {
                match &*answer {
                    Some(Ok(a)) => html! {
                        <div id="sensitive-answer" data-status={a.status.to_string()}>
                            <div class={classes!("status", (a.status == 200).then_some("ok"))}>{ format!("HTTP {}", a.status) }</div>
                            <pre>{ a.body.clone() }</pre>
                        </div>
                    },
                    Some(Err(e)) => html! { <p class="error" id="sensitive-error">{ e.clone() }</p> },
                    None => html! {},
                }
            }
        </section>
    }
}
