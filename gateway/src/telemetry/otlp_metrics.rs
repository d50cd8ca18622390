//! The metrics of `/metrics`, pushed over OTLP as well: every
//! `OTEL_METRIC_EXPORT_INTERVAL` (60 s by default), and once more when the
//! server stops, to the collector the traces go to (or
//! `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT`), over HTTP/protobuf or gRPC.
//!
//! One source of truth: the samples are those of the Prometheus exposition
//! ([`super::Metrics::render`]), converted here into OTLP data points with
//! cumulative temporality (counters become monotonic sums, gauges gauges,
//! histograms explicit-bucket histograms). The names are the exposition's
//! without the `_total` suffix and with their unit as the OTLP unit
//! (`mcp_v8_run_duration_seconds` is `mcp_v8_run_duration`, unit `s`), so a
//! collector's Prometheus exporter gives back the same names;
//! `mcp_server_operation_duration_seconds` is the semantic conventions'
//! `mcp.server.operation.duration` with their attribute names.
//!
//! Not the SDK's metrics pipeline: it would need every instrument twice
//! (its own and the exposition's), and the runtime's histograms are
//! counted in the runtime, which knows nothing of OpenTelemetry.
//!
//! **Invariant:** an unreachable collector costs a failed export per
//! interval (with a time limit), logged once until one succeeds; no call
//! waits on it.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
use opentelemetry_proto::tonic::common::v1::{AnyValue, InstrumentationScope, KeyValue, any_value};
use opentelemetry_proto::tonic::metrics::v1::{
    AggregationTemporality, Gauge, Histogram, HistogramDataPoint, Metric, NumberDataPoint, ResourceMetrics,
    ScopeMetrics, Sum, metric, number_data_point,
};
use opentelemetry_proto::tonic::resource::v1::Resource;

use crate::service::Service;

/// Where and how often metrics are pushed.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricsExport {
    /// The full URL for HTTP (`.../v1/metrics`), the collector's for gRPC.
    pub endpoint: String,
    pub grpc: bool,
    pub interval: Duration,
    pub timeout: Duration,
    /// `OTEL_EXPORTER_OTLP_HEADERS` and `_METRICS_HEADERS`.
    pub headers: Vec<(String, String)>,
}

/// The pusher's task; [`Pusher::finish`] pushes once more and stops it.
pub struct Pusher {
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

impl Pusher {
    /// Starts pushing the service's metrics as `export` says, with the
    /// process's resource attributes.
    pub fn start(export: MetricsExport, service: Service) -> Self {
        let resource = super::resource();
        let resource = Resource {
            attributes: resource
                .iter()
                .map(|(key, value)| string_attribute(key.as_str(), &value.to_string()))
                .collect(),
            ..Default::default()
        };
        let (stop, mut stopped) = tokio::sync::oneshot::channel();
        let task = tokio::spawn(async move {
            let started = SystemTime::now();
            let client = Client::new(&export);
            let mut failing = false;
            loop {
                let last = tokio::select! {
                    () = tokio::time::sleep(export.interval) => false,
                    _ = &mut stopped => true,
                };
                let request = ExportMetricsServiceRequest {
                    resource_metrics: vec![ResourceMetrics {
                        resource: Some(resource.clone()),
                        scope_metrics: vec![ScopeMetrics {
                            scope: Some(InstrumentationScope {
                                name: "mcp-v8".into(),
                                version: env!("CARGO_PKG_VERSION").into(),
                                ..Default::default()
                            }),
                            metrics: convert(&service.metrics().render(), started, SystemTime::now()),
                            schema_url: String::new(),
                        }],
                        schema_url: String::new(),
                    }],
                };
                match tokio::time::timeout(export.timeout, client.send(&export, request)).await {
                    Ok(Ok(())) => failing = false,
                    Ok(Err(error)) if !failing => {
                        failing = true;
                        tracing::warn!(%error, endpoint = %export.endpoint, "cannot export metrics over OTLP; will retry");
                    }
                    Err(_) if !failing => {
                        failing = true;
                        tracing::warn!(endpoint = %export.endpoint, "metrics export over OTLP timed out; will retry");
                    }
                    _ => {}
                }
                if last {
                    return;
                }
            }
        });
        Self { stop, task }
    }

