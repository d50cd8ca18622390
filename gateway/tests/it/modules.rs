//! ES module imports behind `--allow-external-modules` and the `modules`
//! policy, end to end: the real binary over stdio, modules served by a real
//! loopback origin that records every request (the same one as the fetch
//! test's), which also plays the `npm:`/`jsr:` CDN.

use std::path::{Path, PathBuf};

use serde_json::json;

use crate::capabilities::{outcome, stateless};
use crate::fetch::Origin;
use crate::support::Server;

/// Modules from 127.0.0.1, never under `/private`.
fn flags(dir: &Path, origin: &Origin, cache: &Path) -> Vec<String> {
    let policy = dir.join("modules.rego");
    std::fs::write(
        &policy,
        "package mcp.modules\n\
         allow if {\n  input.url_parsed.host == \"127.0.0.1\"\n  not startswith(input.url_parsed.path, \"/private\")\n}\n\
         reason := sprintf(\"%s%s is not allowed\", [input.url_parsed.host, input.url_parsed.path]) if not allow\n",
    )
    .unwrap();
    vec![
        "--allow-external-modules".into(),
        "--module-cdn".into(),
        origin.url("/npm/"),
        "--module-cache-dir".into(),
        cache.to_str().unwrap().into(),
        "--policies-json".into(),
        json!({"modules": {"policies": [{"url": policy.to_str().unwrap()}]}}).to_string(),
    ]
}

/// The result of `code` in session `m`.
async fn run(server: &Server, code: String) -> serde_json::Value {
    server.run(json!({"code": code, "session": "m"})).await["result"].clone()
}

fn js(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

/// The cached body holding `needle`.
fn cached_body(cache: &Path, needle: &str) -> PathBuf {
    std::fs::read_dir(cache)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| {
            path.extension().is_some_and(|e| e == "body") && std::fs::read_to_string(path).unwrap().contains(needle)
        })
        .expect("the module is cached")
}

#[tokio::test]
async fn imports_load_only_what_the_policy_allows() {
    let origin = Origin::start().await;
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("module-cache");
    let server = stateless(flags(dir.path(), &origin, &cache), dir.path()).await;
    let lib = origin.url("/m/lib.js");

    // Every kind of import: URL (default, named, namespace), a module's own
    // relative import, npm: through a redirect of the CDN, jsr:, TypeScript, JSON.
    let got = outcome(
        &server,
        &format!(
            "import lib, {{ add }} from {};\nimport * as rel from {};\nimport pad from 'npm:left-pad';\n\
             import {{ answer }} from 'jsr:@std/answer@1';\nimport {{ greet }} from {};\n\
             import data from {} with {{ type: 'json' }};\n\
             [lib, add(2, 3), rel.twice(4), pad('x', 3), answer, greet('ts'), data.name]",
            js(&lib),
            js(&origin.url("/m/uses-relative.js")),
            js(&origin.url("/m/typed.ts")),
            js(&origin.url("/data.json")),
        ),
    )
    .await;
    assert_eq!(got, json!(["lib", 5, 8, "..x", 42, "hi ts", "data"]));
    assert_eq!((origin.count("/npm/left-pad"), origin.count("/npm/left-pad@1.0.0")), (1, 1));

    // Dynamic import() in another run (a fresh isolate): served from the
    // cache, but decided again.
    assert_eq!(outcome(&server, &format!("const m = await import({}); m.add(1, 1)", js(&lib))).await, 2);
    assert_eq!(origin.count("/m/lib.js"), 1, "the cached module was fetched again");
    let decisions = server
        .stderr()
        .lines()
        .filter(|line| line.contains("policy decision") && line.contains("modules") && line.contains("/m/lib.js"))
        .count();
    assert!(decisions >= 2, "each run decides its imports: {decisions}");

    // Denied: a dependency of an allowed module; the request never leaves.
    let denied = outcome(&server, &format!("import {{ x }} from {}; x", js(&origin.url("/m/denied-dep.js")))).await;
    let denied = denied.as_str().unwrap();
    // deno_core rejects every failed import with a TypeError (as Deno does
    // for its permission errors); the message says the rest.
    assert!(denied.starts_with("TypeError: modules denied: import '/private/evil.js'"), "{denied}");
    assert!(
        denied.contains("(127.0.0.1/private/evil.js is not allowed)")
            && denied.contains("[rule data.mcp.modules.allow]"),
        "{denied}"
    );
    assert_eq!(origin.count("/private/evil.js"), 0, "a denied module was fetched");
    // A redirect to a host the policy does not allow: that hop is never fetched.
    let out = outcome(&server, &format!("await import({})", js(&origin.url("/m/redirect-out.js")))).await;
    assert!(out.as_str().unwrap().contains("modules denied") && out.as_str().unwrap().contains("localhost"), "{out}");
    assert_eq!(origin.count("/m/landing.js"), 0);

    // What cannot be a module, with what to write instead.
    let cases = [
        ("import x from 'lodash'; x", "npm:lodash"),
        ("await import('node:fs')", "not available"),
        ("await import('file:///etc/passwd')", "not available"),
        ("await import('./local.js')", "relative"),
        (&*format!("await import({})", js(&origin.url("/m/page.js"))), "HTML page"),
        (&*format!("await import({})", js(&origin.url("/m/missing.js"))), "HTTP 404"),
    ];
    for (code, says) in cases {
        let out = outcome(&server, code).await;
        assert!(out.as_str().unwrap().contains(says), "{code}: {out}");
    }

    // An import that never arrives ends with the run's timeout; the server goes on.
    let run = server
        .run(json!({"code": format!("await import({})", js(&origin.url("/m/slow.js"))), "execution_timeout_secs": 1}))
        .await;
    assert_eq!(run["status"], "timed_out", "{run}");
    assert_eq!(outcome(&server, "1 + 1").await, 2);
    server.stop().await;

    // The cache is checked on reuse: a body that no longer matches its
    // hash is dropped and fetched again.
    std::fs::write(cached_body(&cache, "export default 'lib'"), "export default 'tampered';").unwrap();
    let server = stateless(flags(dir.path(), &origin, &cache), dir.path()).await;
    assert_eq!(outcome(&server, &format!("(await import({})).default", js(&lib))).await, "lib");
    assert_eq!(origin.count("/m/lib.js"), 2);
    assert!(server.stderr().contains("does not match its SHA-256"), "{}", server.stderr());
    server.stop().await;
}

