//! The example policies against their cases, OPA over a real loopback
//! server, modes, reloads and time limits.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::*;

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

fn policies(config: Value) -> Policies {
    Policies::load(PoliciesConfig::from_json(&config).unwrap()).unwrap()
}

#[test]
fn every_example_policy_gives_its_cases_decisions() {
    let mut checked = 0;
    for capability in Capability::ALL {
        let rego = Path::new(EXAMPLES).join(format!("{}.rego", capability.name()));
        let cases = Path::new(EXAMPLES).join(format!("{}.cases.json", capability.name()));
        assert!(rego.is_file() && cases.is_file(), "an example policy with cases for {capability}");
        let engine = policies(json!({ capability.name(): {"policies": [{"url": rego.to_str().unwrap()}]} }));
        let cases: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(&cases).unwrap()).unwrap();
        for case in cases {
            let decision = rt().block_on(engine.decide(capability, &case["input"]));
            assert_eq!(decision.allow, case["allow"] == true, "{capability}: {}", case["name"]);
            if let Some(reason) = case["reason"].as_str() {
                assert_eq!(decision.reason.as_deref(), Some(reason), "{capability}: {}", case["name"]);
            }
            assert_eq!(decision.source, rego.display().to_string());
            checked += 1;
        }
    }
    assert!(checked >= 20, "{checked} cases");
}

/// Decisions come from regorus's VM when a policy compiles for it, on the
/// input fields the policy reads; the interpreter on the whole input must
/// agree on every example case, reasons included.
#[test]
fn the_vm_and_the_interpreter_agree_on_every_example_case() {
    let (mut on_vm, mut reads_fields, mut memoized) = (0, 0, 0);
    for capability in Capability::ALL {
        let rego = Path::new(EXAMPLES).join(format!("{}.rego", capability.name()));
        let rule = format!("data.mcp.{}.allow", if capability == Capability::McpTools { "tools" } else { capability.name() });
        let policy = local::LocalPolicy::load(&rego, &rule, Duration::from_secs(1)).unwrap();
        on_vm += usize::from(policy.uses_vm());
        reads_fields += usize::from(matches!(policy.input_fields(), input::InputFields::Only(_)));
        memoized += usize::from(policy.memoized());
        let cases: Vec<Value> =
            serde_json::from_str(&std::fs::read_to_string(Path::new(EXAMPLES).join(format!("{}.cases.json", capability.name()))).unwrap())
                .unwrap();
        for case in cases {
            let both = policy.eval(&case["input"]).unwrap();
            let interpreted = policy.eval_interpreted(&case["input"]).unwrap();
            assert_eq!(both.allow, interpreted.allow, "{capability}: {}", case["name"]);
            assert_eq!(both.reason, interpreted.reason, "{capability}: {}", case["name"]);
            // Asked again: the remembered answer, the same.
            let again = policy.eval(&case["input"]).unwrap();
            assert_eq!((again.allow, again.reason), (both.allow, both.reason), "{capability}: {}", case["name"]);
        }
    }
    assert!(on_vm >= 5, "only {on_vm} example policies compile for the VM");
    // `mcp_tools` reads `object.get(input, ...)`: all of it.
    assert!(reads_fields >= 5, "only {reads_fields} example policies get some fields of their input");
    assert_eq!(memoized, Capability::ALL.len(), "no example policy reads the clock");
}

/// Inputs are converted for regorus directly; the result must be the value
/// regorus's own deserializer makes, for every kind of JSON value.
#[test]
fn inputs_convert_as_regorus_reads_them() {
    let mut inputs = vec![json!({
        "operation": "fetch", "unknown key": [1, -2, 3.5, 18446744073709551615u64, -9223372036854775808i64, 1e300, 0.1],
        "nested": {"a": {"b": [null, true, false, "", "é ✓ \u{0}"]}, "": {}}, "empty": [], "port": 8080,
        "claims": {"sub": "alice", "groups": ["a", "b"], "exp": 1.7e9},
    })];
    for capability in Capability::ALL {
        let cases: Vec<Value> =
            serde_json::from_str(&std::fs::read_to_string(Path::new(EXAMPLES).join(format!("{}.cases.json", capability.name()))).unwrap())
                .unwrap();
        inputs.extend(cases.into_iter().map(|case| case["input"].clone()));
    }
    for input in &inputs {
        let by_serde = <regorus::Value as serde::Deserialize>::deserialize(input).unwrap();
        assert_eq!(local::LocalPolicy::convert(input), by_serde, "{input}");
    }
}

