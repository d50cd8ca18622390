//! The built-in live page at `/dashboard`, for an operator without
//! Grafana: plain HTML and JavaScript from the binary (no external asset)
//! that polls `/dashboard/data` and shows request and error rates, latency
//! percentiles, saturation, warm sessions, upstream health and the latest
//! denials.
//!
//! **Invariant:** the data holds no caller's operations, sessions or
//! executions: counts, gauges, upstream states, and per denial its
//! capability, rule and time; its reason only when auth is off (a reason
//! may quote the input, which belongs to whoever made it).

use std::sync::atomic::Ordering;

use serde_json::{Value, json};

use crate::service::Service;

/// The page.
pub const PAGE: &str = include_str!("dashboard.html");

/// What the page shows, read now. Counters are totals since the start: the
/// page turns two reads into rates and percentiles over the interval.
pub fn data(service: &Service, reasons: bool) -> Value {
    let metrics = service.metrics();
    let engine = service.engine();
    let view = engine.metrics().view();
    let stats = engine.stats();
    let requests = metrics.requests.view();
    let runs = |status: &str| -> u64 {
        view.executions.iter().filter(|(_, s, _)| s.as_str() == status).map(|(_, _, n)| n).sum()
    };
    let decided =
        |allow: bool| -> u64 { view.decisions.iter().filter(|(_, a, _)| *a == allow).map(|(_, _, n)| n).sum() };
    let denials: Vec<Value> = engine
        .metrics()
        .denials()
        .into_iter()
        .map(|d| {
            json!({
                "at_ms": d.at_ms,
                "capability": d.capability,
                "rule": d.rule,
                "reason": if reasons { d.reason } else { None },
            })
        })
        .collect();
    let upstreams: Vec<Value> = engine
        .host()
        .servers()
        .into_iter()
        .map(|s| json!({"name": s.name, "status": s.status, "tools": s.tools, "error": s.error}))
        .collect();
    json!({
        "version": env!("CARGO_PKG_VERSION"),
        "stateful": service.is_stateful(),
        "requests": {
            "count": requests.count,
            "failed": metrics.failed_requests.load(Ordering::Relaxed),
            "buckets": requests.buckets.iter().map(|(le, n)| json!([if le.is_finite() { json!(le) } else { json!("+Inf") }, n])).collect::<Vec<_>>(),
        },
        "runs": {"completed": runs("completed"), "failed": runs("failed"), "timed_out": runs("timed_out"), "cancelled": runs("cancelled")},
        "saturation": {"queued": stats.queued, "running": stats.running, "threads": stats.threads},
        "sessions": {"warm": stats.warm_sessions, "in_memory": stats.session_slots},
        "decisions": {"allowed": decided(true), "denied": decided(false)},
        "denials": denials,
        "reasons_shown": reasons,
        "upstreams": upstreams,
    })
}
