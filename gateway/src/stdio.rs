//! The stdio transport: an rmcp transport (a stream of the client's
//! messages, a sink for ours) over stdin and stdout, with a guard in front.
//!
//! A client that sent malformed JSON deserves the JSON-RPC answer (`-32700
//! Parse error`, `-32600 Invalid Request` for JSON that is not a JSON-RPC
//! message, `-32602 Invalid params` for a request rmcp cannot take, with the
//! request's id), not rmcp's generic answer without an id, so every stdin
//! line is checked here, and the session goes on.
//!
//! The lines are read and decoded where rmcp polls the stream, and rmcp's
//! answers written where it feeds the sink: no task or in-memory pipe in
//! between (each was a thread wake-up per message). rmcp polls the stream
//! inside a `select!`; the line being read lives in the stream, not in the
//! dropped poll, so nothing is lost.
//!
//! **Invariant:** stdout gets whole lines only: the sink and the guard's
//! replies write under one lock, a line and its flush at a time.
//!
//! When stdin and stdout are pipes or Unix sockets (what an MCP client gives
//! its server) they are read and written non-blocking on the runtime's I/O
//! driver ([`process_stdio`]); tokio's own stdin and stdout hand every read
//! and write to a blocking thread, two thread switches per message.

use std::sync::Arc;

use futures::{Sink, Stream};
use rmcp::model::{ClientJsonRpcMessage, ServerJsonRpcMessage};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::Mutex;

/// Longest line accepted (a run's code travels in one line).
const MAX_LINE: usize = 16 << 20;

type Input = Box<dyn AsyncRead + Unpin + Send>;
type Output = Box<dyn AsyncWrite + Unpin + Send>;

/// The process's stdin and stdout: non-blocking when they are pipes or
/// sockets (Node's `child_process`, which most MCP clients use, gives its
/// children socket pairs), else tokio's. They stay non-blocking for the
/// process's life: nothing else here reads stdin or writes stdout, and no
/// child inherits them.
pub fn process_stdio() -> (Input, Output) {
    use std::os::fd::AsFd;
    use tokio::net::unix::pipe;
    let input: Input = match nonblocking(std::io::stdin().as_fd()) {
        Some(Nonblocking::Pipe(file)) => match pipe::Receiver::from_file(file) {
            Ok(pipe) => Box::new(pipe),
            Err(_) => Box::new(tokio::io::stdin()),
        },
        Some(Nonblocking::Socket(socket)) => Box::new(socket),
        None => Box::new(tokio::io::stdin()),
    };
    let output: Output = match nonblocking(std::io::stdout().as_fd()) {
        Some(Nonblocking::Pipe(file)) => match pipe::Sender::from_file(file) {
            Ok(pipe) => Box::new(pipe),
            Err(_) => Box::new(tokio::io::stdout()),
        },
        Some(Nonblocking::Socket(socket)) => Box::new(socket),
        None => Box::new(tokio::io::stdout()),
    };
    (input, output)
}

enum Nonblocking {
    Pipe(std::fs::File),
    Socket(tokio::net::UnixStream),
}

/// A copy of `fd` for the I/O driver, when it is a pipe or a Unix socket.
fn nonblocking(fd: std::os::fd::BorrowedFd<'_>) -> Option<Nonblocking> {
    use std::os::unix::fs::FileTypeExt;
    let file = std::fs::File::from(fd.try_clone_to_owned().ok()?);
    let kind = file.metadata().ok()?.file_type();
    if kind.is_fifo() {
        return Some(Nonblocking::Pipe(file));
    }
    if !kind.is_socket() {
        return None;
    }
    let socket = std::os::unix::net::UnixStream::from(std::os::fd::OwnedFd::from(file));
    // Only a Unix socket has a Unix address.
    socket.local_addr().ok()?;
    socket.set_nonblocking(true).ok()?;
    tokio::net::UnixStream::from_std(socket).ok().map(Nonblocking::Socket)
}

/// The transport to give rmcp's `serve`: our messages in, the client's out.
pub fn guarded(
    input: impl AsyncRead + Unpin + Send + 'static,
    output: impl AsyncWrite + Unpin + Send + 'static,
) -> (
    impl Sink<ServerJsonRpcMessage, Error = std::io::Error> + Send + Unpin + 'static,
    impl Stream<Item = ClientJsonRpcMessage> + Send + Unpin + 'static,
) {
    let output: Arc<Mutex<Output>> = Arc::new(Mutex::new(Box::new(output)));
    let replies = output.clone();
    let messages = futures::stream::unfold((BufReader::new(input), String::new(), replies), |state| async move {
        let (mut lines, mut line, replies) = state;
        loop {
            line.clear();
            match lines.read_line(&mut line).await {
                Ok(0) | Err(_) => return None, // the client went away
                Ok(_) => {}
            }
            if line.trim().is_empty() {
                continue;
            }
            let reply = match decode(&line) {
                Ok(message) => return Some((message, (lines, line, replies))),
                Err(None) => continue,
                Err(Some(reply)) => reply,
            };
            if write_line(&replies, reply.into_bytes()).await.is_err() {
                return None;
            }
        }
    });
    let sink = futures::sink::unfold(output, |output, message: ServerJsonRpcMessage| async move {
        let line = serde_json::to_vec(&message).map_err(std::io::Error::other)?;
        write_line(&output, line).await?;
        Ok(output)
    });
    (Box::pin(sink), Box::pin(messages))
}

