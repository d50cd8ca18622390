//! The W3C trace context of an upstream call, where the upstream looks for
//! it: in the request's `params._meta` (the MCP convention, any transport)
//! and, for HTTP upstreams, also in the `traceparent`/`tracestate` headers
//! of the POST that carries it (what HTTP instrumentation in front of or
//! inside the upstream reads).
//!
//! **Invariant:** the headers repeat what `_meta` holds and nothing else;
//! a message without a trace context is sent unchanged.

use std::collections::HashMap;

use futures::stream::BoxStream;
use http::{HeaderName, HeaderValue};
use rmcp::model::{ClientJsonRpcMessage, ClientRequest, GetMeta, JsonRpcMessage, RequestMetaObject, RequestParamsMeta};
use rmcp::transport::streamable_http_client::{
    StreamableHttpClient, StreamableHttpError, StreamableHttpPostResponse, StreamableHttpResponseLimits,
};

/// The trace context of the current span (the run's CLIENT span of the
/// call, or the request's when a call is forwarded) as a request's `_meta`,
/// so the upstream server's spans join the trace; `None` when traces are
/// off or the span is not sampled in.
pub fn meta() -> Option<RequestMetaObject> {
    use tracing_opentelemetry::OpenTelemetrySpanExt;
    let context = tracing::Span::current().context();
    let mut carrier = HashMap::new();
    opentelemetry::global::get_text_map_propagator(|propagator| propagator.inject_context(&context, &mut carrier));
    if !carrier.contains_key("traceparent") {
        return None;
    }
    let mut meta = RequestMetaObject::new();
    for (key, value) in carrier {
        meta.0.insert(key, serde_json::Value::String(value));
    }
    Some(meta)
}

/// The `traceparent` and `tracestate` of a JSON-RPC request, as headers.
pub fn headers_of(message: &ClientJsonRpcMessage) -> Vec<(HeaderName, HeaderValue)> {
    let JsonRpcMessage::Request(request) = message else { return Vec::new() };
    let typed = match &request.request {
        ClientRequest::CallToolRequest(call) => call.params.meta(),
        _ => None,
    };
    let extension = request.request.get_meta();
    let value = |key: &str| {
        typed
            .and_then(|meta| meta.0.get(key))
            .or_else(|| extension.0.get(key))
            .and_then(|value| value.as_str())
            .and_then(|value| HeaderValue::from_str(value).ok())
    };
    [("traceparent", value("traceparent")), ("tracestate", value("tracestate"))]
        .into_iter()
        .filter_map(|(name, value)| Some((HeaderName::from_static(name), value?)))
        .collect()
}

/// An rmcp Streamable HTTP client that also sends each request's trace
/// context as HTTP headers.
#[derive(Clone)]
pub struct Headers<C>(pub C);

type Error<C> = StreamableHttpError<<C as StreamableHttpClient>::Error>;

fn with_trace(
    message: &ClientJsonRpcMessage,
    mut headers: HashMap<HeaderName, HeaderValue>,
) -> HashMap<HeaderName, HeaderValue> {
    headers.extend(headers_of(message));
    headers
}

impl<C: StreamableHttpClient + Sync> StreamableHttpClient for Headers<C> {
    type Error = C::Error;

    async fn post_message(
        &self,
        uri: std::sync::Arc<str>,
        message: ClientJsonRpcMessage,
        session_id: Option<std::sync::Arc<str>>,
        auth: Option<String>,
        headers: HashMap<HeaderName, HeaderValue>,
    ) -> Result<StreamableHttpPostResponse, Error<C>> {
        let headers = with_trace(&message, headers);
        self.0.post_message(uri, message, session_id, auth, headers).await
    }

    async fn post_message_with_max_sse_event_size(
        &self,
        uri: std::sync::Arc<str>,
        message: ClientJsonRpcMessage,
        session_id: Option<std::sync::Arc<str>>,
        auth: Option<String>,
        headers: HashMap<HeaderName, HeaderValue>,
        max: usize,
    ) -> Result<StreamableHttpPostResponse, Error<C>> {
        let headers = with_trace(&message, headers);
        self.0.post_message_with_max_sse_event_size(uri, message, session_id, auth, headers, max).await
    }

    async fn post_message_with_response_limits(
        &self,
        uri: std::sync::Arc<str>,
        message: ClientJsonRpcMessage,
        session_id: Option<std::sync::Arc<str>>,
        auth: Option<String>,
        headers: HashMap<HeaderName, HeaderValue>,
        limits: StreamableHttpResponseLimits,
    ) -> Result<StreamableHttpPostResponse, Error<C>> {
        let headers = with_trace(&message, headers);
        self.0.post_message_with_response_limits(uri, message, session_id, auth, headers, limits).await
    }

    async fn delete_session(
        &self,
        uri: std::sync::Arc<str>,
        session_id: std::sync::Arc<str>,
        auth: Option<String>,
        headers: HashMap<HeaderName, HeaderValue>,
    ) -> Result<(), Error<C>> {
        self.0.delete_session(uri, session_id, auth, headers).await
    }

    async fn get_stream(
        &self,
        uri: std::sync::Arc<str>,
        session_id: Option<std::sync::Arc<str>>,
        last_event_id: Option<String>,
        auth: Option<String>,
        headers: HashMap<HeaderName, HeaderValue>,
    ) -> Result<BoxStream<'static, Result<sse_stream::Sse, sse_stream::Error>>, Error<C>> {
        self.0.get_stream(uri, session_id, last_event_id, auth, headers).await
    }

    async fn get_stream_with_max_sse_event_size(
        &self,
        uri: std::sync::Arc<str>,
        session_id: Option<std::sync::Arc<str>>,
        last_event_id: Option<String>,
        auth: Option<String>,
        headers: HashMap<HeaderName, HeaderValue>,
        max: usize,
    ) -> Result<BoxStream<'static, Result<sse_stream::Sse, sse_stream::Error>>, Error<C>> {
        self.0.get_stream_with_max_sse_event_size(uri, session_id, last_event_id, auth, headers, max).await
    }
}

/// The HTTP client rmcp would make for a Streamable HTTP upstream: no idle
/// connection pool (rmcp's choice, against delayed-ACK stalls) and
/// redirects followed only within the upstream's origin, so headers meant
/// for it (a bearer token, configured headers) go nowhere else.
pub fn http_client() -> reqwest::Client {
    let policy = reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt.previous().first().is_some_and(|first| {
            let url = attempt.url();
            first.scheme() == url.scheme()
                && first.host_str() == url.host_str()
                && first.port_or_known_default() == url.port_or_known_default()
        });
        if attempt.previous().len() >= 10 || !same_origin { attempt.stop() } else { attempt.follow() }
    });
    reqwest::Client::builder().pool_max_idle_per_host(0).redirect(policy).build().unwrap_or_default()
}
