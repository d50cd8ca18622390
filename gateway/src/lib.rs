//! The `mcp-v8` gateway: configuration, heap store layers and the MCP
//! surface in front of the V8 engine (`mcp-v8-runtime`).
//!
//! **Invariant:** `main.rs` only parses the command line and calls [`serve`];
//! everything else lives here, where tests drive it.

pub mod config;
mod error;
pub(crate) mod http;
pub mod mcp;
mod stdio;
mod store;

use std::sync::Arc;
use std::time::Duration;

use mcp_v8_runtime::store::{FsStore, HeapStore};
use mcp_v8_runtime::{Engine, Meta};
use rmcp::ServiceExt;

pub use config::Config;
pub use error::GatewayError;

/// How long a stopping server lets runs finish before it cancels them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Builds the engine the configuration describes: the durable directory
/// store, Redis in front of it when configured, the metadata file.
pub fn start_engine(config: &Config) -> Result<Arc<Engine>, GatewayError> {
    let store = if config.engine.stateful {
        let durable = FsStore::open(&config.directory.join("heaps"))?;
        let store: Arc<dyn HeapStore> = match &config.redis_url {
            Some(url) => Arc::new(store::RedisCache::new(durable, url)?),
            None => Arc::new(durable),
        };
        let meta = Meta::open(&config.directory.join("meta.redb"))?;
        tracing::info!(store = %store.describe(), "stateful mode");
        Some((store, meta))
    } else {
        tracing::info!("stateless mode");
        None
    };
    Ok(Engine::start(config.engine.clone(), store)?)
}

/// The REST API's OpenAPI 3.1 document (also served at `/api-doc/openapi.json`).
pub fn openapi_json() -> String {
    http::openapi_json()
}

/// Serves what the configuration asks for: HTTP with `--http-port`, else
/// MCP over stdio.
pub async fn serve(config: Config) -> Result<(), GatewayError> {
    match config.http.clone() {
        Some(http) => serve_http(config, http).await,
        None => serve_stdio(config).await,
    }
}

/// Serves HTTP until SIGINT or SIGTERM, then stops accepting, lets runs
/// finish (up to the grace period) and persists what is warm.
async fn serve_http(config: Config, http: config::HttpConfig) -> Result<(), GatewayError> {
    let engine = start_engine(&config)?;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut server = tokio::spawn({
        let engine = engine.clone();
        async move { http::serve(engine, &config, http, stop_rx).await }
    });
    tokio::select! {
        () = shutdown_signal() => tracing::info!("signal received; shutting down"),
        result = &mut server => {
            return result.map_err(|e| GatewayError::Transport(e.to_string()))?;
        }
    }
    let _ = stop_tx.send(true);
    engine.shutdown(SHUTDOWN_GRACE).await;
    // Connections still open (an SSE stream a client keeps) are cut here.
    let _ = tokio::time::timeout(Duration::from_millis(500), server).await;
    Ok(())
}

/// Serves MCP over stdin/stdout until the client goes away or a signal
/// arrives, then persists what is warm and returns.
pub async fn serve_stdio(config: Config) -> Result<(), GatewayError> {
    let engine = start_engine(&config)?;
    let server = mcp::McpServer::new(engine.clone(), &config);
    // rmcp's serve returns once a client has initialized; say what we wait for.
    tracing::info!("serving MCP on stdio: JSON-RPC on stdin/stdout, logs on stderr; connect an MCP client (see README)");
    let service = server
        .serve(stdio::guarded(tokio::io::stdin(), tokio::io::stdout()))
        .await
        .map_err(|e| GatewayError::Transport(e.to_string()))?;
    let cancel = service.cancellation_token();
    tokio::select! {
        result = service.waiting() => {
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
    Ok(())
}

/// SIGINT or SIGTERM.
async fn shutdown_signal() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}
