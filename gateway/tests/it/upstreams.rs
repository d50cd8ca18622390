//! Upstream MCP servers and `mcp.callTool`, end to end: the gateway (the real
//! binary over stdio) fronting real MCP servers in other processes: another
//! `mcp-v8` as a stdio child, one over Streamable HTTP, and one that cannot
//! start. Calls are decided by a real `mcp_tools` Rego policy.

use serde_json::{Value, json};

use crate::capabilities::{outcome, stateless};
use crate::support::{BIN, HttpServer, Server, eventually};

/// Any tool but `cancel_execution`; `run_js` only for code that does not say
/// "forbidden".
pub(crate) fn policy(dir: &std::path::Path) -> Vec<String> {
    let file = dir.join("tools.rego");
    std::fs::write(
        &file,
        "package mcp.tools\n\
         allow if {\n  input.tool != \"cancel_execution\"\n  not contains(object.get(input.arguments, \"code\", \"\"), \"forbidden\")\n}\n\
         reason := sprintf(\"%s.%s is not allowed\", [input.server, input.tool]) if not allow\n",
    )
    .unwrap();
    vec!["--policies-json".into(), json!({"mcp_tools": {"policies": [{"url": file.to_str().unwrap()}]}}).to_string()]
}

async fn ready(gateway: &Server, names: &[&str]) -> Value {
    eventually("the upstream servers to be ready", 30, || async {
        let servers = outcome(gateway, "mcp.servers").await;
        let all = names.iter().all(|name| {
            servers.as_array().is_some_and(|list| list.iter().any(|s| s["name"] == *name && s["status"] == "ready"))
        });
        all.then_some(servers)
    })
    .await
}

#[tokio::test]
async fn run_js_calls_the_tools_of_upstream_servers_as_the_policy_allows() {
    let web = HttpServer::start(&["--stateless"]).await;
    let dir = tempfile::tempdir().unwrap();
    let mut flags = policy(dir.path());
    flags.extend([
        "--mcp-server".into(),
        format!("inner=stdio:{BIN}:--stateless"),
        "--mcp-server".into(),
        format!("web=http:{}", web.url("/mcp")),
        "--mcp-server".into(),
        "dead=stdio:/nonexistent/mcp-server".into(),
    ]);
    let gateway = stateless(flags, dir.path()).await;

    // Listed with their state; the broken one says why and does not stop the others.
    let servers = ready(&gateway, &["inner", "web"]).await;
    let dead = servers.as_array().unwrap().iter().find(|s| s["name"] == "dead").unwrap().clone();
    assert_eq!(dead["status"], "failed", "{servers}");
    assert!(dead["error"].as_str().unwrap().contains("/nonexistent/mcp-server"), "{dead}");

    // The catalogue: synchronous, per server or merged; searchable.
    let names = outcome(&gateway, "mcp.listTools('inner').map((t) => t.name)").await;
    assert!(names.as_array().unwrap().contains(&json!("run_js")), "{names}");
    let merged = outcome(&gateway, "[...new Set(mcp.listTools().map((t) => t.server))].sort()").await;
    assert_eq!(merged, json!(["inner", "web"]));
    let found = outcome(&gateway, "mcp.searchTools('execution output')[0].name").await;
    assert_eq!(found, "get_execution_output");

    // One program calls both, in parallel, and combines the answers.
    let got = outcome(
        &gateway,
        "const calls = [1, 2, 3, 4, 5, 6].map((n) => mcp.callTool(n % 2 ? 'inner' : 'web', 'run_js', {code: `${n} * 7`})); \
         (await Promise.all(calls)).map((r) => r.structuredContent.result)",
    )
    .await;
    assert_eq!(got, json!([7, 14, 21, 28, 35, 42]));

    // A tool's own error throws McpToolError with the server, the tool and its text.
    let failed = outcome(
        &gateway,
        "let seen; try { await mcp.callTool('inner', 'get_execution', {execution_id: 'nope'}) } \
         catch (e) { seen = [e.name, e.server, e.tool, e.message.includes('inner.get_execution')] } seen",
    )
    .await;
    assert_eq!(failed, json!(["McpToolError", "inner", "get_execution", true]));

    // Denied: PermissionDenied naming the capability and the rule; the upstream never ran it.
    let denied =
        outcome(&gateway, "await mcp.callTool('inner', 'run_js', {code: 'globalThis.forbidden = 1; 1'})").await;
    let denied = denied.as_str().unwrap();
    assert!(denied.starts_with("PermissionDenied: mcp_tools denied: tools/call inner.run_js"), "{denied}");
    assert!(denied.contains("[rule data.mcp.tools.allow]"), "{denied}");
    let listed = outcome(&gateway, "(await mcp.callTool('inner', 'list_executions', {})).structuredContent").await;
    assert!(!listed.to_string().contains("forbidden"), "a denied call reached the upstream: {listed}");

    // What cannot be answered says why: unknown server, unknown tool, a server down, a timeout.
    for (code, says) in [
        ("await mcp.callTool('nobody', 'x')", "no upstream server 'nobody' (servers: inner, web, dead)"),
        ("await mcp.callTool('inner', 'nope')", "'inner' has no tool 'nope'"),
        ("await mcp.callTool('dead', 'anything')", "'dead' is failed"),
        (
            "await mcp.callTool('inner', 'run_js', {code: 'await new Promise((r) => setTimeout(r, 3000))'}, {timeoutMs: 200})",
            "no answer within 200 ms",
        ),
    ] {
        let out = outcome(&gateway, code).await;
        let out = out.as_str().unwrap_or_default();
        assert!(out.starts_with("McpCallError") && out.contains(says), "{code}: {out}");
    }
    gateway.stop().await;
}

