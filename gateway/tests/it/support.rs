//! Fixtures: the real `mcp-v8` binary driven by a real MCP client over stdio,
//! and a real `redis-server`.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use rmcp::model::{CallToolRequestParams, CallToolResult};
use rmcp::service::RunningService;
use rmcp::transport::TokioChildProcess;
use rmcp::{RoleClient, ServiceExt};
use serde_json::Value;
use tokio::process::Command;

pub const BIN: &str = env!("CARGO_BIN_EXE_mcp-v8");

/// A running `mcp-v8` with a connected client. Its stderr goes to a file.
pub struct Server {
    pub client: RunningService<RoleClient, ()>,
    pub stderr_path: PathBuf,
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

    /// Spawns the binary with `args`; stderr is written to `log_dir/stderr.log`.
    pub async fn spawn(args: &[String], log_dir: &Path) -> Self {
        let stderr_path = log_dir.join(format!("stderr-{}.log", uuid_like()));
        let stderr = std::fs::File::create(&stderr_path).unwrap();
        let mut command = Command::new(BIN);
        command.args(args).env("MCP_V8_LOG", "info").env_remove("MCP_V8_STATELESS");
        let (transport, _) = TokioChildProcess::builder(command).stderr(Stdio::from(stderr)).spawn().unwrap();
        let client = ().serve(transport).await.expect("initialize");
        Self { client, stderr_path, _dir: None }
    }

    pub async fn call(&self, tool: &str, args: Value) -> CallToolResult {
        let Value::Object(args) = args else { panic!("arguments must be an object") };
        self.client
            .call_tool(CallToolRequestParams::new(tool.to_owned()).with_arguments(args))
            .await
            .unwrap_or_else(|e| panic!("{tool} failed at the protocol level: {e}"))
    }

    /// Calls a tool and returns its structured JSON answer.
    pub async fn json(&self, tool: &str, args: Value) -> Value {
        let result = self.call(tool, args).await;
        result.structured_content.clone().unwrap_or_else(|| panic!("{tool} gave no JSON: {result:?}"))
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
}

fn uuid_like() -> String {
    format!("{:x}", std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos())
}

/// A `redis-server` on a free loopback port, killed on drop.
pub struct Redis {
    pub port: u16,
    child: Option<std::process::Child>,
}

impl Redis {
    pub fn start() -> Self {
        let port = free_port();
        let child = std::process::Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .spawn()
            .expect("redis-server must be installed (.ci/run installs it)");
        let redis = Self { port, child: Some(child) };
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return redis;
            }
            std::thread::sleep(Duration::from_millis(50));
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

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// `mcp-v8 --http-port` on a free loopback port, killed on drop.
pub struct HttpServer {
    pub base: String,
    pub child: std::process::Child,
    pub stderr_path: PathBuf,
    _dir: tempfile::TempDir,
}

impl HttpServer {
    pub async fn start(flags: &[&str]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let stderr_path = dir.path().join("stderr.log");
        let child = std::process::Command::new(BIN)
            .args(["--http-port", &port.to_string(), "--directory-path", dir.path().join("data").to_str().unwrap()])
            .args(flags)
            .env("MCP_V8_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&stderr_path).unwrap())
            .spawn()
            .unwrap();
        let server = Self { base: format!("http://127.0.0.1:{port}"), child, stderr_path, _dir: dir };
        let http = http_client();
        for _ in 0..200 {
            if http.get(server.url("/healthz")).send().await.is_ok_and(|r| r.status() == 200) {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("mcp-v8 did not serve /healthz:\n{}", server.stderr());
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr_path).unwrap_or_default()
    }

    /// An MCP client over Streamable HTTP.
    pub async fn mcp_client(&self) -> RunningService<RoleClient, ()> {
        let transport = rmcp::transport::StreamableHttpClientTransport::from_uri(self.url("/mcp"));
        ().serve(transport).await.expect("initialize over Streamable HTTP")
    }

    /// Sends SIGTERM and returns how long the process took to exit.
    pub fn terminate(&mut self) -> Duration {
        let started = std::time::Instant::now();
        let _ = std::process::Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        loop {
            if self.child.try_wait().unwrap().is_some() {
                return started.elapsed();
            }
            assert!(started.elapsed() < Duration::from_secs(30), "mcp-v8 ignored SIGTERM");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Calls a tool on any client and returns its structured answer.
pub async fn call_json(client: &RunningService<RoleClient, ()>, tool: &str, args: Value) -> Value {
    let Value::Object(args) = args else { panic!("arguments must be an object") };
    let result = client
        .call_tool(CallToolRequestParams::new(tool.to_owned()).with_arguments(args))
        .await
        .unwrap_or_else(|e| panic!("{tool} failed at the protocol level: {e}"));
    result.structured_content.unwrap_or_else(|| panic!("{tool} gave no JSON"))
}

/// A plain HTTP client. reqwest is built without a bundled TLS provider
/// (the gateway picks ring), so one is installed first; rmcp's HTTP client
/// needs it too.
pub fn http_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}
