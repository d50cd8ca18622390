use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use super::*;

fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn resolve(args: &[&str], env: &HashMap<String, String>) -> Result<Config, GatewayError> {
    let mut argv = vec!["mcp-v8"];
    argv.extend_from_slice(args);
    let cli = parse_cli(argv, env).map_err(|e| GatewayError::Config(e.to_string()))?;
    Config::resolve(cli, env)
}

#[test]
fn flag_beats_env_beats_file_beats_default() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.toml");
    std::fs::write(&file, "[runs]\nexecution_timeout = 7\nheap_memory_max = 99\nmax_concurrent_executions = 3\n").unwrap();
    let env = env(&[("MCP_V8_HEAP_MEMORY_MAX", "77"), ("MCP_V8_EXECUTION_TIMEOUT", "8"), ("HOME", "/h")]);
    let config = resolve(&["--config", file.to_str().unwrap(), "--execution-timeout", "9"], &env).unwrap();
    assert_eq!(config.engine.default_timeout, Duration::from_secs(9)); // flag
    assert_eq!(config.engine.default_heap_bytes, 77 << 20); // env
    assert_eq!(config.engine.max_concurrent, 3); // file
    assert_eq!(config.service.inline_wait, Duration::from_millis(5000)); // default
    assert_eq!(config.storage.directory, PathBuf::from("/h/.local/share/mcp-v8"));
    assert_eq!(config.storage.session_db, PathBuf::from("/h/.local/share/mcp-v8/meta.redb"));
}

#[test]
fn the_engine_and_the_gateway_agree_on_defaults() {
    let config = resolve(&[], &HashMap::new()).unwrap();
    let defaults = mcp_v8_runtime::EngineConfig::default();
    assert_eq!(config.engine.max_concurrent, defaults.max_concurrent);
    assert_eq!(config.engine.default_heap_bytes, defaults.default_heap_bytes);
    assert_eq!(config.engine.output_cap, defaults.output_cap);
    assert_eq!(config.engine.max_snapshot_bytes, defaults.max_snapshot_bytes);
    assert_eq!(config.engine.isolate_reuse_runs, defaults.isolate_reuse_runs);
    let reuse = resolve(&["--stateless"], &env(&[("MCP_V8_ISOLATE_REUSE_RUNS", "1")])).unwrap();
    assert_eq!(reuse.engine.isolate_reuse_runs, 1);
    let http = resolve(&["--http-port", "8080"], &HashMap::new()).unwrap();
    assert_eq!(http.engine.max_concurrent_per_principal, defaults.max_concurrent_per_principal);
    assert_eq!(config.engine.max_concurrent_per_principal, defaults.max_concurrent, "stdio has one caller: all threads");
}

#[test]
fn unknown_keys_bad_values_and_ignored_flags_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.toml");
    std::fs::write(&file, "[runs]\nno_such_key = 1\n").unwrap();
    let error = resolve(&["--config", file.to_str().unwrap()], &HashMap::new()).unwrap_err().to_string();
    assert!(error.contains("no_such_key"), "{error}");

    assert!(resolve(&["--snapshot-policy", "sometimes"], &HashMap::new()).is_err());
    let error = resolve(&[], &env(&[("MCP_V8_STATELESS", "maybe")])).unwrap_err().to_string();
    assert!(error.contains("MCP_V8_"), "{error}");

    for (args, names) in [
        (&["--jwks-url", "https://id/jwks"][..], "--jwks-url"),
        (&["--tls-cert", "c.pem", "--tls-key", "k.pem"][..], "--tls-cert, --tls-key"),
        (&["--stateless", "--session-id", "s"][..], "--session-id"),
        (&["--snapshot-idle-secs", "3"][..], "--snapshot-idle-secs"),
        (&["--http-port", "1", "--jwt-issuer", "x"][..], "--jwt-issuer"),
        (&["--bind-host", "0.0.0.0"][..], "--bind-host"),
        (&["--isolate-reuse-runs", "4"][..], "--isolate-reuse-runs has no effect without --stateless"),
        (&["--stateless", "--isolate-reuse-runs", "0"][..], "--isolate-reuse-runs must be at least 1"),
    ] {
        let error = resolve(args, &HashMap::new()).unwrap_err().to_string();
        assert!(error.contains(names), "{args:?}: {error}");
    }
    let error = resolve(&["--session-id", "~x"], &HashMap::new()).unwrap_err().to_string();
    assert!(error.contains("--session-id"), "the session id is checked at start: {error}");
    assert!(resolve(&["--memory-max", "32"], &HashMap::new()).is_err(), "no room for one run");
    // Over stdio, --bind-host places the metrics listener.
    let config = resolve(&["--metrics-port", "9464", "--bind-host", "0.0.0.0"], &HashMap::new()).unwrap();
    assert!(config.http.is_none());
    assert_eq!(config.telemetry.metrics_bind, Some("0.0.0.0:9464".parse().unwrap()));
}

#[test]
fn example_configs_in_docs_load() {
    let docs = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs");
    let mut found = 0;
    for entry in std::fs::read_dir(docs).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            found += 1;
            resolve(&["--config", path.to_str().unwrap()], &HashMap::new()).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
    }
    assert!(found > 0);
}

/// docs/configuration.md is what `--print-config-reference` prints: the
/// settings' own documentation.
#[test]
fn the_configuration_reference_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/configuration.md");
    let generated = reference::markdown();
    if std::env::var_os("MCP_V8_UPDATE_DOCS").is_some() {
        std::fs::write(path, &generated).unwrap();
    }
    let current = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        current == generated,
        "docs/configuration.md is out of date: run `MCP_V8_UPDATE_DOCS=1 cargo test -p mcp-v8 --lib configuration_reference`"
    );
}
