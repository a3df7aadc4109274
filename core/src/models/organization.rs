use crate::json::{Fields, FromJson, JsonError, Value};

use super::{Metadata, PublicUserData};

/// An organization (as embedded in a membership).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Organization {
    /// Organization id (`org_...`): the session's `last_active_organization_id` and the
    /// tokens' org id while it is active.
    pub id: String,
    /// Display name (not unique: key on `id` or `slug`).
    pub name: String,
    /// URL-friendly unique name (e.g. `acme-inc`); `None` when the instance has slugs off.
    pub slug: Option<String>,
    /// URL of the logo (a default image when `has_image` is false).
    pub image_url: Option<String>,
    /// Whether a logo was uploaded.
    pub has_image: bool,
    /// Number of members, when sent.
    pub members_count: Option<u64>,
    /// Number of pending invitations, when sent.
    pub pending_invitations_count: Option<u64>,
    /// Membership limit of the organization (0 = unlimited), when sent.
    pub max_allowed_memberships: Option<u64>,
    /// Whether admins may delete the organization.
    pub admin_delete_enabled: bool,
    /// Metadata your backend set on the organization (read-only in the browser); typed with
    /// `public_metadata_as` (feature `serde`).
    pub public_metadata: Metadata,
    /// When Clerk created it (Unix epoch milliseconds).
    pub created_at: i64,
    /// When it last changed (Unix epoch milliseconds).
    pub updated_at: i64,
}

/// The user's membership in an organization.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct OrganizationMembership {
    /// Membership id (`orgmem_...`), not the organization's: that is `organization.id`.
    pub id: String,
    /// The organization the user is a member of.
    pub organization: Organization,
    /// Role key with its `org:` prefix: `org:admin`, `org:member` or a custom role. `has()`
    /// role checks accept it with or without the prefix.
    pub role: String,
    /// Display name of the role (e.g. `Admin`), when sent.
    pub role_name: Option<String>,
    /// Permission keys the role grants: system ones (`org:sys_memberships:manage`, ...) and
    /// custom ones (`org:invoices:read`). System ones are never in session tokens, so a
    /// backend cannot check them.
    pub permissions: Vec<String>,
    /// Metadata your backend set on the membership (read-only in the browser).
    pub public_metadata: Metadata,
    /// Public data of the member, when sent (member lists).
    pub public_user_data: Option<PublicUserData>,
    /// When Clerk created it (Unix epoch milliseconds).
    pub created_at: i64,
    /// When it last changed (Unix epoch milliseconds).
    pub updated_at: i64,
}

/// Public data of an organization (invitations, suggestions).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PublicOrganizationData {
    /// Organization id (`org_...`).
    pub id: String,
    /// Display name of the organization.
    pub name: String,
    /// URL-friendly unique name (`acme-inc`), when slugs are enabled.
    pub slug: Option<String>,
    /// URL of the logo (a default image when `has_image` is false).
    pub image_url: Option<String>,
    /// Whether a logo was uploaded.
    pub has_image: bool,
}

impl FromJson for Organization {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        let f = Fields::of(value)?;
        f.finish(Organization {
            id: f.req("id"),
            name: f.opt("name"),
            slug: f.opt("slug"),
            image_url: f.opt("image_url"),
            has_image: f.opt("has_image"),
            members_count: f.opt("members_count"),
            pending_invitations_count: f.opt("pending_invitations_count"),
            max_allowed_memberships: f.opt("max_allowed_memberships"),
            admin_delete_enabled: f.opt("admin_delete_enabled"),
            public_metadata: f.opt("public_metadata"),
            created_at: f.opt("created_at"),
            updated_at: f.opt("updated_at"),
        })
    }
}

impl FromJson for OrganizationMembership {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        let f = Fields::of(value)?;
        f.finish(OrganizationMembership {
            id: f.req("id"),
            organization: f.req("organization"),
            role: f.req("role"),
            role_name: f.opt("role_name"),
            permissions: f.opt("permissions"),
            public_metadata: f.opt("public_metadata"),
            public_user_data: f.opt("public_user_data"),
            created_at: f.opt("created_at"),
            updated_at: f.opt("updated_at"),
        })
    }
}

impl FromJson for PublicOrganizationData {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        let f = Fields::of(value)?;
        f.finish(PublicOrganizationData {
            id: f.req("id"),
            name: f.opt("name"),
            slug: f.opt("slug"),
            image_url: f.opt("image_url"),
            has_image: f.opt("has_image"),
        })
    }
}
