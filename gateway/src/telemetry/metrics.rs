//! Prometheus metrics: what the gateway records itself (MCP operations,
//! auth failures) and, read at each scrape, what the runtime counted (runs,
//! phases, decisions, snapshots) and its gauges.
//!
//! Names follow the OpenTelemetry semantic conventions where they exist
//! (`mcp.server.operation.duration`, exported as
//! `mcp_server_operation_duration_seconds` with the convention's buckets),
//! and Prometheus naming with the `mcp_v8_` prefix for the rest.
//!
//! **Invariant:** every label is bounded: a method, a tool the server
//! lists (any other name is `other`), a status, a capability, a reason;
//! never a session, execution or user id.

use std::sync::Arc;

use mcp_v8_runtime::Engine;
use mcp_v8_runtime::host::Host as _;
use mcp_v8_runtime::metrics::{DURATION_BUCKETS, HistogramView};
use mcp_v8_upstreams::Upstreams;
use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeLabelSet, MetricEncoder, NoLabelSet};
use prometheus_client::metrics::MetricType;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::{Registry, Unit};

/// The labels of `mcp_server_operation_duration_seconds`.
#[derive(Debug, Clone, Hash, PartialEq, Eq, prometheus_client::encoding::EncodeLabelSet)]
struct Operation {
    mcp_method_name: &'static str,
    gen_ai_tool_name: String,
    error_type: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, prometheus_client::encoding::EncodeLabelSet)]
struct AuthFailure {
    reason: &'static str,
}

