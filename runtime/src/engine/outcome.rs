//! How a run's end becomes its status and outcome, with the messages an
//! agent acts on.

use std::time::Duration;

use super::execution::{ExecutionStatus, Outcome};
use super::worker::{Kept, RunReply};
use super::{Accepted, EngineConfig};
use crate::error::JsErrorInfo;
use crate::isolate::{Refusal, RunEnd, StopReason};
use crate::memory::Usage;

/// A run's status and outcome, before they are recorded.
pub(super) struct RunResult {
    pub status: ExecutionStatus,
    pub outcome: Outcome,
}

impl RunResult {
    pub fn into_status(self) -> (ExecutionStatus, Outcome) {
        (self.status, self.outcome)
    }

    pub fn completed(&self) -> bool {
        self.status == ExecutionStatus::Completed
    }

    fn failed(status: ExecutionStatus, name: &str, message: String) -> Self {
        Self { status, outcome: Outcome { error: Some(JsErrorInfo::plain(name, message)), ..Default::default() } }
    }

    /// Adds a sentence to the error's message (what became of the
    /// session), and to the first line of its stack, which repeats it.
    pub fn explain(&mut self, sentence: &str) {
        if let Some(error) = &mut self.outcome.error {
            error.message.push_str("; ");
            error.message.push_str(sentence);
            if let Some(stack) = &mut error.stack {
                let end = stack.find('\n').unwrap_or(stack.len());
                stack.insert_str(end, &format!("; {sentence}"));
            }
        }
    }
}

/// The status and outcome of a run, from how it ended and whether its heap
/// could be kept.
pub(super) fn of_reply(reply: &RunReply, run: &Accepted, config: &EngineConfig) -> RunResult {
    let mut result = of_end(&reply.end, run.timeout, run.budget, reply.peak, reply.usage, config.output_cap);
    if let Kept::Refused(Refusal(why)) = &reply.kept
        && result.completed()
    {
        // The session cannot move to a heap it cannot keep: the run fails,
        // with its result still reported.
        result.status = ExecutionStatus::Failed;
        result.outcome.error = Some(JsErrorInfo::plain("HeapError", format!("the run completed, but its heap cannot be kept: {why}")));
    }
    result
}

fn of_end(end: &RunEnd, timeout: Duration, budget: usize, peak: usize, usage: Usage, output_cap: usize) -> RunResult {
    match end {
        RunEnd::Completed(json) => {
            let size = json.as_ref().map_or(0, String::len);
            if size > output_cap {
                return RunResult::failed(
                    ExecutionStatus::Failed,
                    "RangeError",
                    format!(
                        "result too large: {size} bytes (the cap is {output_cap}); return less, or log it and page through the output"
                    ),
                );
            }
            let result = json.as_ref().map(|text| serde_json::from_str(text).unwrap_or(serde_json::Value::String(text.clone())));
            RunResult { status: ExecutionStatus::Completed, outcome: Outcome { result, ..Default::default() } }
        }
        RunEnd::Threw(error) => {
            RunResult { status: ExecutionStatus::Failed, outcome: Outcome { error: Some(error.clone()), ..Default::default() } }
        }
        RunEnd::Stopped(StopReason::Timeout) => RunResult::failed(
            ExecutionStatus::TimedOut,
            "TimeoutError",
            format!("execution timed out after {:.1} s", timeout.as_secs_f64()),
        ),
        RunEnd::Stopped(StopReason::Cancelled) => {
            RunResult::failed(ExecutionStatus::Cancelled, "AbortError", "execution cancelled".into())
        }
        RunEnd::Stopped(StopReason::HeapLimit | StopReason::MemoryLimit) => {
            let used = peak.max(usage.total());
            RunResult::failed(
                ExecutionStatus::Failed,
                "RangeError",
                format!(
                    "memory limit exceeded: the run used more than its heap_memory_max_mb of {} MB (about {} MB: JS heap {} MB, buffers and WebAssembly memory {} MB)",
                    budget >> 20,
                    used.max(budget + 1).div_ceil(1 << 20),
                    usage.heap >> 20,
                    usage.external >> 20,
                ),
            )
        }
    }
}
