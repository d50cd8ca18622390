//! Capabilities behind policies, end to end: real Rego files (and a real
//! OPA-speaking loopback server), the real binary over stdio, real files.
//! For each: an allowed call works, a denied one throws a `PermissionDenied`
//! naming the capability and the rule, and has no effect.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::support::{Server, eventually, text_of};

/// A scratch tree: `allowed/` (with a file, and a link pointing out),
/// `outside/` (with a secret), and the policy file.
struct Tree {
    dir: tempfile::TempDir,
}

impl Tree {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir_all(root.join("allowed")).unwrap();
        std::fs::create_dir_all(root.join("outside")).unwrap();
        std::fs::write(root.join("allowed/hello.txt"), "hello\n").unwrap();
        std::fs::write(root.join("outside/secret.txt"), "secret\n").unwrap();
        std::os::unix::fs::symlink(root.join("outside/secret.txt"), root.join("allowed/link")).unwrap();
        Self { dir }
    }

    fn root(&self) -> PathBuf {
        std::fs::canonicalize(self.dir.path()).unwrap()
    }

    fn path(&self, rest: &str) -> String {
        self.root().join(rest).to_str().unwrap().to_owned()
    }

    /// Writes the filesystem policy: everything in and under `allowed/`.
    fn policy(&self, allow: &str) -> PathBuf {
        let file = self.root().join("fs.rego");
        let allowed = self.path("allowed");
        let text = match allow {
            "allowed" => format!(
                "package mcp.filesystem\n\
                 allow if input.path == {allowed:?}\n\
                 allow if startswith(input.path, concat(\"\", [{allowed:?}, \"/\"]))\n\
                 reason := \"outside the allowed folder\" if not allow\n"
            ),
            "nothing" => "package mcp.filesystem\nallow := false\n".to_owned(),
            broken => format!("package mcp.filesystem\nallow if {{{{ {broken}\n"),
        };
        std::fs::write(&file, text).unwrap();
        file
    }

    fn flags(&self, policy: &Path) -> Vec<String> {
        vec!["--policies-json".into(), json!({"filesystem": {"policies": [{"url": policy.to_str().unwrap()}]}}).to_string()]
    }
}

pub(crate) async fn stateless(flags: Vec<String>, log_dir: &Path) -> Server {
    let mut args = vec!["--stateless".to_owned()];
    args.extend(flags);
    Server::spawn_logging(&args, log_dir, "info,mcp_v8::decision=debug").await
}

/// Runs `code` and returns the result, or the error's `name: message`.
pub(crate) async fn outcome(server: &Server, code: &str) -> Value {
    let run = server.run(json!({"code": code})).await;
    match run["status"].as_str() {
        Some("completed") => run["result"].clone(),
        _ => json!(format!("{}: {}", run["error"]["name"].as_str().unwrap_or(""), run["error"]["message"].as_str().unwrap_or(""))),
    }
}

fn denied(outcome: &Value) -> bool {
    outcome.as_str().is_some_and(|t| t.starts_with("PermissionDenied: filesystem denied"))
}

