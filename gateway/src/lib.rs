//! The `mcp-v8` gateway: configuration, heap store layers, the service
//! layer, and the MCP and REST surfaces in front of the V8 engine
//! (`mcp-v8-runtime`).
//!
//! **Invariant:** `main.rs` only parses the command line and calls
//! [`serve`]; everything else lives here, where tests drive it. Both
//! surfaces go through [`service::Service`]; `config` imports neither.

pub mod auth;
pub mod config;
mod error;
pub mod fetch_headers;
pub mod modules;
pub(crate) mod http;
pub mod mcp;
pub mod process;
pub mod service;
pub mod telemetry;
mod stdio;
mod store;

use std::sync::Arc;
use std::time::Duration;

use mcp_v8_runtime::wasm::WasmPreload;
use mcp_v8_runtime::store::{FsStore, HeapStore};
use mcp_v8_policies::Policies;
use mcp_v8_runtime::{Decider, Engine, EngineDeps, Meta};
use rmcp::ServiceExt;

pub use config::Config;
pub use error::GatewayError;
pub use http::Listeners;

/// How long a stopping server lets runs finish before it cancels them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Builds the engine the configuration describes: the durable directory
/// store, Redis in front of it when configured, the metadata file.
pub fn start_engine(config: &Config) -> Result<(Arc<Engine>, Arc<mcp_v8_upstreams::Upstreams>), GatewayError> {
    // TLS clients (fetch, token endpoints, JWKS) need one process-wide provider.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let store = if config.engine.stateful {
        let durable = FsStore::open(&config.storage.directory.join("heaps"))?;
        let store: Arc<dyn HeapStore> = match &config.storage.redis_url {
            Some(url) => Arc::new(store::RedisCache::new(durable, url)?),
            None => Arc::new(durable),
        };
        let meta = Meta::open(&config.storage.session_db)?;
        tracing::info!(store = %store.describe(), metadata = %config.storage.session_db.display(), "stateful mode");
        Some((store, meta))
    } else {
        tracing::info!("stateless mode");
        None
    };
    let policies = if config.policies.capabilities.is_empty() {
        None
    } else {
        let policies = Policies::load(config.policies.clone()).map_err(|e| GatewayError::Config(e.to_string()))?;
        tracing::info!(capabilities = ?policies.capabilities().iter().map(|c| c.name()).collect::<Vec<_>>(), "policies loaded");
        Some(Arc::new(policies))
    };
    tokio::spawn(reload_on_sighup(policies.clone()));
    let decider: Arc<dyn Decider> = match policies {
        Some(policies) => policies,
        None => mcp_v8_runtime::capability::deny_all(),
    };
    let wasm = config
        .wasm
        .modules
        .iter()
        .map(|module| {
            let bytes = std::fs::read(&module.path).map_err(|e| {
                GatewayError::Config(format!("WebAssembly module '{}': cannot read {}: {e}", module.name, module.path.display()))
            })?;
            Ok(WasmPreload { name: module.name.clone(), bytes: bytes.into(), max_memory_bytes: module.max_memory_bytes })
        })
        .collect::<Result<Vec<_>, GatewayError>>()?;
    let upstreams = mcp_v8_upstreams::Upstreams::start(config.upstreams.clone());
    let engine = Engine::start(
        config.engine.clone(),
        EngineDeps {
            store,
            decider,
            fetch_headers: fetch_headers::injector(&config.fetch_headers),
            wasm,
            modules: modules::setup(&config.modules).map_err(GatewayError::Config)?,
            host: upstreams.clone(),
        },
    )?;
    for module in engine.wasm_modules() {
        tracing::info!(name = %module.name, imports = module.imports.len(), exports = module.exports.len(), "WebAssembly module preloaded");
    }
    Ok((engine, upstreams))
}

/// Loads the policies again on every SIGHUP; a set that fails to load is
/// logged and the previous one stays. (SIGHUP never stops the server.)
async fn reload_on_sighup(policies: Option<Arc<Policies>>) {
    let Ok(mut hangups) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()) else {
        tracing::warn!("cannot listen for SIGHUP: policies will not be reloaded");
        return;
    };
    while hangups.recv().await.is_some() {
        match policies.as_deref().map(Policies::reload) {
            None => tracing::info!("SIGHUP: no policies are configured (--policies-json); nothing to reload"),
            Some(Ok(())) => tracing::info!("policies reloaded"),
            Some(Err(error)) => tracing::warn!(%error, "policies not reloaded; the previous set stays"),
        }
    }
}

