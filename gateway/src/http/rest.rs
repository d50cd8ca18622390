//! The REST sidecar under `/api`: the reference's paths and bodies (so its
//! users can switch), plus `?wait=MS` on exec, sessions and heap tags.
//!
//! Every handler carries its `#[utoipa::path]` and answers with the typed
//! bodies declared here or in `mcp::render`: the OpenAPI document
//! (`/api-doc/openapi.json`, `mcp-v8 --print-openapi`) is generated from
//! them and cannot drift from what is served. A test walks the document and
//! calls every path.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use mcp_v8_runtime::{
    Engine, ExecutionId, ExecutionStatus, HeapHash, OutputQuery, RuntimeError, SessionLogEntry, SessionName, SessionSummary, Tags,
};
use serde::Serialize;
use serde_json::Value;
use utoipa::{OpenApi, ToSchema};

use super::Reply;
use crate::mcp::render::{self, ExecutionSummary, OutputReply, RunReply};
use crate::mcp::tools::{QueryTagsArgs, RunJsArgs};

/// The longest `?wait` honoured on exec.
const MAX_WAIT: Duration = Duration::from_secs(600);

#[derive(OpenApi)]
#[openapi(
    info(title = "mcp-v8 REST API", description = "Run JavaScript/TypeScript in V8 and inspect executions, sessions and heaps."),
    paths(exec, list_executions, get_execution, output, cancel, version, list_sessions, session_log, get_tags, set_tags, delete_tags, query_heaps),
    components(schemas(ErrorBody)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

/// Declares the bearer scheme `--jwks-url` turns on.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
        );
    }
}

/// The OpenAPI 3.1 document of this API, as JSON.
pub fn openapi_json() -> String {
    ApiDoc::openapi().to_pretty_json().unwrap_or_default()
}

#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: String,
}

#[derive(Serialize, ToSchema)]
pub struct ExecStarted {
    pub execution_id: ExecutionId,
    pub status: ExecutionStatus,
}

#[derive(Serialize, ToSchema)]
pub struct ExecutionList {
    pub executions: Vec<ExecutionSummary>,
}

#[derive(Serialize, ToSchema)]
pub struct Version {
    pub name: String,
    pub version: String,
    pub stateful: bool,
}

#[derive(Serialize, ToSchema)]
pub struct SessionList {
    pub sessions: Vec<SessionSummary>,
}

#[derive(Serialize, ToSchema)]
pub struct SessionLog {
    pub session: SessionName,
    pub runs: Vec<SessionLogEntry>,
}

#[derive(Serialize, ToSchema)]
pub struct HeapTags {
    pub heap: HeapHash,
    pub tags: Tags,
}

#[derive(Serialize, ToSchema)]
pub struct HeapList {
    pub heaps: Vec<HeapTags>,
}

type Query = HashMap<String, String>;
type Answer = Result<(u16, Value), Failure>;

/// `default_session` is `--session-id`: the session of an exec that names
/// neither a session nor a heap, as for `run_js`.
pub async fn route(engine: &Arc<Engine>, default_session: Option<&str>, method: &str, path: &str, query: &str, body: &[u8]) -> Reply {
    let query: Query = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    let segments: Vec<&str> = path.trim_start_matches("/api/").trim_end_matches('/').split('/').collect();
    let answer = match (method, segments.as_slice()) {
        ("POST", ["exec"]) => exec(engine, default_session, &query, body).await,
        ("GET", ["executions"]) => list_executions(engine, &query),
        ("GET", ["executions", id]) => get_execution(engine, id),
        ("GET", ["executions", id, "output"]) => output(engine, id, &query),
        ("POST", ["executions", id, "cancel"]) => cancel(engine, id),
        ("GET", ["version"]) => version(engine),
        ("GET", ["sessions"]) => list_sessions(engine),
        ("GET", ["sessions", name, "snapshots"]) => session_log(engine, name, &query),
        ("GET", ["heaps", hash, "tags"]) => get_tags(engine, hash),
        ("PUT", ["heaps", hash, "tags"]) => set_tags(engine, hash, body).await,
        ("DELETE", ["heaps", hash, "tags"]) => delete_tags(engine, hash, &query).await,
        ("POST", ["heaps", "query"]) => query_heaps(engine, body),
        _ => Err(Failure(404, format!("no route for {method} {path}"))),
    };
    match answer {
        Ok((status, value)) => Reply::json(status, value),
        Err(Failure(status, message)) => Reply::error(status, message),
    }
}

