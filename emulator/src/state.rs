//! The in-memory store: users, organizations, clients, sessions, sign-ins/ups, dev browsers.
//!
//! Everything lives behind one `std::sync::Mutex` in [`App`]; handlers are
//! synchronous and never hold the lock across an `.await`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use rand::Rng;
use serde_json::{json, Value};

use crate::config::{ClaimsVersion, Config, InstanceType, SeedUser, Template};
use crate::faults::Fault;
use crate::tokens::Keys;

/// Session lifetime (Clerk's default: 7 days) in ms.
pub const SESSION_LIFETIME_MS: i64 = 7 * 24 * 3600 * 1000;
/// Inactivity timeout after which a session is abandoned (Clerk's default: 30 days) in ms.
pub const ABANDON_MS: i64 = 30 * 24 * 3600 * 1000;
/// Lifetime of sign-in / sign-up attempts and email codes in ms.
pub const ATTEMPT_MS: i64 = 24 * 3600 * 1000;
/// Lifetime of an email code in ms (Clerk: 10 minutes).
pub const CODE_MS: i64 = 10 * 60 * 1000;

/// Milliseconds since the Unix epoch (FAPI timestamps are in ms).
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// `n` random bytes as lowercase hex.
pub fn random_hex(n: usize) -> String {
    let mut rng = rand::thread_rng();
    (0..n).map(|_| format!("{:02x}", rng.gen::<u8>())).collect()
}

/// A Clerk-looking id: `prefix_` + 27 base62 characters.
pub fn new_id(prefix: &str) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut rng = rand::thread_rng();
    let tail: String = (0..27)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect();
    format!("{prefix}_{tail}")
}

/// A six-digit email code.
pub fn new_code() -> String {
    format!("{:06}", rand::thread_rng().gen_range(0..1_000_000))
}

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

/// Session status (FAPI's `Client.SessionBase-2.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStatus {
    /// Signed in.
    Active,
    /// Ended by the user (`…/end`).
    Ended,
    /// Removed from the client (`…/remove`, sign-out).
    Removed,
    /// Revoked from the backend (control API).
    Revoked,
    /// Past `expire_at`.
    Expired,
    /// Past `abandon_at`.
    Abandoned,
    /// Signed in with tasks left (`tasks`); here only `choose-organization`, when
    /// [`Store::force_organization_selection`] is on and the session has no organization.
    Pending,
}

impl SessionStatus {
    /// Wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            SessionStatus::Active => "active",
            SessionStatus::Ended => "ended",
            SessionStatus::Removed => "removed",
            SessionStatus::Revoked => "revoked",
            SessionStatus::Expired => "expired",
            SessionStatus::Abandoned => "abandoned",
            SessionStatus::Pending => "pending",
        }
    }

    /// Whether the session is signed in: `active`, or `pending` (signed in, tasks left).
    /// Only these are listed in the client, mint tokens and can be touched or signed out.
    pub fn is_signed_in(self) -> bool {
        matches!(self, SessionStatus::Active | SessionStatus::Pending)
    }
}

/// A session.
#[derive(Debug, Clone)]
pub struct Session {
    /// `sess_…`
    pub id: String,
    /// Owning client.
    pub client_id: String,
    /// Signed-in user.
    pub user_id: String,
    /// Current status.
    pub status: SessionStatus,
    /// Active organization (`last_active_organization_id`).
    pub active_org_id: Option<String>,
    /// When the first factor was verified, ms (for `fva`).
    pub first_factor_at: i64,
    /// Last touch, ms.
    pub last_active_at: i64,
    /// Hard expiry, ms.
    pub expire_at: i64,
    /// Inactivity expiry, ms.
    pub abandon_at: i64,
    /// Creation time, ms.
    pub created_at: i64,
    /// Last change, ms.
    pub updated_at: i64,
}

/// A client (one browser).
#[derive(Debug, Clone)]
pub struct Client {
    /// `client_…`
    pub id: String,
    /// Opaque value of the `__client` cookie (production).
    pub cookie_token: String,
    /// Sessions in creation order.
    pub session_ids: Vec<String>,
    /// Current sign-in attempt.
    pub sign_in_id: Option<String>,
    /// Current sign-up attempt.
    pub sign_up_id: Option<String>,
    /// `last_active_session_id`.
    pub last_active_session_id: Option<String>,
    /// `last_authentication_strategy`.
    pub last_authentication_strategy: Option<String>,
    /// Creation time, ms.
    pub created_at: i64,
    /// Last change, ms.
    pub updated_at: i64,
}