#[tokio::test]
async fn without_a_policy_no_tool_is_called() {
    let dir = tempfile::tempdir().unwrap();
    let gateway = stateless(vec!["--mcp-server".into(), format!("inner=stdio:{BIN}:--stateless")], dir.path()).await;
    ready(&gateway, &["inner"]).await;
    let out = outcome(&gateway, "await mcp.callTool('inner', 'run_js', {code: '1'})").await;
    assert!(out.as_str().unwrap().contains("a `mcp_tools` policy in --policies-json turns it on"), "{out}");
    gateway.stop().await;

    // No upstreams at all: an empty list, and calls say how to configure one.
    let plain = Server::stateless(&[]).await;
    assert_eq!(outcome(&plain, "[mcp.servers, mcp.listTools()]").await, json!([[], []]));
    plain.stop().await;
}

/// The children of `pid` (every thread's).
fn children(pid: u32) -> Vec<u32> {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else { return Vec::new() };
    tasks
        .flatten()
        .filter_map(|task| std::fs::read_to_string(task.path().join("children")).ok())
        .flat_map(|list| list.split_whitespace().filter_map(|p| p.parse().ok()).collect::<Vec<u32>>())
        .collect()
}

fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .is_ok_and(|status| !status.lines().any(|l| l.starts_with("State:") && l.contains("Z")))
}

#[tokio::test]
async fn a_stdio_upstream_does_not_outlive_a_killed_gateway() {
    let dir = tempfile::tempdir().unwrap();
    // A server that ends at EOF, as most do, would leave anyway when the
    // gateway's end of its stdin closes: this one's shell then sleeps on.
    let upstream =
        json!([{"name": "inner", "command": "sh", "args": ["-c", format!("{BIN} --stateless; exec sleep 1000")]}]);
    let gateway = stateless(vec!["--mcp-config".into(), upstream.to_string()], dir.path()).await;
    ready(&gateway, &["inner"]).await;
    let child = *children(gateway.pid).first().expect("the upstream runs as the gateway's child");
    assert!(alive(child));
    std::process::Command::new("kill").args(["-KILL", &gateway.pid.to_string()]).status().unwrap();
    eventually("the upstream child to die with the gateway", 10, || async { (!alive(child)).then_some(()) }).await;
}

/// `@modelcontextprotocol/server-everything` from npm, installed by
/// scripts/test from `gateway/tests/npm` (pinned by its lock file).
fn everything() -> String {
    let modules = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/npm/node_modules");
    let node = format!("{modules}/.bin/node");
    let server = format!("{modules}/@modelcontextprotocol/server-everything/dist/index.js");
    assert!(
        std::path::Path::new(&server).exists() && std::path::Path::new(&node).exists(),
        "the npm fixtures are missing: run scripts/test (it installs gateway/tests/npm)"
    );
    format!("everything=stdio:{node}:{server}:stdio")
}

