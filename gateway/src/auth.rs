//! Bearer-token auth against a JWKS (`--jwks-url`), as the MCP
//! authorization spec asks of a resource server.
//!
//! **Invariants:**
//! - The verifying key is the JWKS key whose `kid` the token names; the
//!   algorithm comes from that key (its `alg`, else its type and curve),
//!   never from the token. Symmetric (`oct`) keys are never used, so a token
//!   cannot be signed with a public key as an HMAC secret; `alg: none` never
//!   verifies.
//! - `exp` is required; `nbf`, `iss` and `aud` are checked (issuer and
//!   audience are required configuration when auth is on).
//! - A token names its principal (`--principal-claim`, default `sub`): one
//!   without it is refused, since everything a caller makes is owned by it.
//! - The key set is cached; an unknown `kid` (or an unreachable identity
//!   provider) triggers a fetch at most once per [`REFETCH_INTERVAL`], so a
//!   stream of forged kids cannot hammer the provider. Verification reads
//!   the cache under a shared lock and no lock is held while fetching, so a
//!   slow provider never stalls requests whose key is known.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, JwkSet, KeyAlgorithm};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::Value;
use tokio::sync::RwLock;

/// Least time between two fetches of the key set.
pub const REFETCH_INTERVAL: Duration = Duration::from_secs(30);
/// A cached key set is refreshed when older than this.
const MAX_AGE: Duration = Duration::from_secs(3600);
/// Clock skew allowed on `exp` and `nbf`.
const LEEWAY_SECS: u64 = 30;

#[derive(Debug, Clone)]
pub struct AuthConfig {
    pub jwks_url: String,
    pub issuer: String,
    pub audience: String,
    /// The claim that names who the caller is (`--principal-claim`).
    pub principal_claim: String,
}

/// A verified token: its claims, and the principal they name. They travel
/// with the request (extensions) to the service layer.
#[derive(Debug, Clone)]
pub struct Claims {
    pub claims: Value,
    /// The value of the principal claim (checked present, a string or a
    /// number, without control characters).
    pub principal: String,
}

/// Why a request was refused: the `error` of `WWW-Authenticate`.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("no bearer token")]
    Missing,
    #[error("invalid token: {0}")]
    Invalid(String),
    #[error("the key set cannot be fetched: {0}")]
    KeysUnavailable(String),
}

struct Key {
    decoding: DecodingKey,
    algorithm: Algorithm,
}

#[derive(Default)]
struct Cache {
    keys: HashMap<String, Key>,
    /// The last successful fetch.
    fetched: Option<Instant>,
    /// The last fetch begun, successful or not (the rate limit).
    attempted: Option<Instant>,
}

impl Cache {
    /// True when `kid` calls for a fetch and the rate limit allows one.
    fn wants_fetch(&self, kid: &str) -> bool {
        let stale = self.fetched.is_none_or(|t| t.elapsed() > MAX_AGE);
        let unknown = !self.keys.contains_key(kid);
        (stale || unknown) && self.attempted.is_none_or(|t| t.elapsed() >= REFETCH_INTERVAL)
    }
}

pub struct Verifier {
    config: AuthConfig,
    http: reqwest::Client,
    cache: RwLock<Cache>,
}

impl Verifier {
    pub fn new(config: AuthConfig) -> Self {
        Self {
            config,
            http: reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap_or_default(),
            cache: RwLock::default(),
        }
    }

    pub fn issuer(&self) -> &str {
        &self.config.issuer
    }

