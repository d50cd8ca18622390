//! What user code may reach beyond its own heap (the network, files,
//! processes, external modules, upstream tools), and who decides.
//!
//! Every capability is denied until a [`Decider`] allows it. The runtime
//! asks at the op boundary, in Rust, once per operation (and again for every
//! redirect hop of a fetch); the gateway plugs in the decider (the
//! `policies` crate, over Rego). The runtime never imports a policy engine.
//!
//! **Invariants:**
//! - An op does nothing a decision has not allowed: the decision comes
//!   first, on the exact operation that is then performed (canonical paths,
//!   the resolved URL of each hop).
//! - A denial is a JS error naming the capability, the rule that decided and
//!   the setting that turns it on; it never says more about the policy than
//!   its reason.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

/// A capability a policy can allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Capability {
    Fetch,
    Filesystem,
    Subprocess,
    Modules,
    McpTools,
    RunJsFile,
}

impl Capability {
    pub const ALL: [Capability; 6] = [
        Capability::Fetch,
        Capability::Filesystem,
        Capability::Subprocess,
        Capability::Modules,
        Capability::McpTools,
        Capability::RunJsFile,
    ];

    /// Its name in policy configuration (`--policies-json` keys).
    pub fn name(self) -> &'static str {
        match self {
            Capability::Fetch => "fetch",
            Capability::Filesystem => "filesystem",
            Capability::Subprocess => "subprocess",
            Capability::Modules => "modules",
            Capability::McpTools => "mcp_tools",
            Capability::RunJsFile => "run_js_file",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.name() == name)
    }
}

impl fmt::Display for Capability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One decision and how it was made: what the observability layer records.
#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    pub allow: bool,
    /// Why, when the policy says (`data.mcp.<capability>.reason`), or why
    /// nothing could allow (no policy, a policy that failed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Which source decided (a file, an OPA URL, or "none").
    pub source: String,
    /// The rule evaluated (`data.mcp.fetch.allow`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// How long the decider took, measured by the decider (the decisions'
    /// histogram reads it; a decider that does no work says zero).
    #[serde(skip)]
    pub duration: Duration,
}

impl Decision {
    /// Denied because nothing is configured to allow the capability.
    pub fn unconfigured(capability: Capability) -> Self {
        Self {
            allow: false,
            reason: Some(format!("no policy allows {capability}")),
            source: "none".into(),
            rule: None,
            duration: Duration::ZERO,
        }
    }
}

/// Decides operations of user code. Implemented by the gateway's policy
/// engine; [`DenyAll`] when none is configured.
#[async_trait::async_trait]
pub trait Decider: Send + Sync + 'static {
    /// Decides one operation. `input` is the capability's input document
    /// (see the policies' docs), already carrying the run's context
    /// (`execution_id`, `session`, `principal`, `claims`).
    async fn decide(&self, capability: Capability, input: &Value) -> Decision;

    /// True when some policy is configured for `capability` (an op may be
    /// left out of the JS surface entirely when none is).
    fn configured(&self, capability: Capability) -> bool;
}

/// Denies everything: the default.
pub struct DenyAll;

#[async_trait::async_trait]
impl Decider for DenyAll {
    async fn decide(&self, capability: Capability, _input: &Value) -> Decision {
        Decision::unconfigured(capability)
    }

    fn configured(&self, _capability: Capability) -> bool {
        false
    }
}

/// The decider the engine uses when the gateway gives none.
pub fn deny_all() -> Arc<dyn Decider> {
    Arc::new(DenyAll)
}

/// The JS error message of a denial.
pub fn denied_message(capability: Capability, operation: &str, decision: &Decision) -> String {
    let mut message = format!("{capability} denied: {operation}");
    if let Some(reason) = &decision.reason {
        message.push_str(&format!(" ({reason})"));
    }
    match &decision.rule {
        Some(rule) => message.push_str(&format!(" [rule {rule}]")),
        None => message.push_str(&format!("; a `{capability}` policy in --policies-json turns it on")),
    }
    message
}
