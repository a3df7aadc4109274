use serde_json::{json, Value};

use crate::core::models::FromJson;

/// A user for [`MockState::SignedIn`](super::MockState::SignedIn), built step by step.
///
/// ```
/// use yew_clerk::testing::MockUser;
///
/// let user = MockUser::new("user_1")
///     .first_name("Ada")
///     .last_name("Lovelace")
///     .email("ada@example.com")
///     .org("org_1", "org:admin", &["org:billing:manage"]);
/// assert_eq!(user.to_user().map(|u| u.full_name()), Some(Some("Ada Lovelace".into())));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct MockUser {
    pub(crate) id: String,
    pub(crate) session_id: String,
    pub(crate) first_name: Option<String>,
    pub(crate) last_name: Option<String>,
    pub(crate) username: Option<String>,
    pub(crate) emails: Vec<String>,
    /// `(org id, role, permissions)`.
    pub(crate) orgs: Vec<(String, String, Vec<String>)>,
    pub(crate) active_org: Option<String>,
    pub(crate) features: Vec<String>,
    pub(crate) plans: Vec<String>,
    pub(crate) public_metadata: serde_json::Map<String, Value>,
    pub(crate) pending: bool,
}

impl MockUser {
    /// A user with this id and a session `sess_<id>`.
    pub fn new(id: impl Into<String>) -> Self {
        let id = id.into();
        MockUser {
            session_id: format!("sess_{}", id.trim_start_matches("user_")),
            id,
            first_name: None,
            last_name: None,
            username: None,
            emails: Vec::new(),
            orgs: Vec::new(),
            active_org: None,
            features: Vec::new(),
            plans: Vec::new(),
            public_metadata: serde_json::Map::new(),
            pending: false,
        }
    }

    /// Sets the session id (default `sess_<id without user_>`).
    pub fn session_id(mut self, id: impl Into<String>) -> Self {
        self.session_id = id.into();
        self
    }

    /// Sets the first name.
    pub fn first_name(mut self, name: impl Into<String>) -> Self {
        self.first_name = Some(name.into());
        self
    }

    /// Sets the last name.
    pub fn last_name(mut self, name: impl Into<String>) -> Self {
        self.last_name = Some(name.into());
        self
    }

    /// Sets the username.
    pub fn username(mut self, name: impl Into<String>) -> Self {
        self.username = Some(name.into());
        self
    }

    /// Adds an email address (the first one is the primary address).
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.emails.push(email.into());
        self
    }

    /// Adds an organization membership; the first one added is the active organization.
    pub fn org(mut self, id: &str, role: &str, permissions: &[&str]) -> Self {
        if self.active_org.is_none() && self.orgs.is_empty() {
            self.active_org = Some(id.to_string());
        }
        self.orgs.push((
            id.to_string(),
            role.to_string(),
            permissions.iter().map(|p| p.to_string()).collect(),
        ));
        self
    }

    /// Selects the active organization (`None`: the personal account).
    pub fn active_org(mut self, id: Option<&str>) -> Self {
        self.active_org = id.map(str::to_string);
        self
    }

    /// Adds a feature claim entry (`o:dashboard`, `u:beta`).
    pub fn feature(mut self, feature: impl Into<String>) -> Self {
        self.features.push(feature.into());
        self
    }

    /// Adds a plan claim entry (`u:pro`, `o:team`).
    pub fn plan(mut self, plan: impl Into<String>) -> Self {
        self.plans.push(plan.into());
        self
    }

    /// Sets a `public_metadata` entry.
    pub fn public_metadata(mut self, key: impl Into<String>, value: Value) -> Self {
        self.public_metadata.insert(key.into(), value);
        self
    }

    /// Makes the session `pending` (reads as signed out in `use_auth`).
    pub fn pending(mut self) -> Self {
        self.pending = true;
        self
    }

    fn user_json(&self) -> Value {
        let emails: Vec<Value> = self
            .emails
            .iter()
            .enumerate()
            .map(|(i, e)| {
                json!({"id": format!("idn_{}_{i}", self.id), "email_address": e,
                       "verification": {"status": "verified", "strategy": "email_code"}})
            })
            .collect();
        let memberships: Vec<Value> = self
            .orgs
            .iter()
            .map(|(id, role, perms)| {
                json!({"id": format!("orgmem_{id}"), "role": role, "permissions": perms,
                       "organization": {"id": id, "name": id, "slug": id}})
            })
            .collect();
        json!({
            "id": self.id,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "username": self.username,
            "primary_email_address_id": (!self.emails.is_empty()).then(|| format!("idn_{}_0", self.id)),
            "email_addresses": emails,
            "organization_memberships": memberships,
            "public_metadata": self.public_metadata,
            "password_enabled": true,
        })
    }

    /// The [`User`](crate::core::models::User) model (`None` only if the models changed
    /// incompatibly).
    pub fn to_user(&self) -> Option<crate::core::models::User> {
        crate::core::models::User::from_json_str(&self.user_json().to_string()).ok()
    }

    /// The [`Client`](crate::core::models::Client) with this user's one session.
    pub(crate) fn to_client(&self) -> Option<crate::core::models::Client> {
        let status = if self.pending { "pending" } else { "active" };
        crate::core::models::Client::from_json_str(
            &json!({
                "id": "client_mock",
                "sessions": [{
                    "id": self.session_id,
                    "status": status,
                    "last_active_organization_id": self.active_org,
                    "user": self.user_json(),
                    "public_user_data": {"first_name": self.first_name, "last_name": self.last_name,
                                         "identifier": self.emails.first(), "user_id": self.id},
                }],
                "last_active_session_id": self.session_id,
            })
            .to_string(),
        )
        .ok()
    }
}
