//! The HTTP front door (`--http-port`), on pingora: a listener that routes
//! `/mcp` to rmcp's Streamable HTTP service (`bridge`), `/sse` + `/message`
//! to the legacy HTTP+SSE transport (`sse`, also alone on `--sse-port`),
//! `/api/...` to the REST sidecar (`rest`), and answers `/healthz`,
//! `/readyz`, `/api-doc/openapi.json`, the OAuth resource metadata and the
//! agent discovery pages (`/` redirects to `/llms.txt`; `/docs` is the
//! README). Every route but health passes the Host/Origin guard (`guard`;
//! rmcp applies the same lists to `/mcp`), and with `--jwks-url` the MCP
//! and API routes need a bearer token (`auth`).
//!
//! pingora's `listening::Service` is started directly on the process's tokio
//! runtime rather than through `pingora::Server`, which owns the process
//! (its own runtimes, its own signal handling, `exit` when done). The
//! gateway keeps one runtime, one signal handler and one shutdown path.
//! Listeners are bound by the caller ([`Listeners::bind`]) and handed to
//! pingora as file descriptors, so tests can bind port 0 and a port in use
//! is a clean start-up error.
//!
//! **Invariants:**
//! - Every response is written whole or streamed; a handler never leaves a
//!   request unanswered (errors become JSON bodies with a status).
//! - Request bodies are read up to `max_body_bytes` and refused past it
//!   with 413 before anything is parsed.

mod bridge;
mod guard;
pub mod ops;
mod rest;
mod sse;

use std::os::fd::IntoRawFd;
use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;
use pingora_core::apps::{HttpPersistentSettings, HttpServerApp, ReusedHttpStream};
use pingora_core::protocols::http::ServerSession;
use pingora_core::server::ShutdownWatch;
use pingora_http::ResponseHeader;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

use crate::auth::{AuthError, Claims, Verifier};
use crate::config::HttpConfig;
use crate::error::GatewayError;
use crate::mcp::McpServer;
use crate::service::Service;
use crate::telemetry;
use tracing::Instrument;

pub use rest::openapi;

/// Idle keep-alive of a client connection between requests, in seconds.
const KEEPALIVE_SECS: u64 = 60;
/// How long one read of a request (header or body chunk) or one write of a
/// response may stall before the connection is dropped: a client that
/// trickles bytes cannot hold a connection and its task forever.
const IO_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);
/// The agent guide served at `/llms.txt`, and the README at `/docs`.
const LLMS_TXT: &str = include_str!("llms.txt");
const README: &str = include_str!("../../../README.md");

type McpService = StreamableHttpService<McpServer, LocalSessionManager>;

/// The bound sockets of the HTTP front door.
pub struct Listeners {
    pub main: std::net::TcpListener,
    /// The `--sse-port` listener.
    pub sse: Option<std::net::TcpListener>,
    /// The `--metrics-port` listener.
    pub metrics: Option<std::net::TcpListener>,
}

impl Listeners {
    /// Binds the configured addresses (port 0 picks a free port), and the
    /// metrics listener's when there is one.
    pub fn bind(http: &HttpConfig, metrics: Option<std::net::SocketAddr>) -> Result<Self, GatewayError> {
        Ok(Self {
            main: bind(http.bind)?,
            sse: http.sse_bind.map(bind).transpose()?,
            metrics: metrics.map(bind).transpose()?,
        })
    }

    /// The address the main listener is bound to.
    pub fn local_addr(&self) -> std::io::Result<std::net::SocketAddr> {
        self.main.local_addr()
    }
}

/// Binds one listener; an address in use is a start-up error.
pub fn bind(addr: std::net::SocketAddr) -> Result<std::net::TcpListener, GatewayError> {
    std::net::TcpListener::bind(addr).map_err(|e| GatewayError::Config(format!("cannot listen on {addr}: {e}")))
}

/// Hands a bound listener to pingora, which takes the socket instead of
/// binding the address and accepts on tokio (so the socket must be
/// non-blocking); returns the address to serve it under.
fn hand_over(listener: std::net::TcpListener, fds: &pingora_core::server::ListenFds) -> Result<String, GatewayError> {
    let addr = listener.local_addr().map_err(|e| GatewayError::Transport(e.to_string()))?.to_string();
    listener.set_nonblocking(true).map_err(|e| GatewayError::Transport(e.to_string()))?;
    fds.lock().add(addr.clone(), listener.into_raw_fd());
    Ok(addr)
}

