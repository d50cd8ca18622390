//! Traces and metrics, end to end: a real OTLP/HTTP receiver (decoding with
//! the opentelemetry-proto types) gets the spans of a `run_js` call that
//! fetches once allowed and once denied, under the parent the client sent
//! in `_meta`; `/metrics` counts the same calls.

use std::sync::Arc;

use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::any_value::Value as AnyValue;
use opentelemetry_proto::tonic::metrics::v1::{Metric, metric, number_data_point};
use opentelemetry_proto::tonic::trace::v1::{Span, span::SpanKind, status::StatusCode};
use parking_lot::Mutex;
use prost::Message;
use rmcp::model::{CallToolRequestParams, RequestMetaObject};
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

use crate::support::{HttpServer, Server, eventually, http_client, metrics_base, text_of};

/// An OTLP/HTTP receiver on loopback: keeps every span it is sent, and
/// answers any other request `200 hello`.
struct Receiver {
    port: u16,
    spans: Arc<Mutex<Vec<Span>>>,
    /// Each metrics export, in order.
    metrics: Arc<Mutex<Vec<ExportMetricsServiceRequest>>>,
}

impl Receiver {
    async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let spans = Arc::new(Mutex::new(Vec::new()));
        let metrics = Arc::new(Mutex::new(Vec::new()));
        let (kept, pushed) = (spans.clone(), metrics.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (kept, pushed) = (kept.clone(), pushed.clone());
                tokio::spawn(async move {
                    let mut stream = BufReader::new(stream);
                    // One request after another on the connection.
                    loop {
                        let mut line = String::new();
                        if stream.read_line(&mut line).await.unwrap_or(0) == 0 {
                            return;
                        }
                        let path = line.split(' ').nth(1).unwrap_or("").to_owned();
                        let mut length = 0;
                        loop {
                            let mut header = String::new();
                            stream.read_line(&mut header).await.unwrap();
                            if header == "\r\n" {
                                break;
                            }
                            if let Some((name, value)) = header.split_once(':')
                                && name.eq_ignore_ascii_case("content-length")
                            {
                                length = value.trim().parse().unwrap();
                            }
                        }
                        let mut body = vec![0; length];
                        stream.read_exact(&mut body).await.unwrap();
                        let answer: &[u8] = if path == "/v1/traces" {
                            let request =
                                ExportTraceServiceRequest::decode(body.as_slice()).expect("an OTLP export decodes");
                            for resource in request.resource_spans {
                                for scope in resource.scope_spans {
                                    kept.lock().extend(scope.spans);
                                }
                            }
                            b"HTTP/1.1 200 OK\r\ncontent-type: application/x-protobuf\r\ncontent-length: 0\r\n\r\n"
                        } else if path == "/v1/metrics" {
                            let request =
                                ExportMetricsServiceRequest::decode(body.as_slice()).expect("an OTLP export decodes");
                            pushed.lock().push(request);
                            b"HTTP/1.1 200 OK\r\ncontent-type: application/x-protobuf\r\ncontent-length: 0\r\n\r\n"
                        } else {
                            b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 5\r\n\r\nhello"
                        };
                        stream.get_mut().write_all(answer).await.unwrap();
                    }
                });
            }
        });
        Self { port, spans, metrics }
    }

    /// The metrics of the latest export, by name.
    fn latest_metrics(&self) -> Option<std::collections::BTreeMap<String, Metric>> {
        let exports = self.metrics.lock();
        let latest = exports.last()?;
        let metrics = latest.resource_metrics.iter().flat_map(|r| &r.scope_metrics).flat_map(|s| &s.metrics);
        Some(metrics.map(|m| (m.name.clone(), m.clone())).collect())
    }

    fn named(&self, name: &str) -> Vec<Span> {
        self.spans.lock().iter().filter(|s| s.name == name).cloned().collect()
    }
}

fn attribute(span: &Span, key: &str) -> Option<String> {
    let value = span.attributes.iter().find(|a| a.key == key)?.value.as_ref()?.value.as_ref()?;
    Some(match value {
        AnyValue::StringValue(s) => s.clone(),
        AnyValue::IntValue(i) => i.to_string(),
        AnyValue::BoolValue(b) => b.to_string(),
        AnyValue::DoubleValue(d) => d.to_string(),
        other => format!("{other:?}"),
    })
}

/// `run_js` of `code` under the client's W3C `traceparent`, sent in `_meta`.
fn traced_run(code: &str, traceparent: String) -> CallToolRequestParams {
    let mut meta = RequestMetaObject::new();
    meta.0.insert("traceparent".into(), json!(traceparent));
    let arguments = json!({"code": code}).as_object().unwrap().clone();
    let mut params = CallToolRequestParams::new("run_js").with_arguments(arguments);
    params.meta = Some(meta);
    params
}

/// `POST` of a run to `url` (`/api/exec`) with a `traceparent` header.
async fn traced_exec(url: String, code: &str, traceparent: String) -> reqwest::StatusCode {
    let request = http_client().post(url).header("traceparent", traceparent).json(&json!({"code": code}));
    request.send().await.unwrap().status()
}

