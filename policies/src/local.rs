//! Local Rego policies, compiled once by regorus and evaluated in process.
//!
//! **Invariants:**
//! - A policy is parsed when it is loaded: a file that does not compile is
//!   a load error (at start, or a reload that keeps the previous set).
//! - Every evaluation runs on a clone of the compiled engine, under a time
//!   limit; an error or an undefined result denies.

use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::time::Duration;

use regorus::utils::limits::ExecutionTimerConfig;
use regorus::{Engine, Value};

use crate::PolicyError;

/// One local source: its files, compiled.
pub struct LocalPolicy {
    engine: Engine,
    rule: String,
    /// `data.x.reason` next to `data.x.allow`, when the rule ends in `allow`.
    reason_rule: Option<String>,
    /// The path as configured (for decisions and errors).
    pub label: String,
}

/// What one evaluation said.
pub struct Verdict {
    pub allow: bool,
    pub reason: Option<String>,
}

impl LocalPolicy {
    /// Loads `path` (a `.rego` file, or every `.rego` file in a directory).
    pub fn load(path: &Path, rule: &str, timeout: Duration) -> Result<Self, PolicyError> {
        let label = path.display().to_string();
        let files = rego_files(path).map_err(|e| PolicyError::Load(format!("{label}: {e}")))?;
        if files.is_empty() {
            return Err(PolicyError::Load(format!("{label}: no .rego file there")));
        }
        let mut engine = Engine::new();
        for file in &files {
            let text = std::fs::read_to_string(file).map_err(|e| PolicyError::Load(format!("{}: {e}", file.display())))?;
            engine
                .add_policy(file.display().to_string(), text)
                .map_err(|e| PolicyError::Load(format!("{}: {e}", file.display())))?;
        }
        engine.set_execution_timer_config(ExecutionTimerConfig {
            limit: timeout,
            check_interval: NonZeroU32::new(64).expect("non-zero"),
        });
        let reason_rule = rule.strip_suffix(".allow").map(|prefix| format!("{prefix}.reason"));
        let policy = Self { engine, rule: rule.to_owned(), reason_rule, label };
        // The rule must exist: a typo in `rule` or a package name is a load
        // error, not a silent deny of everything. (Compiled, not evaluated.)
        policy
            .engine
            .clone()
            .compile_with_entrypoint(&regorus::Rc::from(rule))
            .map_err(|e| PolicyError::Load(format!("{}: {rule}: {e}", policy.label)))?;
        Ok(policy)
    }

    pub fn rule(&self) -> &str {
        &self.rule
    }

    /// Evaluates the rule for `input`; an undefined result denies.
    pub fn eval(&self, input: &serde_json::Value) -> Result<Verdict, String> {
        let mut engine = self.engine.clone();
        let input = Value::from_json_str(&input.to_string()).map_err(|e| format!("input: {e}"))?;
        engine.set_input(input);
        let allow = match engine.eval_rule(self.rule.clone()) {
            Ok(Value::Bool(allow)) => allow,
            Ok(Value::Undefined) => false,
            Ok(other) => return Err(format!("{} is {other}, not a boolean", self.rule)),
            Err(e) => return Err(format!("{}: {e}", self.rule)),
        };
        let reason = match (&self.reason_rule, allow) {
            (Some(rule), false) => match engine.eval_rule(rule.clone()) {
                Ok(Value::String(text)) => Some(text.to_string()),
                _ => None,
            },
            _ => None,
        };
        Ok(Verdict { allow, reason })
    }
}

fn rego_files(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    if !path.is_dir() {
        std::fs::metadata(path)?;
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rego"))
        .collect();
    files.sort();
    Ok(files)
}
