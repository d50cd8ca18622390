//! Local Rego policies, compiled once by regorus and evaluated in process.
//!
//! **Invariants:**
//! - A policy is parsed when it is loaded: a file that does not compile is
//!   a load error (at start, or a reload that keeps the previous set).
//! - Every evaluation runs on a clone of the compiled (and prepared)
//!   engine, under a time limit; an error or an undefined result denies.
//!   Clones are pooled: regorus resets an engine's evaluation state at the
//!   start of each evaluation, and the input is set anew each time.
//! - An answer is taken from the [`Memo`] only for a policy whose answers
//!   depend on its input alone (see there).

use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::time::Duration;

use regorus::utils::limits::ExecutionTimerConfig;
use regorus::{Engine, Value};

use crate::PolicyError;
use crate::input::InputFields;
use crate::memo::Memo;

/// Prepared engines kept for reuse, at most this many.
const POOL: usize = 32;

/// One local source: its files, compiled.
pub struct LocalPolicy {
    engine: Engine,
    /// Engines that evaluated before: taken for an evaluation and given
    /// back, so a decision does not pay for a clone.
    pool: parking_lot::Mutex<Vec<Engine>>,
    /// The rule compiled for regorus's VM, when it compiles there (else the
    /// interpreter answers).
    vm: Option<Compiled>,
    rule: String,
    /// `data.x.reason` next to `data.x.allow`, when the rule ends in `allow`.
    reason_rule: Option<String>,
    /// The path as configured (for decisions and errors).
    pub label: String,
    /// What the policy reads of an input: only that is converted.
    fields: InputFields,
    /// Answers by question (the input fields it reads), when they may be
    /// remembered.
    memo: Option<Memo>,
}

