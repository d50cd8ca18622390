//! Captured console output of one execution, readable while it is produced.
//!
//! Every `console.*` call appends its text and a newline to one UTF-8 buffer
//! and records where each physical line starts and at which level it was
//! written. Readers page through it by lines or by bytes.
//!
//! **Invariants:** the buffer never grows past its cap (the first write that
//! would pass it is cut at a character boundary and a marker line follows);
//! byte pages always start and end on character boundaries; a page's
//! `next_*_offset` fed back in continues exactly where it stopped.

use parking_lot::Mutex;
use serde::Serialize;

/// The level of a console line; the numbers are what `bootstrap.js` sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputLevel {
    Debug,
    Log,
    Info,
    Warn,
    Error,
    Trace,
}

impl OutputLevel {
    pub(crate) fn from_u8(level: u8) -> Self {
        match level {
            0 => Self::Debug,
            2 => Self::Info,
            3 => Self::Warn,
            4 => Self::Error,
            5 => Self::Trace,
            _ => Self::Log,
        }
    }
}

/// A request for part of the output. Line and byte windows are exclusive:
/// when a byte window is given it wins.
#[derive(Debug, Clone, Copy, Default)]
pub struct OutputQuery {
    pub line_offset: Option<usize>,
    pub line_limit: Option<usize>,
    pub byte_offset: Option<usize>,
    pub byte_limit: Option<usize>,
}

/// One line of a line page.
#[derive(Debug, Clone, Serialize)]
pub struct OutputLine {
    pub level: OutputLevel,
    pub text: String,
}

/// A page of output. Lines are counted from 0 here; a line is "in" the
/// page when the page holds any of its bytes.
#[derive(Debug, Clone, Serialize)]
pub struct OutputPage {
    /// The page as text (lines joined with `\n`; for a byte page, the bytes).
    pub text: String,
    /// For a line page: the lines with their levels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lines: Option<Vec<OutputLine>>,
    /// The first line in the page, and the line after its last one.
    pub start_line: usize,
    pub end_line: usize,
    /// The page's bytes: `start_byte..end_byte`.
    pub start_byte: usize,
    pub end_byte: usize,
    pub next_line_offset: usize,
    pub next_byte_offset: usize,
    pub total_lines: usize,
    pub total_bytes: usize,
    /// True when the end of what has been captured so far was reached.
    pub at_end: bool,
    /// True when output was dropped because the cap was reached.
    pub truncated: bool,
}

const DEFAULT_LINE_LIMIT: usize = 200;
const DEFAULT_BYTE_LIMIT: usize = 64 * 1024;

#[derive(Debug, Default)]
struct Inner {
    text: String,
    /// Byte offset where each line starts, with its level.
    lines: Vec<(usize, OutputLevel)>,
    truncated: bool,
}

/// The output of one execution. Shared between the V8 thread that writes and
/// the readers; a short `parking_lot` mutex, never held across an await.
#[derive(Debug)]
pub struct Output {
    cap: usize,
    inner: Mutex<Inner>,
}

impl Output {
    pub fn new(cap: usize) -> Self {
        Self { cap, inner: Mutex::new(Inner::default()) }
    }

    /// Appends one console call's text (it may span several lines).
    pub fn write(&self, level: OutputLevel, text: &str) {
        let mut inner = self.inner.lock();
        if inner.truncated {
            return;
        }
        let room = self.cap.saturating_sub(inner.text.len());
        let (kept, cut) = if text.len() < room {
            (text, false)
        } else {
            (floor_char_boundary(text, room.saturating_sub(1)), true)
        };
        for line in kept.split('\n') {
            let start = inner.text.len();
            inner.lines.push((start, level));
            inner.text.push_str(line);
            inner.text.push('\n');
        }
        if cut {
            inner.truncated = true;
            let start = inner.text.len();
            inner.lines.push((start, OutputLevel::Warn));
            inner
                .text
                .push_str(&format!("[output truncated: the cap of {} bytes was reached]\n", self.cap));
        }
    }

    /// The cap on captured bytes.
    pub fn cap(&self) -> usize {
        self.cap
    }

    /// Bytes that can still be captured (a console call's text is cut to
    /// this before it leaves JavaScript).
    pub fn room(&self) -> usize {
        self.cap.saturating_sub(self.inner.lock().text.len())
    }

    pub fn total_bytes(&self) -> usize {
        self.inner.lock().text.len()
    }

    pub fn total_lines(&self) -> usize {
        self.inner.lock().lines.len()
    }

    /// All output as one string (used for inline `run_js` answers).
    pub fn text(&self) -> String {
        self.inner.lock().text.clone()
    }

