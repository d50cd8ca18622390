//! `mcp-v8-cli`: the REST API from a terminal or a script.
//!
//! `exec --wait` follows the run's console output as it is produced (by
//! polling the output endpoint from the last byte offset), then prints the
//! result; the exit code is 0 for a completed run, 1 for a failed, timed
//! out or cancelled one, 2 for a usage or connection error.

use std::io::Write;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use serde_json::{Value, json};

#[derive(Parser)]
#[command(name = "mcp-v8-cli", version, about = "Run code on an mcp-v8 server and inspect executions over its REST API.")]
struct Cli {
    /// The server's base URL.
    #[arg(long, env = "MCP_V8_URL", default_value = "http://127.0.0.1:8080", global = true)]
    url: String,
    /// Bearer token, when the server requires one.
    #[arg(long, env = "MCP_V8_TOKEN", hide_env_values = true, global = true)]
    token: Option<String>,
    /// Print the server's JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run JavaScript or TypeScript.
    Exec {
        /// The code (or use --file).
        code: Option<String>,
        /// Read the code from a file ('-' for stdin).
        #[arg(long, short, conflicts_with = "code")]
        file: Option<String>,
        /// Wait for the run, following its console output.
        #[arg(long)]
        wait: bool,
        #[arg(long)]
        session: Option<String>,
        #[arg(long)]
        heap: Option<String>,
        /// Wall-clock limit in seconds.
        #[arg(long)]
        timeout: Option<u64>,
        /// V8 heap limit in MB.
        #[arg(long)]
        heap_mb: Option<u64>,
    },
    /// List, inspect, page or cancel executions.
    Executions {
        #[command(subcommand)]
        command: ExecutionsCommand,
    },
    /// Stateful sessions.
    Sessions {
        #[command(subcommand)]
        command: SessionsCommand,
    },
    /// The upstream MCP servers the gateway fronts.
    Upstreams {
        #[command(subcommand)]
        command: UpstreamsCommand,
    },
}

#[derive(Subcommand)]
enum UpstreamsCommand {
    /// Each server: its state, its tool count and why it failed.
    List,
}

#[derive(Subcommand)]
enum ExecutionsCommand {
    List {
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        session: Option<String>,
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    Get {
        id: String,
    },
    Output {
        id: String,
        #[arg(long)]
        line_offset: Option<usize>,
        #[arg(long)]
        line_limit: Option<usize>,
        #[arg(long)]
        byte_offset: Option<usize>,
        #[arg(long)]
        byte_limit: Option<usize>,
    },
    Cancel {
        id: String,
    },
}

#[derive(Subcommand)]
enum SessionsCommand {
    List,
}

struct Api {
    http: reqwest::Client,
    url: String,
    token: Option<String>,
}

impl Api {
    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> anyhow::Result<(u16, Value)> {
        let mut request = self.http.request(method, format!("{}{path}", self.url.trim_end_matches('/')));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.with_context(|| format!("cannot reach {}", self.url))?;
        let status = response.status().as_u16();
        let value: Value = response.json().await.unwrap_or(Value::Null);
        if status >= 400 {
            let message = value["error"].as_str().map(str::to_owned).unwrap_or_else(|| value.to_string());
            bail!("{status}: {message}");
        }
        Ok((status, value))
    }

