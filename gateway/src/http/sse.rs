//! The legacy HTTP+SSE transport (MCP 2024-11-05), which rmcp no longer
//! ships: `GET /sse` opens an event stream whose first event, `endpoint`,
//! names `/message?sessionId=<id>`; the client POSTs its JSON-RPC messages
//! there (answered `202 Accepted`) and every server message comes back on
//! the stream as a `message` event.
//!
//! Each stream runs its own rmcp service (its own handler, so its own
//! connection, see `service::connection`) over a pair of channels. The
//! session id is random, so it is the capability: only the client that
//! opened the stream knows where to post. Nothing else is derived from it:
//! the connection's implicit session is named after the connection's own id.
//!
//! **Invariant:** a session is registered exactly while its stream is open;
//! a post to an unknown or closed session gets 404, never a silent drop.

use std::collections::HashMap;
use std::time::Duration;

use bytes::Bytes;
use futures::StreamExt;
use parking_lot::Mutex;
use pingora_core::protocols::http::ServerSession;
use pingora_http::ResponseHeader;
use rmcp::ServiceExt;
use rmcp::model::{ClientJsonRpcMessage, GetExtensions, ServerJsonRpcMessage};
use tokio::sync::mpsc;
use tokio_util::sync::{CancellationToken, PollSender};

use super::Reply;
use crate::auth::Claims;
use crate::mcp::McpServer;

/// Messages buffered per direction before a sender waits.
const CHANNEL: usize = 64;
/// A comment line keeps idle streams (and proxies in between) open.
const KEEPALIVE: Duration = Duration::from_secs(15);

/// The open legacy SSE sessions: id → the channel into its rmcp service.
#[derive(Default)]
pub struct Sessions {
    open: Mutex<HashMap<String, mpsc::Sender<ClientJsonRpcMessage>>>,
}

/// Serves one `GET /sse` until the client goes away or the server stops.
pub async fn stream(
    sessions: &Sessions,
    server: McpServer,
    session: &mut ServerSession,
    shutdown: CancellationToken,
) -> pingora_core::Result<()> {
    let id = uuid::Uuid::new_v4().simple().to_string();
    let (to_server, from_client) = mpsc::channel::<ClientJsonRpcMessage>(CHANNEL);
    let (to_client, mut outgoing) = mpsc::channel::<ServerJsonRpcMessage>(CHANNEL);
    let incoming = futures::stream::unfold(from_client, |mut rx| async move { rx.recv().await.map(|m| (m, rx)) }).boxed();
    // rmcp's serve waits for the client's initialize, which can only come
    // once the client knows where to post: the service runs beside the stream.
    let service = tokio::spawn(async move {
        match server.serve((PollSender::new(to_client), incoming)).await {
            Ok(running) => {
                let _ = running.waiting().await;
            }
            Err(error) => tracing::debug!(%error, "a legacy SSE session ended before it was initialized"),
        }
    });
    sessions.open.lock().insert(id.clone(), to_server);
    let result = pump(session, &id, &mut outgoing, shutdown).await;
    sessions.open.lock().remove(&id);
    service.abort();
    result
}

async fn pump(
    session: &mut ServerSession,
    id: &str,
    outgoing: &mut mpsc::Receiver<ServerJsonRpcMessage>,
    shutdown: CancellationToken,
) -> pingora_core::Result<()> {
    let mut header = ResponseHeader::build(200, Some(4))?;
    header.insert_header(http::header::CONTENT_TYPE, "text/event-stream")?;
    header.insert_header(http::header::CACHE_CONTROL, "no-cache")?;
    header.insert_header(http::header::TRANSFER_ENCODING, "chunked")?;
    header.insert_header("x-accel-buffering", "no")?;
    session.write_response_header(Box::new(header)).await?;
    session.write_response_body(Bytes::from(format!("event: endpoint\ndata: /message?sessionId={id}\n\n")), false).await?;
    let mut keepalive = tokio::time::interval(KEEPALIVE);
    keepalive.tick().await;
    loop {
        let event = tokio::select! {
            message = outgoing.recv() => match message {
                Some(message) => match serde_json::to_string(&message) {
                    Ok(json) => format!("event: message\ndata: {json}\n\n"),
                    Err(error) => {
                        tracing::error!(%error, "cannot encode a server message");
                        continue;
                    }
                },
                None => break,
            },
            _ = keepalive.tick() => ": keep-alive\n\n".to_owned(),
            () = shutdown.cancelled() => break,
        };
        // A failed write means the client went away: the session ends.
        session.write_response_body(Bytes::from(event), false).await?;
    }
    session.write_response_body(Bytes::new(), true).await
}

/// Handles `POST /message?sessionId=<id>`.
pub async fn post(sessions: &Sessions, query: &str, body: &[u8], claims: Option<Claims>) -> Reply {
    let Some(id) = url::form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "sessionId").map(|(_, v)| v.into_owned())
    else {
        return Reply::error(400, "sessionId is missing from the query");
    };
    let mut message: ClientJsonRpcMessage = match serde_json::from_slice(body) {
        Ok(message) => message,
        Err(error) => return Reply::error(400, format!("not a JSON-RPC message: {error}")),
    };
    let Some(sender) = sessions.open.lock().get(&id).cloned() else {
        return Reply::error(404, format!("no open SSE session '{id}'"));
    };
    // The same request parts a Streamable HTTP call carries: the verified claims.
    let mut parts = http::Request::new(()).into_parts().0;
    if let Some(claims) = claims {
        parts.extensions.insert(claims);
    }
    match &mut message {
        ClientJsonRpcMessage::Request(request) => {
            request.request.extensions_mut().insert(parts);
        }
        ClientJsonRpcMessage::Notification(notification) => {
            notification.notification.extensions_mut().insert(parts);
        }
        _ => {}
    }
    match sender.send(message).await {
        Ok(()) => Reply::Accepted,
        Err(_) => Reply::error(404, format!("SSE session '{id}' is closed")),
    }
}