/// The gateway's metrics and their registry.
pub struct Metrics {
    registry: Registry,
    operations: Family<Operation, Histogram>,
    auth_failures: Family<AuthFailure, Counter>,
    /// Every MCP and REST request's duration and the failed ones, for
    /// `/dashboard`.
    pub(super) requests: mcp_v8_runtime::metrics::Histogram,
    pub(super) failed_requests: std::sync::atomic::AtomicU64,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Metrics {
    pub fn new(engine: &Arc<Engine>, upstreams: &Arc<Upstreams>) -> Self {
        let mut registry = Registry::default();
        let operations =
            Family::<Operation, Histogram>::new_with_constructor(|| Histogram::new(DURATION_BUCKETS.iter().copied()));
        registry.register_with_unit(
            "mcp_server_operation_duration",
            "MCP requests handled, by method, tool and error type (empty when it succeeded)",
            Unit::Seconds,
            operations.clone(),
        );
        let auth_failures = Family::<AuthFailure, Counter>::default();
        registry.register("mcp_v8_auth_failures", "Requests refused by bearer auth, by reason", auth_failures.clone());
        registry.register_collector(Box::new(EngineCollector(engine.clone())));
        registry.register_collector(Box::new(UpstreamCollector(upstreams.clone())));
        registry.register_collector(Box::new(SpanCollector));
        Self {
            registry,
            operations,
            auth_failures,
            requests: mcp_v8_runtime::metrics::Histogram::new(&DURATION_BUCKETS),
            failed_requests: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// Records one MCP request. `tool` must be a name the server lists (or
    /// `None`); `error_type` is the JSON-RPC code or `tool_error`.
    pub fn operation(&self, method: &'static str, tool: Option<&str>, error_type: Option<&str>, seconds: f64) {
        let labels = Operation {
            mcp_method_name: method,
            gen_ai_tool_name: tool.unwrap_or("").to_owned(),
            error_type: error_type.unwrap_or("").to_owned(),
        };
        self.operations.get_or_create(&labels).observe(seconds);
        self.requests.observe(seconds);
        if error_type.is_some() {
            self.failed_requests.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    }

    /// Records one REST request (for `/dashboard`; REST has no MCP method).
    pub fn rest_request(&self, seconds: f64, failed: bool) {
        self.requests.observe(seconds);
        if failed {
            self.failed_requests.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    }

    pub fn auth_failure(&self, reason: &'static str) {
        self.auth_failures.get_or_create(&AuthFailure { reason }).inc();
    }

    /// The exposition, in Prometheus' text format (version 0.0.4).
    pub fn render(&self) -> String {
        let mut out = String::new();
        if let Err(error) = prometheus_client::encoding::prometheus_text::encode(&mut out, &self.registry) {
            tracing::error!(%error, "cannot encode the metrics");
        }
        out
    }
}

/// What became of the spans ended so far (all zero with traces off).
#[derive(Debug)]
struct SpanCollector;

impl Collector for SpanCollector {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        use std::sync::atomic::Ordering::Relaxed;
        let spans = &super::export::SPANS;
        let mut family = encoder.encode_descriptor(
            "mcp_v8_trace_spans",
            "Spans ended, by outcome: exported, dropped (the export queue was full) or failed (the export failed)",
            None,
            MetricType::Counter,
        )?;
        for (outcome, count) in [("exported", &spans.exported), ("dropped", &spans.dropped), ("failed", &spans.failed)]
        {
            counter(&mut family, &[("outcome", outcome)], count.load(Relaxed))?;
        }
        Ok(())
    }
}

/// Reads the runtime's counters and gauges at each scrape.
struct EngineCollector(Arc<Engine>);

impl std::fmt::Debug for EngineCollector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EngineCollector")
    }
}

fn histogram(encoder: &mut MetricEncoder<'_>, view: &HistogramView) -> Result<(), std::fmt::Error> {
    encoder.encode_histogram::<NoLabelSet>(view.sum, view.count, &view.buckets, None)
}

fn gauge(encoder: &mut DescriptorEncoder<'_>, name: &str, help: &str, value: i64) -> Result<(), std::fmt::Error> {
    encoder.encode_descriptor(name, help, None, MetricType::Gauge)?.encode_gauge(&value)
}

fn counter(encoder: &mut MetricEncoder<'_>, labels: &impl EncodeLabelSet, value: u64) -> Result<(), std::fmt::Error> {
    encoder.encode_family(labels)?.encode_counter::<NoLabelSet, _, u64>(&value, None)
}

impl Collector for EngineCollector {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let view = self.0.metrics().view();
        let stats = self.0.stats();
        let seconds = Unit::Seconds;
        let bytes = Unit::Bytes;

        let mut family = encoder.encode_descriptor(
            "mcp_v8_executions",
            "Runs finished, by mode and status",
            None,
            MetricType::Counter,
        )?;
        for (mode, status, count) in &view.executions {
            counter(&mut family, &[("mode", mode.name()), ("status", status.as_str())], *count)?;
        }
        let mut family = encoder.encode_descriptor(
            "mcp_v8_run_duration",
            "Runs from submission to their final status, by mode",
            Some(&seconds),
            MetricType::Histogram,
        )?;
        for (mode, histogram_view) in &view.run_seconds {
            histogram(&mut family.encode_family(&[("mode", mode.name())])?, histogram_view)?;
        }
        let mut family = encoder.encode_descriptor(
            "mcp_v8_run_phase_duration",
            "Phases of runs: queue (waiting for a V8 thread), execute, snapshot, store (hash, compress, write, commit)",
            Some(&seconds),
            MetricType::Histogram,
        )?;
        for (phase, histogram_view) in &view.phase_seconds {
            histogram(&mut family.encode_family(&[("phase", phase.name())])?, histogram_view)?;
        }
        let mut family = encoder.encode_descriptor(
            "mcp_v8_policy_decisions",
            "Policy decisions, by capability and decision",
            None,
            MetricType::Counter,
        )?;
        for (capability, allow, count) in &view.decisions {
            counter(
                &mut family,
                &[("capability", capability.name()), ("decision", if *allow { "allow" } else { "deny" })],
                *count,
            )?;
        }
        let mut family = encoder.encode_descriptor(
            "mcp_v8_policy_decision_duration",
            "How long policy decisions took",
            Some(&seconds),
            MetricType::Histogram,
        )?;
        histogram(&mut family, &view.decision_seconds)?;
        let mut family = encoder.encode_descriptor(
            "mcp_v8_snapshot_size",
            "Heaps V8 serialized, by size before compression",
            Some(&bytes),
            MetricType::Histogram,
        )?;
        histogram(&mut family, &view.snapshot_bytes)?;
        encoder
            .encode_descriptor(
                "mcp_v8_heap_stored",
                "Bytes of heaps written to the store (compressed)",
                Some(&bytes),
                MetricType::Counter,
            )?
            .encode_counter::<NoLabelSet, _, u64>(&view.stored_bytes, None)?;
        encoder
            .encode_descriptor("mcp_v8_store_errors", "Heaps that could not be written", None, MetricType::Counter)?
            .encode_counter::<NoLabelSet, _, u64>(&view.store_errors, None)?;
        let mut family = encoder.encode_descriptor(
            "mcp_v8_isolates",
            "Isolates runs took, by source: base (a fresh stateless isolate), recycled (a stateless isolate of the same principal, with a fresh context), new (a new session's), heap (restored from a stored heap), warm",
            None,
            MetricType::Counter,
        )?;
        for (source, count) in &view.isolates {
            counter(&mut family, &[("source", *source)], *count)?;
        }
        gauge(&mut encoder, "mcp_v8_runs_queued", "Runs waiting for a V8 thread", stats.queued as i64)?;
        gauge(&mut encoder, "mcp_v8_runs_running", "Runs on a V8 thread", stats.running as i64)?;
        gauge(&mut encoder, "mcp_v8_v8_threads", "V8 threads (--max-concurrent-executions)", stats.threads as i64)?;
        gauge(&mut encoder, "mcp_v8_warm_sessions", "Sessions whose isolate is kept warm", stats.warm_sessions as i64)?;
        gauge(
            &mut encoder,
            "mcp_v8_session_slots",
            "Sessions held in memory (in use or warm)",
            stats.session_slots as i64,
        )?;
        gauge(&mut encoder, "mcp_v8_execution_records", "Execution records kept", stats.executions as i64)?;
        encoder
            .encode_descriptor(
                "mcp_v8_memory_budget",
                "The memory all runs may use together",
                Some(&bytes),
                MetricType::Gauge,
            )?
            .encode_gauge(&(stats.memory_budget as i64))?;
        Ok(())
    }
}

/// Reads the upstream calls and connection states at each scrape.
struct UpstreamCollector(Arc<Upstreams>);

impl std::fmt::Debug for UpstreamCollector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UpstreamCollector")
    }
}