    /// Pushes the final figures and stops.
    pub async fn finish(self) {
        let _ = self.stop.send(());
        let _ = tokio::time::timeout(Duration::from_secs(5), self.task).await;
    }
}

enum Client {
    Http(reqwest::Client),
    Grpc(tokio::sync::Mutex<Option<GrpcClient>>),
}

type GrpcClient = opentelemetry_proto::tonic::collector::metrics::v1::metrics_service_client::MetricsServiceClient<
    tonic::transport::Channel,
>;

impl Client {
    fn new(export: &MetricsExport) -> Self {
        if export.grpc { Client::Grpc(tokio::sync::Mutex::new(None)) } else { Client::Http(reqwest::Client::new()) }
    }

    async fn send(&self, export: &MetricsExport, request: ExportMetricsServiceRequest) -> Result<(), String> {
        match self {
            Client::Http(http) => {
                let mut post = http
                    .post(&export.endpoint)
                    .header(reqwest::header::CONTENT_TYPE, "application/x-protobuf")
                    .body(prost::Message::encode_to_vec(&request));
                for (name, value) in &export.headers {
                    post = post.header(name, value);
                }
                let response = post.send().await.map_err(|e| e.to_string())?;
                if !response.status().is_success() {
                    return Err(format!("the collector answered HTTP {}", response.status()));
                }
                Ok(())
            }
            Client::Grpc(client) => {
                let mut client = client.lock().await;
                if client.is_none() {
                    *client = Some(GrpcClient::connect(export.endpoint.clone()).await.map_err(|e| e.to_string())?);
                }
                let mut request = tonic::Request::new(request);
                for (name, value) in &export.headers {
                    if let (Ok(name), Ok(value)) = (
                        name.parse::<tonic::metadata::MetadataKey<_>>(),
                        value.parse::<tonic::metadata::MetadataValue<_>>(),
                    ) {
                        request.metadata_mut().insert(name, value);
                    }
                }
                let sent = client.as_mut().expect("connected above").export(request).await;
                sent.map(|_| ()).map_err(|status| {
                    // Connect again next time.
                    client.take();
                    status.to_string()
                })
            }
        }
    }
}

fn string_attribute(key: &str, value: &str) -> KeyValue {
    KeyValue {
        key: key.to_owned(),
        value: Some(AnyValue { value: Some(any_value::Value::StringValue(value.to_owned())) }),
        ..Default::default()
    }
}

fn nanos(time: SystemTime) -> u64 {
    time.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64)
}

/// One sample line of the exposition: `name{labels} value`.
#[derive(Debug, PartialEq)]
struct Sample {
    name: String,
    labels: Vec<(String, String)>,
    value: f64,
}

/// Parses a sample line; `None` for a line that is not one.
fn sample(line: &str) -> Option<Sample> {
    let end = line.find(['{', ' '])?;
    let name = line[..end].to_owned();
    let mut rest = &line[end..];
    let mut labels = Vec::new();
    if let Some(inner) = rest.strip_prefix('{') {
        let mut chars = inner.char_indices();
        loop {
            let (start, c) = chars.next()?;
            if c == '}' {
                rest = &inner[start + 1..];
                break;
            }
            if c == ',' {
                continue;
            }
            let eq = inner[start..].find('=')? + start;
            let key = inner[start..eq].to_owned();
            // Skip to after the opening quote.
            while chars.next()?.0 < eq + 1 {}
            let mut value = String::new();
            loop {
                match chars.next()?.1 {
                    '"' => break,
                    '\\' => match chars.next()?.1 {
                        'n' => value.push('\n'),
                        other => value.push(other),
                    },
                    other => value.push(other),
                }
            }
            labels.push((key, value));
        }
    }
    let value = match rest.trim() {
        "+Inf" => f64::INFINITY,
        "-Inf" => f64::NEG_INFINITY,
        number => number.parse().ok()?,
    };
    Some(Sample { name, labels, value })
}

/// The OTLP name and unit of an exposition family (a counter's ends in
/// `_total`, which OTLP names leave out).
fn otlp_name(family: &str) -> (String, &'static str) {
    let family = family.strip_suffix("_total").unwrap_or(family);
    let (base, unit) = if let Some(base) = family.strip_suffix("_seconds") {
        (base, "s")
    } else if let Some(base) = family.strip_suffix("_bytes") {
        (base, "By")
    } else {
        (family, "")
    };
    match base {
        "mcp_server_operation_duration" => ("mcp.server.operation.duration".to_owned(), unit),
        _ => (base.to_owned(), unit),
    }
}

