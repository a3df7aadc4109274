//! serde for the models (feature `serde`).
//!
//! `Serialize` is derived (field names are Clerk's snake_case wire names; the two fields
//! named `type` on the wire are renamed). `Deserialize` does not get a second set of rules:
//! it reads a JSON value and hands it to the model's [`FromJson`] reader, so a model read
//! through serde is exactly the model the client reads from FAPI (same defaults for missing
//! and `null` fields, same open enums, same errors naming the field path).

use serde::de::{Deserialize, DeserializeOwned, Deserializer, Error as _};
use serde::ser::{Serialize, Serializer};

use super::*;
use crate::initial_state::InitialState;
use crate::json::{FromJson, Value};

/// `Deserialize` through the model's [`FromJson`] reader (see the module docs).
macro_rules! deserialize_with_reader {
    ($($model:ty),* $(,)?) => {$(
        impl<'de> Deserialize<'de> for $model {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let value = Value::deserialize(d)?;
                <$model as FromJson>::from_json(&value).map_err(D::Error::custom)
            }
        }
    )*};
}

deserialize_with_reader!(
    Verification,
    VerificationStatus,
    IdentificationLink,
    EmailAddress,
    PhoneNumber,
    ExternalAccount,
    User,
    Actor,
    SessionTask,
    SessionStatus,
    PublicUserData,
    Session,
    Organization,
    OrganizationMembership,
    PublicOrganizationData,
    Client,
    Environment,
    AuthConfig,
    DisplayConfig,
    OrganizationSettings,
    InitialState,
);

impl Serialize for SessionStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl Serialize for VerificationStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The same JSON as [`InitialState::to_json`], the form the page embeds.
impl Serialize for InitialState {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(s)
    }
}

/// Reads a metadata object into the caller's type: the object's exact JSON text goes to
/// serde_json, so numbers keep their literal form.
fn metadata_as<T: DeserializeOwned>(metadata: &Metadata) -> Result<T, serde_json::Error> {
    serde_json::from_str(&metadata.to_string())
}

impl User {
    /// `public_metadata` read into your own type (any `Deserialize` type, including
    /// `serde_json::Value`). Public metadata is set from the backend and readable by the
    /// browser; the user cannot change it.
    ///
    /// # Errors
    /// The metadata does not have the shape of `T`.
    pub fn public_metadata_as<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        metadata_as(&self.public_metadata)
    }

    /// `unsafe_metadata` read into your own type. Unsafe metadata can be written by the user
    /// from the browser: never trust it for authorization.
    ///
    /// # Errors
    /// The metadata does not have the shape of `T`.
    pub fn unsafe_metadata_as<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        metadata_as(&self.unsafe_metadata)
    }
}

impl ExternalAccount {
    /// `public_metadata` read into your own type (see [`User::public_metadata_as`]).
    ///
    /// # Errors
    /// The metadata does not have the shape of `T`.
    pub fn public_metadata_as<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        metadata_as(&self.public_metadata)
    }
}

impl Organization {
    /// The organization's `public_metadata` read into your own type.
    ///
    /// # Errors
    /// The metadata does not have the shape of `T`.
    pub fn public_metadata_as<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        metadata_as(&self.public_metadata)
    }
}

impl OrganizationMembership {
    /// The membership's `public_metadata` read into your own type.
    ///
    /// # Errors
    /// The metadata does not have the shape of `T`.
    pub fn public_metadata_as<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        metadata_as(&self.public_metadata)
    }
}
