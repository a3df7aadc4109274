//! MockClerkProvider driving the real hooks and control components, as a user's own
//! component tests would (feature `testing`).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use yew::prelude::*;
use yew_clerk::prelude::*;
use yew_clerk::testing::{MockClerkProvider, MockClerkProviderProps, MockState, MockUser};

wasm_bindgen_test_configure!(run_in_browser);

fn root() -> web_sys::Element {
    let doc = web_sys::window().unwrap().document().unwrap();
    let div = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&div).unwrap();
    div
}

async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(10)).await;
    yew::scheduler::flush().await;
}

fn text(root: &web_sys::Element) -> String {
    root.text_content().unwrap_or_default()
}

/// A component under test: what an app would render.
#[component]
fn Header() -> Html {
    let auth = use_auth();
    let user = use_user();
    let token = use_state(|| None::<String>);
    let on_token = {
        let (auth, token) = (auth.clone(), token.clone());
        Callback::from(move |_: MouseEvent| {
            let (get, token) = (auth.get_token(GetTokenOptions::default()), token.clone());
            yew::platform::spawn_local(async move {
                token.set(Some(match get.await {
                    Ok(t) => t.unwrap_or_else(|| "none".into()),
                    Err(e) => format!("error:{e}"),
                }));
            });
        })
    };
    html! {
        <header>
            <ClerkLoading>{ "[loading]" }</ClerkLoading>
            <ClerkFailed render={Callback::from(|e: ClerkError| html! { { format!("[failed:{e}]") } })} />
            <ClerkDegraded>{ "[degraded]" }</ClerkDegraded>
            // use_auth() alone tells a degraded load apart (its state() is the stand-in).
            if auth.status() == LoadStatus::Degraded { { "[auth:degraded]" } }
            <SignedOut><SignInButton class="in" /></SignedOut>
            <SignedIn>
                { format!("[hello {}]", user.user.as_ref().and_then(|u| u.first_name.clone()).unwrap_or_default()) }
                { format!("[email {}]", user.user.as_ref().and_then(|u| u.primary_email_address()).map(|e| e.email_address.clone()).unwrap_or_default()) }
                { format!("[org {}]", auth.org_id.clone().unwrap_or_default()) }
                <button class="token" onclick={on_token}>{ "token" }</button>
                <SignOutButton class="out" />
            </SignedIn>
            <Protect permission="org:billing:manage" fallback={html! { "[no-billing]" }}>{ "[billing]" }</Protect>
            <Show when={ShowWhen::Check(Check::role("admin"))}>{ "[admin]" }</Show>
            if let Some(t) = &*token { { format!("[token {t}]") } }
        </header>
    }
}

/// Props of the harness.
#[derive(Properties, PartialEq, Clone)]
struct HarnessProps {
    mock: MockClerkProviderProps,
}

#[component]
fn Harness(props: &HarnessProps) -> Html {
    let p = props.mock.clone();
    html! {
        <MockClerkProvider state={p.state} token={p.token} token_error={p.token_error}
            on_sign_out={p.on_sign_out} on_navigate={p.on_navigate}
            treat_pending_as_signed_out={p.treat_pending_as_signed_out}>
            <Header />
        </MockClerkProvider>
    }
}

fn mock(state: MockState) -> MockClerkProviderProps {
    yew::props!(MockClerkProviderProps { state })
}

fn mount(props: MockClerkProviderProps) -> (yew::AppHandle<Harness>, web_sys::Element) {
    let root = root();
    let handle =
        yew::Renderer::<Harness>::with_root_and_props(root.clone(), HarnessProps { mock: props })
            .render();
    (handle, root)
}

fn click(root: &web_sys::Element, selector: &str) {
    let el = root
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"));
    el.dyn_into::<web_sys::HtmlElement>().unwrap().click();
}

#[wasm_bindgen_test]
async fn loading_renders_only_clerk_loading() {
    let (h, root) = mount(mock(MockState::Loading));
    settle().await;
    assert_eq!(text(&root), "[loading]");
    h.destroy();
}

