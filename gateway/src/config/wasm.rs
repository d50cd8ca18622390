//! `[wasm]`: the WebAssembly modules to preload, resolved from
//! `--wasm-module`, `--wasm-config` and the stub settings, in the
//! reference's shapes.
//!
//! **Invariant:** what would be ignored is an error: preloads without
//! `--stateless`, stub settings without modules, a description for a module
//! that is not loaded, two modules of one name.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::Value;

use super::error;
use super::settings::WasmSettings;
use crate::error::GatewayError;

/// One module to preload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WasmModuleSpec {
    /// A JavaScript identifier: the globals are `name` and `__wasm_name`.
    pub name: String,
    pub path: PathBuf,
    pub max_memory_bytes: usize,
    /// What it is for (shown in its stub tool).
    pub description: Option<String>,
}

/// The resolved `[wasm]` section.
#[derive(Debug, Clone, Default)]
pub struct WasmConfig {
    pub modules: Vec<WasmModuleSpec>,
    /// The stub tools' name prefix, or `None` when they are off.
    pub stub_prefix: Option<String>,
}

const DEFAULT_MAX_MEMORY: usize = 16 << 20;
pub const DEFAULT_STUB_PREFIX: &str = "runjs__";

/// `1234`, `64k`, `16m`, `1g` (case-insensitive) → bytes.
pub fn parse_size(text: &str) -> Option<usize> {
    let text = text.trim();
    let (digits, shift) = match text.char_indices().last()? {
        (i, 'k' | 'K') => (&text[..i], 10),
        (i, 'm' | 'M') => (&text[..i], 20),
        (i, 'g' | 'G') => (&text[..i], 30),
        _ => (text, 0),
    };
    digits.parse::<usize>().ok().and_then(|n| n.checked_mul(1 << shift)).filter(|&n| n > 0)
}

fn check_name(name: &str) -> Result<(), GatewayError> {
    let mut chars = name.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if ok { Ok(()) } else { Err(error(format!("WebAssembly module name '{name}': use letters, digits, _ and $ (it names a global)"))) }
}

/// `name=path[:max_memory]`; a `:` suffix that is not a size belongs to the path.
fn parse_flag(text: &str, default_max: usize) -> Result<WasmModuleSpec, GatewayError> {
    let (name, rest) =
        text.split_once('=').ok_or_else(|| error(format!("--wasm-module '{text}': expected name=/path/to/module.wasm[:max_memory]")))?;
    let (path, max) = match rest.rsplit_once(':').and_then(|(path, max)| parse_size(max).map(|m| (path, m))) {
        Some((path, max)) => (path, max),
        None => (rest, default_max),
    };
    let name = name.trim();
    check_name(name)?;
    Ok(WasmModuleSpec { name: name.to_owned(), path: PathBuf::from(path), max_memory_bytes: max, description: None })
}

/// `--wasm-config`: `{name: "path" | {path, max_memory_bytes?, max_memory?, description?}}`,
/// possibly under `"modules"`.
fn parse_config(value: Value, default_max: usize) -> Result<Vec<WasmModuleSpec>, GatewayError> {
    let value = match value {
        Value::Object(mut map) if map.len() == 1 && map.get("modules").is_some_and(Value::is_object) => {
            map.remove("modules").unwrap_or_default()
        }
        value => value,
    };
    let Value::Object(map) = value else {
        return Err(error("--wasm-config: expected an object of modules by name"));
    };
    let mut modules = Vec::new();
    for (name, entry) in map {
        check_name(&name)?;
        let at = |e: String| error(format!("--wasm-config: module '{name}': {e}"));
        let spec = match entry {
            Value::String(path) => WasmModuleSpec { name: name.clone(), path: path.into(), max_memory_bytes: default_max, description: None },
            Value::Object(fields) => {
                for key in fields.keys() {
                    if !["path", "max_memory_bytes", "max_memory", "description"].contains(&key.as_str()) {
                        return Err(at(format!("unknown field '{key}'")));
                    }
                }
                let path = fields.get("path").and_then(Value::as_str).ok_or_else(|| at("needs a \"path\"".into()))?;
                let max = match (fields.get("max_memory_bytes"), fields.get("max_memory")) {
                    (Some(n), _) => n.as_u64().filter(|&n| n > 0).ok_or_else(|| at("max_memory_bytes is not a positive number".into()))? as usize,
                    (None, Some(text)) => {
                        text.as_str().and_then(parse_size).ok_or_else(|| at("max_memory is not a size (like 32m)".into()))?
                    }
                    (None, None) => default_max,
                };
                let description = fields.get("description").and_then(Value::as_str).map(str::to_owned);
                WasmModuleSpec { name: name.clone(), path: path.into(), max_memory_bytes: max, description }
            }
            _ => return Err(at("expected a path or an object".into())),
        };
        modules.push(spec);
    }
    Ok(modules)
}

