//! The baseline: a Yew app with a context provider and a component that reads it.
use yew::prelude::*;

#[derive(Clone, PartialEq)]
struct Theme(AttrValue);

#[component]
fn Greeting() -> Html {
    let theme = use_context::<Theme>().map(|t| t.0).unwrap_or_default();
    let count = use_state(|| 0u32);
    let onclick = {
        let count = count.clone();
        Callback::from(move |_| count.set(*count + 1))
    };
    html! {
        <div>
            <p>{ format!("Hello ({theme}): {}", *count) }</p>
            <button {onclick}>{ "+1" }</button>
        </div>
    }
}

#[component]
fn App() -> Html {
    html! {
        <ContextProvider<Theme> context={Theme("light".into())}>
            <Greeting />
        </ContextProvider<Theme>>
    }
}

fn main() {
    yew::Renderer::<App>::new().render();
}
