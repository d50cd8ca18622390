//! `WebSocket` in user code, behind the `fetch` policy: the ops under the
//! class in `js/websocket.js`, over tokio-tungstenite.
//!
//! (deno_websocket gives the class, but its connect op is private behind a
//! synchronous, process-wide permission check that panics if a second check
//! disagrees with the first: an asynchronous per-run decision cannot sit
//! there, and the op cannot be wrapped.)
//!
//! **Invariants:**
//! - Nothing connects before the run's decider allowed
//!   `{operation: "websocket", url, method: "GET", headers, url_parsed}`
//!   under the `fetch` capability; injected headers (`--fetch-header`) are
//!   added after the decision and are never in its input.
//! - A message is at most the run's fetch cap (`--fetch-max-bytes`, and the
//!   run's memory budget); a larger one ends the connection with an error.
//! - Everything awaited ends with the run ([`RunContext::until_stopped`]), and
//!   a socket's resource closes it when the isolate goes.

use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

use deno_core::{
    AsyncRefCell, CancelFuture, CancelHandle, JsBuffer, OpState, RcRef, Resource, ResourceId, ToJsBuffer, op2,
};
use deno_error::JsErrorBox;
use futures::stream::{SplitSink, SplitStream};
use futures::{SinkExt, StreamExt};
use serde::Serialize;
use serde_json::{Map, Value};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::{HeaderName, HeaderValue};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, WebSocketConfig};
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use url::Url;

use crate::capability::Capability;
use crate::context::RunContext;

type Socket = WebSocketStream<MaybeTlsStream<tokio::net::TcpStream>>;

struct WsResource {
    sink: AsyncRefCell<SplitSink<Socket, Message>>,
    stream: AsyncRefCell<SplitStream<Socket>>,
    cancel: CancelHandle,
}

impl Resource for WsResource {
    fn name(&self) -> Cow<'_, str> {
        "mcpv8WebSocket".into()
    }

    fn close(self: Rc<Self>) {
        self.cancel.cancel();
    }
}

#[derive(Serialize)]
pub struct Connected {
    rid: ResourceId,
    protocol: String,
    extensions: String,
}

