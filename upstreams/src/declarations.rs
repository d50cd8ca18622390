//! Compact TypeScript declarations of the upstream tools, made from their
//! JSON Schemas, so an agent writes correct `mcp.callTool` calls without a
//! listing round trip: in `run_js`'s description (within a size budget) and
//! as `docs://upstreams/<server>.d.ts` resources.
//!
//! The schema is translated as far as TypeScript says it compactly (types,
//! enums, required and optional properties, arrays, unions); deeper than
//! [`MAX_DEPTH`], or what has no TypeScript form, is `unknown`.

use std::fmt::Write;

use mcp_v8_runtime::host::UpstreamTool;
use serde_json::Value;

/// How deep nested schemas are spelled out.
const MAX_DEPTH: usize = 4;

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

fn key(name: &str) -> String {
    if is_identifier(name) { name.to_owned() } else { serde_json::to_string(name).unwrap_or_default() }
}

/// The TypeScript type of a JSON Schema.
pub fn ts_type(schema: &Value, depth: usize) -> String {
    if depth > MAX_DEPTH {
        return "unknown".into();
    }
    let Some(object) = schema.as_object() else {
        return if schema == &Value::Bool(false) { "never".into() } else { "unknown".into() };
    };
    if let Some(values) = object.get("enum").and_then(Value::as_array) {
        let parts: Vec<String> = values.iter().map(|v| serde_json::to_string(v).unwrap_or_default()).collect();
        return if parts.is_empty() { "never".into() } else { parts.join(" | ") };
    }
    if let Some(value) = object.get("const") {
        return serde_json::to_string(value).unwrap_or_default();
    }
    for union in ["anyOf", "oneOf"] {
        if let Some(options) = object.get(union).and_then(Value::as_array) {
            let mut parts: Vec<String> = options.iter().map(|o| ts_type(o, depth + 1)).collect();
            parts.dedup();
            return parts.join(" | ");
        }
    }
    match object.get("type") {
        Some(Value::Array(types)) => {
            let parts: Vec<String> = types
                .iter()
                .filter_map(Value::as_str)
                .map(|t| {
                    let mut single = object.clone();
                    single.insert("type".into(), Value::String(t.into()));
                    ts_type(&Value::Object(single), depth)
                })
                .collect();
            parts.join(" | ")
        }
        Some(Value::String(t)) => match t.as_str() {
            "string" => "string".into(),
            "number" | "integer" => "number".into(),
            "boolean" => "boolean".into(),
            "null" => "null".into(),
            "array" => {
                let item = object.get("items").map_or_else(|| "unknown".into(), |items| ts_type(items, depth + 1));
                if item.contains(' ') { format!("({item})[]") } else { format!("{item}[]") }
            }
            "object" => object_type(object, depth),
            _ => "unknown".into(),
        },
        _ if object.contains_key("properties") => object_type(object, depth),
        _ => "unknown".into(),
    }
}

fn object_type(object: &serde_json::Map<String, Value>, depth: usize) -> String {
    let required: Vec<&str> = object
        .get("required")
        .and_then(Value::as_array)
        .map_or_else(Vec::new, |r| r.iter().filter_map(Value::as_str).collect());
    let Some(properties) = object.get("properties").and_then(Value::as_object).filter(|p| !p.is_empty()) else {
        return match object.get("additionalProperties") {
            Some(Value::Bool(false)) => "{}".into(),
            Some(schema @ Value::Object(_)) => format!("Record<string, {}>", ts_type(schema, depth + 1)),
            _ => "Record<string, unknown>".into(),
        };
    };
    let fields: Vec<String> = properties
        .iter()
        .map(|(name, schema)| {
            let optional = if required.contains(&name.as_str()) { "" } else { "?" };
            format!("{}{optional}: {}", key(name), ts_type(schema, depth + 1))
        })
        .collect();
    format!("{{ {} }}", fields.join("; "))
}

fn comment(text: &str) -> String {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or_default();
    let line: String = line.chars().take(160).collect();
    line.replace("*/", "* /")
}

