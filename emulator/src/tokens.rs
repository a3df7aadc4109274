//! Keys and JWTs: the publishable key, the RSA signing key, JWKS and session tokens.

use std::sync::OnceLock;

use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde_json::{json, Map, Value};

use crate::config::{ClaimsVersion, InstanceType};
use crate::errors::ApiError;
use crate::state::{random_hex, Instance, Session, Store};

/// `pk_test_`/`pk_live_` + base64(`<host>$`), padding stripped like Clerk's `buildPublishableKey`.
pub fn publishable_key(kind: InstanceType, frontend_api: &str) -> String {
    let prefix = match kind {
        InstanceType::Development => "pk_test_",
        InstanceType::Production => "pk_live_",
    };
    format!(
        "{prefix}{}",
        STANDARD_NO_PAD.encode(format!("{frontend_api}$"))
    )
}

/// The RS256 signing key and its public JWK.
pub struct Keys {
    /// `kid` header value (the instance id, like Clerk).
    pub kid: String,
    encoding: EncodingKey,
    /// Base64url modulus.
    pub n: String,
    /// Base64url exponent.
    pub e: String,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keys")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

/// One RSA key per process: key generation is slow in debug builds, and tests
/// start many emulators in one process. Every emulator still gets its own `kid`.
static PROCESS_KEY: OnceLock<Result<RsaPrivateKey, String>> = OnceLock::new();

impl Keys {
    /// Generates (or reuses the process's) 2048-bit RSA key and labels it `kid`.
    pub fn generate(kid: &str) -> Result<Keys, String> {
        let key = PROCESS_KEY
            .get_or_init(|| {
                RsaPrivateKey::new(&mut rand::thread_rng(), 2048).map_err(|e| e.to_string())
            })
            .clone()?;
        let der = key.to_pkcs1_der().map_err(|e| e.to_string())?;
        let encoding = EncodingKey::from_rsa_der(der.as_bytes());
        Ok(Keys {
            kid: kid.to_string(),
            encoding,
            n: URL_SAFE_NO_PAD.encode(key.n().to_bytes_be()),
            e: URL_SAFE_NO_PAD.encode(key.e().to_bytes_be()),
        })
    }

    /// The JWKS document (`GET /.well-known/jwks.json`).
    pub fn jwks(&self) -> Value {
        json!({"keys": [{"use": "sig", "kty": "RSA", "kid": self.kid, "alg": "RS256", "n": self.n, "e": self.e}]})
    }

    /// Signs `claims` with RS256 and header `{alg, kid, typ: "JWT"}`.
    pub fn sign(&self, claims: &Value) -> Result<String, ApiError> {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(self.kid.clone());
        header.typ = Some("JWT".into());
        jsonwebtoken::encode(&header, claims, &self.encoding).map_err(|_| ApiError::internal())
    }

    /// Signs like [`Keys::sign`] with Clerk's `oiat` header added ("origin issued at": when
    /// the claims were last assembled at the origin), which `jsonwebtoken`'s `Header` cannot
    /// carry.
    pub fn sign_with_oiat(&self, claims: &Value, oiat: i64) -> Result<String, ApiError> {
        let header = json!({"alg": "RS256", "kid": self.kid, "typ": "JWT", "oiat": oiat});
        let message = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let signature =
            jsonwebtoken::crypto::sign(message.as_bytes(), &self.encoding, Algorithm::RS256)
                .map_err(|_| ApiError::internal())?;
        Ok(format!("{message}.{signature}"))
    }

    /// The `oiat` to keep when re-minting `token` for session `sid` "at the edge": its own
    /// `oiat` (else its `iat`), if it is a session token this instance signed for `sid`.
    /// Expired tokens count (re-minting them is the point); anything else is `None`, and
    /// the caller mints at the origin instead.
    pub fn edge_oiat(&self, token: &str, sid: &str) -> Option<i64> {
        let key = DecodingKey::from_rsa_components(&self.n, &self.e).ok()?;
        let mut validation = Validation::new(Algorithm::RS256);
        validation.validate_aud = false;
        validation.validate_exp = false;
        validation.validate_nbf = false;
        let claims = jsonwebtoken::decode::<Value>(token, &key, &validation)
            .ok()?
            .claims;
        if claims.get("sid").and_then(Value::as_str) != Some(sid) {
            return None;
        }
        let header: Value = token
            .split('.')
            .next()
            .and_then(|h| URL_SAFE_NO_PAD.decode(h).ok())
            .and_then(|h| serde_json::from_slice(&h).ok())?;
        header
            .get("oiat")
            .and_then(Value::as_i64)
            .or_else(|| claims.get("iat").and_then(Value::as_i64))
    }
}

/// What a token is minted for.
pub struct TokenRequest<'a> {
    /// The session.
    pub session: &'a Session,
    /// Organization for the token: `None` = personal account.
    pub org_id: Option<&'a str>,
    /// Request `Origin` (becomes `azp`).
    pub origin: Option<&'a str>,
    /// Issue time, seconds.
    pub now_secs: i64,
    /// With the session minter on: the `oiat` of the previous token being re-minted "at
    /// the edge" (see [`Keys::edge_oiat`]); `None` mints at the origin (`oiat` = now).
    pub edge_oiat: Option<i64>,
}