/// A one-time-code verification (sign-in first factor or sign-up email).
#[derive(Debug, Clone)]
pub struct Verification {
    /// `password`, `email_code`, `phone_code`, `reset_password_email_code`, `totp`,
    /// `backup_code`.
    pub strategy: String,
    /// `unverified`, `verified`, `failed`, `expired`.
    pub status: String,
    /// Attempts so far.
    pub attempts: Option<i64>,
    /// Expiry, ms.
    pub expire_at: i64,
    /// Pending code for `email_code`.
    pub code: Option<String>,
}

/// A sign-in attempt.
#[derive(Debug, Clone)]
pub struct SignIn {
    /// `sia_…`
    pub id: String,
    /// Owning client.
    pub client_id: String,
    /// `needs_identifier`, `needs_first_factor`, `needs_second_factor`,
    /// `needs_new_password`, `complete`.
    pub status: String,
    /// Identifier as given.
    pub identifier: Option<String>,
    /// Resolved user.
    pub user_id: Option<String>,
    /// First factor verification.
    pub first_factor: Option<Verification>,
    /// Second factor verification (`totp`, `phone_code`, `backup_code`).
    pub second_factor: Option<Verification>,
    /// Session created on completion.
    pub created_session_id: Option<String>,
    /// Abandon time, ms.
    pub abandon_at: i64,
    /// OAuth first factor (`strategy=oauth_*`), see `routes/oauth.rs`.
    pub oauth: Option<crate::routes::oauth::OAuthVerification>,
}

/// A sign-up attempt.
#[derive(Debug, Clone)]
pub struct SignUp {
    /// `sua_…`
    pub id: String,
    /// Owning client.
    pub client_id: String,
    /// `missing_requirements` or `complete`.
    pub status: String,
    /// Email address.
    pub email: Option<String>,
    /// Password.
    pub password: Option<String>,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Username.
    pub username: Option<String>,
    /// `unsafe_metadata`.
    pub unsafe_metadata: Value,
    /// Email verification.
    pub email_verification: Option<Verification>,
    /// User created on completion.
    pub created_user_id: Option<String>,
    /// Session created on completion.
    pub created_session_id: Option<String>,
    /// Abandon time, ms.
    pub abandon_at: i64,
    /// External account verification (`strategy=oauth_*`), see `routes/oauth.rs`.
    pub oauth: Option<crate::routes::oauth::OAuthVerification>,
}

/// A development browser (`dvb_…`), the dev-instance stand-in for the `__client` cookie.
#[derive(Debug, Clone)]
pub struct DevBrowser {
    /// `dvb_…`
    pub id: String,
    /// Linked client, once one exists.
    pub client_id: Option<String>,
    /// Creation time, ms.
    pub created_at: i64,
    /// Last change, ms.
    pub updated_at: i64,
}

/// One entry of the request log (`GET /__emulator/requests`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct LogEntry {
    /// Effective method (honours `_method`).
    pub method: String,
    /// Method on the wire.
    pub wire_method: String,
    /// Path without query.
    pub path: String,
    /// Raw query string.
    pub query: String,
    /// Response status; 0 when the connection was dropped by a fault.
    pub status: u16,
    /// Milliseconds since the Unix epoch when the request arrived.
    pub at_ms: i64,
}

/// All mutable data.
#[derive(Debug, Default)]
pub struct Store {
    /// Users in creation order.
    pub users: Vec<User>,
    /// Organizations.
    pub orgs: Vec<Org>,
    /// Memberships.
    pub memberships: Vec<Membership>,
    /// Clients by id.
    pub clients: HashMap<String, Client>,
    /// Sessions by id.
    pub sessions: HashMap<String, Session>,
    /// Sign-ins by id.
    pub sign_ins: HashMap<String, SignIn>,
    /// Sign-ups by id.
    pub sign_ups: HashMap<String, SignUp>,
    /// Dev browsers by id.
    pub dev_browsers: HashMap<String, DevBrowser>,
    /// Last email code sent, by lower-cased email address.
    pub codes: HashMap<String, String>,
    /// Current session token lifetime (settable at runtime).
    pub token_lifetime_secs: u64,
    /// Lifetime of new sessions in ms (`expire_at`; settable at runtime to test expiry).
    pub session_lifetime_ms: i64,
    /// Clerk's "force organization selection": new sessions without an organization are
    /// `pending` with the `choose-organization` task until a touch selects one.
    pub force_organization_selection: bool,
    /// Handshake payloads of `format=nonce` handshakes: nonce → (directives, expiry ms).
    pub handshake_nonces: HashMap<String, (Vec<String>, i64)>,
    /// OAuth: provider accounts, flows in progress, linked external accounts.
    pub oauth: crate::routes::oauth::OAuthStore,
    /// Session reverifications in progress and second-factor verification times.
    pub reverification: crate::routes::session_verify::Reverifications,
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

