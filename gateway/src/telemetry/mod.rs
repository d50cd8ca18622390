//! Logs, traces and metrics: what an operator sees of the gateway.
//!
//! - Logs go to stderr (stdout is the JSON-RPC stream over stdio), as text
//!   or JSON lines, filtered by `MCP_V8_LOG`.
//! - Spans (every MCP request, a run's phases, each policy decision: the
//!   runtime's have the target [`mcp_v8_runtime::SPAN_TARGET`]) are
//!   exported over OTLP only when an endpoint is configured; otherwise no
//!   layer wants them and opening one costs next to nothing.
//! - Metrics ([`metrics`]) are kept always and served as Prometheus text at
//!   `/metrics`.
//!
//! **Invariants:** spans never reach the log lines (their attributes are for
//! the tracing backend); an unreachable collector never slows or fails a
//! call (spans wait in the batch processor's bounded queue, and past it are
//! dropped and counted: [`export`]).

pub mod dashboard;
mod export;
pub mod metrics;
pub mod otlp_metrics;
pub mod request;
pub mod sampling;

use std::time::Duration;

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::WithExportConfig;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

use crate::config::OtlpProtocolArg;
use crate::error::GatewayError;

pub use metrics::Metrics;

/// The checked telemetry settings.
#[derive(Debug, Clone, Default)]
pub struct TelemetryConfig {
    /// `--log-format json`.
    pub json_logs: bool,
    /// `Some` when traces are exported.
    pub otlp: Option<OtlpConfig>,
    /// `--metrics-port`: the operator routes' own listener.
    pub metrics_bind: Option<std::net::SocketAddr>,
    /// `Some` when metrics are pushed over OTLP too.
    pub otlp_metrics: Option<otlp_metrics::MetricsExport>,
}

/// Where traces go; what is not set here comes from the `OTEL_*` variables.
#[derive(Debug, Clone)]
pub struct OtlpConfig {
    pub endpoint: Option<String>,
    pub protocol: Option<OtlpProtocolArg>,
}

/// Keeps the trace pipeline; dropping it exports what is still queued.
pub struct Telemetry {
    provider: Option<SdkTracerProvider>,
}

impl Drop for Telemetry {
    fn drop(&mut self) {
        if let Some(provider) = self.provider.take()
            && let Err(error) = provider.shutdown_with_timeout(Duration::from_secs(5))
        {
            eprintln!("mcp-v8: traces still queued could not be exported: {error}");
        }
    }
}

/// Which log lines are written: `MCP_V8_LOG`, without the spans.
fn log_filter() -> EnvFilter {
    let filter = EnvFilter::try_from_env("MCP_V8_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    // Spans are for the tracing backend: a log line would repeat them, and
    // with traces off no one wants them, so opening one costs nothing.
    [mcp_v8_runtime::SPAN_TARGET, request::SPAN_TARGET].into_iter().fold(filter, |filter, target| {
        filter.add_directive(format!("{target}=off").parse().expect("a valid directive"))
    })
}

/// Installs the process's logging and, when configured, trace export.
/// Call once, inside the tokio runtime (the gRPC exporter needs it).
pub fn init(config: &TelemetryConfig) -> Result<Telemetry, GatewayError> {
    let provider = config.otlp.as_ref().map(provider).transpose()?;
    let traced = provider.is_some();
    let logs = tracing_subscriber::fmt::layer().with_writer(std::io::stderr).with_ansi(false);
    let logs = match (config.json_logs, traced) {
        (false, false) => logs.boxed(),
        (false, true) => logs.event_format(WithTraceIds(tracing_subscriber::fmt::format())).boxed(),
        (true, false) => logs.json().with_current_span(false).boxed(),
        (true, true) => logs
            .fmt_fields(tracing_subscriber::fmt::format::JsonFields::new())
            .event_format(WithTraceIds(tracing_subscriber::fmt::format().json().with_current_span(false)))
            .boxed(),
    };
    let traces = provider.as_ref().map(|provider| {
        let tracer = provider.tracer("mcp-v8");
        opentelemetry::global::set_text_map_propagator(opentelemetry_sdk::propagation::TraceContextPropagator::new());
        tracing_opentelemetry::layer()
            .with_tracer(tracer)
            // None of these is in the semantic conventions, and each costs on every span.
            .with_location(false)
            .with_threads(false)
            .with_target(false)
            .with_tracked_inactivity(false)
            // Nothing reads OpenTelemetry's current context (the ids are read off the tracing span):
            // attaching it on every enter of a span (every poll of an instrumented future) is waste.
            .with_context_activation(false)
            .with_filter(trace_filter())
    });
    tracing_subscriber::registry()
        .with(logs.with_filter(log_filter()))
        .with(traces)
        .try_init()
        .map_err(|e| GatewayError::Config(format!("cannot install logging: {e}")))?;
    Ok(Telemetry { provider })
}

/// What is traced: the gateway's and the runtime's spans, at info.
fn trace_filter() -> tracing_subscriber::filter::Targets {
    tracing_subscriber::filter::Targets::new()
        .with_target(mcp_v8_runtime::SPAN_TARGET, tracing::Level::INFO)
        .with_target(request::SPAN_TARGET, tracing::Level::INFO)
}

fn provider(otlp: &OtlpConfig) -> Result<SdkTracerProvider, GatewayError> {
    // The exporter's HTTP client speaks TLS to an https:// collector.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let failed = |e: opentelemetry_otlp::ExporterBuildError| {
        GatewayError::Config(format!("cannot export traces over OTLP: {e}"))
    };
    let builder = opentelemetry_otlp::SpanExporter::builder();
    let exporter = match (otlp.protocol, &otlp.endpoint) {
        (None, None) => builder.build().map_err(failed)?,
        (Some(OtlpProtocolArg::Grpc), endpoint) => {
            let builder = builder.with_tonic().with_protocol(opentelemetry_otlp::Protocol::Grpc);
            match endpoint {
                Some(endpoint) => builder.with_endpoint(endpoint).build(),
                None => builder.build(),
            }
            .map_err(failed)?
        }
        (protocol, endpoint) => {
            // HTTP unless the variables say gRPC.
            let grpc =
                protocol.is_none() && std::env::var("OTEL_EXPORTER_OTLP_PROTOCOL").is_ok_and(|p| p.trim() == "grpc");
            match (grpc, endpoint) {
                (true, Some(endpoint)) => builder.with_tonic().with_endpoint(endpoint).build(),
                (true, None) => builder.with_tonic().build(),
                (false, Some(endpoint)) => builder
                    .with_http()
                    .with_protocol(opentelemetry_otlp::Protocol::HttpBinary)
                    .with_endpoint(format!("{}/v1/traces", endpoint.trim_end_matches('/')))
                    .build(),
                (false, None) => builder.with_http().with_protocol(opentelemetry_otlp::Protocol::HttpBinary).build(),
            }
            .map_err(failed)?
        }
    };
    // Requests are sampled before their spans are made (`sampling`): what
    // reaches the SDK is kept.
    sampling::install();
    Ok(SdkTracerProvider::builder()
        .with_sampler(opentelemetry_sdk::trace::Sampler::AlwaysOn)
        .with_id_generator(sampling::SampledIds::default())
        .with_span_processor(export::processor(exporter))
        .with_resource(resource())
        .build())
}