#[wasm_bindgen_test]
async fn signed_out_shows_the_sign_in_button_and_navigates() {
    let navigated = Rc::new(RefCell::new(Vec::<String>::new()));
    let mut props = mock(MockState::SignedOut);
    props.on_navigate = {
        let n = navigated.clone();
        Callback::from(move |url: String| n.borrow_mut().push(url))
    };
    let (h, root) = mount(props);
    settle().await;
    assert_eq!(text(&root), "Sign in[no-billing]");
    click(&root, "button.in");
    settle().await;
    assert_eq!(navigated.borrow().as_slice(), ["/sign-in".to_string()]);
    h.destroy();
}

#[wasm_bindgen_test]
async fn signed_in_user_with_org_permissions_token_and_sign_out() {
    let signed_out = Rc::new(RefCell::new(0));
    let user = MockUser::new("user_1")
        .first_name("Ada")
        .email("ada@example.com")
        .org("org_1", "org:admin", &["org:billing:manage"]);
    let mut props = mock(MockState::SignedIn(user));
    props.token = Some(AttrValue::from("jwt-123"));
    props.on_sign_out = {
        let s = signed_out.clone();
        Callback::from(move |_: SignOutOptions| *s.borrow_mut() += 1)
    };
    let (h, root) = mount(props);
    settle().await;
    let t = text(&root);
    for shown in [
        "[hello Ada]",
        "[email ada@example.com]",
        "[org org_1]",
        "[billing]",
        "[admin]",
    ] {
        assert!(t.contains(shown), "{shown} missing: {t}");
    }
    click(&root, "button.token");
    settle().await;
    assert!(text(&root).contains("[token jwt-123]"), "{}", text(&root));
    click(&root, "button.out");
    settle().await;
    assert_eq!(*signed_out.borrow(), 1);
    assert!(
        text(&root).starts_with("Sign in[no-billing]"),
        "{}",
        text(&root)
    );
    h.destroy();
}

#[wasm_bindgen_test]
async fn member_without_permission_sees_fallback() {
    let user = MockUser::new("user_2")
        .first_name("Bob")
        .org("org_1", "org:member", &[]);
    let (h, root) = mount(mock(MockState::SignedIn(user)));
    settle().await;
    let t = text(&root);
    assert!(
        t.contains("[hello Bob]") && t.contains("[no-billing]") && !t.contains("[admin]"),
        "{t}"
    );
    h.destroy();
}

#[wasm_bindgen_test]
async fn failed_and_degraded_states() {
    let (h, root) = mount(mock(MockState::Failed(ClerkError::LoadFailed(
        "boom".into(),
    ))));
    settle().await;
    assert_eq!(text(&root), "[failed:Clerk failed to load: boom]");
    h.destroy();
    let (h, root) = mount(mock(MockState::Degraded(ClerkError::Offline)));
    settle().await;
    assert!(text(&root).contains("[degraded]"), "{}", text(&root));
    assert!(text(&root).contains("[auth:degraded]"), "{}", text(&root));
    h.destroy();
}

#[wasm_bindgen_test]
async fn token_errors_come_through() {
    let mut props = mock(MockState::SignedIn(MockUser::new("user_3")));
    props.token_error = Some(ClerkError::Offline);
    let (h, root) = mount(props);
    settle().await;
    click(&root, "button.token");
    settle().await;
    assert!(
        text(&root).contains("[token error:the browser is offline"),
        "{}",
        text(&root)
    );
    h.destroy();
}

#[wasm_bindgen_test]
async fn pending_session_reads_as_signed_out_unless_told_otherwise() {
    let pending = || MockState::SignedIn(MockUser::new("user_p").first_name("Pat").pending());
    let (h, root) = mount(mock(pending()));
    settle().await;
    assert_eq!(text(&root), "Sign in[no-billing]");
    h.destroy();

    let mut props = mock(pending());
    props.treat_pending_as_signed_out = false;
    let (h, root) = mount(props);
    settle().await;
    assert!(text(&root).contains("[hello Pat]"), "{}", text(&root));
    h.destroy();
}
