//! The one typed configuration of `mcp-v8`, resolved once at startup.
//!
//! Precedence is written once, in [`Config::resolve`]: command-line flag >
//! environment variable `MCP_V8_<FLAG>` > `--config` file (TOML) > default.
//! The environment comes in as a map, so tests never touch the process's.
//! `--instructions` and `--run-js-description` accept `@path` to read a file.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use mcp_v8_runtime::{EngineConfig, SnapshotPolicy};
use serde::Deserialize;

use crate::error::GatewayError;

/// Command-line flags. None has a default here: defaults are applied after
/// the environment and the config file had their say.
#[derive(Debug, Default, Parser)]
#[command(name = "mcp-v8", version, about = "An MCP server whose run_js tool runs JavaScript and TypeScript in V8.")]
pub struct Cli {
    /// Run without snapshots: every run starts from a clean heap.
    #[arg(long, num_args = 0..=1, default_missing_value = "true")]
    pub stateless: Option<bool>,
    /// Directory of the durable heap store and session metadata.
    #[arg(long, alias = "heap-dir", value_name = "DIR")]
    pub directory_path: Option<PathBuf>,
    /// Redis URL of a write-through cache in front of the heap directory.
    #[arg(long, value_name = "URL")]
    pub redis_url: Option<String>,
    /// Default V8 heap limit of a run, in MB (a run may ask for up to 1024).
    #[arg(long, value_name = "MB")]
    pub heap_memory_max: Option<u64>,
    /// Default wall-clock limit of a run, in seconds (a run may ask for up to 600).
    #[arg(long, value_name = "SECS")]
    pub execution_timeout: Option<u64>,
    /// Runs executing at once, each on its own V8 thread; more queue.
    #[arg(long, value_name = "N")]
    pub max_concurrent_executions: Option<usize>,
    /// Session used by run_js calls that name neither a session nor a heap.
    #[arg(long, value_name = "NAME")]
    pub session_id: Option<String>,
    /// Server instructions sent at initialize (text, or @file).
    #[arg(long, value_name = "TEXT|@FILE")]
    pub instructions: Option<String>,
    /// Description of the run_js tool (text, or @file).
    #[arg(long, value_name = "TEXT|@FILE")]
    pub run_js_description: Option<String>,
    /// When a session's heap is persisted: every-run (before the reply) or idle.
    #[arg(long, value_name = "POLICY")]
    pub snapshot_policy: Option<String>,
    /// Under --snapshot-policy idle: persist a session untouched this long.
    #[arg(long, value_name = "SECS")]
    pub snapshot_idle_secs: Option<u64>,
    /// Under --snapshot-policy idle: warm sessions kept in memory at most.
    #[arg(long, value_name = "N")]
    pub warm_sessions_max: Option<usize>,
    /// Under --snapshot-policy idle: V8 heap MB the warm sessions may use together.
    #[arg(long, value_name = "MB")]
    pub warm_memory_max: Option<u64>,
    /// How long run_js waits for a run before it returns the execution id to poll.
    #[arg(long, value_name = "MS")]
    pub inline_wait_ms: Option<u64>,
    /// Cap on a run's captured console output and on its result, in bytes.
    #[arg(long, value_name = "BYTES")]
    pub max_output_bytes: Option<usize>,
    /// Serve MCP (Streamable HTTP at /mcp), the REST API (/api) and health
    /// checks (/healthz, /readyz) on this TCP port instead of stdio.
    #[arg(long, value_name = "PORT")]
    pub http_port: Option<u16>,
    /// Also serve the legacy HTTP+SSE transport (/sse, /message) on this
    /// port, as the reference does (the main port serves it too).
    #[arg(long, value_name = "PORT")]
    pub sse_port: Option<u16>,
    /// Serve HTTPS: the certificate chain (PEM). Needs --tls-key.
    #[arg(long, value_name = "FILE")]
    pub tls_cert: Option<PathBuf>,
    /// Serve HTTPS: the private key (PEM). Needs --tls-cert.
    #[arg(long, value_name = "FILE")]
    pub tls_key: Option<PathBuf>,
    /// Address the HTTP listener binds to.
    #[arg(long, value_name = "ADDR")]
    pub bind_host: Option<String>,
    /// Host header values accepted on /mcp (DNS-rebinding protection),
    /// comma-separated. Default: loopback names only.
    #[arg(long, value_name = "HOSTS", value_delimiter = ',')]
    pub allowed_hosts: Option<Vec<String>>,
    /// Browser origins accepted, comma-separated (e.g. https://app.example.com:443,
    /// http://localhost:*). Default: loopback origins on any port.
    #[arg(long, value_name = "ORIGINS", value_delimiter = ',')]
    pub allowed_origins: Option<Vec<String>>,
    /// Largest HTTP request body accepted, in bytes.
    #[arg(long, value_name = "BYTES")]
    pub max_body_bytes: Option<usize>,
    /// Require a bearer JWT on /mcp, /sse, /message and /api, verified with
    /// this JWKS (needs --jwt-issuer and --jwt-audience).
    #[arg(long, value_name = "URL")]
    pub jwks_url: Option<String>,
    /// The `iss` a token must carry.
    #[arg(long, value_name = "ISSUER")]
    pub jwt_issuer: Option<String>,
    /// The `aud` a token must carry (this server's resource identifier).
    #[arg(long, value_name = "AUDIENCE")]
    pub jwt_audience: Option<String>,
    /// The URL clients reach this server at (for the OAuth resource metadata);
    /// default: http://<Host header>.
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,
    /// A TOML file with any of the settings above (snake_case keys).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Print the REST API's OpenAPI 3.1 document and exit.
    #[arg(long)]
    pub print_openapi: bool,
}

