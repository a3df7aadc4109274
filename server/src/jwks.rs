//! Where verification keys come from (`keys.ts` of `@clerk/backend`): a PEM public key
//! (`CLERK_JWT_KEY`, networkless), or a JWKS fetched from the Frontend API or the Backend API
//! and cached.
//!
//! The cache: keys are kept for a TTL (Clerk's 1 hour); a token whose `kid` is unknown
//! triggers a refetch (key rotation), but at most one per [`JwksSettings::min_refetch_interval`],
//! and concurrent misses share one fetch (single flight), so a flood of tokens with random
//! `kid`s costs at most one request per interval. No lock is held across the fetch: the
//! state lock only guards swapping pointers, the fetch runs in a shared `OnceCell`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::{AlgorithmParameters, JwkSet};
use jsonwebtoken::DecodingKey;
use tokio::sync::OnceCell;

use crate::reason::Reason;
use crate::verify::VerifyError;

/// Public keys by `kid`.
#[derive(Clone, Default)]
pub struct KeySet {
    keys: HashMap<String, DecodingKey>,
}

impl std::fmt::Debug for KeySet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeySet")
            .field("kids", &self.keys.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl KeySet {
    /// Parses a JWKS document, keeping the RSA keys with a `kid` whose `alg` (if any) is
    /// RS256. Fails with [`Reason::JwkRemoteInvalid`] on a document that is not a JWKS.
    pub fn from_jwks_json(json: &str) -> Result<KeySet, VerifyError> {
        let set: JwkSet = serde_json::from_str(json).map_err(|e| {
            VerifyError::new(
                Reason::JwkRemoteInvalid,
                format!("invalid JWKS document: {e}"),
            )
        })?;
        let mut keys = HashMap::new();
        for jwk in &set.keys {
            let (Some(kid), AlgorithmParameters::RSA(_)) = (&jwk.common.key_id, &jwk.algorithm)
            else {
                continue;
            };
            if jwk
                .common
                .key_algorithm
                .is_some_and(|a| a != jsonwebtoken::jwk::KeyAlgorithm::RS256)
            {
                continue;
            }
            if let Ok(key) = DecodingKey::from_jwk(jwk) {
                keys.insert(kid.clone(), key);
            }
        }
        Ok(KeySet { keys })
    }

    /// Adds a key.
    pub fn insert(&mut self, kid: impl Into<String>, key: DecodingKey) {
        self.keys.insert(kid.into(), key);
    }

    /// The key for `kid`.
    pub fn get(&self, kid: &str) -> Option<&DecodingKey> {
        self.keys.get(kid)
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// True without keys.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// Cache settings.
#[derive(Debug, Clone, Copy)]
pub struct JwksSettings {
    /// How long a fetched JWKS is used before it is refetched (Clerk: 1 hour).
    pub ttl: Duration,
    /// Minimum time between two fetches caused by unknown `kid`s.
    pub min_refetch_interval: Duration,
    /// Timeout of one fetch (connect + response).
    pub timeout: Duration,
}

impl Default for JwksSettings {
    fn default() -> Self {
        JwksSettings {
            ttl: Duration::from_secs(3600),
            min_refetch_interval: Duration::from_secs(5),
            timeout: Duration::from_secs(5),
        }
    }
}

/// A remote JWKS endpoint.
#[derive(Clone)]
pub struct JwksEndpoint {
    /// The JWKS URL (`<fapi>/.well-known/jwks.json` or `<api>/v1/jwks`).
    pub url: String,
    /// Sent as `Authorization: Bearer` (the Backend API needs the secret key).
    pub bearer: Option<String>,
}

impl std::fmt::Debug for JwksEndpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwksEndpoint")
            .field("url", &self.url)
            .field("bearer", &self.bearer.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

type FetchResult = Result<Arc<KeySet>, VerifyError>;

#[derive(Default)]
struct CacheState {
    keys: Option<Arc<KeySet>>,
    fetched_at: Option<Instant>,
    last_attempt: Option<Instant>,
    inflight: Option<Arc<OnceCell<FetchResult>>>,
}

/// A cached remote JWKS (see the module docs for the rules).
pub struct JwksCache {
    endpoint: JwksEndpoint,
    settings: JwksSettings,
    http: reqwest::Client,
    state: Mutex<CacheState>,
    fetches: std::sync::atomic::AtomicU64,
}

impl std::fmt::Debug for JwksCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwksCache")
            .field("endpoint", &self.endpoint)
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl JwksCache {
    /// A cache for `endpoint` (nothing is fetched yet).
    pub fn new(endpoint: JwksEndpoint, settings: JwksSettings, http: reqwest::Client) -> Self {
        JwksCache {
            endpoint,
            settings,
            http,
            state: Mutex::new(CacheState::default()),
            fetches: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// How many fetches this cache has started (for tests, metrics and the flood report).
    pub fn fetch_count(&self) -> u64 {
        self.fetches.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn lock(&self) -> MutexGuard<'_, CacheState> {
        // The state is only pointer swaps; a panic elsewhere cannot leave it half-written.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A key set that contains `kid` if the JWKS has it: the cached one while fresh, else a
    /// (shared, rate-limited) refetch. Errors: [`Reason::JwkKidMismatch`] when the `kid` is
    /// not in the JWKS, [`Reason::JwkFailedToLoad`] / [`Reason::JwkRemoteInvalid`] on an outage
    /// with nothing cached.
    pub async fn keys_for(&self, kid: &str) -> Result<Arc<KeySet>, VerifyError> {
        let cell = {
            let mut st = self.lock();
            let now = Instant::now();
            let fresh = st
                .fetched_at
                .is_some_and(|t| now.duration_since(t) < self.settings.ttl);
            if let Some(keys) = &st.keys {
                if fresh && keys.get(kid).is_some() {
                    return Ok(keys.clone());
                }
            }
            match &st.inflight {
                Some(cell) => cell.clone(),
                None => {
                    let recently = st.last_attempt.is_some_and(|t| {
                        now.duration_since(t) < self.settings.min_refetch_interval
                    });
                    if recently && fresh {
                        // Known-fresh JWKS without this kid, fetched moments ago: no new fetch.
                        return Err(kid_mismatch(kid));
                    }
                    if recently {
                        // Stale or failed moments ago: serve what we have, else the outage.
                        return match &st.keys {
                            Some(keys) if keys.get(kid).is_some() => Ok(keys.clone()),
                            Some(_) => Err(kid_mismatch(kid)),
                            None => Err(VerifyError::new(
                                Reason::JwkFailedToLoad,
                                "the JWKS could not be loaded (retrying shortly)",
                            )),
                        };
                    }
                    let cell = Arc::new(OnceCell::new());
                    st.inflight = Some(cell.clone());
                    st.last_attempt = Some(now);
                    cell
                }
            }
        };
        let result = cell.get_or_init(|| self.fetch()).await.clone();
        {
            let mut st = self.lock();
            if st.inflight.as_ref().is_some_and(|c| Arc::ptr_eq(c, &cell)) {
                st.inflight = None;
                if let Ok(keys) = &result {
                    st.keys = Some(keys.clone());
                    st.fetched_at = Some(Instant::now());
                }
            }
        }
        match result {
            Ok(keys) if keys.get(kid).is_some() => Ok(keys),
            Ok(_) => Err(kid_mismatch(kid)),
            Err(e) => {
                // Outage: a stale copy that has the kid is better than failing every request.
                let st = self.lock();
                match &st.keys {
                    Some(keys) if keys.get(kid).is_some() => Ok(keys.clone()),
                    _ => Err(e),
                }
            }
        }
    }

    async fn fetch(&self) -> FetchResult {
        self.fetches
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut req = self
            .http
            .get(&self.endpoint.url)
            .timeout(self.settings.timeout)
            .header(http::header::ACCEPT, "application/json");
        if let Some(bearer) = &self.endpoint.bearer {
            req = req.bearer_auth(bearer);
        }
        let failed = |what: String| {
            VerifyError::new(
                Reason::JwkFailedToLoad,
                format!("GET {}: {what}", self.endpoint.url),
            )
        };
        let res = req.send().await.map_err(|e| failed(describe(&e)))?;
        if !res.status().is_success() {
            return Err(failed(format!("HTTP {}", res.status())));
        }
        let text = res.text().await.map_err(|e| failed(describe(&e)))?;
        KeySet::from_jwks_json(&text).map(Arc::new)
    }
}

fn kid_mismatch(kid: &str) -> VerifyError {
    // The kid is attacker-chosen: keep the message short and bounded.
    let shown: String = kid.chars().take(40).collect();
    VerifyError::new(
        Reason::JwkKidMismatch,
        format!("no signing key in the JWKS matches kid {shown:?}; check the instance keys"),
    )
}

/// A reqwest error without its URL (ours is known; this avoids echoing query strings).
pub(crate) fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timed out".into()
    } else if e.is_connect() {
        "connection failed".into()
    } else if e.is_decode() || e.is_body() {
        "could not read the response body".into()
    } else {
        "request failed".into()
    }
}

/// Where keys come from.
#[derive(Debug)]
pub enum KeySource {
    /// A PEM public key (`CLERK_JWT_KEY`): networkless, used for any `kid` (as Clerk does).
    Local(Arc<KeySet>),
    /// A cached remote JWKS.
    Remote(JwksCache),
    /// No way to get a key (configuration error).
    None,
}

/// The `kid` used for the local key.
pub(crate) const LOCAL_KID: &str = "local";

impl KeySource {
    /// Reads a PEM public key (`-----BEGIN PUBLIC KEY-----`, or the bare base64 body as
    /// Clerk's dashboard shows it).
    pub fn from_pem(pem: &str) -> Result<KeySource, VerifyError> {
        let pem = pem.trim();
        let pem = if pem.starts_with("-----BEGIN") {
            pem.to_string()
        } else {
            format!("-----BEGIN PUBLIC KEY-----\n{pem}\n-----END PUBLIC KEY-----")
        };
        let key = DecodingKey::from_rsa_pem(pem.as_bytes()).map_err(|e| {
            VerifyError::new(
                Reason::JwkLocalMissing,
                format!("CLERK_JWT_KEY is not a PEM RSA public key: {e}"),
            )
        })?;
        let mut set = KeySet::default();
        set.insert(LOCAL_KID, key);
        Ok(KeySource::Local(Arc::new(set)))
    }

    /// The key for a token's `kid`.
    pub async fn key_for(&self, kid: Option<&str>) -> Result<KeyRef, VerifyError> {
        match self {
            KeySource::Local(set) => Ok(KeyRef {
                set: set.clone(),
                kid: LOCAL_KID.into(),
            }),
            KeySource::Remote(cache) => {
                let Some(kid) = kid.filter(|k| !k.is_empty()) else {
                    return Err(VerifyError::new(
                        Reason::TokenInvalid,
                        "the JWT header has no kid",
                    ));
                };
                let set = cache.keys_for(kid).await?;
                Ok(KeyRef {
                    set,
                    kid: kid.to_string(),
                })
            }
            KeySource::None => Err(VerifyError::new(
                Reason::JwkFailedToResolve,
                "no key to verify tokens: set CLERK_JWT_KEY, CLERK_SECRET_KEY or CLERK_PUBLISHABLE_KEY",
            )),
        }
    }
}

/// A key found in a key set (kept as the shared set plus the `kid`, so a lookup allocates
/// nothing but the `kid`).
#[derive(Debug, Clone)]
pub struct KeyRef {
    set: Arc<KeySet>,
    kid: String,
}

impl KeyRef {
    /// The decoding key.
    pub fn key(&self) -> Option<&DecodingKey> {
        self.set.get(&self.kid)
    }
}
