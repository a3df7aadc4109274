use crate::json::{Fields, FromJson, JsonError, Value};

use super::{Metadata, OrganizationMembership};

/// Verification status. Open enum.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum VerificationStatus {
    /// Not verified yet (also the value when the field is missing).
    #[default]
    Unverified,
    /// The user proved control of the identifier (code, link or OAuth).
    Verified,
    /// Verification failed.
    Failed,
    /// Verification expired.
    Expired,
    /// Transferable (OAuth sign-in to sign-up transfer).
    Transferable,
    /// A status this version does not know.
    Other(String),
}

/// Verification of an identifier or an external account.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Verification {
    /// Status (`unverified` when missing).
    pub status: VerificationStatus,
    /// Strategy (`email_code`, `oauth_google`, ...).
    pub strategy: Option<String>,
    /// Attempts made.
    pub attempts: Option<u32>,
    /// When it expires (Unix epoch milliseconds).
    pub expire_at: Option<i64>,
    /// OAuth / SSO: the identity provider's page to send the browser to while `unverified`.
    pub external_verification_redirect_url: Option<String>,
    /// Why the verification failed or is transferable (`oauth_access_denied`,
    /// `external_account_not_found`, `external_account_exists`, ...).
    pub error: Option<crate::models::ApiError>,
}

impl Verification {
    /// True when the status is `verified`.
    pub fn is_verified(&self) -> bool {
        self.status == VerificationStatus::Verified
    }
}

/// `linked_to` entry of an identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct IdentificationLink {
    /// Linked identification id.
    pub id: String,
    /// Its type (`oauth_google`, ...).
    #[cfg_attr(feature = "serde", serde(rename = "type"))]
    pub link_type: String,
}

/// An email address of the user.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct EmailAddress {
    /// `idn_...`
    pub id: String,
    /// The address.
    pub email_address: String,
    /// Verification, if any.
    pub verification: Option<Verification>,
    /// Reserved (being claimed by a sign-up elsewhere).
    pub reserved: bool,
    /// Whether the domain matches an active enterprise SSO connection.
    pub matches_sso_connection: bool,
    /// Links to other identifications.
    pub linked_to: Vec<IdentificationLink>,
    /// When Clerk created it (Unix epoch milliseconds).
    pub created_at: i64,
    /// When it last changed (Unix epoch milliseconds).
    pub updated_at: i64,
}

/// A phone number of the user.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PhoneNumber {
    /// `idn_...`
    pub id: String,
    /// E.164 number.
    pub phone_number: String,
    /// Verification, if any.
    pub verification: Option<Verification>,
    /// Reserved (being claimed by a sign-up elsewhere).
    pub reserved: bool,
    /// Reserved for second factor only.
    pub reserved_for_second_factor: bool,
    /// Default second factor.
    pub default_second_factor: bool,
    /// Links to other identifications.
    pub linked_to: Vec<IdentificationLink>,
    /// When Clerk created it (Unix epoch milliseconds).
    pub created_at: i64,
    /// When it last changed (Unix epoch milliseconds).
    pub updated_at: i64,
}

/// An OAuth account linked to the user (`ExternalAccountWithVerification`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ExternalAccount {
    /// `eac_...` / `idn_...`
    pub id: String,
    /// Provider (`oauth_google`, ...).
    pub provider: String,
    /// Id of the identification this account backs.
    pub identification_id: Option<String>,
    /// The user's id at the provider.
    pub provider_user_id: Option<String>,
    /// Space-separated OAuth scopes granted.
    pub approved_scopes: Option<String>,
    /// Email address at the provider.
    pub email_address: Option<String>,
    /// Whether the provider said the email was verified (`None` = unknown).
    pub email_address_verified: Option<bool>,
    /// Username at the provider.
    pub username: Option<String>,
    /// First name at the provider.
    pub first_name: Option<String>,
    /// Last name at the provider.
    pub last_name: Option<String>,
    /// Avatar at the provider.
    pub image_url: Option<String>,
    /// Phone number at the provider.
    pub phone_number: Option<String>,
    /// Label of the account.
    pub label: Option<String>,
    /// Verification, if any.
    pub verification: Option<Verification>,
    /// Public metadata.
    pub public_metadata: Metadata,
    /// When Clerk created it (Unix epoch milliseconds).
    pub created_at: i64,
    /// When it last changed (Unix epoch milliseconds).
    pub updated_at: i64,
}

