use serde::{Deserialize, Serialize};

use super::{null_as_default, Metadata, OrganizationMembership};

/// Verification status. Open enum.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerificationStatus {
    /// Not verified yet (also the value when the field is missing).
    #[default]
    Unverified,
    /// Verified.
    Verified,
    /// Verification failed.
    Failed,
    /// Verification expired.
    Expired,
    /// Transferable (OAuth sign-in to sign-up transfer).
    Transferable,
    /// A status this version does not know.
    #[serde(untagged)]
    Other(String),
}

/// Verification of an identifier or an external account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    /// Status (`unverified` when missing).
    #[serde(default)]
    pub status: VerificationStatus,
    /// Strategy (`email_code`, `oauth_google`, ...).
    #[serde(default)]
    pub strategy: Option<String>,
    /// Attempts made.
    #[serde(default)]
    pub attempts: Option<u32>,
    /// ms
    #[serde(default)]
    pub expire_at: Option<i64>,
}

impl Verification {
    /// True when the status is `verified`.
    pub fn is_verified(&self) -> bool {
        self.status == VerificationStatus::Verified
    }
}

/// `linked_to` entry of an identifier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentificationLink {
    /// Linked identification id.
    pub id: String,
    /// Its type (`oauth_google`, ...).
    #[serde(rename = "type")]
    pub link_type: String,
}

/// An email address of the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailAddress {
    /// `idn_...`
    pub id: String,
    /// The address.
    pub email_address: String,
    /// Verification, if any.
    #[serde(default)]
    pub verification: Option<Verification>,
    /// Reserved (being claimed by a sign-up elsewhere).
    #[serde(default)]
    pub reserved: bool,
    /// Whether the domain matches an active enterprise SSO connection.
    #[serde(default)]
    pub matches_sso_connection: bool,
    /// Links to other identifications.
    #[serde(default, deserialize_with = "null_as_default")]
    pub linked_to: Vec<IdentificationLink>,
    /// ms
    #[serde(default)]
    pub created_at: i64,
    /// ms
    #[serde(default)]
    pub updated_at: i64,
}

/// A phone number of the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneNumber {
    /// `idn_...`
    pub id: String,
    /// E.164 number.
    pub phone_number: String,
    /// Verification, if any.
    #[serde(default)]
    pub verification: Option<Verification>,
    /// Reserved (being claimed by a sign-up elsewhere).
    #[serde(default)]
    pub reserved: bool,
    /// Reserved for second factor only.
    #[serde(default)]
    pub reserved_for_second_factor: bool,
    /// Default second factor.
    #[serde(default)]
    pub default_second_factor: bool,
    /// Links to other identifications.
    #[serde(default, deserialize_with = "null_as_default")]
    pub linked_to: Vec<IdentificationLink>,
    /// ms
    #[serde(default)]
    pub created_at: i64,
    /// ms
    #[serde(default)]
    pub updated_at: i64,
}

/// An OAuth account linked to the user (`ExternalAccountWithVerification`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExternalAccount {
    /// `eac_...` / `idn_...`
    pub id: String,
    /// Provider (`oauth_google`, ...).
    #[serde(default)]
    pub provider: String,
    /// Id of the identification this account backs.
    #[serde(default)]
    pub identification_id: Option<String>,
    /// The user's id at the provider.
    #[serde(default)]
    pub provider_user_id: Option<String>,
    /// Space-separated OAuth scopes granted.
    #[serde(default)]
    pub approved_scopes: Option<String>,
    /// Email address at the provider.
    #[serde(default)]
    pub email_address: Option<String>,
    /// Whether the provider said the email was verified (`None` = unknown).
    #[serde(default)]
    pub email_address_verified: Option<bool>,
    /// Username at the provider.
    #[serde(default)]
    pub username: Option<String>,
    /// First name at the provider.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name at the provider.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Avatar at the provider.
    #[serde(default)]
    pub image_url: Option<String>,
    /// Phone number at the provider.
    #[serde(default)]
    pub phone_number: Option<String>,
    /// Label of the account.
    #[serde(default)]
    pub label: Option<String>,
    /// Verification, if any.
    #[serde(default)]
    pub verification: Option<Verification>,
    /// Public metadata.
    #[serde(default, deserialize_with = "null_as_default")]
    pub public_metadata: Metadata,
    /// ms
    #[serde(default)]
    pub created_at: i64,
    /// ms
    #[serde(default)]
    pub updated_at: i64,
}