    /// Verifies an `Authorization` header value.
    pub async fn verify(&self, authorization: Option<&str>) -> Result<Claims, AuthError> {
        let token = authorization
            .and_then(|h| h.strip_prefix("Bearer ").or_else(|| h.strip_prefix("bearer ")))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(AuthError::Missing)?;
        let header = jsonwebtoken::decode_header(token).map_err(|e| AuthError::Invalid(e.to_string()))?;
        let kid = header.kid.ok_or_else(|| AuthError::Invalid("the token names no key (kid)".into()))?;
        if self.cache.read().await.wants_fetch(&kid) {
            self.refresh(&kid).await?;
        }
        let cache = self.cache.read().await;
        if cache.fetched.is_none() {
            return Err(AuthError::KeysUnavailable(format!(
                "no key set fetched yet; retrying at most every {} s",
                REFETCH_INTERVAL.as_secs()
            )));
        }
        let key = cache.keys.get(&kid).ok_or_else(|| AuthError::Invalid(format!("unknown key id '{kid}'")))?;
        let mut validation = Validation::new(key.algorithm);
        validation.set_issuer(&[&self.config.issuer]);
        validation.set_audience(&[&self.config.audience]);
        validation.validate_nbf = true;
        validation.leeway = LEEWAY_SECS;
        validation.set_required_spec_claims(&["exp", "iss", "aud"]);
        let claims = jsonwebtoken::decode::<Value>(token, &key.decoding, &validation)
            .map_err(|e| AuthError::Invalid(e.to_string()))?
            .claims;
        let claim = &self.config.principal_claim;
        let principal = match claims.get(claim) {
            Some(Value::String(text)) => text.clone(),
            Some(Value::Number(number)) => number.to_string(),
            _ => return Err(AuthError::Invalid(format!("the token has no '{claim}' claim naming its principal"))),
        };
        if principal.is_empty() || principal.chars().any(char::is_control) {
            return Err(AuthError::Invalid(format!("the token's '{claim}' claim is empty or has control characters")));
        }
        Ok(Claims { claims, principal })
    }

    /// Fetches the key set if this request is the one that claims the fetch
    /// (others go on with the cache). A failed refresh keeps the keys there.
    async fn refresh(&self, kid: &str) -> Result<(), AuthError> {
        {
            let mut cache = self.cache.write().await;
            if !cache.wants_fetch(kid) {
                return Ok(()); // another request fetched or is fetching
            }
            cache.attempted = Some(Instant::now());
        }
        let fetched = self.fetch().await;
        let mut cache = self.cache.write().await;
        match fetched {
            Ok(keys) => {
                cache.keys = keys;
                cache.fetched = Some(Instant::now());
                Ok(())
            }
            Err(error) if cache.fetched.is_some() => {
                tracing::warn!(%error, "JWKS refresh failed; using cached keys");
                Ok(())
            }
            Err(error) => Err(error),
        }
    }

    async fn fetch(&self) -> Result<HashMap<String, Key>, AuthError> {
        let unavailable = |e: reqwest::Error| AuthError::KeysUnavailable(e.to_string());
        let set: JwkSet = self
            .http
            .get(&self.config.jwks_url)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(unavailable)?
            .json()
            .await
            .map_err(unavailable)?;
        let mut keys = HashMap::new();
        for jwk in &set.keys {
            let Some(kid) = jwk.common.key_id.clone() else { continue };
            match key_of(jwk) {
                Some(key) => {
                    keys.insert(kid, key);
                }
                None => tracing::warn!(%kid, "JWKS key skipped: not an asymmetric signing key mcp-v8 can use"),
            }
        }
        tracing::info!(keys = keys.len(), url = %self.config.jwks_url, "JWKS fetched");
        Ok(keys)
    }
}

/// The key and the one algorithm it verifies, or `None` for keys that must
/// not or cannot be used (symmetric, encryption-only, unknown curves).
fn key_of(jwk: &Jwk) -> Option<Key> {
    if jwk.common.public_key_use.as_ref().is_some_and(|u| *u != jsonwebtoken::jwk::PublicKeyUse::Signature) {
        return None;
    }
    let implied = match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => Algorithm::RS256,
        AlgorithmParameters::EllipticCurve(p) => match p.curve {
            EllipticCurve::P256 => Algorithm::ES256,
            EllipticCurve::P384 => Algorithm::ES384,
            _ => return None,
        },
        AlgorithmParameters::OctetKeyPair(_) => Algorithm::EdDSA,
        _ => return None,
    };
    let algorithm = match jwk.common.key_algorithm {
        Some(KeyAlgorithm::HS256 | KeyAlgorithm::HS384 | KeyAlgorithm::HS512) => return None,
        Some(alg) => Algorithm::try_from(alg).ok()?,
        None => implied,
    };
    // The declared algorithm must belong to the key's family.
    let family_ok = matches!(
        (&jwk.algorithm, algorithm),
        (AlgorithmParameters::RSA(_), Algorithm::RS256 | Algorithm::RS384 | Algorithm::RS512 | Algorithm::PS256 | Algorithm::PS384 | Algorithm::PS512)
            | (AlgorithmParameters::EllipticCurve(_), Algorithm::ES256 | Algorithm::ES384)
            | (AlgorithmParameters::OctetKeyPair(_), Algorithm::EdDSA)
    );
    if !family_ok {
        return None;
    }
    Some(Key { decoding: DecodingKey::from_jwk(jwk).ok()?, algorithm })
}