/// The declarations of `tools` (all of one server, or several), one
/// interface per server.
pub fn declarations(tools: &[UpstreamTool]) -> String {
    let mut out = String::new();
    let mut servers: Vec<&str> = tools.iter().map(|t| t.server.as_str()).collect();
    servers.dedup();
    for server in servers {
        let _ = writeln!(out, "interface {} {{", key(server).replace('-', "_"));
        for tool in tools.iter().filter(|t| t.server == server) {
            if let Some(description) = tool.description.as_deref().map(comment).filter(|d| !d.is_empty()) {
                let _ = writeln!(out, "  /** {description} */");
            }
            let result = match &tool.output_schema {
                Some(schema) => format!("ToolResult<{}>", ts_type(schema, 1)),
                None => "ToolResult".into(),
            };
            let _ = writeln!(out, "  {}(args: {}): {result};", key(&tool.name), ts_type(&tool.input_schema, 1));
        }
        out.push_str("}\n");
    }
    out
}

/// What `run_js`'s description says about the upstream tools: their
/// declarations when they fit in `budget` bytes, else the servers and
/// where to find the rest.
pub fn for_description(tools: &[UpstreamTool], servers: &[(String, usize)], budget: usize) -> String {
    if servers.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "\n\nUpstream MCP tools: call them as `await mcp.callTool(\"<server>\", \"<tool>\", args)`, which resolves to \
         `ToolResult = {content, structuredContent, isError}` (an error result throws McpToolError). ",
    );
    let full = declarations(tools);
    if full.len() <= budget {
        out.push_str("Each server's tools, as TypeScript:\n");
        out.push_str(&full);
    } else {
        out.push_str("Servers (tool counts): ");
        let list: Vec<String> = servers.iter().map(|(name, count)| format!("{name} ({count})")).collect();
        out.push_str(&list.join(", "));
        out.push_str(
            ". Find tools with `mcp.searchTools(\"words\")` or `mcp.listTools(\"<server>\")`; each server's declarations \
             are the resource docs://upstreams/<server>.d.ts.",
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn tool(name: &str, description: &str, schema: Value) -> UpstreamTool {
        UpstreamTool {
            server: "gh".into(),
            name: name.into(),
            description: Some(description.into()),
            input_schema: schema,
            output_schema: None,
        }
    }

    #[test]
    fn schemas_become_compact_typescript() {
        let schema = json!({"type": "object", "required": ["owner", "n"], "properties": {
            "owner": {"type": "string"}, "n": {"type": "integer"}, "state": {"enum": ["open", "closed"]},
            "labels": {"type": "array", "items": {"type": "string"}}, "any": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            "deep": {"type": "object", "properties": {"a": {"type": ["string", "number"]}}}, "free": {"type": "object"}
        }});
        assert_eq!(
            ts_type(&schema, 1),
            "{ owner: string; n: number; state?: \"open\" | \"closed\"; labels?: string[]; any?: string | null; deep?: { a?: string | number }; free?: Record<string, unknown> }"
        );
        let text = declarations(&[
            tool("get-issue", "Get an issue.\nMore.", schema),
            tool("ping", "", json!({"type": "object"})),
        ]);
        assert!(
            text.starts_with("interface gh {\n  /** Get an issue. */\n  \"get-issue\"(args: { owner: string;"),
            "{text}"
        );
        assert!(text.contains("  ping(args: Record<string, unknown>): ToolResult;\n}"), "{text}");
    }

    #[test]
    fn past_the_budget_the_description_points_to_search_and_resources() {
        let tools = vec![tool("a", "x", json!({"type": "object"}))];
        let servers = vec![("gh".to_owned(), 1)];
        assert!(for_description(&tools, &servers, 10_000).contains("interface gh"));
        let short = for_description(&tools, &servers, 10);
        assert!(
            short.contains("gh (1)")
                && short.contains("docs://upstreams/<server>.d.ts")
                && !short.contains("interface")
        );
        assert_eq!(for_description(&[], &[], 10), "");
    }
}
