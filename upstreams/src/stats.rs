//! What the gateway counts of upstream tool calls: calls by server, tool
//! and result, with their durations, read by the gateway's `/metrics`.
//!
//! **Invariant:** the labels are bounded by configuration: a server that is
//! configured and a tool it listed (a call to a tool no server lists is
//! refused before it is counted).

use std::collections::HashMap;
use std::time::Duration;

use mcp_v8_runtime::metrics::{DURATION_BUCKETS, Histogram, HistogramView};
use parking_lot::Mutex;

/// How a call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CallResult {
    Ok,
    /// The tool answered with `isError`.
    ToolError,
    /// No answer: a transport error, a timeout, a dead server.
    Error,
}

impl CallResult {
    pub fn name(self) -> &'static str {
        match self {
            CallResult::Ok => "ok",
            CallResult::ToolError => "tool_error",
            CallResult::Error => "error",
        }
    }
}

/// One series of calls, as read.
#[derive(Debug, Clone)]
pub struct CallSeries {
    pub server: String,
    pub tool: String,
    pub result: CallResult,
    pub duration: HistogramView,
}

#[derive(Default)]
pub(crate) struct CallStats {
    series: Mutex<HashMap<(String, String, CallResult), Histogram>>,
}

impl CallStats {
    pub fn record(&self, server: &str, tool: &str, result: CallResult, duration: Duration) {
        let mut series = self.series.lock();
        let key = (server.to_owned(), tool.to_owned(), result);
        series.entry(key).or_insert_with(|| Histogram::new(&DURATION_BUCKETS)).observe_duration(duration);
    }

    pub fn view(&self) -> Vec<CallSeries> {
        let mut out: Vec<CallSeries> = self
            .series
            .lock()
            .iter()
            .map(|((server, tool, result), histogram)| CallSeries {
                server: server.clone(),
                tool: tool.clone(),
                result: *result,
                duration: histogram.view(),
            })
            .collect();
        out.sort_by(|a, b| (&a.server, &a.tool, a.result.name()).cmp(&(&b.server, &b.tool, b.result.name())));
        out
    }
}
