use crate::json::{Fields, FromJson, JsonError, Value};

use super::{Metadata, OrganizationMembership};

/// Where a [`Verification`] stands (wire `status`). Open: a status Clerk adds later parses
/// as [`VerificationStatus::Other`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum VerificationStatus {
    /// Not proven yet (a code sent, an OAuth redirect pending); also the value when `status`
    /// is missing.
    #[default]
    Unverified,
    /// The user proved control of the identifier (code, link or OAuth).
    Verified,
    /// Too many wrong codes, or the identity provider refused: this attempt can no longer
    /// succeed; prepare a new one ([`Verification::error`] may say why).
    Failed,
    /// `expire_at` passed before the code, link or OAuth attempt succeeded; prepare a new one.
    Expired,
    /// OAuth only: the provider account is proven but belongs to the other flow (a sign-in
    /// with no Clerk user for it, `external_account_not_found`; a sign-up whose account
    /// already has a user, `external_account_exists`): finish with a transfer.
    Transferable,
    /// A status this version does not know, as sent.
    Other(String),
}

/// Proof that the user controls something: an email address, a phone number, an OAuth
/// account, or a factor of a sign-in, sign-up or session reverification (Clerk's
/// `verification_*` objects).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Verification {
    /// Where it stands ([`VerificationStatus::Unverified`] when missing); [`Verification::is_verified`]
    /// is the usual test.
    pub status: VerificationStatus,
    /// How it is proven: `email_code`, `phone_code`, `email_link`, `oauth_<provider>`,
    /// `from_oauth_<provider>` (an address taken from an OAuth account), `admin` (set by your
    /// backend), `ticket`, `saml`, ...; `None` when missing.
    pub strategy: Option<String>,
    /// Codes tried against it so far (too many wrong ones make it `failed`); `None` for
    /// strategies without codes (OAuth, `admin`) or when sent as `null`.
    pub attempts: Option<u32>,
    /// When the code, link or OAuth attempt stops being accepted (Unix epoch milliseconds);
    /// the status then reads `expired`. `None` when it has no deadline.
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

/// An entry of an email address's or phone number's `linked_to`: the OAuth or SAML
/// account the identifier is linked to (e.g. the Google account it came from).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct IdentificationLink {
    /// Id (`idn_...`) of the linked identification: an [`ExternalAccount::identification_id`].
    pub id: String,
    /// Kind of the linked account: `oauth_<provider>` (e.g. `oauth_google`) or `saml` (wire `type`).
    #[cfg_attr(feature = "serde", serde(rename = "type"))]
    pub link_type: String,
}

/// One of the user's email addresses, verified or not. The user's main address is
/// [`User::primary_email_address`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct EmailAddress {
    /// Identification id (`idn_...`), what [`User::primary_email_address_id`] refers to.
    pub id: String,
    /// The address itself, e.g. `ada@example.com`.
    pub email_address: String,
    /// How and whether the user proved they own it (`email_code`, `email_link`,
    /// `from_oauth_<provider>`, `admin`, ...): check [`Verification::is_verified`]. `None` when
    /// sent as `null`.
    pub verification: Option<Verification>,
    /// Created "reserved" by your backend: not verified, yet usable to sign in and held so no
    /// other user can claim it.
    pub reserved: bool,
    /// Whether the domain matches an active enterprise SSO connection.
    pub matches_sso_connection: bool,
    /// The OAuth / SAML accounts the address is linked to (it came from, or matches, their
    /// email); empty for an address the user added themself.
    pub linked_to: Vec<IdentificationLink>,
    /// When Clerk created it (Unix epoch milliseconds).
    pub created_at: i64,
    /// When it last changed (Unix epoch milliseconds).
    pub updated_at: i64,
}

/// One of the user's phone numbers, verified or not; it can sign the user in, receive
/// second-factor codes, or both. The main one is [`User::primary_phone_number`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PhoneNumber {
    /// Identification id (`idn_...`), what [`User::primary_phone_number_id`] refers to.
    pub id: String,
    /// The number in E.164 form (`+` and country code, no spaces), e.g. `+15555550100`.
    pub phone_number: String,
    /// How and whether the user proved they own it (`phone_code`, `admin`): check
    /// [`Verification::is_verified`]. `None` when sent as `null`.
    pub verification: Option<Verification>,
    /// Created "reserved" by your backend: not verified, yet usable to sign in and held so no
    /// other user can claim it.
    pub reserved: bool,
    /// Whether the number is enrolled as a second factor (texted a code at
    /// `needs_second_factor`); only a verified number can be.
    pub reserved_for_second_factor: bool,
    /// Whether it is the second-factor number Clerk texts by default when the user has
    /// several.
    pub default_second_factor: bool,
    /// The OAuth accounts the number is linked to; usually empty.
    pub linked_to: Vec<IdentificationLink>,
    /// When Clerk created it (Unix epoch milliseconds).
    pub created_at: i64,
    /// When it last changed (Unix epoch milliseconds).
    pub updated_at: i64,
}