/// Attributes of a sample: the semantic conventions' names for the MCP
/// operation metric (an empty `error_type` is no attribute), the labels as
/// they are for the rest.
fn attributes(family: &str, labels: &[(String, String)]) -> Vec<KeyValue> {
    let semconv = family == "mcp_server_operation_duration_seconds";
    labels
        .iter()
        .filter(|(key, value)| key != "le" && !(semconv && value.is_empty()))
        .map(|(key, value)| {
            let key = match (semconv, key.as_str()) {
                (true, "mcp_method_name") => "mcp.method.name",
                (true, "gen_ai_tool_name") => "gen_ai.tool.name",
                (true, "error_type") => "error.type",
                (_, key) => key,
            };
            string_attribute(key, value)
        })
        .collect()
}

/// Converts a Prometheus text exposition into OTLP metrics, cumulative
/// since `start`, observed at `now`.
fn convert(text: &str, start: SystemTime, now: SystemTime) -> Vec<Metric> {
    let (start, now) = (nanos(start), nanos(now));
    let mut kinds = BTreeMap::new();
    let mut descriptions = BTreeMap::new();
    let mut samples: BTreeMap<String, Vec<Sample>> = BTreeMap::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            if let Some((name, kind)) = rest.split_once(' ') {
                kinds.insert(name.to_owned(), kind.to_owned());
            }
        } else if let Some(rest) = line.strip_prefix("# HELP ") {
            if let Some((name, help)) = rest.split_once(' ') {
                descriptions.insert(name.to_owned(), help.to_owned());
            }
        } else if !line.starts_with('#')
            && let Some(sample) = sample(line)
        {
            // The family a sample belongs to: its name, or that less a suffix.
            let family = ["_bucket", "_sum", "_count", "_total"]
                .iter()
                .filter_map(|suffix| sample.name.strip_suffix(suffix))
                .find(|base| kinds.contains_key(*base))
                .unwrap_or(&sample.name)
                .to_owned();
            samples.entry(family).or_default().push(sample);
        }
    }
    let mut metrics = Vec::new();
    for (family, kind) in &kinds {
        let Some(family_samples) = samples.get(family) else { continue };
        let (name, unit) = otlp_name(family);
        let point = |sample: &Sample| NumberDataPoint {
            attributes: attributes(family, &sample.labels),
            start_time_unix_nano: start,
            time_unix_nano: now,
            value: Some(number_data_point::Value::AsDouble(sample.value)),
            ..Default::default()
        };
        let data = match kind.as_str() {
            "counter" => metric::Data::Sum(Sum {
                data_points: family_samples.iter().map(point).collect(),
                aggregation_temporality: AggregationTemporality::Cumulative as i32,
                is_monotonic: true,
            }),
            "gauge" => metric::Data::Gauge(Gauge { data_points: family_samples.iter().map(point).collect() }),
            "histogram" => metric::Data::Histogram(Histogram {
                data_points: histogram_points(family, family_samples, start, now),
                aggregation_temporality: AggregationTemporality::Cumulative as i32,
            }),
            _ => continue,
        };
        metrics.push(Metric {
            name,
            description: descriptions.get(family).cloned().unwrap_or_default(),
            unit: unit.to_owned(),
            data: Some(data),
            ..Default::default()
        });
    }
    metrics
}