pub fn resolve(settings: WasmSettings, stateful: bool) -> Result<WasmConfig, GatewayError> {
    let default_max = match &settings.wasm_default_max_memory {
        Some(text) => parse_size(text).ok_or_else(|| error(format!("--wasm-default-max-memory '{text}' is not a size (like 16m)")))?,
        None => DEFAULT_MAX_MEMORY,
    };
    let mut modules = Vec::new();
    for flag in settings.wasm_module.unwrap_or_default() {
        modules.push(parse_flag(&flag, default_max)?);
    }
    if let Some(value) = settings.wasm_config {
        modules.extend(parse_config(super::json_setting("--wasm-config", value, true)?, default_max)?);
    }
    let mut seen = BTreeMap::new();
    for module in &modules {
        if seen.insert(module.name.clone(), ()).is_some() {
            return Err(error(format!("WebAssembly module '{}' is given twice", module.name)));
        }
    }
    for text in settings.wasm_stub_description.unwrap_or_default() {
        let (name, description) =
            text.split_once('=').ok_or_else(|| error(format!("--wasm-stub-description '{text}': expected name=text")))?;
        let module = modules
            .iter_mut()
            .find(|m| m.name == name.trim())
            .ok_or_else(|| error(format!("--wasm-stub-description: no module named '{}' is loaded", name.trim())))?;
        module.description = Some(description.trim().to_owned());
    }
    if modules.is_empty() {
        let ignored: Vec<&str> = [
            ("--wasm-default-max-memory", settings.wasm_default_max_memory.is_some()),
            ("--wasm-stubs", settings.wasm_stubs.is_some()),
            ("--wasm-stub-prefix", settings.wasm_stub_prefix.is_some()),
        ]
        .into_iter()
        .filter_map(|(flag, given)| given.then_some(flag))
        .collect();
        if !ignored.is_empty() {
            return Err(error(format!("{} need --wasm-module or --wasm-config", ignored.join(", "))));
        }
        return Ok(WasmConfig::default());
    }
    if stateful {
        return Err(error(
            "--wasm-module and --wasm-config need --stateless: V8 has no WebAssembly in the isolates whose heaps it can snapshot",
        ));
    }
    let stub_prefix = match settings.wasm_stubs.unwrap_or(true) {
        true => Some(settings.wasm_stub_prefix.unwrap_or_else(|| DEFAULT_STUB_PREFIX.to_owned())),
        false if settings.wasm_stub_prefix.is_some() => return Err(error("--wasm-stub-prefix has no effect with --wasm-stubs false")),
        false => None,
    };
    Ok(WasmConfig { modules, stub_prefix })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(modules: &[&str]) -> WasmSettings {
        WasmSettings { wasm_module: Some(modules.iter().map(|s| s.to_string()).collect()), ..Default::default() }
    }

    #[test]
    fn flags_and_config_in_the_reference_shapes() {
        assert_eq!(parse_size("16m"), Some(16 << 20));
        assert_eq!(parse_size("64K"), Some(64 << 10));
        assert_eq!(parse_size("1g"), Some(1 << 30));
        assert_eq!(parse_size("1234"), Some(1234));
        assert_eq!(parse_size("x"), None);
        let mut given = settings(&["math=/opt/math.wasm:32m", "odd=/c:/dir/odd.wasm"]);
        given.wasm_config = Some(serde_json::json!({"modules": {"sql": {"path": "/opt/sql.wasm", "max_memory_bytes": 1024, "description": "SQL"}, "b": "/opt/b.wasm"}}));
        given.wasm_stub_description = Some(vec!["math=Adds numbers".into()]);
        let config = resolve(given, false).unwrap();
        let by = |n: &str| config.modules.iter().find(|m| m.name == n).unwrap().clone();
        assert_eq!((by("math").max_memory_bytes, by("math").description.as_deref()), (32 << 20, Some("Adds numbers")));
        assert_eq!(by("odd").path, PathBuf::from("/c:/dir/odd.wasm"), "a ':' that is not a size stays in the path");
        assert_eq!((by("sql").max_memory_bytes, by("sql").description.as_deref()), (1024, Some("SQL")));
        assert_eq!(by("b").max_memory_bytes, DEFAULT_MAX_MEMORY);
        assert_eq!(config.stub_prefix.as_deref(), Some("runjs__"));
    }

    #[test]
    fn what_would_be_ignored_is_refused() {
        let says = |given: WasmSettings, stateful: bool, text: &str| {
            let error = resolve(given, stateful).unwrap_err().to_string();
            assert!(error.contains(text), "{error}");
        };
        says(settings(&["math=/m.wasm"]), true, "need --stateless");
        says(settings(&["1math=/m.wasm"]), false, "letters, digits");
        says(settings(&["math=/a.wasm", "math=/b.wasm"]), false, "twice");
        says(WasmSettings { wasm_stub_prefix: Some("x_".into()), ..Default::default() }, false, "need --wasm-module");
        says(WasmSettings { wasm_stub_description: Some(vec!["nope=x".into()]), ..settings(&["math=/m.wasm"]) }, false, "no module named 'nope'");
        says(WasmSettings { wasm_stubs: Some(false), wasm_stub_prefix: Some("x".into()), ..settings(&["m=/m.wasm"]) }, false, "no effect");
        says(WasmSettings { wasm_default_max_memory: Some("lots".into()), ..settings(&["m=/m.wasm"]) }, false, "not a size");
    }
}
