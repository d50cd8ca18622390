//! `mcp-v8-bench`: end-to-end figures for `run_js`, measured the way an
//! agent sees them: the real `mcp-v8` binary, an rmcp client, stdio.
//!
//! Scenarios (each on a fresh server and a fresh heap directory):
//! - `stateless`: `1 + 1`, sequential latency, then throughput with many
//!   calls in flight, and RSS sampled over the whole run (flat = within 10%);
//! - `every-run`: stateful, every call in a distinct session, snapshot
//!   persisted before each reply; then one session's 100 runs in a row
//!   (each restores the heap the one before stored): the last runs should
//!   cost what the first did, and the heaps on disk per run;
//! - `idle`: stateful, calls spread over 100 warm sessions (write-behind).
//!
//! `mcp-v8-bench [--runs N] [--concurrency C] [--only NAME] [--server PATH]` (`--help`).

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Parser;
use mcp_v8_gateway::process::{memory_kib, server_binary};
use rmcp::model::CallToolRequestParams;
use rmcp::service::RunningService;
use rmcp::transport::TokioChildProcess;
use rmcp::{RoleClient, ServiceExt};
use serde_json::json;

/// End-to-end benchmark of run_js over stdio: the real mcp-v8 driven by an rmcp client.
#[derive(Parser)]
#[command(name = "mcp-v8-bench", version)]
struct Options {
    /// Calls in each throughput measurement.
    #[arg(long, default_value_t = 20_000)]
    runs: usize,
    /// Calls in flight in the throughput measurements.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Run one scenario only.
    #[arg(long, value_parser = ["stateless", "every-run", "idle"])]
    only: Option<String>,
    /// The mcp-v8 binary (default: the one beside this tool).
    #[arg(long)]
    server: Option<PathBuf>,
}

type Client = RunningService<RoleClient, ()>;

struct Server {
    client: Arc<Client>,
    pid: u32,
    dir: tempfile::TempDir,
}

impl Server {
    /// Closes the client's side of stdio and waits for the server to exit
    /// (it persists warm sessions first); returns how long that took.
    async fn stop(self) -> anyhow::Result<Duration> {
        let started = Instant::now();
        let client = Arc::try_unwrap(self.client).map_err(|_| anyhow::anyhow!("client still shared"))?;
        client.cancel().await?;
        while std::path::Path::new(&format!("/proc/{}/status", self.pid)).exists()
            && !std::fs::read_to_string(format!("/proc/{}/status", self.pid)).unwrap_or_default().contains("State:\tZ")
        {
            if started.elapsed() > Duration::from_secs(60) {
                bail!("server {} did not exit within 60 s", self.pid);
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        Ok(started.elapsed())
    }
}

async fn start(server: &std::path::Path, flags: &[&str]) -> anyhow::Result<Server> {
    let dir = tempfile::tempdir()?;
    let mut command = tokio::process::Command::new(server);
    command.args(["--directory-path", dir.path().to_str().unwrap()]).args(flags).env("MCP_V8_LOG", "warn");
    let (transport, _) = TokioChildProcess::builder(command).spawn()?;
    let pid = transport.id().context("server pid")?;
    let client = ().serve(transport).await?;
    Ok(Server { client: Arc::new(client), pid, dir })
}

async fn run_js(client: &Client, args: serde_json::Value) -> anyhow::Result<()> {
    let serde_json::Value::Object(args) = args else { unreachable!() };
    let result = client.call_tool(CallToolRequestParams::new("run_js").with_arguments(args)).await?;
    let reply = result.structured_content.context("structured reply")?;
    if reply["status"] != "completed" {
        bail!("run did not complete: {reply}");
    }
    Ok(())
}


fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

/// Bytes of the files in `dir`.
fn dir_bytes(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir).map_or(0, |entries| entries.flatten().filter_map(|e| e.metadata().ok()).map(|m| m.len()).sum())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Sequential calls: latency distribution.
async fn latency(client: &Client, n: usize, args: impl Fn(usize) -> serde_json::Value) -> anyhow::Result<(f64, f64)> {
    let mut samples = Vec::with_capacity(n);
    for i in 0..n {
        let start = Instant::now();
        run_js(client, args(i)).await?;
        samples.push(start.elapsed());
    }
    samples.sort();
    Ok((ms(percentile(&samples, 0.5)), ms(percentile(&samples, 0.99))))
}

/// `n` calls with `concurrency` in flight: runs per second, and RSS samples.
async fn throughput(
    server: &Server,
    n: usize,
    concurrency: usize,
    args: impl Fn(usize) -> serde_json::Value + Send + Sync + 'static,
) -> anyhow::Result<(f64, Vec<u64>)> {
    let next = Arc::new(AtomicUsize::new(0));
    let args = Arc::new(args);
    let samples = Arc::new(parking_lot::Mutex::new(vec![memory_kib(server.pid, "VmRSS:")]));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (client, next, args, samples, pid) = (server.client.clone(), next.clone(), args.clone(), samples.clone(), server.pid);
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    return Ok::<(), anyhow::Error>(());
                }
                run_js(&client, args(i)).await?;
                if i % 5000 == 4999 {
                    samples.lock().push(memory_kib(pid, "VmRSS:"));
                }
            }
        }));
    }
    for task in tasks {
        task.await??;
    }
    let rate = n as f64 / start.elapsed().as_secs_f64();
    let samples = samples.lock().clone();
    Ok((rate, samples))
}