/// The signed-in user.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct User {
    /// `user_...`
    pub id: String,
    /// Your own id for the user, if set.
    pub external_id: Option<String>,
    /// The username, when the instance has usernames turned on and the user set one.
    pub username: Option<String>,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Avatar URL.
    pub image_url: Option<String>,
    /// Whether an avatar was uploaded.
    pub has_image: bool,
    /// Id of the primary email address in `email_addresses`.
    pub primary_email_address_id: Option<String>,
    /// Id of the primary phone number in `phone_numbers`.
    pub primary_phone_number_id: Option<String>,
    /// Email addresses.
    pub email_addresses: Vec<EmailAddress>,
    /// Phone numbers.
    pub phone_numbers: Vec<PhoneNumber>,
    /// OAuth accounts.
    pub external_accounts: Vec<ExternalAccount>,
    /// Organization memberships.
    pub organization_memberships: Vec<OrganizationMembership>,
    /// Metadata readable by the frontend, writable by the backend.
    pub public_metadata: Metadata,
    /// Metadata writable by the frontend.
    pub unsafe_metadata: Metadata,
    /// Whether a password is set.
    pub password_enabled: bool,
    /// Whether 2FA is on.
    pub two_factor_enabled: bool,
    /// Whether an authenticator app (TOTP) is set up.
    pub totp_enabled: bool,
    /// Whether backup codes are set up.
    pub backup_code_enabled: bool,
    /// Whether the user is banned.
    pub banned: bool,
    /// Whether the user is locked out (too many failed attempts).
    pub locked: bool,
    /// Whether the user may delete their own account.
    pub delete_self_enabled: bool,
    /// Whether the user may create organizations.
    pub create_organization_enabled: bool,
    /// How many organizations the user may create (0 = unlimited), when limited.
    pub create_organizations_limit: Option<u64>,
    /// When the user last signed in (Unix epoch milliseconds).
    pub last_sign_in_at: Option<i64>,
    /// ms, day precision.
    pub last_active_at: Option<i64>,
    /// When the user accepted the legal terms (Unix epoch milliseconds).
    pub legal_accepted_at: Option<i64>,
    /// When the password last changed (Unix epoch milliseconds).
    pub password_last_updated_at: Option<i64>,
    /// When multi-factor authentication was turned on (Unix epoch milliseconds).
    pub mfa_enabled_at: Option<i64>,
    /// When multi-factor authentication was turned off (Unix epoch milliseconds).
    pub mfa_disabled_at: Option<i64>,
    /// When Clerk created it (Unix epoch milliseconds).
    pub created_at: i64,
    /// When it last changed (Unix epoch milliseconds).
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

impl FromJson for Verification {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        let f = Fields::of(value)?;
        f.finish(Verification {
            status: f.opt("status"),
            strategy: f.opt("strategy"),
            attempts: f.opt("attempts"),
            expire_at: f.opt("expire_at"),
            external_verification_redirect_url: f.opt("external_verification_redirect_url"),
            error: f.opt("error"),
        })
    }
}

impl FromJson for IdentificationLink {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        let f = Fields::of(value)?;
        f.finish(IdentificationLink {
            id: f.req("id"),
            link_type: f.req("type"),
        })
    }
}

impl FromJson for EmailAddress {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        let f = Fields::of(value)?;
        f.finish(EmailAddress {
            id: f.req("id"),
            email_address: f.req("email_address"),
            verification: f.opt("verification"),
            reserved: f.opt("reserved"),
            matches_sso_connection: f.opt("matches_sso_connection"),
            linked_to: f.opt("linked_to"),
            created_at: f.opt("created_at"),
            updated_at: f.opt("updated_at"),
        })
    }
}

