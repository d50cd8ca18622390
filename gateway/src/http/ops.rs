//! The operator's routes: `/healthz`, `/readyz`, `/metrics`, `/dashboard`
//! and `/dashboard/data`. The main HTTP listener serves them among its
//! other routes; `--metrics-port` serves them alone on a listener of their
//! own, which is how a stdio server (no HTTP front door) is scraped and
//! watched, and how an HTTP server keeps them off its public port.
//!
//! **Invariants:**
//! - These routes hold no caller's data but the dashboard's list of latest
//!   denials, whose reasons (which may quote a request) are given only when
//!   auth is off.
//! - The metrics listener has no auth: it serves `/dashboard/data` only when
//!   the server has no auth at all (stdio, or HTTP without `--jwks-url`);
//!   otherwise the dashboard stays on the main listener, behind auth.

use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;
use pingora_core::apps::{HttpServerApp, ReusedHttpStream};
use pingora_core::protocols::http::ServerSession;
use pingora_core::server::ShutdownWatch;
use serde_json::json;

use super::{Handle, Reply, only_get};
use crate::error::GatewayError;
use crate::service::Service;
use crate::telemetry;

/// The answer to an operator route, `None` for any other path. `reasons`:
/// whether the dashboard's denials carry their reasons (auth is off).
pub(super) fn reply(service: &Service, method: &http::Method, path: &str, reasons: bool) -> Option<Reply> {
    let reply = match path {
        "/healthz" => only_get(method).unwrap_or_else(|| Reply::json(200, json!({"status": "ok"}))),
        "/readyz" => only_get(method).unwrap_or_else(|| {
            if service.engine().is_closing() {
                Reply::json(503, json!({"status": "shutting down"}))
            } else {
                Reply::json(200, json!({"status": "ready"}))
            }
        }),
        // The page itself holds no data; what it reads is behind auth.
        "/dashboard" => only_get(method).unwrap_or(Reply::Text {
            status: 200,
            content_type: "text/html; charset=utf-8",
            body: Bytes::from_static(telemetry::dashboard::PAGE.as_bytes()),
        }),
        "/dashboard/data" => {
            only_get(method).unwrap_or_else(|| Reply::json(200, telemetry::dashboard::data(service, reasons)))
        }
        "/metrics" => only_get(method).unwrap_or_else(|| Reply::Text {
            status: 200,
            content_type: "text/plain; version=0.0.4; charset=utf-8",
            body: Bytes::from(service.metrics().render()),
        }),
        _ => return None,
    };
    Some(reply)
}

/// The `--metrics-port` listener's application.
struct OpsApp {
    service: Service,
    /// Whether `/dashboard` and its data are served (the server has no auth).
    dashboard: bool,
}

#[async_trait]
impl Handle for OpsApp {
    async fn handle(&self, session: &mut ServerSession) -> Result<(), Reply> {
        let path = session.req_header().uri.path().to_owned();
        let method = session.req_header().method.clone();
        if !self.dashboard && path.starts_with("/dashboard") {
            return Err(Reply::error(
                404,
                "with auth on, the dashboard is served on the main HTTP port (its data needs a token); this port has no auth",
            ));
        }
        Err(reply(&self.service, &method, &path, true).unwrap_or_else(|| {
            Reply::error(404, format!("this port serves /metrics, /healthz, /readyz and /dashboard, not {path}"))
        }))
    }
}

#[async_trait]
impl HttpServerApp for OpsApp {
    async fn process_new_http(
        self: &Arc<Self>,
        session: ServerSession,
        shutdown: &ShutdownWatch,
    ) -> Option<ReusedHttpStream> {
        super::process(self.as_ref(), session, shutdown).await
    }
}

/// Serves the operator routes on `listener` (plain HTTP) until `shutdown`
/// flips to true. `dashboard`: serve the dashboard too (no auth anywhere).
pub async fn serve(
    service: Service,
    listener: std::net::TcpListener,
    dashboard: bool,
    shutdown: tokio::sync::watch::Receiver<bool>,
) -> Result<(), GatewayError> {
    let fds: pingora_core::server::ListenFds = Arc::new(parking_lot::Mutex::new(pingora_core::server::Fds::new()));
    let addr = super::hand_over(listener, &fds)?;
    let mut listening = pingora_core::services::listening::Service::new(
        format!("mcp-v8 metrics {addr}"),
        OpsApp { service, dashboard },
    );
    listening.add_tcp(&addr);
    if dashboard {
        tracing::info!(
            "serving metrics on http://{addr}/metrics (and health at /healthz, the dashboard at /dashboard)"
        );
    } else {
        tracing::info!("serving metrics on http://{addr}/metrics (and health at /healthz)");
    }
    use pingora_core::services::Service as _;
    listening.start_service(Some(fds), shutdown, 1).await;
    Ok(())
}