    /// Creates a client and returns its id.
    pub fn new_client(&mut self) -> String {
        let now = now_ms();
        let id = new_id("client");
        self.clients.insert(
            id.clone(),
            Client {
                id: id.clone(),
                cookie_token: random_hex(24),
                session_ids: Vec::new(),
                sign_in_id: None,
                sign_up_id: None,
                last_active_session_id: None,
                last_authentication_strategy: None,
                created_at: now,
                updated_at: now,
            },
        );
        id
    }

    /// Marks a client changed (`updated_at`), so clerk-js re-emits state.
    pub fn touch_client(&mut self, client_id: &str) {
        let now = now_ms();
        if let Some(c) = self.clients.get_mut(client_id) {
            c.updated_at = now.max(c.updated_at + 1);
        }
    }

    /// Creates a session for `user_id` on `client_id` and makes it the last active one: `active`,
    /// or `pending` when [`Store::force_organization_selection`] is on (a new session has no
    /// organization yet).
    pub fn create_session(&mut self, client_id: &str, user_id: &str, strategy: &str) -> String {
        let now = now_ms();
        let id = new_id("sess");
        let status = if self.force_organization_selection {
            SessionStatus::Pending
        } else {
            SessionStatus::Active
        };
        self.sessions.insert(
            id.clone(),
            Session {
                id: id.clone(),
                client_id: client_id.to_string(),
                user_id: user_id.to_string(),
                status,
                active_org_id: None,
                first_factor_at: now,
                last_active_at: now,
                expire_at: now.saturating_add(self.session_lifetime_ms),
                abandon_at: now + ABANDON_MS,
                created_at: now,
                updated_at: now,
            },
        );
        if let Some(u) = self.users.iter_mut().find(|u| u.id == user_id) {
            u.last_sign_in_at = Some(now);
            u.updated_at = now;
        }
        if let Some(c) = self.clients.get_mut(client_id) {
            c.session_ids.push(id.clone());
            c.last_active_session_id = Some(id.clone());
            c.last_authentication_strategy = Some(strategy.to_string());
        }
        self.touch_client(client_id);
        id
    }

    /// Changes a session's status (end/remove/revoke) and fixes the client's
    /// `last_active_session_id` to another active session or `null`.
    pub fn set_session_status(&mut self, session_id: &str, status: SessionStatus) {
        let now = now_ms();
        let client_id = match self.sessions.get_mut(session_id) {
            Some(s) => {
                s.status = status;
                s.updated_at = now.max(s.updated_at + 1);
                s.client_id.clone()
            }
            None => return,
        };
        self.fix_last_active(&client_id);
        self.touch_client(&client_id);
    }

    /// Ends every signed-in session of a client with `status` (sign-out of all, client
    /// destroyed).
    pub fn set_signed_in_sessions_status(&mut self, client_id: &str, status: SessionStatus) {
        let ids: Vec<String> = self
            .signed_in_sessions(client_id)
            .iter()
            .map(|s| s.id.clone())
            .collect();
        for id in ids {
            self.set_session_status(&id, status);
        }
    }

    /// Points `last_active_session_id` at the newest signed-in session (or `null`).
    pub fn fix_last_active(&mut self, client_id: &str) {
        let Some(client) = self.clients.get(client_id) else {
            return;
        };
        let current_ok = client
            .last_active_session_id
            .as_ref()
            .and_then(|id| self.sessions.get(id))
            .is_some_and(|s| s.status.is_signed_in());
        if current_ok {
            return;
        }
        let next = self
            .signed_in_sessions(client_id)
            .last()
            .map(|s| s.id.clone());
        if let Some(c) = self.clients.get_mut(client_id) {
            c.last_active_session_id = next;
        }
    }

    /// Applies `expire_at` / `abandon_at` to signed-in sessions.
    pub fn enforce_expiry(&mut self, now: i64) {
        let expired: Vec<(String, SessionStatus)> = self
            .sessions
            .values()
            .filter(|s| s.status.is_signed_in())
            .filter_map(|s| {
                if now >= s.expire_at {
                    Some((s.id.clone(), SessionStatus::Expired))
                } else if now >= s.abandon_at {
                    Some((s.id.clone(), SessionStatus::Abandoned))
                } else {
                    None
                }
            })
            .collect();
        for (id, st) in expired {
            self.set_session_status(&id, st);
        }
    }

