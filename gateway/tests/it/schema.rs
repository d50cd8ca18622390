//! The REST API against its own OpenAPI document: schemathesis (a
//! schema-driven fuzzer, pinned in `gateway/tests/schema/requirements.txt`)
//! runs every check it has against live servers: stateful, stateless, and
//! with auth as two token subjects that must not see each other's objects.
//! Its settings, and the two per-operation exceptions with their reasons,
//! are in `gateway/tests/schema/schemathesis.toml`.
//!
//! `scripts/test` installs schemathesis and sets `MCP_V8_SCHEMATHESIS` to
//! its `st`; a test run without it fails and says so.

use std::path::{Path, PathBuf};

use serde_json::json;

use crate::auth::{claims, token};
use crate::support::HttpServer;

const SETTINGS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/schema/schemathesis.toml");

/// Test cases per operation and phase: enough to find what the checks
/// find, in about ten seconds a server.
const EXAMPLES: &str = "60";

fn schemathesis() -> PathBuf {
    match std::env::var_os("MCP_V8_SCHEMATHESIS") {
        Some(path) => PathBuf::from(path),
        None => panic!(
            "the schema fuzzer needs schemathesis: run scripts/test (it installs the pinned version), \
             or set MCP_V8_SCHEMATHESIS to an `st` binary"
        ),
    }
}

/// Runs `st run` against `server` with `settings`; fails the test with
/// schemathesis's report when it finds anything (or cannot run).
async fn fuzz(server: &HttpServer, settings: &Path, extra: &[&str]) {
    let url = server.url("/api-doc/openapi.json");
    let mut command = tokio::process::Command::new(schemathesis());
    command
        .arg("--config-file")
        .arg(settings)
        .args(["--no-color", "run", &url, "--max-examples", EXAMPLES, "--generation-database", "none"])
        .args(extra)
        .current_dir(server.dir.path())
        .kill_on_drop(true);
    let out = tokio::time::timeout(std::time::Duration::from_secs(600), command.output())
        .await
        .expect("schemathesis finishes within 10 minutes")
        .expect("schemathesis runs");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "schemathesis found something ({}):\n{report}\n{}\nserver log (end):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr),
        tail(&server.stderr(), 4000)
    );
    assert!(report.contains(" passed"), "schemathesis ran test cases:\n{report}");
}

fn tail(text: &str, bytes: usize) -> &str {
    let mut start = text.len().saturating_sub(bytes);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}

#[tokio::test]
async fn the_stateful_rest_api_matches_its_openapi_document() {
    let server = HttpServer::start(&[]).await;
    fuzz(&server, Path::new(SETTINGS), &[]).await;
}

#[tokio::test]
async fn the_stateless_rest_api_matches_its_openapi_document() {
    let server = HttpServer::start(&["--stateless"]).await;
    fuzz(&server, Path::new(SETTINGS), &[]).await;
}

/// With auth: every operation refuses a missing or bad token (`ignored_auth`),
/// and what one subject made is not found for the other
/// (`object_level_authorization`, with the two as peers).
#[tokio::test]
async fn the_rest_api_with_auth_matches_its_document_and_keeps_subjects_apart() {
    let (server, keys, _) = crate::auth::jwks_server(&[]).await;
    let header = |subject: &str| {
        json!({"name": subject, "fixedHeaders": [
            {"name": "Authorization", "value": format!("Bearer {}", token(&keys, "k1", claims(json!({"sub": subject}))))}
        ]})
    };
    let users = server.dir.path().join("users.json");
    std::fs::write(&users, json!({"auth": [header("alice"), header("bob")]}).to_string()).unwrap();
    let settings = server.dir.path().join("schemathesis.toml");
    let mut text = std::fs::read_to_string(SETTINGS).unwrap();
    text.push_str(&format!("\n[auth.wfc]\npath = {:?}\npeers = [\"alice\", \"bob\"]\n", users.to_str().unwrap()));
    std::fs::write(&settings, text).unwrap();
    fuzz(&server, &settings, &[]).await;
}