#[test]
fn a_capability_without_policy_is_denied_with_the_way_to_allow_it() {
    let engine = policies(json!({}));
    let decision = rt().block_on(engine.decide(Capability::Fetch, &json!({})));
    assert!(!decision.allow);
    assert!(!engine.configured(Capability::Fetch));
    let message = mcp_v8_runtime::capability::denied_message(Capability::Fetch, "GET https://x", &decision);
    assert!(message.contains("--policies-json"), "{message}");
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn modes_chain_sources() {
    let dir = tempfile::tempdir().unwrap();
    let yes = write(dir.path(), "yes.rego", "package mcp.subprocess\nallow := true\n");
    let no = write(dir.path(), "no.rego", "package mcp.subprocess\nallow := false\nreason := \"no says no\"\n");
    let chain = |mode: &str| {
        policies(json!({"subprocess": {"mode": mode, "policies": [
            {"url": format!("file://{}", no.display())}, {"url": format!("file://{}", yes.display())}]}}))
    };
    let all = rt().block_on(chain("all").decide(Capability::Subprocess, &json!({})));
    assert!(!all.allow);
    assert_eq!(all.reason.as_deref(), Some("no says no"));
    assert_eq!(all.source, no.display().to_string());
    let any = rt().block_on(chain("any").decide(Capability::Subprocess, &json!({})));
    assert!(any.allow);
    assert_eq!(any.source, yes.display().to_string());
}

#[test]
fn a_reload_swaps_in_the_new_policy_and_a_broken_one_keeps_the_old() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "fs.rego", "package mcp.filesystem\nallow := false\n");
    let engine = policies(json!({"filesystem": {"policies": [{"url": file.to_str().unwrap()}]}}));
    let decide = || rt().block_on(engine.decide(Capability::Filesystem, &json!({"path": "/x"}))).allow;
    assert!(!decide());
    write(dir.path(), "fs.rego", "package mcp.filesystem\nallow if input.path == \"/x\"\n");
    engine.reload().unwrap();
    assert!(decide());
    write(dir.path(), "fs.rego", "package mcp.filesystem\nallow if {{{ broken\n");
    let error = engine.reload().unwrap_err().to_string();
    assert!(error.contains("fs.rego"), "{error}");
    assert!(decide(), "the previous set stays");
}

/// An answer is remembered per input (the fields the policy reads), and
/// never for a policy that reads the clock: its answer changes with no
/// change of input.
#[test]
fn answers_are_remembered_only_where_the_input_alone_decides() {
    let dir = tempfile::tempdir().unwrap();
    let pure = write(
        dir.path(),
        "pure.rego",
        "package mcp.fetch\nallow if input.method == \"GET\"\nreason := \"GET only\" if not allow\n",
    );
    let engine = policies(json!({"fetch": {"policies": [{"url": pure.to_str().unwrap()}]}}));
    for round in 0..3 {
        for (method, allow) in [("GET", true), ("POST", false)] {
            let input = json!({"method": method, "execution_id": format!("run-{round}")});
            let decision = rt().block_on(engine.decide(Capability::Fetch, &input));
            assert_eq!(decision.allow, allow, "{method}, round {round}");
            assert_eq!(decision.reason.as_deref(), (!allow).then_some("GET only"), "{method}, round {round}");
        }
    }
    // Allowed until a deadline a second away: once past it, the same input
    // is denied, which a remembered answer would never be.
    let deadline = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap() + Duration::from_secs(1);
    let clock = write(
        dir.path(),
        "clock.rego",
        &format!("package mcp.fetch\nallow if time.now_ns() < {}\n", deadline.as_nanos()),
    );
    let engine = policies(json!({"fetch": {"policies": [{"url": clock.to_str().unwrap()}]}}));
    let decide = || rt().block_on(engine.decide(Capability::Fetch, &json!({"method": "GET"}))).allow;
    assert!(decide(), "allowed before the deadline");
    let started = std::time::Instant::now();
    while decide() {
        assert!(started.elapsed() < Duration::from_secs(10), "still allowed long past the deadline: remembered");
    }
}

#[test]
fn loading_fails_on_what_would_deny_everything_silently() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "x.rego", "package mcp.fetch\nallow := true\n");
    let wrong_rule = PoliciesConfig::from_json(&json!({"fetch": {"policies": [{"url": file.to_str().unwrap(), "rule": "data.mcp.fech.allow"}]}})).unwrap();
    assert!(Policies::load(wrong_rule).is_err(), "a rule no package defines");
    let missing = PoliciesConfig::from_json(&json!({"fetch": {"policies": [{"url": "/no/such/file.rego"}]}})).unwrap();
    assert!(Policies::load(missing).is_err());
}