#[tokio::test]
async fn a_server_from_npm_answers_text_structured_content_and_images() {
    let dir = tempfile::tempdir().unwrap();
    let mut flags = policy(dir.path());
    flags.extend(["--mcp-server".into(), everything(), "--upstream-declarations-budget".into(), "300".into()]);
    let gateway = stateless(flags, dir.path()).await;
    ready(&gateway, &["everything"]).await;
    // Past the budget, run_js's description lists the servers and where to look.
    let tools = gateway.client.list_all_tools().await.unwrap();
    let description = tools.iter().find(|t| t.name == "run_js").unwrap().description.clone().unwrap_or_default();
    assert!(
        description.contains("everything (13)")
            && description.contains("mcp.searchTools")
            && !description.contains("interface"),
        "{description}"
    );
    // Each upstream tool is also listed as a stub that says how to call it from run_js.
    let stub = tools.iter().find(|t| t.name == "runjs__everything__get-sum").expect("a stub per upstream tool");
    assert!(stub.input_schema.get("properties").is_some_and(|p| p.get("a").is_some()), "{stub:?}");
    let answer = crate::support::text_of(&gateway.call("runjs__everything__get-sum", json!({"a": 1, "b": 2})).await);
    assert!(answer.contains(r#"await mcp.callTool("everything", "get-sum", {"a":1,"b":2})"#), "{answer}");
    let got = outcome(
        &gateway,
        "const [echo, sum, weather, image] = await Promise.all([\
           mcp.callTool('everything', 'echo', {message: 'hi'}), \
           mcp.callTool('everything', 'get-sum', {a: 2, b: 40}), \
           mcp.callTool('everything', 'get-structured-content', {location: 'Chicago'}), \
           mcp.callTool('everything', 'get-tiny-image', {})]); \
         [echo.content[0].text, sum.content[0].text, typeof weather.structuredContent.temperature, \
          image.content.some((c) => c.type === 'image' && c.mimeType === 'image/png' && c.data.length > 100)]",
    )
    .await;
    assert_eq!(got, json!(["Echo: hi", "The sum of 2 and 40 is 42.", "number", true]));
    // Arguments the server's schema refuses come back as its error.
    let bad = outcome(&gateway, "await mcp.callTool('everything', 'get-sum', {a: 'two'})").await;
    assert!(bad.as_str().unwrap_or("").starts_with("Mcp"), "{bad}");
    gateway.stop().await;
}

#[tokio::test]
async fn the_catalogue_follows_an_upstream_whose_tools_change() {
    let modules = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/npm");
    let dir = tempfile::tempdir().unwrap();
    let mut flags = policy(dir.path());
    flags.extend([
        "--mcp-server".into(),
        format!("grow=stdio:{modules}/node_modules/.bin/node:{modules}/growing-server.mjs"),
    ]);
    let gateway = stateless(flags, dir.path()).await;
    ready(&gateway, &["grow"]).await;
    assert_eq!(
        outcome(&gateway, "mcp.listTools('grow').map((t) => t.name)").await,
        json!(["grow", "wait", "cancelled"])
    );
    outcome(&gateway, "await mcp.callTool('grow', 'grow', {name: 'sprout'})").await;
    // The server says its tools changed; the catalogue follows.
    eventually("the new tool in the catalogue", 10, || async {
        let names = outcome(&gateway, "mcp.listTools('grow').map((t) => t.name).sort()").await;
        (names == json!(["cancelled", "grow", "sprout", "wait"])).then_some(())
    })
    .await;
    let text = outcome(&gateway, "(await mcp.callTool('grow', 'sprout')).content[0].text").await;
    assert_eq!(text, "I am sprout");

    // A call given up (its timeout, or the run's end) is cancelled upstream.
    let cancelled = || async { outcome(&gateway, "(await mcp.callTool('grow', 'cancelled')).content[0].text").await };
    let out = outcome(&gateway, "await mcp.callTool('grow', 'wait', {}, {timeoutMs: 200})").await;
    assert!(out.as_str().unwrap_or("").contains("no answer within 200 ms"), "{out}");
    eventually("the upstream to hear the cancellation", 10, || async { (cancelled().await == "1").then_some(()) })
        .await;
    let run = gateway.run(json!({"code": "await mcp.callTool('grow', 'wait')", "execution_timeout_secs": 1})).await;
    assert_eq!(run["status"], "timed_out", "{run}");
    eventually("the upstream to hear the run's end", 10, || async { (cancelled().await == "2").then_some(()) }).await;
    gateway.stop().await;
}

/// An MCP client that counts `notifications/tools/list_changed`.
struct Counting(std::sync::Arc<std::sync::atomic::AtomicUsize>);

impl rmcp::ClientHandler for Counting {
    async fn on_tool_list_changed(&self, _context: rmcp::service::NotificationContext<rmcp::RoleClient>) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
}

#[tokio::test]
async fn clients_learn_the_upstream_tools_from_run_js_and_resources_and_hear_of_changes() {
    use rmcp::ServiceExt;
    use rmcp::model::{CallToolRequestParams, ReadResourceRequestParams};
    use std::sync::atomic::Ordering;

    let modules = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/npm");
    let dir = tempfile::tempdir().unwrap();
    let mut command = tokio::process::Command::new(BIN);
    command.arg("--stateless").args(policy(dir.path())).args([
        "--mcp-server".to_owned(),
        format!("grow=stdio:{modules}/node_modules/.bin/node:{modules}/growing-server.mjs"),
    ]);
    let (transport, _) =
        rmcp::transport::TokioChildProcess::builder(command).stderr(std::process::Stdio::null()).spawn().unwrap();
    let heard = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let client = Counting(heard.clone()).serve(transport).await.unwrap();
    let capabilities = client.peer_info().unwrap().capabilities.clone();
    assert!(capabilities.tools.and_then(|t| t.list_changed) == Some(true) && capabilities.resources.is_some());

    let run = |code: &str| {
        let params =
            CallToolRequestParams::new("run_js").with_arguments(json!({"code": code}).as_object().unwrap().clone());
        let client = &client;
        async move { client.call_tool(params).await.unwrap().structured_content.unwrap()["result"].clone() }
    };
    let description = || async {
        let tools = client.list_all_tools().await.unwrap();
        tools.iter().find(|t| t.name == "run_js").unwrap().description.as_deref().unwrap_or_default().to_owned()
    };
    eventually("the upstream in run_js's description", 30, || async {
        description().await.contains("grow(args: { name: string }): ToolResult;").then_some(())
    })
    .await;
    let resources = client.list_all_resources().await.unwrap();
    assert_eq!(resources.iter().map(|r| r.uri.as_str()).collect::<Vec<_>>(), ["docs://upstreams/grow.d.ts"]);
    let read = client.read_resource(ReadResourceRequestParams::new("docs://upstreams/grow.d.ts")).await.unwrap();
    let text = serde_json::to_value(&read.contents[0]).unwrap()["text"].as_str().unwrap_or_default().to_owned();
    assert!(text.contains("interface grow {") && text.contains("wait(args: Record<string, unknown>)"), "{text}");

    // The upstream's tools change: the client is told, and run_js's description follows.
    let before = heard.load(Ordering::SeqCst);
    run("await mcp.callTool('grow', 'grow', {name: 'sprout'})").await;
    eventually("notifications/tools/list_changed", 10, || async {
        (heard.load(Ordering::SeqCst) > before).then_some(())
    })
    .await;
    assert!(description().await.contains("sprout(args: Record<string, unknown>): ToolResult;"));
    let _ = client.cancel().await;
}

#[tokio::test]
async fn an_upstream_on_the_legacy_sse_transport() {
    let old = HttpServer::start(&["--stateless"]).await;
    let dir = tempfile::tempdir().unwrap();
    let mut flags = policy(dir.path());
    flags.extend(["--mcp-server".into(), format!("old=sse:{}", old.url("/sse"))]);
    let gateway = stateless(flags, dir.path()).await;
    ready(&gateway, &["old"]).await;
    let got = outcome(
        &gateway,
        "const rs = await Promise.all([1, 2, 3].map((n) => mcp.callTool('old', 'run_js', {code: `${n} + ${n}`}))); \
         rs.map((r) => r.structuredContent.result)",
    )
    .await;
    assert_eq!(got, json!([2, 4, 6]));
    gateway.stop().await;
}

#[tokio::test]
async fn an_upstream_that_crashes_is_restarted_and_broken_ones_leave_the_rest_serving() {
    let dir = tempfile::tempdir().unwrap();
    let upstreams = json!([
        {"name": "inner", "command": BIN, "args": ["--stateless"]},
        // Not MCP at all, and an MCP server that never answers.
        {"name": "junk", "command": "sh", "args": ["-c", "echo garbage; sleep 100"], "timeout_secs": 1},
        {"name": "mute", "command": "sh", "args": ["-c", "sleep 100"], "timeout_secs": 1},
    ]);
    let mut flags = policy(dir.path());
    flags.extend(["--mcp-config".into(), upstreams.to_string(), "--mcp-stubs".into(), "false".into()]);
    let gateway = stateless(flags, dir.path()).await;
    ready(&gateway, &["inner"]).await;
    let tools = gateway.client.list_all_tools().await.unwrap();
    assert!(!tools.iter().any(|t| t.name.starts_with("runjs__")), "--mcp-stubs false lists no stubs");
    let failed = eventually("junk and mute to fail", 15, || async {
        let servers =
            outcome(&gateway, "mcp.servers.filter((s) => s.status === 'failed').map((s) => [s.name, s.error])").await;
        (servers.as_array().is_some_and(|s| s.len() == 2)).then_some(servers)
    })
    .await;
    assert_eq!(failed.to_string().matches("no answer to initialize within 1 s").count(), 2, "{failed}");
    let sum = "(await mcp.callTool('inner', 'run_js', {code: '20 + 22'})).structuredContent.result";
    assert_eq!(outcome(&gateway, sum).await, 42);

    // The child dies mid-session: a clear error now, and the server is back soon after.
    let child = children(gateway.pid)
        .into_iter()
        .find(|pid| std::fs::read_to_string(format!("/proc/{pid}/cmdline")).is_ok_and(|c| c.contains("--stateless")))
        .expect("the inner server's process");
    std::process::Command::new("kill").args(["-KILL", &child.to_string()]).status().unwrap();
    eventually("the inner server to be seen gone", 10, || async {
        let out = outcome(&gateway, sum).await;
        out.as_str().is_some_and(|t| t.starts_with("McpCallError")).then_some(())
    })
    .await;
    eventually("the inner server to be back", 20, || async { (outcome(&gateway, sum).await == 42).then_some(()) })
        .await;
    assert_eq!(outcome(&gateway, "1 + 1").await, 2);
    gateway.stop().await;
}

#[tokio::test]
async fn exposed_upstream_tools_are_called_directly_as_the_policy_allows() {
    let dir = tempfile::tempdir().unwrap();
    let mut flags = policy(dir.path());
    flags.extend([
        "--mcp-server".into(),
        everything(),
        "--mcp-server".into(),
        format!("inner=stdio:{BIN}:--stateless"),
        "--expose-upstream-tools".into(),
    ]);
    let gateway = stateless(flags, dir.path()).await;
    ready(&gateway, &["everything", "inner"]).await;
    let tools = gateway.client.list_all_tools().await.unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    assert!(names.contains(&"everything__get-sum") && names.contains(&"inner__run_js"), "{names:?}");
    assert!(!names.iter().any(|n| n.starts_with("runjs__")), "exposed tools replace the stubs: {names:?}");

    let sum = gateway.call("everything__get-sum", json!({"a": 2, "b": 40})).await;
    assert_eq!(crate::support::text_of(&sum), "The sum of 2 and 40 is 42.");
    assert_ne!(sum.is_error, Some(true));
    let run = gateway.call("inner__run_js", json!({"code": "6 * 7"})).await;
    assert_eq!(run.structured_content.unwrap()["result"], 42);

    // Decided like a call from run_js: a denial is a tool error, and the upstream never ran it.
    let denied = gateway.call("inner__run_js", json!({"code": "'forbidden'"})).await;
    assert_eq!(denied.is_error, Some(true));
    assert!(crate::support::text_of(&denied).contains("mcp_tools denied: tools/call inner.run_js"), "{denied:?}");
    let listed = gateway.call("inner__list_executions", json!({})).await;
    assert!(!format!("{listed:?}").contains("forbidden"), "a denied call reached the upstream");
    gateway.stop().await;
}

/// `server-everything` in its Streamable HTTP mode on a free port, until dropped.
struct EverythingOverHttp {
    child: tokio::process::Child,
    port: u16,
}

impl EverythingOverHttp {
    async fn start() -> Self {
        // Its own statement: the probe's socket is closed before the server binds the port.
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        Self::start_on(port).await
    }

    async fn start_on(port: u16) -> Self {
        use tokio::io::AsyncBufReadExt;
        let modules = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/npm/node_modules");
        let mut child = tokio::process::Command::new(format!("{modules}/.bin/node"))
            .arg(format!("{modules}/@modelcontextprotocol/server-everything/dist/index.js"))
            .arg("streamableHttp")
            .env("PORT", port.to_string())
            .stderr(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("the npm fixtures (scripts/test installs them)");
        let mut lines = tokio::io::BufReader::new(child.stderr.take().unwrap()).lines();
        tokio::time::timeout(std::time::Duration::from_secs(30), async {
            while let Ok(Some(line)) = lines.next_line().await {
                if line.contains("listening on port") {
                    break;
                }
            }
        })
        .await
        .expect("server-everything to listen");
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Self { child, port }
    }
}

#[tokio::test]
async fn one_program_combines_npm_servers_over_stdio_and_streamable_http() {
    let http = EverythingOverHttp::start().await;
    let modules = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/npm/node_modules");
    let dir = tempfile::tempdir().unwrap();
    let upstreams = json!([
        {"name": "memory", "command": format!("{modules}/.bin/node"),
         "args": [format!("{modules}/@modelcontextprotocol/server-memory/dist/index.js")],
         "env": {"MEMORY_FILE_PATH": dir.path().join("memory.jsonl")}},
        {"name": "web", "transport": "http", "url": format!("http://127.0.0.1:{}/mcp", http.port)},
    ]);
    let mut flags = policy(dir.path());
    flags.extend(["--mcp-config".into(), upstreams.to_string()]);
    let gateway = stateless(flags, dir.path()).await;
    ready(&gateway, &["memory", "web"]).await;
    let got = outcome(
        &gateway,
        "const people = ['Ada', 'Grace', 'Linus']; \
         await mcp.callTool('memory', 'create_entities', {entities: people.map((name) => ({name, entityType: 'person', observations: [`${name} writes code`]}))}); \
         const graph = (await mcp.callTool('memory', 'read_graph', {})).structuredContent ?? JSON.parse((await mcp.callTool('memory', 'read_graph', {})).content[0].text); \
         const sums = await Promise.all(graph.entities.map((e, i) => mcp.callTool('web', 'get-sum', {a: e.name.length, b: i}))); \
         graph.entities.map((e, i) => `${e.name}: ${sums[i].content[0].text}`)",
    )
    .await;
    assert_eq!(
        got,
        json!(["Ada: The sum of 3 and 0 is 3.", "Grace: The sum of 5 and 1 is 6.", "Linus: The sum of 5 and 2 is 7."])
    );
    gateway.stop().await;
    drop(http.child);
}

#[tokio::test]
async fn a_streamable_http_upstream_that_restarts_is_used_again() {
    let mut http = EverythingOverHttp::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut flags = policy(dir.path());
    flags.extend(["--mcp-server".into(), format!("web=http:http://127.0.0.1:{}/mcp", http.port)]);
    let gateway = stateless(flags, dir.path()).await;
    ready(&gateway, &["web"]).await;
    let sum = "(await mcp.callTool('web', 'get-sum', {a: 1, b: 2})).content[0].text";
    assert_eq!(outcome(&gateway, sum).await, "The sum of 1 and 2 is 3.");

    // The server goes away: a clear error, not a hang.
    let port = http.port;
    http.child.kill().await.unwrap();
    let out = outcome(&gateway, sum).await;
    assert!(out.as_str().unwrap_or("").starts_with("McpCallError"), "{out}");
    // It comes back on the same address (a new process: every old MCP session is gone).
    let _back = EverythingOverHttp::start_on(port).await;
    // Calls to the dead session fail (within their timeout), a ping fails, the gateway connects anew.
    let sum = "(await mcp.callTool('web', 'get-sum', {a: 1, b: 2}, {timeoutMs: 2000})).content[0].text";
    eventually("calls to work again", 40, || async {
        (outcome(&gateway, sum).await == "The sum of 1 and 2 is 3.").then_some(())
    })
    .await;
    gateway.stop().await;
}

/// An MCP client that keeps the progress and log notifications it gets.
#[derive(Clone, Default)]
struct Recording {
    progress: std::sync::Arc<parking_lot::Mutex<Vec<rmcp::model::ProgressNotificationParam>>>,
    logs: std::sync::Arc<parking_lot::Mutex<Vec<Value>>>,
}

impl rmcp::ClientHandler for Recording {
    async fn on_progress(
        &self,
        params: rmcp::model::ProgressNotificationParam,
        _context: rmcp::service::NotificationContext<rmcp::RoleClient>,
    ) {
        self.progress.lock().push(params);
    }

    #[allow(deprecated)]
    async fn on_logging_message(
        &self,
        params: rmcp::model::LoggingMessageNotificationParam,
        _context: rmcp::service::NotificationContext<rmcp::RoleClient>,
    ) {
        self.logs.lock().push(json!({"logger": params.logger, "data": params.data}));
    }
}

pub(crate) fn features_server() -> String {
    let modules = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/npm");
    format!("features=stdio:{modules}/node_modules/.bin/node:{modules}/feature-server.mjs")
}

#[tokio::test]
#[allow(deprecated)] // logging/setLevel
async fn exposed_upstreams_forward_resources_prompts_progress_logs_and_cancellation() {
    use rmcp::ServiceExt;
    use rmcp::model::{
        CallToolRequestParams, ClientRequest, GetPromptRequestParams, LoggingLevel, ReadResourceRequestParams,
        ResourceContents, SetLevelRequestParams,
    };

    let modules = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/npm");
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("tools.rego");
    std::fs::write(
        &policy,
        "package mcp.tools\n\
         allow if input.operation == \"mcp_call_tool\"\n\
         allow if {\n  input.operation == \"mcp_read_resource\"\n  not contains(input.uri, \"secret\")\n}\n\
         allow if {\n  input.operation == \"mcp_get_prompt\"\n  input.arguments.name != \"nobody\"\n}\n",
    )
    .unwrap();
    let mut command = tokio::process::Command::new(BIN);
    command.args([
        "--stateless",
        "--expose-upstream-tools",
        "--policies-json",
        &json!({"mcp_tools": {"policies": [{"url": policy.to_str().unwrap()}]}}).to_string(),
        "--mcp-server",
        &features_server(),
        "--mcp-server",
        &format!("grow=stdio:{modules}/node_modules/.bin/node:{modules}/growing-server.mjs"),
    ]);
    command.stderr(std::process::Stdio::null());
    let recording = Recording::default();
    let client = recording.clone().serve(rmcp::transport::TokioChildProcess::new(command).unwrap()).await.unwrap();
    eventually("both upstreams listed", 30, || async {
        let tools = client.list_all_tools().await.ok()?;
        let names: Vec<String> = tools.iter().map(|t| t.name.to_string()).collect();
        (names.contains(&"features__steps".to_owned()) && names.contains(&"grow__wait".to_owned())).then_some(())
    })
    .await;
    let capabilities = client.peer_info().unwrap().capabilities.clone();
    assert!(capabilities.prompts.is_some() && capabilities.resources.is_some(), "{capabilities:?}");

    // Resources and templates, namespaced; reading goes to the upstream and is decided.
    let resources = client.list_all_resources().await.unwrap();
    let hello = resources.iter().find(|r| r.name == "features__hello").expect("the upstream's resource");
    assert_eq!(hello.uri, "upstream://features/note://hello");
    assert!(resources.iter().any(|r| r.uri == "docs://upstreams/features.d.ts"), "the declarations stay");
    let read = |uri: &str| client.read_resource(ReadResourceRequestParams::new(uri));
    let text = |contents: &ResourceContents| match contents {
        ResourceContents::TextResourceContents { uri, text, .. } => (uri.clone(), text.clone()),
        other => panic!("{other:?}"),
    };
    let got = read(&hello.uri).await.unwrap();
    assert_eq!(text(&got.contents[0]), ("upstream://features/note://hello".into(), "hello from the upstream".into()));
    let templates = client.list_all_resource_templates().await.unwrap();
    assert!(templates.iter().any(|t| t.uri_template == "upstream://features/note://notes/{name}"), "{templates:?}");
    let got = read("upstream://features/note://notes/ada").await.unwrap();
    assert_eq!(text(&got.contents[0]).1, "note ada");
    let denied = read("upstream://features/note://notes/secret").await.unwrap_err().to_string();
    assert!(denied.contains("mcp_tools denied"), "{denied}");
    assert!(read("upstream://nowhere/x").await.is_err());

    // Prompts, namespaced and decided.
    let prompts = client.list_all_prompts().await.unwrap();
    assert!(prompts.iter().any(|p| p.name == "features__greet"), "{prompts:?}");
    let mut arguments = serde_json::Map::new();
    arguments.insert("name".into(), json!("Ada"));
    let prompt = client.get_prompt(GetPromptRequestParams::new("features__greet").with_arguments(arguments)).await;
    assert!(format!("{:?}", prompt.unwrap().messages).contains("Say hello to Ada"));
    let mut arguments = serde_json::Map::new();
    arguments.insert("name".into(), json!("nobody"));
    let denied = client.get_prompt(GetPromptRequestParams::new("features__greet").with_arguments(arguments)).await;
    assert!(denied.unwrap_err().to_string().contains("mcp_tools denied"));

    // Progress and log notifications of a forwarded call reach its caller, with the caller's token.
    let mut arguments = serde_json::Map::new();
    arguments.insert("count".into(), json!(3));
    let call = ClientRequest::CallToolRequest(rmcp::model::CallToolRequest::new(
        CallToolRequestParams::new("features__steps").with_arguments(arguments.clone()),
    ));
    let handle = client.send_request_with_option(call, Default::default()).await.unwrap();
    let token = handle.progress_token.clone();
    let result = format!("{:?}", handle.await_response().await.unwrap());
    assert!(result.contains("did 3 steps"), "{result}");
    // (The client hands each notification to a task of its own: they may be handled after the answer.)
    // (rmcp hands each notification to a task of its own, in the gateway and
    // in this client: they may come after the answer, and out of order; the
    // gateway drops progress that would go back, never the last.)
    let progress = eventually("the last progress notification", 10, || async {
        let progress = recording.progress.lock().clone();
        progress.iter().any(|p| p.progress == 3.0).then_some(progress)
    })
    .await;
    assert!(progress.iter().all(|p| p.progress_token == token && p.total == Some(3.0)), "{progress:?}");
    let mut logs = eventually("3 log messages", 10, || async {
        let logs = recording.logs.lock().clone();
        (logs.len() >= 3).then_some(logs)
    })
    .await;
    logs.sort_by_key(|log| log["data"].to_string());
    assert_eq!(
        logs,
        (1..=3).map(|i| json!({"logger": "features/steps", "data": format!("step {i}")})).collect::<Vec<_>>()
    );
    // Below the level the client set, log messages are not sent.
    client.set_level(SetLevelRequestParams::new(LoggingLevel::Warning)).await.unwrap();
    let again = client.call_tool(CallToolRequestParams::new("features__steps").with_arguments(arguments)).await;
    assert!(format!("{again:?}").contains("did 3 steps"));
    assert_eq!(recording.logs.lock().len(), 3, "info messages after setLevel(warning)");

    // A client's cancellation reaches the upstream.
    let call =
        ClientRequest::CallToolRequest(rmcp::model::CallToolRequest::new(CallToolRequestParams::new("grow__wait")));
    let handle = client.send_request_with_option(call, Default::default()).await.unwrap();
    let cancelled = || async {
        let result = client.call_tool(CallToolRequestParams::new("grow__cancelled")).await.unwrap();
        crate::support::text_of(&result)
    };
    assert_eq!(cancelled().await, "0");
    // Cancelled once the upstream has it (before, there is nothing to cancel there).
    eventually("the call to reach the upstream", 10, || async {
        let result = client.call_tool(CallToolRequestParams::new("grow__cancelled")).await.unwrap();
        (result.structured_content.as_ref()?["started"] == 1).then_some(())
    })
    .await;
    handle.cancel(Some("changed my mind".into())).await.unwrap();
    eventually("the upstream to hear the cancellation", 10, || async { (cancelled().await == "1").then_some(()) })
        .await;
    let _ = client.cancel().await;
}

/// `feature-server.mjs --http` on a free port, until dropped.
pub(crate) struct FeaturesOverHttp {
    _child: tokio::process::Child,
    pub(crate) port: u16,
}

impl FeaturesOverHttp {
    pub(crate) async fn start(extra: &[&str]) -> Self {
        let modules = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/npm");
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = tokio::process::Command::new(format!("{modules}/node_modules/.bin/node"))
            .arg(format!("{modules}/feature-server.mjs"))
            .args(["--http", &port.to_string()])
            .args(extra)
            .kill_on_drop(true)
            .spawn()
            .expect("the npm fixtures (scripts/test installs them)");
        eventually("feature-server to listen", 30, || async {
            tokio::net::TcpStream::connect(("127.0.0.1", port)).await.ok().map(|_| ())
        })
        .await;
        Self { _child: child, port }
    }
}

#[tokio::test]
async fn http_and_sse_upstreams_behind_oauth_client_credentials_and_a_session_that_expires() {
    let http = FeaturesOverHttp::start(&["--oauth", "gateway:s3cret-value", "--token-ttl", "2"]).await;
    let base = format!("http://127.0.0.1:{}", http.port);
    let dir = tempfile::tempdir().unwrap();
    let oauth = |secret: &str| json!({"token_url": format!("{base}/token"), "client_id": "gateway", "client_secret": secret, "scopes": ["mcp"]});
    let upstreams = json!([
        {"name": "feat", "url": format!("{base}/mcp"), "oauth": oauth("s3cret-value")},
        {"name": "wrong", "url": format!("{base}/mcp"), "oauth": oauth("not-the-secret")},
        {"name": "legacy", "transport": "sse", "url": format!("{base}/sse"), "oauth": oauth("s3cret-value")},
    ]);
    let mut flags = policy(dir.path());
    flags.extend(["--mcp-config".into(), upstreams.to_string()]);
    let gateway = stateless(flags, dir.path()).await;
    ready(&gateway, &["feat", "legacy"]).await;
    let echo = "(await mcp.callTool('feat', 'echo', {text: 'hi'})).content[0].text";
    // The legacy HTTP+SSE transport gets its token too.
    assert_eq!(outcome(&gateway, "(await mcp.callTool('legacy', 'echo', {text: 'old'})).content[0].text").await, "old");
    let counts = "(await mcp.callTool('feat', 'counts')).structuredContent";
    assert_eq!(outcome(&gateway, echo).await, "hi");

    // Refused credentials: the server is listed as failed, with the token endpoint's answer and not the secret.
    let wrong = eventually("the wrong credentials to fail", 30, || async {
        let servers = outcome(&gateway, "mcp.servers").await;
        let wrong = servers.as_array()?.iter().find(|s| s["name"] == "wrong")?.clone();
        (wrong["status"] == "failed").then_some(wrong)
    })
    .await;
    assert!(wrong["error"].as_str().unwrap().contains("invalid_client"), "{wrong}");
    assert!(!wrong.to_string().contains("not-the-secret"), "{wrong}");

    // The server forgets its sessions: the next call starts a new one and is sent again, once.
    let before = outcome(&gateway, counts).await;
    assert_eq!(outcome(&gateway, "(await mcp.callTool('feat', 'expire')).content[0].text").await, "expired");
    assert_eq!(outcome(&gateway, echo).await, "hi", "the call after the session expired");
    let after = outcome(&gateway, counts).await;
    assert_eq!(after["initialize"], before["initialize"].as_i64().unwrap() + 1, "{before} {after}");

    // Tokens live 2 s: calls keep working while the gateway gets new ones.
    let first = after["tokens"].as_i64().unwrap();
    eventually("a new token", 20, || async {
        assert_eq!(outcome(&gateway, echo).await, "hi");
        (outcome(&gateway, counts).await["tokens"].as_i64().unwrap() > first).then_some(())
    })
    .await;
    gateway.stop().await;
}