#[tokio::test]
async fn files_are_reached_only_as_far_as_the_policy_allows() {
    let tree = Tree::new();
    let policy = tree.policy("allowed");
    let server = stateless(tree.flags(&policy), tree.dir.path()).await;
    let js = |p: &str| serde_json::to_string(&tree.path(p)).unwrap();

    // Allowed: read, write, append, list, stat, make and remove trees.
    assert_eq!(outcome(&server, &format!("await fs.readFile({}, 'utf8')", js("allowed/hello.txt"))).await, "hello\n");
    let wrote = outcome(
        &server,
        &format!(
            "await fs.writeFile({0}, 'one'); await fs.appendFile({0}, new TextEncoder().encode('+two')); \
             [await fs.readFile({0}, 'utf8'), (await fs.stat({0})).size, await fs.readdir({1})]",
            js("allowed/new.txt"),
            js("allowed")
        ),
    )
    .await;
    assert_eq!(wrote, json!(["one+two", 7, ["hello.txt", "link", "new.txt"]]));
    assert_eq!(std::fs::read_to_string(tree.path("allowed/new.txt")).unwrap(), "one+two");
    let tree_ops = outcome(
        &server,
        &format!(
            "await fs.mkdir({0}, {{recursive: true}}); await fs.writeFile({1}, 'x'); \
             const made = await fs.exists({1}); await fs.rm({2}, {{recursive: true}}); [made, await fs.exists({2})]",
            js("allowed/a/b/c"),
            js("allowed/a/b/c/file"),
            js("allowed/a")
        ),
    )
    .await;
    assert_eq!(tree_ops, json!([true, false]));

    // Denied, naming the capability, the operation's canonical path, the
    // rule and the policy's reason; and nothing happened.
    let secret = outcome(&server, &format!("await fs.readFile({}, 'utf8')", js("outside/secret.txt"))).await;
    assert!(denied(&secret), "{secret}");
    let text = secret.as_str().unwrap();
    assert!(text.contains(&tree.path("outside/secret.txt")) && text.contains("[rule data.mcp.filesystem.allow]"), "{text}");
    assert!(text.contains("outside the allowed folder"), "{text}");
    for (what, code) in [
        ("a link pointing out", format!("await fs.readFile({}, 'utf8')", js("allowed/link"))),
        ("dot-dot out", format!("await fs.readFile({}, 'utf8')", serde_json::to_string(&format!("{}/../outside/secret.txt", tree.path("allowed"))).unwrap())),
        ("a write outside", format!("await fs.writeFile({}, 'x')", js("outside/planted.txt"))),
        ("a write through the link", format!("await fs.writeFile({}, 'overwritten')", js("allowed/link"))),
        ("a move out", format!("await fs.rename({}, {})", js("allowed/hello.txt"), js("outside/moved.txt"))),
        ("a copy out", format!("await fs.copyFile({}, {})", js("allowed/hello.txt"), js("outside/copied.txt"))),
        ("removing outside", format!("await fs.rm({}, {{recursive: true}})", js("outside"))),
        ("a relative path", "await fs.readFile('/etc/hostname', 'utf8')".to_owned()),
    ] {
        let result = outcome(&server, &code).await;
        assert!(denied(&result), "{what}: {result}");
    }
    assert!(!Path::new(&tree.path("outside/planted.txt")).exists());
    assert!(!Path::new(&tree.path("outside/moved.txt")).exists() && !Path::new(&tree.path("outside/copied.txt")).exists());
    assert_eq!(std::fs::read_to_string(tree.path("outside/secret.txt")).unwrap(), "secret\n");
    assert!(Path::new(&tree.path("allowed/hello.txt")).exists());

    // Every decision is logged (at debug) with its input.
    let log = server.stderr();
    assert!(log.contains("policy decision") && log.contains("capability=\"filesystem\"") || log.contains("capability=filesystem"), "{log}");
    assert!(log.contains("allow=false") && log.contains("allow=true"), "{log}");
    server.stop().await;
}

#[tokio::test]
async fn without_a_policy_a_capability_is_denied_with_the_flag_that_turns_it_on() {
    let dir = tempfile::tempdir().unwrap();
    let server = stateless(Vec::new(), dir.path()).await;
    let result = server.call("run_js", json!({"code": "await fs.readFile('/etc/hostname', 'utf8')"})).await;
    let text = text_of(&result);
    assert!(text.starts_with("PermissionDenied: filesystem denied: readFile /etc/hostname"), "{text}");
    assert!(text.contains("--policies-json"), "{text}");
    server.stop().await;
}

#[tokio::test]
async fn a_policy_reloads_on_sighup_and_a_broken_one_keeps_the_old() {
    let tree = Tree::new();
    let policy = tree.policy("nothing");
    let server = stateless(tree.flags(&policy), tree.dir.path()).await;
    let read = format!("await fs.readFile({}, 'utf8')", serde_json::to_string(&tree.path("allowed/hello.txt")).unwrap());
    assert!(denied(&outcome(&server, &read).await));

    tree.policy("allowed");
    let hangup = || std::process::Command::new("kill").args(["-HUP", &server.pid.to_string()]).status().unwrap();
    hangup();
    eventually("the reloaded policy to allow", 20, || async { (outcome(&server, &read).await == "hello\n").then_some(()) }).await;

    tree.policy("this is not rego");
    hangup();
    eventually("the failed reload to be logged", 20, || async { server.stderr().contains("policies not reloaded").then_some(()) }).await;
    assert_eq!(outcome(&server, &read).await, "hello\n", "the previous policies stay");
    server.stop().await;
}

