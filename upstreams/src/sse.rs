//! A client of the legacy HTTP+SSE transport (protocol 2024-11-05), which
//! rmcp has none of: `GET <url>` opens an event stream whose first event,
//! `endpoint`, names the URL to `POST` each JSON-RPC message to; the
//! server's messages arrive as `message` events on the stream.
//!
//! It is an rmcp transport made of a sink (one POST per message, in order)
//! and a stream (the events), so everything above it is rmcp's client.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use futures::{Sink, Stream, StreamExt};
use rmcp::model::{ClientJsonRpcMessage, ServerJsonRpcMessage};
use sse_stream::SseStream;

use crate::config::Auth;
use crate::oauth::TokenSource;

/// How long the server may take to name its message endpoint.
const ENDPOINT_WAIT: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SseError(String);

/// The requests' common parts.
#[derive(Clone)]
struct Requests {
    client: reqwest::Client,
    headers: reqwest::header::HeaderMap,
    tokens: Option<Arc<TokenSource>>,
}

impl Requests {
    fn new(headers: &BTreeMap<String, String>, auth: &Auth) -> Result<Self, String> {
        let mut map = reqwest::header::HeaderMap::new();
        for (name, value) in headers {
            let (Ok(name), Ok(value)) = (name.parse::<reqwest::header::HeaderName>(), value.parse()) else {
                return Err(format!("header '{name}' is not valid"));
            };
            map.insert(name, value);
        }
        let mut tokens = None;
        match auth {
            Auth::None => {}
            Auth::Bearer(token) => {
                let value = format!("Bearer {token}")
                    .parse()
                    .map_err(|_| "the bearer token is not a valid header".to_owned())?;
                map.insert(reqwest::header::AUTHORIZATION, value);
            }
            Auth::ClientCredentials(credentials) => tokens = Some(TokenSource::new(credentials.clone())?),
        }
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| format!("cannot make an HTTP client: {e}"))?;
        Ok(Self { client, headers: map, tokens })
    }

    /// Sends the request made by `make`, with the current token; once more
    /// with a new token when the server answers 401.
    async fn send(&self, make: impl Fn() -> reqwest::RequestBuilder) -> Result<reqwest::Response, String> {
        let send = |token: Option<&str>| {
            let request = make().headers(self.headers.clone());
            match token {
                Some(token) => request.bearer_auth(token),
                None => request,
            }
            .send()
        };
        let Some(tokens) = &self.tokens else {
            return send(None).await.map_err(|e| e.to_string());
        };
        let token = tokens.token().await?;
        let response = send(Some(&token)).await.map_err(|e| e.to_string())?;
        if response.status() != reqwest::StatusCode::UNAUTHORIZED {
            return Ok(response);
        }
        let fresh = tokens.replace(&token).await?;
        send(Some(&fresh)).await.map_err(|e| e.to_string())
    }
}

/// Opens the event stream and waits for the message endpoint.
pub async fn connect(
    url: &str,
    headers: &BTreeMap<String, String>,
    auth: &Auth,
) -> Result<
    (
        impl Sink<ClientJsonRpcMessage, Error = SseError> + Send + Unpin + 'static,
        impl Stream<Item = ServerJsonRpcMessage> + Send + Unpin + 'static,
    ),
    String,
> {
    let requests = Requests::new(headers, auth)?;
    let base = reqwest::Url::parse(url).map_err(|e| format!("'{url}': {e}"))?;
    let response = requests
        .send(|| requests.client.get(base.clone()).header(reqwest::header::ACCEPT, "text/event-stream"))
        .await
        .map_err(|e| format!("GET {url}: {e}"))?;
    if !response.status().is_success() {
        return Err(format!("GET {url}: HTTP {}", response.status()));
    }
    let mut events = SseStream::from_bytes_stream(response.bytes_stream());
    let endpoint = tokio::time::timeout(ENDPOINT_WAIT, async {
        while let Some(event) = events.next().await {
            let event = event.map_err(|e| format!("the event stream broke: {e}"))?;
            if event.event.as_deref() == Some("endpoint") {
                let path = event.data.unwrap_or_default();
                return base.join(path.trim()).map_err(|e| format!("a bad endpoint '{path}': {e}"));
            }
        }
        Err("the event stream ended before it named its endpoint".to_owned())
    })
    .await
    .map_err(|_| format!("{url} named no endpoint within {} s", ENDPOINT_WAIT.as_secs()))??;

    let messages = events.filter_map(|event| async move {
        let event = event.ok()?;
        if event.event.as_deref().is_some_and(|name| name != "message") {
            return None;
        }
        let data = event.data?;
        match serde_json::from_str::<ServerJsonRpcMessage>(&data) {
            Ok(message) => Some(message),
            Err(error) => {
                tracing::warn!(%error, "an upstream sent an SSE message that is not JSON-RPC");
                None
            }
        }
    });
    let sink =
        futures::sink::unfold((requests, endpoint), |(requests, endpoint), message: ClientJsonRpcMessage| async move {
            let response = requests
                .send(|| {
                    let post = requests.client.post(endpoint.clone()).json(&message);
                    crate::trace::headers_of(&message).into_iter().fold(post, |post, (name, value)| post.header(name, value))
                })
                .await
                .map_err(|e| SseError(format!("POST {endpoint}: {e}")))?;
            if !response.status().is_success() {
                return Err(SseError(format!("POST {endpoint}: HTTP {}", response.status())));
            }
            Ok((requests, endpoint))
        });
    Ok((Box::pin(sink), Box::pin(messages)))
}
