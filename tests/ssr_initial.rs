//! Server-side rendering with the server's auth state (`ClerkProvider initial_state`): the
//! first HTML is already signed in or signed out, never the loading state.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::rc::Rc;

use yew::prelude::*;
use yew_clerk::core::claims::{OrgClaims, SessionClaims};
use yew_clerk::core::initial_state::{InitialState, InitialUser};
use yew_clerk::prelude::*;

#[component]
fn Status() -> Html {
    let auth = use_auth();
    let user = use_user();
    let name = user.user.as_ref().and_then(|u| u.full_name());
    html! {
        <p id="status">
            { format!(
                "loaded={} signed_in={:?} user_id={:?} session_id={:?} org={:?}/{:?} name={:?}",
                auth.is_loaded, auth.is_signed_in, auth.user_id, auth.session_id,
                auth.org_id, auth.org_role, name,
            ) }
        </p>
    }
}

/// Plain (`Send`) props: `ServerRenderer` builds them on its rendering thread.
#[derive(Properties, PartialEq)]
struct AppProps {
    initial: Option<InitialState>,
}

#[component]
fn App(props: &AppProps) -> Html {
    html! {
        <ClerkProvider publishable_key="pk_test_Y2xlcmsuZXhhbXBsZS5jb20k" proxy_url="http://127.0.0.1:7450"
                initial_state={props.initial.clone().map(Rc::new)}>
            <ClerkLoading>{ "[loading]" }</ClerkLoading>
            <ClerkLoaded>{ "[loaded]" }</ClerkLoaded>
            <SignedIn>{ "[in]" }</SignedIn>
            <SignedOut>{ "[out]" }</SignedOut>
            <Protect role="org:admin" fallback={html! { "[fallback]" }} loading={html! { "[protect-loading]" }}>{ "[admin]" }</Protect>
            <Status />
        </ClerkProvider>
    }
}

fn render(initial: Option<InitialState>) -> String {
    futures::executor::block_on(
        yew::ServerRenderer::<App>::with_props(move || AppProps { initial }).render(),
    )
}

fn claims() -> SessionClaims {
    SessionClaims {
        sub: "user_2abc".into(),
        sid: Some("sess_2xyz".into()),
        iat: 1,
        exp: 61,
        org: Some(OrgClaims {
            id: "org_1".into(),
            slug: Some("acme".into()),
            role: Some("org:admin".into()),
            permissions: vec![],
        }),
        ..SessionClaims::default()
    }
}

#[test]
fn signed_in_state_renders_signed_in_html_with_the_user() {
    let initial = InitialState::from_claims(&claims()).with_user(InitialUser {
        id: "user_2abc".into(),
        first_name: Some("Ada".into()),
        last_name: Some("Lovelace".into()),
        ..InitialUser::default()
    });
    let html = render(Some(initial));
    for present in [
        "[loaded]",
        "[in]",
        "[admin]",
        "user_2abc",
        "sess_2xyz",
        "Ada Lovelace",
    ] {
        assert!(html.contains(present), "{present} missing: {html}");
    }
    assert!(
        html.contains(r#"org=Some("org_1")/Some("org:admin")"#),
        "{html}"
    );
    for absent in ["[loading]", "[protect-loading]", "[out]", "[fallback]"] {
        assert!(!html.contains(absent), "{absent} rendered: {html}");
    }
}

#[test]
fn signed_in_without_a_user_still_renders_the_ids() {
    let html = render(Some(InitialState::from_claims(&claims())));
    assert!(
        html.contains("[in]") && html.contains("user_2abc"),
        "{html}"
    );
    assert!(html.contains("name=None"), "{html}");
    assert!(!html.contains("[loading]"), "{html}");
}

#[test]
fn signed_out_state_renders_signed_out_html() {
    let html = render(Some(InitialState::signed_out()));
    assert!(
        html.contains("[out]") && html.contains("[fallback]"),
        "{html}"
    );
    assert!(html.contains("loaded=true signed_in=Some(false)"), "{html}");
    for absent in ["[loading]", "[protect-loading]", "[in]", "[admin]"] {
        assert!(!html.contains(absent), "{absent} rendered: {html}");
    }
}

#[test]
fn no_state_still_renders_the_loading_state() {
    let html = render(None);
    assert!(html.contains("[loading]"), "{html}");
    assert!(!html.contains("[in]") && !html.contains("[out]"), "{html}");
}

#[test]
fn a_name_with_script_markup_is_text_in_the_html_and_escaped_in_the_embedded_state() {
    let initial = InitialState::from_claims(&claims()).with_user(InitialUser {
        id: "user_2abc".into(),
        first_name: Some("</script><script>alert(1)</script>".into()),
        ..InitialUser::default()
    });
    let html = render(Some(initial.clone()));
    assert!(!html.contains("<script>alert"), "{html}");
    let tag = initial.script_tag();
    assert_eq!(tag.matches("</script>").count(), 1, "{tag}");
}
