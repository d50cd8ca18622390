//! The text an agent reads of a run: what it needs, in few tokens. The
//! full record stays in the structured content.
//!
//! In order: the console output; then `=> result` (or the error, with its
//! stack); then only what the agent can act on: the heap when it is the way
//! to continue (a run outside any session), the execution id when the run
//! is still going or its output goes on.

use std::fmt::Write;

use super::types::{RunReply, Status};

pub fn run_reply(reply: &RunReply) -> String {
    let execution = &reply.execution;
    let mut out = String::new();
    if !reply.output.is_empty() {
        out.push_str(&reply.output);
        out.push('\n');
    }
    if let Some(more) = &reply.output_more {
        let _ = writeln!(out, "[{more}; execution_id {}]", execution.execution_id);
    }
    match execution.status {
        Status::Queued | Status::Running => {
            let _ = writeln!(
                out,
                "[still {}: execution_id {}; poll get_execution / get_execution_output, or cancel_execution]",
                if execution.status == Status::Queued { "queued" } else { "running" },
                execution.execution_id
            );
        }
        Status::Completed => {
            if let Some(result) = &execution.result {
                let _ = writeln!(out, "=> {result}");
            }
        }
        Status::Failed | Status::TimedOut | Status::Cancelled => {
            if let Some(result) = &execution.result {
                let _ = writeln!(out, "=> {result}");
            }
            if let Some(error) = &execution.error {
                // The stack starts with "Name: message"; append what the
                // message adds past the first line (e.g. the session note).
                match &error.stack {
                    Some(stack) if stack.contains(&error.message) => {
                        let _ = writeln!(out, "{stack}");
                    }
                    _ => {
                        let _ = writeln!(out, "{}: {}", error.name, error.message);
                    }
                }
                if let Some(line) = error.line
                    && error.stack.is_none()
                {
                    let _ = writeln!(out, "    at line {line}{}", error.column.map(|c| format!(":{c}")).unwrap_or_default());
                }
            }
        }
    }
    if execution.session.is_none()
        && let Some(heap) = &execution.heap
    {
        let _ = writeln!(out, "heap: {heap}");
    }
    if out.is_empty() {
        out.push_str("=> undefined");
    }
    out.truncate(out.trim_end().len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::types::{Execution, JsError};

    fn execution(status: Status) -> Execution {
        Execution {
            execution_id: "e1".into(),
            status,
            started_at: String::new(),
            completed_at: None,
            session: Some("s".into()),
            input_heap: None,
            heap: Some("h".repeat(64)),
            heap_pending: false,
            result: None,
            error: None,
            queued_ms: None,
            duration_ms: None,
            output_lines: 0,
            output_bytes: 0,
            output_truncated: false,
        }
    }

    #[test]
    fn says_what_matters_and_little_else() {
        let mut done = execution(Status::Completed);
        done.result = Some(serde_json::json!(2));
        let reply = RunReply { execution: done, output: "hi".into(), output_more: None, message: None };
        assert_eq!(run_reply(&reply), "hi\n=> 2", "no ids or heaps when the session carries on");

        let mut failed = execution(Status::Failed);
        failed.session = None;
        failed.error = Some(JsError { name: "TypeError".into(), message: "x".into(), stack: Some("TypeError: x\n    at run_js:1:1".into()), line: Some(1), column: Some(1) });
        let reply = RunReply { execution: failed, output: String::new(), output_more: None, message: None };
        let text = run_reply(&reply);
        assert!(text.starts_with("TypeError: x\n    at run_js:1:1\nheap: hhhh"), "{text}");

        let running = RunReply { execution: execution(Status::Running), output: String::new(), output_more: None, message: None };
        assert!(run_reply(&running).contains("execution_id e1"));
    }
}
