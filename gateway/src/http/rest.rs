//! The REST sidecar under `/api`: the reference's paths and bodies (so its
//! users can switch), plus `?wait=MS` on exec, sessions and heap tags. Each
//! handler parses its request, calls the service and answers with its typed
//! body; errors get the status of their kind (`ServiceError::status`).
//!
//! Every handler carries its `#[utoipa::path]` with every status it can
//! answer; the OpenAPI document (`/api-doc/openapi.json`, `mcp-v8
//! --print-openapi`) is generated from them and the bodies'
//! types, and the tests check the server against it (schemathesis).
//!
//! **Invariant:** a path that exists answers an undeclared method with 405
//! and an `Allow` header; a path that does not exist answers 404.

use std::collections::HashMap;
use std::time::Duration;

use mcp_v8_runtime::Caller;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use utoipa::OpenApi;

use super::Reply;
use crate::service::types::*;
use crate::service::{Service, ServiceError};

/// The longest `?wait` honoured on exec, in milliseconds.
const MAX_WAIT_MS: u64 = 600_000;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "mcp-v8 REST API",
        description = "Run JavaScript/TypeScript in V8 and inspect executions, sessions and heaps. \
            Everything is the caller's own: another caller's ids and names are not found."
    ),
    paths(exec, list_executions, get_execution, output, cancel, version, upstreams, list_sessions, session_log, get_tags, set_tags, delete_tags, query_heaps),
    components(schemas(ErrorBody, StatusArg))
)]
pub struct ApiDoc;

/// The OpenAPI 3.1 document of this server: the bounds of what a run may
/// ask for, and whether a bearer token is required, are this server's.
pub fn openapi(engine: &mcp_v8_runtime::EngineConfig, auth: bool, run_js_file: bool) -> Value {
    use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
    let mut doc = ApiDoc::openapi();
    if auth {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
        );
        doc.security = Some(vec![SecurityRequirement::new("bearer", Vec::<String>::new())]);
    }
    let mut value = serde_json::to_value(&doc).unwrap_or_default();
    if let Some(Value::Object(schema)) = value.pointer_mut("/components/schemas/RunJsArgs") {
        crate::service::schema::shape_run_args(schema, engine, run_js_file);
    }
    if !engine.stateful && let Some(Value::Object(paths)) = value.get_mut("paths") {
        paths.retain(|path, _| !STATEFUL_ROUTES.iter().any(|prefix| path.starts_with(&format!("/api/{prefix}"))));
    }
    if let Some(tags) = value.pointer_mut("/components/schemas/TagsBody/properties/tags") {
        crate::service::schema::bound_tags(tags);
    }
    add_links(&mut value, engine.stateful);
    if !auth && let Some(Value::Object(paths)) = value.get_mut("paths") {
        // Without auth nothing answers 401.
        for operation in paths.values_mut().filter_map(Value::as_object_mut).flat_map(|p| p.values_mut()) {
            if let Some(Value::Object(responses)) = operation.get_mut("responses") {
                responses.remove("401");
            }
        }
    }
    value
}

/// OpenAPI links: where the ids an answer carries lead (clients and
/// schema-driven testers follow them from a run to its execution, output,
/// heap and session).
fn add_links(doc: &mut Value, stateful: bool) {
    let link = |operation: &str, parameter: &str, field: &str| {
        serde_json::json!({ "operationId": operation, "parameters": { parameter: format!("$response.body#/{field}") } })
    };
    let execution = [("GetExecution", "get_execution"), ("GetOutput", "output"), ("Cancel", "cancel")]
        .map(|(name, operation)| (name, link(operation, "id", "execution_id")));
    let heap = [("GetTags", "get_tags"), ("SetTags", "set_tags"), ("DeleteTags", "delete_tags")]
        .map(|(name, operation)| (name, link(operation, "hash", "heap")));
    let session = [("SessionLog", link("session_log", "name", "session"))];
    let mut set = |pointer: &str, links: Vec<(&str, Value)>| {
        if let Some(Value::Object(response)) = doc.pointer_mut(pointer) {
            response.insert("links".into(), Value::Object(links.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()));
        }
    };
    let state: Vec<_> = if stateful { heap.iter().chain(&session).cloned().collect() } else { Vec::new() };
    set("/paths/~1api~1exec/post/responses/200", execution.iter().cloned().chain(state.clone()).collect());
    set("/paths/~1api~1exec/post/responses/202", execution.to_vec());
    if stateful {
        set("/paths/~1api~1executions~1{id}/get/responses/200", state);
    }
}