/// The process as the telemetry names it: `service.name` (`mcp-v8` unless
/// `OTEL_SERVICE_NAME` or `OTEL_RESOURCE_ATTRIBUTES` name it),
/// `service.version`, and the variables' other attributes.
pub(crate) fn resource() -> opentelemetry_sdk::Resource {
    let mut resource = opentelemetry_sdk::Resource::builder();
    let named = std::env::var("OTEL_SERVICE_NAME").is_ok()
        || std::env::var("OTEL_RESOURCE_ATTRIBUTES")
            .is_ok_and(|a| a.split(',').any(|kv| kv.trim_start().starts_with("service.name=")));
    if !named {
        resource = resource.with_service_name("mcp-v8");
    }
    resource.with_attribute(opentelemetry::KeyValue::new("service.version", env!("CARGO_PKG_VERSION"))).build()
}

/// A log line written inside a traced span starts with the span's trace
/// and span ids (`trace_id=... span_id=...`, or the first two keys of a
/// JSON line), so a log shipper can join it to its trace.
struct WithTraceIds<F>(F);

impl<S, N, F> tracing_subscriber::fmt::FormatEvent<S, N> for WithTraceIds<F>
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
    N: for<'a> tracing_subscriber::fmt::FormatFields<'a> + 'static,
    F: tracing_subscriber::fmt::FormatEvent<S, N>,
{
    fn format_event(
        &self,
        ctx: &tracing_subscriber::fmt::FmtContext<'_, S, N>,
        mut writer: tracing_subscriber::fmt::format::Writer<'_>,
        event: &tracing::Event<'_>,
    ) -> std::fmt::Result {
        use opentelemetry::trace::TraceContextExt;
        use tracing_opentelemetry::OpenTelemetrySpanExt;
        let current = tracing::Span::current();
        let ids = (!current.is_disabled()).then(|| current.context().span().span_context().clone());
        let Some(ids) = ids.filter(|ids| ids.is_valid()) else { return self.0.format_event(ctx, writer, event) };
        let mut line = String::new();
        self.0.format_event(ctx, tracing_subscriber::fmt::format::Writer::new(&mut line), event)?;
        let (trace, span) = (ids.trace_id(), ids.span_id());
        match line.strip_prefix('{') {
            Some(rest) => write!(writer, "{{\"trace_id\":\"{trace}\",\"span_id\":\"{span}\",{rest}"),
            None => write!(writer, "trace_id={trace} span_id={span} {line}"),
        }
    }
}
