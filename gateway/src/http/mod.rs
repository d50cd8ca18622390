//! The HTTP front door (`--http-port`), on pingora: a listener that routes
//! `/mcp` to rmcp's Streamable HTTP service (`bridge`), `/sse` + `/message`
//! to the legacy HTTP+SSE transport (`sse`, also alone on `--sse-port`),
//! `/api/...` to the REST sidecar (`rest`), and answers `/healthz`,
//! `/readyz`, `/api-doc/openapi.json` and the OAuth resource metadata.
//! Every route but health passes the Host/Origin guard (`guard`; rmcp
//! applies the same lists to `/mcp`), and with `--jwks-url` the MCP and API
//! routes need a bearer token (`auth`).
//!
//! pingora's `listening::Service` is started directly on the process's tokio
//! runtime rather than through `pingora::Server`, which owns the process
//! (its own runtimes, its own signal handling, `exit` when done). The
//! gateway keeps one runtime, one signal handler and one shutdown path:
//! a `watch` channel that stops accepting, then `Engine::shutdown`.
//!
//! **Invariants:**
//! - Every response is written whole or streamed; a handler never leaves a
//!   request unanswered (errors become JSON bodies with a status).
//! - Request bodies are read up to `max_body_bytes` and refused past it
//!   with 413 before anything is parsed.

mod auth;
mod bridge;
mod guard;
mod rest;
mod sse;

pub use auth::{AuthConfig, Claims};
pub use rest::openapi_json;

use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;
use mcp_v8_runtime::Engine;
use pingora_core::apps::{HttpPersistentSettings, HttpServerApp, ReusedHttpStream};
use pingora_core::protocols::http::ServerSession;
use pingora_core::server::ShutdownWatch;
use pingora_http::ResponseHeader;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

use crate::config::{Config, HttpConfig};
use crate::error::GatewayError;
use crate::mcp::McpServer;

/// Idle keep-alive of a client connection between requests, in seconds.
const KEEPALIVE_SECS: u64 = 60;
/// How long one read of a request (header or body chunk) or one write of a
/// response may stall before the connection is dropped: a client that
/// trickles bytes cannot hold a connection and its task forever.
const IO_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

type McpService = StreamableHttpService<McpServer, LocalSessionManager>;

/// Everything a request may need; shared by all connections of all
/// listeners.
pub struct Shared {
    engine: Arc<Engine>,
    /// `--session-id`, the default session of REST exec.
    default_session: Option<String>,
    /// Cloned for each legacy SSE stream.
    server: McpServer,
    mcp: McpService,
    http: HttpConfig,
    auth: Option<auth::Verifier>,
    sse: sse::Sessions,
    cancel: CancellationToken,
}

/// One listener's application: the main port serves every route; the
/// `--sse-port` listener only the legacy SSE transport and health.
pub struct App {
    shared: Arc<Shared>,
    legacy_only: bool,
}

impl std::ops::Deref for App {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.shared
    }
}

impl Shared {
    pub fn new(engine: Arc<Engine>, config: &Config, http: HttpConfig, cancel: CancellationToken) -> Self {
        let server = McpServer::new(engine.clone(), config);
        let factory = {
            let server = server.clone();
            move || Ok(server.clone())
        };
        let mut mcp_config = StreamableHttpServerConfig::default();
        mcp_config.allowed_hosts = http.allowed_hosts.clone();
        mcp_config.allowed_origins = http.allowed_origins.clone();
        mcp_config.cancellation_token = cancel.clone();
        // An empty list (set explicitly) refuses every request with an Origin.
        let mcp_config = if http.allowed_origins.is_empty() { mcp_config.enforce_origin_validation() } else { mcp_config };
        Self {
            mcp: StreamableHttpService::new(factory, Arc::new(LocalSessionManager::default()), mcp_config),
            engine,
            default_session: config.default_session.clone(),
            server,
            auth: http.auth.clone().map(auth::Verifier::new),
            sse: sse::Sessions::default(),
            cancel,
            http,
        }
    }
}

