//! `mcp-v8` over stdio, driven by an rmcp client: what an agent sees.

use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;
use std::time::Duration;

use serde_json::{Value, json};

use crate::support::{BIN, Server};

#[tokio::test]
async fn lists_the_tools_of_each_mode() {
    let server = Server::stateful(&[]).await;
    let tools = server.client.list_all_tools().await.unwrap();
    let names: Vec<_> = tools.iter().map(|t| t.name.to_string()).collect();
    for name in ["run_js", "get_execution", "get_execution_output", "cancel_execution", "list_executions", "list_sessions",
        "list_session_snapshots", "get_heap_tags", "set_heap_tags", "delete_heap_tags", "query_heaps_by_tags"]
    {
        assert!(names.contains(&name.to_owned()), "{name} missing from {names:?}");
    }
    server.stop().await;

    let server = Server::stateless(&["--run-js-description", "custom words"]).await;
    let tools = server.client.list_all_tools().await.unwrap();
    let names: Vec<_> = tools.iter().map(|t| t.name.to_string()).collect();
    assert_eq!(names, ["run_js", "get_execution", "get_execution_output", "cancel_execution", "list_executions"]);
    let run_js = &tools[0];
    assert_eq!(run_js.description.as_deref(), Some("custom words"));
    assert!(!run_js.input_schema["properties"].as_object().unwrap().contains_key("session"));
    server.stop().await;
}

#[tokio::test]
async fn runs_javascript_and_typescript_with_console_and_timers() {
    let server = Server::stateless(&[]).await;
    let reply = server.run(json!({"code": "1 + 1"})).await;
    assert_eq!(reply["status"], "completed");
    assert_eq!(reply["result"], 2);

    let reply = server
        .run(json!({"code": "enum Color { Red, Green }\ninterface P { x: number }\nconst p: P = { x: Color.Green };\nconsole.log('p is', p);\nawait new Promise(r => setTimeout(r, 30));\np"}))
        .await;
    assert_eq!(reply["status"], "completed", "{reply}");
    assert_eq!(reply["result"], json!({"x": 1}));
    assert_eq!(reply["output"], "p is { x: 1 }");

    // Every line of output can be paged, by lines and by bytes.
    let reply = server.run(json!({"code": "for (let i = 0; i < 500; i++) console.log('line ' + i); 'done'"})).await;
    let id = reply["execution_id"].as_str().unwrap();
    let page = server.json("get_execution_output", json!({"execution_id": id, "line_offset": 498, "line_limit": 10})).await;
    assert_eq!(page["text"], "line 498\nline 499");
    assert_eq!(page["next_line_offset"], 500);
    assert_eq!(page["at_end"], true);
    let page = server.json("get_execution_output", json!({"execution_id": id, "byte_offset": 7, "byte_limit": 8})).await;
    assert_eq!(page["text"], "line 1\nl");
    assert_eq!(page["next_byte_offset"], 15);
    server.stop().await;
}

#[tokio::test]
async fn errors_an_agent_can_act_on() {
    let server = Server::stateless(&[]).await;
    let result = server.call("run_js", json!({"code": "const a = 1;\nconst b = a +;\n"})).await;
    assert_eq!(result.is_error, Some(true));
    let reply = result.structured_content.unwrap();
    assert_eq!(reply["error"]["name"], "SyntaxError");
    assert_eq!(reply["error"]["line"], 2);

    let reply = server.run(json!({"code": "function f() {\n  null.x;\n}\nf()"})).await;
    assert_eq!(reply["error"]["name"], "TypeError");
    assert_eq!(reply["error"]["line"], 2);
    assert!(reply["error"]["stack"].as_str().unwrap().contains("run_js:2:"));

    let result = server.call("get_execution", json!({"execution_id": "not-an-id"})).await;
    assert_eq!(result.is_error, Some(true));
    let error = server.client.call_tool(rmcp::model::CallToolRequestParams::new("run_js")).await;
    assert!(error.is_err(), "missing code must be a JSON-RPC error");
    server.stop().await;
}