/// Writes one line and flushes it, under the lock.
async fn write_line(output: &Mutex<Output>, mut line: Vec<u8>) -> std::io::Result<()> {
    line.push(b'\n');
    let mut output = output.lock().await;
    output.write_all(&line).await?;
    output.flush().await
}

/// A message for rmcp, or the reply to a bad line (`None`: a notification
/// rmcp cannot take, which gets no reply).
fn decode(line: &str) -> Result<ClientJsonRpcMessage, Option<String>> {
    if line.len() > MAX_LINE {
        return Err(Some(error_reply(Value::Null, -32600, &format!("message longer than {MAX_LINE} bytes"))));
    }
    let error = match serde_json::from_str::<ClientJsonRpcMessage>(line) {
        Ok(message) => return Ok(message),
        Err(error) => error,
    };
    check(line).map_err(Some)?;
    // A JSON-RPC message rmcp cannot take: a request's parameters are wrong.
    let value: Value = serde_json::from_str(line).unwrap_or_default();
    match value.get("id") {
        Some(id) if !(id.is_string() || id.is_number()) => {
            Err(Some(error_reply(Value::Null, -32600, "Invalid Request: an id is a string or a number")))
        }
        Some(id) if value.get("method").is_some() => {
            Err(Some(error_reply(id.clone(), -32602, &format!("Invalid params: {error}"))))
        }
        _ => {
            tracing::debug!(%error, "a message from the client that rmcp cannot take; skipped");
            Err(None)
        }
    }
}

/// Checks one line; returns the error reply for a bad one.
fn check(line: &str) -> Result<(), String> {
    if line.len() > MAX_LINE {
        return Err(error_reply(Value::Null, -32600, &format!("message longer than {MAX_LINE} bytes")));
    }
    let value: Value = match serde_json::from_str(line) {
        Ok(value) => value,
        Err(e) => return Err(error_reply(Value::Null, -32700, &format!("Parse error: {e}"))),
    };
    let id = value.get("id").cloned().unwrap_or(Value::Null);
    let valid = match &value {
        Value::Object(object) => {
            object.get("jsonrpc") == Some(&json!("2.0"))
                && (object.get("method").is_some_and(Value::is_string)
                    || object.contains_key("result")
                    || object.contains_key("error"))
        }
        Value::Array(_) => return Err(error_reply(Value::Null, -32600, "Invalid Request: batches are not supported")),
        _ => false,
    };
    if valid { Ok(()) } else { Err(error_reply(id, -32600, "Invalid Request: expected a JSON-RPC 2.0 message")) }
}

fn error_reply(id: Value, code: i64, message: &str) -> String {
    json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message } }).to_string()
}

#[cfg(test)]
mod tests {
    use super::{check, decode};

    #[test]
    fn classifies_lines() {
        assert!(check(r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#).is_ok());
        assert!(check("not json").unwrap_err().contains("-32700"));
        assert!(check(r#"{"id":7,"foo":1}"#).unwrap_err().contains(r#""id":7"#));
        assert!(check("[]").unwrap_err().contains("batches"));
    }

    #[test]
    fn decodes_what_rmcp_takes_and_answers_the_rest() {
        assert!(decode(r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#).is_ok());
        assert!(decode(r#"{"jsonrpc":"2.0","id":2,"method":"some/custom","params":{}}"#).is_ok());
        let bad = decode(r#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":7}"#).unwrap_err().unwrap();
        assert!(bad.contains("-32602") && bad.contains(r#""id":3"#), "{bad}");
        let bad = decode(r#"{"jsonrpc":"2.0","id":{"x":1},"method":"ping"}"#).unwrap_err().unwrap();
        assert!(bad.contains("-32600") && bad.contains(r#""id":null"#), "{bad}");
        assert_eq!(decode(r#"{"jsonrpc":"2.0","method":"notifications/x","params":7}"#).unwrap_err(), None);
        assert!(decode("not json").unwrap_err().unwrap().contains("-32700"));
    }
}