#[tokio::test]
async fn a_broken_policy_stops_the_server_at_start() {
    let tree = Tree::new();
    let policy = tree.policy("not rego at all");
    let out = std::process::Command::new(crate::support::BIN).arg("--stateless").args(tree.flags(&policy)).output().unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("policy load") && stderr.contains("fs.rego"), "{stderr}");
}

#[tokio::test]
async fn sessions_keep_state_across_runs_that_use_files() {
    let tree = Tree::new();
    let policy = tree.policy("allowed");
    let mut flags = tree.flags(&policy);
    let data = tempfile::tempdir().unwrap();
    flags.extend(["--directory-path".to_owned(), data.path().to_str().unwrap().to_owned()]);
    let server = Server::spawn(&flags, tree.dir.path()).await;
    let file = serde_json::to_string(&tree.path("allowed/hello.txt")).unwrap();
    let first = server.run(json!({"code": format!("globalThis.text = await fs.readFile({file}, 'utf8'); text.length"), "session": "files"})).await;
    assert_eq!(first["result"], 6, "{first}");
    let second = server.run(json!({"code": "text.trim()", "session": "files"})).await;
    assert_eq!(second["result"], "hello", "{second}");
    server.stop().await;
}

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../policies/examples");

fn policy_flags(capability: &str, file: &Path) -> Vec<String> {
    vec!["--policies-json".into(), json!({ capability: {"policies": [{"url": file.to_str().unwrap()}]} }).to_string()]
}

/// True when `pid` is gone (or a zombie nobody reaped yet).
fn gone(pid: u32) -> bool {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status.is_empty() || status.contains("State:\tZ")
}

#[tokio::test]
async fn programs_run_only_as_the_example_subprocess_policy_allows() {
    let dir = tempfile::tempdir().unwrap();
    let policy = Path::new(EXAMPLES).join("subprocess.rego");
    let server = stateless(policy_flags("subprocess", &policy), dir.path()).await;
    assert_eq!(
        outcome(&server, "await child_process.execFile('echo', ['$HOME;', 'rm', '-rf', '/'])").await,
        json!({"stdout": "$HOME; rm -rf /\n", "stderr": ""}),
        "arguments go to the program as they are: no shell"
    );
    let marker = dir.path().join("made-by-sh");
    let shell = outcome(&server, &format!("await child_process.execFile('/bin/sh', ['-c', 'touch {}'])", marker.display())).await;
    let text = shell.as_str().unwrap_or_default();
    assert!(text.starts_with("PermissionDenied: subprocess denied: exec /bin/sh -c touch"), "{shell}");
    assert!(text.contains("/bin/sh may not be run") && text.contains("[rule data.mcp.subprocess.allow]"), "{text}");
    assert!(!marker.exists(), "a denied program never runs");
    let output = outcome(&server, "const o = await new child_process.Command('echo', {args: ['bytes']}).output(); [o.success, Array.from(o.stdout)]").await;
    assert_eq!(output, json!([true, [98, 121, 116, 101, 115, 10]]));
    server.stop().await;
}

