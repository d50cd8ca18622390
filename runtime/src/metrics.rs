//! What the runtime counts for operators: plain atomics, bumped on the run's
//! path and read by whoever exports them (the gateway's `/metrics`).
//!
//! The runtime knows no metrics library: it keeps counters and fixed-bucket
//! histograms here, and the gateway encodes a [`MetricsView`] when it is
//! scraped. Recording is a few relaxed atomic adds.
//!
//! **Invariant:** every label is bounded (mode, status, phase, capability,
//! decision): never a session, execution or principal.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::capability::{Capability, Decider, Decision};
use crate::engine::ExecutionStatus;

/// Bucket bounds in seconds: those the OpenTelemetry semantic conventions
/// give for `mcp.server.operation.duration`, used for every duration here.
pub const DURATION_BUCKETS: [f64; 14] =
    [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0];

/// Bucket bounds for heap sizes in bytes (64 KB to 1 GB).
pub const BYTES_BUCKETS: [f64; 9] =
    [65536.0, 262144.0, 1048576.0, 4194304.0, 16777216.0, 67108864.0, 268435456.0, 536870912.0, 1073741824.0];

/// How a run was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Stateless,
    /// In a session (its heap chained run after run).
    Session,
    /// From a heap, or a new one, outside any session.
    Heap,
}

impl Mode {
    pub const ALL: [Mode; 3] = [Mode::Stateless, Mode::Session, Mode::Heap];

    pub fn name(self) -> &'static str {
        match self {
            Mode::Stateless => "stateless",
            Mode::Session => "session",
            Mode::Heap => "heap",
        }
    }
}

/// The final statuses a run is counted under.
pub const FINAL_STATUSES: [ExecutionStatus; 4] =
    [ExecutionStatus::Completed, ExecutionStatus::Failed, ExecutionStatus::TimedOut, ExecutionStatus::Cancelled];

/// The phases of a run whose duration is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// From submission to a V8 thread taking the run (session lock,
    /// principal and process permits, memory).
    Queue,
    /// The script, to its completion value and an idle event loop.
    Execute,
    /// V8 serializing the heap.
    Snapshot,
    /// Hashing, compressing and writing a heap, and its metadata commit.
    Store,
}

impl Phase {
    pub const ALL: [Phase; 4] = [Phase::Queue, Phase::Execute, Phase::Snapshot, Phase::Store];

    pub fn name(self) -> &'static str {
        match self {
            Phase::Queue => "queue",
            Phase::Execute => "execute",
            Phase::Snapshot => "snapshot",
            Phase::Store => "store",
        }
    }
}

/// A histogram over fixed bounds: counts per bucket (not cumulative), the
/// sum in the unit's millionths.
pub struct Histogram {
    bounds: &'static [f64],
    counts: Box<[AtomicU64]>,
    sum_micros: AtomicU64,
}

/// A histogram as read: cumulative buckets, as Prometheus wants them.
#[derive(Debug, Clone, PartialEq)]
pub struct HistogramView {
    pub sum: f64,
    pub count: u64,
    /// `(upper bound, observations at or below it)`, the last bound `+Inf`.
    pub buckets: Vec<(f64, u64)>,
}

impl Histogram {
    pub fn new(bounds: &'static [f64]) -> Self {
        Self { bounds, counts: (0..=bounds.len()).map(|_| AtomicU64::new(0)).collect(), sum_micros: AtomicU64::new(0) }
    }

    pub fn observe(&self, value: f64) {
        let index = self.bounds.partition_point(|bound| *bound < value);
        self.counts[index].fetch_add(1, Ordering::Relaxed);
        self.sum_micros.fetch_add((value * 1e6) as u64, Ordering::Relaxed);
    }

    pub fn observe_duration(&self, duration: Duration) {
        self.observe(duration.as_secs_f64());
    }

    pub fn view(&self) -> HistogramView {
        let mut total = 0;
        let mut buckets = Vec::with_capacity(self.counts.len());
        for (index, count) in self.counts.iter().enumerate() {
            total += count.load(Ordering::Relaxed);
            buckets.push((self.bounds.get(index).copied().unwrap_or(f64::INFINITY), total));
        }
        HistogramView { sum: self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6, count: total, buckets }
    }
}

