//! Every setting of `mcp-v8`, as flags, `MCP_V8_*` variables and keys of
//! the `--config` file: one struct per section, each field once. Its doc
//! comment is the user documentation: `--help` shows it, and
//! `docs/configuration.md` is generated from it (`--print-config-reference`,
//! checked by a test).
//!
//! **Invariant:** no field has a default here: defaults are applied in
//! [`super::Config::resolve`] after the flag, the environment and the file
//! had their say, so "not given" is told apart from "given the default".

use std::path::PathBuf;

use clap::{Args, Parser, ValueEnum};
use serde::{Deserialize, Serialize};

/// When a session's heap is written to the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SnapshotPolicyArg {
    /// Before the run's reply: every reported heap is durable at once.
    EveryRun,
    /// When the session goes idle, is evicted or the server stops; runs in
    /// between reuse the session's warm isolate.
    Idle,
}

/// The command line. The settings' sections are flattened into flat flags.
#[derive(Debug, Default, Parser)]
#[command(
    name = "mcp-v8",
    version,
    about = "An MCP server whose run_js tool runs JavaScript and TypeScript in V8.",
    args_override_self = true
)]
pub struct Cli {
    #[command(flatten)]
    pub settings: Settings,
    /// A TOML file with any of the settings, in sections (see
    /// docs/configuration.md). Flags and MCP_V8_* variables override it.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Print the REST API's OpenAPI 3.1 document and exit.
    #[arg(long)]
    pub print_openapi: bool,
    /// Print the reference of every setting (Markdown) and exit.
    #[arg(long)]
    pub print_config_reference: bool,
}

/// All settings, by section. The `--config` file has the same shape.
#[derive(Debug, Default, Clone, Args, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    #[command(flatten)]
    #[serde(default)]
    pub runs: RunSettings,
    #[command(flatten)]
    #[serde(default)]
    pub storage: StorageSettings,
    #[command(flatten)]
    #[serde(default)]
    pub sessions: SessionSettings,
    #[command(flatten)]
    #[serde(default)]
    pub mcp: McpSettings,
    #[command(flatten)]
    #[serde(default)]
    pub http: HttpSettings,
    #[command(flatten)]
    #[serde(default)]
    pub auth: AuthSettings,
    #[command(flatten)]
    #[serde(default)]
    pub capabilities: CapabilitySettings,
    #[command(flatten)]
    #[serde(default)]
    pub wasm: WasmSettings,
    #[command(flatten)]
    #[serde(default)]
    pub upstreams: UpstreamSettings,
    #[command(flatten)]
    #[serde(default)]
    pub telemetry: TelemetrySettings,
}

/// How log lines are written on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LogFormatArg {
    /// One human-readable line per event.
    Text,
    /// One JSON object per line, for log shippers.
    Json,
}

/// The OTLP transport of traces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Serialize, Deserialize)]
pub enum OtlpProtocolArg {
    /// OTLP over gRPC (port 4317 by convention).
    #[value(name = "grpc")]
    #[serde(rename = "grpc")]
    Grpc,
    /// OTLP over HTTP with protobuf bodies (port 4318 by convention).
    #[value(name = "http/protobuf")]
    #[serde(rename = "http/protobuf")]
    HttpProtobuf,
}

