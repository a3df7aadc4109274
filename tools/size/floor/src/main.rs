//! A reference point, not a Clerk client: the `bare` app plus the least any FAPI client does
//! at load. Two parallel credentialed fetches, both bodies read and parsed as JSON, one field
//! put into a context. No dev browser, tokens, cookies, tabs, errors or models.
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;
use yew_clerk::core::json::Value;

#[derive(Clone, PartialEq)]
struct Theme(AttrValue);

#[derive(Clone, PartialEq, Default)]
struct SessionId(Option<String>);

async fn get_json(url: &str) -> Option<Value> {
    let init = web_sys::RequestInit::new();
    init.set_credentials(web_sys::RequestCredentials::Include);
    init.set_mode(web_sys::RequestMode::Cors);
    let response = JsFuture::from(web_sys::window()?.fetch_with_str_and_init(url, &init))
        .await
        .ok()?;
    let response: web_sys::Response = response.dyn_into().ok()?;
    let text = JsFuture::from(response.text().ok()?)
        .await
        .ok()?
        .as_string()?;
    Value::parse(&text).ok()
}

#[component]
fn Greeting() -> Html {
    let theme = use_context::<Theme>().map(|t| t.0).unwrap_or_default();
    let session = use_context::<SessionId>().unwrap_or_default();
    let count = use_state(|| 0u32);
    let onclick = {
        let count = count.clone();
        Callback::from(move |_| count.set(*count + 1))
    };
    let sid = session.0.unwrap_or_default();
    html! {
        <div>
            <p>{ format!("Hello ({theme}) {sid}: {}", *count) }</p>
            <button {onclick}>{ "+1" }</button>
        </div>
    }
}

#[component]
fn App() -> Html {
    let session = use_state(SessionId::default);
    {
        let session = session.clone();
        use_effect_with((), move |_| {
            yew::platform::spawn_local(async move {
                let (client, _environment) = futures_util::future::join(
                    get_json("https://clerk.example.com/v1/client"),
                    get_json("https://clerk.example.com/v1/environment"),
                )
                .await;
                let sid = client
                    .as_ref()
                    .and_then(|c| c.get("response"))
                    .and_then(|r| r.get("last_active_session_id"))
                    .and_then(Value::as_str)
                    .map(str::to_string);
                session.set(SessionId(sid));
            });
        });
    }
    html! {
        <ContextProvider<SessionId> context={(*session).clone()}>
            <ContextProvider<Theme> context={Theme("light".into())}>
                <Greeting />
            </ContextProvider<Theme>>
        </ContextProvider<SessionId>>
    }
}

fn main() {
    yew::Renderer::<App>::new().render();
}