#[tokio::test]
async fn state_lives_across_calls_of_a_session_and_heaps_resume() {
    let server = Server::stateful(&[]).await;
    let first = server.run(json!({"code": "let total = 40; function add(n) { total += n; return total }", "session": "work"})).await;
    assert_eq!(first["status"], "completed", "{first}");
    let heap = first["heap"].as_str().unwrap().to_owned();
    let second = server.run(json!({"code": "add(2)", "session": "work"})).await;
    assert_eq!(second["result"], 42);
    assert_eq!(second["input_heap"], heap.as_str());
    let third = server.run(json!({"code": "let total = 0; add(1)", "session": "work"})).await;
    assert_eq!(third["result"], 1, "redeclaring a top-level let works: {third}");

    // The first heap is still loadable on its own.
    let forked = server.run(json!({"code": "add(100)", "heap": heap})).await;
    assert_eq!(forked["result"], 140);

    let sessions = server.json("list_sessions", json!({})).await;
    assert_eq!(sessions["sessions"][0]["session"], "work");
    assert_eq!(sessions["sessions"][0]["runs"], 3);
    let log = server.json("list_session_snapshots", json!({"session": "work"})).await;
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 3);
    assert_eq!(runs[1]["input_heap"], heap.as_str());
    assert_eq!(runs[2]["output_heap"], third["heap"]);

    // Tags: set, get, query, delete.
    let tagged = server.json("set_heap_tags", json!({"heap": heap, "tags": {"stage": "start", "owner": "me"}})).await;
    assert_eq!(tagged["tags"]["stage"], "start");
    let found = server.json("query_heaps_by_tags", json!({"tags": {"owner": "me"}})).await;
    assert_eq!(found["heaps"][0]["heap"], heap.as_str());
    server.json("delete_heap_tags", json!({"heap": heap, "keys": ["owner"]})).await;
    let tags = server.json("get_heap_tags", json!({"heap": heap})).await;
    assert_eq!(tags["tags"], json!({"stage": "start"}));
    let reply = server.run(json!({"code": "1", "tags": {"k": "v"}})).await;
    let found = server.json("query_heaps_by_tags", json!({"tags": {"k": "v"}})).await;
    assert_eq!(found["heaps"][0]["heap"], reply["heap"]);
    server.stop().await;
}

