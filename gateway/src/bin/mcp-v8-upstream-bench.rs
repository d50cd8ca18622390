//! `mcp-v8-upstream-bench`: what the gateway costs on the way to an
//! upstream MCP server's tools.
//!
//! The upstream is `@modelcontextprotocol/server-everything` (npm, from
//! `gateway/tests/npm`, which `scripts/bench-upstreams` installs), its `echo`
//! tool. Two ways to make N calls, each sequentially and all at once:
//! - **direct**: an rmcp client of the upstream, as an agent's host would;
//! - **from run_js**: one `run_js` program calling `mcp.callTool` N times
//!   through a `mcp-v8 --stateless` gateway (with an allow-all `mcp_tools`
//!   Rego policy, as a real deployment has), timed from the `tools/call`
//!   to its answer.
//!
//! Calls per second of each, best of `--rounds` (each round a new gateway
//! and upstream, each measurement repeated `--repeat` times in it: the
//! first in a new gateway is colder than a direct client that has been
//! making calls for a while), and the ratio. Then the
//! passthrough: the median latency of sequential `tools/call`s of
//! `everything__echo` on a gateway with `--expose-upstream-tools`, against the
//! same calls made directly.
//!
//! `mcp-v8-upstream-bench [--calls N] [--rounds R] [--repeat K] [--max-concurrent C] [--server PATH]`.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use clap::Parser;
use mcp_v8_gateway::process::server_binary;
use rmcp::ServiceExt;
use rmcp::model::CallToolRequestParams;
use rmcp::transport::TokioChildProcess;
use serde_json::json;

/// The gateway's cost on the way to an upstream MCP server's tools.
#[derive(Parser)]
#[command(name = "mcp-v8-upstream-bench", version)]
struct Options {
    /// Calls in each measurement.
    #[arg(long, default_value_t = 1000)]
    calls: usize,
    /// Rounds per variant (the best is reported).
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// Times each measurement is repeated within a round, for both the
    /// direct client and the gateway (the best is reported).
    #[arg(long, default_value_t = 3)]
    repeat: usize,
    /// The mcp-v8 binary (default: the one beside this tool).
    #[arg(long)]
    server: Option<PathBuf>,
    /// The gateway's bound of calls in flight to the upstream (its
    /// `max_concurrent`; the default is the gateway's own, 64).
    #[arg(long, default_value_t = mcp_v8_upstreams::config::DEFAULT_MAX_CONCURRENT)]
    max_concurrent: usize,
}

fn upstream() -> anyhow::Result<(PathBuf, PathBuf)> {
    let modules = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/npm/node_modules"));
    let node = modules.join(".bin/node");
    let server = modules.join("@modelcontextprotocol/server-everything/dist/index.js");
    anyhow::ensure!(node.exists() && server.exists(), "the npm fixtures are missing: run scripts/bench-upstreams");
    Ok((node, server))
}