#[tokio::test]
async fn imports_are_off_without_the_flag_and_denied_without_a_policy() {
    let origin = Origin::start().await;
    let server = Server::stateless(&[]).await;
    let out = outcome(&server, &format!("import {{ add }} from {}; add(1, 2)", js(&origin.url("/m/lib.js")))).await;
    let out = out.as_str().unwrap();
    assert!(out.starts_with("TypeError: modules denied") && out.contains("--allow-external-modules"), "{out}");
    server.stop().await;

    let server = Server::stateless(&["--allow-external-modules"]).await;
    let out = outcome(&server, "import pad from 'npm:left-pad'; pad('a', 2)").await;
    assert!(out.as_str().unwrap().contains("a `modules` policy in --policies-json turns it on"), "{out}");
    server.stop().await;
    assert!(origin.seen_nothing(), "a module was fetched without the flag or a policy");
}

#[tokio::test]
async fn a_session_keeps_what_it_imported() {
    let origin = Origin::start().await;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let counter = js(&origin.url("/m/counter.js"));
    let args = |cache: &str| {
        let mut args = vec!["--directory-path".to_owned(), data.to_str().unwrap().to_owned()];
        args.extend(flags(dir.path(), &origin, &dir.path().join(cache)));
        args
    };
    let server = Server::spawn(&args("cache-1"), dir.path()).await;
    assert_eq!(run(&server, format!("import {{ inc }} from {counter}; inc()")).await, 1);
    assert_eq!(run(&server, "inc()".into()).await, 2);
    assert_eq!(run(&server, format!("const c = await import({counter}); [c.inc(), c.n]")).await, json!([3, 3]));
    assert_eq!(origin.count("/m/counter.js"), 1);

    // A run stopped while it imports keeps nothing: the session goes on from its last heap.
    let slow = server
        .run(json!({"code": format!("await import({})", js(&origin.url("/m/slow.js"))), "session": "m", "execution_timeout_secs": 1}))
        .await;
    assert_eq!(slow["status"], "timed_out", "{slow}");
    assert_eq!(run(&server, "inc()".into()).await, 4);
    server.stop_and_wait().await;

    // Restarted with an empty cache: the module lives in the session's heap,
    // and importing it again fetches nothing.
    let server = Server::spawn(&args("cache-2"), dir.path()).await;
    assert_eq!(
        run(&server, format!("const again = await import({counter}); [again.inc(), inc()]")).await,
        json!([5, 6])
    );
    assert_eq!(origin.count("/m/counter.js"), 1, "a kept module was fetched again");
    server.stop().await;
}
