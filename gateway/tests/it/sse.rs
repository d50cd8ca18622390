//! The legacy HTTP+SSE transport (2024-11-05), driven the way such a client
//! does (see `support::LegacyClient`).

use serde_json::json;

use crate::support::{HttpServer, LegacyClient, eventually, http_client};

#[tokio::test]
async fn legacy_sse_on_its_own_port_runs_code_with_per_connection_state() {
    // Both ports are picked by the server; it logs where the legacy one is.
    let server = HttpServer::start(&["--sse-port", "0"]).await;
    let sse_base = eventually("the legacy port in the log", 10, || async {
        let log = server.stderr();
        let line = log.lines().find(|l| l.contains("legacy SSE transport on "))?;
        let url = line.split("legacy SSE transport on ").nth(1)?;
        Some(url.trim_end_matches("/sse").to_owned())
    })
    .await;

    let mut first = LegacyClient::connect(&sse_base).await;
    let tools = first.request("tools/list", json!({})).await;
    assert!(tools["result"]["tools"].as_array().unwrap().iter().any(|t| t["name"] == "run_js"));
    assert_eq!(first.run("var tally = 40; tally").await["result"], 40);
    assert_eq!(first.run("tally + 2").await["result"], 42, "state follows the SSE connection");

    // Another stream is another connection; the main port serves /sse too.
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