/// The `--config` file. Every key is optional and means what the flag of the
/// same name (with `-` for `_`) means.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub stateless: Option<bool>,
    #[serde(alias = "heap_dir")]
    pub directory_path: Option<PathBuf>,
    pub redis_url: Option<String>,
    pub heap_memory_max: Option<u64>,
    pub execution_timeout: Option<u64>,
    pub max_concurrent_executions: Option<usize>,
    pub session_id: Option<String>,
    pub instructions: Option<String>,
    pub run_js_description: Option<String>,
    pub snapshot_policy: Option<String>,
    pub snapshot_idle_secs: Option<u64>,
    pub warm_sessions_max: Option<usize>,
    pub warm_memory_max: Option<u64>,
    pub inline_wait_ms: Option<u64>,
    pub max_output_bytes: Option<usize>,
    pub http_port: Option<u16>,
    pub sse_port: Option<u16>,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    pub bind_host: Option<String>,
    pub allowed_hosts: Option<Vec<String>>,
    pub allowed_origins: Option<Vec<String>>,
    pub max_body_bytes: Option<usize>,
    pub jwks_url: Option<String>,
    pub jwt_issuer: Option<String>,
    pub jwt_audience: Option<String>,
    pub public_url: Option<String>,
}

/// How the HTTP front door listens (`--http-port`).
#[derive(Debug, Clone)]
pub struct HttpConfig {
    pub bind: std::net::SocketAddr,
    /// The legacy SSE transport's own listener (`--sse-port`).
    pub sse_bind: Option<std::net::SocketAddr>,
    /// Certificate chain and key files: every listener speaks TLS.
    pub tls: Option<(PathBuf, PathBuf)>,
    pub allowed_hosts: Vec<String>,
    pub allowed_origins: Vec<String>,
    pub max_body_bytes: usize,
    /// `Some` when bearer auth is on.
    pub auth: Option<crate::http::AuthConfig>,
    pub public_url: Option<String>,
}

/// The checked configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub engine: EngineConfig,
    pub directory: PathBuf,
    pub redis_url: Option<String>,
    pub default_session: Option<String>,
    pub instructions: String,
    pub run_js_description: String,
    pub inline_wait: Duration,
    /// `Some` to serve HTTP instead of stdio.
    pub http: Option<HttpConfig>,
}

pub const DEFAULT_INSTRUCTIONS: &str = include_str!("mcp/instructions.md");
pub const DEFAULT_RUN_JS_DESCRIPTION: &str = include_str!("mcp/run_js.md");