fn rate(calls: usize, elapsed: Duration) -> f64 {
    calls as f64 / elapsed.as_secs_f64()
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

/// N echo calls straight to the upstream: sequential, then all at once;
/// and the median latency of the sequential ones.
async fn direct(calls: usize, repeat: usize) -> anyhow::Result<(f64, f64, Duration)> {
    let (node, server) = upstream()?;
    let mut command = tokio::process::Command::new(node);
    command.arg(server).arg("stdio");
    let (transport, _) = TokioChildProcess::builder(command).stderr(Stdio::null()).spawn()?;
    let client = ().serve(transport).await?;
    let call = |i: usize| {
        let params = CallToolRequestParams::new("echo")
            .with_arguments(json!({"message": format!("m{i}")}).as_object().unwrap().clone());
        client.call_tool(params)
    };
    let mut times = Vec::with_capacity(calls);
    let started = Instant::now();
    for i in 0..calls {
        let one = Instant::now();
        call(i).await?;
        times.push(one.elapsed());
    }
    let sequential = rate(calls, started.elapsed());
    let mut parallel = 0f64;
    for _ in 0..repeat.max(1) {
        let started = Instant::now();
        for result in futures::future::join_all((0..calls).map(call)).await {
            result?;
        }
        parallel = parallel.max(rate(calls, started.elapsed()));
    }
    let _ = client.cancel().await;
    Ok((sequential, parallel, median(times)))
}

/// A gateway (`mcp-v8 --stateless`) fronting the upstream with an
/// allow-all `mcp_tools` policy, with `extra` flags, and a client of it.
async fn gateway(
    bin: &std::path::Path,
    dir: &std::path::Path,
    max_concurrent: usize,
    extra: &[&str],
) -> anyhow::Result<rmcp::service::RunningService<rmcp::RoleClient, ()>> {
    let (node, server) = upstream()?;
    let policy = dir.join("tools.rego");
    std::fs::write(&policy, "package mcp.tools\nallow := true\n")?;
    let mut command = tokio::process::Command::new(bin);
    command.args([
        "--stateless".to_owned(),
        "--mcp-config".to_owned(),
        json!([{"name": "everything", "command": node, "args": [server, "stdio"], "max_concurrent": max_concurrent}])
            .to_string(),
        "--policies-json".to_owned(),
        json!({"mcp_tools": {"policies": [{"url": policy.to_str().unwrap()}]}}).to_string(),
    ]);
    command.args(extra);
    let (transport, _) = TokioChildProcess::builder(command).stderr(Stdio::null()).spawn()?;
    Ok(().serve(transport).await?)
}

/// The median latency of N sequential calls of `everything__echo` on a
/// gateway with `--expose-upstream-tools` (the passthrough).
async fn passthrough(bin: &std::path::Path, calls: usize, dir: &std::path::Path) -> anyhow::Result<Duration> {
    let limit = mcp_v8_upstreams::config::DEFAULT_MAX_CONCURRENT;
    let client = gateway(bin, dir, limit, &["--expose-upstream-tools"]).await?;
    let started = Instant::now();
    while !client.list_all_tools().await?.iter().any(|t| t.name == "everything__echo") {
        anyhow::ensure!(started.elapsed() < Duration::from_secs(30), "the upstream did not come up");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut times = Vec::with_capacity(calls);
    for i in 0..calls {
        let params = CallToolRequestParams::new("everything__echo")
            .with_arguments(json!({"message": format!("m{i}")}).as_object().unwrap().clone());
        let one = Instant::now();
        let result = client.call_tool(params).await?;
        times.push(one.elapsed());
        anyhow::ensure!(result.is_error != Some(true), "the call failed: {result:?}");
    }
    let _ = client.cancel().await;
    Ok(median(times))
}

/// The same calls from one run_js program through the gateway.
async fn through_gateway(
    bin: &std::path::Path,
    calls: usize,
    max_concurrent: usize,
    repeat: usize,
    dir: &std::path::Path,
) -> anyhow::Result<(f64, f64)> {
    let extra = ["--execution-timeout", "300", "--inline-wait-ms", "300000"];
    let client = gateway(bin, dir, max_concurrent, &extra).await?;
    let run = |code: String| {
        let params =
            CallToolRequestParams::new("run_js").with_arguments(json!({"code": code}).as_object().unwrap().clone());
        client.call_tool(params)
    };
    let ready = "await new Promise(async (resolve) => { while (mcp.servers[0]?.status !== 'ready') await new Promise((r) => setTimeout(r, 20)); resolve(); }); 1";
    run(ready.to_owned()).await?;
    let mut rates = Vec::new();
    for code in [
        format!(
            "for (let i = 0; i < {calls}; i++) await mcp.callTool('everything', 'echo', {{message: 'm' + i}}); {calls}"
        ),
        format!(
            "(await Promise.all(Array.from({{length: {calls}}}, (_, i) => mcp.callTool('everything', 'echo', {{message: 'm' + i}})))).length"
        ),
    ] {
        let mut best = 0f64;
        for _ in 0..repeat.max(1) {
            let started = Instant::now();
            let result = run(code.clone()).await?;
            let elapsed = started.elapsed();
            let done = result.structured_content.as_ref().and_then(|s| s["result"].as_u64());
            anyhow::ensure!(done == Some(calls as u64), "the program failed: {result:?}");
            best = best.max(rate(calls, elapsed));
        }
        rates.push(best);
    }
    let _ = client.cancel().await;
    Ok((rates[0], rates[1]))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let options = Options::parse();
    let bin = server_binary(options.server.clone())?;
    let dir = tempfile::tempdir()?;
    let (mut best_direct, mut best_gateway) = ((0f64, 0f64), (0f64, 0f64));
    let (mut direct_latency, mut passthrough_latency) = (Duration::MAX, Duration::MAX);
    for _ in 0..options.rounds {
        let d = direct(options.calls, options.repeat).await?;
        direct_latency = direct_latency.min(d.2);
        passthrough_latency = passthrough_latency.min(passthrough(&bin, options.calls, dir.path()).await?);
        let g = through_gateway(&bin, options.calls, options.max_concurrent, options.repeat, dir.path()).await?;
        best_direct = (best_direct.0.max(d.0), best_direct.1.max(d.1));
        best_gateway = (best_gateway.0.max(g.0), best_gateway.1.max(g.1));
    }
    println!(
        "upstream: @modelcontextprotocol/server-everything `echo` over stdio; {} calls, best of {} rounds x {} repeats, \
         gateway max_concurrent {}, {} cores",
        options.calls,
        options.rounds,
        options.repeat,
        options.max_concurrent,
        std::thread::available_parallelism()?.get()
    );
    println!("{:<28} {:>12} {:>12} {:>10}", "", "direct/s", "run_js/s", "ratio");
    for (name, direct, gateway) in
        [("sequential", best_direct.0, best_gateway.0), ("all at once (Promise.all)", best_direct.1, best_gateway.1)]
    {
        println!("{name:<28} {direct:>12.0} {gateway:>12.0} {:>9.0}%", gateway / direct * 100.0);
    }
    println!("target: run_js within 20% of direct (ratio >= 80%)");
    let added = passthrough_latency.saturating_sub(direct_latency);
    println!(
        "passthrough (--expose-upstream-tools), sequential median: direct {:.3} ms, through the gateway {:.3} ms, added {:.3} ms (target < 0.3 ms)",
        direct_latency.as_secs_f64() * 1e3,
        passthrough_latency.as_secs_f64() * 1e3,
        added.as_secs_f64() * 1e3
    );
    Ok(())
}
