//! Users (with their phones and second factors), organizations and memberships.

use serde_json::{json, Value};

use super::{new_id, now_ms, Store};

/// A user.
#[derive(Debug, Clone)]
pub struct User {
    /// `user_…`
    pub id: String,
    /// Id of the primary email address (`idn_…`).
    pub email_id: String,
    /// Primary email address.
    pub email: String,
    /// Password (plain: this is a test server).
    pub password: Option<String>,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Username.
    pub username: Option<String>,
    /// `public_metadata`.
    pub public_metadata: Value,
    /// `unsafe_metadata`.
    pub unsafe_metadata: Value,
    /// Last sign-in, ms.
    pub last_sign_in_at: Option<i64>,
    /// Creation time, ms.
    pub created_at: i64,
    /// Last change, ms.
    pub updated_at: i64,
    /// Phone numbers and second factors (set through `POST /__emulator/users/{id}/mfa`).
    pub mfa: Mfa,
}

/// A user's phone numbers and second factors.
#[derive(Debug, Clone, Default)]
pub struct Mfa {
    /// Base32 TOTP secret (RFC 6238); `Some` means the `totp` second factor is on.
    pub totp_secret: Option<String>,
    /// Unused backup codes (each works once).
    pub backup_codes: Vec<String>,
    /// Verified phone numbers.
    pub phones: Vec<Phone>,
}

impl Mfa {
    /// Whether sign-ins of this user stop at `needs_second_factor`.
    pub fn enabled(&self) -> bool {
        self.totp_secret.is_some()
            || !self.backup_codes.is_empty()
            || self.phones.iter().any(|p| p.second_factor)
    }
}

/// A verified phone number.
#[derive(Debug, Clone)]
pub struct Phone {
    /// `idn_…`
    pub id: String,
    /// E.164 number (`+15555550100`).
    pub number: String,
    /// Reserved for the `phone_code` second factor (else a first factor / identifier).
    pub second_factor: bool,
}

/// An organization.
#[derive(Debug, Clone)]
pub struct Org {
    /// `org_…`
    pub id: String,
    /// Display name.
    pub name: String,
    /// URL slug.
    pub slug: String,
    /// `public_metadata`.
    pub public_metadata: Value,
    /// Creation time, ms.
    pub created_at: i64,
    /// Last change, ms.
    pub updated_at: i64,
}

/// A user's membership in an organization.
#[derive(Debug, Clone)]
pub struct Membership {
    /// `orgmem_…`
    pub id: String,
    /// Organization id.
    pub org_id: String,
    /// User id.
    pub user_id: String,
    /// Role key, e.g. `org:admin`.
    pub role: String,
    /// Permission keys, e.g. `org:sys_memberships:manage`.
    pub permissions: Vec<String>,
    /// Creation time, ms.
    pub created_at: i64,
    /// Last change, ms.
    pub updated_at: i64,
}

impl Store {
    /// A user by id.
    pub fn user(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }

    /// A user by email address or username (case-insensitive).
    pub fn user_by_identifier(&self, ident: &str) -> Option<&User> {
        let ident = ident.trim().to_lowercase();
        self.users.iter().find(|u| {
            u.email.to_lowercase() == ident
                || u.username.as_deref().map(str::to_lowercase).as_deref() == Some(ident.as_str())
                || u.mfa
                    .phones
                    .iter()
                    .any(|p| !p.second_factor && p.number == ident)
        })
    }

    /// An organization by id.
    pub fn org(&self, id: &str) -> Option<&Org> {
        self.orgs.iter().find(|o| o.id == id)
    }

    /// A user's membership in an organization.
    pub fn membership(&self, user_id: &str, org_id: &str) -> Option<&Membership> {
        self.memberships
            .iter()
            .find(|m| m.user_id == user_id && m.org_id == org_id)
    }

    /// Adds a user; fails when the email address is taken.
    pub fn add_user(
        &mut self,
        email: &str,
        password: Option<&str>,
        first: Option<&str>,
        last: Option<&str>,
        username: Option<&str>,
    ) -> Result<String, String> {
        if self.user_by_identifier(email).is_some() {
            return Err(format!("a user with email {email} already exists"));
        }
        let now = now_ms();
        let id = new_id("user");
        self.users.push(User {
            id: id.clone(),
            email_id: new_id("idn"),
            email: email.trim().to_string(),
            password: password.map(str::to_string),
            first_name: first.map(str::to_string),
            last_name: last.map(str::to_string),
            username: username.map(str::to_string),
            public_metadata: json!({}),
            unsafe_metadata: json!({}),
            last_sign_in_at: None,
            created_at: now,
            updated_at: now,
            mfa: Mfa::default(),
        });
        Ok(id)
    }

    /// Adds an organization and returns its id.
    pub fn add_org(&mut self, name: &str, slug: &str) -> String {
        let now = now_ms();
        let id = new_id("org");
        self.orgs.push(Org {
            id: id.clone(),
            name: name.to_string(),
            slug: slug.to_string(),
            public_metadata: json!({}),
            created_at: now,
            updated_at: now,
        });
        id
    }

    /// Adds (or replaces) a membership, bumping the user's `updated_at` so clients notice.
    pub fn add_membership(
        &mut self,
        org_id: &str,
        user_id: &str,
        role: &str,
        permissions: Vec<String>,
    ) {
        let now = now_ms();
        self.memberships
            .retain(|m| !(m.org_id == org_id && m.user_id == user_id));
        self.memberships.push(Membership {
            id: new_id("orgmem"),
            org_id: org_id.to_string(),
            user_id: user_id.to_string(),
            role: role.to_string(),
            permissions,
            created_at: now,
            updated_at: now,
        });
        if let Some(u) = self.users.iter_mut().find(|u| u.id == user_id) {
            u.updated_at = now;
        }
    }
}

/// System permissions of Clerk's default `org:admin` role.
pub fn admin_permissions() -> Vec<String> {
    [
        "org:sys_domains:manage",
        "org:sys_domains:read",
        "org:sys_memberships:manage",
        "org:sys_memberships:read",
        "org:sys_profile:delete",
        "org:sys_profile:manage",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// System permissions of Clerk's default `org:member` role.
pub fn member_permissions() -> Vec<String> {
    ["org:sys_memberships:read"]
        .iter()
        .map(|s| s.to_string())
        .collect()
}
