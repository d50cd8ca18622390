//! The `subprocess` capability: the op behind `child_process.execFile` and
//! `child_process.Command` (`js/process.js`).
//!
//! The program is looked up on a fixed `PATH` (not the server's), and the
//! decider is asked with `{operation: "exec", command, resolved, args, cwd,
//! env}`; the program decided on (`resolved`) is what runs, without a shell,
//! with an environment of `PATH` plus the `env` given (the server's own
//! environment, which may hold secrets, is never passed on).
//!
//! **Invariants:**
//! - A child runs in its own process group, which is killed when the run
//!   stops, when its timeout passes, or when its output goes over its cap:
//!   nothing a run started outlives it.
//! - stdout and stderr are each capped (`maxBuffer`, at most the run's
//!   memory budget) while they are read.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::rc::Rc;
use std::time::Duration;

use deno_core::{OpState, ToJsBuffer, op2};
use deno_error::JsErrorBox;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};

use crate::capability::Capability;
use crate::context::RunContext;

/// The `PATH` programs are found on, and the one they get.
pub const PATH: &str = "/usr/local/bin:/usr/bin:/bin";
/// stdout and stderr are each capped here unless `maxBuffer` says.
const DEFAULT_MAX_BUFFER: usize = 1 << 20;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecOptions {
    command: String,
    #[serde(default)]
    args: Vec<String>,
    cwd: Option<String>,
    #[serde(default)]
    env: BTreeMap<String, String>,
    /// Milliseconds; killed after.
    timeout: Option<f64>,
    max_buffer: Option<f64>,
    /// Written to stdin, which is then closed.
    input: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecOutput {
    /// The exit code, or null when a signal ended it.
    code: Option<i32>,
    signal: Option<i32>,
    stdout: ToJsBuffer,
    stderr: ToJsBuffer,
    /// Why the server ended it: "timeout" or "maxBuffer".
    killed: Option<&'static str>,
}

/// `command` as found on [`PATH`] (or as given, when it has a slash).
fn resolve(command: &str) -> Option<PathBuf> {
    if command.contains('/') {
        let path = Path::new(command);
        return path.is_file().then(|| std::fs::canonicalize(path).ok()).flatten();
    }
    PATH.split(':').map(|dir| Path::new(dir).join(command)).find(|p| p.is_file()).and_then(|p| std::fs::canonicalize(p).ok())
}

/// Kills the child's process group when dropped (the run stopped, the
/// timeout passed, the output overflowed) unless it was disarmed.
struct GroupGuard(Option<rustix::process::Pid>);

impl Drop for GroupGuard {
    fn drop(&mut self) {
        if let Some(pid) = self.0 {
            let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
        }
    }
}

/// Reads `from` to its end, or fails past `cap` bytes.
async fn read_capped(mut from: impl AsyncRead + Unpin, cap: usize) -> Result<Vec<u8>, ()> {
    let mut out = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    loop {
        let n = from.read(&mut buf).await.map_err(|_| ())?;
        if n == 0 {
            return Ok(out);
        }
        if out.len() + n > cap {
            return Err(());
        }
        out.extend_from_slice(&buf[..n]);
    }
}

#[op2]
#[serde]
pub async fn op_mcpv8_exec(state: Rc<RefCell<OpState>>, #[serde] options: ExecOptions) -> Result<ExecOutput, JsErrorBox> {
    let span = child_span!(
        "process",
        otel.name = %format_args!("exec {}", options.command),
        "process.executable.name" = options.command.as_str(),
        "error.type" = tracing::field::Empty,
        otel.status_code = tracing::field::Empty,
    );
    // Boxed: the run waits for the process in a future too large for the V8 thread's stack.
    crate::context::in_span(span, Box::pin(exec(state, options))).await
}

async fn exec(state: Rc<RefCell<OpState>>, options: ExecOptions) -> Result<ExecOutput, JsErrorBox> {
    let context = RunContext::current(&state.borrow())?;
    if options.command.is_empty() || options.command.contains('\0') || options.args.iter().any(|a| a.contains('\0')) {
        return Err(JsErrorBox::type_error("child_process: the command and its arguments must be non-empty strings without NUL"));
    }
    let resolved = resolve(&options.command);
    let cwd = match &options.cwd {
        Some(cwd) => Some(std::fs::canonicalize(cwd).map_err(|e| JsErrorBox::generic(format!("child_process: cwd '{cwd}': {e}")))?),
        None => None,
    };
    let mut fields = Map::new();
    fields.insert("operation".into(), Value::String("exec".into()));
    fields.insert("command".into(), Value::String(options.command.clone()));
    fields.insert("resolved".into(), resolved.as_ref().map_or(Value::Null, |p| Value::String(p.to_string_lossy().into_owned())));
    fields.insert("args".into(), Value::from(options.args.clone()));
    fields.insert("cwd".into(), cwd.as_ref().map_or(Value::Null, |p| Value::String(p.to_string_lossy().into_owned())));
    fields.insert("env".into(), serde_json::to_value(&options.env).unwrap_or_default());
    let operation = format!("exec {} {}", options.command, options.args.join(" "));
    context.check(Capability::Subprocess, operation.trim_end(), fields).await?;
    let Some(program) = resolved else {
        return Err(JsErrorBox::generic(format!("ENOENT: child_process: '{}' not found on {PATH}", options.command)));
    };

    let cap = options.max_buffer.map_or(DEFAULT_MAX_BUFFER, |b| b.max(0.0) as usize).min(context.budget_bytes);
    let mut command = tokio::process::Command::new(&program);
    command
        .args(&options.args)
        .env_clear()
        .env("PATH", PATH)
        .envs(&options.env)
        .stdin(if options.input.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .kill_on_drop(true);
    if let Some(cwd) = &cwd {
        command.current_dir(cwd);
    }
    // SAFETY: only an async-signal-safe syscall between fork and exec. The
    // child dies with the server even when the server is killed outright.
    unsafe {
        command.pre_exec(|| {
            rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::KILL))
                .map_err(std::io::Error::from)
        });
    }
    let mut child = command.spawn().map_err(|e| JsErrorBox::generic(format!("child_process: cannot start {}: {e}", program.display())))?;
    let mut guard = GroupGuard(child.id().and_then(|id| rustix::process::Pid::from_raw(id as i32)));
    if let (Some(input), Some(mut stdin)) = (options.input, child.stdin.take()) {
        tokio::spawn(async move {
            let _ = stdin.write_all(input.as_bytes()).await;
        });
    }
    let (stdout, stderr) = (child.stdout.take().expect("piped"), child.stderr.take().expect("piped"));
    let work = async {
        let (out, err) = tokio::join!(read_capped(stdout, cap), read_capped(stderr, cap));
        match (out, err) {
            (Ok(out), Ok(err)) => Ok((child.wait().await, out, err)),
            _ => Err("maxBuffer"),
        }
    };
    let timeout = options.timeout.filter(|t| t.is_finite() && *t > 0.0).map(|t| Duration::from_secs_f64(t / 1000.0));
    let waited = async {
        match timeout {
            Some(timeout) => tokio::time::timeout(timeout, work).await.unwrap_or(Err("timeout")),
            None => work.await,
        }
    };
    // A stopped run returns here: `child` and the guard drop, killing the group.
    let finished = context.until_stopped(waited).await?;
    match finished {
        Ok((status, stdout, stderr)) => {
            let status = status.map_err(|e| JsErrorBox::generic(format!("child_process: {e}")))?;
            use std::os::unix::process::ExitStatusExt;
            // The guard still kills what is left of the group (a grandchild
            // that went to the background) as this returns.
            Ok(ExecOutput { code: status.code(), signal: status.signal(), stdout: stdout.into(), stderr: stderr.into(), killed: None })
        }
        Err(why) => {
            if let Some(pid) = guard.0.take() {
                let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
            }
            let _ = child.wait().await;
            Ok(ExecOutput { code: None, signal: Some(9), stdout: Vec::new().into(), stderr: Vec::new().into(), killed: Some(why) })
        }
    }
}
