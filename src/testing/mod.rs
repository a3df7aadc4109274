//! Test helpers for your own components (feature `testing`).
//!
//! [`MockClerkProvider`] provides the same contexts as `ClerkProvider`, from a state you
//! choose, so the real hooks and control components run unchanged: no network, no engine.
//!
//! ```rust,no_run
//! use yew::prelude::*;
//! use yew_clerk::prelude::*;
//! use yew_clerk::testing::{MockClerkProvider, MockState, MockUser};
//!
//! #[component]
//! fn Harness() -> Html {
//!     let user = MockUser::new("user_1")
//!         .first_name("Ada")
//!         .email("ada@example.com")
//!         .org("org_1", "org:admin", &["org:billing:manage"]);
//!     html! {
//!         <MockClerkProvider state={MockState::SignedIn(user)} token={Some(AttrValue::from("jwt"))}>
//!             <SignedIn>{ "visible to Ada" }</SignedIn>
//!             <Protect permission="org:billing:manage">{ "billing" }</Protect>
//!         </MockClerkProvider>
//!     }
//! }
//! ```

mod mock_provider;
mod mock_user;

pub(crate) use self::mock_provider::MockBackend;
pub use self::mock_provider::{MockClerkProvider, MockClerkProviderProps, MockState};
pub use self::mock_user::MockUser;