/// `[telemetry]`: logs, traces and metrics. Traces are also configured
/// the standard OpenTelemetry way (`OTEL_EXPORTER_OTLP_ENDPOINT`,
/// `OTEL_EXPORTER_OTLP_PROTOCOL`, `OTEL_SERVICE_NAME`,
/// `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_TRACES_SAMPLER` and `_ARG`); see
/// docs/observability.md.
#[derive(Debug, Default, Clone, Args, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[command(next_help_heading = "Telemetry")]
pub struct TelemetrySettings {
    /// How log lines on stderr are written: `text` or `json` (one object
    /// per line). Which lines: the `MCP_V8_LOG` filter (default `info`).
    #[arg(long, value_name = "FORMAT")]
    pub log_format: Option<LogFormatArg>,
    /// Export traces over OTLP to this collector (for gRPC
    /// `http://host:4317`, for HTTP the base URL `http://host:4318`, to
    /// which `/v1/traces` is added). Without it (and without
    /// `OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`)
    /// no trace is exported.
    #[arg(long, value_name = "URL")]
    pub otlp_endpoint: Option<String>,
    /// The OTLP transport: `grpc` or `http/protobuf`. Default: the
    /// `OTEL_EXPORTER_OTLP_PROTOCOL` variable, else `http/protobuf`.
    #[arg(long, value_name = "PROTOCOL")]
    pub otlp_protocol: Option<OtlpProtocolArg>,
    /// Put each policy decision's input document in its span
    /// (`policy.input`), with credentials in request headers left out.
    /// Off by default: inputs may hold secrets (URLs with tokens, file
    /// paths, tool arguments); the span always has the input's SHA-256.
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    pub trace_policy_input: Option<bool>,
    /// Also serve `/metrics`, `/healthz` and `/readyz` (and `/dashboard`
    /// when auth is off) on this port, plain HTTP without auth, bound to
    /// `--bind-host` (default 127.0.0.1). The only way to scrape a stdio
    /// server; with `--http-port`, a way to keep scrapes off the public port.
    #[arg(long, value_name = "PORT")]
    pub metrics_port: Option<u16>,
}

/// `[upstreams]`: the MCP servers this gateway fronts, whose tools run_js
/// calls with `await mcp.callTool(server, tool, args)`.
#[derive(Debug, Default, Clone, Args, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[command(next_help_heading = "Upstream MCP servers")]
pub struct UpstreamSettings {
    /// An upstream MCP server: `name=stdio:command:arg1:arg2` (a child
    /// process; arguments after the command separated by `:`),
    /// `name=http:URL` (Streamable HTTP) or `name=sse:URL` (the legacy
    /// HTTP+SSE transport). Repeatable; in the config file a list of such
    /// strings. Calls still need an `mcp_tools` policy.
    #[arg(long, value_name = "NAME=SPEC")]
    pub mcp_server: Option<Vec<String>>,
    /// Upstream servers as JSON, `@file` or a file path: an array of
    /// `{"name", "transport": "stdio"|"http"|"sse", "command", "args", "env",
    /// "cwd", "url", "headers", "bearer_token", "oauth": {"token_url",
    /// "client_id", "client_secret" | "client_secret_env", "scopes",
    /// "resource", "method"}, "timeout_secs" (60), "max_concurrent" (64)}`,
    /// or a Claude Desktop config file (`{"mcpServers": {...}}`). Added to
    /// --mcp-server's.
    #[arg(long, value_name = "FILE", value_parser = json_text)]
    pub mcp_config: Option<serde_json::Value>,
    /// How many bytes of TypeScript declarations of the upstream tools
    /// run_js's description may carry; past it, the description lists the
    /// servers and points to `mcp.searchTools` and the
    /// `docs://upstreams/<server>.d.ts` resources. Default 8192.
    #[arg(long, value_name = "BYTES")]
    pub upstream_declarations_budget: Option<usize>,
    /// List each upstream tool on this server's MCP endpoint as a stub
    /// `<prefix><server>__<tool>` (with the tool's input schema), whose
    /// call returns how to call it from run_js with mcp.callTool, running
    /// nothing. Default: true when upstream servers are configured.
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    pub mcp_stubs: Option<bool>,
    /// The prefix of the stub tools' names. Default `runjs__`.
    #[arg(long, value_name = "PREFIX")]
    pub mcp_stub_prefix: Option<String>,
    /// List each upstream tool on this server's MCP endpoint as
    /// `<server>__<tool>`, called directly (decided by the `mcp_tools`
    /// policy like a call from run_js), instead of as a stub; and the
    /// upstreams' prompts as `<server>__<prompt>` and resources as
    /// `upstream://<server>/<uri>`, with progress, log messages and
    /// cancellation forwarded.
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    pub expose_upstream_tools: Option<bool>,
}

