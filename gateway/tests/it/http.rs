//! `mcp-v8 --http-port`: MCP over Streamable HTTP with a real rmcp client,
//! the REST API with a plain HTTP client, health, limits and shutdown.

use std::time::Duration;

use serde_json::{Value, json};

use crate::support::{HttpServer, call_json};

#[tokio::test]
async fn streamable_http_runs_code_and_keys_state_to_the_mcp_session() {
    let server = HttpServer::start(&[]).await;
    let alice = server.mcp_client().await;
    let tools = alice.list_all_tools().await.unwrap();
    assert!(tools.iter().any(|t| t.name == "run_js"));

    // No session named: the MCP session (Mcp-Session-Id) keeps the state.
    let first = call_json(&alice, "run_js", json!({"code": "var seen = ['a']; seen.length"})).await;
    assert_eq!(first["result"], 1, "{first}");
    let second = call_json(&alice, "run_js", json!({"code": "seen.push('b'); seen"})).await;
    assert_eq!(second["result"], json!(["a", "b"]), "{second}");

    // Another client has its own MCP session, so it does not see alice's state.
    let bob = server.mcp_client().await;
    let other = call_json(&bob, "run_js", json!({"code": "typeof seen"})).await;
    assert_eq!(other["result"], "undefined", "{other}");

    // Console output and errors come back over HTTP as over stdio.
    let logged = call_json(&alice, "run_js", json!({"code": "console.warn('careful'); throw new RangeError('no')"})).await;
    assert_eq!(logged["status"], "failed");
    assert_eq!(logged["error"]["name"], "RangeError");
    assert_eq!(logged["output"], "careful");
    let _ = alice.cancel().await;
    let _ = bob.cancel().await;
}

