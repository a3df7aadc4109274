//! Serde models of the Frontend API resources (snake_case on the wire).
//!
//! Rules shared by every model: unknown fields are ignored, optional and nullable fields
//! default, timestamps are Unix epoch **milliseconds** (`i64`), and enums that Clerk may extend
//! (session status, verification status) are open: an unknown value parses as `Other(String)`.

mod client;
mod de;
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
    EmailAddress, ExternalAccount, IdentificationLink, PhoneNumber, User, Verification,
    VerificationStatus,
};

/// JSON object used for metadata fields (`public_metadata`, `unsafe_metadata`).
pub type Metadata = serde_json::Map<String, serde_json::Value>;

pub(crate) use de::from_value;

/// Parses JSON text into `T`.
///
/// Every model is deserialized from a [`serde_json::Value`] (text → `Value` → `T`, with
/// [`from_value`]), never straight from text: the models' generated `Deserialize` code is then
/// compiled once, for one deserializer, instead of once per deserializer (text and `Value`
/// paths both exist because envelopes are inspected as `Value`s). Library code uses these two
/// functions, not `serde_json::from_str`/`from_value`, for models.
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(
    text: &str,
) -> Result<T, serde_json::Error> {
    from_value(parse_value(text)?)
}

/// Parses JSON text into a [`serde_json::Value`]: the one place the crate parses JSON text
/// (one instantiation of serde_json's parser).
///
/// serde_json rather than the browser's `JSON.parse` + serde-wasm-bindgen: measured, the
/// latter made the release wasm larger (+4.7 KB gzip), see `tools/size/measure.sh`.
pub(crate) fn parse_value(text: &str) -> Result<serde_json::Value, serde_json::Error> {
    serde_json::from_str(text)
}

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