#[tokio::main]
async fn main() {
    if let Err(error) = run(Options::parse()).await {
        eprintln!("mcp-v8-bench: {error:#}");
        std::process::exit(1);
    }
}

async fn run(options: Options) -> anyhow::Result<()> {
    let bin = server_binary(options.server.clone())?;
    let wanted = |name: &str| options.only.as_deref().is_none_or(|o| o == name);
    println!("mcp-v8 end-to-end benchmark: rmcp client over stdio, {} cores", std::thread::available_parallelism()?.get());
    println!("{:<34} {:>10} {:>10} {:>12} {:>12}", "scenario", "p50 ms", "p99 ms", "runs/s", "peak RSS MB");

    if wanted("stateless") {
        let server = start(&bin, &["--stateless"]).await?;
        let (p50, p99) = latency(&server.client, 2000, |_| json!({"code": "1 + 1"})).await?;
        let (rate, rss) = throughput(&server, options.runs, options.concurrency, |_| json!({"code": "1 + 1"})).await?;
        let peak = memory_kib(server.pid, "VmHWM:") as f64 / 1024.0;
        println!("{:<34} {:>10.3} {:>10.3} {:>12.0} {:>12.1}", "stateless 1+1", p50, p99, rate, peak);
        // RSS flatness. The server keeps the records of its last 10,000
        // executions, so RSS grows until that many ran; flat is judged from
        // there to the end.
        let series: Vec<String> = rss.iter().map(|kib| format!("{:.1}", *kib as f64 / 1024.0)).collect();
        println!("  RSS MB every 5k runs: {}", series.join(" "));
        if rss.len() >= 4 {
            let first = rss[2] as f64;
            let last = *rss.last().unwrap() as f64;
            println!(
                "  RSS from 10k to {} runs: {:.1} -> {:.1} MB ({:+.1}%)",
                options.runs,
                first / 1024.0,
                last / 1024.0,
                (last - first) / first * 100.0
            );
        }
        server.stop().await?;
    }
    if wanted("every-run") {
        let server = start(&bin, &["--snapshot-policy", "every-run"]).await?;
        let (p50, p99) = latency(&server.client, 300, |i| json!({"code": "var x = (globalThis.x ?? 0) + 1; x", "session": format!("lat-{i}")})).await?;
        let n = (options.runs / 10).max(100);
        let (rate, _) =
            throughput(&server, n, options.concurrency, |i| json!({"code": "var x = (globalThis.x ?? 0) + 1; x", "session": format!("s-{i}")}))
                .await?;
        let peak = memory_kib(server.pid, "VmHWM:") as f64 / 1024.0;
        println!("{:<34} {:>10.3} {:>10.3} {:>12.0} {:>12.1}", "stateful every-run, new sessions", p50, p99, rate, peak);
        let heaps = server.dir.path().join("heaps");
        let before = dir_bytes(&heaps);
        let mut times = Vec::with_capacity(100);
        for _ in 0..100 {
            let started = Instant::now();
            run_js(&server.client, json!({"code": "var y = (globalThis.y ?? 0) + 1; y", "session": "one"})).await?;
            times.push(ms(started.elapsed()));
        }
        // The runs after the first restore the session's own heap, not the base.
        let mut later = times[1..].to_vec();
        later.sort_by(f64::total_cmp);
        println!(
            "  one session, 100 runs in a row: run 1 {:.1} ms, run 50 {:.1} ms, run 100 {:.1} ms, \
             p50 of runs 2-100 {:.1} ms; heaps on disk {:.0} KB per run",
            times[0],
            times[49],
            times[99],
            later[later.len() / 2],
            dir_bytes(&heaps).saturating_sub(before) as f64 / 100.0 / 1024.0
        );
        server.stop().await?;
    }
    if wanted("idle") {
        let server = start(&bin, &["--snapshot-policy", "idle", "--snapshot-idle-secs", "60"]).await?;
        for s in 0..100 {
            run_js(&server.client, json!({"code": "var x = 0", "session": format!("w-{s}")})).await?;
        }
        let (p50, p99) = latency(&server.client, 1000, |i| json!({"code": "x += 1", "session": format!("w-{}", i % 100)})).await?;
        let (rate, _) =
            throughput(&server, options.runs, options.concurrency, |i| json!({"code": "x += 1", "session": format!("w-{}", i % 100)})).await?;
        let peak = memory_kib(server.pid, "VmHWM:") as f64 / 1024.0;
        println!("{:<34} {:>10.3} {:>10.3} {:>12.0} {:>12.1}", "stateful idle, 100 warm sessions", p50, p99, rate, peak);
        let stop = server.stop().await?;
        println!("  clean stop persisting the 100 warm sessions: {:.0} ms", ms(stop));
    }
    Ok(())
}
