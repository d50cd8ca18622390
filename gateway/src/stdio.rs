//! The stdio transport, with a guard in front of rmcp's codec.
//!
//! rmcp skips a line it cannot decode without a word. A client that sent
//! malformed JSON deserves the JSON-RPC answer (`-32700 Parse error`, or
//! `-32600 Invalid Request` for JSON that is not a JSON-RPC message), so
//! every stdin line is checked here first. Good lines go on to rmcp through
//! an in-memory pipe; rmcp's answers and ours are merged onto stdout whole
//! lines at a time, so they never interleave.
//!
//! **Invariant:** only the writer task writes to stdout.

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::mpsc;

/// Longest line accepted (a run's code travels in one line).
const MAX_LINE: usize = 16 << 20;

/// Returns the (reader, writer) pair to give rmcp; spawns the two pumps.
pub fn guarded(
    input: impl AsyncRead + Unpin + Send + 'static,
    output: impl AsyncWrite + Unpin + Send + 'static,
) -> (DuplexStream, DuplexStream) {
    let (rmcp_in, mut feed) = tokio::io::duplex(1 << 20);
    let (rmcp_out, replies) = tokio::io::duplex(1 << 20);
    let (errors_tx, errors_rx) = mpsc::unbounded_channel::<String>();

    tokio::spawn(async move {
        let mut lines = BufReader::new(input);
        let mut line = String::new();
        loop {
            line.clear();
            match lines.read_line(&mut line).await {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
            if line.trim().is_empty() {
                continue;
            }
            match check(&line) {
                Ok(()) => {
                    if feed.write_all(line.as_bytes()).await.is_err() {
                        break;
                    }
                    if !line.ends_with('\n') && feed.write_all(b"\n").await.is_err() {
                        break;
                    }
                }
                Err(reply) => {
                    let _ = errors_tx.send(reply);
                }
            }
        }
        // Closing the feed tells rmcp the client went away.
        let _ = feed.shutdown().await;
    });

    tokio::spawn(write_lines(replies, errors_rx, output));
    (rmcp_in, rmcp_out)
}

/// Copies rmcp's lines and our error replies to stdout, a whole line at a time.
async fn write_lines(replies: DuplexStream, mut errors: mpsc::UnboundedReceiver<String>, mut output: impl AsyncWrite + Unpin) {
    let mut replies = BufReader::new(replies);
    let mut line = String::new();
    let mut errors_open = true;
    loop {
        line.clear();
        tokio::select! {
            read = replies.read_line(&mut line) => match read {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            },
            error = errors.recv(), if errors_open => match error {
                Some(reply) => line = reply + "\n",
                None => { errors_open = false; continue }
            },
        }
        if output.write_all(line.as_bytes()).await.is_err() || output.flush().await.is_err() {
            break;
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
                && (object.get("method").is_some_and(Value::is_string) || object.contains_key("result") || object.contains_key("error"))
        }
        Value::Array(_) => return Err(error_reply(Value::Null, -32600, "Invalid Request: batches are not supported")),
        _ => false,
    };
    if valid {
        Ok(())
    } else {
        Err(error_reply(id, -32600, "Invalid Request: expected a JSON-RPC 2.0 message"))
    }
}

fn error_reply(id: Value, code: i64, message: &str) -> String {
    json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message } }).to_string()
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn classifies_lines() {
        assert!(check(r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#).is_ok());
        assert!(check("not json").unwrap_err().contains("-32700"));
        assert!(check(r#"{"id":7,"foo":1}"#).unwrap_err().contains(r#""id":7"#));
        assert!(check("[]").unwrap_err().contains("batches"));
    }
}
