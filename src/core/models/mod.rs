//! Serde models of the Frontend API resources (snake_case on the wire).
//!
//! Rules shared by every model: unknown fields are ignored, optional and nullable fields
//! default, timestamps are Unix epoch **milliseconds** (`i64`), and enums that Clerk may extend
//! (session status, verification status) are open: an unknown value parses as `Other(String)`.

mod client;
mod dev_browser;
mod envelope;
mod environment;
mod organization;
mod session;
mod user;

pub use client::Client;
pub use dev_browser::DevBrowser;
pub use envelope::{ApiError, ApiErrorMeta, ClientEnvelope, ErrorEnvelope};
pub use environment::{AuthConfig, DisplayConfig, Environment, OrganizationSettings};
pub use organization::{Organization, OrganizationMembership, PublicOrganizationData};
pub use session::{Actor, PublicUserData, Session, SessionStatus, SessionTask, Token};
pub use user::{
    EmailAddress, ExternalAccount, IdentificationLink, Passkey, PhoneNumber, User, Verification,
    VerificationStatus, Web3Wallet,
};

/// JSON object used for metadata fields (`public_metadata`, `unsafe_metadata`).
pub type Metadata = serde_json::Map<String, serde_json::Value>;

/// Deserializes `null` as the type's default (FAPI sends `null` for empty lists now and then).
pub(crate) fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + serde::Deserialize<'de>,
{
    use serde::Deserialize;
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// Deserializes `[first, second]` factor ages leniently: anything but an array of exactly two
/// integers (including `null`) is `None`, never an error.
pub(crate) fn factor_ages<'de, D>(d: D) -> Result<Option<[i64; 2]>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    use serde::Deserialize;
    let value = Option::<serde_json::Value>::deserialize(d)?;
    Ok(match value {
        Some(serde_json::Value::Array(items)) if items.len() == 2 => {
            match (items[0].as_i64(), items[1].as_i64()) {
                (Some(a), Some(b)) => Some([a, b]),
                _ => None,
            }
        }
        _ => None,
    })
}