impl Config {
    /// Resolves flags, environment (`MCP_V8_*` keys of `env`) and the config
    /// file into one checked configuration.
    pub fn resolve(cli: Cli, env: &HashMap<String, String>) -> Result<Self, GatewayError> {
        let file = match &cli.config {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| GatewayError::Config(format!("cannot read {}: {e}", path.display())))?;
                toml::from_str::<RawConfig>(&text)
                    .map_err(|e| GatewayError::Config(format!("{}: {e}", path.display())))?
            }
            None => RawConfig::default(),
        };
        let env_value = |flag: &str| env.get(&format!("MCP_V8_{}", flag.to_uppercase())).cloned();

        macro_rules! pick {
            ($field:ident) => {{
                let from_env = match env_value(stringify!($field)) {
                    Some(text) => Some(text.parse().map_err(|_| {
                        GatewayError::Config(format!(
                            "MCP_V8_{}: cannot parse '{text}'",
                            stringify!($field).to_uppercase()
                        ))
                    })?),
                    None => None,
                };
                cli.$field.clone().or(from_env).or(file.$field.clone())
            }};
        }

        let stateless: bool = pick!(stateless).unwrap_or(false);
        let policy = match pick!(snapshot_policy).as_deref().unwrap_or("every-run") {
            "every-run" | "every_run" => SnapshotPolicy::EveryRun,
            "idle" => SnapshotPolicy::Idle,
            other => return Err(GatewayError::Config(format!("--snapshot-policy: expected every-run or idle, got '{other}'"))),
        };
        let heap_mb: u64 = pick!(heap_memory_max).unwrap_or(64);
        let timeout_secs: u64 = pick!(execution_timeout).unwrap_or(30);
        if !(8..=16384).contains(&heap_mb) {
            return Err(GatewayError::Config("--heap-memory-max must be between 8 and 16384 MB".into()));
        }
        if timeout_secs == 0 {
            return Err(GatewayError::Config("--execution-timeout must be at least 1 second".into()));
        }
        let max_concurrent: usize = pick!(max_concurrent_executions).unwrap_or(8);
        if !(1..=256).contains(&max_concurrent) {
            return Err(GatewayError::Config("--max-concurrent-executions must be between 1 and 256".into()));
        }
        let defaults = EngineConfig::default();
        let engine = EngineConfig {
            stateful: !stateless,
            max_concurrent,
            default_heap_bytes: (heap_mb as usize) << 20,
            max_heap_bytes: (heap_mb.max(1024) as usize) << 20,
            default_timeout: Duration::from_secs(timeout_secs),
            max_timeout: Duration::from_secs(timeout_secs.max(600)),
            output_cap: pick!(max_output_bytes).unwrap_or(defaults.output_cap),
            snapshot_policy: policy,
            idle_after: Duration::from_secs(pick!(snapshot_idle_secs).unwrap_or(5)),
            warm_max_sessions: pick!(warm_sessions_max).unwrap_or(defaults.warm_max_sessions),
            warm_max_bytes: pick!(warm_memory_max).map_or(defaults.warm_max_bytes, |mb: u64| (mb as usize) << 20),
            ..defaults
        };
        let directory = pick!(directory_path).unwrap_or_else(|| default_directory(env));
        let sse_port: Option<u16> = pick!(sse_port);
        let http = match pick!(http_port) {
            Some(port) => {
                let host = pick!(bind_host).unwrap_or_else(|| "127.0.0.1".to_owned());
                let ip: std::net::IpAddr = host
                    .parse()
                    .map_err(|_| GatewayError::Config(format!("--bind-host: '{host}' is not an IP address")))?;
                Some(HttpConfig {
                    bind: std::net::SocketAddr::new(ip, port),
                    sse_bind: sse_port.map(|p| std::net::SocketAddr::new(ip, p)),
                    tls: match (pick!(tls_cert), pick!(tls_key)) {
                        (Some(cert), Some(key)) => {
                            for file in [&cert, &key] {
                                if !file.is_file() {
                                    return Err(GatewayError::Config(format!("{} is not a readable file", file.display())));
                                }
                            }
                            Some((cert, key))
                        }
                        (None, None) => None,
                        _ => return Err(GatewayError::Config("--tls-cert and --tls-key go together".into())),
                    },
                    allowed_hosts: pick_list(cli.allowed_hosts.clone(), env_value("allowed_hosts"), file.allowed_hosts.clone())
                        .unwrap_or_else(|| ["localhost", "127.0.0.1", "::1"].map(String::from).to_vec()),
                    allowed_origins: pick_list(cli.allowed_origins.clone(), env_value("allowed_origins"), file.allowed_origins.clone())
                        .unwrap_or_else(|| {
                            ["http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*", "https://localhost:*", "https://127.0.0.1:*", "https://[::1]:*"]
                                .map(String::from)
                                .to_vec()
                        }),
                    max_body_bytes: pick!(max_body_bytes).unwrap_or(4 << 20),
                    auth: match (pick!(jwks_url), pick!(jwt_issuer), pick!(jwt_audience)) {
                        (Some(jwks_url), Some(issuer), Some(audience)) => {
                            Some(crate::http::AuthConfig { jwks_url, issuer, audience })
                        }
                        (Some(_), _, _) => {
                            return Err(GatewayError::Config(
                                "--jwks-url needs --jwt-issuer and --jwt-audience: tokens are checked for both".into(),
                            ));
                        }
                        _ => None,
                    },
                    public_url: pick!(public_url).map(|u: String| u.trim_end_matches('/').to_owned()),
                })
            }
            None if sse_port.is_some() => {
                return Err(GatewayError::Config("--sse-port needs --http-port (the HTTP front door)".into()));
            }
            None => None,
        };
        Ok(Config {
            engine,
            directory,
            redis_url: pick!(redis_url),
            default_session: pick!(session_id),
            instructions: read_at_file(pick!(instructions), DEFAULT_INSTRUCTIONS)?,
            run_js_description: read_at_file(pick!(run_js_description), DEFAULT_RUN_JS_DESCRIPTION)?,
            inline_wait: Duration::from_millis(pick!(inline_wait_ms).unwrap_or(5000)),
            http,
        })
    }
}