/// An answer other than success: status and message.
pub struct Failure(u16, String);

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

fn ok(value: impl Serialize) -> Answer {
    Ok((200, render::json(value)))
}

fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Failure> {
    serde_json::from_slice(body).map_err(|e| Failure(400, format!("invalid JSON body: {e}")))
}

fn number<T: std::str::FromStr>(query: &Query, key: &str) -> Result<Option<T>, Failure> {
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

/// Run code. Answers at once with the id (the reference's answer), or with
/// `?wait=MS` the run itself once final, or as it stands when the wait ends.
#[utoipa::path(post, path = "/api/exec", request_body = RunJsArgs,
    params(("wait" = Option<u64>, Query, description = "Wait up to this many milliseconds for the run to finish")),
    responses(
        (status = 200, description = "The finished run (with ?wait)", body = RunReply),
        (status = 202, description = "Accepted: the id to follow (or, with ?wait, the run still going)", body = ExecStarted),
        (status = 400, description = "Bad body or limits", body = ErrorBody),
    ),
    security((), ("bearer" = [])))]
async fn exec(engine: &Arc<Engine>, default_session: Option<&str>, query: &Query, body: &[u8]) -> Answer {
    let args: RunJsArgs = parse(body)?;
    let wait = number::<u64>(query, "wait")?.map(Duration::from_millis);
    let request = crate::mcp::run_request(args, engine.is_stateful(), default_session)?;
    let execution = engine.submit(request)?;
    match wait {
        Some(wait) => {
            let done = execution.wait(wait.min(MAX_WAIT)).await;
            Ok((if done { 200 } else { 202 }, render::json(render::run_reply(execution.info(), &execution.output))))
        }
        None => Ok((202, render::json(ExecStarted { execution_id: execution.id, status: execution.status() }))),
    }
}

/// Recent executions, newest first.
#[utoipa::path(get, path = "/api/executions",
    params(
        ("status" = Option<String>, Query, description = "queued, running, completed, failed, cancelled or timed_out"),
        ("session" = Option<String>, Query, description = "Only this session's runs"),
        ("limit" = Option<usize>, Query, description = "At most this many (default 50, at most 1000)"),
    ),
    responses((status = 200, body = ExecutionList), (status = 400, body = ErrorBody)),
    security((), ("bearer" = [])))]
fn list_executions(engine: &Engine, query: &Query) -> Answer {
    let status = match query.get("status") {
        Some(text) => Some(ExecutionStatus::parse(text).ok_or_else(|| Failure(400, format!("unknown status '{text}'")))?),
        None => None,
    };
    let session = query.get("session").map(|s| SessionName::parse(s)).transpose()?;
    let limit = number::<usize>(query, "limit")?.unwrap_or(50).min(1000);
    let list = engine.list(status, session.as_ref(), limit);
    ok(ExecutionList { executions: list.iter().map(render::summary).collect() })
}

/// One execution: status, result, error, heap, timings.
#[utoipa::path(get, path = "/api/executions/{id}", params(("id" = String, Path)),
    responses((status = 200, body = mcp_v8_runtime::ExecutionInfo), (status = 404, body = ErrorBody)),
    security((), ("bearer" = [])))]
fn get_execution(engine: &Engine, id: &str) -> Answer {
    ok(execution(engine, id)?.info())
}

/// A page of an execution's console output, by lines or (with byte_offset/byte_limit) by bytes.
#[utoipa::path(get, path = "/api/executions/{id}/output",
    params(
        ("id" = String, Path),
        ("line_offset" = Option<usize>, Query), ("line_limit" = Option<usize>, Query),
        ("byte_offset" = Option<usize>, Query), ("byte_limit" = Option<usize>, Query),
    ),
    responses((status = 200, body = OutputReply), (status = 404, body = ErrorBody)),
    security((), ("bearer" = [])))]
fn output(engine: &Engine, id: &str, query: &Query) -> Answer {
    let execution = execution(engine, id)?;
    let page = execution.output.page(OutputQuery {
        line_offset: number(query, "line_offset")?,
        line_limit: number(query, "line_limit")?,
        byte_offset: number(query, "byte_offset")?,
        byte_limit: number(query, "byte_limit")?,
    });
    ok(render::output_page(&execution.info(), page))
}

