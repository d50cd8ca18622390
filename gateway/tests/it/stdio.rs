//! `mcp-v8` over stdio, driven by an rmcp client: what an agent sees.

use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;

use serde_json::{Value, json};

use crate::support::{BIN, Server, eventually, text_of};

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
    for tool in &tools {
        assert!(tool.output_schema.is_some(), "{} declares its result", tool.name);
    }
    let run_js = &tools[0];
    let schema = run_js.input_schema["properties"].as_object().unwrap();
    assert_eq!(schema["heap"]["pattern"], "^[0-9a-fA-F]{64}$");
    assert_eq!(schema["heap_memory_max_mb"]["maximum"], 1024);
    server.stop().await;

    let server = Server::stateless(&[]).await;
    let tools = server.client.list_all_tools().await.unwrap();
    let names: Vec<_> = tools.iter().map(|t| t.name.to_string()).collect();
    assert_eq!(names, ["run_js", "get_execution", "get_execution_output", "cancel_execution", "list_executions"]);
    let description = tools[0].description.as_deref().unwrap();
    assert!(!description.contains("session") && !description.contains("heap`"), "stateless: {description}");
    assert!(!tools[0].input_schema["properties"].as_object().unwrap().contains_key("session"));
    let info = server.client.peer_info().unwrap();
    assert!(!info.instructions.as_deref().unwrap().contains("session"));
    server.stop().await;

    let server = Server::stateless(&["--run-js-description", "custom words"]).await;
    let tools = server.client.list_all_tools().await.unwrap();
    assert_eq!(tools[0].description.as_deref(), Some("custom words"));
    server.stop().await;
}