#[tokio::test]
async fn rest_api_runs_pages_cancels_and_tags() {
    let server = HttpServer::start(&[]).await;
    let http = crate::support::http_client();

    // The reference's answer: 202 with the id at once.
    let response = http.post(server.url("/api/exec")).json(&json!({"code": "21 * 2", "session": "r"})).send().await.unwrap();
    assert_eq!(response.status(), 202);
    let id = response.json::<Value>().await.unwrap()["execution_id"].as_str().unwrap().to_owned();
    let mut info = Value::Null;
    for _ in 0..200 {
        info = http.get(server.url(&format!("/api/executions/{id}"))).send().await.unwrap().json().await.unwrap();
        if info["status"] == "completed" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(info["result"], 42, "{info}");
    let heap = info["heap"].as_str().unwrap().to_owned();

    // ?wait gives the finished run in the same response.
    let response = http
        .post(server.url("/api/exec?wait=10000"))
        .json(&json!({"code": "for (let i = 0; i < 30; i++) console.log('line', i); 'done'", "session": "r"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let run: Value = response.json().await.unwrap();
    assert_eq!(run["result"], "done");
    assert_eq!(run["input_heap"], heap.as_str());
    let id = run["execution_id"].as_str().unwrap();
    let page: Value = http
        .get(server.url(&format!("/api/executions/{id}/output?line_offset=28&line_limit=5")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page["text"], "line 28\nline 29");
    assert_eq!(page["next_line_offset"], 30);

    // Cancel a run that would go on for a minute.
    let response = http
        .post(server.url("/api/exec?wait=200"))
        .json(&json!({"code": "while (true) {}", "execution_timeout_secs": 60}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202, "still running when the wait ends");
    let id = response.json::<Value>().await.unwrap()["execution_id"].as_str().unwrap().to_owned();
    let cancelled: Value =
        http.post(server.url(&format!("/api/executions/{id}/cancel"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(cancelled["execution_id"], id.as_str());
    for _ in 0..100 {
        let info: Value = http.get(server.url(&format!("/api/executions/{id}"))).send().await.unwrap().json().await.unwrap();
        if info["status"] == "cancelled" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let list: Value = http.get(server.url("/api/executions?status=cancelled")).send().await.unwrap().json().await.unwrap();
    assert_eq!(list["executions"][0]["execution_id"], id.as_str());

    // Sessions, their logs, heap tags.
    let sessions: Value = http.get(server.url("/api/sessions")).send().await.unwrap().json().await.unwrap();
    assert_eq!(sessions["sessions"][0]["session"], "r");
    assert_eq!(sessions["sessions"][0]["runs"], 2);
    let log: Value = http.get(server.url("/api/sessions/r/snapshots")).send().await.unwrap().json().await.unwrap();
    assert_eq!(log["runs"][0]["output_heap"], heap.as_str());
    let tagged: Value = http
        .put(server.url(&format!("/api/heaps/{heap}/tags")))
        .json(&json!({"tags": {"stage": "one", "team": "x"}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(tagged["tags"]["team"], "x");
    let found: Value =
        http.post(server.url("/api/heaps/query")).json(&json!({"tags": {"team": "x"}})).send().await.unwrap().json().await.unwrap();
    assert_eq!(found["heaps"][0]["heap"], heap.as_str());
    let left: Value =
        http.delete(server.url(&format!("/api/heaps/{heap}/tags?keys=team"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(left["tags"], json!({"stage": "one"}));

    let version: Value = http.get(server.url("/api/version")).send().await.unwrap().json().await.unwrap();
    assert_eq!(version["name"], "mcp-v8");
}

#[tokio::test]
async fn bad_requests_get_clear_statuses_and_the_server_keeps_serving() {
    let server = HttpServer::start(&["--max-body-bytes", "65536"]).await;
    let http = crate::support::http_client();
    let status = |r: reqwest::Response| r.status().as_u16();
    assert_eq!(status(http.post(server.url("/api/exec")).body("{not json").send().await.unwrap()), 400);
    assert_eq!(status(http.post(server.url("/api/exec")).json(&json!({"code": "1", "nope": 1})).send().await.unwrap()), 400);
    assert_eq!(status(http.post(server.url("/api/exec")).body("x".repeat(70_000)).send().await.unwrap()), 413);
    assert_eq!(status(http.get(server.url("/api/executions/not-an-id")).send().await.unwrap()), 400);
    let unknown = format!("/api/executions/{}", "6f1c1e0a-1111-4222-8333-944455556666");
    assert_eq!(status(http.get(server.url(&unknown)).send().await.unwrap()), 404);
    assert_eq!(status(http.get(server.url(&format!("/api/heaps/{}/tags", "0".repeat(64)))).send().await.unwrap()), 200);
    assert_eq!(status(http.put(server.url(&format!("/api/heaps/{}/tags", "0".repeat(64)))).json(&json!({"tags": {}})).send().await.unwrap()), 404);
    assert_eq!(status(http.get(server.url("/nowhere")).send().await.unwrap()), 404);

    // DNS-rebinding protection on /mcp: a foreign Host or Origin is refused.
    let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}});
    let mcp = |host: Option<&str>, origin: Option<&str>| {
        let mut request = http.post(server.url("/mcp")).header("accept", "application/json, text/event-stream").json(&init);
        if let Some(host) = host {
            request = request.header("host", host);
        }
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        request.send()
    };
    assert_eq!(status(mcp(Some("attacker.example"), None).await.unwrap()), 403);
    assert_eq!(status(mcp(None, Some("http://attacker.example")).await.unwrap()), 403);
    assert_eq!(status(mcp(None, None).await.unwrap()), 200);

    let ok: Value = http.post(server.url("/api/exec?wait=5000")).json(&json!({"code": "'still here'"})).send().await.unwrap().json().await.unwrap();
    assert_eq!(ok["result"], "still here");
}

#[tokio::test]
async fn sigterm_stops_within_five_seconds_and_persists_warm_sessions() {
    let mut server = HttpServer::start(&["--snapshot-policy", "idle", "--snapshot-idle-secs", "3600"]).await;
    let http = crate::support::http_client();
    let run: Value = http
        .post(server.url("/api/exec?wait=5000"))
        .json(&json!({"code": "var kept = 'yes'", "session": "w"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(run["heap_pending"], true, "{run}");
    // An open MCP stream must not hold the shutdown up.
    let client = server.mcp_client().await;
    let took = server.terminate();
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert!(server.stderr().contains("warm sessions persisted"), "{}", server.stderr());
    drop(client);
}

#[tokio::test]
async fn serves_https_with_the_given_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    let status = std::process::Command::new("openssl")
        .args(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1"])
        .args(["-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"])
        // A leaf, not a CA: rustls refuses a CA certificate as a server's own.
        .args(["-addext", "basicConstraints=critical,CA:FALSE"])
        .args(["-keyout", key.to_str().unwrap(), "-out", cert.to_str().unwrap()])
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let port = crate::support::free_port();
    let mut child = std::process::Command::new(crate::support::BIN)
        .args(["--http-port", &port.to_string(), "--stateless", "--tls-cert", cert.to_str().unwrap(), "--tls-key", key.to_str().unwrap()])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let _ = crate::support::http_client();
    let pem = std::fs::read(&cert).unwrap();
    let https = reqwest::Client::builder().add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap()).build().unwrap();
    let url = format!("https://127.0.0.1:{port}");
    let mut last = None;
    for _ in 0..200 {
        match https.get(format!("{url}/healthz")).send().await {
            Ok(_) => {
                last = None;
                break;
            }
            Err(error) => last = Some(format!("{error:?}")),
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(last.is_none(), "no HTTPS answer: {last:?}");
    let run: Value = https.post(format!("{url}/api/exec?wait=5000")).json(&json!({"code": "'over tls'"})).send().await.unwrap().json().await.unwrap();
    assert_eq!(run["result"], "over tls");
    // Plain HTTP on the TLS port gets no answer.
    let plain = crate::support::http_client().get(format!("http://127.0.0.1:{port}/healthz")).send().await;
    assert!(plain.is_err() || !plain.unwrap().status().is_success());
    let _ = child.kill();
    let _ = child.wait();
}

/// The OpenAPI document is the one `--print-openapi` prints, and every
/// operation in it is served, answering with a status it documents.
#[tokio::test]
async fn openapi_document_matches_what_is_served() {
    let server = HttpServer::start(&[]).await;
    let http = crate::support::http_client();
    let served: Value = http.get(server.url("/api-doc/openapi.json")).send().await.unwrap().json().await.unwrap();
    let printed = std::process::Command::new(crate::support::BIN).arg("--print-openapi").output().unwrap();
    assert_eq!(served, serde_json::from_slice::<Value>(&printed.stdout).unwrap());
    assert!(served["openapi"].as_str().unwrap().starts_with("3.1"));

    let paths = served["paths"].as_object().unwrap();
    assert!(paths.len() >= 10, "{:?}", paths.keys());
    for (path, operations) in paths {
        let concrete = path
            .replace("{id}", "6f1c1e0a-1111-4222-8333-944455556666")
            .replace("{hash}", &"0".repeat(64))
            .replace("{name}", "s");
        for (method, operation) in operations.as_object().unwrap() {
            let url = server.url(&concrete);
            let request = match method.as_str() {
                "get" => http.get(&url),
                "post" => http.post(&url),
                "put" => http.put(&url),
                "delete" => http.delete(&url),
                other => panic!("unexpected method {other}"),
            };
            let body = match path.as_str() {
                "/api/exec" => json!({"code": "1"}),
                _ => json!({"tags": {}}),
            };
            let request = if method == "get" || method == "delete" { request } else { request.json(&body) };
            let response = request.send().await.unwrap();
            let status = response.status().as_u16().to_string();
            let answer: Value = response.json().await.unwrap_or_default();
            assert!(
                !answer["error"].as_str().unwrap_or("").starts_with("no route"),
                "{method} {path} is documented but not served"
            );
            assert!(
                operation["responses"].get(&status).is_some(),
                "{method} {path} answered {status}, which the document does not list: {answer}"
            );
        }
    }
}

/// Every protocol version from 2025-03-26 to 2025-11-25 is negotiated as
/// asked, and the answer carries the Mcp-Session-Id that later calls use.
#[tokio::test]
async fn negotiates_protocol_versions_2025_03_26_to_2025_11_25() {
    let server = HttpServer::start(&["--stateless"]).await;
    let http = crate::support::http_client();
    for version in ["2025-03-26", "2025-06-18", "2025-11-25"] {
        let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"protocolVersion": version, "capabilities": {}, "clientInfo": {"name": "v", "version": "1"}}});
        let response = http
            .post(server.url("/mcp"))
            .header("accept", "application/json, text/event-stream")
            .json(&init)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{version}");
        assert!(response.headers().contains_key("mcp-session-id"), "{version}: no session id");
        let body = response.text().await.unwrap();
        let answer: Value = body
            .lines()
            .filter_map(|l| l.strip_prefix("data: "))
            .find_map(|d| serde_json::from_str::<Value>(d).ok().filter(|v| v["id"] == 1))
            .unwrap_or_else(|| serde_json::from_str(&body).unwrap());
        assert_eq!(answer["result"]["protocolVersion"], version, "{body}");
    }
}
