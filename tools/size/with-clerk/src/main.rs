//! The same app as `bare`, plus ClerkProvider, use_auth, use_user, get_token and sign_out.
use yew::prelude::*;
use yew_clerk::prelude::*;

#[derive(Clone, PartialEq)]
struct Theme(AttrValue);

#[component]
fn Greeting() -> Html {
    let theme = use_context::<Theme>().map(|t| t.0).unwrap_or_default();
    let count = use_state(|| 0u32);
    let auth = use_auth();
    let user = use_user();
    let token = use_state(String::new);
    let onclick = {
        let count = count.clone();
        Callback::from(move |_| count.set(*count + 1))
    };
    let get_token = {
        let clerk = auth.clerk();
        let token = token.clone();
        Callback::from(move |_| {
            let fut = clerk.get_token(GetTokenOptions::default());
            let token = token.clone();
            yew::platform::spawn_local(async move {
                if let Ok(Some(jwt)) = fut.await {
                    token.set(jwt);
                }
            });
        })
    };
    let sign_out = {
        let clerk = auth.clerk();
        Callback::from(move |_| {
            let fut = clerk.sign_out(SignOutOptions::default());
            yew::platform::spawn_local(async move {
                let _ = fut.await;
            });
        })
    };
    let name = user.user.as_ref().and_then(|u| u.first_name.clone()).unwrap_or_default();
    html! {
        <div>
            <p>{ format!("Hello ({theme}) {name}: {}", *count) }</p>
            <p>{ format!("{:?} {:?} {}", auth.user_id, auth.org_id, token.len()) }</p>
            <button {onclick}>{ "+1" }</button>
            <button onclick={get_token}>{ "token" }</button>
            <button onclick={sign_out}>{ "sign out" }</button>
        </div>
    }
}

#[component]
fn App() -> Html {
    html! {
        <ClerkProvider publishable_key="pk_test_Y2xlcmsuZXhhbXBsZS5jb20k">
            <ContextProvider<Theme> context={Theme("light".into())}>
                <Greeting />
            </ContextProvider<Theme>>
        </ClerkProvider>
    }
}

fn main() {
    yew::Renderer::<App>::new().render();
}
