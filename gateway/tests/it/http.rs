//! `mcp-v8 --http-port`: MCP over Streamable HTTP with a real rmcp client,
//! the REST API with a plain HTTP client, the reference's shapes and
//! discovery pages, health, limits and shutdown.

use std::time::Duration;

use serde_json::{Value, json};

use crate::support::{HttpServer, call, call_json, eventually, http_client, post_json, text_of};

async fn get(http: &reqwest::Client, url: String) -> (u16, Value) {
    let response = http.get(url).send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn streamable_http_runs_code_and_keys_state_to_the_connection() {
    let server = HttpServer::start(&[]).await;
    let alice = server.mcp_client().await;
    let tools = alice.list_all_tools().await.unwrap();
    assert!(tools.iter().any(|t| t.name == "run_js"));

    // No session named: the connection's implicit session keeps the state.
    let first = call_json(&alice, "run_js", json!({"code": "var seen = ['a']; seen.length"})).await;
    assert_eq!(first["result"], 1, "{first}");
    let implicit = first["session"].as_str().unwrap().to_owned();
    assert!(implicit.starts_with('~'), "{implicit}");
    let second = call(&alice, "run_js", json!({"code": "seen.push('b'); seen"})).await;
    assert_eq!(text_of(&second), "=> [\"a\",\"b\"]", "no ids or heaps to read when the session carries on");

    // Another client has its own connection: it sees nothing of alice's.
    let bob = server.mcp_client().await;
    let other = call_json(&bob, "run_js", json!({"code": "typeof seen"})).await;
    assert_eq!(other["result"], "undefined", "{other}");
    let sessions = call_json(&bob, "list_sessions", json!({})).await;
    assert!(!sessions.to_string().contains(&implicit), "{sessions}");

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
    let http = http_client();

    // The reference's answer: 202 with the id at once.
    let response = http.post(server.url("/api/exec")).json(&json!({"code": "21 * 2", "session": "r"})).send().await.unwrap();
    assert_eq!(response.status(), 202);
    let id = response.json::<Value>().await.unwrap()["execution_id"].as_str().unwrap().to_owned();
    let info = eventually("the run", 30, || async {
        let (_, info) = get(&http, server.url(&format!("/api/executions/{id}"))).await;
        (info["status"] == "completed").then_some(info)
    })
    .await;
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
    let (_, page) = get(&http, server.url(&format!("/api/executions/{id}/output?line_offset=29&line_limit=5"))).await;
    assert_eq!(page["data"], "line 28\nline 29");
    assert_eq!(page["next_line_offset"], 31);
    assert_eq!(page["has_more"], false);

    // Cancel a run that would go on for a minute.
    let response = http
        .post(server.url("/api/exec?wait=200"))
        .json(&json!({"code": "while (true) {}", "execution_timeout_secs": 60}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202, "still running when the wait ends");
    let id = response.json::<Value>().await.unwrap()["execution_id"].as_str().unwrap().to_owned();
    let response = http.post(server.url(&format!("/api/executions/{id}/cancel"))).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>().await.unwrap()["ok"], true, "the reference's answer");
    eventually("the cancel", 30, || async {
        let (_, info) = get(&http, server.url(&format!("/api/executions/{id}"))).await;
        (info["status"] == "cancelled").then_some(())
    })
    .await;
    let response = http.post(server.url(&format!("/api/executions/{id}/cancel"))).send().await.unwrap();
    assert_eq!(response.status(), 400, "not running any more");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["ok"], false);
    assert!(body["error"].as_str().unwrap().contains("not running"));

    // A body is an object: the same fields by position in an array are refused.
    for path in ["/api/exec", "/api/heaps/query"] {
        let response = http.post(server.url(path)).json(&json!([{}])).send().await.unwrap();
        assert_eq!(response.status(), 400, "{path}");
        let body: Value = response.json().await.unwrap();
        assert!(body["error"].as_str().unwrap().contains("expected an object"), "{path}: {body}");
    }
    let (_, list) = get(&http, server.url("/api/executions?status=cancelled")).await;
    assert_eq!(list["executions"][0]["execution_id"], id.as_str());

    // Sessions, their logs, heap tags.
    let (_, sessions) = get(&http, server.url("/api/sessions")).await;
    assert_eq!(sessions["sessions"][0]["session"], "r");
    assert_eq!(sessions["sessions"][0]["runs"], 2);
    let (_, log) = get(&http, server.url("/api/sessions/r/snapshots")).await;
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
    let found: Value = post_json(&http, server.url("/api/heaps/query"), json!({"tags": {"team": "x"}})).await;
    assert_eq!(found["heaps"][0]["heap"], heap.as_str());
    let left: Value =
        http.delete(server.url(&format!("/api/heaps/{heap}/tags?keys=team"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(left["tags"], json!({"stage": "one"}));
}

/// The reference's REST shapes, flags and agent discovery pages, read the
/// way its users' scripts and generated client read them.
#[tokio::test]
async fn reference_shapes_discovery_pages_and_the_session_db_path() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("elsewhere/sessions.redb");
    let server = HttpServer::start(&["--session-db-path", db.to_str().unwrap()]).await;
    let http = http_client();

    let (status, version) = get(&http, server.url("/api/version")).await;
    assert_eq!(status, 200);
    assert_eq!(version["version"], env!("CARGO_PKG_VERSION"));

    let run: Value = post_json(&http, server.url("/api/exec?wait=10000"), json!({"code": "console.log('a'); console.log('b'); console.log('c'); 1", "session": "ref"})).await;
    let id = run["execution_id"].as_str().unwrap();
    assert!(db.is_file(), "session metadata lives at --session-db-path");
    let (_, info) = get(&http, server.url(&format!("/api/executions/{id}"))).await;
    for key in ["started_at", "completed_at"] {
        let text = info[key].as_str().unwrap_or_else(|| panic!("{key} in {info}"));
        humantime::parse_rfc3339(text).unwrap_or_else(|e| panic!("{key} '{text}' is not RFC 3339: {e}"));
    }
    let (_, list) = get(&http, server.url("/api/executions")).await;
    assert!(list["executions"][0]["started_at"].is_string());

    // Output pages: lines count from 1 (`line_offset=2` is the second line).
    let (_, page) = get(&http, server.url(&format!("/api/executions/{id}/output?line_offset=2&line_limit=1"))).await;
    for key in ["execution_id", "status", "data", "start_line", "end_line", "next_line_offset", "total_lines", "start_byte",
        "end_byte", "next_byte_offset", "total_bytes", "has_more"]
    {
        assert!(page.get(key).is_some(), "{key} missing from {page}");
    }
    assert_eq!(page["data"], "b");
    assert_eq!((page["start_line"].as_u64(), page["end_line"].as_u64(), page["next_line_offset"].as_u64()), (Some(2), Some(2), Some(3)));
    assert_eq!((page["start_byte"].as_u64(), page["end_byte"].as_u64()), (Some(2), Some(4)));
    assert_eq!(page["has_more"], true);

    // Discovery: / redirects to /llms.txt, a guide for agents; /docs is the README.
    let no_redirects = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let root = no_redirects.get(server.url("/")).send().await.unwrap();
    assert!(root.status().is_redirection());
    assert_eq!(root.headers()["location"], "/llms.txt");
    let guide = http.get(server.url("/")).send().await.unwrap();
    assert!(guide.headers()["content-type"].to_str().unwrap().starts_with("text/markdown"));
    let guide = guide.text().await.unwrap();
    assert!(guide.starts_with("# mcp-v8") && guide.contains("run_js") && guide.contains("## Example"), "{guide}");
    let docs = http.get(server.url("/docs")).send().await.unwrap().text().await.unwrap();
    assert!(docs.contains("## Serve over HTTP"));
}

#[tokio::test]
async fn bad_requests_get_clear_statuses_and_the_server_keeps_serving() {
    let server = HttpServer::start(&["--max-body-bytes", "65536"]).await;
    let http = http_client();
    let status = |r: reqwest::Response| r.status().as_u16();
    assert_eq!(status(http.post(server.url("/api/exec")).body("{not json").send().await.unwrap()), 400);
    assert_eq!(status(http.post(server.url("/api/exec")).json(&json!({"code": "1", "nope": 1})).send().await.unwrap()), 400);
    assert_eq!(status(http.post(server.url("/api/exec")).body("x".repeat(70_000)).send().await.unwrap()), 413);
    assert_eq!(status(http.post(server.url("/api/exec")).json(&json!({"code": "1", "heap_memory_max_mb": 4})).send().await.unwrap()), 400);
    assert_eq!(status(http.get(server.url("/api/executions/not-an-id")).send().await.unwrap()), 400);
    assert_eq!(status(http.get(server.url("/api/executions?limit=0")).send().await.unwrap()), 400);
    let unknown = format!("/api/executions/{}", "6f1c1e0a-1111-4222-8333-944455556666");
    assert_eq!(status(http.get(server.url(&unknown)).send().await.unwrap()), 404);
    // An unknown heap is not found whatever the method.
    let heap = format!("/api/heaps/{}/tags", "0".repeat(64));
    assert_eq!(status(http.get(server.url(&heap)).send().await.unwrap()), 404);
    assert_eq!(status(http.put(server.url(&heap)).json(&json!({"tags": {}})).send().await.unwrap()), 404);
    assert_eq!(status(http.get(server.url("/nowhere")).send().await.unwrap()), 404);
    // A path that exists answers other methods with 405 and says which it takes.
    let response = http.delete(server.url("/api/version")).send().await.unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()["allow"], "GET");
    assert_eq!(http.post(server.url("/api/heaps/x/tags")).send().await.unwrap().headers()["allow"], "GET, PUT, DELETE");
    // Path segments are percent-decoded; '+' stays a plus sign.
    http.post(server.url("/api/exec?wait=10000")).json(&json!({"code": "1", "session": "a+b c"})).send().await.unwrap();
    let (status_code, log) = get(&http, server.url("/api/sessions/a+b%20c/snapshots")).await;
    assert_eq!(status_code, 200, "{log}");
    assert_eq!(log["session"], "a+b c");

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

    let ok: Value = post_json(&http, server.url("/api/exec?wait=5000"), json!({"code": "'still here'"})).await;
    assert_eq!(ok["result"], "still here");
}

#[tokio::test]
async fn sigterm_stops_within_five_seconds_and_persists_warm_sessions() {
    let mut server = HttpServer::start(&["--snapshot-policy", "idle", "--snapshot-idle-secs", "3600"]).await;
    let http = http_client();
    let run: Value = post_json(&http, server.url("/api/exec?wait=5000"), json!({"code": "var kept = 'yes'", "session": "w"})).await;
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
    let server = HttpServer::start(&["--stateless", "--tls-cert", cert.to_str().unwrap(), "--tls-key", key.to_str().unwrap()]).await;
    assert!(server.base.starts_with("https://"), "{}", server.base);
    let _ = http_client();
    let pem = std::fs::read(&cert).unwrap();
    let https = reqwest::Client::builder().add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap()).build().unwrap();
    let run: Value = post_json(&https, server.url("/api/exec?wait=5000"), json!({"code": "'over tls'"})).await;
    assert_eq!(run["result"], "over tls");
    // Plain HTTP on the TLS port gets no answer.
    let plain = http_client().get(server.url("/healthz").replace("https://", "http://")).send().await;
    assert!(plain.is_err() || !plain.unwrap().status().is_success());
}

/// The OpenAPI document is the one `--print-openapi` prints for the same
/// settings, it declares this server's bounds, and every operation in it is
/// served, answering with a status it documents.
#[tokio::test]
async fn openapi_document_matches_what_is_served() {
    let server = HttpServer::start(&["--heap-memory-max", "2048"]).await;
    let http = http_client();
    let (_, served) = get(&http, server.url("/api-doc/openapi.json")).await;
    let printed = std::process::Command::new(crate::support::BIN).args(["--print-openapi", "--heap-memory-max", "2048"]).output().unwrap();
    assert_eq!(served, serde_json::from_slice::<Value>(&printed.stdout).unwrap());
    assert!(served["openapi"].as_str().unwrap().starts_with("3.1"));
    let run_args = &served["components"]["schemas"]["RunJsArgs"]["properties"];
    assert_eq!(run_args["heap_memory_max_mb"]["maximum"], 2048, "this server's bound");
    assert_eq!(run_args["heap"]["pattern"], "^[0-9a-fA-F]{64}$");

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
    let http = http_client();
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
