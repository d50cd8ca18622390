//! A decision's input as regorus reads it: converted from JSON directly,
//! and only as far as the policy looks.
//!
//! **Invariants:**
//! - The converted value equals what regorus's own deserializer makes of
//!   the same JSON (checked by a test over every example input).
//! - A field is left out only when no source of the policy can read it:
//!   [`InputFields::of`] keeps every top-level field when some source uses
//!   `input` other than as `input.<field>` or `input["<field>"]` (`input`
//!   alone, `input[k]`, `with input as`, `import input`, ...). Comments and
//!   string literals are not code, so a word `input` in them does not count
//!   (a `$` outside them, as a template string would start, keeps all).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::LazyLock;

use regorus::Value;

/// The top-level input fields a policy reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputFields {
    /// Some source reads `input` as a whole: every field is converted.
    All,
    /// Only these (a policy of the usual shape reads three or four of an
    /// input's eight or more fields, and never a token's claims unless it
    /// says so).
    Only(BTreeSet<String>),
}

impl InputFields {
    /// What the policy made of `sources` (Rego texts) reads.
    pub fn of<'a>(sources: impl IntoIterator<Item = &'a str>) -> Self {
        let mut fields = BTreeSet::new();
        for source in sources {
            if !read_fields(source, &mut fields) {
                return Self::All;
            }
        }
        Self::Only(fields)
    }

    /// `input` converted for regorus: the fields the policy reads, or all.
    pub fn convert(&self, input: &serde_json::Value) -> Value {
        match (self, input) {
            (Self::Only(fields), serde_json::Value::Object(map)) => Value::from(
                // In key order already: the map's build has nothing to sort.
                fields
                    .iter()
                    .filter_map(|field| map.get_key_value(field.as_str()))
                    .map(|(key, value)| (key_of(key), to_rego(value)))
                    .collect::<BTreeMap<_, _>>(),
            ),
            _ => to_rego(input),
        }
    }
}

/// Adds to `fields` what `source` reads of `input`; false when it reads
/// `input` in some other way.
fn read_fields(source: &str, fields: &mut BTreeSet<String>) -> bool {
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    scan_code(source, |word, rest| {
        if word != "input" {
            return true;
        }
        // `input.<field>` or `input["<field>"]`; anything else reads the
        // whole document.
        let field = if let Some(after) = rest.strip_prefix('.') {
            let len = after.bytes().take_while(|b| ident(*b)).count();
            (len > 0 && !after.as_bytes()[0].is_ascii_digit()).then(|| &after[..len])
        } else if let Some(after) = rest.strip_prefix("[\"") {
            after.find('"').map(|end| &after[..end]).filter(|f| !f.contains('\\') && after[f.len() + 1..].starts_with(']'))
        } else {
            None
        };
        match field {
            Some(field) => {
                fields.insert(field.to_owned());
                true
            }
            None => false,
        }
    })
}

/// Calls `word` with each identifier of `source`'s code (comments and
/// string literals left out) and the text after it, until it returns
/// false; false then, or when the code holds a `$` (not Rego today; a
/// template string, `$"...{input}"`, would hide code in a literal).
pub(crate) fn scan_code(source: &str, mut word: impl FnMut(&str, &str) -> bool) -> bool {
    let bytes = source.as_bytes();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'`' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'`' {
                    i += 1;
                }
                i += 1;
            }
            b'$' => return false,
            b if ident(b) => {
                let start = i;
                while i < bytes.len() && ident(bytes[i]) {
                    i += 1;
                }
                if !word(&source[start..i], &source[i..]) {
                    return false;
                }
            }
            _ => i += 1,
        }
    }
    true
}

/// Strings that recur in decision inputs, each allocated once: the object
/// keys, and common values (operations, methods, schemes).
const COMMON: &[&str] = &[
    "operation", "url", "method", "headers", "url_parsed", "scheme", "host", "port", "path", "query",
    "execution_id", "session", "principal", "claims", "command", "args", "cwd", "env", "destination",
    "recursive", "specifier", "specifier_type", "resolved_url", "referrer", "server", "tool", "arguments",
    "uri", "prompt", "type", "stage", "source", "accept", "accept-encoding", "user-agent", "content-type",
    "content-length", "iss", "sub", "aud", "exp", "iat", "nbf", "scope", "groups", "", "fetch", "websocket",
    "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "http", "https", "ws", "wss", "local", "*/*",
];

static INTERNED: LazyLock<HashMap<&'static str, Value, rustc_hash::FxBuildHasher>> =
    LazyLock::new(|| COMMON.iter().map(|text| (*text, Value::from(*text))).collect());

fn key_of(text: &str) -> Value {
    INTERNED.get(text).cloned().unwrap_or_else(|| Value::String(regorus::Rc::from(text)))
}

/// JSON converted directly: serde's path through regorus's visitor copies
/// every string twice and allocates every key anew, which was half of a
/// decision's cost.
pub fn to_rego(value: &serde_json::Value) -> Value {
    use serde_json::Value as Json;
    match value {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Value::from(u),
            (None, Some(i)) => Value::from(i),
            // serde_json holds no NaN or infinity.
            _ => Value::from(n.as_f64().unwrap_or_default()),
        },
        Json::String(text) => key_of(text),
        Json::Array(items) => Value::from(items.iter().map(to_rego).collect::<Vec<_>>()),
        Json::Object(map) => Value::from(map.iter().map(|(key, value)| (key_of(key), to_rego(value))).collect::<BTreeMap<_, _>>()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn only(fields: &[&str]) -> InputFields {
        InputFields::Only(fields.iter().map(|f| f.to_string()).collect())
    }

    #[test]
    fn the_fields_a_policy_reads_are_found() {
        let policy = r#"package mcp.fetch
# input is the request; input alone here is a comment
import rego.v1
allow if {
	input.url_parsed.scheme == "https"
	input["method"] in {"GET"}
	"input" != "input.x"
	x := `input`
	startswith(input.url_parsed.path, "/api/")
	my_input := 1
	input_x := 2
}
"#;
        assert_eq!(InputFields::of([policy]), only(&["method", "url_parsed"]));
        assert_eq!(InputFields::of([policy, "package b\nr if input.claims.sub == \"a\\\"input\""]), only(&["claims", "method", "url_parsed"]));
    }

    #[test]
    fn a_policy_reading_input_otherwise_gets_all_of_it() {
        for code in [
            "r if count(input) > 1",
            "r if input[k] == 1",
            "r if input [\"a\"] == 1",
            "r if input[\"a\\\"\"] == 1",
            "r if x with input as {}",
            "import input\nr if input.a",
            "r if input.a\nq if walk(input, x)",
            "r := input",
            "r := $\"{input.a}\"",
        ] {
            assert_eq!(InputFields::of([code]), InputFields::All, "{code}");
        }
    }

    #[test]
    fn only_the_fields_read_are_converted() {
        let input = serde_json::json!({"method": "GET", "url": "http://x/", "claims": {"sub": "a"}, "url_parsed": {"host": "x"}});
        let converted = only(&["method", "url_parsed", "absent"]).convert(&input);
        let expected = serde_json::json!({"method": "GET", "url_parsed": {"host": "x"}});
        assert_eq!(converted, to_rego(&expected));
        assert_eq!(InputFields::All.convert(&input), to_rego(&input));
    }
}