/// `[runs]`: what one run may use, and how many run at once.
#[derive(Debug, Default, Clone, Args, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[command(next_help_heading = "Runs")]
pub struct RunSettings {
    /// Run without snapshots: every run starts from a clean heap, and the
    /// session and heap tools are not offered.
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    pub stateless: Option<bool>,
    /// A run's memory budget in MB when it asks for none: its JS heap plus
    /// its ArrayBuffers plus its WebAssembly memories. A run may ask for up
    /// to 1024, or up to this value if it is higher (`heap_memory_max_mb`).
    #[arg(long, value_name = "MB")]
    pub heap_memory_max: Option<u64>,
    /// The memory in MB all runs may use together. A run reserves its budget
    /// plus 16 MB while it runs, and waits (queued) while there is no room.
    /// Default: three quarters of the machine's memory (or of the cgroup limit).
    #[arg(long, value_name = "MB")]
    pub memory_max: Option<u64>,
    /// A run's wall-clock limit in seconds when it asks for none; a run may
    /// ask for up to 600, or up to this value if it is higher.
    #[arg(long, value_name = "SECS")]
    pub execution_timeout: Option<u64>,
    /// Runs executing at once, each on its own V8 thread; more wait, queued.
    #[arg(long, value_name = "N")]
    pub max_concurrent_executions: Option<usize>,
    /// Runs one principal (a token's subject; without auth, an MCP
    /// connection or the local caller) may have executing at once, so one
    /// caller's burst leaves V8 threads for the others. Default over HTTP:
    /// three quarters of --max-concurrent-executions, at least 1; over stdio
    /// (one caller): all of them.
    #[arg(long, value_name = "N")]
    pub max_concurrent_per_principal: Option<usize>,
    /// Runs one principal may have queued; more are refused (HTTP 429) until
    /// some finish.
    #[arg(long, value_name = "N")]
    pub max_queued_per_principal: Option<usize>,
    /// Cap on a run's captured console output and on the size of its
    /// result, in bytes.
    #[arg(long, value_name = "BYTES")]
    pub max_output_bytes: Option<usize>,
    /// With --stateless: the runs of one principal a V8 isolate serves, each
    /// in a fresh context that sees nothing of the runs before it, before a
    /// fresh isolate takes its place. Each run leaves about 0.5 MB in the
    /// isolate until then, so reuse costs up to N/2 MB per V8 thread
    /// (--max-concurrent-executions). 1: a fresh isolate for every run
    /// (slower; no two runs share an isolate's heap).
    #[arg(long, value_name = "N")]
    pub isolate_reuse_runs: Option<u32>,
}

/// `[storage]`: where heaps and session metadata live.
#[derive(Debug, Default, Clone, Args, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[command(next_help_heading = "Storage")]
pub struct StorageSettings {
    /// Directory of the durable heap store (one file per heap).
    /// Default: $XDG_DATA_HOME/mcp-v8, else ~/.local/share/mcp-v8.
    #[arg(long, alias = "heap-dir", value_name = "DIR")]
    #[serde(alias = "heap_dir")]
    pub directory_path: Option<PathBuf>,
    /// The file of session metadata (session heads and logs, heap tags and
    /// owners). Default: meta.redb in --directory-path.
    #[arg(long, value_name = "FILE")]
    pub session_db_path: Option<PathBuf>,
    /// Redis URL of a write-through cache in front of the heap directory; an
    /// optimisation only: with Redis down, runs go on from the directory.
    #[arg(long, value_name = "URL")]
    pub redis_url: Option<String>,
    /// When a session's heap is persisted.
    #[arg(long, value_enum, value_name = "POLICY")]
    pub snapshot_policy: Option<SnapshotPolicyArg>,
    /// Under --snapshot-policy idle: persist a session untouched this long.
    #[arg(long, value_name = "SECS")]
    pub snapshot_idle_secs: Option<u64>,
    /// Under --snapshot-policy idle: warm sessions kept in memory at most.
    #[arg(long, value_name = "N")]
    pub warm_sessions_max: Option<usize>,
    /// Under --snapshot-policy idle: JS heap MB the warm sessions may use together.
    #[arg(long, value_name = "MB")]
    pub warm_memory_max: Option<u64>,
    /// The largest heap a session may keep, in bytes: a run whose heap is
    /// larger fails with a clear error and its session stays where it was.
    #[arg(long, value_name = "BYTES")]
    pub max_snapshot_bytes: Option<usize>,
    /// How long a heap that no session and no tag refers to is kept after it
    /// was written, so a caller can still resume from a hash it was given.
    #[arg(long, value_name = "SECS")]
    pub heap_retention_secs: Option<u64>,
    /// How often ended sessions and unreferenced heaps are collected.
    #[arg(long, value_name = "SECS")]
    pub sweep_interval_secs: Option<u64>,
}