type Query = HashMap<String, String>;
type Answer = Result<(u16, Value), ServiceError>;

/// What a stateless server has not: these routes.
const STATEFUL_ROUTES: [&str; 2] = ["sessions", "heaps"];

/// The routes: a path pattern and the methods it answers.
const ROUTES: &[(&str, &[&str])] = &[
    ("exec", &["POST"]),
    ("executions", &["GET"]),
    ("executions/*", &["GET"]),
    ("executions/*/output", &["GET"]),
    ("executions/*/cancel", &["POST"]),
    ("version", &["GET"]),
    ("upstreams", &["GET"]),
    ("sessions", &["GET"]),
    ("sessions/*/snapshots", &["GET"]),
    ("heaps/*/tags", &["GET", "PUT", "DELETE"]),
    ("heaps/query", &["POST"]),
];

/// The route a path takes, as a span names it (`/api/executions/{id}`).
pub fn route_name(path: &str) -> Option<String> {
    let segments: Vec<String> =
        path.trim_start_matches("/api/").trim_end_matches('/').split('/').map(str::to_owned).collect();
    let (pattern, _) = ROUTES.iter().find(|(pattern, _)| matches(pattern, &segments))?;
    Some(format!("/api/{}", pattern.replace('*', "{id}")))
}

fn matches(pattern: &str, segments: &[String]) -> bool {
    let parts: Vec<&str> = pattern.split('/').collect();
    parts.len() == segments.len() && parts.iter().zip(segments).all(|(p, s)| *p == "*" || p == s)
}

/// Decodes a path segment: percent escapes only (`+` is a plus sign in a
/// path, unlike in a query string).
fn decode(segment: &str) -> Result<String, ServiceError> {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| ServiceError::caller("a path segment is not UTF-8 once decoded"))
}

pub async fn route(service: &Service, caller: &Caller, method: &str, path: &str, query: &str, body: &[u8]) -> Reply {
    let query: Query = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    let raw: Vec<&str> = path.trim_start_matches("/api/").trim_end_matches('/').split('/').collect();
    let segments = match raw.iter().map(|s| decode(s)).collect::<Result<Vec<_>, _>>() {
        Ok(segments) => segments,
        Err(error) => return Reply::error(error.status(), error.to_string()),
    };
    let Some((_, methods)) = ROUTES.iter().find(|(pattern, _)| matches(pattern, &segments)) else {
        return Reply::error(404, format!("no route for {path}"));
    };
    if !service.is_stateful() && STATEFUL_ROUTES.contains(&segments[0].as_str()) {
        return Reply::error(404, format!("no route for {path}: this server runs with --stateless (no sessions or heaps)"));
    }
    if !methods.contains(&method) {
        return Reply::MethodNotAllowed { allow: methods.join(", ") };
    }
    let s: Vec<&str> = segments.iter().map(String::as_str).collect();
    let answer = match (method, s.as_slice()) {
        ("POST", ["exec"]) => exec(service, caller, &query, body).await,
        ("GET", ["executions"]) => list_executions(service, caller, &query),
        ("GET", ["executions", id]) => get_execution(service, caller, id),
        ("GET", ["executions", id, "output"]) => output(service, caller, id, &query),
        ("POST", ["executions", id, "cancel"]) => cancel(service, caller, id),
        ("GET", ["version"]) => ok(service.version()),
        ("GET", ["upstreams"]) => ok(service.upstreams()),
        ("GET", ["sessions"]) => service.sessions(caller).and_then(ok),
        ("GET", ["sessions", name, "snapshots"]) => session_log(service, caller, name, &query),
        ("GET", ["heaps", hash, "tags"]) => get_tags(service, caller, hash),
        ("PUT", ["heaps", hash, "tags"]) => set_tags(service, caller, hash, body).await,
        ("DELETE", ["heaps", hash, "tags"]) => delete_tags(service, caller, hash, &query).await,
        ("POST", ["heaps", "query"]) => query_heaps(service, caller, body),
        _ => Err(ServiceError::not_found(format!("no route for {method} {path}"))),
    };
    match answer {
        Ok((status, value)) => Reply::json(status, value),
        Err(error) => Reply::json(error.status(), json(ErrorBody { error: error.message, retryable: error.retryable })),
    }
}