/// Cancel a queued or running execution.
#[utoipa::path(post, path = "/api/executions/{id}/cancel", params(("id" = String, Path)),
    responses((status = 200, body = ExecStarted), (status = 404, body = ErrorBody)),
    security((), ("bearer" = [])))]
fn cancel(engine: &Engine, id: &str) -> Answer {
    let id = ExecutionId::parse(id)?;
    let status = engine.cancel(&id).ok_or_else(|| Failure(404, format!("no execution {id}")))?;
    ok(ExecStarted { execution_id: id, status })
}

/// Name, version and mode of the server.
#[utoipa::path(get, path = "/api/version", responses((status = 200, body = Version)), security((), ("bearer" = [])))]
fn version(engine: &Engine) -> Answer {
    ok(Version { name: "mcp-v8".into(), version: env!("CARGO_PKG_VERSION").into(), stateful: engine.is_stateful() })
}

/// Sessions with their latest heap, newest first.
#[utoipa::path(get, path = "/api/sessions", responses((status = 200, body = SessionList), (status = 400, body = ErrorBody)),
    security((), ("bearer" = [])))]
fn list_sessions(engine: &Engine) -> Answer {
    ok(SessionList { sessions: engine.list_sessions()? })
}

/// The log of a session's runs: input heap, output heap, code hash, time, status.
#[utoipa::path(get, path = "/api/sessions/{name}/snapshots",
    params(("name" = String, Path), ("after_seq" = Option<u64>, Query), ("limit" = Option<usize>, Query)),
    responses((status = 200, body = SessionLog), (status = 400, body = ErrorBody)),
    security((), ("bearer" = [])))]
fn session_log(engine: &Engine, name: &str, query: &Query) -> Answer {
    let name: String = url::form_urlencoded::parse(format!("n={name}").as_bytes()).next().map(|(_, v)| v.into_owned()).unwrap_or_default();
    let session = SessionName::parse(&name)?;
    let after = number(query, "after_seq")?.unwrap_or(0);
    let limit = number(query, "limit")?.unwrap_or(100);
    let runs = engine.session_log(&session, after, limit)?;
    ok(SessionLog { session, runs })
}

/// The tags of a heap.
#[utoipa::path(get, path = "/api/heaps/{hash}/tags", params(("hash" = String, Path)),
    responses((status = 200, body = HeapTags), (status = 400, body = ErrorBody)),
    security((), ("bearer" = [])))]
fn get_tags(engine: &Engine, hash: &str) -> Answer {
    let heap = heap(hash)?;
    let tags = engine.heap_tags(&heap)?;
    ok(HeapTags { heap, tags })
}

/// Add or overwrite tags on a heap.
#[utoipa::path(put, path = "/api/heaps/{hash}/tags", params(("hash" = String, Path)), request_body = QueryTagsArgs,
    responses((status = 200, body = HeapTags), (status = 404, body = ErrorBody)),
    security((), ("bearer" = [])))]
async fn set_tags(engine: &Engine, hash: &str, body: &[u8]) -> Answer {
    let heap = heap(hash)?;
    let args: QueryTagsArgs = parse(body)?;
    let tags = engine.set_heap_tags(heap.clone(), args.tags).await?;
    ok(HeapTags { heap, tags })
}

/// Delete some (`?keys=a,b`) or all tags of a heap.
#[utoipa::path(delete, path = "/api/heaps/{hash}/tags", params(("hash" = String, Path), ("keys" = Option<String>, Query)),
    responses((status = 200, body = HeapTags), (status = 400, body = ErrorBody)),
    security((), ("bearer" = [])))]
async fn delete_tags(engine: &Engine, hash: &str, query: &Query) -> Answer {
    let heap = heap(hash)?;
    let keys = query.get("keys").map(|k| k.split(',').map(str::to_owned).collect());
    let tags = engine.delete_heap_tags(heap.clone(), keys).await?;
    ok(HeapTags { heap, tags })
}

/// Heaps whose tags contain all the given pairs.
#[utoipa::path(post, path = "/api/heaps/query", request_body = QueryTagsArgs,
    responses((status = 200, body = HeapList), (status = 400, body = ErrorBody)),
    security((), ("bearer" = [])))]
fn query_heaps(engine: &Engine, body: &[u8]) -> Answer {
    let args: QueryTagsArgs = parse(body)?;
    let heaps = engine.query_heaps(&args.tags)?.into_iter().map(|(heap, tags)| HeapTags { heap, tags }).collect();
    ok(HeapList { heaps })
}
