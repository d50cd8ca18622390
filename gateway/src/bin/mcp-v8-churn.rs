//! `mcp-v8-churn`: many short-lived MCP clients on Streamable HTTP against
//! a stateful server it starts, to show that what they leave behind is
//! collected: the server's RSS and its heap directory must stay flat however
//! many clients come and go.
//!
//! Each client initializes an MCP session, runs one line of JavaScript in its
//! connection's implicit session (so it leaves a heap), and leaves: most
//! close their session (`DELETE /mcp`), every `--vanish-every`th just goes
//! away and is ended by `--mcp-session-idle-secs`. Every `--sample-every`
//! clients the tool prints the server's RSS and the heap directory; at the
//! end it waits until the server has collected everything but the
//! dictionary heaps are packed against (or says that it did not).
//!
//! `mcp-v8-churn [--clients 10000] [--concurrency 16]` (`--help` for more).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Parser;
use mcp_v8_gateway::process::{HttpChild, memory_kib, server_binary};
use serde_json::{Value, json};

/// Many short-lived MCP clients against a stateful mcp-v8 it starts: RSS and heap directory over time.
#[derive(Parser)]
#[command(name = "mcp-v8-churn", version)]
struct Options {
    /// How many clients come and go.
    #[arg(long, default_value_t = 10_000)]
    clients: usize,
    /// Clients at a time.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Every Nth client leaves without closing its MCP session (0: none).
    #[arg(long, default_value_t = 10)]
    vanish_every: usize,
    /// Print a sample every this many clients.
    #[arg(long, default_value_t = 1000)]
    sample_every: usize,
    /// The server's --connection-ttl-secs.
    #[arg(long, default_value_t = 5)]
    connection_ttl_secs: u64,
    /// The server's --heap-retention-secs.
    #[arg(long, default_value_t = 10)]
    heap_retention_secs: u64,
    /// The server's --sweep-interval-secs.
    #[arg(long, default_value_t = 2)]
    sweep_interval_secs: u64,
    /// The server's --mcp-session-idle-secs.
    #[arg(long, default_value_t = 10)]
    mcp_session_idle_secs: u64,
    /// The mcp-v8 binary (default: the one beside this tool).
    #[arg(long)]
    server: Option<PathBuf>,
}

#[tokio::main]
async fn main() {
    let options = Options::parse();
    if let Err(error) = run(options).await {
        eprintln!("mcp-v8-churn: {error:#}");
        std::process::exit(1);
    }
}

/// What the server holds at one moment.
struct Sample {
    rss_mb: f64,
    heap_files: usize,
    heap_mb: f64,
    meta_mb: f64,
}

fn sample(pid: u32, data: &Path) -> Sample {
    let rss_kib = memory_kib(pid, "VmRSS:") as f64;
    let (mut heap_files, mut heap_bytes) = (0, 0u64);
    if let Ok(entries) = std::fs::read_dir(data.join("heaps")) {
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().ends_with(".heap") {
                heap_files += 1;
                heap_bytes += entry.metadata().map(|m| m.len()).unwrap_or(0);
            }
        }
    }
    let meta = std::fs::metadata(data.join("meta.redb")).map(|m| m.len()).unwrap_or(0);
    Sample { rss_mb: rss_kib / 1024.0, heap_files, heap_mb: heap_bytes as f64 / 1e6, meta_mb: meta as f64 / 1e6 }
}

fn print(label: &str, elapsed: Duration, s: &Sample) {
    println!(
        "{label:>14} {:>9.1} {:>9.1} {:>11} {:>10.1} {:>9.2}",
        elapsed.as_secs_f64(),
        s.rss_mb,
        s.heap_files,
        s.heap_mb,
        s.meta_mb
    );
}

/// One MCP message over Streamable HTTP; the answer's JSON-RPC message
/// (from a JSON body or an SSE stream) when one is expected.
async fn post(http: &reqwest::Client, url: &str, session: Option<&str>, message: Value) -> anyhow::Result<(Option<String>, Option<Value>)> {
    let mut request = http
        .post(url)
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", "2025-06-18")
        .json(&message);
    if let Some(session) = session {
        request = request.header("mcp-session-id", session);
    }
    let response = request.send().await?;
    let status = response.status();
    let id = response.headers().get("mcp-session-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let body = response.text().await?;
    if !status.is_success() {
        bail!("{} answered {status}: {body}", message["method"]);
    }
    let json = body
        .lines()
        .filter_map(|l| l.strip_prefix("data:"))
        .chain(std::iter::once(body.as_str()))
        .find_map(|data| serde_json::from_str::<Value>(data.trim()).ok().filter(|v| v.get("id").is_some()));
    Ok((id, json))
}

/// One client's life: initialize, one run, leave (closing or vanishing).
async fn client(http: &reqwest::Client, url: &str, n: usize, close: bool) -> anyhow::Result<()> {
    let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "mcp-v8-churn", "version": "1"}}});
    let (session, _) = post(http, url, None, init).await?;
    let session = session.context("no mcp-session-id")?;
    post(http, url, Some(&session), json!({"jsonrpc": "2.0", "method": "notifications/initialized"})).await?;
    let call = json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "run_js", "arguments": {
        "code": format!("globalThis.visitor = {n}; visitor")}}});
    let (_, answer) = post(http, url, Some(&session), call).await?;
    let answer = answer.context("no answer to tools/call")?;
    if answer["result"]["isError"] != false || answer["result"]["structuredContent"]["status"] != "completed" {
        bail!("run_js did not complete: {answer}");
    }
    if close {
        http.delete(url).header("mcp-session-id", &session).send().await?.error_for_status()?;
    }
    Ok(())
}

