//! Bounds of the documents served (the OpenAPI document, the tools'
//! schemas) that depend on the configuration: what a run may ask for is
//! what this server allows, so a schema-valid request is never refused for
//! its bounds.

use mcp_v8_runtime::EngineConfig;
use serde_json::Value;

/// Sets the bounds of `heap_memory_max_mb` and `execution_timeout_secs` in
/// the JSON Schema of `RunJsArgs` (its `properties` object).
pub fn bound_run_args(properties: &mut serde_json::Map<String, Value>, engine: &EngineConfig) {
    let set = |properties: &mut serde_json::Map<String, Value>, key: &str, max: u64| {
        if let Some(Value::Object(property)) = properties.get_mut(key) {
            property.insert("maximum".into(), max.into());
        }
    };
    set(properties, "heap_memory_max_mb", (engine.max_heap_bytes >> 20) as u64);
    set(properties, "execution_timeout_secs", engine.max_timeout.as_secs());
    if let Some(tags) = properties.get_mut("tags") {
        bound_tags(tags);
    }
}

/// The `RunJsArgs` schema (an object schema) of this server: bounded by its
/// config, without the stateful arguments in stateless mode; `code`
/// required, or with run_js files exactly one of `code` and `file`.
pub fn shape_run_args(schema: &mut serde_json::Map<String, Value>, engine: &EngineConfig, run_js_file: bool) {
    if let Some(Value::Object(properties)) = schema.get_mut("properties") {
        bound_run_args(properties, engine);
        // Given, they are strings (null is not "no code").
        for key in ["code", "file"] {
            if let Some(Value::Object(property)) = properties.get_mut(key) {
                property.insert("type".into(), "string".into());
            }
        }
        if !engine.stateful {
            for key in ["heap", "session", "tags"] {
                properties.remove(key);
            }
        }
        if !run_js_file {
            properties.remove("file");
        }
    }
    if run_js_file {
        schema.insert(
            "oneOf".into(),
            serde_json::json!([{ "required": ["code"], "not": { "required": ["file"] } }, { "required": ["file"], "not": { "required": ["code"] } }]),
        );
    } else {
        schema.insert("required".into(), serde_json::json!(["code"]));
    }
}

/// Declares the bounds of a `tags` object (a JSON Schema property).
pub fn bound_tags(tags: &mut Value) {
    use super::types::{MAX_TAGS, MAX_TAG_KEY, MAX_TAG_VALUE};
    let Value::Object(tags) = tags else { return };
    tags.insert("maxProperties".into(), MAX_TAGS.into());
    tags.insert("propertyNames".into(), serde_json::json!({ "minLength": 1, "maxLength": MAX_TAG_KEY }));
    tags.insert("additionalProperties".into(), serde_json::json!({ "type": "string", "maxLength": MAX_TAG_VALUE }));
}