impl Collector for UpstreamCollector {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let servers = self.0.servers();
        if servers.is_empty() {
            return Ok(());
        }
        let mut family = encoder.encode_descriptor(
            "mcp_v8_upstream_up",
            "1 when the upstream MCP server is connected and ready, 0 while it connects or after it failed",
            None,
            MetricType::Gauge,
        )?;
        for server in &servers {
            let up = i64::from(server.status == "ready");
            family.encode_family(&[("server", server.name.as_str())])?.encode_gauge(&up)?;
        }
        let mut family = encoder.encode_descriptor(
            "mcp_v8_upstream_tools",
            "Tools each upstream server lists",
            None,
            MetricType::Gauge,
        )?;
        for server in &servers {
            family.encode_family(&[("server", server.name.as_str())])?.encode_gauge(&(server.tools as i64))?;
        }
        let calls = self.0.call_stats();
        let mut family = encoder.encode_descriptor(
            "mcp_v8_upstream_calls",
            "Tool calls to upstream servers (mcp.callTool and exposed tools), by server, tool and result (ok, tool_error, error)",
            None,
            MetricType::Counter,
        )?;
        for call in &calls {
            let labels =
                [("server", call.server.as_str()), ("tool", call.tool.as_str()), ("result", call.result.name())];
            counter(&mut family, &labels, call.duration.count)?;
        }
        let seconds = Unit::Seconds;
        let mut family = encoder.encode_descriptor(
            "mcp_v8_upstream_call_duration",
            "Tool calls to upstream servers, by server, tool and result",
            Some(&seconds),
            MetricType::Histogram,
        )?;
        for call in &calls {
            let labels =
                [("server", call.server.as_str()), ("tool", call.tool.as_str()), ("result", call.result.name())];
            histogram(&mut family.encode_family(&labels)?, &call.duration)?;
        }
        Ok(())
    }
}
