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

/// Declares the bounds of a `tags` object (a JSON Schema property).
pub fn bound_tags(tags: &mut Value) {
    use super::types::{MAX_TAGS, MAX_TAG_KEY, MAX_TAG_VALUE};
    let Value::Object(tags) = tags else { return };
    tags.insert("maxProperties".into(), MAX_TAGS.into());
    tags.insert("propertyNames".into(), serde_json::json!({ "minLength": 1, "maxLength": MAX_TAG_KEY }));
    tags.insert("additionalProperties".into(), serde_json::json!({ "type": "string", "maxLength": MAX_TAG_VALUE }));
}