/// `[sessions]`: which session a run uses when it names none.
#[derive(Debug, Default, Clone, Args, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[command(next_help_heading = "Sessions")]
pub struct SessionSettings {
    /// Session used by runs that name neither a session nor a heap (on
    /// every transport, and by REST exec). Without it, a run over MCP on
    /// HTTP keeps its state in its connection's implicit session.
    #[arg(long, value_name = "NAME")]
    pub session_id: Option<String>,
    /// How long a connection's implicit session (and, without auth,
    /// everything the connection made) outlives the MCP connection, in seconds.
    #[arg(long, value_name = "SECS")]
    pub connection_ttl_secs: Option<u64>,
}

/// `[mcp]`: what MCP clients are told.
#[derive(Debug, Default, Clone, Args, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[command(next_help_heading = "MCP")]
pub struct McpSettings {
    /// Server instructions sent at initialize (text, or @file).
    #[arg(long, value_name = "TEXT|@FILE")]
    pub instructions: Option<String>,
    /// Description of the run_js tool (text, or @file).
    #[arg(long, value_name = "TEXT|@FILE")]
    pub run_js_description: Option<String>,
    /// How long run_js waits for a run before it returns the execution id to poll.
    #[arg(long, value_name = "MS")]
    pub inline_wait_ms: Option<u64>,
}

/// `[http]`: the HTTP front door (MCP over Streamable HTTP and legacy SSE,
/// the REST API, health checks) instead of stdio.
#[derive(Debug, Default, Clone, Args, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[command(next_help_heading = "HTTP")]
pub struct HttpSettings {
    /// Serve HTTP on this TCP port instead of MCP on stdio (0: any free
    /// port; the address is logged).
    #[arg(long, value_name = "PORT")]
    pub http_port: Option<u16>,
    /// Also serve the legacy HTTP+SSE transport (/sse, /message) on this
    /// port, as the reference does (the main port serves it too).
    #[arg(long, value_name = "PORT")]
    pub sse_port: Option<u16>,
    /// Address the HTTP listeners bind to. Default: 127.0.0.1.
    #[arg(long, value_name = "ADDR")]
    pub bind_host: Option<String>,
    /// Serve HTTPS: the certificate chain (PEM). Needs --tls-key.
    #[arg(long, value_name = "FILE")]
    pub tls_cert: Option<PathBuf>,
    /// Serve HTTPS: the private key (PEM). Needs --tls-cert.
    #[arg(long, value_name = "FILE")]
    pub tls_key: Option<PathBuf>,
    /// Host header values accepted (DNS-rebinding protection),
    /// comma-separated. Default: localhost, 127.0.0.1, ::1.
    #[arg(long, value_name = "HOSTS", value_delimiter = ',')]
    pub allowed_hosts: Option<Vec<String>>,
    /// Browser origins accepted, comma-separated (https://app.example.com:443,
    /// http://localhost:*); an empty value refuses any Origin. Default:
    /// loopback origins on any port.
    #[arg(long, value_name = "ORIGINS", value_delimiter = ',')]
    pub allowed_origins: Option<Vec<String>>,
    /// Largest HTTP request body accepted, in bytes.
    #[arg(long, value_name = "BYTES")]
    pub max_body_bytes: Option<usize>,
    /// The URL clients reach this server at (for the OAuth resource
    /// metadata). Default: http(s)://<Host header>.
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,
    /// How long an MCP session on Streamable HTTP lives without a request
    /// before the server ends it, in seconds: what ends the session of a
    /// client that went away without closing it (a closed session ends at
    /// once). A client idle for longer must initialize again. Default 300.
    #[arg(long, value_name = "SECS")]
    pub mcp_session_idle_secs: Option<u64>,
}

