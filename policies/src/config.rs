//! The policy configuration, in the reference server's shape so its users'
//! configs keep working: one entry per capability, each a list of sources
//! chained with `mode`.
//!
//! ```json
//! {"fetch": {"mode": "all", "policies": [
//!   {"url": "file:///etc/mcp/fetch.rego"},
//!   {"url": "http://127.0.0.1:8181", "policy_path": "mcp/fetch"}]}}
//! ```
//!
//! A local source (`file://` URL or plain path: a `.rego` file or a
//! directory of them) is evaluated at `data.mcp.<capability>.allow`
//! (`data.mcp.tools.allow` for `mcp_tools`) unless it names a `rule`; the
//! `reason` rule next to it (same path, `reason` for `allow`) may say why.
//! A remote source is an OPA server, asked `POST <url>/v1/data/<policy_path>`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use mcp_v8_runtime::Capability;
use serde::Deserialize;

use crate::PolicyError;

/// How the sources of one capability combine.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Every source must allow (the first denial decides).
    #[default]
    All,
    /// One allowing source is enough.
    Any,
}

/// Where one decision comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    Local { path: PathBuf, rule: String, timeout: Duration },
    Opa { url: String, policy_path: String, timeout: Duration },
}

#[derive(Debug, Clone, PartialEq)]
pub struct CapabilityPolicies {
    pub mode: Mode,
    pub sources: Vec<Source>,
}

/// The checked configuration: capabilities without an entry are denied.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PoliciesConfig {
    pub capabilities: BTreeMap<&'static str, (Capability, CapabilityPolicies)>,
}

/// The longest a local policy may evaluate, unless its entry says.
pub const LOCAL_TIMEOUT: Duration = Duration::from_millis(100);
/// The longest a remote OPA may take to answer, unless its entry says.
pub const OPA_TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCapability {
    #[serde(default)]
    mode: Mode,
    policies: Vec<RawSource>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    url: String,
    /// OPA: the data path to ask (`mcp/fetch`).
    policy_path: Option<String>,
    /// Local: the rule to evaluate (`data.mcp.fetch.allow`).
    rule: Option<String>,
    timeout_ms: Option<u64>,
}

/// The rule a local policy of `capability` is evaluated at by default.
pub fn default_rule(capability: Capability) -> String {
    match capability {
        Capability::McpTools => "data.mcp.tools.allow".into(),
        other => format!("data.mcp.{}.allow", other.name()),
    }
}

impl PoliciesConfig {
    /// Reads the JSON value of `--policies-json` (or the config file's
    /// `[capabilities.policies]` table). Relative file paths are read from
    /// the server's working directory when the policies are loaded.
    pub fn from_json(value: &serde_json::Value) -> Result<Self, PolicyError> {
        let raw: BTreeMap<String, RawCapability> =
            serde_json::from_value(value.clone()).map_err(|e| PolicyError::Config(e.to_string()))?;
        let mut capabilities = BTreeMap::new();
        for (name, entry) in raw {
            let capability = Capability::from_name(&name).ok_or_else(|| {
                let known: Vec<&str> = Capability::ALL.iter().map(|c| c.name()).collect();
                PolicyError::Config(format!("unknown capability '{name}' (known: {})", known.join(", ")))
            })?;
            if entry.policies.is_empty() {
                return Err(PolicyError::Config(format!("{name}: `policies` lists no source")));
            }
            let sources = entry
                .policies
                .into_iter()
                .map(|source| parse_source(capability, source))
                .collect::<Result<Vec<_>, _>>()?;
            capabilities.insert(capability.name(), (capability, CapabilityPolicies { mode: entry.mode, sources }));
        }
        Ok(Self { capabilities })
    }

    pub fn get(&self, capability: Capability) -> Option<&CapabilityPolicies> {
        self.capabilities.get(capability.name()).map(|(_, p)| p)
    }
}

fn parse_source(capability: Capability, raw: RawSource) -> Result<Source, PolicyError> {
    let context = |message: String| PolicyError::Config(format!("{}: {}: {message}", capability.name(), raw.url));
    if raw.url.starts_with("http://") || raw.url.starts_with("https://") {
        if raw.rule.is_some() {
            return Err(context("`rule` is for local policies; an OPA source names its `policy_path`".into()));
        }
        let policy_path = raw.policy_path.clone().ok_or_else(|| context("an OPA source needs `policy_path`".into()))?;
        let policy_path = policy_path.trim_matches('/').to_owned();
        if policy_path.is_empty() {
            return Err(context("`policy_path` is empty".into()));
        }
        return Ok(Source::Opa {
            url: raw.url.trim_end_matches('/').to_owned(),
            policy_path,
            timeout: raw.timeout_ms.map_or(OPA_TIMEOUT, Duration::from_millis),
        });
    }
    if raw.policy_path.is_some() {
        return Err(context("`policy_path` is for OPA sources; a local policy names its `rule`".into()));
    }
    let path = match raw.url.strip_prefix("file://") {
        Some(path) => PathBuf::from(path),
        None if raw.url.contains("://") => return Err(context("only file://, http:// and https:// sources".into())),
        None => PathBuf::from(&raw.url),
    };
    let rule = raw.rule.unwrap_or_else(|| default_rule(capability));
    if !rule.starts_with("data.") {
        return Err(context(format!("the rule '{rule}' is not a path under data.")));
    }
    Ok(Source::Local { path, rule, timeout: raw.timeout_ms.map_or(LOCAL_TIMEOUT, Duration::from_millis) })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn reads_the_reference_shape() {
        let config = PoliciesConfig::from_json(&json!({
            "fetch": {"mode": "all", "policies": [
                {"url": "file:///etc/mcp/fetch.rego"},
                {"url": "http://127.0.0.1:8181/", "policy_path": "/mcp/fetch"}]},
            "mcp_tools": {"policies": [{"url": "tools.rego"}]}
        }))
        .unwrap();
        let fetch = config.get(Capability::Fetch).unwrap();
        assert_eq!(fetch.mode, Mode::All);
        assert_eq!(fetch.sources[0], Source::Local {
            path: "/etc/mcp/fetch.rego".into(),
            rule: "data.mcp.fetch.allow".into(),
            timeout: LOCAL_TIMEOUT
        });
        assert_eq!(fetch.sources[1], Source::Opa {
            url: "http://127.0.0.1:8181".into(),
            policy_path: "mcp/fetch".into(),
            timeout: OPA_TIMEOUT
        });
        let Source::Local { rule, .. } = &config.get(Capability::McpTools).unwrap().sources[0] else { panic!() };
        assert_eq!(rule, "data.mcp.tools.allow");
        assert!(config.get(Capability::Subprocess).is_none());
    }

    #[test]
    fn refuses_what_it_cannot_use() {
        for (bad, says) in [
            (json!({"network": {"policies": [{"url": "x.rego"}]}}), "unknown capability 'network'"),
            (json!({"fetch": {"policies": []}}), "lists no source"),
            (json!({"fetch": {"policies": [{"url": "http://opa"}]}}), "needs `policy_path`"),
            (json!({"fetch": {"policies": [{"url": "ftp://x"}]}}), "only file://"),
            (json!({"fetch": {"mode": "some", "policies": [{"url": "x.rego"}]}}), "unknown variant"),
            (json!({"fetch": {"policies": [{"url": "x.rego", "rule": "allow"}]}}), "not a path under data."),
        ] {
            let error = PoliciesConfig::from_json(&bad).unwrap_err().to_string();
            assert!(error.contains(says), "{bad}: {error}");
        }
    }
}