#[tokio::test]
async fn a_program_gets_no_server_environment_and_dies_with_its_run() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("sh.rego");
    std::fs::write(&policy, "package mcp.subprocess\nallow if input.resolved in {\"/usr/bin/sh\", \"/bin/sh\", \"/usr/bin/dash\", \"/bin/dash\", \"/usr/bin/bash\", \"/bin/bash\"}\n").unwrap();
    let mut args = vec!["--stateless".to_owned()];
    args.extend(policy_flags("subprocess", &policy));
    // A secret in the server's environment must not reach the program.
    let server = {
        // SAFETY: set before any thread of this test reads the environment;
        // the child inherits it at spawn.
        unsafe { std::env::set_var("MCP_V8_TEST_SECRET", "hunter2") };
        Server::spawn(&args, dir.path()).await
    };
    let env = outcome(&server, "(await child_process.execFile('sh', ['-c', 'env'], {env: {GREETING: 'hi'}})).stdout").await;
    let env = env.as_str().unwrap();
    assert!(env.contains("GREETING=hi") && env.contains("PATH=/usr/local/bin:/usr/bin:/bin"), "{env}");
    assert!(!env.contains("hunter2") && !env.contains("MCP_V8"), "the server's environment leaked: {env}");

    // Over its timeout: the program and what it started in the background are killed.
    let pids = dir.path().join("pids");
    let killed = outcome(
        &server,
        &format!(
            "(async () => {{ try {{ await child_process.execFile('sh', ['-c', 'sleep 30 & echo $! > {0}; echo $$ >> {0}; wait'], {{timeout: 300}}) }} catch (e) {{ return e.killed }} }})()",
            pids.display()
        ),
    )
    .await;
    assert_eq!(killed, true);
    let started: Vec<u32> = std::fs::read_to_string(&pids).unwrap().lines().map(|l| l.trim().parse().unwrap()).collect();
    eventually("the program's group to be gone", 10, || async { started.iter().all(|&pid| gone(pid)).then_some(()) }).await;

    // Over its output cap: killed, and said so.
    let overflow = outcome(&server, "(async () => { try { await child_process.execFile('sh', ['-c', 'yes'], {maxBuffer: 4096}) } catch (e) { return e.message } })()").await;
    assert!(overflow.as_str().unwrap().contains("output over maxBuffer"), "{overflow}");

    // The run's own timeout kills a program that would outlive it.
    std::fs::remove_file(&pids).unwrap();
    let run = server
        .run(json!({"code": format!("await child_process.execFile('sh', ['-c', 'echo $$ > {}; sleep 60'])", pids.display()), "execution_timeout_secs": 1}))
        .await;
    assert_eq!(run["status"], "timed_out", "{run}");
    let pid: u32 = std::fs::read_to_string(&pids).unwrap().trim().parse().unwrap();
    eventually("the timed-out run's program to be gone", 10, || async { gone(pid).then_some(()) }).await;
    server.stop().await;
}

#[tokio::test]
async fn run_js_takes_code_from_a_file_only_when_allowed() {
    let tree = Tree::new();
    let scripts = tree.root().join("scripts");
    std::fs::create_dir_all(&scripts).unwrap();
    std::fs::write(scripts.join("sum.ts"), "const n: number = 20; n + 22").unwrap();
    std::fs::write(tree.root().join("outside/other.js"), "'should not run'").unwrap();
    let file = |p: &Path| json!({"file": p.to_str().unwrap()});

    // Off: not in the schema, and refused.
    let off = stateless(Vec::new(), tree.dir.path()).await;
    let tools = off.client.list_all_tools().await.unwrap();
    let run_js = tools.iter().find(|t| t.name == "run_js").unwrap();
    assert!(run_js.input_schema["properties"].get("file").is_none(), "no `file` when it is off");
    let refused = off.call("run_js", file(&scripts.join("sum.ts"))).await;
    assert!(text_of(&refused).contains("--allow-run-js-file"), "{}", text_of(&refused));
    off.stop().await;

    // A policy decides each file.
    let policy = tree.root().join("files.rego");
    std::fs::write(&policy, format!("package mcp.run_js_file\nallow if startswith(input.path, {:?})\n", format!("{}/", scripts.display()))).unwrap();
    let on = stateless(policy_flags("run_js_file", &policy), tree.dir.path()).await;
    let tools = on.client.list_all_tools().await.unwrap();
    assert!(tools.iter().find(|t| t.name == "run_js").unwrap().input_schema["properties"].get("file").is_some());
    assert_eq!(on.run(file(&scripts.join("sum.ts"))).await["result"], 42);
    let denied = on.call("run_js", file(&tree.root().join("outside/other.js"))).await;
    assert!(text_of(&denied).contains("run_js_file denied: read"), "{}", text_of(&denied));
    let both = rmcp::model::CallToolRequestParams::new("run_js")
        .with_arguments(json!({"code": "1", "file": scripts.join("sum.ts").to_str().unwrap()}).as_object().unwrap().clone());
    let error = on.client.call_tool(both).await.unwrap_err().to_string();
    assert!(error.contains("not both"), "{error}");
    on.stop().await;

    // The reference's flag: any readable file.
    let any = stateless(vec!["--allow-run-js-file".into()], tree.dir.path()).await;
    assert_eq!(any.run(file(&tree.root().join("outside/other.js"))).await["result"], "should not run");
    any.stop().await;
}
