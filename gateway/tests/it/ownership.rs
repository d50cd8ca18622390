//! One caller never sees or touches another's implicit sessions,
//! executions, outputs, heaps or tags, on every transport; what ends with a
//! connection is collected; slow runs of one caller do not hold up another.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::{HttpServer, LegacyClient, call, call_json, eventually, http_client, post_json, text_of};

/// Once the server has started, one heap file is the dictionary heaps
/// are packed against, which the sweep keeps.
const DICTIONARY: usize = 1;

/// What client A made, as B might try to reach it.
struct Made {
    execution_id: String,
    session: String,
    heap: String,
}

async fn not_found_over_mcp(client: &crate::support::Client, made: &Made) {
    let tries = [
        ("run_js", json!({"code": "secret", "session": made.session})),
        ("run_js", json!({"code": "secret", "heap": made.heap})),
        ("get_execution", json!({"execution_id": made.execution_id})),
        ("get_execution_output", json!({"execution_id": made.execution_id})),
        ("cancel_execution", json!({"execution_id": made.execution_id})),
        ("list_session_snapshots", json!({"session": made.session})),
        ("get_heap_tags", json!({"heap": made.heap})),
        ("set_heap_tags", json!({"heap": made.heap, "tags": {"taken": "yes"}})),
        ("delete_heap_tags", json!({"heap": made.heap})),
    ];
    for (tool, args) in tries {
        let result = call(client, tool, args).await;
        assert_eq!(result.is_error, Some(true), "{tool} reached another's data: {result:?}");
        assert!(text_of(&result).contains("not found"), "{tool}: {}", text_of(&result));
    }
    for (tool, args) in [("list_sessions", json!({})), ("list_executions", json!({})), ("query_heaps_by_tags", json!({"tags": {}}))] {
        let listed = call_json(client, tool, args).await.to_string();
        for secret in [&made.execution_id, &made.session, &made.heap] {
            assert!(!listed.contains(secret.as_str()), "{tool} shows {secret}: {listed}");
        }
    }
}

#[tokio::test]
async fn two_streamable_http_clients_without_auth() {
    let server = HttpServer::start(&[]).await;
    let alice = server.mcp_client().await;
    let run = call_json(&alice, "run_js", json!({"code": "var secret = 'alice'; console.log('private'); secret"})).await;
    let made = Made {
        execution_id: run["execution_id"].as_str().unwrap().into(),
        session: run["session"].as_str().unwrap().into(),
        heap: run["heap"].as_str().unwrap().into(),
    };
    call_json(&alice, "set_heap_tags", json!({"heap": made.heap, "tags": {"mine": "yes"}})).await;
    let bob = server.mcp_client().await;
    not_found_over_mcp(&bob, &made).await;

    // REST callers without auth are the local tenant: not alice's connection.
    let http = http_client();
    let status = http.get(server.url(&format!("/api/executions/{}", made.execution_id))).send().await.unwrap().status();
    assert_eq!(status, 404);
    let (sessions, snapshots) = (
        http.get(server.url("/api/sessions")).send().await.unwrap().text().await.unwrap(),
        http.get(server.url(&format!("/api/sessions/{}/snapshots", made.session))).send().await.unwrap().status(),
    );
    assert!(!sessions.contains(&made.session), "{sessions}");
    assert_eq!(snapshots, 404);

    // Named sessions are shared without auth (one tenant).
    call_json(&alice, "run_js", json!({"code": "var board = 'team'", "session": "team"})).await;
    let seen = call_json(&bob, "run_js", json!({"code": "board", "session": "team"})).await;
    assert_eq!(seen["result"], "team");
    let _ = alice.cancel().await;
    let _ = bob.cancel().await;
}

#[tokio::test]
async fn two_legacy_sse_clients_without_auth() {
    let server = HttpServer::start(&[]).await;
    let mut alice = LegacyClient::connect(&server.base).await;
    let run = alice.run("var secret = 'alice'; secret").await;
    let made = Made {
        execution_id: run["execution_id"].as_str().unwrap().into(),
        session: run["session"].as_str().unwrap().into(),
        heap: run["heap"].as_str().unwrap().into(),
    };
    // The implicit session's name says nothing of the stream's session id,
    // which is the capability to post into alice's stream.
    let sse_id = alice.endpoint.split("sessionId=").nth(1).unwrap().to_owned();
    assert!(!made.session.contains(&sse_id[..8]), "{} / {sse_id}", made.session);

    let mut bob = LegacyClient::connect(&server.base).await;
    for (tool, args) in [
        ("run_js", json!({"code": "secret", "session": made.session})),
        ("get_execution", json!({"execution_id": made.execution_id})),
        ("get_execution_output", json!({"execution_id": made.execution_id})),
        ("get_heap_tags", json!({"heap": made.heap})),
    ] {
        let result = bob.call(tool, args).await;
        assert_eq!(result["isError"], true, "{tool}: {result}");
    }
    let listed = bob.call("list_sessions", json!({})).await;
    assert!(!listed.to_string().contains(&made.session), "{listed}");
}

