//! Starting `mcp-v8 --http-port 0` as a child process and learning where it
//! listens, for the benchmark tools and the tests: the server picks a free
//! port itself (no race between finding one and binding it) and logs its
//! address, which is read from its stderr. The rest of stderr goes on to a
//! file. Also what the tools read of a server process: where its binary is,
//! and its memory.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// A running `mcp-v8` serving HTTP, killed on drop.
pub struct HttpChild {
    pub child: std::process::Child,
    /// `http://127.0.0.1:PORT` (or https).
    pub base: String,
    /// Where the server's stderr goes.
    pub stderr_log: PathBuf,
}

impl HttpChild {
    /// Runs `command` (which must serve HTTP on a port, usually
    /// `--http-port 0`) and waits up to `timeout` for it to say where.
    pub fn spawn(mut command: Command, stderr_log: &Path, timeout: Duration) -> std::io::Result<Self> {
        let mut child = command.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped()).spawn()?;
        let stderr = child.stderr.take().expect("piped");
        let mut log = std::fs::File::create(stderr_log)?;
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                let _ = writeln!(log, "{line}");
                // "serving on http://127.0.0.1:40123: MCP at /mcp ..."
                if let Some(rest) = line.split("serving on ").nth(1)
                    && let Some(base) = rest.split(": ").next()
                    && let Some(sender) = tx.take()
                {
                    let _ = sender.send(base.to_owned());
                }
            }
        });
        match rx.recv_timeout(timeout) {
            Ok(base) => Ok(Self { child, base, stderr_log: stderr_log.to_owned() }),
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                let log = std::fs::read_to_string(stderr_log).unwrap_or_default();
                Err(std::io::Error::other(format!("mcp-v8 did not start serving HTTP:\n{log}")))
            }
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for HttpChild {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `mcp-v8` binary a tool drives: `explicit`, else the one beside the
/// running tool (both are built together).
pub fn server_binary(explicit: Option<PathBuf>) -> std::io::Result<PathBuf> {
    let path = match explicit {
        Some(path) => path,
        None => std::env::current_exe()?.parent().map(|dir| dir.join("mcp-v8")).unwrap_or_else(|| PathBuf::from("mcp-v8")),
    };
    if path.exists() {
        Ok(path)
    } else {
        Err(std::io::Error::other(format!("{} not found: build it with `cargo build --release` or pass --server", path.display())))
    }
}

/// A memory figure of a process in KiB, from `/proc/PID/status`: `VmRSS:`
/// (now) or `VmHWM:` (peak). 0 when the process is gone.
pub fn memory_kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}