fn json(value: impl Serialize) -> Value {
    serde_json::to_value(value).unwrap_or_default()
}

fn ok(value: impl Serialize) -> Answer {
    Ok((200, json(value)))
}

/// Every body is a JSON object (serde would also take a struct from an
/// array, by position, which the OpenAPI document does not allow).
fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ServiceError> {
    let invalid = |e: serde_json::Error| ServiceError::caller(format!("invalid JSON body: {e}"));
    match serde_json::from_slice::<serde_json::Value>(body).map_err(invalid)? {
        value @ serde_json::Value::Object(_) => serde_json::from_value(value).map_err(invalid),
        _ => Err(ServiceError::caller("invalid JSON body: expected an object")),
    }
}

/// A query parameter that must be a whole number within `range`.
fn number(query: &Query, key: &str, range: std::ops::RangeInclusive<u64>) -> Result<Option<u64>, ServiceError> {
    let Some(text) = query.get(key) else { return Ok(None) };
    match text.parse::<u64>() {
        Ok(n) if range.contains(&n) => Ok(Some(n)),
        _ => Err(ServiceError::caller(format!(
            "query parameter {key}: '{text}' is not a whole number from {} to {}",
            range.start(),
            range.end()
        ))),
    }
}

const OFFSETS: std::ops::RangeInclusive<u64> = 0..=u32::MAX as u64;

/// Run code. Answers at once with the id (the reference's answer), or with
/// `?wait=MS` the run itself once final, or as it stands when the wait ends.
#[utoipa::path(post, path = "/api/exec", request_body = RunJsArgs,
    params(("wait" = Option<u64>, Query, minimum = 0, maximum = 600000,
        description = "Wait up to this many milliseconds for the run to finish")),
    responses(
        (status = 200, description = "The finished run (with ?wait)", body = RunReply),
        (status = 202, description = "Accepted: the id to follow (with ?wait: the run, still going)", body = ExecStarted),
        (status = 400, description = "Bad body, bounds or name", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 404, description = "The session or heap is not yours or does not exist", body = ErrorBody),
        (status = 413, description = "Body over --max-body-bytes", body = ErrorBody),
        (status = 429, description = "Too many of your runs are queued; retry later", body = ErrorBody),
        (status = 503, description = "Shutting down, or the store is unavailable; retry later", body = ErrorBody),
    ))]
async fn exec(service: &Service, caller: &Caller, query: &Query, body: &[u8]) -> Answer {
    let args: RunJsArgs = parse(body)?;
    match number(query, "wait", 0..=MAX_WAIT_MS)? {
        Some(wait) => {
            let reply = service.run(caller, args, Duration::from_millis(wait)).await?;
            let status = if reply.execution.status.is_final() { 200 } else { 202 };
            Ok((status, json(reply)))
        }
        None => {
            let reply = service.run(caller, args, Duration::ZERO).await?;
            Ok((202, json(ExecStarted { execution_id: reply.execution.execution_id, status: reply.execution.status })))
        }
    }
}