/// Everything a request may need; shared by all connections of all
/// listeners.
pub struct Shared {
    service: Service,
    /// Each MCP connection gets a copy (`for_connection`).
    server: McpServer,
    mcp: McpService,
    http: HttpConfig,
    auth: Option<Verifier>,
    sse: sse::Sessions,
    cancel: CancellationToken,
    /// The OpenAPI document, made once for this configuration.
    openapi: Value,
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
    pub fn new(service: Service, server: McpServer, http: HttpConfig, cancel: CancellationToken) -> Self {
        let factory = {
            let server = server.clone();
            move || Ok(server.for_connection())
        };
        let mut mcp_config = StreamableHttpServerConfig::default();
        mcp_config.allowed_hosts = http.allowed_hosts.clone();
        mcp_config.allowed_origins = http.allowed_origins.clone();
        mcp_config.cancellation_token = cancel.clone();
        // An empty list (set explicitly) refuses every request with an Origin.
        let mcp_config = if http.allowed_origins.is_empty() { mcp_config.enforce_origin_validation() } else { mcp_config };
        Self {
            mcp: StreamableHttpService::new(factory, Arc::new(session_manager(&http)), mcp_config),
            openapi: openapi(service.engine().config(), http.auth.is_some(), service.run_js_file()),
            auth: http.auth.clone().map(Verifier::new),
            sse: sse::Sessions::default(),
            service,
            server,
            cancel,
            http,
        }
    }
}

/// MCP sessions on Streamable HTTP: one ends when its client closes it, or
/// after `--mcp-session-idle-secs` without a request (its connection's
/// implicit session then expires `--connection-ttl-secs` later).
fn session_manager(http: &HttpConfig) -> LocalSessionManager {
    let mut manager = LocalSessionManager::default();
    manager.session_config.keep_alive = Some(http.mcp_session_idle);
    manager
}

impl App {
    async fn handle(&self, session: &mut ServerSession) -> Result<(), Reply> {
        let path = session.req_header().uri.path().to_owned();
        let method = session.req_header().method.clone();
        if path.starts_with("/.well-known/oauth-protected-resource") {
            return Err(self.resource_metadata(session));
        }
        // Health and metrics carry nothing of a caller's: no guard, no auth
        // (a scraper sends no token; keep the port off the internet).
        let health = path == "/healthz" || path == "/readyz" || path == "/metrics";
        if self.legacy_only && !health && path != "/sse" && path != "/message" {
            return Err(Reply::error(404, format!("this port serves only the legacy SSE transport (/sse, /message), not {path}")));
        }
        if !health && !path.starts_with("/mcp") {
            // /mcp is checked by rmcp itself, with the same lists.
            guard::check(session.req_header(), &self.http)?;
        }
        let guarded = path == "/mcp"
            || path.starts_with("/mcp/")
            || path == "/sse"
            || path == "/message"
            || path.starts_with("/api/")
            || path == "/dashboard/data";
        let claims = if guarded { self.authenticate(session).await? } else { None };
        if path == "/mcp" || path.starts_with("/mcp/") {
            let body = read_body(session, self.http.max_body_bytes).await?;
            return bridge::serve(&self.mcp, session, body, claims).await.map_err(|e| {
                tracing::debug!(error = %e, "the MCP response stream ended early");
                Reply::Gone
            });
        }
        if path == "/sse" || path == "/message" {
            return match method.as_str() {
                "GET" if path == "/sse" => sse::stream(&self.sse, self.server.for_connection(), session, self.cancel.clone())
                    .await
                    .map_err(|e| {
                        tracing::debug!(error = %e, "a legacy SSE stream ended");
                        Reply::Gone
                    }),
                "POST" if path == "/message" => {
                    let body = read_body(session, self.http.max_body_bytes).await?;
                    let query = session.req_header().uri.query().unwrap_or("").to_owned();
                    Err(sse::post(&self.sse, &query, &body, claims).await)
                }
                _ => Err(Reply::MethodNotAllowed { allow: if path == "/sse" { "GET" } else { "POST" }.into() }),
            };
        }
        if let Some(api) = path.strip_prefix("/api") {
            if api == "-doc/openapi.json" || path == "/api-doc/openapi.json" {
                return Err(only_get(&method).unwrap_or_else(|| Reply::json(200, self.openapi.clone())));
            }
            if api.starts_with('/') {
                let body = read_body(session, self.http.max_body_bytes).await?;
                let query = session.req_header().uri.query().unwrap_or("").to_owned();
                let caller = self.service.caller(claims.as_ref(), None);
                let address = telemetry::request::ClientAddress::of(session);
                let span = telemetry::request::http_span(
                    method.as_str(),
                    rest::route_name(&path).as_deref(),
                    &session.req_header().headers,
                    address.as_ref().map(|a| a.0.as_str()),
                );
                let started = std::time::Instant::now();
                let reply =
                    rest::route(&self.service, &caller, method.as_str(), &path, &query, &body).instrument(span.clone()).await;
                telemetry::request::finish_http(&span, reply.status());
                self.service.metrics().rest_request(started.elapsed().as_secs_f64(), reply.status() >= 500);
                return Err(reply);
            }
        }
        if let Some(reply) = ops::reply(&self.service, &method, &path, self.auth.is_none()) {
            return Err(reply);
        }
        let reply = match path.as_str() {
            "/" => only_get(&method).unwrap_or(Reply::Redirect { location: "/llms.txt" }),
            "/llms.txt" => only_get(&method).unwrap_or(Reply::Text { status: 200, content_type: "text/markdown; charset=utf-8", body: Bytes::from_static(LLMS_TXT.as_bytes()) }),
            "/docs" => only_get(&method).unwrap_or(Reply::Text { status: 200, content_type: "text/markdown; charset=utf-8", body: Bytes::from_static(README.as_bytes()) }),
            _ => Reply::error(404, format!("no route for {method} {path}")),
        };
        Err(reply)
    }