#[tokio::test]
async fn a_traced_call_has_its_parent_phases_and_decisions_and_metrics_count_it() {
    let receiver = Receiver::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut flags = crate::fetch::policy(dir.path(), false);
    flags.extend([
        "--otlp-endpoint".to_owned(),
        format!("http://127.0.0.1:{}", receiver.port),
        "--allow-external-modules".to_owned(),
        // The session's isolate stays warm between runs.
        "--snapshot-policy".to_owned(),
        "idle".to_owned(),
    ]);
    let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
    let env = [("OTEL_BSP_SCHEDULE_DELAY", "50"), ("OTEL_METRIC_EXPORT_INTERVAL", "100")];
    let server = HttpServer::start_with_env(&flags, &env).await;
    let client = server.mcp_client().await;

    let trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
    let parent_id = "00f067aa0ba902b7";
    let code = format!(
        "const ok = await (await fetch('http://127.0.0.1:{0}/hello?token=secret')).text();\n\
         try {{ await fetch('http://127.0.0.1:{0}/private/x'); }} catch (e) {{ globalThis.denied = e.message; }}\n\
         try {{ await fs.readFile('/etc/passwd', 'utf8'); }} catch {{}}\n\
         try {{ await import('http://127.0.0.1:{0}/lib.js?key=k'); }} catch {{}}\n\
         [ok, denied]",
        receiver.port
    );
    let result = client.call_tool(traced_run(&code, format!("00-{trace_id}-{parent_id}-01"))).await.unwrap();
    let text = text_of(&result);
    assert!(text.contains("hello") && text.contains("fetch denied"), "{text}");

    // The SERVER span, under the client's trace and span.
    let server_span =
        eventually("the request's span", 30, || async { receiver.named("tools/call run_js").pop() }).await;
    assert_eq!(hex::encode(&server_span.trace_id), trace_id);
    assert_eq!(hex::encode(&server_span.parent_span_id), parent_id);
    assert_eq!(server_span.kind, SpanKind::Server as i32);
    assert_eq!(attribute(&server_span, "mcp.method.name").as_deref(), Some("tools/call"));
    assert_eq!(attribute(&server_span, "gen_ai.tool.name").as_deref(), Some("run_js"));
    assert_eq!(attribute(&server_span, "gen_ai.operation.name").as_deref(), Some("execute_tool"));
    assert_eq!(attribute(&server_span, "network.transport").as_deref(), Some("tcp"));
    assert_eq!(attribute(&server_span, "client.address").as_deref(), Some("127.0.0.1"));
    assert!(attribute(&server_span, "mcp.session.id").is_some_and(|s| !s.is_empty()));
    assert!(attribute(&server_span, "jsonrpc.request.id").is_some());
    assert_eq!(attribute(&server_span, "error.type"), None, "the call succeeded");
    assert_ne!(server_span.status.as_ref().map(|s| s.code), Some(StatusCode::Error as i32));

    // The run and its phases, in the same trace, under the request.
    let run = eventually("the run's span", 30, || async { receiver.named("run_js.run").pop() }).await;
    assert_eq!(run.trace_id, server_span.trace_id);
    assert_eq!(run.parent_span_id, server_span.span_id);
    assert_eq!(attribute(&run, "mcp_v8.run.status").as_deref(), Some("completed"));
    for phase in ["run_js.queue", "run_js.isolate", "run_js.execute"] {
        let span = eventually(phase, 30, || async { receiver.named(phase).pop() }).await;
        assert_eq!(span.parent_span_id, run.span_id, "{phase} is a phase of the run");
    }
    let execute = receiver.named("run_js.execute").pop().unwrap();

    // Each fetch a CLIENT span under the execution, named by the HTTP conventions.
    let fetches = eventually("two fetch spans", 30, || async {
        let spans = receiver.named("GET");
        (spans.len() >= 2).then_some(spans)
    })
    .await;
    let fetched =
        fetches.iter().find(|s| attribute(s, "url.full").is_some_and(|u| u.ends_with("/hello"))).expect("/hello");
    let refused = fetches.iter().find(|s| attribute(s, "url.full").is_some_and(|u| u.ends_with("/private/x"))).unwrap();
    for span in [fetched, refused] {
        assert_eq!(span.kind, SpanKind::Client as i32);
        assert_eq!(span.parent_span_id, execute.span_id, "a fetch is an operation of the run");
        assert_eq!(attribute(span, "http.request.method").as_deref(), Some("GET"));
        assert_eq!(attribute(span, "server.address").as_deref(), Some("127.0.0.1"));
    }
    assert_eq!(attribute(fetched, "url.full"), Some(format!("http://127.0.0.1:{}/hello", receiver.port)), "no query");
    assert_eq!(attribute(fetched, "http.response.status_code").as_deref(), Some("200"));
    assert_eq!(attribute(refused, "error.type").as_deref(), Some("PermissionDenied"));
    assert_eq!(refused.status.as_ref().map(|s| s.code), Some(StatusCode::Error as i32));

    // A file operation no policy allows: its span, and the default denial recorded under it.
    let read = eventually("the file span", 30, || async { receiver.named("fs readFile").pop() }).await;
    assert_eq!(read.parent_span_id, execute.span_id);
    assert_eq!(attribute(&read, "file.path").as_deref(), Some("/etc/passwd"));
    assert_eq!(attribute(&read, "error.type").as_deref(), Some("PermissionDenied"));
    let default_deny =
        eventually("the default denial", 30, || async { receiver.named("policy.decide filesystem").pop() }).await;
    assert_eq!(default_deny.parent_span_id, read.span_id);
    assert_eq!(attribute(&default_deny, "policy.source").as_deref(), Some("none"));
    assert_eq!(attribute(&default_deny, "policy.decision").as_deref(), Some("deny"));

    // A module load: its span under the run, its (default) denial under it.
    // Named and described without the query.
    let specifier = format!("http://127.0.0.1:{}/lib.js", receiver.port);
    let import =
        eventually("the import span", 30, || async { receiver.named(&format!("import {specifier}")).pop() }).await;
    assert_eq!(import.parent_span_id, execute.span_id);
    assert_eq!(import.kind, SpanKind::Client as i32);
    assert_eq!(attribute(&import, "mcp_v8.module.specifier"), Some(specifier.clone()));
    assert_eq!(attribute(&import, "error.type").as_deref(), Some("PermissionDenied"));
    let refused_import =
        eventually("the import's denial", 30, || async { receiver.named("policy.decide modules").pop() }).await;
    assert_eq!(refused_import.parent_span_id, import.span_id);
    assert_eq!(attribute(&refused_import, "policy.source").as_deref(), Some("none"));

    // Both decisions, each under the fetch it guards, the denial an error with its rule.
    let decisions = eventually("two decisions", 30, || async {
        let spans = receiver.named("policy.decide fetch");
        (spans.len() >= 2).then_some(spans)
    })
    .await;
    let allowed =
        decisions.iter().find(|s| attribute(s, "policy.decision").as_deref() == Some("allow")).expect("an allow");
    let denied = decisions.iter().find(|s| attribute(s, "policy.decision").as_deref() == Some("deny")).expect("a deny");
    assert_eq!(allowed.parent_span_id, fetched.span_id, "a decision is under the operation it guards");
    assert_eq!(denied.parent_span_id, refused.span_id, "a decision is under the operation it guards");
    for span in [allowed, denied] {
        assert_eq!(span.trace_id, server_span.trace_id);
        assert_eq!(attribute(span, "policy.rule").as_deref(), Some("data.mcp.fetch.allow"));
        assert_eq!(attribute(span, "policy.capability").as_deref(), Some("fetch"));
        assert_eq!(attribute(span, "policy.input.sha256").map(|h| h.len()), Some(64));
        assert!(attribute(span, "policy.input").is_none(), "the input itself stays out");
    }
    assert_eq!(denied.status.as_ref().map(|s| s.code), Some(StatusCode::Error as i32));
    assert!(attribute(denied, "policy.reason").is_some_and(|r| r.contains("/private/x is not allowed")));
    assert_ne!(allowed.status.as_ref().map(|s| s.code), Some(StatusCode::Error as i32));

    // A failing run: its request span says so.
    let failed = crate::support::call(&client, "run_js", json!({"code": "throw new Error('no')"})).await;
    assert_eq!(failed.is_error, Some(true));
    let failed_span = eventually("the failed call's span", 30, || async {
        receiver.named("tools/call run_js").into_iter().find(|s| attribute(s, "error.type").is_some())
    })
    .await;
    assert_eq!(attribute(&failed_span, "error.type").as_deref(), Some("tool_error"));
    assert_eq!(failed_span.status.as_ref().map(|s| s.code), Some(StatusCode::Error as i32));

    // A REST run: its SERVER span under the `traceparent` header, the run under it.
    let rest_trace = "5bf92f3577b34da6a3ce929d0e0e4737";
    let traceparent = format!("00-{rest_trace}-10f067aa0ba902b8-01");
    let status = traced_exec(server.url("/api/exec?wait=5000"), "2 + 2", traceparent).await;
    assert_eq!(status, 200);
    let rest = eventually("the REST span", 30, || async { receiver.named("POST /api/exec").pop() }).await;
    assert_eq!(hex::encode(&rest.trace_id), rest_trace);
    assert_eq!(rest.kind, SpanKind::Server as i32);
    assert_eq!(attribute(&rest, "http.route").as_deref(), Some("/api/exec"));
    assert_eq!(attribute(&rest, "http.response.status_code").as_deref(), Some("200"));
    eventually("the REST run's span", 30, || async {
        receiver.named("run_js.run").into_iter().find(|s| s.parent_span_id == rest.span_id)
    })
    .await;

    // A request the client's trace does not sample makes no span at all.
    let before = receiver.spans.lock().len();
    let unsampled = "00-6bf92f3577b34da6a3ce929d0e0e4738-20f067aa0ba902b9-00".to_owned();
    client.call_tool(traced_run("3", unsampled)).await.unwrap();
    // Flushed by the next traced call: nothing of the unsampled one is among them.
    crate::support::call(&client, "run_js", json!({"code": "4"})).await;
    // Its request, run, queue and execution spans (the isolate is warm).
    let next = eventually("the next traced call's spans", 30, || async {
        let spans = receiver.spans.lock();
        (spans.len() >= before + 4).then(|| spans[before..].to_vec())
    })
    .await;
    let traces: std::collections::BTreeSet<Vec<u8>> = next.iter().map(|s| s.trace_id.clone()).collect();
    let names: Vec<&str> = next.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(traces.len(), 1, "an unsampled request left spans (a run of its own, say): {names:?}");
    // The session's first run made its isolate (a span of its own); a later
    // one took the warm isolate, which its run span says, with no span.
    assert_eq!(attribute(&run, "mcp_v8.isolate.source").as_deref(), Some("new"));
    let warm = eventually("a warm run", 30, || async {
        receiver
            .named("run_js.run")
            .into_iter()
            .find(|s| attribute(s, "mcp_v8.isolate.source").as_deref() == Some("warm"))
    })
    .await;
    assert!(receiver.named("run_js.isolate").iter().all(|s| s.parent_span_id != warm.span_id));

    // A client that makes up tool names makes no new series.
    for name in ["made-up-1", "made-up-2"] {
        let params = CallToolRequestParams::new(name).with_arguments(serde_json::Map::new());
        assert!(client.call_tool(params).await.is_err(), "{name} is not a tool");
    }

    // The same calls, counted.
    let metrics = http_client().get(server.url("/metrics")).send().await.unwrap();
    assert_eq!(metrics.status(), 200);
    assert!(metrics.headers()["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
    let metrics = metrics.text().await.unwrap();
    let value = |series: &str| -> f64 {
        let line =
            metrics.lines().find(|l| l.starts_with(series)).unwrap_or_else(|| panic!("no {series} in\n{metrics}"));
        line.rsplit(' ').next().unwrap().parse().unwrap()
    };
    assert_eq!(value(r#"mcp_v8_policy_decisions_total{capability="fetch",decision="allow"}"#), 1.0);
    assert_eq!(value(r#"mcp_v8_policy_decisions_total{capability="fetch",decision="deny"}"#), 1.0);
    assert_eq!(value(r#"mcp_v8_executions_total{mode="session",status="completed"}"#), 3.0);
    assert_eq!(value(r#"mcp_v8_executions_total{mode="session",status="failed"}"#), 1.0);
    assert_eq!(
        value(
            r#"mcp_server_operation_duration_seconds_count{mcp_method_name="tools/call",gen_ai_tool_name="run_js",error_type=""}"#
        ),
        3.0
    );
    assert_eq!(
        value(
            r#"mcp_server_operation_duration_seconds_count{mcp_method_name="tools/call",gen_ai_tool_name="run_js",error_type="tool_error"}"#
        ),
        1.0
    );
    assert!(
        value(
            r#"mcp_server_operation_duration_seconds_bucket{mcp_method_name="tools/call",gen_ai_tool_name="run_js",error_type="",le="300"}"#
        ) >= 1.0
    );
    assert!(value(r#"mcp_v8_run_phase_duration_seconds_count{phase="execute"}"#) >= 2.0);
    assert!(value("mcp_v8_v8_threads ") >= 1.0);
    assert!(value(r#"mcp_v8_trace_spans_total{outcome="exported"}"#) >= 10.0, "the spans received above");
    assert_eq!(value(r#"mcp_v8_trace_spans_total{outcome="dropped"}"#), 0.0);
    // Every sample line is `name{labels} value` with a number.
    for line in metrics.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
        let (series, number) = line.rsplit_once(' ').unwrap();
        assert!(number.parse::<f64>().is_ok() || number == "+Inf", "{line}");
        assert!(series.chars().next().unwrap().is_ascii_alphabetic(), "{line}");
    }
    assert!(!metrics.contains("made-up"), "an unknown tool is not a label");
    assert_eq!(
        value(
            r#"mcp_server_operation_duration_seconds_count{mcp_method_name="tools/call",gen_ai_tool_name="other",error_type="-32602"}"#
        ),
        2.0
    );
    // Metrics are pushed over OTLP on the interval, while the server runs.
    eventually("a push that counts the failed call", 30, || async {
        let pushed = receiver.latest_metrics()?;
        let Some(metric::Data::Sum(runs)) = &pushed.get("mcp_v8_executions")?.data else { return None };
        runs.data_points.iter().any(|p| p.value == Some(number_data_point::Value::AsDouble(1.0))).then_some(())
    })
    .await;
    assert!(receiver.metrics.lock().len() >= 2, "more than one push");
    // No label names a session or an execution.
    let session = attribute(&server_span, "mcp.session.id").unwrap();
    assert!(!metrics.contains(&session) && !metrics.contains(&attribute(&run, "mcp_v8.execution.id").unwrap()));
    let _ = client.cancel().await;
}

#[tokio::test]
async fn an_upstream_call_is_a_client_span_whose_context_the_upstream_receives() {
    let receiver = Receiver::start().await;
    let over_http = crate::upstreams::FeaturesOverHttp::start(&[]).await;
    let dir = tempfile::tempdir().unwrap();
    let mut flags = crate::upstreams::policy(dir.path());
    flags.extend([
        "--mcp-server".to_owned(),
        crate::upstreams::features_server(),
        "--mcp-server".to_owned(),
        format!("web=http:http://127.0.0.1:{}/mcp", over_http.port),
        "--mcp-server".to_owned(),
        format!("legacy=sse:http://127.0.0.1:{}/sse", over_http.port),
        "--otlp-endpoint".to_owned(),
        format!("http://127.0.0.1:{}", receiver.port),
        "--stateless".to_owned(),
        "--trace-policy-input".to_owned(),
        "--log-format".to_owned(),
        "json".to_owned(),
    ]);
    let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
    let env = [("OTEL_BSP_SCHEDULE_DELAY", "50"), ("MCP_V8_LOG", "info,mcp_v8_gateway::mcp=debug")];
    let server = HttpServer::start_with_env(&flags, &env).await;
    let client = server.mcp_client().await;
    // The upstream server starts with the gateway: wait until it is ready.
    eventually("the upstreams to be ready", 60, || async {
        let code = "mcp.servers.map(s => s.status).join()";
        let text = text_of(&crate::support::call(&client, "run_js", json!({"code": code})).await);
        (text.matches("ready").count() == 3).then_some(())
    })
    .await;

    // Over HTTP the trace context is in the POST's headers too (both
    // transports), the same as in `_meta`.
    for server in ["web", "legacy"] {
        let code = format!("(await mcp.callTool('{server}', 'meta', {{}})).structuredContent");
        let received = crate::support::call(&client, "run_js", json!({"code": code})).await;
        let received = &received.structured_content.as_ref().unwrap()["result"];
        let header =
            received["http_traceparent"].as_str().unwrap_or_else(|| panic!("{server}: no header in {received}"));
        assert_eq!(Some(header), received["traceparent"].as_str(), "{server}");
        assert!(header.starts_with("00-") && header.ends_with("-01"), "{header}");
    }

    let trace_id = "0af7651916cd43dd8448eb211c80319c";
    let code = "(await mcp.callTool('features', 'meta', {})).structuredContent";
    let result = client.call_tool(traced_run(code, format!("00-{trace_id}-b7ad6b7169203331-01"))).await.unwrap();
    let received = result.structured_content.as_ref().unwrap()["result"]["traceparent"].as_str().map(str::to_owned);
    let received = received.unwrap_or_else(|| panic!("the upstream got no traceparent: {}", text_of(&result)));

    let call = eventually("the CLIENT span", 30, || async {
        receiver.named("tools/call meta").into_iter().find(|s| hex::encode(&s.trace_id) == trace_id)
    })
    .await;
    assert_eq!(call.kind, SpanKind::Client as i32);
    assert_eq!(hex::encode(&call.trace_id), trace_id, "in the client's trace");
    assert_eq!(attribute(&call, "server.address").as_deref(), Some("features"));
    assert_eq!(attribute(&call, "gen_ai.tool.name").as_deref(), Some("meta"));
    // The upstream's parent is the CLIENT span itself.
    assert_eq!(received, format!("00-{trace_id}-{}-01", hex::encode(&call.span_id)));
    let execute = eventually("the run's execution", 30, || async {
        receiver.named("run_js.execute").into_iter().find(|s| s.trace_id == call.trace_id)
    })
    .await;
    assert_eq!(call.parent_span_id, execute.span_id);
    let decision = eventually("the call's decision", 30, || async {
        receiver.named("policy.decide mcp_tools").into_iter().find(|s| s.trace_id == call.trace_id)
    })
    .await;
    assert_eq!(decision.parent_span_id, call.span_id, "the decision is under the call it guards");
    let input: serde_json::Value = serde_json::from_str(&attribute(&decision, "policy.input").unwrap()).unwrap();
    assert_eq!(
        (input["server"].as_str(), input["tool"].as_str()),
        (Some("features"), Some("meta")),
        "--trace-policy-input"
    );
    // Log lines are JSON, and one written inside the traced request carries its ids.
    let logs = server.stderr();
    let line = logs
        .lines()
        .find(|l| l.contains("tool call") && l.contains(trace_id))
        .unwrap_or_else(|| panic!("no log line of the call with its trace id in\n{logs}"));
    let line: serde_json::Value = serde_json::from_str(line).expect("a JSON log line");
    assert_eq!(line["trace_id"], trace_id);
    assert_eq!(line["span_id"].as_str().map(str::len), Some(16));
    let _ = client.cancel().await;
}

/// A real Prometheus (Debian's `prometheus`) scraping `targets` every
/// second, on loopback, killed on drop.
struct Prometheus {
    child: std::process::Child,
    base: String,
    _dir: tempfile::TempDir,
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Prometheus {
    fn start(target: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("prometheus.yml");
        std::fs::write(
            &config,
            format!("global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: mcp-v8\n    static_configs:\n      - targets: ['{target}']\n"),
        )
        .unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let log = std::fs::File::create(dir.path().join("prometheus.log")).unwrap();
        let child = std::process::Command::new("prometheus")
            .arg(format!("--config.file={}", config.display()))
            .arg(format!("--storage.tsdb.path={}", dir.path().join("data").display()))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("Debian's prometheus package is installed (.ci/run installs it)");
        Self { child, base: format!("http://127.0.0.1:{port}"), _dir: dir }
    }

    /// The series a PromQL query returns now (`None` while Prometheus is not up).
    async fn query(&self, expr: &str) -> Option<Vec<serde_json::Value>> {
        let url = url::Url::parse_with_params(&format!("{}/api/v1/query", self.base), [("query", expr)]).unwrap();
        let response = http_client().get(url).send().await.ok()?;
        let body: serde_json::Value = response.json().await.ok()?;
        assert_eq!(body["status"], "success", "{expr}: {body}");
        body["data"]["result"].as_array().cloned()
    }
}

/// Every `expr` of the dashboards in `dashboards/`.
fn dashboard_queries() -> Vec<(String, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../dashboards");
    let mut queries = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let board: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for panel in board["panels"].as_array().unwrap() {
            for target in panel["targets"].as_array().unwrap() {
                let title = format!("{} / {}", board["title"].as_str().unwrap(), panel["title"].as_str().unwrap());
                queries.push((title, target["expr"].as_str().unwrap().to_owned()));
            }
        }
    }
    assert!(queries.len() >= 20, "the dashboards are there");
    queries
}

#[tokio::test]
async fn prometheus_scrapes_metrics_and_every_dashboard_query_has_data() {
    let origin = Receiver::start().await; // answers fetches
    let dir = tempfile::tempdir().unwrap();
    // One policy file per capability: fetch to 127.0.0.1 outside /private, any upstream tool.
    let fetch = crate::fetch::policy(dir.path(), false);
    let tools = crate::upstreams::policy(dir.path());
    let policies: serde_json::Value = serde_json::from_str(&fetch[1]).unwrap();
    let tool_policies: serde_json::Value = serde_json::from_str(&tools[1]).unwrap();
    let both = json!({"fetch": policies["fetch"], "mcp_tools": tool_policies["mcp_tools"]}).to_string();
    let server =
        HttpServer::start(&["--policies-json", &both, "--mcp-server", &crate::upstreams::features_server()]).await;
    let prometheus = Prometheus::start(server.base.trim_start_matches("http://"));
    let client = server.mcp_client().await;
    eventually("the upstream to be ready", 60, || async {
        let text = text_of(&crate::support::call(&client, "run_js", json!({"code": "mcp.servers[0]?.status"})).await);
        text.contains("ready").then_some(())
    })
    .await;
    let load = [
        "1 + 1".to_owned(),
        "throw new Error('failing on purpose')".to_owned(),
        format!("await (await fetch('http://127.0.0.1:{}/ok')).text()", origin.port),
        format!("try {{ await fetch('http://127.0.0.1:{}/private/no') }} catch (e) {{ e.message }}", origin.port),
        "(await mcp.callTool('features', 'echo', {text: 'hi'})).content[0].text".to_owned(),
        "try { await mcp.callTool('features', 'echo', {}) } catch (e) { e.message }".to_owned(),
    ];
    // Two rounds a few scrapes apart, so rates have two samples to differ.
    for round in 0..2 {
        for code in &load {
            crate::support::call(&client, "run_js", json!({"code": code})).await;
        }
        if round == 0 {
            eventually("a scrape of the first round", 60, || async {
                let up = prometheus.query("mcp_v8_executions_total{status=\"failed\"} > 0").await?;
                (!up.is_empty()).then_some(())
            })
            .await;
        }
    }
    let up = eventually("Prometheus to scrape mcp-v8", 60, || async {
        prometheus.query("up{job=\"mcp-v8\"} == 1").await.filter(|r| !r.is_empty())
    })
    .await;
    assert_eq!(up.len(), 1, "the exposition parses: the scrape is up");
    for (panel, expr) in dashboard_queries() {
        eventually(&format!("data for {panel}: {expr}"), 60, || async {
            prometheus.query(&expr).await.filter(|r| !r.is_empty())
        })
        .await;
    }
    let _ = client.cancel().await;
}

/// Runs headless Chromium (Debian's `chromium`) on `url` with `flags`;
/// returns its stdout and its log.
fn chromium(url: &str, flags: &[&str]) -> (String, String) {
    let out = std::process::Command::new("chromium")
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0"])
        .args(["--window-size=1280,900", "--virtual-time-budget=6000"])
        .args(flags)
        .arg(url)
        .output()
        .expect("Debian's chromium package is installed (.ci/run installs it)");
    (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[tokio::test]
async fn the_dashboard_page_renders_the_figures_without_console_errors() {
    let origin = Receiver::start().await;
    let dir = tempfile::tempdir().unwrap();
    let flags = crate::fetch::policy(dir.path(), false);
    let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
    let server = HttpServer::start(&flags).await;
    let client = server.mcp_client().await;
    for code in [
        "1 + 1".to_owned(),
        "throw new Error('no')".to_owned(),
        format!("try {{ await fetch('http://127.0.0.1:{}/private/x') }} catch (e) {{ e.message }}", origin.port),
    ] {
        crate::support::call(&client, "run_js", json!({"code": code})).await;
    }
    let url = server.url("/dashboard");
    let (dom, log) = chromium(&url, &["--dump-dom"]);
    let console: Vec<&str> = log.lines().filter(|l| l.contains(":CONSOLE")).collect();
    assert!(console.is_empty(), "console messages: {console:?}");
    assert!(dom.contains(r#"data-ready="true""#), "the page rendered: {dom}");
    let figure = |id: &str| -> String {
        let start = dom.find(&format!(r#"id="{id}">"#)).unwrap_or_else(|| panic!("no #{id}")) + id.len() + 6;
        dom[start..start + dom[start..].find('<').unwrap()].to_owned()
    };
    assert_eq!(figure("runs"), "3");
    assert_eq!(figure("req-total"), "3 in all");
    assert_eq!(figure("denied"), "1 denied");
    let threads = figure("threads");
    let (running, total) = threads.split_once(" / ").unwrap_or_else(|| panic!("{threads}"));
    assert!(running.parse::<u32>().is_ok() && total.parse::<u32>().unwrap() >= 1, "{threads}");
    assert!(figure("p50").ends_with("ms"), "a latency: {}", figure("p50"));
    assert!(
        dom.contains("data.mcp.fetch.allow") && dom.contains("/private/x is not allowed"),
        "the denial and its reason"
    );
    // The screenshot, kept as an artifact of the test run.
    let shot = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("dashboard.png");
    let _ = std::fs::remove_file(&shot);
    chromium(&url, &[&format!("--screenshot={}", shot.display())]);
    assert!(std::fs::metadata(&shot).is_ok_and(|m| m.len() > 10_000), "a screenshot at {}", shot.display());
    let _ = client.cancel().await;
}

#[tokio::test]
async fn a_stdio_server_is_scraped_and_watched_on_its_metrics_port() {
    let receiver = Receiver::start().await;
    let endpoint = format!("http://127.0.0.1:{}", receiver.port);
    let server = Server::stateless(&["--metrics-port", "0", "--otlp-endpoint", &endpoint]).await;
    let base = metrics_base(|| server.stderr()).await;
    text_of(&server.call("run_js", json!({"code": "1 + 1"})).await);
    let denied = server.call("run_js", json!({"code": "await fs.readFile('/etc/hostname')"})).await;
    assert!(denied.is_error == Some(true) && text_of(&denied).contains("filesystem"), "{denied:?}");
    let http = http_client();
    let get = |path: &str| http.get(format!("{base}{path}")).send();

    let metrics = get("/metrics").await.unwrap().text().await.unwrap();
    for error in ["", "tool_error"] {
        let line = format!(
            r#"mcp_server_operation_duration_seconds_count{{mcp_method_name="tools/call",gen_ai_tool_name="run_js",error_type="{error}"}} 1"#
        );
        assert!(metrics.lines().any(|l| l == line), "the stdio calls are counted:\n{metrics}");
    }
    assert!(
        metrics.contains(r#"mcp_v8_policy_decisions_total{capability="filesystem",decision="deny"} 1"#),
        "{metrics}"
    );
    assert_eq!(get("/healthz").await.unwrap().status(), 200);
    assert_eq!(get("/readyz").await.unwrap().status(), 200);
    // No auth on stdio: the dashboard is here, with the denial's reason.
    assert_eq!(get("/dashboard").await.unwrap().status(), 200);
    let data: serde_json::Value = get("/dashboard/data").await.unwrap().json().await.unwrap();
    assert_eq!(data["reasons_shown"], json!(true));
    assert!(data.to_string().contains("filesystem"), "{data}");
    // Nothing but the operator's routes.
    for path in ["/mcp", "/api/version", "/sse"] {
        let response = get(path).await.unwrap();
        assert_eq!(response.status(), 404, "{path}");
    }
    assert_eq!(http.post(format!("{base}/metrics")).send().await.unwrap().status(), 405);

    // Metrics go over OTLP too: every minute, and once more at the end
    // (here, the only push), under the semantic conventions' names.
    assert!(receiver.metrics.lock().is_empty());
    server.stop_and_wait().await;
    let pushed = receiver.latest_metrics().expect("the final push");
    let operations = &pushed["mcp.server.operation.duration"];
    assert_eq!(operations.unit, "s");
    let Some(metric::Data::Histogram(histogram)) = &operations.data else { panic!("{operations:?}") };
    assert_eq!(histogram.data_points.iter().map(|p| p.count).sum::<u64>(), 2);
    let keys: Vec<&str> = histogram.data_points[0].attributes.iter().map(|a| a.key.as_str()).collect();
    assert!(keys.contains(&"gen_ai.tool.name") && keys.contains(&"mcp.method.name"), "{keys:?}");
    let Some(metric::Data::Sum(decisions)) = &pushed["mcp_v8_policy_decisions"].data else { panic!() };
    assert!(decisions.is_monotonic && !decisions.data_points.is_empty());
    // Every family of the exposition is there.
    for family in metrics.lines().filter_map(|l| l.strip_prefix("# TYPE ")).filter_map(|l| l.split(' ').next()) {
        let family = family.strip_suffix("_total").unwrap_or(family);
        let name = family.strip_suffix("_seconds").or_else(|| family.strip_suffix("_bytes")).unwrap_or(family);
        let name = if name == "mcp_server_operation_duration" { "mcp.server.operation.duration" } else { name };
        assert!(pushed.contains_key(name), "{name} was not pushed: {:?}", pushed.keys());
    }
}

#[tokio::test]
async fn a_request_the_sampler_drops_makes_no_span_and_a_kept_one_all_of_its_own() {
    let receiver = Receiver::start().await;
    let endpoint = format!("http://127.0.0.1:{}", receiver.port);
    // Only what a client asks to sample is traced.
    let env = [("OTEL_TRACES_SAMPLER", "parentbased_always_off"), ("OTEL_BSP_SCHEDULE_DELAY", "50")];
    let server = HttpServer::start_with_env(&["--stateless", "--otlp-endpoint", &endpoint], &env).await;
    let client = server.mcp_client().await;
    let http = http_client();

    // Dropped by the sampler: an MCP call and a REST call with no trace context.
    let dropped = crate::support::call(&client, "run_js", json!({"code": "'dropped'"})).await;
    assert!(text_of(&dropped).contains("dropped"), "{dropped:?}");
    let response = http.post(server.url("/api/exec?wait=10000")).json(&json!({"code": "1"})).send().await.unwrap();
    assert_eq!(response.status(), 200);

    // Kept: the client's trace is sampled, over MCP and over REST.
    let trace_id = "0af7651916cd43dd8448eb211c80319c";
    let kept = client.call_tool(traced_run("'kept'", format!("00-{trace_id}-b7ad6b7169203331-01"))).await.unwrap();
    assert!(text_of(&kept).contains("kept"), "{kept:?}");
    let rest_trace = "5b8efff798038103d269b633813fc60c";
    let traceparent = format!("00-{rest_trace}-eee19b7ec3c1b174-01");
    let status = traced_exec(server.url("/api/exec?wait=10000"), "2", traceparent).await;
    assert_eq!(status, 200);

    // Spans are exported in the order they end: once the last request's
    // span is here, the dropped requests' would be too.
    let rest =
        eventually("the kept REST request's span", 30, || async { receiver.named("POST /api/exec").pop() }).await;
    assert_eq!(hex::encode(&rest.trace_id), rest_trace);
    let spans = receiver.spans.lock().clone();
    let traces: std::collections::BTreeSet<String> = spans.iter().map(|s| hex::encode(&s.trace_id)).collect();
    let names: Vec<(String, String)> = spans.iter().map(|s| (hex::encode(&s.trace_id), s.name.clone())).collect();
    let expected = [trace_id.to_owned(), rest_trace.to_owned()].into();
    assert_eq!(traces, expected, "only the sampled requests are traced: {names:?}");
    assert_eq!(receiver.named("tools/call run_js").len(), 1);
    assert_eq!(receiver.named("POST /api/exec").len(), 1);
    let runs = receiver.named("run_js.run");
    assert_eq!(runs.len(), 2, "each kept request's run is traced");
    let _ = client.cancel().await;
}

#[tokio::test]
async fn a_new_trace_has_the_id_its_ratio_sampler_kept_it_on() {
    let receiver = Receiver::start().await;
    let endpoint = format!("http://127.0.0.1:{}", receiver.port);
    let sampler = [("OTEL_TRACES_SAMPLER", "traceidratio"), ("OTEL_TRACES_SAMPLER_ARG", "0.5")];
    let env = [sampler[0], sampler[1], ("OTEL_BSP_SCHEDULE_DELAY", "50")];
    let server = HttpServer::start_with_env(&["--stateless", "--otlp-endpoint", &endpoint], &env).await;
    let client = server.mcp_client().await;
    for i in 0..24 {
        crate::support::call(&client, "run_js", json!({"code": format!("{i}")})).await;
    }
    // Then one whose client's trace id the rule keeps: once its span is
    // here, every kept one before it is too.
    let last = "4bf92f3577b34da613ce929d0e0e4736";
    client.call_tool(traced_run("'last'", format!("00-{last}-00f067aa0ba902b7-01"))).await.unwrap();
    eventually("the last request's span", 30, || async {
        receiver.named("tools/call run_js").into_iter().find(|s| hex::encode(&s.trace_id) == last)
    })
    .await;
    // The SDK's rule for a ratio of one half: the id's last 8 bytes, shifted
    // right once, below 2^62. A downstream ratio sampler decides the same.
    let kept: Vec<Vec<u8>> = receiver
        .named("tools/call run_js")
        .into_iter()
        .map(|s| s.trace_id)
        .filter(|id| hex::encode(id) != last)
        .collect();
    assert!(!kept.is_empty() && kept.len() < 24, "about half of 24 kept, {} were", kept.len());
    for id in &kept {
        let low = u64::from_be_bytes(id[8..16].try_into().unwrap());
        assert!(low >> 1 < 1 << 62, "trace {} was kept on another id than its own", hex::encode(id));
    }
    let _ = client.cancel().await;
}

#[tokio::test]
async fn a_collector_that_never_answers_costs_spans_not_calls() {
    // It accepts connections and reads, but never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    let endpoint = format!("http://127.0.0.1:{port}");
    let server = HttpServer::start_with_env(
        &["--stateless", "--otlp-endpoint", &endpoint],
        &[("OTEL_BSP_MAX_QUEUE_SIZE", "16")],
    )
    .await;
    let client = server.mcp_client().await;
    // Each denied read is two spans (the operation and its decision), past
    // a queue of 16.
    let code = "for (let i = 0; i < 50; i++) { try { await fs.readFile('/x' + i) } catch {} } 'done'";
    let started = std::time::Instant::now();
    let done = crate::support::call(&client, "run_js", json!({"code": code})).await;
    assert!(text_of(&done).contains("done"), "{done:?}");
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "a stuck collector slowed the call");
    let metrics = http_client().get(server.url("/metrics")).send().await.unwrap().text().await.unwrap();
    let dropped = metrics
        .lines()
        .find_map(|l| l.strip_prefix(r#"mcp_v8_trace_spans_total{outcome="dropped"} "#))
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or_else(|| panic!("no dropped count in\n{metrics}"));
    assert!(dropped >= 50.0, "{dropped} spans dropped");
    let _ = client.cancel().await;
}

/// An OTLP/gRPC receiver on loopback (HTTP/2 with gRPC framing, answering
/// every export with an empty success), keeping the spans and metrics.
struct GrpcReceiver {
    port: u16,
    spans: Arc<Mutex<Vec<Span>>>,
    metrics: Arc<Mutex<Vec<ExportMetricsServiceRequest>>>,
}

impl GrpcReceiver {
    async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let (spans, metrics) = (Arc::new(Mutex::new(Vec::new())), Arc::new(Mutex::new(Vec::new())));
        let (kept, pushed) = (spans.clone(), metrics.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (kept, pushed) = (kept.clone(), pushed.clone());
                tokio::spawn(async move {
                    let Ok(mut connection) = h2::server::handshake(stream).await else { return };
                    // Each request in a task of its own: the connection
                    // moves the request bodies only while it is polled.
                    while let Some(Ok((request, respond))) = connection.accept().await {
                        tokio::spawn(answer(request, respond, kept.clone(), pushed.clone()));
                    }
                });
            }
        });
        Self { port, spans, metrics }
    }
}

/// Reads one OTLP/gRPC export, keeps what it holds, answers success.
async fn answer(
    request: http::Request<h2::RecvStream>,
    mut respond: h2::server::SendResponse<bytes::Bytes>,
    kept: Arc<Mutex<Vec<Span>>>,
    pushed: Arc<Mutex<Vec<ExportMetricsServiceRequest>>>,
) {
    let path = request.uri().path().to_owned();
    let mut body = request.into_body();
    let mut bytes = Vec::new();
    while let Some(Ok(chunk)) = body.data().await {
        let _ = body.flow_control().release_capacity(chunk.len());
        bytes.extend_from_slice(&chunk);
    }
    // gRPC framing: a flag byte and a 4-byte length, then the message.
    let message = &bytes[5..];
    if path.ends_with("MetricsService/Export") {
        pushed.lock().push(ExportMetricsServiceRequest::decode(message).expect("a metrics export"));
    } else if path.ends_with("TraceService/Export") {
        let request = ExportTraceServiceRequest::decode(message).expect("a trace export");
        let spans = request.resource_spans.into_iter().flat_map(|r| r.scope_spans).flat_map(|s| s.spans);
        kept.lock().extend(spans);
    }
    let response = http::Response::builder().status(200).header("content-type", "application/grpc").body(()).unwrap();
    let Ok(mut send) = respond.send_response(response, false) else { return };
    let _ = send.send_data(bytes::Bytes::from_static(&[0, 0, 0, 0, 0]), false);
    let mut trailers = http::HeaderMap::new();
    trailers.insert("grpc-status", http::HeaderValue::from_static("0"));
    let _ = send.send_trailers(trailers);
}

#[tokio::test]
async fn traces_and_metrics_go_over_grpc_too() {
    let receiver = GrpcReceiver::start().await;
    let endpoint = format!("http://127.0.0.1:{}", receiver.port);
    let server = Server::stateless(&["--otlp-endpoint", &endpoint, "--otlp-protocol", "grpc"]).await;
    assert!(text_of(&server.call("run_js", json!({"code": "6 * 7"})).await).contains("42"));
    // Both are flushed when the server stops.
    server.stop_and_wait().await;
    assert!(receiver.spans.lock().iter().any(|s| s.name == "tools/call run_js"), "the call's span over gRPC");
    let exports = receiver.metrics.lock();
    let metrics: Vec<&Metric> = exports
        .iter()
        .flat_map(|e| &e.resource_metrics)
        .flat_map(|r| &r.scope_metrics)
        .flat_map(|s| &s.metrics)
        .collect();
    let operations = metrics.iter().find(|m| m.name == "mcp.server.operation.duration").expect("the MCP operations");
    let Some(metric::Data::Histogram(histogram)) = &operations.data else { panic!("{operations:?}") };
    assert_eq!(histogram.data_points.iter().map(|p| p.count).sum::<u64>(), 1);
}