/// Your recent executions, newest first.
#[utoipa::path(get, path = "/api/executions",
    params(
        ("status" = Option<StatusArg>, Query, description = "Only executions with this status"),
        ("session" = Option<String>, Query, min_length = 1, max_length = 256, pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]+$", description = "Only this session's runs"),
        ("limit" = Option<u64>, Query, minimum = 1, maximum = 1000, description = "At most this many (default 50)"),
    ),
    responses(
        (status = 200, body = ExecutionList),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 404, description = "The session is not yours", body = ErrorBody),
    ))]
fn list_executions(service: &Service, caller: &Caller, query: &Query) -> Answer {
    let status = match query.get("status") {
        Some(text) => Some(
            serde_json::from_value::<StatusArg>(Value::String(text.clone()))
                .map_err(|_| ServiceError::caller(format!("unknown status '{text}'")))?,
        ),
        None => None,
    };
    let args = ListExecutionsArgs { status, session: query.get("session").cloned(), limit: number(query, "limit", 1..=1000)? };
    ok(service.list(caller, args)?)
}

/// One execution: status, result, error, heap, timings.
#[utoipa::path(get, path = "/api/executions/{id}", params(("id" = String, Path, format = Uuid)),
    responses(
        (status = 200, body = Execution),
        (status = 400, description = "Not an execution id", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 404, description = "No such execution of yours (or it was dropped)", body = ErrorBody),
    ))]
fn get_execution(service: &Service, caller: &Caller, id: &str) -> Answer {
    ok(service.get(caller, id)?)
}

/// A page of an execution's console output, by lines (from 1) or, with
/// byte_offset or byte_limit, by bytes.
#[utoipa::path(get, path = "/api/executions/{id}/output",
    params(
        ("id" = String, Path, format = Uuid),
        ("line_offset" = Option<u64>, Query, minimum = 0, maximum = 4294967295u64, description = "First line, from 1 (default 1)"),
        ("line_limit" = Option<u64>, Query, minimum = 0, maximum = 4294967295u64, description = "Lines (default 200)"),
        ("byte_offset" = Option<u64>, Query, minimum = 0, maximum = 4294967295u64, description = "First byte, from 0"),
        ("byte_limit" = Option<u64>, Query, minimum = 0, maximum = 4294967295u64, description = "Bytes (default 65536)"),
    ),
    responses(
        (status = 200, body = OutputPage),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
fn output(service: &Service, caller: &Caller, id: &str, query: &Query) -> Answer {
    let args = OutputArgs {
        execution_id: id.to_owned(),
        line_offset: number(query, "line_offset", OFFSETS)?,
        line_limit: number(query, "line_limit", OFFSETS)?,
        byte_offset: number(query, "byte_offset", OFFSETS)?,
        byte_limit: number(query, "byte_limit", OFFSETS)?,
    };
    ok(service.output(caller, args)?)
}

/// Cancel a queued or running execution: `{ok: true}`, or 400 with
/// `{ok: false, error}` when it is not running.
#[utoipa::path(post, path = "/api/executions/{id}/cancel", params(("id" = String, Path, format = Uuid)),
    responses(
        (status = 200, description = "Cancelled", body = CancelReply),
        (status = 400, description = "Not running any more (`ok: false`), or not an execution id", body = CancelReply),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
fn cancel(service: &Service, caller: &Caller, id: &str) -> Answer {
    match service.cancel(caller, id) {
        Ok(reply) => Ok((if reply.ok { 200 } else { 400 }, json(reply))),
        // The reference's shape for a refused cancel: `{ok: false, error}`.
        Err(error) if error.status() == 400 => {
            Ok((400, json(CancelReply { ok: false, error: Some(error.message), execution_id: None, status: None })))
        }
        Err(error) => Err(error),
    }
}

/// The upstream MCP servers this gateway fronts: their state and tools.
#[utoipa::path(get, path = "/api/upstreams", responses((status = 200, body = UpstreamList), (status = 401, body = ErrorBody)))]
#[allow(dead_code)] // routed inline; here for the document
fn upstreams() {}

/// Name, version and mode of the server.
#[utoipa::path(get, path = "/api/version", responses((status = 200, body = Version), (status = 401, body = ErrorBody)))]
#[allow(dead_code)] // routed inline; here for the document
fn version() {}

/// Your sessions, most recently used first (and the shared named ones when
/// auth is off).
#[utoipa::path(get, path = "/api/sessions",
    responses((status = 200, body = SessionList), (status = 401, body = ErrorBody)))]