/// A histogram family's series: cumulative `_bucket` counts by `le` become
/// OTLP's explicit bounds and per-bucket counts.
fn histogram_points(family: &str, samples: &[Sample], start: u64, now: u64) -> Vec<HistogramDataPoint> {
    let series_of = |sample: &Sample| -> Vec<(String, String)> {
        sample.labels.iter().filter(|(key, _)| key != "le").cloned().collect()
    };
    let mut series: BTreeMap<Vec<(String, String)>, HistogramDataPoint> = BTreeMap::new();
    for sample in samples {
        let labels = series_of(sample);
        let point = series.entry(labels.clone()).or_insert_with(|| HistogramDataPoint {
            attributes: attributes(family, &labels),
            start_time_unix_nano: start,
            time_unix_nano: now,
            ..Default::default()
        });
        let cumulative = sample.value.max(0.0) as u64;
        if sample.name.ends_with("_sum") {
            point.sum = Some(sample.value);
        } else if sample.name.ends_with("_count") {
            point.count = cumulative;
        } else if let Some((_, le)) = sample.labels.iter().find(|(key, _)| key == "le") {
            // Cumulative for now; made per bucket below.
            if le != "+Inf"
                && let Ok(bound) = le.parse()
            {
                point.explicit_bounds.push(bound);
            }
            point.bucket_counts.push(cumulative);
        }
    }
    series
        .into_values()
        .map(|mut point| {
            let mut previous = 0;
            for count in &mut point.bucket_counts {
                let cumulative = *count;
                *count = cumulative.saturating_sub(previous);
                previous = cumulative;
            }
            point
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"# HELP mcp_server_operation_duration_seconds MCP requests.
# TYPE mcp_server_operation_duration_seconds histogram
# UNIT mcp_server_operation_duration_seconds seconds
mcp_server_operation_duration_seconds_sum{mcp_method_name="tools/call",gen_ai_tool_name="run_js",error_type=""} 0.5
mcp_server_operation_duration_seconds_count{mcp_method_name="tools/call",gen_ai_tool_name="run_js",error_type=""} 3
mcp_server_operation_duration_seconds_bucket{le="0.01",mcp_method_name="tools/call",gen_ai_tool_name="run_js",error_type=""} 1
mcp_server_operation_duration_seconds_bucket{le="0.1",mcp_method_name="tools/call",gen_ai_tool_name="run_js",error_type=""} 2
mcp_server_operation_duration_seconds_bucket{le="+Inf",mcp_method_name="tools/call",gen_ai_tool_name="run_js",error_type=""} 3
# HELP mcp_v8_upstream_calls_total Calls.
# TYPE mcp_v8_upstream_calls_total counter
mcp_v8_upstream_calls_total{server="a \"b\"\\c",tool="x,y}",result="ok"} 7
# HELP mcp_v8_runs_queued Waiting runs.
# TYPE mcp_v8_runs_queued gauge
mcp_v8_runs_queued 2
# EOF
"#;

    fn text(kv: &KeyValue) -> (&str, &str) {
        let Some(any_value::Value::StringValue(v)) = kv.value.as_ref().and_then(|v| v.value.as_ref()) else {
            panic!("{kv:?}")
        };
        (kv.key.as_str(), v.as_str())
    }

    #[test]
    fn label_values_are_unescaped() {
        let line = r#"m_total{server="a \"b\"\\c",tool="x,y}",result="ok"} 7"#;
        let sample = sample(line).unwrap();
        assert_eq!(sample.name, "m_total");
        assert_eq!(
            sample.labels,
            vec![
                ("server".into(), r#"a "b"\c"#.into()),
                ("tool".into(), "x,y}".into()),
                ("result".into(), "ok".into())
            ]
        );
        assert_eq!(sample.value, 7.0);
        assert_eq!(super::sample("plain 1.5").unwrap().value, 1.5);
        assert!(super::sample("garbage{").is_none());
    }

    #[test]
    fn counters_gauges_and_histograms_become_otlp_points() {
        let metrics = convert(TEXT, SystemTime::UNIX_EPOCH, SystemTime::UNIX_EPOCH + Duration::from_secs(1));
        let names: Vec<_> = metrics.iter().map(|m| (m.name.as_str(), m.unit.as_str())).collect();
        assert_eq!(
            names,
            [("mcp.server.operation.duration", "s"), ("mcp_v8_runs_queued", ""), ("mcp_v8_upstream_calls", "")]
        );

        let Some(metric::Data::Histogram(histogram)) = &metrics[0].data else { panic!() };
        assert_eq!(histogram.aggregation_temporality, AggregationTemporality::Cumulative as i32);
        let point = &histogram.data_points[0];
        assert_eq!((point.count, point.sum), (3, Some(0.5)));
        assert_eq!(point.explicit_bounds, [0.01, 0.1]);
        assert_eq!(point.bucket_counts, [1, 1, 1], "per bucket, +Inf last");
        let attributes: Vec<_> = point.attributes.iter().map(text).collect();
        assert_eq!(
            attributes,
            [("mcp.method.name", "tools/call"), ("gen_ai.tool.name", "run_js")],
            "no empty error.type"
        );
        assert_eq!(point.time_unix_nano, 1_000_000_000);

        let Some(metric::Data::Sum(sum)) = &metrics[2].data else { panic!() };
        assert!(sum.is_monotonic);
        assert_eq!(sum.data_points[0].value, Some(number_data_point::Value::AsDouble(7.0)));
        assert_eq!(text(&sum.data_points[0].attributes[0]), ("server", r#"a "b"\c"#));
        let Some(metric::Data::Gauge(gauge)) = &metrics[1].data else { panic!() };
        assert_eq!(gauge.data_points[0].value, Some(number_data_point::Value::AsDouble(2.0)));
        assert_eq!(metrics[1].description, "Waiting runs.");
    }
}