/// What the socket gave next, for `js/websocket.js`.
#[derive(Serialize, Default)]
pub struct Event {
    /// `text`, `binary`, `close` or `error`.
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<ToJsBuffer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

fn error(message: impl Into<String>) -> JsErrorBox {
    JsErrorBox::new("DOMExceptionSyntaxError", message.into())
}

/// Connects, after the decision. `url` is already `ws:`/`wss:` (the class
/// turns `http(s):` into them and refuses other schemes).
#[op2]
#[serde]
pub async fn op_mcpv8_ws_connect(
    state: Rc<RefCell<OpState>>,
    #[string] url: String,
    #[serde] protocols: Vec<String>,
) -> Result<Connected, JsErrorBox> {
    let url = Url::parse(&url).map_err(|e| error(format!("WebSocket: invalid URL '{url}': {e}")))?;
    if !matches!(url.scheme(), "ws" | "wss") {
        return Err(error(format!("WebSocket: the URL's scheme must be ws: or wss:, not {}:", url.scheme())));
    }
    let context = RunContext::current(&state.borrow())?;
    let mut headers = Map::new();
    if !protocols.is_empty() {
        headers.insert("sec-websocket-protocol".into(), Value::String(protocols.join(", ")));
    }
    let mut fields = Map::new();
    fields.insert("operation".into(), Value::String("websocket".into()));
    fields.insert("url".into(), Value::String(url.to_string()));
    fields.insert("method".into(), Value::String("GET".into()));
    fields.insert("headers".into(), Value::Object(headers));
    fields.insert("url_parsed".into(), crate::fetch::url_parsed(&url));
    context.check(Capability::Fetch, &format!("WEBSOCKET {url}"), fields).await?;

    let mut request = url.as_str().into_client_request().map_err(|e| error(format!("WebSocket {url}: {e}")))?;
    if !protocols.is_empty() {
        let value = HeaderValue::from_str(&protocols.join(", "))
            .map_err(|_| error("WebSocket: a protocol is not a valid header value"))?;
        request.headers_mut().insert("sec-websocket-protocol", value);
    }
    let present: Vec<String> = request.headers().keys().map(|name| name.as_str().to_owned()).collect();
    let injected =
        context.until_stopped(context.fetch.injector.headers(&url, "GET", &present)).await?.map_err(|why| {
            JsErrorBox::type_error(format!(
                "WebSocket: the credentials for {} could not be had: {why}",
                url.host_str().unwrap_or("")
            ))
        })?;
    for (name, value) in injected {
        let (Ok(name), Ok(mut value)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(&value)) else {
            return Err(JsErrorBox::type_error("WebSocket: an injected header is not valid (check --fetch-header)"));
        };
        if !request.headers().contains_key(&name) {
            value.set_sensitive(true);
            request.headers_mut().insert(name, value);
        }
    }

    let cap = context.fetch.max_response_bytes.min(context.budget_bytes);
    let config = WebSocketConfig::default().max_message_size(Some(cap)).max_frame_size(Some(cap));
    let connected =
        context.until_stopped(tokio_tungstenite::connect_async_with_config(request, Some(config), true)).await?;
    let (socket, response) =
        connected.map_err(|e| JsErrorBox::new("DOMExceptionNetworkError", format!("WebSocket {url}: {e}")))?;
    let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let (sink, stream) = socket.split();
    let rid = state.borrow_mut().resource_table.add(WsResource {
        sink: AsyncRefCell::new(sink),
        stream: AsyncRefCell::new(stream),
        cancel: CancelHandle::new(),
    });
    Ok(Connected { rid, protocol: header("sec-websocket-protocol"), extensions: header("sec-websocket-extensions") })
}

async fn send(state: Rc<RefCell<OpState>>, rid: ResourceId, message: Message) -> Result<(), JsErrorBox> {
    let context = RunContext::current(&state.borrow())?;
    let resource = state.borrow().resource_table.get::<WsResource>(rid).map_err(JsErrorBox::from_err)?;
    let mut sink = RcRef::map(&resource, |r| &r.sink).borrow_mut().await;
    let sent = context.until_stopped(sink.send(message).or_cancel(RcRef::map(&resource, |r| &r.cancel))).await?;
    match sent {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(JsErrorBox::new("DOMExceptionNetworkError", format!("WebSocket: {e}"))),
        Err(_) => Err(JsErrorBox::new("DOMExceptionInvalidStateError", "WebSocket: closed")),
    }
}

#[op2]
pub async fn op_mcpv8_ws_send_text(
    state: Rc<RefCell<OpState>>,
    #[smi] rid: ResourceId,
    #[string] text: String,
) -> Result<(), JsErrorBox> {
    send(state, rid, Message::text(text)).await
}

#[op2]
pub async fn op_mcpv8_ws_send_binary(
    state: Rc<RefCell<OpState>>,
    #[smi] rid: ResourceId,
    #[buffer] data: JsBuffer,
) -> Result<(), JsErrorBox> {
    send(state, rid, Message::binary(data.to_vec())).await
}

/// Starts the closing handshake; the close event comes from `op_mcpv8_ws_next`.
#[op2]
pub async fn op_mcpv8_ws_close(
    state: Rc<RefCell<OpState>>,
    #[smi] rid: ResourceId,
    #[smi] code: u32,
    #[string] reason: String,
) -> Result<(), JsErrorBox> {
    let frame = (code != 0).then(|| CloseFrame { code: CloseCode::from(code as u16), reason: reason.into() });
    match send(state, rid, Message::Close(frame)).await {
        // Closing a socket the other side already closed is not an error.
        Err(_) | Ok(()) => Ok(()),
    }
}

/// The next message, or how the socket ended (its resource is gone then).
#[op2]
#[serde]
pub async fn op_mcpv8_ws_next(state: Rc<RefCell<OpState>>, #[smi] rid: ResourceId) -> Result<Event, JsErrorBox> {
    let context = RunContext::current(&state.borrow())?;
    let resource = state.borrow().resource_table.get::<WsResource>(rid).map_err(JsErrorBox::from_err)?;
    let event = loop {
        let mut stream = RcRef::map(&resource, |r| &r.stream).borrow_mut().await;
        let next = context.until_stopped(stream.next().or_cancel(RcRef::map(&resource, |r| &r.cancel))).await?;
        break match next {
            Ok(Some(Ok(Message::Text(text)))) => {
                Event { kind: "text", text: Some(text.to_string()), ..Default::default() }
            }
            Ok(Some(Ok(Message::Binary(data)))) => {
                Event { kind: "binary", data: Some(data.to_vec().into()), ..Default::default() }
            }
            Ok(Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_)))) => continue,
            Ok(Some(Ok(Message::Close(frame)))) => Event {
                kind: "close",
                code: Some(frame.as_ref().map_or(1005, |f| u16::from(f.code))),
                reason: Some(frame.map(|f| f.reason.to_string()).unwrap_or_default()),
                ..Default::default()
            },
            Ok(None) | Err(_) => {
                Event { kind: "close", code: Some(1006), reason: Some(String::new()), ..Default::default() }
            }
            Ok(Some(Err(tungstenite::Error::Capacity(e)))) => Event {
                kind: "error",
                reason: Some(format!("a message is over the limit of the run (--fetch-max-bytes): {e}")),
                ..Default::default()
            },
            Ok(Some(Err(e))) => Event { kind: "error", reason: Some(e.to_string()), ..Default::default() },
        };
    };
    if event.kind != "text" && event.kind != "binary" {
        // The socket is done: its resource goes, and with it the connection.
        if let Ok(resource) = state.borrow_mut().resource_table.take::<WsResource>(rid) {
            resource.close();
        }
    }
    Ok(event)
}
