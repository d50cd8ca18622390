//! The one typed configuration of `mcp-v8`, resolved once at startup.
//!
//! [`settings`] declares every setting once (flag, `MCP_V8_*` variable and
//! `--config` key share its name and its doc comment). Precedence is written
//! once, here: command-line flag > environment variable > `--config` file
//! (TOML, in sections) > default. The environment comes in as a map, so
//! tests never touch the process's. Defaults live in [`Config::resolve`]
//! and in `EngineConfig::default()` for the engine's own, which this module
//! uses rather than repeats.
//!
//! **Invariant:** a setting that would be ignored is a start-up error (an
//! HTTP setting without `--http-port`, a stateful one with `--stateless`,
//! an idle-policy one without `--snapshot-policy idle`), never silence.

pub mod reference;
pub mod settings;
pub mod wasm;

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use clap::{CommandFactory, Parser};
use mcp_v8_policies::PoliciesConfig;
use mcp_v8_runtime::{EngineConfig, SessionName, SnapshotPolicy};
use serde_json::Value;

use crate::auth::AuthConfig;
use crate::error::GatewayError;
pub use settings::{Cli, LogFormatArg, OtlpProtocolArg, Settings, SnapshotPolicyArg};

pub const DEFAULT_INSTRUCTIONS: &str = include_str!("../mcp/instructions.md");
pub const DEFAULT_RUN_JS_DESCRIPTION: &str = include_str!("../mcp/run_js.md");
pub const DEFAULT_INSTRUCTIONS_STATELESS: &str = include_str!("../mcp/instructions_stateless.md");
pub const DEFAULT_RUN_JS_DESCRIPTION_STATELESS: &str = include_str!("../mcp/run_js_stateless.md");

/// Flags that are actions, not settings: not read from the environment.
const ACTIONS: [&str; 2] = ["print-openapi", "print-config-reference"];

/// Where heaps and metadata live.
#[derive(Debug, Clone)]
pub struct StorageConfig {
    pub directory: PathBuf,
    pub session_db: PathBuf,
    pub redis_url: Option<String>,
}

/// What the service layer applies on every surface.
#[derive(Debug, Clone)]
pub struct ServiceConfig {
    /// `--session-id`: the session of runs that name neither a session nor a heap.
    pub default_session: Option<SessionName>,
    /// How long run_js waits before it returns the execution id to poll.
    pub inline_wait: Duration,
    /// `--allow-run-js-file`: run_js may take its code from any file the
    /// server can read (a run_js_file policy, when there is one, decides each).
    pub allow_run_js_file: bool,
}

/// What MCP clients are told.
#[derive(Debug, Clone)]
pub struct McpConfig {
    pub instructions: String,
    pub run_js_description: String,
    /// Bytes of upstream tool declarations run_js's description may carry.
    pub upstream_declarations_budget: usize,
    /// The prefix of the upstream tools' stubs (`--mcp-stub-prefix`), or
    /// `None` with `--mcp-stubs false`.
    pub upstream_stubs: Option<String>,
    /// `--expose-upstream-tools`: `<server>__<tool>` tools called directly.
    pub expose_upstream_tools: bool,
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
    pub auth: Option<AuthConfig>,
    pub public_url: Option<String>,
    /// An MCP session (Streamable HTTP) without requests for this long ends.
    pub mcp_session_idle: std::time::Duration,
}

/// The checked configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub engine: EngineConfig,
    pub storage: StorageConfig,
    pub service: ServiceConfig,
    pub mcp: McpConfig,
    /// `Some` to serve HTTP instead of stdio.
    pub http: Option<HttpConfig>,
    /// The policies deciding what user code may reach (empty: all denied).
    pub policies: PoliciesConfig,
    /// Headers added to user code's fetch requests (`--fetch-header`).
    pub fetch_headers: Vec<crate::fetch_headers::RuleSpec>,
    /// WebAssembly modules to preload (`--wasm-module`).
    pub wasm: wasm::WasmConfig,
    /// ES module imports (`--allow-external-modules`).
    pub modules: ModulesConfig,
    /// The upstream MCP servers (`--mcp-server`, `--mcp-config`).
    pub upstreams: Vec<mcp_v8_upstreams::UpstreamSpec>,
    /// Logs, traces and metrics.
    pub telemetry: crate::telemetry::TelemetryConfig,
}

