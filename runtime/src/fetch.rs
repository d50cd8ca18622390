//! The `fetch` capability: deno_fetch's two ops, `op_fetch` (build the
//! request) and `op_fetch_send` (send it), replaced by name (the op
//! middleware in `ext.rs`) with these, so every request is decided before
//! it leaves and the rest of deno_fetch (Headers, Request, Response,
//! bodies, redirects, AbortSignal) is Deno's own.
//!
//! A redirect is followed in JavaScript and comes back through both ops:
//! every hop is decided again, with its own URL. The decision's input is
//! `{operation: "fetch", url, method, headers, url_parsed: {scheme, host,
//! port, path, query}}`; then the gateway's [`HeaderInjector`] adds headers
//! for that host (secrets the script never sees; a header the script set
//! wins), and the response body is cut at `--fetch-max-bytes`.
//!
//! **Invariants:**
//! - Nothing is sent before the decision: `op_fetch` only builds the
//!   request; `op_fetch_send` decides, then sends.
//! - Injected headers are added after the decision, are never in its
//!   input or in any error, and are chosen again for every hop.

use std::cell::RefCell;
use std::rc::Rc;

use deno_core::convert::{ByteString, Uint8Array};
use deno_core::{CancelFuture, CancelHandle, OpState, Resource, ResourceId, op2};
use deno_error::JsErrorBox;
use deno_fetch::{
    FetchCancelHandle, FetchResponse, FetchResponseResource, FetchReturn, ReqBody, ResourceToBodyAdapter,
};
use http::header::{CONTENT_LENGTH, HOST, HeaderName, HeaderValue};
use http_body_util::BodyExt;
use serde_json::{Map, Value};
use tracing::Instrument;
use url::Url;

use crate::capability::Capability;
use crate::context::RunContext;

/// Adds the headers a host gets (tokens, API keys) to requests user code
/// makes. Implemented by the gateway (`--fetch-header`).
#[async_trait::async_trait]
pub trait HeaderInjector: Send + Sync + 'static {
    /// The headers for a request to `url` with `method`, leaving out any
    /// named in `present` (lower case: the script set them, and what the
    /// script set wins; a token it would replace is not even fetched). An
    /// error (a token that could not be had) fails the request; its text
    /// must not contain the secret.
    async fn headers(&self, url: &Url, method: &str, present: &[String]) -> Result<Vec<(String, String)>, String>;
}

/// Injects nothing: the default.
pub struct NoHeaders;

#[async_trait::async_trait]
impl HeaderInjector for NoHeaders {
    async fn headers(&self, _url: &Url, _method: &str, _present: &[String]) -> Result<Vec<(String, String)>, String> {
        Ok(Vec::new())
    }
}

/// A request built by [`op_mcpv8_fetch`], waiting for its decision.
struct PendingFetch {
    request: RefCell<Option<http::Request<ReqBody>>>,
    url: Url,
    cancel: Rc<CancelHandle>,
}

impl Resource for PendingFetch {
    fn name(&self) -> std::borrow::Cow<'_, str> {
        "fetchRequest".into()
    }
}

