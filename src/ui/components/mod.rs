//! Control components, one per file (clerk-react's names).
//!
//! None renders anything while Clerk is loading, except `ClerkLoading` and the `loading`
//! prop of `Protect` / `Show`.

mod authenticate_with_redirect_callback;
mod clerk_degraded;
mod clerk_failed;
mod clerk_loaded;
mod clerk_loading;
mod hosted_page;
mod protect;
mod redirect_to_sign_in;
mod redirect_to_sign_up;
mod redirect_to_tasks;
mod show;
mod sign_in_button;
mod sign_out_button;
mod sign_up_button;
mod signed_in;
mod signed_out;

pub use self::authenticate_with_redirect_callback::{
    AuthenticateWithRedirectCallback, AuthenticateWithRedirectCallbackProps,
};
pub use self::clerk_degraded::{ClerkDegraded, ClerkDegradedProps};
pub use self::clerk_failed::{ClerkFailed, ClerkFailedProps};
pub use self::clerk_loaded::{ClerkLoaded, ClerkLoadedProps};
pub use self::clerk_loading::{ClerkLoading, ClerkLoadingProps};
pub use self::protect::{Protect, ProtectProps};
pub use self::redirect_to_sign_in::{RedirectToSignIn, RedirectToSignInProps};
pub use self::redirect_to_sign_up::{RedirectToSignUp, RedirectToSignUpProps};
pub use self::redirect_to_tasks::{RedirectToTasks, RedirectToTasksProps};
pub use self::show::{Show, ShowProps, ShowWhen};
pub use self::sign_in_button::{SignInButton, SignInButtonProps};
pub use self::sign_out_button::{SignOutButton, SignOutButtonProps};
pub use self::sign_up_button::{SignUpButton, SignUpButtonProps};
pub use self::signed_in::{SignedIn, SignedInProps};
pub use self::signed_out::{SignedOut, SignedOutProps};

/// The unstyled `<button>` of the sign-in, sign-up and sign-out buttons: `children`, or
/// `label` when there are none.
fn labelled_button(
    class: ::yew::Classes,
    onclick: ::yew::Callback<::yew::MouseEvent>,
    children: ::yew::Html,
    label: &'static str,
) -> ::yew::Html {
    let children = if children == ::yew::Html::default() {
        ::yew::html! { label }
    } else {
        children
    };
    ::yew::html! { <button type="button" {class} {onclick}>{ children }</button> }
}
