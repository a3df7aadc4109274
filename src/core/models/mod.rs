//! Serde models of the Frontend API resources (snake_case on the wire).
//!
//! Rules shared by every model: unknown fields are ignored, optional and nullable fields
//! default, timestamps are Unix epoch **milliseconds** (`i64`), and enums that Clerk may extend
//! (session status, verification status) are open: an unknown value parses as `Other(String)`.

mod client;
mod envelope;
mod environment;
mod organization;
mod session;
mod user;

pub use client::Client;
pub use envelope::{ApiError, ApiErrorMeta, ClientEnvelope, ErrorEnvelope};
pub use environment::{AuthConfig, DisplayConfig, Environment, OrganizationSettings};
pub use organization::{Organization, OrganizationMembership, PublicOrganizationData};
pub use session::{Actor, PublicUserData, Session, SessionStatus, SessionTask, Token};
pub use user::{
    EmailAddress, ExternalAccount, IdentificationLink, PhoneNumber, User, Verification,
    VerificationStatus,
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