/// The runtime's counters, one set per engine.
pub struct Metrics {
    /// By mode, then final status.
    executions: [[AtomicU64; FINAL_STATUSES.len()]; Mode::ALL.len()],
    /// Whole runs, submission to final status, by mode.
    run_seconds: [Histogram; Mode::ALL.len()],
    phase_seconds: [Histogram; Phase::ALL.len()],
    /// By capability, then denied (0) / allowed (1).
    decisions: [[AtomicU64; 2]; Capability::ALL.len()],
    decision_seconds: Histogram,
    /// Heaps V8 serialized, by their size before compression.
    snapshot_bytes: Histogram,
    stored_bytes: AtomicU64,
    store_errors: AtomicU64,
    /// Isolates runs took, by where they came from ([`ISOLATE_SOURCES`]).
    isolates: [AtomicU64; ISOLATE_SOURCES.len()],
    /// The latest denials, newest last (at most [`DENIALS_KEPT`]).
    denials: parking_lot::Mutex<std::collections::VecDeque<Denial>>,
}

/// Where a run's isolate came from, as the run's span and the
/// `mcp_v8_isolates_total` counter name it: a fresh stateless isolate from
/// the base, a stateless isolate recycled for its principal (a fresh
/// context), a new session's, a session's restored from its heap, a warm
/// session's.
pub const ISOLATE_SOURCES: [&str; 5] = ["base", "recycled", "new", "heap", "warm"];

/// How many denials [`Metrics::denials`] keeps.
pub const DENIALS_KEPT: usize = 50;

/// A denial as an operator's page lists it: what was denied and why, not
/// the operation itself or who asked (those are in the decision's span).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Denial {
    /// Milliseconds since the Unix epoch.
    pub at_ms: u64,
    pub capability: &'static str,
    pub rule: Option<String>,
    pub reason: Option<String>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self {
            executions: Default::default(),
            run_seconds: std::array::from_fn(|_| Histogram::new(&DURATION_BUCKETS)),
            phase_seconds: std::array::from_fn(|_| Histogram::new(&DURATION_BUCKETS)),
            decisions: Default::default(),
            decision_seconds: Histogram::new(&DECISION_BUCKETS),
            snapshot_bytes: Histogram::new(&BYTES_BUCKETS),
            stored_bytes: AtomicU64::new(0),
            store_errors: AtomicU64::new(0),
            isolates: Default::default(),
            denials: parking_lot::Mutex::default(),
        }
    }
}

/// Bucket bounds for policy decisions, in seconds (10 µs to 100 ms).
pub const DECISION_BUCKETS: [f64; 9] = [0.00001, 0.00002, 0.00005, 0.0001, 0.0002, 0.0005, 0.001, 0.01, 0.1];

fn status_index(status: ExecutionStatus) -> Option<usize> {
    FINAL_STATUSES.iter().position(|s| *s == status)
}

fn mode_index(mode: Mode) -> usize {
    Mode::ALL.iter().position(|m| *m == mode).unwrap_or(0)
}

fn capability_index(capability: Capability) -> usize {
    Capability::ALL.iter().position(|c| *c == capability).unwrap_or(0)
}

impl Metrics {
    pub fn run_finished(&self, mode: Mode, status: ExecutionStatus, duration: Duration) {
        if let Some(index) = status_index(status) {
            self.executions[mode_index(mode)][index].fetch_add(1, Ordering::Relaxed);
        }
        self.run_seconds[mode_index(mode)].observe_duration(duration);
    }

    pub fn phase(&self, phase: Phase, duration: Duration) {
        let index = Phase::ALL.iter().position(|p| *p == phase).unwrap_or(0);
        self.phase_seconds[index].observe_duration(duration);
    }

    pub fn decision(&self, capability: Capability, allow: bool, duration: Duration) {
        self.decisions[capability_index(capability)][usize::from(allow)].fetch_add(1, Ordering::Relaxed);
        self.decision_seconds.observe_duration(duration);
    }