/// The signed-in user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    /// `user_...`
    pub id: String,
    /// Your own id for the user, if set.
    #[serde(default)]
    pub external_id: Option<String>,
    /// Username.
    #[serde(default)]
    pub username: Option<String>,
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Avatar URL.
    #[serde(default)]
    pub image_url: Option<String>,
    /// Whether an avatar was uploaded.
    #[serde(default)]
    pub has_image: bool,
    /// Id of the primary email address in `email_addresses`.
    #[serde(default)]
    pub primary_email_address_id: Option<String>,
    /// Id of the primary phone number in `phone_numbers`.
    #[serde(default)]
    pub primary_phone_number_id: Option<String>,
    /// Email addresses.
    #[serde(default, deserialize_with = "null_as_default")]
    pub email_addresses: Vec<EmailAddress>,
    /// Phone numbers.
    #[serde(default, deserialize_with = "null_as_default")]
    pub phone_numbers: Vec<PhoneNumber>,
    /// OAuth accounts.
    #[serde(default, deserialize_with = "null_as_default")]
    pub external_accounts: Vec<ExternalAccount>,
    /// Organization memberships.
    #[serde(default, deserialize_with = "null_as_default")]
    pub organization_memberships: Vec<OrganizationMembership>,
    /// Metadata readable by the frontend, writable by the backend.
    #[serde(default, deserialize_with = "null_as_default")]
    pub public_metadata: Metadata,
    /// Metadata writable by the frontend.
    #[serde(default, deserialize_with = "null_as_default")]
    pub unsafe_metadata: Metadata,
    /// Whether a password is set.
    #[serde(default)]
    pub password_enabled: bool,
    /// Whether 2FA is on.
    #[serde(default)]
    pub two_factor_enabled: bool,
    /// Whether an authenticator app (TOTP) is set up.
    #[serde(default)]
    pub totp_enabled: bool,
    /// Whether backup codes are set up.
    #[serde(default)]
    pub backup_code_enabled: bool,
    /// Whether the user is banned.
    #[serde(default)]
    pub banned: bool,
    /// Whether the user is locked out (too many failed attempts).
    #[serde(default)]
    pub locked: bool,
    /// Whether the user may delete their own account.
    #[serde(default)]
    pub delete_self_enabled: bool,
    /// Whether the user may create organizations.
    #[serde(default)]
    pub create_organization_enabled: bool,
    /// How many organizations the user may create (0 = unlimited), when limited.
    #[serde(default)]
    pub create_organizations_limit: Option<u64>,
    /// ms
    #[serde(default)]
    pub last_sign_in_at: Option<i64>,
    /// ms, day precision.
    #[serde(default)]
    pub last_active_at: Option<i64>,
    /// ms
    #[serde(default)]
    pub legal_accepted_at: Option<i64>,
    /// ms
    #[serde(default)]
    pub password_last_updated_at: Option<i64>,
    /// ms
    #[serde(default)]
    pub mfa_enabled_at: Option<i64>,
    /// ms
    #[serde(default)]
    pub mfa_disabled_at: Option<i64>,
    /// ms
    #[serde(default)]
    pub created_at: i64,
    /// ms
    #[serde(default)]
    pub updated_at: i64,
}

impl User {
    /// `first_name last_name`, trimmed; `None` when both are empty.
    pub fn full_name(&self) -> Option<String> {
        let name = format!(
            "{} {}",
            self.first_name.as_deref().unwrap_or(""),
            self.last_name.as_deref().unwrap_or("")
        );
        let name = name.trim();
        (!name.is_empty()).then(|| name.to_string())
    }

    /// The primary email address.
    pub fn primary_email_address(&self) -> Option<&EmailAddress> {
        let id = self.primary_email_address_id.as_deref()?;
        self.email_addresses.iter().find(|e| e.id == id)
    }

    /// The primary phone number.
    pub fn primary_phone_number(&self) -> Option<&PhoneNumber> {
        let id = self.primary_phone_number_id.as_deref()?;
        self.phone_numbers.iter().find(|p| p.id == id)
    }

    /// The membership in the given organization.
    pub fn membership(&self, organization_id: &str) -> Option<&OrganizationMembership> {
        self.organization_memberships
            .iter()
            .find(|m| m.organization.id == organization_id)
    }
}
