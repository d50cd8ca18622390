//! The SERVER span of one MCP request, as the OpenTelemetry semantic
//! conventions for MCP name it: `{mcp.method.name} {target}`
//! (`tools/call run_js`), with the convention's attributes, and the
//! client's trace as parent: `params._meta.traceparent` / `tracestate`
//! when the client sends them, else the HTTP request's `traceparent`.
//!
//! **Invariant:** `error.type` is set exactly when the span's status is an
//! error: the JSON-RPC error code, or `tool_error` for a result with
//! `isError`.

use opentelemetry::propagation::Extractor;
use rmcp::model::JsonObject;
use tracing::field::Empty;

/// The target of the gateway's request spans: under
/// [`mcp_v8_runtime::TRACED_TARGETS`], so the runtime opens a run's spans
/// under them.
pub const SPAN_TARGET: &str = "mcp_v8::mcp";

/// What the span of one request is made from.
pub struct Request<'a> {
    /// `tools/call`, `resources/read`, ...
    pub method: &'a str,
    /// The tool, prompt or resource named, if any.
    pub target: Option<&'a str>,
    pub request_id: &'a dyn std::fmt::Display,
    /// The request's `params._meta`.
    pub meta: &'a JsonObject,
    /// The HTTP request's head (Streamable HTTP, legacy SSE); `None` over stdio.
    pub http: Option<&'a http::request::Parts>,
    /// The protocol version agreed at initialization (asked only when the
    /// request is traced).
    pub protocol_version: &'a dyn Fn() -> Option<String>,
}

/// Opens the SERVER span of a request: a disabled span when traces are off
/// or the sampler drops the request ([`super::sampling`]), which then costs
/// no span at all.
pub fn server_span(request: &Request<'_>) -> tracing::Span {
    let from_meta = Meta(request.meta);
    let parent = || {
        if from_meta.get("traceparent").is_some() {
            trace_context(&from_meta)
        } else {
            request.http.map_or_else(opentelemetry::Context::new, |parts| trace_context(&Headers(&parts.headers)))
        }
    };
    let Some(parent) = super::sampling::kept(parent, request.method) else {
        return tracing::Span::none();
    };
    // Every attribute is known now: set as the span is made, they go
    // straight into it (recorded later, each would go through every layer).
    let name = match request.target {
        Some(target) => format!("{} {target}", request.method),
        None => request.method.to_owned(),
    };
    let tool_call = request.method == "tools/call";
    let http = request.http;
    let session = http.and_then(|parts| parts.headers.get("mcp-session-id")).and_then(|v| v.to_str().ok());
    let address = http.and_then(|parts| parts.extensions.get::<ClientAddress>()).map(|a| a.0.as_str());
    let version = (request.protocol_version)();
    let span = tracing::info_span!(
        target: SPAN_TARGET,
        "mcp.request",
        otel.name = %name,
        otel.kind = "server",
        "mcp.method.name" = request.method,
        "jsonrpc.request.id" = %request.request_id,
        "gen_ai.tool.name" = if tool_call { request.target } else { None },
        "gen_ai.operation.name" = tool_call.then_some("execute_tool"),
        "mcp.session.id" = session,
        "mcp.protocol.version" = version.as_deref(),
        "network.transport" = if http.is_some() { "tcp" } else { "pipe" },
        "network.protocol.name" = http.is_some().then_some("http"),
        "client.address" = address,
        "error.type" = Empty,
        otel.status_code = Empty,
        otel.status_description = Empty,
    );
    super::sampling::start(&span, parent);
    span
}

/// The SERVER span of a REST request (`POST /api/exec`), per the HTTP
/// semantic conventions; its parent from the `traceparent` header.
pub fn http_span(method: &str, route: Option<&str>, headers: &http::HeaderMap, client: Option<&str>) -> tracing::Span {
    let Some(parent) = super::sampling::kept(|| trace_context(&Headers(headers)), method) else {
        return tracing::Span::none();
    };
    let span = tracing::info_span!(
        target: SPAN_TARGET,
        "http.request",
        otel.name = %format_args!("{method} {}", route.unwrap_or("/api")),
        otel.kind = "server",
        "http.request.method" = method,
        "http.route" = route,
        "network.transport" = "tcp",
        "client.address" = client,
        "http.response.status_code" = Empty,
        "error.type" = Empty,
        otel.status_code = Empty,
    );
    super::sampling::start(&span, parent);
    span
}

/// Ends a REST request's span: a 5xx is an error (a 4xx is the caller's).
pub fn finish_http(span: &tracing::Span, status: u16) {
    span.record("http.response.status_code", status);
    if status >= 500 {
        span.record("error.type", status.to_string().as_str());
        span.record("otel.status_code", "error");
    }
}

/// Ends a request's span with its outcome.
pub fn finish(span: &tracing::Span, error_type: Option<&str>, description: Option<&str>) {
    if let Some(error_type) = error_type {
        span.record("error.type", error_type);
        span.record("otel.status_code", "error");
        if let Some(description) = description {
            span.record("otel.status_description", description);
        }
    }
}

/// The W3C trace context a carrier (`_meta`, HTTP headers) holds.
fn trace_context(carrier: &dyn Extractor) -> opentelemetry::Context {
    opentelemetry::propagation::TextMapPropagator::extract(
        &opentelemetry_sdk::propagation::TraceContextPropagator::new(),
        carrier,
    )
}

/// The peer address of an HTTP request, put in its extensions by the
/// listener.
#[derive(Debug, Clone)]
pub struct ClientAddress(pub String);

impl ClientAddress {
    /// The IP address of a pingora session's peer.
    pub fn of(session: &pingora_core::protocols::http::ServerSession) -> Option<Self> {
        session.client_addr().and_then(|a| a.as_inet()).map(|a| Self(a.ip().to_string()))
    }
}

/// `params._meta` read as a carrier of the W3C trace context.
struct Meta<'a>(&'a JsonObject);

impl Extractor for Meta<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|v| v.as_str())
    }

    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(String::as_str).collect()
    }
}

/// HTTP headers read as a carrier of the W3C trace context.
struct Headers<'a>(&'a http::HeaderMap);

impl Extractor for Headers<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|v| v.to_str().ok())
    }

    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(http::HeaderName::as_str).collect()
    }
}