impl App {
    async fn handle(&self, session: &mut ServerSession) -> Result<(), Reply> {
        let path = session.req_header().uri.path().to_owned();
        let method = session.req_header().method.clone();
        if path.starts_with("/.well-known/oauth-protected-resource") {
            return Err(self.resource_metadata(session));
        }
        let health = path == "/healthz" || path == "/readyz";
        if self.legacy_only && !health && path != "/sse" && path != "/message" {
            return Err(Reply::error(404, format!("this port serves only the legacy SSE transport (/sse, /message), not {path}")));
        }
        if !health && !path.starts_with("/mcp") {
            // /mcp is checked by rmcp itself, with the same lists.
            guard::check(session.req_header(), &self.http)?;
        }
        let guarded = path == "/mcp" || path.starts_with("/mcp/") || path == "/sse" || path == "/message" || path.starts_with("/api/");
        let claims = if guarded { self.authenticate(session).await? } else { None };
        if path == "/mcp" || path.starts_with("/mcp/") {
            let body = read_body(session, self.http.max_body_bytes).await?;
            return bridge::serve(&self.mcp, session, body, claims).await.map_err(|e| {
                tracing::debug!(error = %e, "the MCP response stream ended early");
                Reply::Gone
            });
        }
        if method == http::Method::GET && path == "/sse" {
            return sse::stream(&self.sse, self.server.clone(), session, self.cancel.clone()).await.map_err(|e| {
                tracing::debug!(error = %e, "a legacy SSE stream ended");
                Reply::Gone
            });
        }
        if method == http::Method::POST && path == "/message" {
            let body = read_body(session, self.http.max_body_bytes).await?;
            let query = session.req_header().uri.query().unwrap_or("").to_owned();
            return Err(sse::post(&self.sse, &query, &body, claims).await);
        }
        let reply = match (method.as_str(), path.as_str()) {
            ("GET", "/healthz") => Reply::json(200, json!({"status": "ok"})),
            ("GET", "/api-doc/openapi.json") => {
                static DOCUMENT: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
                Reply::json(200, DOCUMENT.get_or_init(|| serde_json::from_str(&openapi_json()).unwrap_or_default()).clone())
            }
            ("GET", "/readyz") => {
                if self.engine.is_closing() {
                    Reply::json(503, json!({"status": "shutting down"}))
                } else {
                    Reply::json(200, json!({"status": "ready"}))
                }
            }
            _ if path.starts_with("/api/") => {
                let body = read_body(session, self.http.max_body_bytes).await?;
                let query = session.req_header().uri.query().unwrap_or("").to_owned();
                rest::route(&self.engine, self.default_session.as_deref(), method.as_str(), &path, &query, &body).await
            }
            _ => Reply::error(404, format!("no route for {method} {path}")),
        };
        Err(reply)
    }

    /// `Ok(None)` when auth is off; the verified claims when it is on; a 401
    /// (or 503 when the key set cannot be had) otherwise.
    async fn authenticate(&self, session: &ServerSession) -> Result<Option<auth::Claims>, Reply> {
        let Some(verifier) = &self.auth else { return Ok(None) };
        let header = session.req_header().headers.get(http::header::AUTHORIZATION).and_then(|v| v.to_str().ok());
        match verifier.verify(header).await {
            Ok(claims) => Ok(Some(claims)),
            Err(error @ auth::AuthError::KeysUnavailable(_)) => {
                tracing::error!(%error, "cannot verify tokens");
                Err(Reply::error(503, "the identity provider's keys cannot be fetched; try again later"))
            }
            Err(error) => {
                let metadata = format!("{}/.well-known/oauth-protected-resource", self.base_url(session));
                let challenge = match &error {
                    auth::AuthError::Missing => format!("Bearer resource_metadata=\"{metadata}\""),
                    _ => format!("Bearer error=\"invalid_token\", resource_metadata=\"{metadata}\""),
                };
                tracing::debug!(%error, "request refused");
                Err(Reply::Unauthorized { challenge, message: error.to_string() })
            }
        }
    }

    /// RFC 9728 protected resource metadata.
    fn resource_metadata(&self, session: &ServerSession) -> Reply {
        let Some(verifier) = &self.auth else { return Reply::error(404, "auth is off: no protected resource metadata") };
        let base = self.base_url(session);
        Reply::json(
            200,
            json!({
                "resource": format!("{base}/mcp"),
                "authorization_servers": [verifier.issuer()],
                "bearer_methods_supported": ["header"],
                "resource_name": "mcp-v8",
            }),
        )
    }

    fn base_url(&self, session: &ServerSession) -> String {
        if let Some(url) = &self.http.public_url {
            return url.clone();
        }
        let host = session.req_header().headers.get(http::header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("localhost");
        let scheme = if self.http.tls.is_some() { "https" } else { "http" };
        format!("{scheme}://{host}")
    }
}

/// A response that is not streamed.
pub enum Reply {
    Json { status: u16, body: Value },
    /// 202 with no body.
    Accepted,
    /// 401 with its `WWW-Authenticate` challenge.
    Unauthorized { challenge: String, message: String },
    /// The connection is unusable (the client went away mid-stream).
    Gone,
}

impl Reply {
    pub fn json(status: u16, body: Value) -> Self {
        Reply::Json { status, body }
    }

    pub fn error(status: u16, message: impl Into<String>) -> Self {
        Reply::Json { status, body: json!({ "error": message.into() }) }
    }
}

async fn read_body(session: &mut ServerSession, limit: usize) -> Result<Bytes, Reply> {
    let declared = session
        .req_header()
        .headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(Reply::error(413, format!("request body over {limit} bytes")));
    }
    let mut body = bytes::BytesMut::new();
    loop {
        match session.read_request_body().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > limit {
                    return Err(Reply::error(413, format!("request body over {limit} bytes")));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body.freeze()),
            Err(error) => return Err(Reply::error(400, format!("cannot read the request body: {error}"))),
        }
    }
}