#[test]
fn an_evaluation_over_its_time_limit_denies() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "slow.rego",
        "package mcp.fetch\nallow if { count([x | some i in numbers.range(1, 3000); some j in numbers.range(1, 3000); x := i * j]) > 0 }\n",
    );
    let engine = policies(json!({"fetch": {"policies": [{"url": file.to_str().unwrap(), "timeout_ms": 20}]}}));
    let started = std::time::Instant::now();
    let decision = rt().block_on(engine.decide(Capability::Fetch, &json!({})));
    assert!(!decision.allow);
    assert!(decision.reason.as_deref().unwrap_or("").contains("policy error"), "{decision:?}");
    assert!(started.elapsed() < Duration::from_secs(5), "stopped by the limit: {:?}", started.elapsed());
}

/// A loopback server that speaks OPA's data API, deciding with the example
/// policies through regorus; `behaviour` can make it fail.
async fn opa_server(behaviour: &'static str) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let mut engine = regorus::Engine::new();
    for file in ["fetch.rego", "filesystem.rego"] {
        engine.add_policy_from_file(Path::new(EXAMPLES).join(file)).unwrap();
    }
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let engine = engine.clone();
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buf = [0u8; 8192];
                // Read the head, then the body by its length.
                let (head, body) = loop {
                    let n = socket.read(&mut buf).await.unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    request.extend_from_slice(&buf[..n]);
                    if let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&request[..end]).to_string();
                        let length: usize = head
                            .lines()
                            .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap()))
                            .unwrap_or(0);
                        while request.len() < end + 4 + length {
                            let n = socket.read(&mut buf).await.unwrap_or(0);
                            if n == 0 {
                                return;
                            }
                            request.extend_from_slice(&buf[..n]);
                        }
                        break (head, request[end + 4..end + 4 + length].to_vec());
                    }
                };
                let (status, answer) = match behaviour {
                    "hang" => {
                        tokio::time::sleep(Duration::from_secs(60)).await;
                        return;
                    }
                    "error" => ("500 Internal Server Error", json!({"code": "internal_error"})),
                    _ => {
                        let path = head.split_whitespace().nth(1).unwrap_or("").trim_start_matches("/v1/data/").replace('/', ".");
                        let input: Value = serde_json::from_slice(&body).unwrap();
                        let mut engine = engine;
                        engine.set_input(regorus::Value::from_json_str(&input["input"].to_string()).unwrap());
                        let allow = engine.eval_rule(format!("data.{path}.allow")).unwrap_or(regorus::Value::Undefined);
                        let reason = engine.eval_rule(format!("data.{path}.reason")).ok();
                        let mut result = json!({"allow": allow == regorus::Value::from(true)});
                        if let Some(regorus::Value::String(reason)) = reason {
                            result["reason"] = json!(reason.to_string());
                        }
                        ("200 OK", json!({ "result": result }))
                    }
                };
                let body = answer.to_string();
                let response = format!("HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len());
                let _ = socket.write_all(response.as_bytes()).await;
            });
        }
    });
    url
}

fn fetch_input(host: &str) -> Value {
    json!({"operation": "fetch", "url": format!("https://{host}/"), "method": "GET", "headers": {},
           "url_parsed": {"scheme": "https", "host": host, "port": 443, "path": "/", "query": ""}})
}

#[test]
fn a_remote_opa_decides_and_anything_but_an_answer_denies() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    rt().block_on(async {
        let url = opa_server("ok").await;
        let engine = policies(json!({"fetch": {"policies": [{"url": url, "policy_path": "mcp/fetch"}]}}));
        let allowed = engine.decide(Capability::Fetch, &fetch_input("api.github.com")).await;
        assert!(allowed.allow, "{allowed:?}");
        assert_eq!(allowed.rule.as_deref(), Some("mcp/fetch"));
        let denied = engine.decide(Capability::Fetch, &fetch_input("evil.example")).await;
        assert!(!denied.allow);
        assert_eq!(denied.reason.as_deref(), Some("evil.example is not an allowed host"));

        for behaviour in ["error", "hang"] {
            let url = opa_server(behaviour).await;
            let engine = policies(json!({"fetch": {"policies": [{"url": url, "policy_path": "mcp/fetch", "timeout_ms": 300}]}}));
            let decision = engine.decide(Capability::Fetch, &fetch_input("api.github.com")).await;
            assert!(!decision.allow, "{behaviour}");
            assert!(decision.reason.unwrap().contains("policy error: OPA"), "{behaviour}");
        }
        // Nobody listening.
        let closed = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            format!("http://{}", listener.local_addr().unwrap())
        };
        let engine = policies(json!({"fetch": {"policies": [{"url": closed, "policy_path": "mcp/fetch"}]}}));
        let decision = engine.decide(Capability::Fetch, &fetch_input("api.github.com")).await;
        assert!(!decision.allow);
        assert!(decision.reason.unwrap().contains("did not answer"));
    });
}