    pub fn truncated(&self) -> bool {
        self.inner.lock().truncated
    }

    /// Reads a page of the output.
    pub fn page(&self, query: OutputQuery) -> OutputPage {
        let inner = self.inner.lock();
        if query.byte_offset.is_some() || query.byte_limit.is_some() {
            Self::byte_page(&inner, query)
        } else {
            Self::line_page(&inner, query)
        }
    }

    fn line_page(inner: &Inner, query: OutputQuery) -> OutputPage {
        let total = inner.lines.len();
        let first = query.line_offset.unwrap_or(0).min(total);
        let limit = query.line_limit.unwrap_or(DEFAULT_LINE_LIMIT);
        let last = first.saturating_add(limit).min(total);
        let mut lines = Vec::with_capacity(last - first);
        for i in first..last {
            let (start, level) = inner.lines[i];
            let end = inner.lines.get(i + 1).map_or(inner.text.len(), |l| l.0);
            // Each stored line ends with the newline this strips.
            lines.push(OutputLine { level, text: inner.text[start..end - 1].to_owned() });
        }
        let next_byte = inner.lines.get(last).map_or(inner.text.len(), |l| l.0);
        let start_byte = inner.lines.get(first).map_or(inner.text.len(), |l| l.0);
        OutputPage {
            text: lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join("\n"),
            lines: Some(lines),
            start_line: first,
            end_line: last,
            start_byte,
            end_byte: next_byte,
            next_line_offset: last,
            next_byte_offset: next_byte,
            total_lines: total,
            total_bytes: inner.text.len(),
            at_end: last == total,
            truncated: inner.truncated,
        }
    }

    fn byte_page(inner: &Inner, query: OutputQuery) -> OutputPage {
        let total = inner.text.len();
        let start = ceil_char_boundary(&inner.text, query.byte_offset.unwrap_or(0).min(total));
        let limit = query.byte_limit.unwrap_or(DEFAULT_BYTE_LIMIT);
        let wanted_end = start.saturating_add(limit).min(total);
        let mut end = floor_char_boundary(&inner.text, wanted_end).len();
        if end <= start && wanted_end > start {
            // A limit smaller than one character still makes progress.
            end = ceil_char_boundary(&inner.text, start + 1);
        }
        // The next line offset is the first line that starts at or after `end`.
        let next_line = inner.lines.partition_point(|l| l.0 < end);
        // The line holding the page's first byte.
        let start_line = inner.lines.partition_point(|l| l.0 <= start).saturating_sub(1);
        OutputPage {
            text: inner.text[start..end].to_owned(),
            lines: None,
            start_line: if end > start { start_line } else { next_line },
            end_line: next_line,
            start_byte: start,
            end_byte: end,
            next_line_offset: next_line,
            next_byte_offset: end,
            total_lines: inner.lines.len(),
            total_bytes: total,
            at_end: end == total,
            truncated: inner.truncated,
        }
    }
}

/// The longest prefix of `s` of at most `max` bytes that ends on a char boundary.
fn floor_char_boundary(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

fn ceil_char_boundary(s: &str, at: usize) -> usize {
    let mut at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_bytes_page_consistently() {
        let out = Output::new(1 << 20);
        out.write(OutputLevel::Log, "one");
        out.write(OutputLevel::Error, "two\nthree");
        out.write(OutputLevel::Info, "héllo");
        let page = out.page(OutputQuery { line_offset: Some(1), line_limit: Some(2), ..Default::default() });
        assert_eq!(page.text, "two\nthree");
        let levels: Vec<_> = page.lines.unwrap().iter().map(|l| l.level).collect();
        assert_eq!(levels, vec![OutputLevel::Error, OutputLevel::Error]);
        assert_eq!(page.next_line_offset, 3);
        assert_eq!(page.next_byte_offset, "one\ntwo\nthree\n".len());
        assert!(!page.at_end);

        // Byte pages never split the two-byte 'é'.
        let mut offset = 0;
        let mut all = String::new();
        loop {
            let page = out.page(OutputQuery { byte_offset: Some(offset), byte_limit: Some(1), ..Default::default() });
            all.push_str(&page.text);
            offset = page.next_byte_offset;
            if page.at_end {
                break;
            }
        }
        assert_eq!(all, out.text());
    }

    #[test]
    fn cap_cuts_and_marks() {
        let out = Output::new(16);
        out.write(OutputLevel::Log, "0123456789");
        out.write(OutputLevel::Log, "abcdefghij");
        out.write(OutputLevel::Log, "never stored");
        assert!(out.truncated());
        let text = out.text();
        assert!(text.starts_with("0123456789\nabcd\n[output truncated"), "{text}");
        assert!(!text.contains("never"));
    }
}