/// A social (OAuth) account connected to the user, e.g. their Google account (Clerk's
/// `ExternalAccountWithVerification`). Profile fields are what the provider reported; they
/// may differ from the user's own.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ExternalAccount {
    /// Id of the connected account (usually `eac_...`).
    pub id: String,
    /// The provider as sent, with its `oauth_` prefix: `oauth_google`, `oauth_github`, ...
    /// (clerk-js's `provider` strips the prefix); empty when missing.
    pub provider: String,
    /// Id (`idn_...`) of the identification behind the account: the `id` that
    /// [`IdentificationLink`]s of the user's addresses point at.
    pub identification_id: Option<String>,
    /// The account's id in the provider's own system (e.g. Google's `sub`).
    pub provider_user_id: Option<String>,
    /// Space-separated OAuth scopes granted.
    pub approved_scopes: Option<String>,
    /// The email address the provider reported, not necessarily the user's primary one.
    pub email_address: Option<String>,
    /// Whether the provider said the email was verified (`None` = unknown).
    pub email_address_verified: Option<bool>,
    /// The provider's username (e.g. a GitHub login), when it has one.
    pub username: Option<String>,
    /// First name the provider reported, when any.
    pub first_name: Option<String>,
    /// Last name the provider reported, when any.
    pub last_name: Option<String>,
    /// URL of the provider's profile picture, when any.
    pub image_url: Option<String>,
    /// Phone number the provider reported, when any.
    pub phone_number: Option<String>,
    /// A display label of the account, when Clerk has one (clerk-js shows it when there is
    /// neither username nor email).
    pub label: Option<String>,
    /// The OAuth verification (`oauth_<provider>`): `verified` once connected, `unverified`
    /// with an `external_verification_redirect_url` while a (re)connection is under way. `None`
    /// when sent as `null`.
    pub verification: Option<Verification>,
    /// Metadata your backend set on this connection (read-only in the browser); empty when none.
    pub public_metadata: Metadata,
    /// When Clerk created it (Unix epoch milliseconds).
    pub created_at: i64,
    /// When it last changed (Unix epoch milliseconds).
    pub updated_at: i64,
}

