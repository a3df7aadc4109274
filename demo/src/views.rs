//! The demo's views. Element ids are used by the end-to-end tests (`tools/e2e/`).

use yew::prelude::*;
use yew_clerk::prelude::*;

use crate::api::{call_protected, ApiAnswer};

/// Runs an engine action and reports its error into `error`.
fn run<F>(error: UseStateHandle<Option<String>>, action: F)
where
    F: std::future::Future<Output = Result<(), ClerkError>> + 'static,
{
    yew::platform::spawn_local(async move {
        match action.await {
            Ok(()) => error.set(None),
            Err(e) => error.set(Some(e.to_string())),
        }
    });
}

/// Everything under the provider: loading, failed, signed out, signed in.
#[component]
pub fn Shell() -> Html {
    let failed = Callback::from(|error: ClerkError| {
        html! {
            <div class="card error" id="clerk-failed">
                <h2>{ "Clerk failed to load" }</h2>
                <p>{ error.to_string() }</p>
            </div>
        }
    });
    html! {
        <>
            <ClerkLoading>
                <div class="card" id="clerk-loading"><span class="spinner"></span>{ " Loading Clerk…" }</div>
            </ClerkLoading>
            <ClerkFailed render={failed} />
            <ClerkLoaded>
                if is_sso_callback() {
                    <SsoCallback />
                } else {
                    <SignedOut><SignedOutView /></SignedOut>
                    <SignedIn><SignedInView /></SignedIn>
                }
            </ClerkLoaded>
        </>
    }
}

#[component]
fn SignedOutView() -> Html {
    html! {
        <div class="grid" id="signed-out">
            <PendingTask />
            <section class="card">
                <h2>{ "You are signed out" }<small>{ " <SignInButton>" }</small></h2>
                <p>{ "Sign in on the hosted sign-in page; you come back here afterwards." }</p>
                <SignInButton class="primary" redirect_url={current_url()}>{ "Sign in" }</SignInButton>
            </section>
            <HeadlessSignIn />
        </div>
    }
}

/// A session with a task left (e.g. choosing an organization, when the instance requires
/// one) is `pending` and reads as signed out; `redirect_to_tasks` sends it to the task page.
#[component]
fn PendingTask() -> Html {
    let session = use_session().session;
    let instance = use_clerk().clerk();
    let error = use_state(|| None::<String>);
    let Some(task) = session
        .as_ref()
        .and_then(|s| s.current_task())
        .map(|t| t.key.clone())
    else {
        return Html::default();
    };
    let onclick = {
        let error = error.clone();
        Callback::from(move |_| {
            let back = current_url();
            if let Err(e) = instance.redirect_to_tasks(back.as_deref()) {
                error.set(Some(e.to_string()));
            }
        })
    };
    html! {
        <section class="card" id="pending-task">
            <h2>{ "One more step" }<small>{ " redirect_to_tasks()" }</small></h2>
            <p>{ format!("You signed in, but the session is pending until its task is done: {task}.") }</p>
            <button class="primary" id="finish-task" {onclick}>{ "Continue" }</button>
            if let Some(e) = &*error {
                <p class="error">{ e.clone() }</p>
            }
        </section>
    }
}

/// The value of an `<input>`.
pub(crate) fn input_value(r: &NodeRef) -> String {
    r.cast::<web_sys::HtmlInputElement>()
        .map(|i| i.value())
        .unwrap_or_default()
}

/// Runs a flow step; the hook's state shows the outcome.
fn step<T: 'static>(f: impl std::future::Future<Output = Result<T, ClerkError>> + 'static) {
    yew::platform::spawn_local(async move {
        let _ = f.await;
    });
}

/// Your own form: the headless `use_sign_in()` flow (email + password), with "Forgot
/// password?" and the second-factor step of users with MFA.
#[component]
fn HeadlessSignIn() -> Html {
    let sign_in = use_sign_in();
    let email = use_node_ref();
    let password = use_node_ref();
    let onsubmit = {
        let sign_in = sign_in.clone();
        let (email, password) = (email.clone(), password.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            step(sign_in.with_password(&input_value(&email), &input_value(&password)));
        })
    };
    let forgot = {
        let (sign_in, email) = (sign_in.clone(), email.clone());
        Callback::from(move |_| step(sign_in.forgot_password(&input_value(&email))))
    };
    // OAuth by redirect: the provider comes back to this page with `?sso-callback=1`.
    let google = {
        let sign_in = sign_in.clone();
        Callback::from(move |_| {
            step(sign_in.authenticate_with_redirect("oauth_google", "/?sso-callback=1", "/"))
        })
    };
    html! {
        <section class="card">
            <h2>{ "Or use your own form" }<small>{ " use_sign_in()" }</small></h2>
            <form class="sign-in" id="headless-sign-in" {onsubmit}>
                <input ref={email} id="headless-email" type="email" placeholder="Email" autocomplete="username" required=true />
                <input ref={password} id="headless-password" type="password" placeholder="Password" autocomplete="current-password" required=true />
                <button class="primary" id="headless-submit" disabled={sign_in.pending()}>{ "Sign in" }</button>
                <button type="button" id="headless-forgot" onclick={forgot}>{ "Forgot password?" }</button>
                <button type="button" id="oauth-google" onclick={google}>{ "Continue with Google (emulated)" }</button>
                if let Some(e) = sign_in.error() {
                    <p class="error" id="headless-error">{ e.to_string() }</p>
                }
            </form>
            <HeadlessNextStep sign_in={sign_in.clone()} />
        </section>
    }
}

