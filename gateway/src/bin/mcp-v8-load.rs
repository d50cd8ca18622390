//! `mcp-v8-load`: a constant-arrival-rate load test of `POST /api/exec`
//! (like a k6 `constant-arrival-rate` run), against a server it starts.
//!
//! Requests are sent on a fixed schedule whatever the server's speed (open
//! loop), and each latency is measured from the request's scheduled time,
//! so a server that falls behind shows it in the percentiles instead of
//! slowing the generator down (no coordinated omission).
//!
//! `mcp-v8-load [--rates 100,500,1000] [--secs 10] [--only stateless|stateful] [--server PATH]`
//! (`--help` for more).
//!
//! Scenarios: `stateless` (`1 + 1`, `--stateless`), `stateful` (a counter in
//! one of 100 sessions, `--snapshot-policy idle`). Each request is
//! `POST /api/exec?wait=10000`; an error is a transport error, a non-200
//! answer or a run that did not complete.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Parser;
use mcp_v8_gateway::process::{HttpChild, server_binary};
use serde_json::json;

/// Constant-arrival-rate load test of POST /api/exec against an mcp-v8 it starts.
#[derive(Parser)]
#[command(name = "mcp-v8-load", version)]
struct Options {
    /// Arrival rates to run, requests per second, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "100,500,1000")]
    rates: Vec<u64>,
    /// Seconds at each rate.
    #[arg(long, default_value_t = 10)]
    secs: u64,
    /// Run one scenario only.
    #[arg(long, value_parser = ["stateless", "stateful"])]
    only: Option<String>,
    /// The mcp-v8 binary (default: the one beside this tool).
    #[arg(long)]
    server: Option<PathBuf>,
}

struct Server {
    child: HttpChild,
    _dir: tempfile::TempDir,
}

fn start(server: &std::path::Path, flags: &[&str]) -> anyhow::Result<Server> {
    let dir = tempfile::tempdir()?;
    let mut command = std::process::Command::new(server);
    command
        .args(["--http-port", "0", "--directory-path", dir.path().to_str().context("utf-8 path")?])
        // One load generator is one principal: let it use every V8 thread.
        .args(["--max-concurrent-executions", "8", "--max-concurrent-per-principal", "8"])
        .args(flags)
        .env("MCP_V8_LOG", "info");
    let child = HttpChild::spawn(command, &dir.path().join("stderr.log"), Duration::from_secs(30))?;
    Ok(Server { child, _dir: dir })
}

struct Outcome {
    sent: usize,
    errors: usize,
    latencies: Vec<Duration>,
    elapsed: Duration,
}

async fn run_at(http: &reqwest::Client, base: &str, rate: u64, secs: u64, body: Arc<dyn Fn(usize) -> serde_json::Value + Send + Sync>) -> Outcome {
    let total = (rate * secs) as usize;
    let interval = Duration::from_secs_f64(1.0 / rate as f64);
    let url = format!("{base}/api/exec?wait=10000");
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(total);
    for i in 0..total {
        let scheduled = start + interval.mul_f64(i as f64);
        tokio::time::sleep_until(scheduled.into()).await;
        let (http, url, body) = (http.clone(), url.clone(), body(i));
        tasks.push(tokio::spawn(async move {
            let ok = match http.post(&url).json(&body).send().await {
                Ok(response) if response.status() == 200 => {
                    response.json::<serde_json::Value>().await.is_ok_and(|v| v["status"] == "completed")
                }
                _ => false,
            };
            (ok, scheduled.elapsed())
        }));
    }
    let mut latencies = Vec::with_capacity(total);
    let mut errors = 0;
    for task in tasks {
        match task.await {
            Ok((true, latency)) => latencies.push(latency),
            _ => errors += 1,
        }
    }
    latencies.sort();
    Outcome { sent: total, errors, latencies, elapsed: start.elapsed() }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    ms(sorted[((sorted.len() - 1) as f64 * p).round() as usize])
}

#[tokio::main]
async fn main() {
    let options = Options::parse();
    if let Err(error) = run(options).await {
        eprintln!("mcp-v8-load: {error:#}");
        std::process::exit(1);
    }
}

async fn run(options: Options) -> anyhow::Result<()> {
    let server_bin = server_binary(options.server.clone())?;
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder().pool_max_idle_per_host(4096).build()?;
    println!("mcp-v8 load test: POST /api/exec?wait=10000 at constant arrival rates, {} s each, {} cores", options.secs, std::thread::available_parallelism()?.get());
    println!("{:<10} {:>8} {:>10} {:>8} {:>9} {:>9} {:>9}", "scenario", "target/s", "achieved/s", "errors", "p50 ms", "p95 ms", "p99 ms");
    type Body = Arc<dyn Fn(usize) -> serde_json::Value + Send + Sync>;
    let scenarios: Vec<(&str, Vec<&str>, Body)> = vec![
        ("stateless", vec!["--stateless"], Arc::new(|_| json!({"code": "1 + 1"}))),
        (
            "stateful",
            vec!["--snapshot-policy", "idle", "--snapshot-idle-secs", "60"],
            Arc::new(|i| json!({"code": "var n = (globalThis.n ?? 0) + 1; n", "session": format!("load-{}", i % 100)})),
        ),
    ];
    for (name, flags, body) in scenarios {
        if options.only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        let server = start(&server_bin, &flags)?;
        let base = server.child.base.clone();
        // Warm up: connections, spare isolates, sessions.
        run_at(&http, &base, 200, 1, body.clone()).await;
        for &rate in &options.rates {
            let outcome = run_at(&http, &base, rate, options.secs, body.clone()).await;
            let achieved = (outcome.sent - outcome.errors) as f64 / outcome.elapsed.as_secs_f64();
            println!(
                "{:<10} {:>8} {:>10.0} {:>8} {:>9.2} {:>9.2} {:>9.2}",
                name,
                rate,
                achieved,
                outcome.errors,
                pct(&outcome.latencies, 0.50),
                pct(&outcome.latencies, 0.95),
                pct(&outcome.latencies, 0.99)
            );
        }
    }
    Ok(())
}
