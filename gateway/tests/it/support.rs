//! Fixtures: the real `mcp-v8` binary driven by real clients: an rmcp
//! client over stdio and over Streamable HTTP, a small legacy-SSE client,
//! plain HTTP; and a real `redis-server`.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use futures::StreamExt;
use mcp_v8_gateway::process::HttpChild;
use rmcp::model::{CallToolRequestParams, CallToolResult};
use rmcp::service::RunningService;
use rmcp::transport::TokioChildProcess;
use rmcp::{RoleClient, ServiceExt};
use serde_json::{Value, json};
use tokio::process::Command;
use tokio::sync::mpsc;

pub const BIN: &str = env!("CARGO_BIN_EXE_mcp-v8");

pub type Client = RunningService<RoleClient, ()>;

/// Polls `check` until it gives a value, up to `seconds`: waiting on state,
/// not on a guessed delay.
pub async fn eventually<T, F: Future<Output = Option<T>>>(what: &str, seconds: u64, mut check: impl FnMut() -> F) -> T {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(seconds);
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A running `mcp-v8` on stdio with a connected client. Its stderr goes to a file.
pub struct Server {
    pub client: Client,
    pub stderr_path: PathBuf,
    pub pid: u32,
    _dir: Option<tempfile::TempDir>,
}

impl Server {
    /// A stateful server on a fresh directory, with extra flags.
    pub async fn stateful(flags: &[&str]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut args = vec!["--directory-path", dir.path().to_str().unwrap()];
        args.extend_from_slice(flags);
        let args: Vec<String> = args.into_iter().map(String::from).collect();
        let mut server = Self::spawn(&args, dir.path()).await;
        server._dir = Some(dir);
        server
    }

    pub async fn stateless(flags: &[&str]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut args = vec!["--stateless"];
        args.extend_from_slice(flags);
        let args: Vec<String> = args.into_iter().map(String::from).collect();
        let mut server = Self::spawn(&args, dir.path()).await;
        server._dir = Some(dir);
        server
    }

    /// Spawns the binary with `args`; stderr is written to `log_dir/stderr-*.log`.
    pub async fn spawn(args: &[String], log_dir: &Path) -> Self {
        Self::spawn_logging(args, log_dir, "info").await
    }

    /// Spawns the binary with `args` and `MCP_V8_LOG=log`.
    pub async fn spawn_logging(args: &[String], log_dir: &Path, log: &str) -> Self {
        let stderr_path = log_dir.join(format!("stderr-{}.log", uuid::Uuid::new_v4().simple()));
        let stderr = std::fs::File::create(&stderr_path).unwrap();
        let mut command = Command::new(BIN);
        command.args(args).env("MCP_V8_LOG", log).env_remove("MCP_V8_STATELESS");
        let (transport, _) = TokioChildProcess::builder(command).stderr(Stdio::from(stderr)).spawn().unwrap();
        let pid = transport.id().expect("a child process");
        let client = ().serve(transport).await.expect("initialize");
        Self { client, stderr_path, pid, _dir: None }
    }

    pub async fn call(&self, tool: &str, args: Value) -> CallToolResult {
        call(&self.client, tool, args).await
    }

    /// Calls a tool and returns its structured JSON answer.
    pub async fn json(&self, tool: &str, args: Value) -> Value {
        call_json(&self.client, tool, args).await
    }

    pub async fn run(&self, args: Value) -> Value {
        self.json("run_js", args).await
    }

    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr_path).unwrap_or_default()
    }

    pub async fn stop(self) {
        let _ = self.client.cancel().await;
    }

    /// Closes stdin and waits for the process to exit (it persists what is
    /// warm first).
    pub async fn stop_and_wait(self) {
        let pid = self.pid;
        let _ = self.client.cancel().await;
        eventually("mcp-v8 to exit", 30, || async move {
            let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
            (status.is_empty() || status.contains("State:\tZ")).then_some(())
        })
        .await;
    }
}

/// The base URL of the `--metrics-port` listener, from the server's log
/// ("serving metrics on http://127.0.0.1:40123/metrics ..."), once it is up.
pub async fn metrics_base(stderr: impl Fn() -> String) -> String {
    eventually("the metrics listener", 30, || {
        let log = stderr();
        async move {
            let rest = log.split("serving metrics on ").nth(1)?;
            Some(rest.split("/metrics").next()?.to_owned())
        }
    })
    .await
}