/// The step after the first form, by the sign-in's status: a reset code, a new password, or
/// the authenticator-app code of a user with MFA.
#[derive(Properties, PartialEq)]
struct NextStepProps {
    sign_in: UseSignInHandle,
}

#[component]
fn HeadlessNextStep(props: &NextStepProps) -> Html {
    use yew_clerk::client::flows::{SecondFactorStrategy, SignInStatus};
    let sign_in = &props.sign_in;
    let code = use_node_ref();
    let Some(status) = sign_in.sign_in().map(|s| s.status.clone()) else {
        return Html::default();
    };
    let on = |f: fn(&UseSignInHandle, &str)| {
        let (sign_in, code) = (sign_in.clone(), code.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            f(&sign_in, &input_value(&code));
        })
    };
    let (label, onsubmit) = match status {
        SignInStatus::NeedsFirstFactor => (
            "Code from the reset email",
            on(|s, c| step(s.attempt_reset_password_code(c))),
        ),
        SignInStatus::NeedsNewPassword => {
            ("New password", on(|s, c| step(s.reset_password(c, true))))
        }
        SignInStatus::NeedsSecondFactor => (
            "Code from your authenticator app",
            on(|s, c| step(s.attempt_second_factor(SecondFactorStrategy::Totp, c))),
        ),
        _ => return Html::default(),
    };
    html! {
        // Keyed by the step so each step starts with an empty field.
        <form key={label} class="sign-in" id="headless-next" {onsubmit}>
            <input ref={code} id="headless-code" placeholder={label} required=true />
            <button class="primary" id="headless-next-submit" disabled={sign_in.pending()}>{ "Continue" }</button>
        </form>
    }
}

#[component]
fn SignedInView() -> Html {
    html! {
        <div id="signed-in" class="grid">
            <Profile />
            <AuthPanel />
            <ApiPanel path="/api/me" id="api" title="Protected API" button="Call the API"
                note="Sends the session token as a Bearer header; the demo API verifies it against the JWKS (auth())." />
            <ApiPanel path="/api/user" id="server-user" title="Server: currentUser()" button="Read the user on the server"
                note="The demo API verifies the token, then reads the user from the Backend API (name, email)." />
            <crate::sensitive::SensitivePanel />
            <SessionsPanel />
            <OrganizationsPanel />
            <SignOutPanel />
        </div>
    }
}

#[component]
fn Profile() -> Html {
    let UseUserHandle { user, .. } = use_user();
    let image_failed = use_state(|| false);
    let Some(user) = user else { return html! {} };
    let initials: String = [user.first_name.as_deref(), user.last_name.as_deref()]
        .iter()
        .flatten()
        .filter_map(|n| n.chars().next())
        .collect();
    let onerror = {
        let image_failed = image_failed.clone();
        Callback::from(move |_: Event| image_failed.set(true))
    };
    let email = user
        .primary_email_address()
        .map(|e| e.email_address.clone())
        .unwrap_or_default();
    // The `serde` feature reads metadata into any type (here serde_json's own value).
    let metadata = user
        .public_metadata_as::<serde_json::Value>()
        .and_then(|v| serde_json::to_string_pretty(&v))
        .unwrap_or_default();
    html! {
        <section class="card" id="profile">
            <h2>{ "Profile" }<small>{ " use_user()" }</small></h2>
            <div class="profile">
                if let (Some(src), false) = (user.image_url.clone(), *image_failed) {
                    <img class="avatar" src={src} alt="avatar" {onerror} />
                } else {
                    <div class="avatar initials">{ initials }</div>
                }
                <div>
                    <div class="name" id="user-name">{ user.full_name().unwrap_or_else(|| "(no name)".into()) }</div>
                    <div class="muted" id="user-email">{ email }</div>
                    if let Some(username) = user.username.clone() {
                        <div class="muted">{ format!("@{username}") }</div>
                    }
                </div>
            </div>
            <h3>{ "Public metadata" }</h3>
            <pre id="user-metadata">{ metadata }</pre>
        </section>
    }
}