/// A connection's implicit session, its heaps and what it tagged end
/// `--connection-ttl-secs` after the connection does; the heap directory
/// does not keep them.
#[tokio::test]
async fn what_a_connection_made_is_collected_after_it_ends() {
    let server = HttpServer::start(&["--connection-ttl-secs", "0", "--heap-retention-secs", "0", "--sweep-interval-secs", "1"]).await;
    let http = http_client();
    http.post(server.url("/api/exec?wait=10000")).json(&json!({"code": "var kept = 1", "session": "named"})).send().await.unwrap();
    for _ in 0..5 {
        let client = server.mcp_client().await;
        let run = call_json(&client, "run_js", json!({"code": "var x = [1, 2, 3]; x.length"})).await;
        assert_eq!(run["result"], 3);
        call_json(&client, "set_heap_tags", json!({"heap": run["heap"], "tags": {"keep": "please"}})).await;
        // Closing the client ends its MCP session (DELETE /mcp).
        client.cancel().await.unwrap();
    }
    let collected = || async { (server.heap_files() == 1 + DICTIONARY).then_some(()) };
    eventually("the connections' heaps to be collected", 30, collected).await;
    // The named session is untouched.
    let run: Value = post_json(&http, server.url("/api/exec?wait=10000"), json!({"code": "kept", "session": "named"})).await;
    assert_eq!(run["result"], 1);
}

/// A Streamable HTTP client that goes away without closing its MCP session:
/// the session ends after `--mcp-session-idle-secs` of silence, and what it
/// made is collected like a closed one's.
#[tokio::test]
async fn a_client_that_vanishes_is_ended_by_the_idle_timeout() {
    let server = HttpServer::start(&[
        "--mcp-session-idle-secs",
        "1",
        "--connection-ttl-secs",
        "0",
        "--heap-retention-secs",
        "0",
        "--sweep-interval-secs",
        "1",
    ])
    .await;
    let http = http_client();
    let post = |session: Option<&str>, message: Value| {
        let mut request = http
            .post(server.url("/mcp"))
            .header("accept", "application/json, text/event-stream")
            .header("mcp-protocol-version", "2025-06-18")
            .json(&message);
        if let Some(session) = session {
            request = request.header("mcp-session-id", session);
        }
        request.send()
    };
    let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "vanishing", "version": "1"}}});
    let response = post(None, init).await.unwrap();
    let session = response.headers()["mcp-session-id"].to_str().unwrap().to_owned();
    response.text().await.unwrap();
    post(Some(&session), json!({"jsonrpc": "2.0", "method": "notifications/initialized"})).await.unwrap();
    let call = json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "run_js", "arguments": {"code": "var left = 'behind'"}}});
    let answer = post(Some(&session), call).await.unwrap().text().await.unwrap();
    assert!(answer.contains("\"completed\""), "{answer}");
    assert_eq!(server.heap_files(), 1 + DICTIONARY, "the run left a heap");
    // No DELETE: the client is simply gone. Its session ends, then its heap.
    let collected = || async { (server.heap_files() == DICTIONARY).then_some(()) };
    eventually("the vanished client's heap to be collected", 30, collected).await;
    let ping = post(Some(&session), json!({"jsonrpc": "2.0", "id": 3, "method": "ping"})).await.unwrap();
    assert_eq!(ping.status(), 404, "the MCP session was ended");
}

/// A burst of 50 slow runs on one session does not delay a run of another
/// session by more than that run's own duration.
#[tokio::test]
async fn a_burst_on_one_session_does_not_delay_another() {
    let server = HttpServer::start(&["--max-concurrent-executions", "2"]).await;
    let http = http_client();
    let slow = "await new Promise((r) => setTimeout(r, 200)); 1";
    let mut burst = Vec::new();
    for _ in 0..50 {
        let (http, url) = (http.clone(), server.url("/api/exec"));
        burst.push(tokio::spawn(async move {
            http.post(url).json(&json!({"code": slow, "session": "busy"})).send().await.unwrap().status()
        }));
    }
    for accepted in burst {
        assert_eq!(accepted.await.unwrap(), 202);
    }
    let started = Instant::now();
    let run: Value = post_json(&http, server.url("/api/exec?wait=60000"), json!({"code": slow, "session": "calm"})).await;
    let took = started.elapsed();
    assert_eq!(run["status"], "completed", "{run}");
    let own = Duration::from_secs_f64(run["duration_ms"].as_f64().unwrap() / 1000.0);
    assert!(took < own * 2 + Duration::from_millis(300), "took {took:?}; the run itself {own:?}");
}
