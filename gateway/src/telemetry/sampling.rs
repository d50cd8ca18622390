//! Head sampling: whether a request is traced is decided before any span is
//! made for it, by the sampler the operator configured (`OTEL_TRACES_SAMPLER`
//! and `_ARG`, read as the SDK reads them; default `parentbased_always_on`).
//! A request that is not sampled costs the decision only: no span of its
//! own, and none below it.
//!
//! The SDK's own sampler is `AlwaysOn`: a span reaches it only when it is a
//! request's span this module kept, or opened under one (the runtime opens
//! its spans only under a traced span).
//!
//! A new trace gets the trace id it was sampled on ([`SampledIds`]): a ratio
//! sampler reads its decision off the id, and one downstream (an upstream
//! MCP server's, say) then decides as this one did.
//!
//! **Invariant:** the configured sampler decides once per request, here; a
//! kept request's spans are all exported, a dropped one's never made.

use std::cell::Cell;
use std::sync::OnceLock;

use opentelemetry::Context;
use opentelemetry::trace::{SpanId, SpanKind, TraceContextExt, TraceId};
use opentelemetry_sdk::trace::{IdGenerator, RandomIdGenerator, SamplingDecision, ShouldSample};
use tracing_opentelemetry::OpenTelemetrySpanExt;

/// The configured sampler, set when traces are exported.
static SAMPLER: OnceLock<Box<dyn ShouldSample>> = OnceLock::new();

/// Takes the sampler the `OTEL_TRACES_SAMPLER*` variables configure (the
/// SDK warns about a value it does not know and falls back to its default).
pub(super) fn install() {
    let _ = SAMPLER.set(opentelemetry_sdk::trace::Config::default().sampler);
}

/// The trace context of a request to trace, or `None` when traces are off
/// or the sampler drops it. `parent` (the client's context, empty for a new
/// trace) is read only when traces are on. A new trace is decided on a
/// trace id drawn here, which its span then gets ([`start`]).
pub fn kept(parent: impl FnOnce() -> Context, name: &str) -> Option<Context> {
    let sampler = SAMPLER.get()?;
    let parent = parent();
    let span = parent.span();
    let remote = span.span_context();
    let new = !remote.is_valid();
    let trace_id = if new { RandomIdGenerator::default().new_trace_id() } else { remote.trace_id() };
    let result = sampler.should_sample(Some(&parent), trace_id, name, &SpanKind::Server, &[], &[]);
    if !matches!(result.decision, SamplingDecision::RecordAndSample) {
        return None;
    }
    if new {
        DRAWN.set(Some(trace_id));
    }
    Some(parent)
}

/// Starts a request's span, just made for what [`kept`] kept, under
/// `parent`: now, on this thread, so that a new trace takes the id it was
/// sampled on. The id is not left for another span, whatever happens.
pub fn start(span: &tracing::Span, parent: Context) {
    if !span.is_disabled() {
        let _ = span.set_parent(parent);
        let _ = span.context();
    }
    DRAWN.set(None);
}

thread_local! {
    /// The id a new trace was sampled on, for its span about to start here.
    static DRAWN: Cell<Option<TraceId>> = const { Cell::new(None) };
}

/// The SDK's ids: a new trace's is the one [`kept`] sampled it on, when
/// its span starts on the thread that decided (it does: [`start`]).
#[derive(Debug, Default)]
pub(super) struct SampledIds(RandomIdGenerator);

impl IdGenerator for SampledIds {
    fn new_trace_id(&self) -> TraceId {
        DRAWN.take().unwrap_or_else(|| self.0.new_trace_id())
    }

    fn new_span_id(&self) -> SpanId {
        self.0.new_span_id()
    }
}