    fn denied(&self, capability: Capability, decision: &Decision) {
        let at_ms =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64);
        let mut denials = self.denials.lock();
        if denials.len() == DENIALS_KEPT {
            denials.pop_front();
        }
        denials.push_back(Denial {
            at_ms,
            capability: capability.name(),
            rule: decision.rule.clone(),
            reason: decision.reason.clone(),
        });
    }

    /// The latest denials, newest first.
    pub fn denials(&self) -> Vec<Denial> {
        self.denials.lock().iter().rev().cloned().collect()
    }

    pub fn snapshot(&self, bytes: usize) {
        self.snapshot_bytes.observe(bytes as f64);
    }

    pub fn stored(&self, bytes: usize) {
        self.stored_bytes.fetch_add(bytes as u64, Ordering::Relaxed);
    }

    pub fn store_error(&self) {
        self.store_errors.fetch_add(1, Ordering::Relaxed);
    }

    /// A run took an isolate from `source` (one of [`ISOLATE_SOURCES`]).
    pub fn isolate(&self, source: &str) {
        if let Some(index) = ISOLATE_SOURCES.iter().position(|s| *s == source) {
            self.isolates[index].fetch_add(1, Ordering::Relaxed);
        }
    }

    pub fn view(&self) -> MetricsView {
        let mut executions = Vec::new();
        for (m, mode) in Mode::ALL.iter().enumerate() {
            for (s, status) in FINAL_STATUSES.iter().enumerate() {
                executions.push((*mode, *status, self.executions[m][s].load(Ordering::Relaxed)));
            }
        }
        let mut decisions = Vec::new();
        for (c, capability) in Capability::ALL.iter().enumerate() {
            for allow in [false, true] {
                decisions.push((*capability, allow, self.decisions[c][usize::from(allow)].load(Ordering::Relaxed)));
            }
        }
        MetricsView {
            executions,
            run_seconds: Mode::ALL.iter().zip(&self.run_seconds).map(|(m, h)| (*m, h.view())).collect(),
            phase_seconds: Phase::ALL.iter().zip(&self.phase_seconds).map(|(p, h)| (*p, h.view())).collect(),
            decisions,
            decision_seconds: self.decision_seconds.view(),
            snapshot_bytes: self.snapshot_bytes.view(),
            stored_bytes: self.stored_bytes.load(Ordering::Relaxed),
            store_errors: self.store_errors.load(Ordering::Relaxed),
            isolates: ISOLATE_SOURCES
                .iter()
                .zip(&self.isolates)
                .map(|(s, n)| (*s, n.load(Ordering::Relaxed)))
                .collect(),
        }
    }
}

/// A decider that counts what the one it wraps decides: the engine wraps
/// the gateway's, so every decision (a run's ops, the gateway's exposed
/// upstream tools) is counted once.
pub(crate) struct Counted {
    pub inner: Arc<dyn Decider>,
    pub metrics: Arc<Metrics>,
    /// `--trace-policy-input`: the input goes into the decision's span.
    pub trace_input: bool,
}

#[async_trait::async_trait]
impl Decider for Counted {
    async fn decide(&self, capability: Capability, input: &serde_json::Value) -> Decision {
        let decision = self.inner.decide(capability, input).await;
        // The decider's own measure (a clock read is a good part of a
        // cheap decision's cost).
        self.metrics.decision(capability, decision.allow, decision.duration);
        if !decision.allow {
            self.metrics.denied(capability, &decision);
        }
        if self.trace_input {
            // The span of `context::decide`, when the decision is traced.
            let span = tracing::Span::current();
            if !span.is_disabled() {
                span.record("policy.input", crate::context::redacted(input).to_string());
            }
        }
        decision
    }

    fn configured(&self, capability: Capability) -> bool {
        self.inner.configured(capability)
    }
}

/// The counters as read at one moment, with the engine's gauges.
#[derive(Debug, Clone)]
pub struct MetricsView {
    pub executions: Vec<(Mode, ExecutionStatus, u64)>,
    pub run_seconds: Vec<(Mode, HistogramView)>,
    pub phase_seconds: Vec<(Phase, HistogramView)>,
    pub decisions: Vec<(Capability, bool, u64)>,
    pub decision_seconds: HistogramView,
    pub snapshot_bytes: HistogramView,
    pub stored_bytes: u64,
    pub store_errors: u64,
    pub isolates: Vec<(&'static str, u64)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_histogram_reads_cumulative_with_the_sum() {
        let histogram = Histogram::new(&DURATION_BUCKETS);
        histogram.observe(0.005);
        histogram.observe(0.01);
        histogram.observe(0.5);
        histogram.observe(1000.0);
        let view = histogram.view();
        assert_eq!(view.count, 4);
        assert!((view.sum - 1000.515).abs() < 1e-6, "{}", view.sum);
        assert_eq!(view.buckets[0], (0.01, 2), "a value on a bound is in its bucket");
        assert_eq!(view.buckets[5], (0.5, 3));
        assert_eq!(*view.buckets.last().unwrap(), (f64::INFINITY, 4));
    }
}