/// The REST API's OpenAPI 3.1 document for this configuration (also served
/// at `/api-doc/openapi.json`).
pub fn openapi_json(config: &Config) -> String {
    let run_js_file = config.service.allow_run_js_file || config.policies.get(mcp_v8_runtime::Capability::RunJsFile).is_some();
    let document = http::openapi(&config.engine, config.http.as_ref().is_some_and(|h| h.auth.is_some()), run_js_file);
    serde_json::to_string_pretty(&document).unwrap_or_default()
}

/// Serves what the configuration asks for until SIGINT or SIGTERM: HTTP
/// with `--http-port`, else MCP over stdio.
pub async fn serve(config: Config) -> Result<(), GatewayError> {
    match &config.http {
        Some(http) => {
            let listeners = Listeners::bind(http, config.telemetry.metrics_bind)?;
            serve_http(config, listeners, shutdown_signal()).await
        }
        None => serve_stdio(config).await,
    }
}

/// Serves HTTP on already bound `listeners` until `shutdown` resolves, then
/// stops accepting, lets runs finish (up to the grace period) and persists
/// what is warm.
pub async fn serve_http(config: Config, listeners: Listeners, shutdown: impl Future<Output = ()>) -> Result<(), GatewayError> {
    let Some(http) = config.http.clone() else {
        return Err(GatewayError::Config("serve_http needs an HTTP configuration (--http-port)".into()));
    };
    let (engine, upstreams) = start_engine(&config)?;
    let service = service::Service::new(engine.clone(), config.service.clone(), upstreams);
    let pusher = push_metrics(&config, &service);
    let server = mcp::McpServer::new(service.clone(), &config.mcp, &config.wasm);
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut running = tokio::spawn(http::serve(service, server, http, listeners, stop_rx));
    tokio::select! {
        () = shutdown => tracing::info!("shutting down"),
        result = &mut running => {
            engine.shutdown(SHUTDOWN_GRACE).await;
            if let Some(pusher) = pusher {
                pusher.finish().await;
            }
            return result.map_err(|e| GatewayError::Transport(e.to_string()))?;
        }
    }
    let _ = stop_tx.send(true);
    engine.shutdown(SHUTDOWN_GRACE).await;
    if let Some(pusher) = pusher {
        pusher.finish().await;
    }
    // Connections still open (an SSE stream a client keeps) are cut here.
    let _ = tokio::time::timeout(Duration::from_millis(500), running).await;
    Ok(())
}

/// Serves MCP over stdin/stdout until the client goes away or a signal
/// arrives, then persists what is warm and returns.
pub async fn serve_stdio(config: Config) -> Result<(), GatewayError> {
    let (engine, upstreams) = start_engine(&config)?;
    let service = service::Service::new(engine.clone(), config.service.clone(), upstreams);
    let pusher = push_metrics(&config, &service);
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    // Bound before serving, so a port in use is a start-up error.
    if let Some(addr) = config.telemetry.metrics_bind {
        tokio::spawn(http::ops::serve(service.clone(), http::bind(addr)?, true, stop_rx));
    }
    let server = mcp::McpServer::new(service, &config.mcp, &config.wasm);
    // rmcp's serve returns once a client has initialized; say what we wait for.
    tracing::info!("serving MCP on stdio: JSON-RPC on stdin/stdout, logs on stderr; connect an MCP client (see README)");
    let running = server
        .serve({
            let (input, output) = stdio::process_stdio();
            stdio::guarded(input, output)
        })
        .await
        .map_err(|e| GatewayError::Transport(e.to_string()))?;
    let cancel = running.cancellation_token();
    tokio::select! {
        result = running.waiting() => {
            if let Err(error) = result {
                tracing::error!(%error, "the MCP service stopped with an error");
            }
        }
        () = shutdown_signal() => {
            tracing::info!("signal received; shutting down");
            cancel.cancel();
        }
    }
    engine.shutdown(SHUTDOWN_GRACE).await;
    if let Some(pusher) = pusher {
        pusher.finish().await;
    }
    let _ = stop_tx.send(true);
    Ok(())
}

/// Starts pushing metrics over OTLP when that is configured.
fn push_metrics(config: &Config, service: &service::Service) -> Option<telemetry::otlp_metrics::Pusher> {
    let export = config.telemetry.otlp_metrics.clone()?;
    tracing::info!(endpoint = %export.endpoint, interval_ms = export.interval.as_millis() as u64, "pushing metrics over OTLP");
    Some(telemetry::otlp_metrics::Pusher::start(export, service.clone()))
}

/// SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}
