//! Stateless isolates reused for one caller's runs (`--isolate-reuse-runs`):
//! each run gets a fresh context, sees nothing of the runs before it, and
//! never meets an isolate that ran another caller's code.

use serde_json::json;

use crate::support::{HttpServer, Server, call, http_client, metrics_base, text_of};

/// `mcp_v8_isolates_total{source="..."}` at `url`.
async fn isolates(url: &str, source: &str) -> u64 {
    let metrics = http_client().get(url).send().await.unwrap().text().await.unwrap();
    let series = format!("mcp_v8_isolates_total{{source=\"{source}\"}} ");
    let line = metrics.lines().find(|l| l.starts_with(&series)).unwrap_or_else(|| panic!("no {series} in\n{metrics}"));
    line[series.len()..].parse().unwrap()
}

/// What the first run leaves: globals, changed prototypes and error
/// formatting, and work V8 still has pending when the run ends (a registry
/// with garbage to clean up, an `Atomics.waitAsync` that times out later, a
/// WebAssembly compilation, a promise that never settles).
const LEAVES_EVERYTHING: &str = r#"
globalThis.leak = "LEAK-global";
Object.prototype.polluted = "LEAK-prototype";
Array.prototype.map = () => "LEAK-map";
Error.prepareStackTrace = () => "LEAK-stack";
const registry = new FinalizationRegistry((held) => console.log("LEAK-finalizer", held));
for (let i = 0; i < 2000; i++) registry.register({ payload: new Array(50).fill(i) }, i);
const waited = Atomics.waitAsync(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
if (waited.async) waited.value.then(() => console.log("LEAK-wait-async"));
WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])).then(() => console.log("LEAK-wasm"));
new Promise(() => {});
waited.async
"#;

/// Waits until all of it is due, with garbage for finalizers to run on.
const FINDS_NOTHING: &str = r#"
await new Promise((resolve) => setTimeout(resolve, 400));
for (let i = 0; i < 20; i++) new Array(10000).fill(i);
await new Promise((resolve) => setTimeout(resolve, 50));
[typeof leak, ({}).polluted, [1].map((x) => x + 1), new Error("fresh").stack.split("\n")[0]]
"#;

#[tokio::test]
async fn a_callers_stateless_runs_reuse_an_isolate_and_see_nothing_of_each_other() {
    // One V8 thread: consecutive runs meet the same isolate.
    let server = Server::stateless(&["--max-concurrent-executions", "1", "--metrics-port", "0"]).await;
    let metrics = format!("{}/metrics", metrics_base(|| server.stderr()).await);

    let first = server.call("run_js", json!({"code": LEAVES_EVERYTHING})).await;
    // (The compilation may finish within the run; its line is then the run's own.)
    assert!(text_of(&first).ends_with("=> true"), "the wait went asynchronous: {first:?}");
    let second = server.call("run_js", json!({"code": FINDS_NOTHING})).await;
    let text = text_of(&second);
    assert_eq!(text, r#"=> ["undefined",null,[2],"Error: fresh"]"#, "the second run sees nothing of the first");
    assert_eq!(isolates(&metrics, "recycled").await, 1, "the second run reused the first one's isolate");

    // A run that threw leaves its isolate reusable too, and timers work in
    // a reused one.
    let threw = server.call("run_js", json!({"code": "globalThis.leak = 1; throw new Error('boom')"})).await;
    assert_eq!(threw.is_error, Some(true));
    let code = "await new Promise((r) => setTimeout(r, 5)); typeof leak";
    assert_eq!(text_of(&server.call("run_js", json!({"code": code})).await), r#"=> "undefined""#);
    assert_eq!(isolates(&metrics, "recycled").await, 3);

    // Runs that use the web platform start from their own base and reuse
    // isolates of that base.
    let code = "globalThis.leak = 1; [typeof leak, new TextEncoder().encode('é').length, crypto.getRandomValues(new Uint8Array(4)).length]";
    for _ in 0..2 {
        assert_eq!(text_of(&server.call("run_js", json!({"code": code})).await), r#"=> ["number",2,4]"#);
    }
    assert_eq!(isolates(&metrics, "recycled").await, 4);
    assert_eq!(isolates(&metrics, "base").await, 2);

    // A run that leaves its isolate holding more than an eighth of its
    // budget: the next run gets a fresh one, with all of its room.
    let big = server.call("run_js", json!({"code": "globalThis.big = new Array(2e6).fill(1.5); big.length"})).await;
    assert_eq!(text_of(&big), "=> 2000000");
    assert_eq!(text_of(&server.call("run_js", json!({"code": "typeof big"})).await), r#"=> "undefined""#);
    assert_eq!(isolates(&metrics, "recycled").await, 5, "the big run reused an isolate; the next did not");
    assert_eq!(isolates(&metrics, "base").await, 3);

    // A run stopped by its time limit may leave work behind: its isolate is
    // dropped, and the next run starts from a fresh one.
    let stopped = server.json("run_js", json!({"code": "setTimeout(() => console.log('LEAK-timer'), 300); while (true) {}", "execution_timeout_secs": 1})).await;
    assert_eq!(stopped["status"], "timed_out", "{stopped}");
    let fresh = server.call("run_js", json!({"code": FINDS_NOTHING})).await;
    assert_eq!(text_of(&fresh), text);
    assert_eq!(isolates(&metrics, "recycled").await, 6, "the stopped run took a reused isolate, then it was dropped");
    assert_eq!(isolates(&metrics, "base").await, 4);
    server.stop().await;

    // 1: a fresh isolate for every run.
    let server =
        Server::stateless(&["--max-concurrent-executions", "1", "--metrics-port", "0", "--isolate-reuse-runs", "1"])
            .await;
    let metrics = format!("{}/metrics", metrics_base(|| server.stderr()).await);
    for _ in 0..3 {
        assert_eq!(text_of(&server.call("run_js", json!({"code": "1 + 1"})).await), "=> 2");
    }
    assert_eq!(isolates(&metrics, "recycled").await, 0);
    assert_eq!(isolates(&metrics, "base").await, 3);
    server.stop().await;
}

#[tokio::test]
async fn an_isolate_is_reused_only_for_the_caller_whose_code_it_ran() {
    // Without auth, each MCP connection over HTTP is its own caller.
    let server = HttpServer::start(&["--stateless", "--max-concurrent-executions", "1"]).await;
    let metrics = server.url("/metrics");
    let (alice, bob) = (server.mcp_client().await, server.mcp_client().await);
    let run = |client, code: &'static str| async move { text_of(&call(client, "run_js", json!({"code": code})).await) };

    assert_eq!(run(&alice, "globalThis.mine = 'alice'; 1").await, "=> 1");
    // Bob's run takes a fresh isolate, not the one Alice's code ran in.
    assert_eq!(run(&bob, "typeof mine").await, r#"=> "undefined""#);
    assert_eq!(isolates(&metrics, "recycled").await, 0, "another caller's isolate was reused");
    // Bob's next run reuses his own.
    assert_eq!(run(&bob, "typeof mine").await, r#"=> "undefined""#);
    assert_eq!(isolates(&metrics, "recycled").await, 1);
    // Alice's was dropped when Bob's took its place: hers starts fresh.
    assert_eq!(run(&alice, "typeof mine").await, r#"=> "undefined""#);
    assert_eq!(isolates(&metrics, "recycled").await, 1);
    assert_eq!(isolates(&metrics, "base").await, 3);
}
