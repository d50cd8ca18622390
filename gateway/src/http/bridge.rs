//! Drives rmcp's `StreamableHttpService` (a tower-style service over
//! `http` types) from a pingora session: the request goes in whole, the
//! response comes out frame by frame, so SSE events leave as they are made.
//!
//! **Invariant:** a response without a declared length is sent chunked,
//! so the connection can be reused after it (pingora would otherwise
//! delimit the body by closing the connection).

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use pingora_core::protocols::http::ServerSession;
use pingora_http::ResponseHeader;

use super::McpService;

/// `claims` (when auth is on) go into the request's extensions, which rmcp
/// hands to the tool handlers with the rest of the request's parts.
pub async fn serve(
    mcp: &McpService,
    session: &mut ServerSession,
    body: Bytes,
    claims: Option<crate::auth::Claims>,
) -> pingora_core::Result<()> {
    let head = session.req_header();
    let mut request = http::Request::builder().method(head.method.clone()).uri(head.uri.clone()).version(head.version);
    for (name, value) in head.headers.iter() {
        request = request.header(name, value);
    }
    let mut request = match request.body(Full::new(body)) {
        Ok(request) => request,
        Err(_) => return session.respond_error(400).await,
    };
    if let Some(claims) = claims {
        request.extensions_mut().insert(claims);
    }
    if let Some(address) = crate::telemetry::request::ClientAddress::of(session) {
        request.extensions_mut().insert(address);
    }
    let response = mcp.handle(request).await;
    let (parts, mut body) = response.into_parts();
    let mut header = ResponseHeader::build(parts.status, Some(parts.headers.len() + 1))?;
    for (name, value) in parts.headers.iter() {
        header.append_header(name.clone(), value.clone())?;
    }
    let sized = parts.headers.contains_key(http::header::CONTENT_LENGTH);
    if !sized {
        header.insert_header(http::header::TRANSFER_ENCODING, "chunked")?;
    }
    session.write_response_header(Box::new(header)).await?;
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame;
        if let Ok(data) = frame.into_data()
            && !data.is_empty()
        {
            session.write_response_body(data, false).await?;
        }
    }
    session.write_response_body(Bytes::new(), true).await
}
