//! OAuth 2.0 client credentials (RFC 6749 §4.4) for HTTP upstreams: the
//! gateway gets an access token from the authorization server's token
//! endpoint with its client id and secret, sends it as a bearer token, and
//! gets a new one before it expires or when the upstream rejects it.
//!
//! Hand-written (one form POST and its JSON answer) rather than rmcp's
//! `auth` feature: that one starts from discovery on the MCP server, keeps
//! no way to get a new token once a client-credentials token expires (it
//! only refreshes with a refresh token, which this grant does not issue), and
//! would bring the `oauth2` crate with a second reqwest.
//!
//! **Invariants:**
//! - The client secret and the tokens never appear in an error or a log.
//! - One token request at a time per upstream: concurrent callers wait for
//!   it and share the token.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::stream::BoxStream;
use http::{HeaderName, HeaderValue};
use rmcp::model::ClientJsonRpcMessage;
use rmcp::transport::streamable_http_client::{
    StreamableHttpClient, StreamableHttpError, StreamableHttpPostResponse, StreamableHttpResponseLimits,
};
use serde::Deserialize;

use crate::config::{ClientAuthMethod, ClientCredentials};

/// A token is replaced this long before it expires (or at half its life, if shorter).
const EARLY: Duration = Duration::from_secs(30);
/// How long a token request may take.
const TOKEN_TIMEOUT: Duration = Duration::from_secs(15);

/// Gets and keeps an upstream's access token.
pub struct TokenSource {
    credentials: ClientCredentials,
    http: reqwest::Client,
    /// The token and when it must be replaced.
    current: tokio::sync::Mutex<Option<(String, Option<Instant>)>>,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

#[derive(Deserialize)]
struct ErrorAnswer {
    error: String,
    #[serde(default)]
    error_description: Option<String>,
}

impl TokenSource {
    pub fn new(credentials: ClientCredentials) -> Result<Arc<Self>, String> {
        let http = reqwest::Client::builder()
            .timeout(TOKEN_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("cannot make an HTTP client: {e}"))?;
        Ok(Arc::new(Self { credentials, http, current: tokio::sync::Mutex::new(None) }))
    }

    /// A token that is not about to expire.
    pub async fn token(&self) -> Result<String, String> {
        let mut current = self.current.lock().await;
        if let Some((token, replace_at)) = current.as_ref()
            && replace_at.is_none_or(|at| Instant::now() < at)
        {
            return Ok(token.clone());
        }
        self.renew(&mut current).await
    }

    /// A new token, unless another caller already replaced `rejected`.
    pub async fn replace(&self, rejected: &str) -> Result<String, String> {
        let mut current = self.current.lock().await;
        if let Some((token, _)) = current.as_ref()
            && token != rejected
        {
            return Ok(token.clone());
        }
        self.renew(&mut current).await
    }

    /// Gets a new token and keeps it (under the lock).
    async fn renew(&self, current: &mut Option<(String, Option<Instant>)>) -> Result<String, String> {
        let (token, replace_at) = self.request().await?;
        *current = Some((token.clone(), replace_at));
        Ok(token)
    }

    async fn request(&self) -> Result<(String, Option<Instant>), String> {
        let credentials = &self.credentials;
        let url = &credentials.token_url;
        let mut form = vec![("grant_type", "client_credentials".to_owned())];
        let scope = credentials.scopes.join(" ");
        if !scope.is_empty() {
            form.push(("scope", scope));
        }
        if let Some(resource) = &credentials.resource {
            form.push(("resource", resource.clone()));
        }
        let mut request = self.http.post(url);
        match credentials.method {
            ClientAuthMethod::Basic => {
                request =
                    request.basic_auth(form_encode(&credentials.client_id), Some(form_encode(&credentials.secret)));
            }
            ClientAuthMethod::Post => {
                form.push(("client_id", credentials.client_id.clone()));
                form.push(("client_secret", credentials.secret.clone()));
            }
        }
        let started = Instant::now();
        let response = request
            .form(&form)
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|e| format!("token request to {url} failed: {}", e.without_url()))?;
        let status = response.status();
        let body = response.bytes().await.map_err(|e| format!("token request to {url}: {}", e.without_url()))?;
        if !status.is_success() {
            let why = serde_json::from_slice::<ErrorAnswer>(&body).map_or_else(
                |_| format!("HTTP {status}"),
                |e| {
                    format!(
                        "HTTP {status}: {}{}",
                        e.error,
                        e.error_description.map_or(String::new(), |d| format!(" ({d})"))
                    )
                },
            );
            return Err(format!("{url} refused the client credentials of '{}': {why}", credentials.client_id));
        }
        let answer: TokenAnswer = serde_json::from_slice(&body)
            .map_err(|_| format!("{url} answered the token request without an access_token"))?;
        let replace_at = answer.expires_in.map(|secs| {
            let life = Duration::from_secs(secs);
            started + life.saturating_sub(EARLY.min(life / 2))
        });
        tracing::debug!(url = %url, expires_in = ?answer.expires_in, "got an upstream access token");
        Ok((answer.access_token, replace_at))
    }
}