#[tokio::test]
async fn runs_javascript_and_typescript_with_console_and_timers() {
    let server = Server::stateless(&[]).await;
    let result = server.call("run_js", json!({"code": "1 + 1"})).await;
    assert_eq!(text_of(&result), "=> 2", "the text is what the agent needs");
    let reply = result.structured_content.unwrap();
    assert_eq!(reply["status"], "completed");
    assert_eq!(reply["result"], 2);

    let result = server
        .call("run_js", json!({"code": "enum Color { Red, Green }\ninterface P { x: number }\nconst p: P = { x: Color.Green };\nconsole.log('p is', p);\nawait new Promise(r => setTimeout(r, 30));\np"}))
        .await;
    assert_eq!(text_of(&result), "p is { x: 1 }\n=> {\"x\":1}");
    let reply = result.structured_content.unwrap();
    assert_eq!(reply["status"], "completed", "{reply}");
    assert_eq!(reply["result"], json!({"x": 1}));
    assert_eq!(reply["output"], "p is { x: 1 }");

    // Every line of output can be paged, by lines (from 1) and by bytes.
    let reply = server.run(json!({"code": "for (let i = 0; i < 500; i++) console.log('line ' + i); 'done'"})).await;
    let id = reply["execution_id"].as_str().unwrap();
    let page = server.json("get_execution_output", json!({"execution_id": id, "line_offset": 499, "line_limit": 10})).await;
    assert_eq!(page["data"], "line 498\nline 499");
    assert_eq!((page["start_line"].as_u64(), page["end_line"].as_u64()), (Some(499), Some(500)));
    assert_eq!(page["next_line_offset"], 501);
    assert_eq!(page["has_more"], false);
    let page = server.json("get_execution_output", json!({"execution_id": id, "byte_offset": 7, "byte_limit": 8})).await;
    assert_eq!(page["data"], "line 1\nl");
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

    let result = server.call("run_js", json!({"code": "function f() {\n  null.x;\n}\nf()"})).await;
    let reply = result.structured_content.clone().unwrap();
    assert_eq!(reply["error"]["name"], "TypeError");
    assert_eq!(reply["error"]["line"], 2);
    assert!(reply["error"]["stack"].as_str().unwrap().contains("run_js:2:"));
    assert!(text_of(&result).starts_with("TypeError: Cannot read properties of null"), "{}", text_of(&result));

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

    // The first heap is still loadable on its own; the text names the heap,
    // the way to continue without a session.
    let forked = server.call("run_js", json!({"code": "add(100)", "heap": heap})).await;
    assert!(text_of(&forked).starts_with("=> 140\nheap: "), "{}", text_of(&forked));

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
async fn timeouts_memory_bombs_and_cancellation_leave_the_server_serving() {
    let server = Server::stateless(&["--inline-wait-ms", "300"]).await;
    let result = server.call("run_js", json!({"code": "while (true) {}", "execution_timeout_secs": 1})).await;
    let reply = result.structured_content.clone().unwrap();
    // The wait budget ends first: the run is still going and can be polled.
    assert_eq!(reply["status"], "running", "{reply}");
    let id = reply["execution_id"].as_str().unwrap().to_owned();
    assert!(text_of(&result).contains(&format!("execution_id {id}")), "{}", text_of(&result));
    let status = eventually("the timeout", 30, || async {
        let status = server.json("get_execution", json!({"execution_id": id})).await["status"].clone();
        (status != "running").then_some(status)
    })
    .await;
    assert_eq!(status, "timed_out");

    let reply = server.run(json!({"code": "const a = []; while (true) a.push('x'.repeat(1e4) + a.length)", "heap_memory_max_mb": 16, "execution_timeout_secs": 60})).await;
    let id = reply["execution_id"].as_str().unwrap().to_owned();
    let info = eventually("the memory bomb to fail", 30, || async {
        let info = server.json("get_execution", json!({"execution_id": id})).await;
        (info["status"] != "running").then_some(info)
    })
    .await;
    assert_eq!(info["status"], "failed", "{info}");
    assert!(info["error"]["message"].as_str().unwrap().contains("memory limit exceeded"));

    let reply = server.run(json!({"code": "await new Promise(() => setInterval(() => {}, 10))"})).await;
    let id = reply["execution_id"].as_str().unwrap().to_owned();
    let cancelled = server.json("cancel_execution", json!({"execution_id": id})).await;
    assert_eq!(cancelled["ok"], true, "{cancelled}");
    let status = eventually("the cancel", 30, || async {
        let status = server.json("get_execution", json!({"execution_id": id})).await["status"].clone();
        (status == "cancelled").then_some(status)
    })
    .await;
    assert_eq!(status, "cancelled");
    let again = server.call("cancel_execution", json!({"execution_id": id})).await;
    assert_eq!(again.is_error, Some(true), "a finished run cannot be cancelled");
    assert_eq!(again.structured_content.unwrap()["ok"], false);

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

/// Heaps are stored against a dictionary (an empty session's heap, itself
/// a heap of the store): a small session takes a few KB on disk, and a new
/// process, which knows no dictionary yet, reads it back.
#[tokio::test]
async fn a_small_sessions_heap_takes_a_few_kilobytes_and_a_new_process_resumes_it() {
    let dir = tempfile::tempdir().unwrap();
    let args: Vec<String> = ["--directory-path", dir.path().to_str().unwrap()].map(String::from).to_vec();
    let server = Server::spawn(&args, dir.path()).await;
    let reply = server.run(json!({"code": "var kept = {list: [1, 2, 3], text: 'yes'}", "session": "s"})).await;
    let heap = reply["heap"].as_str().unwrap().to_owned();
    let stored = std::fs::metadata(dir.path().join("heaps").join(format!("{heap}.heap"))).unwrap().len();
    assert!(stored < 32 << 10, "the heap takes {stored} bytes on disk");
    server.stop().await;
    let server = Server::spawn(&args, dir.path()).await;
    let reply = server.run(json!({"code": "kept.list.length + kept.text", "session": "s"})).await;
    assert_eq!(reply["result"], "3yes", "{reply}");
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
    server.stop_and_wait().await;
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
    let stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    raw_session(stdin, stdout);
    let _ = child.kill();
    let _ = child.wait();
}

/// The same over a Unix socket pair, which is what Node's `child_process`
/// (and so most MCP clients) gives a server as its stdin and stdout.
#[test]
fn stdin_and_stdout_may_be_a_socket_pair() {
    use std::os::fd::OwnedFd;
    let dir = tempfile::tempdir().unwrap();
    let (ours, theirs) = std::os::unix::net::UnixStream::pair().unwrap();
    let mut child = std::process::Command::new(BIN)
        .args(["--stateless"])
        .env("MCP_V8_LOG", "warn")
        .current_dir(dir.path())
        .stdin(Stdio::from(OwnedFd::from(theirs.try_clone().unwrap())))
        .stdout(Stdio::from(OwnedFd::from(theirs)))
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    raw_session(ours.try_clone().unwrap(), ours);
    let _ = child.kill();
    let _ = child.wait();
}

fn raw_session(mut stdin: impl Write, stdout: impl std::io::Read) {
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
    let mut reader = BufReader::new(stdout);
    let mut answered = std::collections::HashMap::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
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
    assert!(answered[&2]["error"]["code"].as_i64().is_some(), "unknown method is an error");
    let run = &answered[&3]["result"]["structuredContent"];
    assert_eq!(run["result"], "ok");
    assert_eq!(run["output"], "to the log");
    assert!(answered[&4]["error"].is_object() || answered[&4]["result"]["isError"] == true);
    assert_eq!(parse_errors, 1, "the garbage line gets a parse error");
    // The server is still alive after the garbage line: id 3 and 4 were answered after it.
}

/// A setting that would be ignored stops the server at start, with one line
/// naming it.
#[test]
fn settings_that_would_be_ignored_are_start_up_errors() {
    for (args, names) in [
        (&["--jwks-url", "https://id.example/jwks.json"][..], "--jwks-url"),
        (&["--tls-cert", "c.pem", "--tls-key", "k.pem"][..], "--tls-cert"),
        (&["--stateless", "--redis-url", "redis://127.0.0.1/"][..], "--redis-url"),
        (&["--http-port", "1", "--jwks-url", "http://127.0.0.1:9/jwks.json"][..], "--jwt-issuer"),
        (&["--otlp-protocol", "grpc"][..], "--otlp-protocol"),
        (&["--trace-policy-input"][..], "--trace-policy-input"),
    ] {
        let out = std::process::Command::new(BIN).args(args).stdin(Stdio::null()).output().unwrap();
        assert!(!out.status.success(), "{args:?} must not start");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(names), "{args:?}: {stderr}");
        assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
    }
}
