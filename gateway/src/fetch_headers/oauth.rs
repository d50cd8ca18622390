//! OAuth 2.0 client credentials (RFC 6749 §4.4) for header injection: a
//! token is fetched from the token URL on first use, cached, and fetched
//! again `refresh_buffer` before it expires (with the refresh token when
//! the server gave one, else with the client credentials).
//!
//! **Invariants:** one request at a time per rule reaches the token
//! endpoint (callers wait on the cache's lock, then share the token); an
//! error names the token URL and the status or the OAuth error code, never
//! the client secret, the token or the response body.

use std::time::{Duration, Instant};

use serde::Deserialize;
use url::Url;

use super::Secret;

/// One rule's client credentials.
#[derive(Debug, Clone)]
pub struct OAuthSettings {
    /// The header the token goes in (`Authorization`).
    pub header: String,
    pub token_url: Url,
    pub client_id: String,
    pub client_secret: Secret,
    pub scope: Option<String>,
    /// How long before it expires a token is replaced.
    pub refresh_buffer: Duration,
}

/// How long a token without `expires_in` is used.
const NO_EXPIRY_GIVEN: Duration = Duration::from_secs(300);

struct Token {
    /// `Bearer <access_token>`.
    header_value: Secret,
    /// When it must no longer be used (its expiry less the buffer).
    use_until: Instant,
    refresh_token: Option<Secret>,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    token_type: Option<String>,
    #[serde(default)]
    expires_in: Option<u64>,
    #[serde(default)]
    refresh_token: Option<String>,
}

#[derive(Deserialize)]
struct ErrorResponse {
    error: String,
}

/// A rule's token, fetched when needed.
pub struct TokenSource {
    settings: OAuthSettings,
    http: reqwest::Client,
    cache: tokio::sync::Mutex<Option<Token>>,
}

impl TokenSource {
    pub fn new(settings: OAuthSettings, http: reqwest::Client) -> Self {
        Self { settings, http, cache: tokio::sync::Mutex::new(None) }
    }

    /// The header's value (`Bearer <token>`), from the cache while it is
    /// fresh.
    pub async fn header_value(&self) -> Result<String, String> {
        let mut cache = self.cache.lock().await;
        if let Some(token) = cache.as_ref()
            && Instant::now() < token.use_until
        {
            return Ok(token.header_value.0.clone());
        }
        let refresh = cache.take().and_then(|t| t.refresh_token);
        let token = match refresh {
            Some(refresh) => match self.request(Some(&refresh)).await {
                Ok(token) => token,
                Err(error) => {
                    tracing::debug!(token_url = %self.settings.token_url, %error, "refreshing the token failed; asking for a new one");
                    self.request(None).await?
                }
            },
            None => self.request(None).await?,
        };
        let value = token.header_value.0.clone();
        *cache = Some(token);
        Ok(value)
    }

    /// Asks the token endpoint: a refresh when `refresh` is given, else the
    /// client credentials grant.
    async fn request(&self, refresh: Option<&Secret>) -> Result<Token, String> {
        let s = &self.settings;
        let body = {
            let mut form = url::form_urlencoded::Serializer::new(String::new());
            match refresh {
                Some(token) => form.append_pair("grant_type", "refresh_token").append_pair("refresh_token", &token.0),
                None => form.append_pair("grant_type", "client_credentials"),
            };
            form.append_pair("client_id", &s.client_id).append_pair("client_secret", &s.client_secret.0);
            if let Some(scope) = &s.scope {
                form.append_pair("scope", scope);
            }
            form.finish()
        };
        let asked = Instant::now();
        let response = self
            .http
            .post(s.token_url.clone())
            .header(http::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(http::header::ACCEPT, "application/json")
            .body(body)
            .send()
            .await
            .map_err(|e| format!("the token endpoint {} could not be reached ({})", s.token_url, reqwest_cause(&e)))?;
        let status = response.status();
        let body = response.bytes().await.map_err(|e| {
            format!("the token endpoint {} did not answer in full ({})", s.token_url, reqwest_cause(&e))
        })?;
        if !status.is_success() {
            let code =
                serde_json::from_slice::<ErrorResponse>(&body).map(|e| format!(", {}", e.error)).unwrap_or_default();
            return Err(format!("the token endpoint {} answered {}{code}", s.token_url, status.as_u16()));
        }
        let token: TokenResponse = serde_json::from_slice(&body)
            .map_err(|_| format!("the token endpoint {} did not answer with an access_token", s.token_url))?;
        let kind = match token.token_type.as_deref() {
            None => "Bearer".to_owned(),
            Some(kind) if kind.eq_ignore_ascii_case("bearer") => "Bearer".to_owned(),
            Some(kind) => kind.to_owned(),
        };
        let lifetime = token.expires_in.map_or(NO_EXPIRY_GIVEN, Duration::from_secs);
        tracing::debug!(token_url = %s.token_url, lifetime_secs = lifetime.as_secs(), "fetched an OAuth token for fetch header injection");
        Ok(Token {
            header_value: Secret(format!("{kind} {}", token.access_token)),
            use_until: asked + lifetime.saturating_sub(s.refresh_buffer),
            refresh_token: token.refresh_token.map(Secret),
        })
    }
}

/// What went wrong, without the URL's query (reqwest's Display has it).
fn reqwest_cause(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        return "timed out".into();
    }
    let mut source = std::error::Error::source(error);
    let mut last = None;
    while let Some(cause) = source {
        last = Some(cause.to_string());
        source = cause.source();
    }
    last.unwrap_or_else(|| "request failed".into())
}