/// RFC 6749 §2.3.1: the id and secret are form-encoded before Basic encoding.
fn form_encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// rmcp's reqwest client for Streamable HTTP, with the token of a
/// [`TokenSource`] on every request; a request the server answers with a
/// 401 challenge is sent once more with a new token.
#[derive(Clone)]
pub struct WithToken {
    pub inner: reqwest::Client,
    pub tokens: Arc<TokenSource>,
}

type HttpError = StreamableHttpError<reqwest::Error>;

impl WithToken {
    async fn send<T, F, Fut>(&self, call: F) -> Result<T, HttpError>
    where
        F: Fn(Option<String>) -> Fut,
        Fut: Future<Output = Result<T, HttpError>>,
    {
        let token = self.tokens.token().await.map_err(unexpected)?;
        match call(Some(token.clone())).await {
            Err(StreamableHttpError::AuthRequired(_)) => {
                let fresh = self.tokens.replace(&token).await.map_err(unexpected)?;
                call(Some(fresh)).await
            }
            other => other,
        }
    }
}

fn unexpected(why: String) -> HttpError {
    StreamableHttpError::UnexpectedServerResponse(why.into())
}

impl StreamableHttpClient for WithToken {
    type Error = reqwest::Error;

    async fn post_message(
        &self,
        uri: Arc<str>,
        message: ClientJsonRpcMessage,
        session_id: Option<Arc<str>>,
        _auth: Option<String>,
        headers: HashMap<HeaderName, HeaderValue>,
    ) -> Result<StreamableHttpPostResponse, HttpError> {
        self.send(|token| {
            self.inner.post_message(uri.clone(), message.clone(), session_id.clone(), token, headers.clone())
        })
        .await
    }

    async fn post_message_with_max_sse_event_size(
        &self,
        uri: Arc<str>,
        message: ClientJsonRpcMessage,
        session_id: Option<Arc<str>>,
        _auth: Option<String>,
        headers: HashMap<HeaderName, HeaderValue>,
        max: usize,
    ) -> Result<StreamableHttpPostResponse, HttpError> {
        self.send(|token| {
            self.inner.post_message_with_max_sse_event_size(
                uri.clone(),
                message.clone(),
                session_id.clone(),
                token,
                headers.clone(),
                max,
            )
        })
        .await
    }

    async fn post_message_with_response_limits(
        &self,
        uri: Arc<str>,
        message: ClientJsonRpcMessage,
        session_id: Option<Arc<str>>,
        _auth: Option<String>,
        headers: HashMap<HeaderName, HeaderValue>,
        limits: StreamableHttpResponseLimits,
    ) -> Result<StreamableHttpPostResponse, HttpError> {
        self.send(|token| {
            self.inner.post_message_with_response_limits(
                uri.clone(),
                message.clone(),
                session_id.clone(),
                token,
                headers.clone(),
                limits,
            )
        })
        .await
    }

    async fn delete_session(
        &self,
        uri: Arc<str>,
        session_id: Arc<str>,
        _auth: Option<String>,
        headers: HashMap<HeaderName, HeaderValue>,
    ) -> Result<(), HttpError> {
        self.send(|token| self.inner.delete_session(uri.clone(), session_id.clone(), token, headers.clone())).await
    }

    async fn get_stream(
        &self,
        uri: Arc<str>,
        session_id: Option<Arc<str>>,
        last_event_id: Option<String>,
        _auth: Option<String>,
        headers: HashMap<HeaderName, HeaderValue>,
    ) -> Result<BoxStream<'static, Result<sse_stream::Sse, sse_stream::Error>>, HttpError> {
        self.send(|token| {
            self.inner.get_stream(uri.clone(), session_id.clone(), last_event_id.clone(), token, headers.clone())
        })
        .await
    }

    async fn get_stream_with_max_sse_event_size(
        &self,
        uri: Arc<str>,
        session_id: Option<Arc<str>>,
        last_event_id: Option<String>,
        _auth: Option<String>,
        headers: HashMap<HeaderName, HeaderValue>,
        max: usize,
    ) -> Result<BoxStream<'static, Result<sse_stream::Sse, sse_stream::Error>>, HttpError> {
        self.send(|token| {
            self.inner.get_stream_with_max_sse_event_size(
                uri.clone(),
                session_id.clone(),
                last_event_id.clone(),
                token,
                headers.clone(),
                max,
            )
        })
        .await
    }
}
