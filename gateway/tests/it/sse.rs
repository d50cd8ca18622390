//! The legacy HTTP+SSE transport (2024-11-05), driven the way such a client
//! does: an event stream from `GET /sse`, JSON-RPC posted to the endpoint
//! it names. rmcp no longer has a client for it, so this is a small one.

use std::time::Duration;

use futures::StreamExt;
use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::support::{HttpServer, free_port, http_client};

struct LegacyClient {
    http: reqwest::Client,
    endpoint: String,
    events: mpsc::UnboundedReceiver<Value>,
    next_id: i64,
}

impl LegacyClient {
    async fn connect(base: &str) -> Self {
        let http = http_client();
        let response = http.get(format!("{base}/sse")).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "text/event-stream");
        let (endpoint_tx, mut endpoint_rx) = mpsc::unbounded_channel::<String>();
        let (events_tx, events) = mpsc::unbounded_channel::<Value>();
        tokio::spawn(async move {
            let mut body = response.bytes_stream();
            let mut buffer = String::new();
            while let Some(Ok(chunk)) = body.next().await {
                buffer.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(end) = buffer.find("\n\n") {
                    let event: String = buffer.drain(..end + 2).collect();
                    let kind = event.lines().find_map(|l| l.strip_prefix("event: ")).unwrap_or("message");
                    let data = event.lines().filter_map(|l| l.strip_prefix("data: ")).collect::<Vec<_>>().join("\n");
                    match kind {
                        "endpoint" => {
                            let _ = endpoint_tx.send(data);
                        }
                        "message" => {
                            let _ = events_tx.send(serde_json::from_str(&data).unwrap());
                        }
                        _ => {}
                    }
                }
            }
        });
        let path = tokio::time::timeout(Duration::from_secs(10), endpoint_rx.recv()).await.unwrap().unwrap();
        assert!(path.starts_with("/message?sessionId="), "{path}");
        let mut client = Self { http, endpoint: format!("{base}{path}"), events, next_id: 0 };
        let init = client
            .request("initialize", json!({"protocolVersion": "2024-11-05", "capabilities": {}, "clientInfo": {"name": "legacy", "version": "1"}}))
            .await;
        assert_eq!(init["result"]["serverInfo"]["name"], "mcp-v8", "{init}");
        client.notify("notifications/initialized").await;
        client
    }

    async fn post(&self, message: Value) -> reqwest::Response {
        self.http.post(&self.endpoint).json(&message).send().await.unwrap()
    }

    async fn notify(&self, method: &str) {
        assert_eq!(self.post(json!({"jsonrpc": "2.0", "method": method})).await.status(), 202);
    }

    async fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let response = self.post(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params})).await;
        assert_eq!(response.status(), 202);
        loop {
            let message = tokio::time::timeout(Duration::from_secs(20), self.events.recv()).await.unwrap().unwrap();
            if message["id"] == id {
                return message;
            }
        }
    }

    async fn run(&mut self, code: &str) -> Value {
        let reply = self.request("tools/call", json!({"name": "run_js", "arguments": {"code": code}})).await;
        reply["result"]["structuredContent"].clone()
    }
}

#[tokio::test]
async fn legacy_sse_on_its_own_port_runs_code_with_per_connection_state() {
    let sse_port = free_port();
    let server = HttpServer::start(&["--sse-port", &sse_port.to_string()]).await;
    let sse_base = format!("http://127.0.0.1:{sse_port}");

    let mut first = LegacyClient::connect(&sse_base).await;
    let tools = first.request("tools/list", json!({})).await;
    assert!(tools["result"]["tools"].as_array().unwrap().iter().any(|t| t["name"] == "run_js"));
    assert_eq!(first.run("var tally = 40; tally").await["result"], 40);
    assert_eq!(first.run("tally + 2").await["result"], 42, "state follows the SSE session");

    // Another stream is another session; the main port serves /sse too.
    let mut second = LegacyClient::connect(&server.base).await;
    assert_eq!(second.run("typeof tally").await["result"], "undefined");

    // Posts that cannot be delivered say why.
    let http = http_client();
    let unknown = http.post(format!("{sse_base}/message?sessionId=nope")).json(&json!({"jsonrpc": "2.0", "method": "ping", "id": 1})).send().await.unwrap();
    assert_eq!(unknown.status(), 404);
    assert_eq!(first.post(json!({"not": "json-rpc"})).await.status(), 400);
    // The legacy port serves nothing else.
    assert_eq!(http.get(format!("{sse_base}/api/version")).send().await.unwrap().status(), 404);
    // A foreign Host is refused here too (DNS-rebinding protection).
    let foreign = http.get(format!("{sse_base}/sse")).header("host", "attacker.example").send().await.unwrap();
    assert_eq!(foreign.status(), 403);
}