/// What one evaluation said.
#[derive(Clone)]
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
        let mut texts = Vec::with_capacity(files.len());
        for file in &files {
            let text = std::fs::read_to_string(file).map_err(|e| PolicyError::Load(format!("{}: {e}", file.display())))?;
            engine
                .add_policy(file.display().to_string(), text.clone())
                .map_err(|e| PolicyError::Load(format!("{}: {e}", file.display())))?;
            texts.push(text);
        }
        let fields = InputFields::of(texts.iter().map(String::as_str));
        let memo = Memo::for_sources(texts.iter().map(String::as_str));
        tracing::debug!(policy = label, ?fields, memoized = memo.is_some(), "input fields the policy reads");
        engine.set_execution_timer_config(ExecutionTimerConfig {
            limit: timeout,
            check_interval: NonZeroU32::new(64).expect("non-zero"),
        });
        let reason_rule = rule.strip_suffix(".allow").map(|prefix| format!("{prefix}.reason"));
        // The rule must exist: a typo in `rule` or a package name is a load
        // error, not a silent deny of everything. (Compiled, not evaluated.)
        engine
            .clone()
            .compile_with_entrypoint(&regorus::Rc::from(rule))
            .map_err(|e| PolicyError::Load(format!("{label}: {rule}: {e}")))?;
        // Evaluated once here, so the engine every evaluation clones is
        // prepared (modules analysed, rules gathered): otherwise each clone
        // would do that again, which is most of a decision's cost. The
        // result of this empty input does not matter.
        engine.set_input(Value::new_object());
        let _ = engine.eval_rule(rule.to_owned());
        if let Some(reason) = &reason_rule {
            let _ = engine.eval_rule(reason.clone());
        }
        let vm = Compiled::new(&engine, rule, timeout, &label);
        Ok(Self { engine, pool: parking_lot::Mutex::new(Vec::new()), vm, rule: rule.to_owned(), reason_rule, label, fields, memo })
    }

    pub fn rule(&self) -> &str {
        &self.rule
    }

    /// Evaluates the rule for `input` (or finds the answer given before);
    /// an undefined result denies.
    pub fn eval(&self, input: &serde_json::Value) -> Result<Verdict, String> {
        let Some(memo) = &self.memo else { return self.evaluate(self.fields.convert(input)) };
        let unknown = match memo.get(&self.fields, input) {
            Ok(verdict) => return Ok(verdict),
            Err(unknown) => unknown,
        };
        let verdict = self.evaluate(self.fields.convert(input))?;
        if let Some(unknown) = unknown {
            memo.put(unknown, &self.fields, input, &verdict);
        }
        Ok(verdict)
    }

    fn evaluate(&self, input: Value) -> Result<Verdict, String> {
        if let Some(vm) = &self.vm {
            let allow = verdict_of(&self.rule, vm.eval(&self.rule, input.clone()))?;
            if allow || self.reason_rule.is_none() {
                return Ok(Verdict { allow, reason: None });
            }
        }
        let mut engine = self.pool.lock().pop().unwrap_or_else(|| self.engine.clone());
        let verdict = self.eval_on(&mut engine, input);
        let mut pool = self.pool.lock();
        if pool.len() < POOL {
            pool.push(engine);
        }
        verdict
    }

    /// The interpreter's answer (and the reason of a denial).
    fn eval_on(&self, engine: &mut Engine, input: Value) -> Result<Verdict, String> {
        engine.set_input(input);
        let allow = verdict_of(&self.rule, engine.eval_rule(self.rule.clone()))?;
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

/// `allow` from a rule's value: true, or false when undefined.
fn verdict_of<E: std::fmt::Display>(rule: &str, value: Result<Value, E>) -> Result<bool, String> {
    match value {
        Ok(Value::Bool(allow)) => Ok(allow),
        Ok(Value::Undefined) => Ok(false),
        Ok(other) => Err(format!("{rule} is {other}, not a boolean")),
        Err(e) => Err(format!("{rule}: {e}")),
    }
}

/// A rule compiled for regorus's VM (RVM): a decision is then a few
/// instructions over the input, without the interpreter's per-evaluation
/// setup. VMs are pooled like engines.
struct Compiled {
    program: std::sync::Arc<regorus::rvm::program::Program>,
    policy: regorus::CompiledPolicy,
    timeout: Duration,
    pool: parking_lot::Mutex<Vec<regorus::rvm::vm::RegoVM>>,
}

impl Compiled {
    fn new(engine: &Engine, rule: &str, timeout: Duration, label: &str) -> Option<Self> {
        let compiled = engine.clone().compile_with_entrypoint(&regorus::Rc::from(rule)).ok()?;
        match regorus::languages::rego::compiler::Compiler::compile_from_policy(&compiled, &[rule]) {
            Ok(program) => Some(Self { program, policy: compiled, timeout, pool: parking_lot::Mutex::new(Vec::new()) }),
            Err(error) => {
                tracing::debug!(policy = label, rule, %error, "not compiled for the VM; the interpreter evaluates it");
                None
            }
        }
    }

    fn eval(&self, rule: &str, input: Value) -> Result<Value, String> {
        let mut vm = self.pool.lock().pop().unwrap_or_else(|| {
            let mut vm = regorus::rvm::vm::RegoVM::new_with_policy(self.policy.clone());
            vm.load_program(self.program.clone());
            vm.set_execution_timer_config(Some(ExecutionTimerConfig {
                limit: self.timeout,
                check_interval: NonZeroU32::new(64).expect("non-zero"),
            }));
            vm
        });
        vm.set_input(input);
        let value = vm.execute_entry_point_by_name(rule).map_err(|e| e.to_string());
        let mut pool = self.pool.lock();
        if pool.len() < POOL {
            pool.push(vm);
        }
        value
    }
}

impl LocalPolicy {
    #[cfg(test)]
    pub(crate) fn uses_vm(&self) -> bool {
        self.vm.is_some()
    }

    #[cfg(test)]
    pub(crate) fn memoized(&self) -> bool {
        self.memo.is_some()
    }

    #[cfg(test)]
    pub(crate) fn input_fields(&self) -> &InputFields {
        &self.fields
    }

    /// The interpreter alone on the whole input (to check the VM, and the
    /// input left out, against it).
    #[cfg(test)]
    pub(crate) fn eval_interpreted(&self, input: &serde_json::Value) -> Result<Verdict, String> {
        self.eval_on(&mut self.engine.clone(), Value::from(input.clone()))
    }

    /// The direct conversion of an input, to check it against serde's.
    #[cfg(test)]
    pub(crate) fn convert(input: &serde_json::Value) -> Value {
        crate::input::to_rego(input)
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