/// Where `import` in user code gets modules.
#[derive(Debug, Clone)]
pub struct ModulesConfig {
    pub allow_external: bool,
    /// Ends with `/`.
    pub cdn: url::Url,
    pub cache_dir: PathBuf,
}

/// Parses the command line, with `MCP_V8_*` variables of `env` standing in
/// for flags that are not given.
pub fn parse_cli<I, T>(args: I, env: &HashMap<String, String>) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let mut args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let program = if args.is_empty() { OsString::from("mcp-v8") } else { args.remove(0) };
    let mut from_env = Vec::new();
    for arg in Cli::command().get_arguments() {
        let Some(long) = arg.get_long() else { continue };
        if ACTIONS.contains(&long) {
            continue;
        }
        if let Some(value) = env.get(&env_name(long)) {
            from_env.push(OsString::from(format!("--{long}={value}")));
        }
    }
    // The variables alone first, so a bad one is named as such.
    if !from_env.is_empty()
        && let Err(error) = Cli::try_parse_from(std::iter::once(program.clone()).chain(from_env.iter().cloned()))
    {
        let text = error.to_string();
        let first = text.lines().next().unwrap_or_default().trim_start_matches("error: ");
        return Err(Cli::command().error(error.kind(), format!("in the MCP_V8_* environment: {first}")));
    }
    // Flags come last and override what the environment said.
    Cli::try_parse_from(std::iter::once(program).chain(from_env).chain(args))
}

/// The environment variable of a flag: `--heap-memory-max` → `MCP_V8_HEAP_MEMORY_MAX`.
pub fn env_name(long: &str) -> String {
    format!("MCP_V8_{}", long.to_uppercase().replace('-', "_"))
}

