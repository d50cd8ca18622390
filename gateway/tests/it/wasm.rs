//! Preloaded WebAssembly modules over stdio: the globals every stateless
//! run finds, the stub tools a client discovers, and the start-up errors.

use std::path::Path;

use serde_json::json;

use crate::support::{BIN, Server, text_of};

/// `(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))`
const ADD_WASM: &[u8] = &[
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x03, 0x02, 0x01,
    0x00, 0x07, 0x07, 0x01, 0x03, 0x61, 0x64, 0x64, 0x00, 0x00, 0x0a, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a,
    0x0b,
];

/// `(module (import "env" "log" (func (param i32))) (func (export "run") i32.const 42 call 0))`
const IMPORTS_WASM: &[u8] = &[
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x60, 0x01, 0x7f, 0x00, 0x60, 0x00, 0x00, 0x02, 0x0b,
    0x01, 0x03, 0x65, 0x6e, 0x76, 0x03, 0x6c, 0x6f, 0x67, 0x00, 0x00, 0x03, 0x02, 0x01, 0x01, 0x07, 0x07, 0x01, 0x03, 0x72,
    0x75, 0x6e, 0x00, 0x01, 0x0a, 0x08, 0x01, 0x06, 0x00, 0x41, 0x2a, 0x10, 0x00, 0x0b,
];

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_owned()
}

#[tokio::test]
async fn preloaded_modules_are_globals_and_stub_tools() {
    let dir = tempfile::tempdir().unwrap();
    let math = write(dir.path(), "add.wasm", ADD_WASM);
    let config = dir.path().join("wasm.json");
    std::fs::write(&config, json!({"host": {"path": write(dir.path(), "host.wasm", IMPORTS_WASM), "max_memory": "1m"}}).to_string())
        .unwrap();
    let args: Vec<String> = [
        "--stateless",
        "--wasm-module",
        &format!("math={math}:2m"),
        "--wasm-config",
        config.to_str().unwrap(),
        "--wasm-stub-description",
        "math=Adds two numbers.",
    ]
    .map(String::from)
    .to_vec();
    let server = Server::spawn(&args, dir.path()).await;

    // The globals, in every run.
    for _ in 0..2 {
        let run = server.run(json!({"code": "[math.add(2, 3), __wasm_math instanceof WebAssembly.Module, typeof host]"})).await;
        assert_eq!(run["result"], json!([5, true, "undefined"]), "{run}");
    }
    let run = server
        .run(json!({"code": "let seen; new WebAssembly.Instance(__wasm_host, {env: {log: (n) => { seen = n; }}}).exports.run(); seen"}))
        .await;
    assert_eq!(run["result"], 42, "{run}");

    // The stubs: listed with how to use them; a call says so and runs nothing.
    let tools = server.client.list_all_tools().await.unwrap();
    let stub = |name: &str| tools.iter().find(|t| t.name == name).unwrap_or_else(|| panic!("{name} is listed")).clone();
    let math_stub = stub("runjs__wasm__math");
    let description = math_stub.description.as_deref().unwrap_or("");
    assert!(description.starts_with("Adds two numbers.") && description.contains("`math.add(...)`"), "{description}");
    let host_stub = stub("runjs__wasm__host");
    assert!(host_stub.description.as_deref().unwrap_or("").contains("imports (env.log)"), "{host_stub:?}");
    let called = server.call("runjs__wasm__host", json!({})).await;
    assert!(text_of(&called).contains("new WebAssembly.Instance(__wasm_host, imports)"), "{}", text_of(&called));
    assert_ne!(called.is_error, Some(true));
    server.stop().await;

    // Stubs off.
    let quiet = Server::spawn(&["--stateless".into(), "--wasm-module".into(), format!("math={math}"), "--wasm-stubs".into(), "false".into()], dir.path()).await;
    let tools = quiet.client.list_all_tools().await.unwrap();
    assert!(!tools.iter().any(|t| t.name.contains("wasm__")), "no stubs with --wasm-stubs false");
    assert_eq!(quiet.run(json!({"code": "math.add(40, 2)"})).await["result"], 42);
    quiet.stop().await;
}

#[test]
fn start_up_errors_name_the_module_and_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let math = write(dir.path(), "add.wasm", ADD_WASM);
    let broken = write(dir.path(), "broken.wasm", b"\0asm\x01\0\0\0\x99");
    for (args, says) in [
        (vec!["--directory-path".to_owned(), dir.path().join("d").to_str().unwrap().into(), "--wasm-module".into(), format!("math={math}")], "need --stateless"),
        (vec!["--stateless".into(), "--wasm-module".into(), format!("bad={broken}")], "'bad' does not compile"),
        (vec!["--stateless".into(), "--wasm-module".into(), "gone=/no/such.wasm".into()], "'gone': cannot read /no/such.wasm"),
    ] {
        let out = std::process::Command::new(BIN).args(&args).stdin(std::process::Stdio::null()).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success() && stderr.contains(says), "{args:?}: {stderr}");
    }
}