impl FromJson for PhoneNumber {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        let f = Fields::of(value)?;
        f.finish(PhoneNumber {
            id: f.req("id"),
            phone_number: f.req("phone_number"),
            verification: f.opt("verification"),
            reserved: f.opt("reserved"),
            reserved_for_second_factor: f.opt("reserved_for_second_factor"),
            default_second_factor: f.opt("default_second_factor"),
            linked_to: f.opt("linked_to"),
            created_at: f.opt("created_at"),
            updated_at: f.opt("updated_at"),
        })
    }
}

impl FromJson for ExternalAccount {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        let f = Fields::of(value)?;
        f.finish(ExternalAccount {
            id: f.req("id"),
            provider: f.opt("provider"),
            identification_id: f.opt("identification_id"),
            provider_user_id: f.opt("provider_user_id"),
            approved_scopes: f.opt("approved_scopes"),
            email_address: f.opt("email_address"),
            email_address_verified: f.opt("email_address_verified"),
            username: f.opt("username"),
            first_name: f.opt("first_name"),
            last_name: f.opt("last_name"),
            image_url: f.opt("image_url"),
            phone_number: f.opt("phone_number"),
            label: f.opt("label"),
            verification: f.opt("verification"),
            public_metadata: f.opt("public_metadata"),
            created_at: f.opt("created_at"),
            updated_at: f.opt("updated_at"),
        })
    }
}

impl FromJson for User {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        let f = Fields::of(value)?;
        f.finish(User {
            id: f.req("id"),
            external_id: f.opt("external_id"),
            username: f.opt("username"),
            first_name: f.opt("first_name"),
            last_name: f.opt("last_name"),
            image_url: f.opt("image_url"),
            has_image: f.opt("has_image"),
            primary_email_address_id: f.opt("primary_email_address_id"),
            primary_phone_number_id: f.opt("primary_phone_number_id"),
            email_addresses: f.opt("email_addresses"),
            phone_numbers: f.opt("phone_numbers"),
            external_accounts: f.opt("external_accounts"),
            organization_memberships: f.opt("organization_memberships"),
            public_metadata: f.opt("public_metadata"),
            unsafe_metadata: f.opt("unsafe_metadata"),
            password_enabled: f.opt("password_enabled"),
            two_factor_enabled: f.opt("two_factor_enabled"),
            totp_enabled: f.opt("totp_enabled"),
            backup_code_enabled: f.opt("backup_code_enabled"),
            banned: f.opt("banned"),
            locked: f.opt("locked"),
            delete_self_enabled: f.opt("delete_self_enabled"),
            create_organization_enabled: f.opt("create_organization_enabled"),
            create_organizations_limit: f.opt("create_organizations_limit"),
            last_sign_in_at: f.opt("last_sign_in_at"),
            last_active_at: f.opt("last_active_at"),
            legal_accepted_at: f.opt("legal_accepted_at"),
            password_last_updated_at: f.opt("password_last_updated_at"),
            mfa_enabled_at: f.opt("mfa_enabled_at"),
            mfa_disabled_at: f.opt("mfa_disabled_at"),
            created_at: f.opt("created_at"),
            updated_at: f.opt("updated_at"),
        })
    }
}

impl VerificationStatus {
    /// Clerk's name for the status (`"verified"`, ...), the inverse of reading it.
    pub fn as_str(&self) -> &str {
        match self {
            VerificationStatus::Unverified => "unverified",
            VerificationStatus::Verified => "verified",
            VerificationStatus::Failed => "failed",
            VerificationStatus::Expired => "expired",
            VerificationStatus::Transferable => "transferable",
            VerificationStatus::Other(s) => s,
        }
    }
}

impl FromJson for VerificationStatus {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        Ok(match String::from_json(value)?.as_str() {
            "unverified" => VerificationStatus::Unverified,
            "verified" => VerificationStatus::Verified,
            "failed" => VerificationStatus::Failed,
            "expired" => VerificationStatus::Expired,
            "transferable" => VerificationStatus::Transferable,
            other => VerificationStatus::Other(other.to_string()),
        })
    }
}