fn base_claims(instance: &Instance, req: &TokenRequest<'_>, lifetime: u64) -> Map<String, Value> {
    let iat = req.now_secs;
    let mut c = Map::new();
    if let Some(o) = req.origin {
        c.insert("azp".into(), json!(o));
    }
    // Saturating: lifetimes are bounded by the control API, but `Config` is public.
    let exp = iat.saturating_add(i64::try_from(lifetime).unwrap_or(i64::MAX));
    c.insert("exp".into(), json!(exp));
    c.insert("iat".into(), json!(iat));
    c.insert(
        "iss".into(),
        json!(format!("https://{}", instance.frontend_api)),
    );
    c.insert("jti".into(), json!(random_hex(10)));
    c.insert("nbf".into(), json!(iat.saturating_sub(10)));
    c.insert("sub".into(), json!(req.session.user_id));
    c
}

/// Mints a session token (v1 or v2 claims, per the instance).
pub fn session_token(
    instance: &Instance,
    keys: &Keys,
    store: &Store,
    req: &TokenRequest<'_>,
) -> Result<String, ApiError> {
    let mut c = base_claims(instance, req, store.token_lifetime_secs);
    let s = req.session;
    c.insert("sid".into(), json!(s.id));
    let membership = req
        .org_id
        .and_then(|o| Some((store.org(o)?, store.membership(&s.user_id, o)?)));
    match instance.claims {
        ClaimsVersion::V2 => {
            // fva: minutes since each factor was verified; -1 = never (in this session).
            let fva = crate::routes::session_verify::fva(store, s, req.now_secs * 1000);
            c.insert("fva".into(), json!(fva));
            c.insert("sts".into(), json!(s.status.as_str()));
            c.insert("v".into(), json!(2));
            if let Some((org, m)) = membership {
                // v2 drops the `org:` prefix from the role; permissions are comma-separated.
                let role = m.role.strip_prefix("org:").unwrap_or(&m.role);
                let per: Vec<&str> = m
                    .permissions
                    .iter()
                    .map(|p| p.strip_prefix("org:").unwrap_or(p))
                    .collect();
                c.insert(
                    "o".into(),
                    json!({"id": org.id, "slg": org.slug, "rol": role, "per": per.join(",")}),
                );
            }
        }
        ClaimsVersion::V1 => {
            if let Some((org, m)) = membership {
                c.insert("org_id".into(), json!(org.id));
                c.insert("org_slug".into(), json!(org.slug));
                c.insert("org_role".into(), json!(m.role));
                c.insert("org_permissions".into(), json!(m.permissions));
            }
        }
    }
    // The session minter's tokens carry `oiat`; the claims are always assembled afresh here
    // (Clerk's edge re-mint reuses the previous token's: a simplification).
    if store.session_minter {
        let oiat = req.edge_oiat.unwrap_or(req.now_secs);
        return keys.sign_with_oiat(&Value::Object(c), oiat);
    }
    keys.sign(&Value::Object(c))
}

/// Mints a JWT-template token. Clerk templates carry the default claims
/// (`azp exp iat iss jti nbf sub`) plus the template's custom claims; the
/// emulator's templates add `email` and, for `supabase`, Supabase's
/// `aud`/`role` pair.
pub fn template_token(
    instance: &Instance,
    keys: &Keys,
    store: &Store,
    req: &TokenRequest<'_>,
    template: &str,
    lifetime: u64,
) -> Result<String, ApiError> {
    let mut c = base_claims(instance, req, lifetime);
    if let Some(user) = store.user(&req.session.user_id) {
        c.insert("email".into(), json!(user.email));
    }
    if template == "supabase" {
        c.insert("aud".into(), json!("authenticated"));
        c.insert("role".into(), json!("authenticated"));
    }
    keys.sign(&Value::Object(c))
}

/// The instance's Backend API secret key (`sk_test_…` / `sk_live_…`), generated per
/// instance. `Debug` never shows it.
#[derive(Clone)]
pub struct SecretKey(String);

impl SecretKey {
    /// A fresh random key with the instance type's prefix.
    pub fn generate(kind: InstanceType) -> SecretKey {
        let prefix = match kind {
            InstanceType::Development => "sk_test_",
            InstanceType::Production => "sk_live_",
        };
        // 40 base62 characters, like Clerk's keys; `new_id` gives 27 after its prefix.
        let a = crate::state::new_id("x");
        let b = crate::state::new_id("x");
        let tail: String = a[2..].chars().chain(b[2..].chars()).take(40).collect();
        SecretKey(format!("{prefix}{tail}"))
    }

    /// The key itself (to print at start or hand to a test).
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether `given` is this key; the comparison time does not depend on where
    /// the first difference is.
    pub fn matches(&self, given: &str) -> bool {
        let (a, b) = (self.0.as_bytes(), given.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}
