use serde::{Deserialize, Serialize};

use super::{null_as_default, Metadata, PublicUserData};

/// An organization (as embedded in a membership).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organization {
    /// `org_...`
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// URL-friendly slug.
    #[serde(default)]
    pub slug: Option<String>,
    /// Logo URL.
    #[serde(default)]
    pub image_url: Option<String>,
    /// Whether a logo was uploaded.
    #[serde(default)]
    pub has_image: bool,
    /// Number of members, when sent.
    #[serde(default)]
    pub members_count: Option<u64>,
    /// Number of pending invitations, when sent.
    #[serde(default)]
    pub pending_invitations_count: Option<u64>,
    /// Membership limit of the organization (0 = unlimited), when sent.
    #[serde(default)]
    pub max_allowed_memberships: Option<u64>,
    /// Whether admins may delete the organization.
    #[serde(default)]
    pub admin_delete_enabled: bool,
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

/// The user's membership in an organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganizationMembership {
    /// `orgmem_...`
    pub id: String,
    /// The organization.
    pub organization: Organization,
    /// Role key, e.g. `org:admin`.
    pub role: String,
    /// Human-readable role name, when sent.
    #[serde(default)]
    pub role_name: Option<String>,
    /// Permission keys, e.g. `org:sys_memberships:manage`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub permissions: Vec<String>,
    /// Public metadata of the membership.
    #[serde(default, deserialize_with = "null_as_default")]
    pub public_metadata: Metadata,
    /// Public data of the member, when sent (member lists).
    #[serde(default)]
    pub public_user_data: Option<PublicUserData>,
    /// ms
    #[serde(default)]
    pub created_at: i64,
    /// ms
    #[serde(default)]
    pub updated_at: i64,
}

/// Public data of an organization (invitations, suggestions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicOrganizationData {
    /// `org_...`
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Slug.
    #[serde(default)]
    pub slug: Option<String>,
    /// Logo URL.
    #[serde(default)]
    pub image_url: Option<String>,
    /// Whether a logo was uploaded.
    #[serde(default)]
    pub has_image: bool,
}
