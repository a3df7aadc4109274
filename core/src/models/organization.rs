use crate::json::{Fields, FromJson, JsonError, Value};

use super::{Metadata, PublicUserData};

/// An organization (as embedded in a membership).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Organization {
    /// `org_...`
    pub id: String,
    /// Display name.
    pub name: String,
    /// URL-friendly slug.
    pub slug: Option<String>,
    /// Logo URL.
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
    /// Public metadata.
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
    /// `orgmem_...`
    pub id: String,
    /// The organization.
    pub organization: Organization,
    /// Role key, e.g. `org:admin`.
    pub role: String,
    /// Human-readable role name, when sent.
    pub role_name: Option<String>,
    /// Permission keys, e.g. `org:sys_memberships:manage`.
    pub permissions: Vec<String>,
    /// Public metadata of the membership.
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
    /// `org_...`
    pub id: String,
    /// Display name of the organization.
    pub name: String,
    /// URL-friendly unique name (`acme-inc`), when slugs are enabled.
    pub slug: Option<String>,
    /// Logo URL.
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
