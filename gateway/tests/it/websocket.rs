//! `WebSocket` behind the fetch policy, end to end: the real binary over
//! stdio and a real WebSocket server on loopback that records every
//! handshake (so "denied" is checked as "never connected").

use std::sync::Arc;

use futures::{SinkExt, StreamExt};
use parking_lot::Mutex;
use serde_json::json;
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use crate::capabilities::{outcome, stateless};
use crate::fetch::policy;
use crate::support::Server;

/// One handshake the server got: its path and headers.
#[derive(Debug, Clone)]
struct Handshake {
    path: String,
    headers: Vec<(String, String)>,
}

/// Echoes text as `echo:<text>` and binary as it is; `close-me` closes with
/// 4001 "bye"; `big` answers 10,000 bytes. Picks the `chat` subprotocol.
struct WsServer {
    port: u16,
    seen: Arc<Mutex<Vec<Handshake>>>,
}

impl WsServer {
    async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen: Arc<Mutex<Vec<Handshake>>> = Arc::default();
        let log = seen.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let log = log.clone();
                tokio::spawn(async move {
                    // The error type is tungstenite's; this callback never returns one.
                    #[allow(clippy::result_large_err)]
                    let callback = |request: &Request, mut response: Response| {
                        let headers = request
                            .headers()
                            .iter()
                            .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
                            .collect::<Vec<_>>();
                        if headers.iter().any(|(n, v)| n == "sec-websocket-protocol" && v.contains("chat")) {
                            response.headers_mut().insert("sec-websocket-protocol", "chat".parse().unwrap());
                        }
                        log.lock().push(Handshake { path: request.uri().path().to_owned(), headers });
                        Ok(response)
                    };
                    let Ok(mut ws) = tokio_tungstenite::accept_hdr_async(socket, callback).await else { return };
                    while let Some(Ok(message)) = ws.next().await {
                        let reply = match message {
                            Message::Text(text) if text.as_str() == "close-me" => {
                                let frame = CloseFrame { code: CloseCode::from(4001), reason: "bye".into() };
                                let _ = ws.close(Some(frame)).await;
                                continue;
                            }
                            Message::Text(text) if text.as_str() == "big" => Message::binary(vec![7u8; 10_000]),
                            Message::Text(text) => Message::text(format!("echo:{text}")),
                            Message::Binary(data) => Message::Binary(data),
                            _ => continue,
                        };
                        if ws.send(reply).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        Self { port, seen }
    }

    fn url(&self, path: &str) -> String {
        format!("ws://127.0.0.1:{}{path}", self.port)
    }

    fn seen(&self, path: &str) -> Vec<Handshake> {
        self.seen.lock().iter().filter(|h| h.path == path).cloned().collect()
    }
}

/// A program that opens `url`, sends what `on_open` says, and resolves with
/// what happened: `{messages, protocol, close: [code, reason, wasClean], error}`
/// (kept as the global `last`).
fn session_code(url: &str, on_open: &str) -> String {
    format!(
        "const ws = new WebSocket({url:?}, ['chat']); ws.binaryType = 'arraybuffer'; const messages = []; let error; \
         const close = await new Promise((resolve) => {{ \
           ws.onopen = () => {{ {on_open} }}; \
           ws.onmessage = (e) => {{ messages.push(typeof e.data === 'string' ? e.data : [e.data.byteLength, new Uint8Array(e.data)[0]]); \
             if (messages.length === 2) ws.close(1000, 'done'); }}; \
           ws.onerror = (e) => {{ error = e.message; }}; \
           ws.onclose = (e) => resolve([e.code, e.reason, e.wasClean]); \
         }}); \
         globalThis.last = {{messages, protocol: ws.protocol, close, error: error ?? null, state: ws.readyState}}"
    )
}

#[tokio::test]
async fn websockets_reach_only_what_the_fetch_policy_allows() {
    let server = WsServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut flags = policy(dir.path(), false);
    flags.extend([
        "--fetch-max-bytes".into(),
        "4096".into(),
        "--fetch-header".into(),
        format!("host=127.0.0.1:{},header=X-Api-Key,value=ws-secret", server.port),
    ]);
    let gateway = stateless(flags, dir.path()).await;

    // Text and binary both ways, the subprotocol, a clean close.
    let got =
        outcome(&gateway, &session_code(&server.url("/chat"), "ws.send('hi'); ws.send(new Uint8Array([9, 8, 7]));"))
            .await;
    assert_eq!(
        got,
        json!({"messages": ["echo:hi", [3, 9]], "protocol": "chat", "close": [1000, "done", true], "error": null, "state": 3})
    );
    // The injected header reached the server; the script never saw it.
    let handshake = &server.seen("/chat")[0];
    assert!(handshake.headers.contains(&("x-api-key".into(), "ws-secret".into())), "{handshake:?}");

    // The server closes: its code and reason arrive.
    let got = outcome(&gateway, &session_code(&server.url("/chat"), "ws.send('close-me');")).await;
    assert_eq!(got["close"], json!([4001, "bye", true]), "{got}");

    // A message over --fetch-max-bytes ends the socket with an error.
    let got = outcome(&gateway, &session_code(&server.url("/chat"), "ws.send('big');")).await;
    assert!(got["error"].as_str().unwrap_or("").contains("--fetch-max-bytes"), "{got}");
    assert_eq!(got["close"][0], 1006, "{got}");

    // Denied: an error event naming the capability and the rule, and no connection.
    let got = outcome(&gateway, &session_code(&server.url("/private"), "")).await;
    let error = got["error"].as_str().unwrap_or("");
    assert!(
        error.contains("fetch denied: WEBSOCKET ws://127.0.0.1:") && error.contains("[rule data.mcp.fetch.allow]"),
        "{got}"
    );
    assert_eq!(got["close"], json!([1006, "", false]), "{got}");
    assert!(server.seen("/private").is_empty(), "a denied socket connected");

    // What the constructor refuses at once.
    for (code, says) in [
        ("new WebSocket('ftp://127.0.0.1/')", "SyntaxError"),
        ("new WebSocket('ws://127.0.0.1/#x')", "fragment"),
        ("new WebSocket('ws://127.0.0.1/').send('x')", "InvalidStateError"),
        ("new WebSocket('ws://127.0.0.1/').close(1001)", "InvalidAccessError"),
    ] {
        let out = outcome(&gateway, code).await;
        assert!(out.as_str().unwrap_or("").contains(says), "{code}: {out}");
    }
    gateway.stop().await;
}

#[tokio::test]
async fn without_a_policy_no_socket_opens_and_a_session_keeps_none() {
    let server = WsServer::start().await;
    let gateway = Server::stateful(&[]).await;
    let got = gateway.run(json!({"code": session_code(&server.url("/chat"), ""), "session": "w"})).await;
    assert!(
        got["result"]["error"].as_str().unwrap_or("").contains("a `fetch` policy in --policies-json turns it on"),
        "{got}"
    );
    assert!(server.seen("/chat").is_empty());
    gateway.stop().await;

    let dir = tempfile::tempdir().unwrap();
    let mut flags = policy(dir.path(), false);
    flags.extend(["--directory-path".into(), dir.path().join("data").to_str().unwrap().into()]);
    let gateway = Server::spawn(&flags, dir.path()).await;
    // Closed within its run: the session keeps what the run made of it.
    let done = gateway
        .run(json!({"code": session_code(&server.url("/chat"), "ws.send('a'); ws.send('b');"), "session": "w"}))
        .await;
    assert!(done["error"].is_null(), "{done}");
    assert_eq!(
        gateway.run(json!({"code": "last.messages", "session": "w"})).await["result"],
        json!(["echo:a", "echo:b"])
    );
    // An open socket keeps its run going (as it would keep a Deno or Node
    // process), up to the run's timeout; the session stays where it was.
    let open = gateway
        .run(json!({"code": format!("globalThis.kept = new WebSocket({:?}); await new Promise((r) => kept.onopen = r); 1", server.url("/chat")), "session": "w", "execution_timeout_secs": 1}))
        .await;
    assert_eq!(open["status"], "timed_out", "{open}");
    assert_eq!(
        gateway.run(json!({"code": "[typeof kept, last.close[0]]", "session": "w"})).await["result"],
        json!(["undefined", 1000])
    );
    gateway.stop().await;
}