/// `[auth]`: bearer tokens (JWT) on the HTTP front door.
#[derive(Debug, Default, Clone, Args, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[command(next_help_heading = "Auth")]
pub struct AuthSettings {
    /// Require a bearer JWT on /mcp, /sse, /message and /api, verified with
    /// the key set at this URL. Needs --jwt-issuer and --jwt-audience.
    #[arg(long, value_name = "URL")]
    pub jwks_url: Option<String>,
    /// The `iss` a token must carry.
    #[arg(long, value_name = "ISSUER")]
    pub jwt_issuer: Option<String>,
    /// The `aud` a token must carry (this server's resource identifier).
    #[arg(long, value_name = "AUDIENCE")]
    pub jwt_audience: Option<String>,
    /// The claim naming the token's principal: who owns the sessions,
    /// executions, heaps and tags its runs make. Default: sub.
    #[arg(long, value_name = "CLAIM")]
    pub principal_claim: Option<String>,
}

/// `[capabilities]`: what user code may reach beyond its own heap (the
/// network, files, processes, modules, upstream tools), each only as far as
/// a policy allows.
#[derive(Debug, Default, Clone, Args, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[command(next_help_heading = "Capabilities")]
pub struct CapabilitySettings {
    /// The Rego policies (or OPA servers) deciding each capability, as JSON
    /// or @file: {"filesystem": {"mode": "all", "policies": [{"url":
    /// "file:///etc/mcp/fs.rego"}]}}. Capabilities: fetch, filesystem,
    /// subprocess, modules, mcp_tools, run_js_file; one without an entry is
    /// denied. In the config file also a table of the same shape. Reloaded
    /// on SIGHUP (a policy that fails to load keeps the previous set). See
    /// policies/README.md.
    #[arg(long, value_name = "JSON", value_parser = json_text)]
    pub policies_json: Option<serde_json::Value>,
    /// Let run_js take its code from a file on the server (`file` instead
    /// of `code`), any file the server can read. With a run_js_file policy
    /// this is not needed: the policy decides each file.
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    pub allow_run_js_file: Option<bool>,
    /// Add a header to the fetch requests user code makes to a host (an API
    /// key the script never sees), as
    /// `host=api.github.com,header=Authorization,value=Bearer ...`
    /// (optionally `,methods=GET;POST`). For OAuth client credentials,
    /// give `token_url=..,client_id=..,client_secret=..` (optionally
    /// `,scope=..,refresh_buffer_secs=30`) instead of `value=`: the token is
    /// fetched, cached and refreshed before it expires. The host is exact,
    /// `host:port`, or `*.example.com`. A header the script sets wins.
    /// Repeatable; in the config file a list of such strings. Fetches still
    /// need a fetch policy.
    #[arg(long, value_name = "RULE")]
    pub fetch_header: Option<Vec<String>>,
    /// Header injection rules as JSON, `@file` or a file path, in the
    /// reference's shape: `[{"host": "api.github.com", "methods": ["GET"],
    /// "headers": {"Authorization": "Bearer ..."}}]`, or with `"auth":
    /// {"type": "oauth_client_credentials", "header", "token_url",
    /// "client_id", "client_secret", "scope", "refresh_buffer_secs"}` in
    /// place of `headers`. In the config file also an array of tables.
    /// Added to --fetch-header's rules.
    #[arg(long, value_name = "FILE", value_parser = json_text)]
    pub fetch_header_config: Option<serde_json::Value>,
    /// The most of one fetch response body a run reads, in bytes (at most
    /// the run's memory budget). Default 16 MiB.
    #[arg(long, value_name = "BYTES")]
    pub fetch_max_bytes: Option<usize>,
    /// Let user code import ES modules: `import { x } from "npm:pkg@1"`,
    /// `"jsr:@scope/pkg@1"`, `"https://..."`, and `await import(...)`. Each
    /// module URL (and each redirect hop) still needs a `modules` policy's
    /// allow. Off by default.
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    pub allow_external_modules: Option<bool>,
    /// Where `npm:` and `jsr:` imports are fetched from: `npm:x` from
    /// `<cdn>x`, `jsr:x` from `<cdn>jsr/x` (esm.sh's layout). Default
    /// https://esm.sh/.
    #[arg(long, value_name = "URL")]
    pub module_cdn: Option<String>,
    /// Where fetched modules are cached (by URL, checked against their
    /// SHA-256 on every reuse; delete it to fetch again). Default: modules/
    /// in --directory-path.
    #[arg(long, value_name = "DIR")]
    pub module_cache_dir: Option<PathBuf>,
}