    /// Signed-in (`active` or `pending`) sessions of a client, in creation order.
    pub fn signed_in_sessions(&self, client_id: &str) -> Vec<&Session> {
        self.clients
            .get(client_id)
            .map(|c| {
                c.session_ids
                    .iter()
                    .filter_map(|id| self.sessions.get(id))
                    .filter(|s| s.status.is_signed_in())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Remembers the last email code sent to an address (readable via the control API).
    pub fn remember_code(&mut self, email: &str, code: &str) {
        self.codes
            .insert(email.trim().to_lowercase(), code.to_string());
    }
}

/// Fixed, per-process facts about the instance.
#[derive(Debug, Clone)]
pub struct Instance {
    /// Development or production.
    pub kind: InstanceType,
    /// `ins_…`, also the JWKS `kid`.
    pub id: String,
    /// Frontend API host (the host encoded in the key; `iss` = `https://<host>`).
    pub frontend_api: String,
    /// The publishable key.
    pub publishable_key: String,
    /// The Backend API secret key (`Authorization: Bearer` on `/bapi/v1/…`).
    pub secret_key: crate::tokens::SecretKey,
    /// Public base URL of this emulator (what clients pass as `proxyUrl`).
    pub proxy_url: String,
    /// JWT templates.
    pub templates: Vec<Template>,
    /// Claim profile.
    pub claims: ClaimsVersion,
    /// Seed users (reset restores them).
    pub seed_users: Vec<SeedUser>,
    /// Whether to seed the demo organization.
    pub seed_org: bool,
    /// Token lifetime configured at startup (reset restores it).
    pub default_token_lifetime_secs: u64,
    /// `force_organization_selection` configured at startup (reset restores it).
    pub force_organization_selection: bool,
}

impl Instance {
    /// The Backend API URL (`CLERK_API_URL`): `{proxy_url}/bapi`.
    pub fn backend_api_url(&self) -> String {
        format!("{}{}", self.proxy_url, crate::bapi::BASE_PATH)
    }
}

/// Shared application state.
#[derive(Debug)]
pub struct App {
    /// Instance facts.
    pub instance: Instance,
    /// Signing keys.
    pub keys: Keys,
    /// Mutable data.
    pub store: Mutex<Store>,
    /// Injected faults.
    pub faults: Mutex<Vec<Fault>>,
    /// Request log.
    pub log: Mutex<Vec<LogEntry>>,
}

impl App {
    /// Builds the state for `config`, served at `proxy_url`.
    pub fn new(config: &Config, proxy_url: String, keys: Keys, instance_id: String) -> App {
        let frontend_api = config
            .frontend_api
            .clone()
            .unwrap_or_else(|| crate::config::default_frontend_api(config.instance).to_string());
        let publishable_key = crate::tokens::publishable_key(config.instance, &frontend_api);
        let seed_users = if config.users.is_empty() {
            vec![SeedUser::demo()]
        } else {
            config.users.clone()
        };
        let instance = Instance {
            kind: config.instance,
            id: instance_id,
            frontend_api,
            publishable_key,
            secret_key: crate::tokens::SecretKey::generate(config.instance),
            proxy_url,
            templates: config.templates.clone(),
            claims: config.claims,
            seed_users,
            seed_org: config.seed_org,
            default_token_lifetime_secs: config.token_lifetime_secs,
            force_organization_selection: config.force_organization_selection,
        };
        let app = App {
            instance,
            keys,
            store: Mutex::new(Store::default()),
            faults: Mutex::new(Vec::new()),
            log: Mutex::new(Vec::new()),
        };
        app.reset();
        app
    }

    /// Locks the store, recovering from a poisoned lock (a panicked handler must
    /// not take the whole emulator down).
    pub fn store(&self) -> std::sync::MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Drops clients, sessions, dev browsers, faults and the log; re-seeds users and orgs.
    pub fn reset(&self) {
        let mut store = Store {
            token_lifetime_secs: self.instance.default_token_lifetime_secs,
            session_lifetime_ms: SESSION_LIFETIME_MS,
            force_organization_selection: self.instance.force_organization_selection,
            ..Store::default()
        };
        let mut first_user = None;
        for u in &self.instance.seed_users {
            if let Ok(id) = store.add_user(
                &u.email,
                Some(&u.password),
                u.first_name.as_deref(),
                u.last_name.as_deref(),
                None,
            ) {
                first_user.get_or_insert(id);
            }
        }
        if self.instance.seed_org {
            if let Some(uid) = first_user {
                let org = store.add_org("Demo Org", "demo-org");
                store.add_membership(&org, &uid, "org:admin", admin_permissions());
            }
        }
        *self.store() = store;
        self.faults
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        self.log.lock().unwrap_or_else(|e| e.into_inner()).clear();
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