/// Overlays `top` on `base`: a value set in `top` wins.
fn overlay(base: &mut Value, top: Value) {
    match (base, top) {
        (Value::Object(base), Value::Object(top)) => {
            for (key, value) in top {
                match base.get_mut(&key) {
                    Some(slot) => overlay(slot, value),
                    None => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (_, Value::Null) => {}
        (slot, value) => *slot = value,
    }
}

fn error(message: impl Into<String>) -> GatewayError {
    GatewayError::Config(message.into())
}

impl Config {
    /// Resolves the command line (flags and environment, see [`parse_cli`])
    /// and the `--config` file into one checked configuration.
    pub fn resolve(cli: Cli, env: &HashMap<String, String>) -> Result<Self, GatewayError> {
        let mut merged = match &cli.config {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| error(format!("cannot read {}: {e}", path.display())))?;
                let file: Settings = toml::from_str(&text).map_err(|e| error(format!("{}: {e}", path.display())))?;
                serde_json::to_value(file).map_err(|e| error(e.to_string()))?
            }
            None => serde_json::to_value(Settings::default()).map_err(|e| error(e.to_string()))?,
        };
        overlay(&mut merged, serde_json::to_value(&cli.settings).map_err(|e| error(e.to_string()))?);
        let settings: Settings = serde_json::from_value(merged).map_err(|e| error(e.to_string()))?;
        Self::from_settings(settings, env)
    }

    /// Applies defaults and checks what was given.
    pub fn from_settings(settings: Settings, env: &HashMap<String, String>) -> Result<Self, GatewayError> {
        let Settings { runs, storage, sessions, mcp, http, auth, capabilities, wasm, upstreams, telemetry } = settings;
        let defaults = EngineConfig::default();
        let stateful = !runs.stateless.unwrap_or(false);
        let policy = match storage.snapshot_policy.unwrap_or(SnapshotPolicyArg::EveryRun) {
            SnapshotPolicyArg::EveryRun => SnapshotPolicy::EveryRun,
            SnapshotPolicyArg::Idle => SnapshotPolicy::Idle,
        };

        // Settings that would be ignored.
        let given = |name: &str, set: bool| set.then(|| name.to_owned());
        if !stateful {
            let ignored: Vec<String> = [
                given("--session-id", sessions.session_id.is_some()),
                given("--connection-ttl-secs", sessions.connection_ttl_secs.is_some()),
                given("--redis-url", storage.redis_url.is_some()),
                given("--session-db-path", storage.session_db_path.is_some()),
                given("--snapshot-policy", storage.snapshot_policy.is_some()),
                given("--max-snapshot-bytes", storage.max_snapshot_bytes.is_some()),
                given("--heap-retention-secs", storage.heap_retention_secs.is_some()),
                given("--sweep-interval-secs", storage.sweep_interval_secs.is_some()),
            ]
            .into_iter()
            .flatten()
            .collect();
            if !ignored.is_empty() {
                return Err(error(format!("{} {} no effect with --stateless", ignored.join(", "), if ignored.len() == 1 { "has" } else { "have" })));
            }
        }
        if stateful && runs.isolate_reuse_runs.is_some() {
            return Err(error("--isolate-reuse-runs has no effect without --stateless"));
        }
        if runs.isolate_reuse_runs == Some(0) {
            return Err(error("--isolate-reuse-runs must be at least 1 (1: a fresh isolate for every run)"));
        }
        if policy != SnapshotPolicy::Idle {
            let ignored: Vec<String> = [
                given("--snapshot-idle-secs", storage.snapshot_idle_secs.is_some()),
                given("--warm-sessions-max", storage.warm_sessions_max.is_some()),
                given("--warm-memory-max", storage.warm_memory_max.is_some()),
            ]
            .into_iter()
            .flatten()
            .collect();
            if !ignored.is_empty() {
                return Err(error(format!("{} only apply to --snapshot-policy idle", ignored.join(", "))));
            }
        }

        // Runs.
        let heap_mb = runs.heap_memory_max.unwrap_or((defaults.default_heap_bytes >> 20) as u64);
        if !(8..=16384).contains(&heap_mb) {
            return Err(error("--heap-memory-max must be between 8 and 16384 MB"));
        }
        let timeout_secs = runs.execution_timeout.unwrap_or(defaults.default_timeout.as_secs());
        if timeout_secs == 0 {
            return Err(error("--execution-timeout must be at least 1 second"));
        }
        let max_concurrent = runs.max_concurrent_executions.unwrap_or(defaults.max_concurrent);
        if !(1..=256).contains(&max_concurrent) {
            return Err(error("--max-concurrent-executions must be between 1 and 256"));
        }
        // Over stdio there is one caller: sharing threads out has no one to
        // protect, so it gets them all.
        let default_per_principal =
            if http.http_port.is_some() { (max_concurrent - max_concurrent / 4).max(1) } else { max_concurrent };
        let per_principal = runs.max_concurrent_per_principal.unwrap_or(default_per_principal);
        if per_principal == 0 || per_principal > max_concurrent {
            return Err(error("--max-concurrent-per-principal must be between 1 and --max-concurrent-executions"));
        }
        let max_heap_bytes = ((heap_mb.max(1024)) as usize) << 20;
        let memory_max_bytes = match runs.memory_max {
            Some(mb) => (mb as usize) << 20,
            None => defaults.memory_max_bytes,
        };
        let default_heap_bytes = (heap_mb as usize) << 20;
        if memory_max_bytes < default_heap_bytes + (16 << 20) {
            return Err(error(format!(
                "--memory-max ({} MB) must leave room for one run of --heap-memory-max ({heap_mb} MB) plus 16 MB",
                memory_max_bytes >> 20
            )));
        }
        let output_cap = runs.max_output_bytes.unwrap_or(defaults.output_cap);
        if output_cap < 1024 {
            return Err(error("--max-output-bytes must be at least 1024"));
        }
        let max_queued = runs.max_queued_per_principal.unwrap_or(defaults.max_queued_per_principal);
        if max_queued == 0 {
            return Err(error("--max-queued-per-principal must be at least 1"));
        }

        // Storage.
        let directory = storage.directory_path.unwrap_or_else(|| default_directory(env));
        let session_db = storage.session_db_path.unwrap_or_else(|| directory.join("meta.redb"));
        let max_snapshot_bytes = storage.max_snapshot_bytes.unwrap_or(defaults.max_snapshot_bytes);
        if !((1 << 20)..=(2 << 30)).contains(&max_snapshot_bytes) {
            return Err(error("--max-snapshot-bytes must be between 1 MiB and 2 GiB (V8 cannot make larger snapshots)"));
        }
        let warm_max_bytes = storage.warm_memory_max.map_or(defaults.warm_max_bytes, |mb| (mb as usize) << 20);
        if policy == SnapshotPolicy::Idle && warm_max_bytes >= memory_max_bytes {
            return Err(error("--warm-memory-max must be less than --memory-max"));
        }

        let fetch_max_bytes = capabilities.fetch_max_bytes.unwrap_or(defaults.fetch_max_bytes);
        if fetch_max_bytes < 1024 {
            return Err(error("--fetch-max-bytes must be at least 1024"));
        }
        let fetch_headers = fetch_header_rules(capabilities.fetch_header, capabilities.fetch_header_config)?;
        let modules = ModulesConfig {
            allow_external: capabilities.allow_external_modules.unwrap_or(false),
            cdn: match capabilities.module_cdn {
                None => mcp_v8_runtime::modules::default_cdn(),
                Some(text) => {
                    let text = if text.ends_with('/') { text } else { format!("{text}/") };
                    url::Url::parse(&text)
                        .ok()
                        .filter(|url| matches!(url.scheme(), "http" | "https") && url.query().is_none())
                        .ok_or_else(|| error(format!("--module-cdn: '{text}' is not an http(s) URL")))?
                }
            },
            cache_dir: capabilities.module_cache_dir.unwrap_or_else(|| directory.join("modules")),
        };

        let engine = EngineConfig {
            stateful,
            max_concurrent,
            max_concurrent_per_principal: per_principal,
            max_queued_per_principal: max_queued,
            default_heap_bytes,
            max_heap_bytes,
            memory_max_bytes,
            default_timeout: Duration::from_secs(timeout_secs),
            max_timeout: Duration::from_secs(timeout_secs.max(defaults.max_timeout.as_secs())),
            output_cap,
            max_snapshot_bytes,
            fetch_max_bytes,
            snapshot_policy: policy,
            idle_after: storage.snapshot_idle_secs.map_or(defaults.idle_after, Duration::from_secs),
            warm_max_sessions: storage.warm_sessions_max.unwrap_or(defaults.warm_max_sessions),
            warm_max_bytes,
            connection_ttl: sessions.connection_ttl_secs.map_or(defaults.connection_ttl, Duration::from_secs),
            heap_retention: storage.heap_retention_secs.map_or(defaults.heap_retention, Duration::from_secs),
            sweep_interval: match storage.sweep_interval_secs {
                Some(0) => return Err(error("--sweep-interval-secs must be at least 1")),
                Some(secs) => Duration::from_secs(secs),
                None => defaults.sweep_interval,
            },
            trace_policy_input: telemetry.trace_policy_input.unwrap_or(false),
            isolate_reuse_runs: runs.isolate_reuse_runs.unwrap_or(defaults.isolate_reuse_runs),
            ..defaults
        };

        let metrics_port = telemetry.metrics_port;
        let bind_ip = bind_ip(http.bind_host.as_deref())?;
        let default_session = sessions
            .session_id
            .as_deref()
            .map(SessionName::parse)
            .transpose()
            .map_err(|e| error(format!("--session-id: {e}")))?;

        Ok(Config {
            engine,
            storage: StorageConfig { directory, session_db, redis_url: storage.redis_url },
            service: ServiceConfig {
                default_session,
                inline_wait: Duration::from_millis(mcp.inline_wait_ms.unwrap_or(DEFAULT_INLINE_WAIT_MS)),
                allow_run_js_file: capabilities.allow_run_js_file.unwrap_or(false),
            },
            mcp: McpConfig {
                instructions: read_at_file(
                    mcp.instructions,
                    if stateful { DEFAULT_INSTRUCTIONS } else { DEFAULT_INSTRUCTIONS_STATELESS },
                )?,
                run_js_description: read_at_file(
                    mcp.run_js_description,
                    if stateful { DEFAULT_RUN_JS_DESCRIPTION } else { DEFAULT_RUN_JS_DESCRIPTION_STATELESS },
                )?,
                upstream_declarations_budget: upstreams.upstream_declarations_budget.unwrap_or(8192),
                upstream_stubs: upstreams
                    .mcp_stubs
                    .unwrap_or(true)
                    .then(|| upstreams.mcp_stub_prefix.clone().unwrap_or_else(|| "runjs__".to_owned())),
                expose_upstream_tools: upstreams.expose_upstream_tools.unwrap_or(false),
            },
            http: http_config(http, auth, metrics_port)?,
            policies: policies_config(capabilities.policies_json)?,
            fetch_headers,
            wasm: wasm::resolve(wasm, stateful)?,
            modules,
            upstreams: {
                let file = upstreams.mcp_config.map(|value| json_setting("--mcp-config", value, true)).transpose()?;
                mcp_v8_upstreams::config::collect(&upstreams.mcp_server.unwrap_or_default(), file.as_ref())
                    .map_err(|e| error(e.to_string()))?
            },
            telemetry: telemetry_config(telemetry, bind_ip, env)?,
        })
    }
}

/// Traces are exported when an endpoint is given, by flag or the standard
/// variables, unless the variables turn the SDK or its trace exporter off.
fn telemetry_config(
    telemetry: settings::TelemetrySettings,
    bind_ip: std::net::IpAddr,
    env: &HashMap<String, String>,
) -> Result<crate::telemetry::TelemetryConfig, GatewayError> {
    let var = |name: &str| env.get(name).map(|v| v.trim().to_ascii_lowercase()).filter(|v| !v.is_empty());
    let disabled = var("OTEL_SDK_DISABLED").as_deref() == Some("true") || var("OTEL_TRACES_EXPORTER").as_deref() == Some("none");
    let endpoint_in_env = var("OTEL_EXPORTER_OTLP_ENDPOINT").is_some() || var("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT").is_some();
    if telemetry.otlp_protocol.is_some() && telemetry.otlp_endpoint.is_none() && !endpoint_in_env {
        return Err(error("--otlp-protocol has no effect without --otlp-endpoint (or OTEL_EXPORTER_OTLP_ENDPOINT)"));
    }
    if telemetry.trace_policy_input == Some(true) && (disabled || (telemetry.otlp_endpoint.is_none() && !endpoint_in_env)) {
        return Err(error("--trace-policy-input has no effect without trace export (--otlp-endpoint or OTEL_EXPORTER_OTLP_ENDPOINT)"));
    }
    let otlp_metrics = (!disabled && var("OTEL_METRICS_EXPORTER").as_deref() != Some("none"))
        .then(|| otlp_metrics_config(&telemetry, env))
        .flatten();
    let otlp = (!disabled && (telemetry.otlp_endpoint.is_some() || endpoint_in_env)).then(|| crate::telemetry::OtlpConfig {
        endpoint: telemetry.otlp_endpoint,
        protocol: telemetry.otlp_protocol,
    });
    Ok(crate::telemetry::TelemetryConfig {
        json_logs: telemetry.log_format == Some(LogFormatArg::Json),
        otlp,
        metrics_bind: telemetry.metrics_port.map(|port| std::net::SocketAddr::new(bind_ip, port)),
        otlp_metrics,
    })
}

/// Metrics are pushed over OTLP when a collector is configured for them:
/// `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT` (the full URL), or the endpoint
/// traces use (`--otlp-endpoint`, `OTEL_EXPORTER_OTLP_ENDPOINT`), to which
/// HTTP adds `/v1/metrics`. The standard variables set the rest.
fn otlp_metrics_config(
    telemetry: &settings::TelemetrySettings,
    env: &HashMap<String, String>,
) -> Option<crate::telemetry::otlp_metrics::MetricsExport> {
    let raw = |name: &str| env.get(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let grpc = match telemetry.otlp_protocol {
        Some(protocol) => protocol == OtlpProtocolArg::Grpc,
        None => raw("OTEL_EXPORTER_OTLP_METRICS_PROTOCOL").or_else(|| raw("OTEL_EXPORTER_OTLP_PROTOCOL")).as_deref() == Some("grpc"),
    };
    let endpoint = match raw("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT") {
        Some(endpoint) => endpoint,
        None => {
            let base = telemetry.otlp_endpoint.clone().or_else(|| raw("OTEL_EXPORTER_OTLP_ENDPOINT"))?;
            if grpc { base } else { format!("{}/v1/metrics", base.trim_end_matches('/')) }
        }
    };
    let millis = |name: &str, default: u64| {
        raw(name).and_then(|v| v.parse::<u64>().ok()).filter(|ms| *ms > 0).map_or(Duration::from_millis(default), Duration::from_millis)
    };
    let headers = ["OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_METRICS_HEADERS"]
        .iter()
        .filter_map(|name| raw(name))
        .flat_map(|list| {
            list.split(',')
                .filter_map(|pair| pair.split_once('='))
                .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                .collect::<Vec<_>>()
        })
        .collect();
    Some(crate::telemetry::otlp_metrics::MetricsExport {
        endpoint,
        grpc,
        interval: millis("OTEL_METRIC_EXPORT_INTERVAL", 60_000),
        timeout: millis("OTEL_METRIC_EXPORT_TIMEOUT", 30_000),
        headers,
    })
}

/// `--bind-host`, 127.0.0.1 by default: where the HTTP listeners (and the
/// metrics listener) bind.
fn bind_ip(host: Option<&str>) -> Result<std::net::IpAddr, GatewayError> {
    let host = host.unwrap_or("127.0.0.1");
    host.parse().map_err(|_| error(format!("--bind-host: '{host}' is not an IP address")))
}

const DEFAULT_INLINE_WAIT_MS: u64 = 5000;
const DEFAULT_MAX_BODY_BYTES: usize = 4 << 20;
const DEFAULT_ALLOWED_HOSTS: [&str; 3] = ["localhost", "127.0.0.1", "::1"];
const DEFAULT_ALLOWED_ORIGINS: [&str; 6] =
    ["http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*", "https://localhost:*", "https://127.0.0.1:*", "https://[::1]:*"];

fn http_config(
    http: settings::HttpSettings,
    auth: settings::AuthSettings,
    metrics_port: Option<u16>,
) -> Result<Option<HttpConfig>, GatewayError> {
    let Some(port) = http.http_port else {
        let given = |name: &str, set: bool| set.then(|| name.to_owned());
        let ignored: Vec<String> = [
            given("--sse-port", http.sse_port.is_some()),
            // The metrics listener binds there too.
            given("--bind-host", http.bind_host.is_some() && metrics_port.is_none()),
            given("--tls-cert", http.tls_cert.is_some()),
            given("--tls-key", http.tls_key.is_some()),
            given("--allowed-hosts", http.allowed_hosts.is_some()),
            given("--allowed-origins", http.allowed_origins.is_some()),
            given("--max-body-bytes", http.max_body_bytes.is_some()),
            given("--public-url", http.public_url.is_some()),
            given("--mcp-session-idle-secs", http.mcp_session_idle_secs.is_some()),
            given("--jwks-url", auth.jwks_url.is_some()),
            given("--jwt-issuer", auth.jwt_issuer.is_some()),
            given("--jwt-audience", auth.jwt_audience.is_some()),
            given("--principal-claim", auth.principal_claim.is_some()),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !ignored.is_empty() {
            return Err(error(format!(
                "{} {} --http-port: {} only to the HTTP front door (stdio has no auth, TLS or hosts)",
                ignored.join(", "),
                if ignored.len() == 1 { "needs" } else { "need" },
                if ignored.len() == 1 { "it applies" } else { "they apply" }
            )));
        }
        return Ok(None);
    };
    let ip = bind_ip(http.bind_host.as_deref())?;
    let tls = match (http.tls_cert, http.tls_key) {
        (Some(cert), Some(key)) => {
            for file in [&cert, &key] {
                if !file.is_file() {
                    return Err(error(format!("{} is not a readable file", file.display())));
                }
            }
            Some((cert, key))
        }
        (None, None) => None,
        _ => return Err(error("--tls-cert and --tls-key go together")),
    };
    let auth = match (auth.jwks_url, auth.jwt_issuer, auth.jwt_audience) {
        (Some(jwks_url), Some(issuer), Some(audience)) => Some(AuthConfig {
            jwks_url,
            issuer,
            audience,
            principal_claim: auth.principal_claim.unwrap_or_else(|| "sub".to_owned()),
        }),
        (Some(_), _, _) => return Err(error("--jwks-url needs --jwt-issuer and --jwt-audience: tokens are checked for both")),
        (None, issuer, audience) => {
            if issuer.is_some() || audience.is_some() || auth.principal_claim.is_some() {
                return Err(error("--jwt-issuer, --jwt-audience and --principal-claim need --jwks-url"));
            }
            None
        }
    };
    let max_body_bytes = http.max_body_bytes.unwrap_or(DEFAULT_MAX_BODY_BYTES);
    if max_body_bytes < 1024 {
        return Err(error("--max-body-bytes must be at least 1024"));
    }
    let mcp_session_idle = match http.mcp_session_idle_secs {
        None => std::time::Duration::from_secs(300),
        Some(0) => return Err(error("--mcp-session-idle-secs must be at least 1")),
        Some(secs) => std::time::Duration::from_secs(secs),
    };
    let clean = |list: Vec<String>| list.into_iter().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect();
    Ok(Some(HttpConfig {
        bind: std::net::SocketAddr::new(ip, port),
        sse_bind: http.sse_port.map(|p| std::net::SocketAddr::new(ip, p)),
        tls,
        allowed_hosts: http.allowed_hosts.map_or_else(|| DEFAULT_ALLOWED_HOSTS.map(String::from).to_vec(), clean),
        allowed_origins: http.allowed_origins.map_or_else(|| DEFAULT_ALLOWED_ORIGINS.map(String::from).to_vec(), clean),
        max_body_bytes,
        auth,
        public_url: http.public_url.map(|u| u.trim_end_matches('/').to_owned()),
        mcp_session_idle,
    }))
}

/// Reads `--policies-json`: JSON text, `@file` holding it, or (from the
/// config file) the table itself.
fn policies_config(value: Option<serde_json::Value>) -> Result<PoliciesConfig, GatewayError> {
    let Some(value) = value else { return Ok(PoliciesConfig::default()) };
    let value = json_setting("--policies-json", value, false)?;
    PoliciesConfig::from_json(&value).map_err(|e| error(format!("--policies-json: {e}")))
}

/// A setting holding JSON: from a flag or variable, text that is the JSON
/// itself or `@file` (or, with `bare_path`, a file path when it is neither
/// an object nor an array); from the config file, the value itself.
pub(crate) fn json_setting(flag: &str, value: Value, bare_path: bool) -> Result<Value, GatewayError> {
    let Value::String(text) = value else { return Ok(value) };
    let inline = text.trim_start().starts_with(['{', '[']);
    let path = match text.strip_prefix('@') {
        Some(path) => Some(path),
        None if bare_path && !inline => Some(text.as_str()),
        None => None,
    };
    let text = match path {
        Some(path) => std::fs::read_to_string(path).map_err(|e| error(format!("{flag}: cannot read {path}: {e}")))?,
        None => text,
    };
    serde_json::from_str(&text).map_err(|e| error(format!("{flag} is not JSON: {e}")))
}

/// The rules of `--fetch-header` (each a `key=value,...` string) and of
/// `--fetch-header-config` (JSON text, `@file`, a file path, or from the
/// config file the array itself).
fn fetch_header_rules(flags: Option<Vec<String>>, file: Option<Value>) -> Result<Vec<crate::fetch_headers::RuleSpec>, GatewayError> {
    use crate::fetch_headers::RuleSpec;
    let mut rules = Vec::new();
    for flag in flags.unwrap_or_default() {
        // Not the flag's text in the error: it may hold a secret.
        let host = flag.split(',').find_map(|p| p.trim().strip_prefix("host=")).unwrap_or("?").to_owned();
        rules.push(RuleSpec::parse_flag(&flag).map_err(|e| error(format!("--fetch-header (host {host}): {e}")))?);
    }
    let value = file.map(|value| json_setting("--fetch-header-config", value, true)).transpose()?;
    if let Some(value) = value {
        rules.extend(RuleSpec::parse_json(value).map_err(|e| error(format!("--fetch-header-config: {e}")))?);
    }
    Ok(rules)
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
                .map_err(|e| error(format!("cannot read {path}: {e}"))),
            None => Ok(text),
        },
    }
}

#[cfg(test)]
mod tests;