#[component]
fn AuthPanel() -> Html {
    let auth = use_auth();
    let row = |label: &str, id: &str, value: Option<String>| {
        html! {
            <tr><th>{ label.to_string() }</th><td id={id.to_string()}><code>{ value.unwrap_or_else(|| "—".into()) }</code></td></tr>
        }
    };
    // The enum view: signed in, the ids are plain Strings (no unwrapping of Options).
    let (user_id, session_id, org) = match auth.state() {
        AuthState::SignedIn(SignedInAuth {
            user_id,
            session_id,
            organization,
            ..
        }) => (Some(user_id), Some(session_id), organization),
        AuthState::Loading | AuthState::Failed(_) | AuthState::SignedOut => (None, None, None),
    };
    let (org_id, org_role, org_slug) = match org {
        Some(ActiveOrganization { id, role, slug, .. }) => {
            (Some(id), Some(role).filter(|r| !r.is_empty()), slug)
        }
        None => (None, None, None),
    };
    html! {
        <section class="card" id="auth">
            <h2>{ "Auth" }<small>{ " use_auth()" }</small></h2>
            // <tbody> written out: the HTML parser inserts it into server-rendered tables, and
            // hydration (demo-ssr) must find the same elements.
            <table><tbody>
                { row("user_id", "auth-user-id", user_id) }
                { row("session_id", "auth-session-id", session_id) }
                { row("session status", "auth-session-status", auth.session_status.as_ref().map(|s| s.as_str().to_string())) }
                { row("org_id", "auth-org-id", org_id) }
                { row("org_role", "auth-org-role", org_role) }
                { row("org_slug", "auth-org-slug", org_slug) }
            </tbody></table>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ApiPanelProps {
    /// The demo API endpoint.
    path: AttrValue,
    /// Element id prefix: the section, `call-<id>`, `<id>-answer`, `<id>-body`, `<id>-error`.
    id: AttrValue,
    title: AttrValue,
    button: AttrValue,
    note: AttrValue,
}

/// Calls a protected endpoint of the demo API with the session token and shows the answer.
#[component]
fn ApiPanel(props: &ApiPanelProps) -> Html {
    let auth = use_auth();
    let answer = use_state(|| None::<Result<ApiAnswer, String>>);
    let busy = use_state(|| false);
    let onclick = {
        let clerk = auth.clerk();
        let answer = answer.clone();
        let busy = busy.clone();
        let path = props.path.clone();
        Callback::from(move |_: MouseEvent| {
            let token = clerk.get_token(GetTokenOptions::default());
            let answer = answer.clone();
            let busy = busy.clone();
            let path = path.clone();
            busy.set(true);
            yew::platform::spawn_local(async move {
                let result = match token.await {
                    Ok(token) => call_protected(&path, token).await,
                    Err(e) => Err(format!("get_token failed: {e}")),
                };
                answer.set(Some(result));
                busy.set(false);
            });
        })
    };
    let id = &props.id;
    html! {
        <section class="card" id={id.clone()}>
            <h2>{ props.title.clone() }<small>{ format!(" get_token() → GET {}", props.path) }</small></h2>
            <p class="muted">{ props.note.clone() }</p>
            <button class="primary" id={format!("call-{id}")} {onclick} disabled={*busy}>{ props.button.clone() }</button>
            {
                match &*answer {
                    None => html! {},
                    Some(Ok(a)) => html! {
                        <div id={format!("{id}-answer")} data-status={a.status.to_string()}>
                            <div class={classes!("status", (a.status == 200).then_some("ok"))}>{ format!("HTTP {}", a.status) }</div>
                            <pre id={format!("{id}-body")}>{ a.body.clone() }</pre>
                        </div>
                    },
                    Some(Err(e)) => html! { <p class="error" id={format!("{id}-error")}>{ e.clone() }</p> },
                }
            }
        </section>
    }
}

#[component]
fn SessionsPanel() -> Html {
    let list = use_session_list();
    let current = use_auth().session_id.clone();
    let error = use_state(|| None::<String>);
    let items = list.sessions.iter().map(|s| {
        let is_current = current.as_deref() == Some(s.id.as_str());
        let who = s
            .public_user_data
            .as_ref()
            .and_then(|p| p.identifier.clone())
            .or_else(|| s.user.as_ref().and_then(|u| u.primary_email_address().map(|e| e.email_address.clone())))
            .unwrap_or_else(|| s.id.clone());
        let onclick = {
            let clerk = list.clerk();
            let session_id = s.id.clone();
            let error = error.clone();
            Callback::from(move |_: MouseEvent| {
                let action = clerk.set_active(SetActiveParams {
                    session_id: Some(session_id.clone()),
                    organization: None,
                });
                run(error.clone(), action);
            })
        };
        html! {
            <li key={s.id.clone()} class={classes!(is_current.then_some("current"))} data-session-id={s.id.clone()} title={s.id.clone()}>
                <span class="who">{ who }</span>
                if is_current {
                    <span class="badge">{ "current" }</span>
                } else {
                    <button class="switch-session" {onclick}>{ "Switch" }</button>
                }
            </li>
        }
    });
    html! {
        <section class="card" id="sessions">
            <h2>{ "Sessions" }<small>{ " use_session_list()" }</small></h2>
            <ul class="list">{ for items }</ul>
            if let Some(e) = &*error { <p class="error">{ e.clone() }</p> }
            <SignInButton class="secondary" redirect_url={current_url()}>{ "Add another account" }</SignInButton>
        </section>
    }
}

#[component]
fn OrganizationsPanel() -> Html {
    let orgs = use_organization_list();
    let active = use_auth().org_id.clone();
    let error = use_state(|| None::<String>);
    let switch = |org_id: Option<String>| {
        let clerk = orgs.clerk();
        let error = error.clone();
        Callback::from(move |_: MouseEvent| {
            let action = clerk.set_active(SetActiveParams {
                session_id: None,
                organization: Some(org_id.as_deref().into()),
            });
            run(error.clone(), action);
        })
    };
    let personal_active = active.is_none();
    html! {
        <section class="card" id="organizations">
            <h2>{ "Organizations" }<small>{ " use_organization_list()" }</small></h2>
            <ul class="list">
                <li class={classes!(personal_active.then_some("current"))}>
                    <span class="who">{ "Personal account" }</span>
                    if personal_active {
                        <span class="badge">{ "active" }</span>
                    } else {
                        <button id="org-personal" onclick={switch(None)}>{ "Switch" }</button>
                    }
                </li>
                { for orgs.memberships.iter().map(|m| {
                    let id = m.organization.id.clone();
                    let is_active = active.as_deref() == Some(id.as_str());
                    html! {
                        <li key={id.clone()} class={classes!(is_active.then_some("current"))} data-org-id={id.clone()}>
                            <span class="who">{ m.organization.name.clone() }</span>
                            <code class="muted">{ m.role.clone() }</code>
                            if is_active {
                                <span class="badge">{ "active" }</span>
                            } else {
                                <button class="switch-org" onclick={switch(Some(id.clone()))}>{ "Switch" }</button>
                            }
                        </li>
                    }
                }) }
            </ul>
            if let Some(e) = &*error { <p class="error">{ e.clone() }</p> }
        </section>
    }
}

#[component]
fn SignOutPanel() -> Html {
    let session_id = use_auth().session_id.clone();
    html! {
        <section class="card" id="sign-out">
            <h2>{ "Sign out" }</h2>
            <div class="row">
                <SignOutButton class="secondary" session_id={session_id.map(AttrValue::from)}>
                    { "Sign out of this session" }
                </SignOutButton>
                <SignOutButton class="danger">{ "Sign out of all sessions" }</SignOutButton>
            </div>
        </section>
    }
}

/// The page's URL (where the hosted sign-in page sends the user back).
fn current_url() -> Option<AttrValue> {
    // Rendered on the server (demo-ssr) there is no window, and web-sys calls panic off wasm.
    if !cfg!(target_arch = "wasm32") {
        return None;
    }
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .map(AttrValue::from)
}

/// Whether this is the OAuth callback page (`?sso-callback=1`, the demo's `redirect_url`).
fn is_sso_callback() -> bool {
    cfg!(target_arch = "wasm32")
        && web_sys::window()
            .and_then(|w| w.location().search().ok())
            .is_some_and(|q| q.contains("sso-callback=1"))
}

/// The OAuth callback page: `<AuthenticateWithRedirectCallback>` finishes the sign-in (or the
/// transfer to a sign-up) and goes home; a denial or failure is shown with a way back.
#[component]
fn SsoCallback() -> Html {
    let error = use_state(|| None::<String>);
    let on_error = {
        let error = error.clone();
        Callback::from(move |e: ClerkError| error.set(Some(e.to_string())))
    };
    html! {
        <section class="card" id="sso-callback">
            <AuthenticateWithRedirectCallback after_sign_in_url="/" after_sign_up_url="/" {on_error}>
                if let Some(e) = &*error {
                    <p class="error" id="sso-error">{ e.clone() }</p>
                    <a href="/">{ "Back" }</a>
                } else {
                    <p><span class="spinner"></span>{ " Finishing the sign-in…" }</p>
                }
            </AuthenticateWithRedirectCallback>
        </section>
    }
}