/// A comma-separated list: flag > env > file.
fn pick_list(flag: Option<Vec<String>>, env: Option<String>, file: Option<Vec<String>>) -> Option<Vec<String>> {
    let from_env = env.map(|text| text.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect());
    flag.or(from_env).or(file)
}

/// `$XDG_DATA_HOME/mcp-v8`, else `$HOME/.local/share/mcp-v8`, else `./mcp-v8-data`.
fn default_directory(env: &HashMap<String, String>) -> PathBuf {
    if let Some(dir) = env.get("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir).join("mcp-v8");
    }
    match env.get("HOME").filter(|d| !d.is_empty()) {
        Some(home) => PathBuf::from(home).join(".local/share/mcp-v8"),
        None => PathBuf::from("mcp-v8-data"),
    }
}

fn read_at_file(value: Option<String>, default: &str) -> Result<String, GatewayError> {
    match value {
        None => Ok(default.trim().to_owned()),
        Some(text) => match text.strip_prefix('@') {
            Some(path) => std::fs::read_to_string(path)
                .map(|t| t.trim().to_owned())
                .map_err(|e| GatewayError::Config(format!("cannot read {path}: {e}"))),
            None => Ok(text),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn flag_beats_env_beats_file_beats_default() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.toml");
        std::fs::write(&file, "execution_timeout = 7\nheap_memory_max = 99\nmax_concurrent_executions = 3\n").unwrap();
        let cli = Cli::try_parse_from(["mcp-v8", "--config", file.to_str().unwrap(), "--execution-timeout", "9"]).unwrap();
        let config = Config::resolve(cli, &env(&[("MCP_V8_HEAP_MEMORY_MAX", "77"), ("HOME", "/h")])).unwrap();
        assert_eq!(config.engine.default_timeout, Duration::from_secs(9)); // flag
        assert_eq!(config.engine.default_heap_bytes, 77 << 20); // env
        assert_eq!(config.engine.max_concurrent, 3); // file
        assert_eq!(config.inline_wait, Duration::from_millis(5000)); // default
        assert_eq!(config.directory, PathBuf::from("/h/.local/share/mcp-v8"));
    }

    #[test]
    fn unknown_file_keys_and_bad_values_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.toml");
        std::fs::write(&file, "no_such_key = 1\n").unwrap();
        let cli = Cli::try_parse_from(["mcp-v8", "--config", file.to_str().unwrap()]).unwrap();
        assert!(Config::resolve(cli, &HashMap::new()).unwrap_err().to_string().contains("no_such_key"));
        let cli = Cli::try_parse_from(["mcp-v8", "--snapshot-policy", "sometimes"]).unwrap();
        assert!(Config::resolve(cli, &HashMap::new()).is_err());
        let cli = Cli::try_parse_from(["mcp-v8"]).unwrap();
        assert!(Config::resolve(cli, &env(&[("MCP_V8_STATELESS", "maybe")])).is_err());
    }

    #[test]
    fn example_configs_in_docs_load() {
        let docs = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs");
        for entry in std::fs::read_dir(docs).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                let cli = Cli::try_parse_from(["mcp-v8", "--config", path.to_str().unwrap()]).unwrap();
                Config::resolve(cli, &HashMap::new()).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            }
        }
    }
}