/// A Clerk user as the Frontend API shows it to that user (the `user` of a
/// [`Session`](super::Session)).
///
/// Identifiers and memberships are lists: use [`User::primary_email_address`],
/// [`User::primary_phone_number`] and [`User::membership`] rather than searching them.
///
/// ```
/// use yew_clerk_core::models::{EmailAddress, User};
///
/// let address = |id: &str, email: &str| EmailAddress {
///     id: id.into(),
///     email_address: email.into(),
///     verification: None,
///     reserved: false,
///     matches_sso_connection: false,
///     linked_to: Vec::new(),
///     created_at: 0,
///     updated_at: 0,
/// };
/// let user = User {
///     id: "user_1".into(),
///     first_name: Some("Ada".into()),
///     primary_email_address_id: Some("idn_2".into()),
///     email_addresses: vec![
///         address("idn_1", "old@example.com"),
///         address("idn_2", "ada@example.com"),
///     ],
///     ..User::default()
/// };
/// // The primary address is not necessarily the first one.
/// let primary = user.primary_email_address().map(|e| e.email_address.as_str());
/// assert_eq!(primary, Some("ada@example.com"));
/// assert_eq!(user.full_name().as_deref(), Some("Ada"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct User {
    /// Clerk's id of the user (`user_...`), also the `sub` of their session tokens: the key to
    /// store in your own data.
    pub id: String,
    /// Your system's id for the user, set from your backend; `None` unless you set one.
    pub external_id: Option<String>,
    /// The username, when the instance has usernames turned on and the user set one.
    pub username: Option<String>,
    /// First name; `None` when not collected or left empty (see [`User::full_name`]).
    pub first_name: Option<String>,
    /// Last name; `None` when not collected or left empty.
    pub last_name: Option<String>,
    /// URL of the profile picture: the uploaded or OAuth one, else a default avatar Clerk
    /// generates (see `has_image`); `None` only when Clerk sends none.
    pub image_url: Option<String>,
    /// Whether `image_url` is a real picture (uploaded, or copied from an OAuth account)
    /// rather than Clerk's default avatar.
    pub has_image: bool,
    /// Id of the primary address in `email_addresses`; `None` when the user has no email
    /// address. [`User::primary_email_address`] resolves it.
    pub primary_email_address_id: Option<String>,
    /// Id of the primary number in `phone_numbers`; `None` when the user has no phone number.
    /// [`User::primary_phone_number`] resolves it.
    pub primary_phone_number_id: Option<String>,
    /// Every email address of the user, the primary one included, verified or not: the first
    /// is not the main one, use [`User::primary_email_address`].
    pub email_addresses: Vec<EmailAddress>,
    /// Every phone number of the user, the primary one included, verified or not: use
    /// [`User::primary_phone_number`] for the main one.
    pub phone_numbers: Vec<PhoneNumber>,
    /// The social (OAuth) accounts connected to the user; empty when none.
    pub external_accounts: Vec<ExternalAccount>,
    /// One membership per organization the user belongs to, with role and permissions. The
    /// active organization is the session's `last_active_organization_id`; look it up with
    /// [`User::membership`].
    pub organization_memberships: Vec<OrganizationMembership>,
    /// Metadata your backend sets and the browser can only read: safe to base decisions on.
    /// Read it typed with `public_metadata_as` (feature `serde`).
    pub public_metadata: Metadata,
    /// Metadata the user can write from the browser (a sign-up's `unsafe_metadata` lands
    /// here): never trust it for authorization. Typed: `unsafe_metadata_as` (feature `serde`).
    pub unsafe_metadata: Metadata,
    /// Whether the user has a password (without one they sign in by code, link or OAuth).
    pub password_enabled: bool,
    /// Whether the user has a second factor (authenticator app or second-factor phone), so
    /// that their sign-ins stop at `needs_second_factor`.
    pub two_factor_enabled: bool,
    /// Whether an authenticator app (TOTP, strategy `totp`) is set up as a second factor.
    pub totp_enabled: bool,
    /// Whether the user has single-use backup codes (strategy `backup_code`) for the second factor.
    pub backup_code_enabled: bool,
    /// Whether your backend banned the user: they cannot sign in.
    pub banned: bool,
    /// Whether the user is locked out after too many failed verification attempts (attack
    /// protection): sign-ins fail with `user_locked` until the lockout ends.
    pub locked: bool,
    /// Whether the user may delete their own account.
    pub delete_self_enabled: bool,
    /// Whether the user may create organizations.
    pub create_organization_enabled: bool,
    /// How many organizations the user may create (0 = unlimited); `None` when not sent.
    pub create_organizations_limit: Option<u64>,
    /// When the user last signed in (Unix epoch milliseconds); `None` if never.
    pub last_sign_in_at: Option<i64>,
    /// The user's latest session activity (Unix epoch milliseconds, day precision: only the
    /// date is meaningful); `None` when unknown.
    pub last_active_at: Option<i64>,
    /// When the user accepted the legal documents (Unix epoch milliseconds); `None` unless the
    /// instance requires consent and the user gave it.
    pub legal_accepted_at: Option<i64>,
    /// When the password was last set (Unix epoch milliseconds); `None` when never set or
    /// not recorded.
    pub password_last_updated_at: Option<i64>,
    /// When the user last turned on a second factor (Unix epoch milliseconds); `None` if never.
    pub mfa_enabled_at: Option<i64>,
    /// When the user last turned off their second factors (Unix epoch milliseconds); `None` if never.
    pub mfa_disabled_at: Option<i64>,
    /// When Clerk created it (Unix epoch milliseconds).
    pub created_at: i64,
    /// When it last changed (Unix epoch milliseconds).
    pub updated_at: i64,
}

/// A user's display name from the first and last names, the way Clerk's `fullName` reads:
/// `first last`, trimmed, `None` when both are missing or blank. The one rule behind
/// [`User::full_name`] and the server's Backend API user.
///
/// ```
/// use yew_clerk_core::models::full_name;
///
/// assert_eq!(full_name(Some("Ada"), Some("Lovelace")).as_deref(), Some("Ada Lovelace"));
/// assert_eq!(full_name(None, Some("Lovelace")).as_deref(), Some("Lovelace"));
/// assert_eq!(full_name(Some(" "), None), None);
/// ```
pub fn full_name(first_name: Option<&str>, last_name: Option<&str>) -> Option<String> {
    let name = format!("{} {}", first_name.unwrap_or(""), last_name.unwrap_or(""));
    let name = name.trim();
    (!name.is_empty()).then(|| name.to_string())
}

impl User {
    /// `first_name last_name`, trimmed; `None` when both are empty (see [`full_name`]).
    pub fn full_name(&self) -> Option<String> {
        full_name(self.first_name.as_deref(), self.last_name.as_deref())
    }

    /// The address `primary_email_address_id` names (verified or not); `None` when the user
    /// has no email address or the id is not among `email_addresses`.
    pub fn primary_email_address(&self) -> Option<&EmailAddress> {
        let id = self.primary_email_address_id.as_deref()?;
        self.email_addresses.iter().find(|e| e.id == id)
    }

    /// The number `primary_phone_number_id` names; `None` when the user has no phone number
    /// or the id is not among `phone_numbers`.
    pub fn primary_phone_number(&self) -> Option<&PhoneNumber> {
        let id = self.primary_phone_number_id.as_deref()?;
        self.phone_numbers.iter().find(|p| p.id == id)
    }

    /// The user's membership in organization `organization_id` (`org_...`); `None` when not a
    /// member. For the active one, pass the session's `last_active_organization_id`.
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
