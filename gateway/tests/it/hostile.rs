//! Runs the hostile corpus (`gateway/tests/hostile/*.js`, format in its
//! README) over MCP on Streamable HTTP, one client per caller name, against
//! one stateful and one stateless server, and checks after every file that
//! the server still serves, and at the end that its memory stayed bounded.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use mcp_v8_gateway::process::memory_kib;
use serde_json::{Value, json};

use crate::support::{Client, HttpServer, call, eventually, text_of};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/hostile");

#[derive(Debug, Default)]
struct Step {
    directives: Vec<(String, String)>,
    body: String,
}

impl Step {
    fn get(&self, key: &str) -> Option<&str> {
        self.directives.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    fn all(&self, key: &str) -> impl Iterator<Item = &str> {
        self.directives.iter().filter(move |(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

const KEYS: [&str; 12] =
    ["server", "as", "session", "args", "tool", "cancel", "save", "expect", "error", "result", "contains", "lacks"];

fn parse(text: &str) -> Vec<Step> {
    text.split("\n// ---\n")
        .map(|chunk| {
            let mut step = Step::default();
            let mut body = Vec::new();
            let mut head = true;
            for line in chunk.lines() {
                if head
                    && let Some(rest) = line.strip_prefix("// ")
                    && let Some((key, value)) = rest.split_once(": ")
                    && KEYS.contains(&key)
                {
                    step.directives.push((key.to_owned(), value.trim().to_owned()));
                    continue;
                }
                head = false;
                body.push(line);
            }
            step.body = body.join("\n");
            step
        })
        .collect()
}

/// Replaces `{{name.field}}` with a field of a saved answer.
fn fill(text: &str, saved: &HashMap<String, Value>) -> String {
    let mut out = text.to_owned();
    for (name, answer) in saved {
        for field in ["execution_id", "session", "heap"] {
            let value = answer[field].as_str().unwrap_or("<none>");
            out = out.replace(&format!("{{{{{name}.{field}}}}}"), value);
        }
    }
    out
}

struct Callers<'a> {
    server: &'a HttpServer,
    clients: HashMap<String, Client>,
}

impl Callers<'_> {
    async fn get(&mut self, name: &str) -> &Client {
        if !self.clients.contains_key(name) {
            let client = self.server.mcp_client().await;
            self.clients.insert(name.to_owned(), client);
        }
        &self.clients[name]
    }

    async fn close(self) {
        for (_, client) in self.clients {
            let _ = client.cancel().await;
        }
    }
}

/// Waits for a run to be final (it may outlast the inline wait).
async fn final_answer(client: &Client, answer: Value) -> Value {
    if answer["status"] != "queued" && answer["status"] != "running" {
        return answer;
    }
    let id = answer["execution_id"].as_str().unwrap().to_owned();
    eventually("the run to finish", 120, || async {
        let info = call(client, "get_execution", json!({"execution_id": id})).await.structured_content?;
        (info["status"] != "queued" && info["status"] != "running").then_some(info)
    })
    .await
}

async fn run_step(callers: &mut Callers<'_>, step: &Step, saved: &mut HashMap<String, Value>, file: &Path, index: usize) {
    let at = format!("{} step {}", file.file_name().unwrap().to_string_lossy(), index + 1);
    let client = callers.get(step.get("as").unwrap_or("alice")).await;
    let (result, answer) = match step.get("tool") {
        Some(tool) => {
            let args: Value = serde_json::from_str(&fill(&step.body, saved)).unwrap_or_else(|e| panic!("{at}: tool arguments: {e}"));
            let result = call(client, tool, args).await;
            let answer = result.structured_content.clone().unwrap_or(Value::Null);
            (result, answer)
        }
        None => {
            let mut args = json!({"code": step.body});
            if let Some(session) = step.get("session") {
                args["session"] = json!(fill(session, saved));
            }
            if let Some(extra) = step.get("args") {
                let extra: Value = serde_json::from_str(&fill(extra, saved)).unwrap_or_else(|e| panic!("{at}: args: {e}"));
                for (k, v) in extra.as_object().unwrap() {
                    args[k] = v.clone();
                }
            }
            if step.get("cancel") == Some("true") {
                args["execution_timeout_secs"] = json!(120);
            }
            let result = call(client, "run_js", args).await;
            let mut answer = result.structured_content.clone().unwrap_or(Value::Null);
            if step.get("cancel") == Some("true") {
                let id = answer["execution_id"].as_str().unwrap().to_owned();
                let cancelled = call(client, "cancel_execution", json!({"execution_id": id})).await;
                assert_eq!(cancelled.is_error, Some(false), "{at}: cancel: {cancelled:?}");
            }
            if !answer.is_null() {
                answer = final_answer(client, answer).await;
            }
            (result, answer)
        }
    };
    let whole = format!("{answer} {}", text_of(&result));
    let shown = shorten(&whole);
    match step.get("expect") {
        Some("not found") => {
            assert_eq!(result.is_error, Some(true), "{at}: expected 'not found', got {shown}");
            assert!(text_of(&result).contains("not found"), "{at}: expected 'not found', got {shown}");
        }
        Some(expected) => {
            let status = answer["status"].as_str().unwrap_or("<no status>");
            assert!(expected.split('|').any(|e| e == status), "{at}: expected {expected}, got {status}: {shown}");
        }
        None => {}
    }
    for error in step.all("error") {
        let text = format!("{} {}", answer["error"]["name"].as_str().unwrap_or(""), answer["error"]["message"].as_str().unwrap_or(""));
        assert!(text.contains(error), "{at}: the error should contain '{error}': {shown}");
    }
    if let Some(expected) = step.get("result") {
        let expected: Value = serde_json::from_str(expected).unwrap_or_else(|e| panic!("{at}: result: {e}"));
        assert_eq!(answer["result"], expected, "{at}: {shown}");
    }
    for text in step.all("contains") {
        let text = fill(text, saved);
        assert!(whole.contains(&text), "{at}: should contain '{text}': {shown}");
    }
    for text in step.all("lacks") {
        let text = fill(text, saved);
        assert!(!whole.contains(&text), "{at}: should not contain '{text}': {shown}");
    }
    if let Some(name) = step.get("save") {
        saved.insert(name.to_owned(), answer);
    }
}

/// At most 2 KB of an answer in a failure message.
fn shorten(text: &str) -> String {
    if text.len() <= 2048 {
        return text.to_owned();
    }
    let mut end = 2048;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}... ({} bytes)", &text[..end], text.len())
}

#[tokio::test]
async fn the_hostile_corpus_gets_its_expected_outcomes_and_the_server_keeps_serving() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(CORPUS)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "js"))
        .collect();
    files.sort();
    assert!(files.len() >= 20, "the corpus is there");
    let stateful = HttpServer::start(&[]).await;
    let stateless = HttpServer::start(&["--stateless"]).await;
    for file in &files {
        let steps = parse(&std::fs::read_to_string(file).unwrap());
        let server = if steps[0].get("server") == Some("stateless") { &stateless } else { &stateful };
        let mut callers = Callers { server, clients: HashMap::new() };
        let mut saved = HashMap::new();
        for (index, step) in steps.iter().enumerate() {
            run_step(&mut callers, step, &mut saved, file, index).await;
        }
        callers.close().await;
        // Still serving, and still the same process.
        let alive = server.mcp_client().await;
        let after = call(&alive, "run_js", json!({"code": "'still here'"})).await;
        assert_eq!(text_of(&after), "=> \"still here\"", "after {}", file.display());
        let _ = alive.cancel().await;
    }
    for server in [&stateful, &stateless] {
        let pid = server.process.pid();
        let peak = memory_kib(pid, "VmHWM:") / 1024;
        assert!(peak < 2500, "the server's memory stayed bounded: peak RSS {peak} MB");
        assert!(memory_kib(pid, "VmRSS:") > 0, "the server is alive");
    }
}