#[tokio::test]
async fn timeouts_heap_bombs_and_cancellation_leave_the_server_serving() {
    let server = Server::stateless(&["--inline-wait-ms", "300"]).await;
    let reply = server.run(json!({"code": "while (true) {}", "execution_timeout_secs": 1})).await;
    // The wait budget ends first: the run is still going and can be polled.
    assert_eq!(reply["status"], "running", "{reply}");
    let id = reply["execution_id"].as_str().unwrap().to_owned();
    let mut status = Value::Null;
    for _ in 0..100 {
        status = server.json("get_execution", json!({"execution_id": id})).await["status"].clone();
        if status != "running" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(status, "timed_out");

    let reply = server.run(json!({"code": "const a = []; while (true) a.push('x'.repeat(1e4) + a.length)", "heap_memory_max_mb": 16, "execution_timeout_secs": 60})).await;
    let id = reply["execution_id"].as_str().unwrap().to_owned();
    let mut info = Value::Null;
    for _ in 0..200 {
        info = server.json("get_execution", json!({"execution_id": id})).await;
        if info["status"] != "running" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(info["status"], "failed", "{info}");
    assert!(info["error"]["message"].as_str().unwrap().contains("heap limit exceeded"));

    let reply = server.run(json!({"code": "await new Promise(() => setInterval(() => {}, 10))"})).await;
    let id = reply["execution_id"].as_str().unwrap().to_owned();
    let cancelled = server.json("cancel_execution", json!({"execution_id": id})).await;
    assert!(cancelled["status"] == "cancelled" || cancelled["status"] == "running", "{cancelled}");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(server.json("get_execution", json!({"execution_id": id})).await["status"], "cancelled");

    let listed = server.json("list_executions", json!({"status": "cancelled"})).await;
    assert_eq!(listed["executions"].as_array().unwrap().len(), 1);
    assert_eq!(server.run(json!({"code": "6 * 7"})).await["result"], 42);
    server.stop().await;
}

#[tokio::test]
async fn a_corrupted_snapshot_file_is_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let args: Vec<String> = ["--directory-path", dir.path().to_str().unwrap()].map(String::from).to_vec();
    let server = Server::spawn(&args, dir.path()).await;
    let reply = server.run(json!({"code": "var kept = 'yes'", "session": "s"})).await;
    let heap = reply["heap"].as_str().unwrap().to_owned();
    let path = dir.path().join("heaps").join(format!("{heap}.heap"));
    let mut bytes = std::fs::read(&path).unwrap();
    let at = bytes.len() / 3;
    bytes[at] ^= 0x55;
    std::fs::write(&path, bytes).unwrap();
    let result = server.call("run_js", json!({"code": "kept", "session": "s"})).await;
    assert_eq!(result.is_error, Some(true));
    let message = result.structured_content.unwrap()["error"]["message"].as_str().unwrap().to_owned();
    assert!(message.contains("corrupted"), "{message}");
    // Other sessions are unaffected.
    assert_eq!(server.run(json!({"code": "2", "session": "other"})).await["result"], 2);
    server.stop().await;
}

#[tokio::test]
async fn idle_policy_persists_on_clean_shutdown() {
    let dir = tempfile::tempdir().unwrap();
    let args: Vec<String> =
        ["--directory-path", dir.path().to_str().unwrap(), "--snapshot-policy", "idle", "--snapshot-idle-secs", "3600"]
            .map(String::from)
            .to_vec();
    let server = Server::spawn(&args, dir.path()).await;
    let reply = server.run(json!({"code": "var visits = 1; visits", "session": "warm"})).await;
    assert_eq!(reply["heap_pending"], true, "{reply}");
    assert_eq!(server.run(json!({"code": "++visits", "session": "warm"})).await["result"], 2);
    server.stop().await;
    // The process persists warm sessions as it exits; wait for it.
    for _ in 0..100 {
        if std::fs::read_dir(dir.path().join("heaps")).unwrap().count() > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let server = Server::spawn(&args, dir.path()).await;
    assert_eq!(server.run(json!({"code": "++visits", "session": "warm"})).await["result"], 3);
    server.stop().await;
}

/// Raw JSON-RPC over the pipes: every line the server writes must be a
/// JSON-RPC message, whatever the user's code or the client sends.
#[test]
fn stdout_carries_only_json_rpc_and_bad_input_is_answered() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(BIN)
        .args(["--stateless"])
        .env("MCP_V8_LOG", "warn")
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let lines = [
        r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}"#,
        r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
        r#"this is not json"#,
        r#"{"jsonrpc":"2.0","id":2,"method":"no/such/method"}"#,
        r#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"run_js","arguments":{"code":"console.log('to the log'); try { Deno.core.print('escape\\n') } catch (e) {} ; try { globalThis.__bootstrap.core.print('x') } catch (e) {} ; 'ok'"}}}"#,
        r#"{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"nope","arguments":{}}}"#,
    ];
    for line in lines {
        writeln!(stdin, "{line}").unwrap();
    }
    stdin.flush().unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut answered = std::collections::HashMap::new();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let mut parse_errors = 0;
    while (answered.len() < 4 || parse_errors < 1) && std::time::Instant::now() < deadline {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap() == 0 {
            break;
        }
        let message: Value = serde_json::from_str(&line).unwrap_or_else(|_| panic!("not JSON-RPC on stdout: {line:?}"));
        assert_eq!(message["jsonrpc"], "2.0", "{line}");
        if let Some(id) = message["id"].as_i64() {
            answered.insert(id, message);
        } else if message["error"]["code"] == -32700 {
            parse_errors += 1;
        }
    }
    drop(stdin);
    let _ = child.kill();
    let _ = child.wait();
    assert!(answered[&2]["error"]["code"].as_i64().is_some(), "unknown method is an error");
    let run = &answered[&3]["result"]["structuredContent"];
    assert_eq!(run["result"], "ok");
    assert_eq!(run["output"], "to the log");
    assert!(answered[&4]["error"].is_object() || answered[&4]["result"]["isError"] == true);
    assert_eq!(parse_errors, 1, "the garbage line gets a parse error");
    // The server is still alive after the garbage line: id 3 and 4 were answered after it.
}
