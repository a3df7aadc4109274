//! The in-memory store: users, organizations, clients, sessions, sign-ins/ups, dev browsers.
//!
//! Everything lives behind one `std::sync::Mutex` in [`App`]; handlers are
//! synchronous and never hold the lock across an `.await`.

mod attempts;
mod clients;
mod sessions;
mod users;

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use rand::Rng;

use crate::config::{ClaimsVersion, Config, InstanceType, SeedUser, Template};
use crate::faults::Fault;
use crate::tokens::Keys;

pub use attempts::{SignIn, SignUp, Verification};
pub use clients::{Client, DevBrowser};
pub use sessions::{Session, SessionStatus};
pub use users::{admin_permissions, member_permissions, Membership, Mfa, Org, Phone, User};

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
    /// Clerk's session minter (`auth_config.session_minter`; see
    /// [`crate::config::Config::session_minter`]).
    pub session_minter: bool,
    /// Handshake payloads of `format=nonce` handshakes: nonce → (directives, expiry ms).
    pub handshake_nonces: HashMap<String, (Vec<String>, i64)>,
    /// OAuth: provider accounts, flows in progress, linked external accounts.
    pub oauth: crate::routes::oauth::OAuthStore,
    /// Session reverifications in progress and second-factor verification times.
    pub reverification: crate::routes::session_verify::Reverifications,
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
    /// `session_minter` configured at startup (reset restores it).
    pub session_minter: bool,
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
            session_minter: config.session_minter,
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
            session_minter: self.instance.session_minter,
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
