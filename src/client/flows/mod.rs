//! Sign-in and sign-up flows for custom forms, built on [`Clerk::request`](super::Clerk::request):
//! every step applies the piggybacked client, and a completed flow makes its new session
//! current (`set_active`). Errors are [`ClerkError::Api`](crate::ClerkError::Api) with
//! Clerk's codes (`form_password_incorrect`, `form_code_incorrect`, ...).

pub mod oauth;
pub mod session_verification;
pub mod sign_in;
pub mod sign_up;

pub use self::oauth::{RedirectCallbackOutcome, RedirectCallbackParams};
pub use self::session_verification::{
    FirstFactorAttempt, SessionVerification, SessionVerificationStatus,
};
pub use self::sign_in::{SecondFactorStrategy, SignIn, SignInFactor, SignInStatus};
pub use self::sign_up::{SignUp, SignUpParams, SignUpStatus, SignUpVerifications};
