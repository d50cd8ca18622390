//! `mcp-v8-cli` against a real server over HTTP.

use std::process::Output;

use serde_json::Value;

use crate::support::HttpServer;

const CLI: &str = env!("CARGO_BIN_EXE_mcp-v8-cli");

async fn cli(server: &HttpServer, args: &[&str]) -> Output {
    let mut command = tokio::process::Command::new(CLI);
    command.args(args).env("MCP_V8_URL", &server.base).env_remove("MCP_V8_TOKEN");
    command.output().await.unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn exec_waits_following_output_and_lists() {
    let server = HttpServer::start(&[]).await;
    let out = cli(&server, &["exec", "--wait", "--session", "c", "console.log('one'); await new Promise(r => setTimeout(r, 300)); console.log('two'); ({ sum: 1 + 2 })"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("one\ntwo\n"), "{stdout}");
    assert!(stdout.contains("\"sum\": 3"), "{stdout}");
    assert!(text(&out.stderr).contains("heap "), "the heap is reported");

    // A failed run exits 1 and says why on stderr.
    let out = cli(&server, &["exec", "--wait", "throw new TypeError('bad input')"]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("TypeError: bad input"), "{}", text(&out.stderr));

    // Without --wait the id comes back, and the run can be inspected.
    let out = cli(&server, &["--json", "exec", "6 * 7"]).await;
    let started: Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = started["execution_id"].as_str().unwrap().to_owned();
    let run = crate::support::eventually("the run", 30, || async {
        let out = cli(&server, &["--json", "executions", "get", &id]).await;
        let run: Value = serde_json::from_slice(&out.stdout).ok()?;
        (run["status"] == "completed").then_some(run)
    })
    .await;
    assert_eq!(run["result"], 42);
    let out = cli(&server, &["executions", "list", "--status", "failed"]).await;
    assert_eq!(text(&out.stdout).lines().count(), 2, "a header and the failed run: {}", text(&out.stdout));
    let out = cli(&server, &["sessions", "list"]).await;
    assert!(text(&out.stdout).lines().nth(1).unwrap().starts_with("c\t1\t"), "{}", text(&out.stdout));

    // A server that is not there is a clear error, exit 2.
    let out = tokio::process::Command::new(CLI).args(["--url", "http://127.0.0.1:9", "sessions", "list"]).output().await.unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot reach"), "{}", text(&out.stderr));
}

#[tokio::test]
async fn upstreams_are_listed_over_rest_and_by_the_cli() {
    let inner = format!("inner=stdio:{}:--stateless", crate::support::BIN);
    let server =
        HttpServer::start(&["--stateless", "--mcp-server", &inner, "--mcp-server", "dead=stdio:/nonexistent/server"]).await;
    let http = crate::support::http_client();
    let listed = crate::support::eventually("the inner server to be ready", 30, || async {
        let value: Value = http.get(server.url("/api/upstreams")).send().await.ok()?.json().await.ok()?;
        (value["servers"][0]["status"] == "ready").then_some(value)
    })
    .await;
    assert_eq!(listed["servers"][0]["name"], "inner");
    let tools: Vec<&str> =
        listed["servers"][0]["tools"].as_array().unwrap().iter().filter_map(|t| t["name"].as_str()).collect();
    assert!(tools.contains(&"run_js"), "{listed}");
    assert_eq!(listed["servers"][1]["status"], "failed");
    assert!(listed["servers"][1]["error"].as_str().unwrap().contains("/nonexistent/server"), "{listed}");

    let out = cli(&server, &["upstreams", "list"]).await;
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "name\tstatus\ttools\terror");
    assert!(lines[1].starts_with(&format!("inner\tready\t{}\t-", tools.len())), "{stdout}");
    assert!(lines[2].starts_with("dead\tfailed\t0\tcannot start"), "{stdout}");
}