#[allow(dead_code)] // routed inline; here for the document
fn list_sessions() {}

/// The log of a session's runs: input heap, output heap, code hash, time, status.
#[utoipa::path(get, path = "/api/sessions/{name}/snapshots",
    params(
        ("name" = String, Path, min_length = 1, max_length = 256, pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]+$"),
        ("after_seq" = Option<u64>, Query, minimum = 0, maximum = 4294967295u64),
        ("limit" = Option<u64>, Query, minimum = 1, maximum = 1000),
    ),
    responses(
        (status = 200, body = SessionLog),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 404, description = "No such session of yours", body = ErrorBody),
    ))]
fn session_log(service: &Service, caller: &Caller, name: &str, query: &Query) -> Answer {
    ok(service.session_log(caller, name, number(query, "after_seq", OFFSETS)?, number(query, "limit", 1..=1000)?)?)
}

/// The tags of one of your heaps.
#[utoipa::path(get, path = "/api/heaps/{hash}/tags", params(("hash" = String, Path, pattern = "^[0-9a-fA-F]{64}$")),
    responses(
        (status = 200, body = HeapTags),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 404, description = "No such heap of yours", body = ErrorBody),
    ))]
fn get_tags(service: &Service, caller: &Caller, hash: &str) -> Answer {
    ok(service.tags(caller, hash)?)
}

/// Add or overwrite tags on one of your heaps; answers all its tags.
#[utoipa::path(put, path = "/api/heaps/{hash}/tags", params(("hash" = String, Path, pattern = "^[0-9a-fA-F]{64}$")), request_body = TagsBody,
    responses(
        (status = 200, body = HeapTags),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 404, description = "No such heap of yours", body = ErrorBody),
        (status = 413, body = ErrorBody),
    ))]
async fn set_tags(service: &Service, caller: &Caller, hash: &str, body: &[u8]) -> Answer {
    let args: TagsBody = parse(body)?;
    ok(service.set_tags(caller, hash, args.tags).await?)
}

/// Delete some (`?keys=a,b`) or all tags of one of your heaps; answers the
/// tags left.
#[utoipa::path(delete, path = "/api/heaps/{hash}/tags",
    params(("hash" = String, Path, pattern = "^[0-9a-fA-F]{64}$"), ("keys" = Option<String>, Query, description = "Comma-separated keys")),
    responses(
        (status = 200, body = HeapTags),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 404, description = "No such heap of yours", body = ErrorBody),
    ))]
async fn delete_tags(service: &Service, caller: &Caller, hash: &str, query: &Query) -> Answer {
    let keys = query.get("keys").map(|k| k.split(',').map(str::to_owned).collect());
    ok(service.delete_tags(caller, hash, keys).await?)
}

/// Your heaps whose tags contain all the given pairs.
#[utoipa::path(post, path = "/api/heaps/query", request_body = TagsBody,
    responses(
        (status = 200, body = HeapList),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 413, body = ErrorBody),
    ))]
fn query_heaps(service: &Service, caller: &Caller, body: &[u8]) -> Answer {
    let args: TagsBody = parse(body)?;
    ok(service.query_heaps(caller, args.tags)?)
}
