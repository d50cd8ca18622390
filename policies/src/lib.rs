//! The policy engine of mcp-v8: decides what user code may reach (the
//! runtime's [`Decider`]), from Rego policies evaluated in process by
//! regorus and from remote OPA servers.
//!
//! Configured per capability (see [`config`]); a capability without an
//! entry is denied. The sources are loaded and compiled once; [`Policies::reload`]
//! (on SIGHUP) loads them again and swaps the new set in whole, or keeps the
//! old set when anything fails to load.
//!
//! **Invariants:**
//! - Deny by default: no entry, a source that errs or times out, an
//!   undefined rule, an unreachable OPA: each denies, with the cause as the
//!   decision's reason.
//! - A decision is made against one set of policies: a reload never mixes
//!   the old and new sources of one capability.

pub mod config;
mod input;
mod local;
mod memo;
mod opa;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use mcp_v8_runtime::{Capability, Decider, Decision};
use parking_lot::RwLock;
use serde_json::Value;

pub use config::{Mode, PoliciesConfig};
use config::Source;
use local::{LocalPolicy, Verdict};
use opa::OpaPolicy;

#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    #[error("policy configuration: {0}")]
    Config(String),
    #[error("policy load: {0}")]
    Load(String),
}

enum Loaded {
    Local(Box<LocalPolicy>),
    Opa(OpaPolicy),
}

impl Loaded {
    fn label(&self) -> &str {
        match self {
            Loaded::Local(p) => &p.label,
            Loaded::Opa(p) => &p.label,
        }
    }

    fn rule(&self) -> &str {
        match self {
            Loaded::Local(p) => p.rule(),
            Loaded::Opa(p) => &p.policy_path,
        }
    }

    async fn eval(&self, input: &Value) -> Result<Verdict, String> {
        match self {
            Loaded::Local(p) => p.eval(input),
            Loaded::Opa(p) => p.eval(input).await,
        }
    }
}

struct Chain {
    mode: Mode,
    sources: Vec<Loaded>,
}

/// The loaded policies of every configured capability.
struct Set {
    chains: HashMap<Capability, Chain>,
}

impl Set {
    fn load(config: &PoliciesConfig) -> Result<Self, PolicyError> {
        let mut chains = HashMap::new();
        for (capability, policies) in config.capabilities.values() {
            let sources = policies
                .sources
                .iter()
                .map(|source| match source {
                    Source::Local { path, rule, timeout } => LocalPolicy::load(path, rule, *timeout).map(|p| Loaded::Local(Box::new(p))),
                    Source::Opa { url, policy_path, timeout } => OpaPolicy::new(url, policy_path, *timeout).map(Loaded::Opa),
                })
                .collect::<Result<Vec<_>, _>>()?;
            chains.insert(*capability, Chain { mode: policies.mode, sources });
        }
        Ok(Self { chains })
    }
}

/// The decider the gateway gives the engine.
pub struct Policies {
    config: PoliciesConfig,
    current: RwLock<Arc<Set>>,
}

impl Policies {
    /// Loads and compiles every source; fails on the first that does not load.
    pub fn load(config: PoliciesConfig) -> Result<Self, PolicyError> {
        let set = Set::load(&config)?;
        Ok(Self { config, current: RwLock::new(Arc::new(set)) })
    }

    /// Loads every source again and swaps the new set in; on failure the
    /// current set stays and the error says why.
    pub fn reload(&self) -> Result<(), PolicyError> {
        let set = Set::load(&self.config)?;
        *self.current.write() = Arc::new(set);
        Ok(())
    }

    /// The capabilities that have policies.
    pub fn capabilities(&self) -> Vec<Capability> {
        self.config.capabilities.values().map(|(c, _)| *c).collect()
    }
}

#[async_trait::async_trait]
impl Decider for Policies {
    async fn decide(&self, capability: Capability, input: &Value) -> Decision {
        let started = Instant::now();
        let set = self.current.read().clone();
        let Some(chain) = set.chains.get(&capability) else {
            return Decision::unconfigured(capability);
        };
        let mut last = None;
        for source in &chain.sources {
            let (allow, reason) = match source.eval(input).await {
                Ok(Verdict { allow, reason }) => (allow, reason),
                Err(error) => (false, Some(format!("policy error: {error}"))),
            };
            let decision = Decision {
                allow,
                reason,
                source: source.label().to_owned(),
                rule: Some(source.rule().to_owned()),
                duration: Duration::ZERO,
            };
            // `all`: the first denial decides; `any`: the first allow does.
            let decided = matches!((chain.mode, allow), (Mode::All, false) | (Mode::Any, true));
            last = Some(decision);
            if decided {
                break;
            }
        }
        let mut decision = last.expect("a chain has at least one source");
        decision.duration = started.elapsed();
        decision
    }

    fn configured(&self, capability: Capability) -> bool {
        self.config.get(capability).is_some()
    }
}

#[cfg(test)]
mod tests;