/// `[wasm]`: WebAssembly modules every stateless run finds preloaded.
#[derive(Debug, Default, Clone, Args, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[command(next_help_heading = "WebAssembly")]
pub struct WasmSettings {
    /// Preload a WebAssembly module, compiled once at start:
    /// `name=/path/to/module.wasm` (optionally `:max_memory`, as bytes or
    /// with k, m or g, e.g. `:32m`). Runs find the module as `__wasm_name`,
    /// and, when it has no imports, its instance's exports as `name`.
    /// Repeatable. Needs --stateless (V8 has no WebAssembly in the isolates
    /// whose heaps it can snapshot).
    #[arg(long, value_name = "NAME=PATH[:MAX]")]
    pub wasm_module: Option<Vec<String>>,
    /// Modules to preload as JSON, `@file` or a file path: `{"math":
    /// "/opt/math.wasm", "sqlite": {"path": "/opt/sqlite3.wasm",
    /// "max_memory_bytes": 33554432, "description": "SQLite in memory"}}`
    /// (also accepted under a `"modules"` key). In the config file also a
    /// table. Added to --wasm-module's.
    #[arg(long, value_name = "FILE", value_parser = json_text)]
    pub wasm_config: Option<serde_json::Value>,
    /// The memory cap of a module that sets none: the most memory its
    /// instance may start with (growth is bounded by the run's memory
    /// budget). Bytes, or with k, m or g. Default 16m.
    #[arg(long, value_name = "SIZE")]
    pub wasm_default_max_memory: Option<String>,
    /// Advertise each preloaded module as an MCP tool named
    /// `<prefix>wasm__<name>` (calling it returns how to use the module from
    /// run_js). Default: true when modules are loaded.
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    pub wasm_stubs: Option<bool>,
    /// The prefix of those tools' names. Default: runjs__.
    #[arg(long, value_name = "PREFIX")]
    pub wasm_stub_prefix: Option<String>,
    /// What a module is for, in its tool's description: `name=text`.
    /// Repeatable; overrides a `description` in --wasm-config.
    #[arg(long, value_name = "NAME=TEXT")]
    pub wasm_stub_description: Option<Vec<String>>,
}

/// A flag's text, kept as a string: it is read as JSON (or `@file`) when the
/// configuration is resolved, like the same key written as a string in the file.
fn json_text(text: &str) -> Result<serde_json::Value, String> {
    Ok(serde_json::Value::String(text.to_owned()))
}