/// Replaces deno_fetch's `op_fetch` (same arguments): builds the request,
/// sends nothing.
#[op2(stack_trace)]
#[allow(clippy::too_many_arguments, reason = "the arguments of the op it replaces")]
pub fn op_mcpv8_fetch(
    state: &mut OpState,
    #[scoped] method: ByteString,
    #[string] url: String,
    #[scoped] headers: Vec<(ByteString, ByteString)>,
    #[smi] client_rid: Option<u32>,
    has_body: bool,
    data: Option<Uint8Array>,
    #[smi] resource: Option<ResourceId>,
) -> Result<FetchReturn, JsErrorBox> {
    if client_rid.is_some() {
        return Err(JsErrorBox::type_error("fetch: custom HTTP clients are not available"));
    }
    let method = http::Method::from_bytes(&method).map_err(|_| JsErrorBox::type_error("fetch: invalid method"))?;
    let mut url = Url::parse(&url).map_err(|_| JsErrorBox::type_error(format!("fetch: invalid URL '{url}'")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(JsErrorBox::type_error(format!("fetch: only http: and https: URLs, not {}", url.scheme())));
    }
    let authority = deno_fetch::extract_authority(&mut url);
    let uri: http::Uri =
        url.as_str().parse().map_err(|_| JsErrorBox::type_error(format!("fetch: invalid URL '{url}'")))?;
    let mut length = None;
    let body = if has_body {
        match (data, resource) {
            (Some(data), _) => {
                length = Some(data.len() as u64);
                ReqBody::full(data.0.into())
            }
            (None, Some(rid)) => {
                let resource = state.resource_table.take_any(rid).map_err(JsErrorBox::from_err)?;
                if let (size, Some(n)) = resource.size_hint()
                    && size == n
                    && size > 0
                {
                    length = Some(size);
                }
                ReqBody::streaming(ResourceToBodyAdapter::new(resource))
            }
            (None, None) => return Err(JsErrorBox::type_error("fetch: a body without data")),
        }
    } else {
        if matches!(method, http::Method::POST | http::Method::PUT) {
            length = Some(0);
        }
        ReqBody::empty()
    };
    let mut request = http::Request::new(body);
    *request.method_mut() = method;
    *request.uri_mut() = uri;
    if let Some((user, password)) = authority {
        request.headers_mut().insert(http::header::AUTHORIZATION, deno_fetch::basic_auth(&user, password.as_deref()));
    }
    if let Some(length) = length {
        request.headers_mut().insert(CONTENT_LENGTH, length.into());
    }
    for (key, value) in headers {
        let name = HeaderName::from_bytes(&key).map_err(|_| JsErrorBox::type_error("fetch: invalid header name"))?;
        let value =
            HeaderValue::from_bytes(&value).map_err(|_| JsErrorBox::type_error("fetch: invalid header value"))?;
        if name != HOST && name != CONTENT_LENGTH {
            request.headers_mut().append(name, value);
        }
    }
    let cancel = CancelHandle::new_rc();
    let request_rid =
        state.resource_table.add(PendingFetch { request: RefCell::new(Some(request)), url, cancel: cancel.clone() });
    let cancel_handle_rid = state.resource_table.add(FetchCancelHandle(cancel));
    Ok(FetchReturn { request_rid, cancel_handle_rid: Some(cancel_handle_rid) })
}

/// `url_parsed` of a decision's input: `{scheme, host, port, path, query}`.
pub(crate) fn url_parsed(url: &Url) -> Value {
    let mut parsed = Map::new();
    parsed.insert("scheme".into(), Value::String(url.scheme().into()));
    parsed.insert("host".into(), Value::String(url.host_str().unwrap_or("").into()));
    parsed.insert("port".into(), url.port_or_known_default().map_or(Value::Null, Value::from));
    parsed.insert("path".into(), Value::String(url.path().into()));
    parsed.insert("query".into(), Value::String(url.query().unwrap_or("").into()));
    Value::Object(parsed)
}

/// The decision's input for one hop.
fn input(url: &Url, request: &http::Request<ReqBody>) -> Map<String, Value> {
    let mut headers = Map::new();
    for (name, value) in request.headers() {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        match headers.get_mut(name.as_str()) {
            Some(Value::String(existing)) => {
                existing.push_str(", ");
                existing.push_str(&value);
            }
            _ => {
                headers.insert(name.as_str().to_owned(), Value::String(value));
            }
        }
    }
    let mut fields = Map::new();
    fields.insert("operation".into(), Value::String("fetch".into()));
    fields.insert("url".into(), Value::String(url.to_string()));
    fields.insert("method".into(), Value::String(request.method().as_str().into()));
    fields.insert("headers".into(), Value::Object(headers));
    fields.insert("url_parsed".into(), url_parsed(url));
    fields
}

/// Replaces deno_fetch's `op_fetch_send`: decides the hop, adds the
/// injected headers, sends, and caps the response body. Each hop is a
/// CLIENT span named by the HTTP semantic conventions (`GET`), its
/// decision under it; `url.full` leaves out the query (it may hold
/// secrets).
#[op2]
pub async fn op_mcpv8_fetch_send(
    state: Rc<RefCell<OpState>>,
    #[smi] rid: ResourceId,
) -> Result<FetchResponse, JsErrorBox> {
    let pending = state.borrow_mut().resource_table.take::<PendingFetch>(rid).map_err(JsErrorBox::from_err)?;
    let request =
        pending.request.borrow_mut().take().ok_or_else(|| JsErrorBox::generic("fetch: request already sent"))?;
    let url = &pending.url;
    let span = child_span!(
        "fetch",
        otel.kind = "client",
        otel.name = request.method().as_str(),
        "http.request.method" = request.method().as_str(),
        "url.full" = %url_full(url),
        "server.address" = url.host_str().unwrap_or(""),
        "server.port" = url.port_or_known_default(),
        "http.response.status_code" = tracing::field::Empty,
        "error.type" = tracing::field::Empty,
        otel.status_code = tracing::field::Empty,
    );
    let result = send(state, &pending, request).instrument(span.clone()).await;
    let error_type = match &result {
        Ok(response) if response.error.is_some() => Some(std::borrow::Cow::Borrowed("TypeError")),
        Ok(response) if response.status >= 400 => Some(std::borrow::Cow::Owned(response.status.to_string())),
        Ok(_) => None,
        Err(error) => Some(deno_error::JsErrorClass::get_class(error)),
    };
    if let Ok(response) = &result
        && response.error.is_none()
    {
        span.record("http.response.status_code", response.status);
    }
    if let Some(error_type) = error_type {
        span.record("error.type", error_type.as_ref());
        span.record("otel.status_code", "error");
    }
    result
}

async fn send(
    state: Rc<RefCell<OpState>>,
    pending: &PendingFetch,
    mut request: http::Request<ReqBody>,
) -> Result<FetchResponse, JsErrorBox> {
    let url = pending.url.clone();
    let context = RunContext::current(&state.borrow())?;
    let operation = format!("{} {}", request.method(), url);
    context.check(Capability::Fetch, &operation, input(&url, &request)).await?;

    let present: Vec<String> = request.headers().keys().map(|name| name.as_str().to_owned()).collect();
    let injected = context
        .until_stopped(context.fetch.injector.headers(&url, request.method().as_str(), &present))
        .await?
        .map_err(|why| {
            JsErrorBox::type_error(format!(
                "fetch: the credentials for {} could not be had: {why}",
                url.host_str().unwrap_or("")
            ))
        })?;
    for (name, value) in injected {
        let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(&value)) else {
            return Err(JsErrorBox::type_error("fetch: an injected header is not valid (check --fetch-header)"));
        };
        // What the script set itself wins.
        if !request.headers().contains_key(&name) {
            let mut value = value;
            value.set_sensitive(true);
            request.headers_mut().insert(name, value);
        }
    }

    let client = deno_fetch::get_or_create_client_from_state(&mut state.borrow_mut()).map_err(JsErrorBox::from_err)?;
    let sent = context.until_stopped(client.send(request).or_cancel(pending.cancel.clone())).await?;
    let response = match sent {
        Ok(Ok(response)) => response,
        Ok(Err(error)) => {
            // As deno_fetch does: a TypeError "fetch failed" whose cause
            // says what went wrong on the wire.
            let cause = std::error::Error::source(&error.source).map_or_else(|| error.to_string(), |e| e.to_string());
            return Ok(FetchResponse { error: Some((error.to_string(), cause)), ..Default::default() });
        }
        Err(_) => return Err(JsErrorBox::type_error("fetch: the request was aborted")),
    };

    let cap = context.fetch.max_response_bytes.min(context.budget_bytes);
    let content_length = http_body::Body::size_hint(response.body()).exact();
    if content_length.is_some_and(|n| n > cap as u64) {
        return Err(JsErrorBox::range_error(format!(
            "fetch {url}: the response body of {} bytes is over the limit of {cap} (--fetch-max-bytes)",
            content_length.unwrap_or(0)
        )));
    }
    let body_decoded = response.extensions().get::<deno_fetch::BodyDecoded>().is_some();
    let status = response.status();
    let headers = response.headers().iter().map(|(k, v)| (k.as_str().into(), v.as_bytes().into())).collect();
    let (parts, body) = response.into_parts();
    let limit_url = url.clone();
    let body = http_body_util::Limited::new(body, cap)
        .map_err(move |_| {
            JsErrorBox::range_error(format!(
                "fetch {limit_url}: the response body is over the limit of {cap} bytes (--fetch-max-bytes)"
            ))
        })
        .boxed();
    let response = http::Response::from_parts(parts, body);
    let response_rid = state.borrow_mut().resource_table.add(FetchResponseResource::new(response, content_length));
    Ok(FetchResponse {
        status: status.as_u16(),
        status_text: status.canonical_reason().unwrap_or("").to_owned(),
        headers,
        url: url.to_string(),
        response_rid,
        content_length,
        body_decoded,
        error: None,
    })
}

/// A URL as a span's `url.full`: without its query or fragment (they may
/// hold a token) and without credentials.
pub(crate) fn url_full(url: &Url) -> String {
    format!("{}://{}{}", url.scheme(), &url[url::Position::BeforeHost..url::Position::AfterPort], url.path())
}
