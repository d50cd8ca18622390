//! The REST sidecar under `/api`: the reference's paths and bodies (so its
//! users can switch), plus `?wait=MS` on exec, sessions and heap tags.
//! Bodies and answers are the same JSON the MCP tools use (`mcp::render`).
//!
//! | method | path | answer |
//! | --- | --- | --- |
//! | POST | `/api/exec[?wait=MS]` | 202 `{execution_id, status}`, or 200 with the finished run |
//! | GET | `/api/executions[?status&session&limit]` | `{executions}` |
//! | GET | `/api/executions/{id}` | the execution |
//! | GET | `/api/executions/{id}/output?line_offset&line_limit&byte_offset&byte_limit` | a page |
//! | POST | `/api/executions/{id}/cancel` | `{execution_id, status}` |
//! | GET | `/api/version` | `{name, version, stateful}` |
//! | GET | `/api/sessions` | `{sessions}` |
//! | GET | `/api/sessions/{name}/snapshots[?after_seq&limit]` | `{session, runs}` |
//! | GET, PUT, DELETE | `/api/heaps/{hash}/tags` (PUT body `{tags}`, DELETE `?keys=a,b`) | `{heap, tags}` |
//! | POST | `/api/heaps/query` (body `{tags}`) | `{heaps}` |

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use mcp_v8_runtime::{Engine, ExecutionId, ExecutionStatus, HeapHash, OutputQuery, RuntimeError, SessionName};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::Reply;
use crate::mcp::render;
use crate::mcp::tools::{QueryTagsArgs, RunJsArgs};

/// The longest `?wait` honoured on exec.
const MAX_WAIT: Duration = Duration::from_secs(600);

pub async fn route(engine: &Arc<Engine>, method: &str, path: &str, query: &str, body: &[u8]) -> Reply {
    let query: HashMap<String, String> = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    let segments: Vec<&str> = path.trim_start_matches("/api/").trim_end_matches('/').split('/').collect();
    let result = match (method, segments.as_slice()) {
        ("POST", ["exec"]) => {
            return match exec(engine, &query, body).await {
                Ok((status, value)) => Reply::json(status, value),
                Err(Failure(status, message)) => Reply::error(status, message),
            };
        }
        ("GET", ["executions"]) => list_executions(engine, &query),
        ("GET", ["executions", id]) => execution(engine, id).map(|e| render::info(&e.info())),
        ("GET", ["executions", id, "output"]) => output(engine, id, &query),
        ("POST", ["executions", id, "cancel"]) => cancel(engine, id),
        ("GET", ["version"]) => Ok(json!({
            "name": "mcp-v8",
            "version": env!("CARGO_PKG_VERSION"),
            "stateful": engine.is_stateful(),
        })),
        ("GET", ["sessions"]) => engine.list_sessions().map(|s| json!({ "sessions": s })).map_err(Failure::from),
        ("GET", ["sessions", name, "snapshots"]) => session_log(engine, name, &query),
        ("GET", ["heaps", hash, "tags"]) => {
            heap(hash).and_then(|h| engine.heap_tags(&h).map(|t| json!({ "heap": h, "tags": t })).map_err(Failure::from))
        }
        ("PUT", ["heaps", hash, "tags"]) => set_tags(engine, hash, body).await,
        ("DELETE", ["heaps", hash, "tags"]) => delete_tags(engine, hash, &query).await,
        ("POST", ["heaps", "query"]) => parse::<QueryTagsArgs>(body).and_then(|args| {
            let found = engine.query_heaps(&args.tags)?;
            let heaps: Vec<Value> = found.into_iter().map(|(heap, tags)| json!({ "heap": heap, "tags": tags })).collect();
            Ok(json!({ "heaps": heaps }))
        }),
        _ => Err(Failure(404, format!("no route for {method} {path}"))),
    };
    match result {
        Ok(value) => Reply::json(200, value),
        Err(Failure(status, message)) => Reply::error(status, message),
    }
}

/// An answer other than 200: status and message.
struct Failure(u16, String);

impl From<RuntimeError> for Failure {
    fn from(error: RuntimeError) -> Self {
        let status = match &error {
            RuntimeError::InvalidRequest(_) => 400,
            RuntimeError::HeapNotFound(_) => 404,
            RuntimeError::HeapCorrupted { .. } => 422,
            RuntimeError::Store(_) | RuntimeError::Snapshot(_) => 500,
            RuntimeError::Unavailable(_) => 503,
        };
        Failure(status, error.to_string())
    }
}

fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, Failure> {
    serde_json::from_slice(body).map_err(|e| Failure(400, format!("invalid JSON body: {e}")))
}

fn number<T: std::str::FromStr>(query: &HashMap<String, String>, key: &str) -> Result<Option<T>, Failure> {
    query
        .get(key)
        .map(|v| v.parse().map_err(|_| Failure(400, format!("query parameter {key}: '{v}' is not a number"))))
        .transpose()
}

fn heap(text: &str) -> Result<HeapHash, Failure> {
    HeapHash::parse(text).map_err(Failure::from)
}

fn execution(engine: &Engine, id: &str) -> Result<Arc<mcp_v8_runtime::Execution>, Failure> {
    let id = ExecutionId::parse(id)?;
    engine.get(&id).ok_or_else(|| Failure(404, format!("no execution {id}")))
}

/// 202 with the id at once (the reference's answer), or with `?wait=MS`
/// the run itself once final (200), or as it stands when the wait ends (202).
async fn exec(engine: &Arc<Engine>, query: &HashMap<String, String>, body: &[u8]) -> Result<(u16, Value), Failure> {
    let args: RunJsArgs = parse(body)?;
    let wait = number::<u64>(query, "wait")?.map(Duration::from_millis);
    let request = crate::mcp::run_request(args, engine.is_stateful(), None)?;
    let execution = engine.submit(request)?;
    match wait {
        Some(wait) => {
            let done = execution.wait(wait.min(MAX_WAIT)).await;
            Ok((if done { 200 } else { 202 }, render::run_reply(&execution.info(), &execution.output)))
        }
        None => Ok((202, json!({ "execution_id": execution.id, "status": execution.status() }))),
    }
}

fn list_executions(engine: &Engine, query: &HashMap<String, String>) -> Result<Value, Failure> {
    let status = match query.get("status") {
        Some(text) => Some(ExecutionStatus::parse(text).ok_or_else(|| Failure(400, format!("unknown status '{text}'")))?),
        None => None,
    };
    let session = query.get("session").map(|s| SessionName::parse(s)).transpose()?;
    let limit = number::<usize>(query, "limit")?.unwrap_or(50).min(1000);
    let list = engine.list(status, session.as_ref(), limit);
    Ok(json!({ "executions": list.iter().map(render::summary).collect::<Vec<_>>() }))
}

fn output(engine: &Engine, id: &str, query: &HashMap<String, String>) -> Result<Value, Failure> {
    let execution = execution(engine, id)?;
    let page = execution.output.page(OutputQuery {
        line_offset: number(query, "line_offset")?,
        line_limit: number(query, "line_limit")?,
        byte_offset: number(query, "byte_offset")?,
        byte_limit: number(query, "byte_limit")?,
    });
    Ok(render::output_page(&execution.info(), &page))
}

fn cancel(engine: &Engine, id: &str) -> Result<Value, Failure> {
    let id = ExecutionId::parse(id)?;
    let status = engine.cancel(&id).ok_or_else(|| Failure(404, format!("no execution {id}")))?;
    Ok(json!({ "execution_id": id, "status": status }))
}

fn session_log(engine: &Engine, name: &str, query: &HashMap<String, String>) -> Result<Value, Failure> {
    let name = url::form_urlencoded::parse(format!("n={name}").as_bytes()).next().map(|(_, v)| v.into_owned()).unwrap_or_default();
    let session = SessionName::parse(&name)?;
    let after = number(query, "after_seq")?.unwrap_or(0);
    let limit = number(query, "limit")?.unwrap_or(100);
    let runs = engine.session_log(&session, after, limit)?;
    Ok(json!({ "session": session, "runs": runs }))
}

async fn set_tags(engine: &Engine, hash: &str, body: &[u8]) -> Result<Value, Failure> {
    let heap = heap(hash)?;
    let args: QueryTagsArgs = parse(body)?;
    let tags = engine.set_heap_tags(heap.clone(), args.tags).await?;
    Ok(json!({ "heap": heap, "tags": tags }))
}

async fn delete_tags(engine: &Engine, hash: &str, query: &HashMap<String, String>) -> Result<Value, Failure> {
    let heap = heap(hash)?;
    let keys = query.get("keys").map(|k| k.split(',').map(str::to_owned).collect());
    let tags = engine.delete_heap_tags(heap.clone(), keys).await?;
    Ok(json!({ "heap": heap, "tags": tags }))
}
