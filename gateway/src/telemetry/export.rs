//! What becomes of the spans on their way to the collector: exported,
//! dropped because the export queue was full (a slow or unreachable
//! collector), or lost with an export that failed. `/metrics` reads the
//! counts ([`SPANS`]) as `mcp_v8_trace_spans_total{outcome}`.
//!
//! The SDK's batch processor drops spans past its queue but keeps the count
//! to itself, so the queue is bounded here, in front of it: [`Bounded`]
//! admits a span only while fewer than the queue's size are waiting (in the
//! SDK's channel or in the batch being exported), and [`Counted`] releases
//! them as their batch is handed to the exporter.
//!
//! **Invariant:** with the SDK's queue as large as ours, the SDK never drops
//! a span itself, so every ended span is counted exactly once: exported,
//! failed, dropped, or still waiting.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use opentelemetry::Context;
use opentelemetry_sdk::error::OTelSdkResult;
use opentelemetry_sdk::trace::{BatchSpanProcessor, Span, SpanData, SpanExporter, SpanProcessor};

/// The spans ended in this process, by what became of them.
#[derive(Debug, Default)]
pub struct SpanCounts {
    pub exported: AtomicU64,
    pub dropped: AtomicU64,
    pub failed: AtomicU64,
}

pub static SPANS: SpanCounts =
    SpanCounts { exported: AtomicU64::new(0), dropped: AtomicU64::new(0), failed: AtomicU64::new(0) };

/// The SDK's default queue size (`OTEL_BSP_MAX_QUEUE_SIZE` changes it).
const DEFAULT_QUEUE: usize = 2048;

/// A batch processor over `exporter` whose queue drops are counted.
pub(super) fn processor<E: SpanExporter + 'static>(exporter: E) -> Bounded {
    let max = std::env::var("OTEL_BSP_MAX_QUEUE_SIZE")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or(DEFAULT_QUEUE);
    let waiting = Arc::new(AtomicUsize::new(0));
    let config = opentelemetry_sdk::trace::BatchConfigBuilder::default().with_max_queue_size(max).build();
    let inner = BatchSpanProcessor::builder(Counted { inner: exporter, waiting: waiting.clone() })
        .with_batch_config(config)
        .build();
    Bounded { inner, waiting, max }
}

/// Admits a span to the batch processor only while its queue has room.
#[derive(Debug)]
pub(super) struct Bounded {
    inner: BatchSpanProcessor,
    waiting: Arc<AtomicUsize>,
    max: usize,
}

impl SpanProcessor for Bounded {
    fn on_start(&self, span: &mut Span, cx: &Context) {
        self.inner.on_start(span, cx);
    }

    fn on_end(&self, span: SpanData) {
        if self.waiting.fetch_add(1, Ordering::AcqRel) >= self.max {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            SPANS.dropped.fetch_add(1, Ordering::Relaxed);
            return;
        }
        self.inner.on_end(span);
    }

    fn force_flush(&self) -> OTelSdkResult {
        self.inner.force_flush()
    }

    fn shutdown_with_timeout(&self, timeout: Duration) -> OTelSdkResult {
        self.inner.shutdown_with_timeout(timeout)
    }

    fn set_resource(&mut self, resource: &opentelemetry_sdk::Resource) {
        self.inner.set_resource(resource);
    }
}

/// The exporter, counting each batch's spans by the export's result.
#[derive(Debug)]
struct Counted<E> {
    inner: E,
    waiting: Arc<AtomicUsize>,
}

impl<E: SpanExporter> SpanExporter for Counted<E> {
    fn export(&self, batch: Vec<SpanData>) -> impl Future<Output = OTelSdkResult> + Send {
        let spans = batch.len();
        self.waiting.fetch_sub(spans, Ordering::AcqRel);
        let exported = self.inner.export(batch);
        async move {
            let result = exported.await;
            let outcome = if result.is_ok() { &SPANS.exported } else { &SPANS.failed };
            outcome.fetch_add(spans as u64, Ordering::Relaxed);
            result
        }
    }

    fn shutdown_with_timeout(&self, timeout: Duration) -> OTelSdkResult {
        self.inner.shutdown_with_timeout(timeout)
    }

    fn force_flush(&self) -> OTelSdkResult {
        self.inner.force_flush()
    }

    fn set_resource(&mut self, resource: &opentelemetry_sdk::Resource) {
        self.inner.set_resource(resource);
    }
}