async fn write_json(
    session: &mut ServerSession,
    status: u16,
    body: &Value,
    challenge: Option<&str>,
) -> pingora_core::Result<()> {
    let bytes = Bytes::from(serde_json::to_vec(body).unwrap_or_default());
    let mut header = ResponseHeader::build(status, Some(4))?;
    if let Some(challenge) = challenge {
        header.insert_header(http::header::WWW_AUTHENTICATE, challenge)?;
    }
    header.insert_header(http::header::CONTENT_TYPE, "application/json")?;
    header.insert_header(http::header::CONTENT_LENGTH, bytes.len().to_string())?;
    header.insert_header(http::header::CACHE_CONTROL, "no-store")?;
    session.write_response_header(Box::new(header)).await?;
    session.write_response_body(bytes, true).await
}

#[async_trait]
impl HttpServerApp for App {
    async fn process_new_http(self: &Arc<Self>, mut session: ServerSession, shutdown: &ShutdownWatch) -> Option<ReusedHttpStream> {
        session.set_read_timeout(Some(IO_TIMEOUT));
        session.set_write_timeout(Some(IO_TIMEOUT));
        match session.read_request().await {
            Ok(true) => {}
            Ok(false) => return None,
            Err(error) => {
                tracing::debug!(%error, "cannot read a request");
                return None;
            }
        }
        session.set_keepalive(if *shutdown.borrow() { None } else { Some(KEEPALIVE_SECS) });
        match self.handle(&mut session).await {
            Ok(()) => {}
            Err(Reply::Json { status, body }) => {
                if let Err(error) = write_json(&mut session, status, &body, None).await {
                    tracing::debug!(%error, "cannot write a response");
                    return None;
                }
            }
            Err(Reply::Unauthorized { challenge, message }) => {
                if let Err(error) = write_json(&mut session, 401, &json!({ "error": message }), Some(&challenge)).await {
                    tracing::debug!(%error, "cannot write a response");
                    return None;
                }
            }
            Err(Reply::Accepted) => {
                let written = async {
                    let mut header = ResponseHeader::build(202, Some(1))?;
                    header.insert_header(http::header::CONTENT_LENGTH, "0")?;
                    session.write_response_header(Box::new(header)).await?;
                    session.write_response_body(Bytes::new(), true).await
                };
                if written.await.is_err() {
                    return None;
                }
            }
            Err(Reply::Gone) => return None,
        }
        let settings = HttpPersistentSettings::for_session(&session);
        match session.finish().await {
            Ok(stream) => stream.map(|s| ReusedHttpStream::from_reusable_stream(s, settings)),
            Err(_) => None,
        }
    }
}

/// Serves HTTP until `shutdown` flips to true, then stops accepting and
/// returns once open connections are done or cut.
pub async fn serve(
    engine: Arc<Engine>,
    config: &Config,
    http: HttpConfig,
    shutdown: tokio::sync::watch::Receiver<bool>,
) -> Result<(), GatewayError> {
    // The listeners (--tls-cert) and the JWKS client speak TLS through
    // rustls with ring; another provider installed first is fine too.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let cancel = CancellationToken::new();
    let addr = http.bind;
    let sse_addr = http.sse_bind;
    let shared = Arc::new(Shared::new(engine, config, http, cancel.clone()));
    let mut listeners = Vec::new();
    for (addr, legacy_only) in std::iter::once((addr, false)).chain(sse_addr.map(|a| (a, true))) {
        // Bind now, so a port in use is a startup error rather than a panic
        // in pingora's listener task.
        std::net::TcpListener::bind(addr).map_err(|e| GatewayError::Config(format!("cannot listen on {addr}: {e}")))?;
        let app = App { shared: shared.clone(), legacy_only };
        let mut service = pingora_core::services::listening::Service::new(format!("mcp-v8 {addr}"), app);
        match &shared.http.tls {
            Some((cert, key)) => service
                .add_tls(&addr.to_string(), &cert.to_string_lossy(), &key.to_string_lossy())
                .map_err(|e| GatewayError::Config(format!("TLS certificate or key: {e}")))?,
            None => service.add_tcp(&addr.to_string()),
        }
        listeners.push(service);
    }
    match sse_addr {
        Some(sse) => tracing::info!(%addr, %sse, "serving MCP at /mcp, REST at /api, health at /healthz; legacy SSE at /sse on both"),
        None => tracing::info!(%addr, "serving MCP at /mcp and legacy SSE at /sse, REST at /api, health at /healthz"),
    }
    let mut stop = shutdown.clone();
    let streams = tokio::spawn(async move {
        let _ = stop.wait_for(|closing| *closing).await;
        // Open SSE streams end, so their connections can close.
        cancel.cancel();
    });
    use pingora_core::services::Service as _;
    futures::future::join_all(listeners.iter_mut().map(|service| service.start_service(None, shutdown.clone(), 1))).await;
    streams.abort();
    Ok(())
}