    /// `Ok(None)` when auth is off; the verified claims when it is on; a 401
    /// (or 503 when the key set cannot be had) otherwise.
    async fn authenticate(&self, session: &ServerSession) -> Result<Option<Claims>, Reply> {
        let Some(verifier) = &self.auth else { return Ok(None) };
        let header = session.req_header().headers.get(http::header::AUTHORIZATION).and_then(|v| v.to_str().ok());
        match verifier.verify(header).await {
            Ok(claims) => Ok(Some(claims)),
            Err(error @ AuthError::KeysUnavailable(_)) => {
                self.service.metrics().auth_failure("keys_unavailable");
                tracing::error!(%error, "cannot verify tokens");
                Err(Reply::error(503, "the identity provider's keys cannot be fetched; try again later"))
            }
            Err(error) => {
                self.service.metrics().auth_failure(match &error {
                    AuthError::Missing => "missing",
                    _ => "invalid",
                });
                let metadata = format!("{}/.well-known/oauth-protected-resource", self.base_url(session));
                let challenge = match &error {
                    AuthError::Missing => format!("Bearer resource_metadata=\"{metadata}\""),
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

/// 405 for a GET-only route asked with another method.
fn only_get(method: &http::Method) -> Option<Reply> {
    (method != http::Method::GET && method != http::Method::HEAD).then(|| Reply::MethodNotAllowed { allow: "GET".into() })
}

/// A response that is not streamed.
pub enum Reply {
    Json { status: u16, body: Value },
    Text { status: u16, content_type: &'static str, body: Bytes },
    /// 308 to another path.
    Redirect { location: &'static str },
    /// 405 with the methods the path answers.
    MethodNotAllowed { allow: String },
    /// 202 with no body.
    Accepted,
    /// 401 with its `WWW-Authenticate` challenge.
    Unauthorized { challenge: String, message: String },
    /// The connection is unusable (the client went away mid-stream).
    Gone,
}

impl Reply {
    /// The HTTP status it is sent with.
    pub fn status(&self) -> u16 {
        match self {
            Reply::Json { status, .. } | Reply::Text { status, .. } => *status,
            Reply::Redirect { .. } => 308,
            Reply::MethodNotAllowed { .. } => 405,
            Reply::Accepted => 202,
            Reply::Unauthorized { .. } => 401,
            Reply::Gone => 499,
        }
    }

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

/// Writes a whole response with the given headers.
async fn write(
    session: &mut ServerSession,
    status: u16,
    headers: &[(http::header::HeaderName, String)],
    body: Bytes,
) -> pingora_core::Result<()> {
    let mut header = ResponseHeader::build(status, Some(headers.len() + 2))?;
    for (name, value) in headers {
        header.insert_header(name.clone(), value.as_str())?;
    }
    header.insert_header(http::header::CONTENT_LENGTH, body.len().to_string())?;
    header.insert_header(http::header::CACHE_CONTROL, "no-store")?;
    session.write_response_header(Box::new(header)).await?;
    session.write_response_body(body, true).await
}

fn json_body(body: &Value) -> Bytes {
    Bytes::from(serde_json::to_vec(body).unwrap_or_default())
}

async fn write_reply(session: &mut ServerSession, reply: Reply) -> pingora_core::Result<()> {
    use http::header::{ALLOW, CONTENT_TYPE, LOCATION, WWW_AUTHENTICATE};
    let json = || (CONTENT_TYPE, "application/json".to_owned());
    match reply {
        Reply::Json { status, body } => write(session, status, &[json()], json_body(&body)).await,
        Reply::Text { status, content_type, body } => {
            write(session, status, &[(CONTENT_TYPE, content_type.to_owned()), (http::header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned())], body).await
        }
        Reply::Redirect { location } => write(session, 308, &[(LOCATION, location.to_owned())], Bytes::new()).await,
        Reply::MethodNotAllowed { allow } => {
            let body = json!({ "error": format!("method not allowed; this path answers {allow}") });
            write(session, 405, &[json(), (ALLOW, allow)], json_body(&body)).await
        }
        Reply::Accepted => write(session, 202, &[], Bytes::new()).await,
        Reply::Unauthorized { challenge, message } => {
            write(session, 401, &[json(), (WWW_AUTHENTICATE, challenge)], json_body(&json!({ "error": message }))).await
        }
        Reply::Gone => Ok(()),
    }
}

/// What a listener's application does with one request: answer it
/// (`Err(reply)`, written by [`process`]) or stream the answer itself
/// (`Ok`).
#[async_trait]
pub(crate) trait Handle: Send + Sync {
    async fn handle(&self, session: &mut ServerSession) -> Result<(), Reply>;
}

#[async_trait]
impl Handle for App {
    async fn handle(&self, session: &mut ServerSession) -> Result<(), Reply> {
        App::handle(self, session).await
    }
}

#[async_trait]
impl HttpServerApp for App {
    async fn process_new_http(self: &Arc<Self>, session: ServerSession, shutdown: &ShutdownWatch) -> Option<ReusedHttpStream> {
        process(self.as_ref(), session, shutdown).await
    }
}

/// Reads one request with the I/O timeouts, lets `app` answer it, and
/// hands the connection back for keep-alive when it is still usable.
async fn process(app: &impl Handle, mut session: ServerSession, shutdown: &ShutdownWatch) -> Option<ReusedHttpStream> {
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
    match app.handle(&mut session).await {
        Ok(()) => {}
        Err(Reply::Gone) => return None,
        Err(reply) => {
            if let Err(error) = write_reply(&mut session, reply).await {
                tracing::debug!(%error, "cannot write a response");
                return None;
            }
        }
    }
    let settings = HttpPersistentSettings::for_session(&session);
    match session.finish().await {
        Ok(stream) => stream.map(|s| ReusedHttpStream::from_reusable_stream(s, settings)),
        Err(_) => None,
    }
}

/// Serves HTTP on `listeners` until `shutdown` flips to true, then stops
/// accepting and returns once open connections are done or cut.
pub async fn serve(
    service: Service,
    server: McpServer,
    http: HttpConfig,
    listeners: Listeners,
    shutdown: tokio::sync::watch::Receiver<bool>,
) -> Result<(), GatewayError> {
    // The listeners (--tls-cert) and the JWKS client speak TLS through
    // rustls with ring; another provider installed first is fine too.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let cancel = CancellationToken::new();
    let metrics = listeners
        .metrics
        .map(|listener| tokio::spawn(ops::serve(service.clone(), listener, http.auth.is_none(), shutdown.clone())));
    let shared = Arc::new(Shared::new(service, server, http, cancel.clone()));
    let fds: pingora_core::server::ListenFds = Arc::new(parking_lot::Mutex::new(pingora_core::server::Fds::new()));
    let mut services = Vec::new();
    let bound = std::iter::once((listeners.main, false)).chain(listeners.sse.map(|l| (l, true)));
    for (listener, legacy_only) in bound {
        let addr = hand_over(listener, &fds)?;
        let app = App { shared: shared.clone(), legacy_only };
        let mut service = pingora_core::services::listening::Service::new(format!("mcp-v8 {addr}"), app);
        match &shared.http.tls {
            Some((cert, key)) => service
                .add_tls(&addr, &cert.to_string_lossy(), &key.to_string_lossy())
                .map_err(|e| GatewayError::Config(format!("TLS certificate or key: {e}")))?,
            None => service.add_tcp(&addr),
        }
        let scheme = if shared.http.tls.is_some() { "https" } else { "http" };
        if legacy_only {
            tracing::info!("serving the legacy SSE transport on {scheme}://{addr}/sse");
        } else {
            tracing::info!("serving on {scheme}://{addr}: MCP at /mcp (and legacy SSE at /sse), REST at /api, health at /healthz");
        }
        services.push(service);
    }
    let mut stop = shutdown.clone();
    let streams = tokio::spawn(async move {
        let _ = stop.wait_for(|closing| *closing).await;
        // Open SSE streams end, so their connections can close.
        cancel.cancel();
    });
    use pingora_core::services::Service as _;
    futures::future::join_all(services.iter_mut().map(|service| service.start_service(Some(fds.clone()), shutdown.clone(), 1))).await;
    streams.abort();
    if let Some(metrics) = metrics {
        metrics.await.map_err(|e| GatewayError::Transport(e.to_string()))??;
    }
    Ok(())
}
