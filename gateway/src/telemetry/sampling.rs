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
//! **Invariant:** the configured sampler decides once per request, here; a
//! kept request's spans are all exported, a dropped one's never made.

use std::sync::OnceLock;

use opentelemetry::Context;
use opentelemetry::trace::{SpanKind, TraceContextExt};
use opentelemetry_sdk::trace::{IdGenerator, RandomIdGenerator, SamplingDecision, ShouldSample};

/// The configured sampler, set when traces are exported.
static SAMPLER: OnceLock<Box<dyn ShouldSample>> = OnceLock::new();

/// Takes the sampler the `OTEL_TRACES_SAMPLER*` variables configure (the
/// SDK warns about a value it does not know and falls back to its default).
pub(super) fn install() {
    let _ = SAMPLER.set(opentelemetry_sdk::trace::Config::default().sampler);
}

/// Whether traces are exported at all.
pub fn enabled() -> bool {
    SAMPLER.get().is_some()
}

/// Whether the SERVER span `name` of a request whose trace context is
/// `parent` (empty for a new trace) is kept. A new trace is decided on a
/// trace id drawn here: the ratio samplers read the decision off the id,
/// and what is kept is then sampled whatever id the SDK gives it.
pub fn keeps(parent: &Context, name: &str) -> bool {
    let Some(sampler) = SAMPLER.get() else { return false };
    let span = parent.span();
    let remote = span.span_context();
    let trace_id = if remote.is_valid() { remote.trace_id() } else { RandomIdGenerator::default().new_trace_id() };
    let result = sampler.should_sample(Some(parent), trace_id, name, &SpanKind::Server, &[], &[]);
    matches!(result.decision, SamplingDecision::RecordAndSample)
}