async fn run(options: Options) -> anyhow::Result<()> {
    let server_bin = server_binary(options.server.clone())?;
    let dir = tempfile::tempdir()?;
    let data = dir.path().join("data");
    let flags = [
        ("--connection-ttl-secs", options.connection_ttl_secs),
        ("--heap-retention-secs", options.heap_retention_secs),
        ("--sweep-interval-secs", options.sweep_interval_secs),
        ("--mcp-session-idle-secs", options.mcp_session_idle_secs),
    ];
    let mut command = std::process::Command::new(&server_bin);
    // At info the server logs the address it serves on.
    command.args(["--http-port", "0", "--directory-path", data.to_str().context("utf-8 path")?]).env("MCP_V8_LOG", "info");
    for (flag, value) in flags {
        command.args([flag, &value.to_string()]);
    }
    let server = HttpChild::spawn(command, &dir.path().join("stderr.log"), Duration::from_secs(30))?;
    let pid = server.pid();
    let url = server.url("/mcp");
    println!(
        "mcp-v8 churn: {} MCP clients on Streamable HTTP, {} at a time, each one run in its implicit session; \
         every {}th leaves without closing; {} cores",
        options.clients,
        options.concurrency,
        options.vanish_every,
        std::thread::available_parallelism()?.get()
    );
    println!("server flags: {}", flags.iter().map(|(f, v)| format!("{f} {v}")).collect::<Vec<_>>().join(" "));
    println!("{:>14} {:>9} {:>9} {:>11} {:>10} {:>9}", "clients", "secs", "RSS MB", "heap files", "heaps MB", "meta MB");
    let started = Instant::now();
    print("0", started.elapsed(), &sample(pid, &data));

    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder().pool_max_idle_per_host(options.concurrency).build()?;
    let next = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let failed = Arc::new(AtomicUsize::new(0));
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<usize>();
    let mut workers = Vec::new();
    for _ in 0..options.concurrency {
        let (http, url, next, done, failed, tx) = (http.clone(), url.clone(), next.clone(), done.clone(), failed.clone(), tx.clone());
        let (clients, vanish) = (options.clients, options.vanish_every);
        workers.push(tokio::spawn(async move {
            loop {
                let n = next.fetch_add(1, Ordering::SeqCst);
                if n >= clients {
                    return;
                }
                let close = vanish == 0 || (n + 1) % vanish != 0;
                if let Err(error) = client(&http, &url, n, close).await
                    && failed.fetch_add(1, Ordering::SeqCst) < 5
                {
                    eprintln!("client {n}: {error:#}");
                }
                let _ = tx.send(done.fetch_add(1, Ordering::SeqCst) + 1);
            }
        }));
    }
    drop(tx);
    let mut peak = Sample { rss_mb: 0.0, heap_files: 0, heap_mb: 0.0, meta_mb: 0.0 };
    while let Some(count) = rx.recv().await {
        if count % options.sample_every == 0 || count == options.clients {
            let s = sample(pid, &data);
            print(&count.to_string(), started.elapsed(), &s);
            peak = Sample {
                rss_mb: peak.rss_mb.max(s.rss_mb),
                heap_files: peak.heap_files.max(s.heap_files),
                heap_mb: peak.heap_mb.max(s.heap_mb),
                meta_mb: peak.meta_mb.max(s.meta_mb),
            };
        }
    }
    for worker in workers {
        worker.await?;
    }
    let load = started.elapsed();
    let failures = failed.load(Ordering::SeqCst);
    println!(
        "{} clients in {:.1} s ({:.0} clients/s), {failures} failed",
        options.clients,
        load.as_secs_f64(),
        options.clients as f64 / load.as_secs_f64()
    );

    // Everything the clients left is collected within: the idle timeout
    // (vanished clients), the connection TTL, the retention, two sweeps.
    let bound = Duration::from_secs(
        options.mcp_session_idle_secs + options.connection_ttl_secs + options.heap_retention_secs + 2 * options.sweep_interval_secs + 30,
    );
    // One heap file stays: the dictionary the others were packed against.
    const DICTIONARY: usize = 1;
    let waited = Instant::now();
    let mut last = sample(pid, &data);
    while last.heap_files > DICTIONARY && waited.elapsed() < bound {
        tokio::time::sleep(Duration::from_millis(500)).await;
        last = sample(pid, &data);
    }
    print("settled", started.elapsed(), &last);
    println!(
        "peak during the run: RSS {:.1} MB, {} heap files ({:.1} MB), meta {:.2} MB",
        peak.rss_mb, peak.heap_files, peak.heap_mb, peak.meta_mb
    );
    if last.heap_files > DICTIONARY {
        let left = last.heap_files - DICTIONARY;
        let after = waited.elapsed().as_secs_f64();
        bail!("{left} heap files besides the dictionary were still there {after:.0} s after the last client");
    }
    if failures > 0 {
        bail!("{failures} clients failed");
    }
    println!("everything the clients left was collected {:.1} s after the last one", waited.elapsed().as_secs_f64());
    Ok(())
}