/// A `redis-server` on a loopback port it picks itself, killed on drop.
pub struct Redis {
    pub port: u16,
    child: Option<std::process::Child>,
}

impl Redis {
    pub fn start() -> Self {
        // redis-server cannot listen on port 0; retry on the rare collision.
        for _ in 0..5 {
            let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
            let mut child = std::process::Command::new("redis-server")
                .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
                .stdout(Stdio::null())
                .spawn()
                .expect("redis-server must be installed (.ci/run installs it)");
            for _ in 0..200 {
                if let Ok(Some(_)) = child.try_wait() {
                    break; // it could not bind: try another port
                }
                if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    return Self { port, child: Some(child) };
                }
                std::thread::sleep(Duration::from_millis(25));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("redis-server did not start");
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Keys of cached heaps.
    pub fn heap_keys(&self) -> Vec<String> {
        let client = redis::Client::open(self.url()).unwrap();
        let mut conn = client.get_connection().unwrap();
        redis::cmd("KEYS").arg("mcp-v8:heap:*").query(&mut conn).unwrap()
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.stop();
    }
}

/// `mcp-v8 --http-port 0` on loopback, killed on drop.
pub struct HttpServer {
    pub base: String,
    pub process: HttpChild,
    pub dir: tempfile::TempDir,
}

impl HttpServer {
    pub async fn start(flags: &[&str]) -> Self {
        Self::start_with_env(flags, &[]).await
    }

    pub async fn start_with_env(flags: &[&str], env: &[(&str, &str)]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut command = std::process::Command::new(BIN);
        command.args(["--http-port", "0"]).env("MCP_V8_LOG", "info").env_remove("MCP_V8_STATELESS");
        command.envs(env.iter().copied());
        if !flags.contains(&"--stateless") {
            command.args(["--directory-path", dir.path().join("data").to_str().unwrap()]);
        }
        command.args(flags);
        let process = HttpChild::spawn(command, &dir.path().join("stderr.log"), Duration::from_secs(60)).unwrap();
        Self { base: process.base.clone(), process, dir }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.process.stderr_log).unwrap_or_default()
    }

    /// Heap files in the server's directory.
    pub fn heap_files(&self) -> usize {
        std::fs::read_dir(self.dir.path().join("data/heaps"))
            .map(|d| d.filter(|e| e.as_ref().is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".heap"))).count())
            .unwrap_or(0)
    }

    /// An MCP client over Streamable HTTP.
    pub async fn mcp_client(&self) -> Client {
        self.mcp_client_with(None).await
    }

    /// An MCP client over Streamable HTTP sending `token` as its bearer.
    pub async fn mcp_client_with(&self, token: Option<&str>) -> Client {
        use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
        let _ = http_client();
        let mut config = StreamableHttpClientTransportConfig::with_uri(self.url("/mcp"));
        if let Some(token) = token {
            config = config.auth_header(token.to_owned());
        }
        let transport = rmcp::transport::StreamableHttpClientTransport::from_config(config);
        ().serve(transport).await.expect("initialize over Streamable HTTP")
    }

    /// Sends SIGTERM and returns how long the process took to exit.
    pub fn terminate(&mut self) -> Duration {
        let started = std::time::Instant::now();
        let _ = std::process::Command::new("kill").args(["-TERM", &self.process.pid().to_string()]).status();
        loop {
            if self.process.child.try_wait().unwrap().is_some() {
                return started.elapsed();
            }
            assert!(started.elapsed() < Duration::from_secs(30), "mcp-v8 ignored SIGTERM");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

pub async fn call(client: &Client, tool: &str, args: Value) -> CallToolResult {
    let Value::Object(args) = args else { panic!("arguments must be an object") };
    // A server that died leaves the client waiting: fail instead of hanging.
    let request = CallToolRequestParams::new(tool.to_owned()).with_arguments(args);
    tokio::time::timeout(CALL_TIMEOUT, client.call_tool(request))
        .await
        .unwrap_or_else(|_| panic!("{tool}: no answer within {} s (did the server die?)", CALL_TIMEOUT.as_secs()))
        .unwrap_or_else(|e| panic!("{tool} failed at the protocol level: {e}"))
}

/// The longest any call of the tests may take (the longest run they start
/// has a 120 s timeout).
const CALL_TIMEOUT: Duration = Duration::from_secs(180);

/// Calls a tool on any client and returns its structured answer.
pub async fn call_json(client: &Client, tool: &str, args: Value) -> Value {
    let result = call(client, tool, args).await;
    result.structured_content.clone().unwrap_or_else(|| panic!("{tool} gave no JSON: {result:?}"))
}

/// The text content of a tool result.
pub fn text_of(result: &CallToolResult) -> String {
    result.content.iter().filter_map(|c| c.as_text().map(|t| t.text.clone())).collect::<Vec<_>>().join("\n")
}

/// POSTs `body` as JSON and reads the answer as JSON, whatever its status.
pub async fn post_json(http: &reqwest::Client, url: String, body: Value) -> Value {
    http.post(url).json(&body).send().await.unwrap().json().await.unwrap()
}

/// A plain HTTP client. reqwest is built without a bundled TLS provider
/// (the gateway picks ring), so one is installed first; rmcp's HTTP client
/// needs it too.
pub fn http_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

/// A client of the legacy HTTP+SSE transport (2024-11-05), which rmcp no
/// longer has: an event stream from `GET /sse`, JSON-RPC posted to the
/// endpoint it names.
pub struct LegacyClient {
    pub http: reqwest::Client,
    pub endpoint: String,
    events: mpsc::UnboundedReceiver<Value>,
    next_id: i64,
}

impl LegacyClient {
    pub async fn connect(base: &str) -> Self {
        let http = http_client();
        let response = http.get(format!("{base}/sse")).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "text/event-stream");
        let (endpoint_tx, mut endpoint_rx) = mpsc::unbounded_channel::<String>();
        let (events_tx, events) = mpsc::unbounded_channel::<Value>();
        tokio::spawn(async move {
            let mut body = response.bytes_stream();
            let mut buffer = String::new();
            while let Some(Ok(chunk)) = body.next().await {
                buffer.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(end) = buffer.find("\n\n") {
                    let event: String = buffer.drain(..end + 2).collect();
                    let kind = event.lines().find_map(|l| l.strip_prefix("event: ")).unwrap_or("message");
                    let data = event.lines().filter_map(|l| l.strip_prefix("data: ")).collect::<Vec<_>>().join("\n");
                    match kind {
                        "endpoint" => {
                            let _ = endpoint_tx.send(data);
                        }
                        "message" => {
                            let _ = events_tx.send(serde_json::from_str(&data).unwrap());
                        }
                        _ => {}
                    }
                }
            }
        });
        let path = tokio::time::timeout(Duration::from_secs(10), endpoint_rx.recv()).await.unwrap().unwrap();
        assert!(path.starts_with("/message?sessionId="), "{path}");
        let mut client = Self { http, endpoint: format!("{base}{path}"), events, next_id: 0 };
        let init = client
            .request("initialize", json!({"protocolVersion": "2024-11-05", "capabilities": {}, "clientInfo": {"name": "legacy", "version": "1"}}))
            .await;
        assert_eq!(init["result"]["serverInfo"]["name"], "mcp-v8", "{init}");
        client.notify("notifications/initialized").await;
        client
    }

    pub async fn post(&self, message: Value) -> reqwest::Response {
        self.http.post(&self.endpoint).json(&message).send().await.unwrap()
    }

    pub async fn notify(&self, method: &str) {
        assert_eq!(self.post(json!({"jsonrpc": "2.0", "method": method})).await.status(), 202);
    }

    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let response = self.post(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params})).await;
        assert_eq!(response.status(), 202);
        loop {
            let message = tokio::time::timeout(Duration::from_secs(30), self.events.recv()).await.unwrap().unwrap();
            if message["id"] == id {
                return message;
            }
        }
    }

    /// Calls a tool; returns the whole result (`structuredContent`, `isError`, `content`).
    pub async fn call(&mut self, tool: &str, arguments: Value) -> Value {
        let reply = self.request("tools/call", json!({"name": tool, "arguments": arguments})).await;
        reply["result"].clone()
    }

    pub async fn run(&mut self, code: &str) -> Value {
        self.call("run_js", json!({"code": code})).await["structuredContent"].clone()
    }
}