    async fn get(&self, path: &str) -> anyhow::Result<Value> {
        Ok(self.call(reqwest::Method::GET, path, None).await?.1)
    }
}

fn final_status(status: &str) -> bool {
    !matches!(status, "queued" | "running")
}

fn print_run(run: &Value, json: bool) {
    if json {
        println!("{run}");
        return;
    }
    match run["status"].as_str().unwrap_or("") {
        "completed" => {
            if !run["result"].is_null() {
                println!("{}", serde_json::to_string_pretty(&run["result"]).unwrap_or_default());
            }
        }
        status => {
            let error = &run["error"];
            let text = error["stack"].as_str().map(str::to_owned).unwrap_or_else(|| {
                format!("{}: {}", error["name"].as_str().unwrap_or("Error"), error["message"].as_str().unwrap_or(status))
            });
            eprintln!("{status}: {text}");
        }
    }
    if let Some(heap) = run["heap"].as_str() {
        eprintln!("heap {heap}");
    }
}

async fn exec(api: &Api, json: bool, body: Value, wait: bool) -> anyhow::Result<i32> {
    let (_, started) = api.call(reqwest::Method::POST, "/api/exec", Some(body)).await?;
    let id = started["execution_id"].as_str().context("the server gave no execution id")?.to_owned();
    if !wait {
        if json {
            println!("{started}");
        } else {
            println!("{id}");
        }
        return Ok(0);
    }
    // Follow the output from where we are, until the run is final and its
    // output read to the end.
    let mut offset = 0usize;
    let mut stdout = std::io::stdout();
    loop {
        let page = api.get(&format!("/api/executions/{id}/output?byte_offset={offset}&byte_limit=65536")).await?;
        let text = page["data"].as_str().unwrap_or("");
        let at_end = page["has_more"] == false;
        if !text.is_empty() && !json {
            stdout.write_all(text.as_bytes())?;
            if !text.ends_with('\n') && at_end {
                stdout.write_all(b"\n")?;
            }
            stdout.flush()?;
        }
        offset = page["next_byte_offset"].as_u64().map_or(offset, |n| n as usize);
        let done = final_status(page["status"].as_str().unwrap_or(""));
        if done && at_end {
            break;
        }
        if text.is_empty() {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    let run = api.get(&format!("/api/executions/{id}")).await?;
    print_run(&run, json);
    Ok(if run["status"] == "completed" { 0 } else { 1 })
}

fn print_list(items: &[Value], columns: &[&str]) {
    println!("{}", columns.join("\t"));
    for item in items {
        let row: Vec<String> = columns
            .iter()
            .map(|c| match &item[*c] {
                Value::String(s) => s.clone(),
                Value::Null => "-".to_owned(),
                other => other.to_string(),
            })
            .collect();
        println!("{}", row.join("\t"));
    }
}

async fn run(cli: Cli) -> anyhow::Result<i32> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let api = Api { http: reqwest::Client::new(), url: cli.url, token: cli.token };
    let json = cli.json;
    match cli.command {
        Command::Exec { code, file, wait, session, heap, timeout, heap_mb } => {
            let code = match (code, file) {
                (Some(code), _) => code,
                (None, Some(path)) if path == "-" => std::io::read_to_string(std::io::stdin())?,
                (None, Some(path)) => std::fs::read_to_string(&path).with_context(|| format!("cannot read {path}"))?,
                (None, None) => bail!("give the code, or --file"),
            };
            let mut body = json!({ "code": code });
            if let Some(session) = session {
                body["session"] = json!(session);
            }
            if let Some(heap) = heap {
                body["heap"] = json!(heap);
            }
            if let Some(timeout) = timeout {
                body["execution_timeout_secs"] = json!(timeout);
            }
            if let Some(mb) = heap_mb {
                body["heap_memory_max_mb"] = json!(mb);
            }
            exec(&api, json, body, wait).await
        }
        Command::Executions { command } => {
            let value = match command {
                ExecutionsCommand::List { status, session, limit } => {
                    let mut query = format!("limit={limit}");
                    if let Some(status) = status {
                        query.push_str(&format!("&status={status}"));
                    }
                    if let Some(session) = session {
                        query.push_str(&format!("&session={}", url::form_urlencoded::byte_serialize(session.as_bytes()).collect::<String>()));
                    }
                    let value = api.get(&format!("/api/executions?{query}")).await?;
                    if !json {
                        print_list(value["executions"].as_array().map_or(&[][..], Vec::as_slice), &["execution_id", "status", "session", "duration_ms"]);
                        return Ok(0);
                    }
                    value
                }
                ExecutionsCommand::Get { id } => {
                    let run = api.get(&format!("/api/executions/{id}")).await?;
                    if !json {
                        println!("{}", serde_json::to_string_pretty(&run)?);
                        return Ok(0);
                    }
                    run
                }
                ExecutionsCommand::Output { id, line_offset, line_limit, byte_offset, byte_limit } => {
                    let mut query = Vec::new();
                    for (key, value) in [("line_offset", line_offset), ("line_limit", line_limit), ("byte_offset", byte_offset), ("byte_limit", byte_limit)] {
                        if let Some(value) = value {
                            query.push(format!("{key}={value}"));
                        }
                    }
                    let page = api.get(&format!("/api/executions/{id}/output?{}", query.join("&"))).await?;
                    if !json {
                        println!("{}", page["data"].as_str().unwrap_or(""));
                        return Ok(0);
                    }
                    page
                }
                ExecutionsCommand::Cancel { id } => {
                    let (_, value) = api.call(reqwest::Method::POST, &format!("/api/executions/{id}/cancel"), None).await?;
                    if !json {
                        println!("{}", value["status"].as_str().unwrap_or(""));
                        if value["ok"] == false {
                            return Ok(1);
                        }
                        return Ok(0);
                    }
                    value
                }
            };
            println!("{value}");
            Ok(0)
        }
        Command::Sessions { command: SessionsCommand::List } => {
            let value = api.get("/api/sessions").await?;
            if json {
                println!("{value}");
            } else {
                print_list(value["sessions"].as_array().map_or(&[][..], Vec::as_slice), &["session", "runs", "heap", "warm"]);
            }
            Ok(0)
        }
        Command::Upstreams { command: UpstreamsCommand::List } => {
            let value = api.get("/api/upstreams").await?;
            if json {
                println!("{value}");
            } else {
                let rows: Vec<Value> = value["servers"]
                    .as_array()
                    .map_or(&[][..], Vec::as_slice)
                    .iter()
                    .map(|s| {
                        serde_json::json!({"name": s["name"], "status": s["status"],
                            "tools": s["tools"].as_array().map_or(0, Vec::len), "error": s["error"]})
                    })
                    .collect();
                print_list(&rows, &["name", "status", "tools", "error"]);
            }
            Ok(0)
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let code = match run(Cli::parse()).await {
        Ok(code) => code,
        Err(error) => {
            eprintln!("mcp-v8-cli: {error:#}");
            2
        }
    };
    std::process::exit(code);
}
