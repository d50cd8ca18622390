//! Decisions remembered per input, for policies whose answer depends on
//! nothing else.
//!
//! A program that calls the same API in a loop asks the same question of
//! the policy every time (a policy of the usual shape reads the scheme, the
//! host, the method and the path: a page number in the query, the run's id
//! or the caller are not part of the question unless the policy reads
//! them). The answer is looked up instead of evaluated again.
//!
//! **Invariants:**
//! - Only a policy none of whose sources names a builtin whose result is
//!   not a function of its arguments (the clock, randomness, UUIDs, the
//!   network, the runtime, a sleep) or that prints is memoized: its answer
//!   is then a function of the compiled sources and the converted input
//!   (the fields it reads), which is the key. The check is on words of the
//!   code, so a rule that merely shares such a name turns memoizing off,
//!   never on.
//! - Answers only, never errors: a time limit hit under load says nothing
//!   about the next evaluation.
//! - Bounded: at most [`ENTRIES`] answers, each for a question of at most
//!   [`KEY_BYTES`] (its text, and a word per other value); a larger one is
//!   looked at no further than that. When full it is emptied and fills
//!   again. A reload loads new sources with an empty memo.
//! - A workload that never asks the same question twice pays for the memo
//!   on a fraction of its decisions only: a memo that filled up while
//!   finding fewer than one answer in [`FEW`] rests for [`REST`] decisions.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use serde_json::Value;

use crate::input::{InputFields, scan_code};
use crate::local::Verdict;

/// Answers kept, at most.
const ENTRIES: usize = 1024;

/// The largest question remembered, counted in the bytes of its strings
/// and keys and a word per other value (an upstream tool call's arguments
/// can be large, and a policy may read them).
const KEY_BYTES: usize = 4096;

/// Words naming builtins whose result is not a function of their
/// arguments: `time.now_ns`, `rand.intn`, `uuid.rfc4122`, `http.send`,
/// `opa.runtime`, `test.sleep`, and the two that print.
const IMPURE: &[&str] = &["now_ns", "intn", "rfc4122", "send", "runtime", "sleep", "print", "trace"];

/// Answers by question: the input fields the policy reads (looked up in
/// the JSON input as it comes, so that a hit converts nothing).
pub struct Memo {
    state: parking_lot::Mutex<State>,
}

#[derive(Default)]
struct State {
    /// By a hash of the question; the questions are compared on a hit.
    entries: HashMap<u64, Vec<(Value, Verdict)>, rustc_hash::FxBuildHasher>,
    /// Answers kept, and found, since the memo was last emptied.
    kept: usize,
    found: usize,
    /// Decisions left to make without the memo: it rests after filling up
    /// while finding few answers (every question new: the lookups would
    /// only add to each decision's cost).
    resting: usize,
}

/// A question the memo did not know: [`Memo::put`] keeps its answer.
pub struct Unknown {
    hash: u64,
}

/// Found at most one answer in this many kept: the memo rests.
const FEW: usize = 8;

/// Decisions made without the memo when it rests.
const REST: usize = 8 * ENTRIES;

impl Memo {
    /// A memo for the policy made of `sources` (Rego texts), if its
    /// answers may be remembered.
    pub fn for_sources<'a>(sources: impl IntoIterator<Item = &'a str>) -> Option<Self> {
        let pure = sources.into_iter().all(|source| scan_code(source, |word, _| !IMPURE.contains(&word)));
        pure.then(|| Self { state: parking_lot::Mutex::new(State::default()) })
    }

    /// The answer given before to the question `fields` of `input` ask
    /// (`Ok`), or what [`Memo::put`] needs to keep it once evaluated.
    /// `Err(None)`: not to be kept (too large, or the memo rests).
    pub fn get(&self, fields: &InputFields, input: &Value) -> Result<Verdict, Option<Unknown>> {
        {
            let mut state = self.state.lock();
            if state.resting > 0 {
                state.resting -= 1;
                return Err(None);
            }
        }
        let Some(hash) = question_hash(fields, input) else { return Err(None) };
        let mut state = self.state.lock();
        let found = state
            .entries
            .get(&hash)
            .and_then(|bucket| bucket.iter().find(|(asked, _)| same_question(fields, input, asked)));
        match found {
            Some((_, verdict)) => {
                let verdict = verdict.clone();
                state.found += 1;
                Ok(verdict)
            }
            None => Err(Some(Unknown { hash })),
        }
    }

    /// Keeps the answer to the question `fields` of `input` ask.
    pub fn put(&self, unknown: Unknown, fields: &InputFields, input: &Value, verdict: &Verdict) {
        let question = match (fields, input) {
            (InputFields::Only(fields), Value::Object(map)) => Value::Object(
                fields
                    .iter()
                    .filter_map(|field| map.get_key_value(field.as_str()))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            ),
            _ => input.clone(),
        };
        let mut state = self.state.lock();
        if state.kept >= ENTRIES {
            if state.found * FEW < state.kept {
                state.resting = REST;
            }
            state.entries.clear();
            (state.kept, state.found) = (0, 0);
            if state.resting > 0 {
                return;
            }
        }
        let bucket = state.entries.entry(unknown.hash).or_default();
        if !bucket.iter().any(|(asked, _)| same_question(fields, input, asked)) {
            bucket.push((question, verdict.clone()));
            state.kept += 1;
        }
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.state.lock().entries.values().map(Vec::len).sum()
    }
}

/// Whether `asked` (a question [`Memo::put`] kept) is the one `fields` of
/// `input` ask: the same value, or absence, of every field read.
fn same_question(fields: &InputFields, input: &Value, asked: &Value) -> bool {
    match (fields, input) {
        (InputFields::Only(fields), Value::Object(map)) => {
            fields.iter().all(|field| map.get(field.as_str()) == asked.get(field.as_str()))
        }
        _ => input == asked,
    }
}

/// A hash of the question, or `None` when it is over [`KEY_BYTES`]
/// (counting its strings and keys, and a word for every other value):
/// the walk stops there, so a large input costs no more than a small one.
/// Equal questions hash equally: objects are hashed whatever their key
/// order, numbers by their `f64` (equal numbers share it; two that differ
/// and share it only meet in a bucket).
fn question_hash(fields: &InputFields, input: &Value) -> Option<u64> {
    let mut budget = KEY_BYTES;
    match (fields, input) {
        (InputFields::Only(fields), Value::Object(map)) => fields.iter().try_fold(0u64, |hash, field| {
            spend(&mut budget, field.len())?;
            let value = map.get(field.as_str()).map_or(Some(0), |value| hash_json(value, &mut budget))?;
            Some(mix(hash, hash_str(field) ^ value))
        }),
        _ => hash_json(input, &mut budget),
    }
}

/// Takes `n` from `budget`; `None` when it does not have them.
fn spend(budget: &mut usize, n: usize) -> Option<()> {
    *budget = budget.checked_sub(n)?;
    Some(())
}

fn mix(hash: u64, next: u64) -> u64 {
    (hash.rotate_left(5) ^ next).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95)
}

fn hash_str(text: &str) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    text.hash(&mut hasher);
    hasher.finish()
}

fn hash_json(value: &Value, budget: &mut usize) -> Option<u64> {
    const WORD: usize = 8;
    Some(match value {
        Value::Null => {
            spend(budget, WORD)?;
            1
        }
        Value::Bool(b) => {
            spend(budget, WORD)?;
            2 + u64::from(*b)
        }
        Value::Number(n) => {
            spend(budget, WORD)?;
            mix(4, n.as_f64().map_or(0, f64::to_bits))
        }
        Value::String(text) => {
            spend(budget, text.len())?;
            mix(5, hash_str(text))
        }
        Value::Array(items) => items.iter().try_fold(6, |hash, item| Some(mix(hash, hash_json(item, budget)?)))?,
        // Entries combined by a sum: the same whatever their order.
        Value::Object(map) => mix(
            7,
            map.iter().try_fold(0u64, |sum, (key, value)| {
                spend(budget, key.len())?;
                Some(sum.wrapping_add(mix(hash_str(key), hash_json(value, budget)?)))
            })?,
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn only(fields: &[&str]) -> InputFields {
        InputFields::Only(fields.iter().map(|f| f.to_string()).collect())
    }

    fn yes() -> Verdict {
        Verdict { allow: true, reason: None }
    }

    #[test]
    fn only_a_policy_naming_no_impure_builtin_is_memoized() {
        assert!(Memo::for_sources(["package p\nallow if input.method == \"GET\""]).is_some());
        // Names in comments and strings are not calls.
        assert!(Memo::for_sources(["package p\n# time.now_ns\nallow if input.x != \"rand.intn\""]).is_some());
        for code in [
            "allow if time.now_ns() > 0",
            "allow if rand.intn(\"x\", 10) == 1",
            "allow if { print(input); true }",
            "allow if trace(\"x\")",
            "allow if x := $\"{time.now_ns()}\"",
        ] {
            assert!(Memo::for_sources(["package a\nallow := true", code]).is_none(), "{code}");
        }
    }

    #[test]
    fn an_answer_is_found_for_the_same_question_only() {
        let memo = Memo::for_sources(["package p"]).expect("pure");
        let fields = only(&["method", "url_parsed", "claims"]);
        let asked = json!({"method": "GET", "url_parsed": {"host": "a", "port": 443}, "execution_id": "1"});
        put(&memo, &fields, &asked);
        // Fields the policy does not read, and key order, do not matter.
        let same = json!({"execution_id": "2", "url_parsed": {"port": 443, "host": "a"}, "method": "GET"});
        assert!(memo.get(&fields, &same).is_ok_and(|v| v.allow));
        for other in [
            json!({"method": "GET", "url_parsed": {"host": "a", "port": 444}}),
            json!({"method": "GET", "url_parsed": {"host": "b", "port": 443}}),
            json!({"method": "GET", "url_parsed": {"host": "a", "port": 443}, "claims": null}),
            json!({"method": "GET", "url_parsed": {"host": "a", "port": 443, "path": "/"}}),
            json!({"method": "GET"}),
        ] {
            assert!(memo.get(&fields, &other).is_err(), "{other}");
        }
        // A policy reading all of its input asks about all of it.
        put(&memo, &InputFields::All, &asked);
        assert!(memo.get(&InputFields::All, &asked).is_ok());
        assert!(memo.get(&InputFields::All, &same).is_err());
    }

    /// Keeps "allowed" for the question, as `LocalPolicy` does after a miss.
    fn put(memo: &Memo, fields: &InputFields, input: &Value) {
        let unknown = memo.get(fields, input).err().flatten().expect("a question to keep");
        memo.put(unknown, fields, input, &yes());
    }

    #[test]
    fn it_stays_bounded_and_rests_when_every_question_is_new() {
        let memo = Memo::for_sources(["package p"]).expect("pure");
        let fields = only(&["path", "arguments"]);
        let path = |n: usize| json!({"path": format!("/{n}")});
        // Asked each question twice: it is found as often as kept.
        for n in 0..ENTRIES * 3 {
            put(&memo, &fields, &path(n));
            assert!(memo.get(&fields, &path(n)).is_ok());
            assert!(memo.len() <= ENTRIES);
        }
        for large in [json!({"arguments": {"text": "x".repeat(KEY_BYTES)}}), json!({"arguments": vec![1; KEY_BYTES]})] {
            assert!(memo.get(&fields, &large).is_err_and(|e| e.is_none()), "a question over KEY_BYTES is not kept");
        }
        // Every question new: once full, it rests for REST decisions.
        let mut n = ENTRIES * 3;
        while memo.state.lock().resting == 0 {
            put(&memo, &fields, &path(n));
            n += 1;
            assert!(n < ENTRIES * 6, "never rests");
        }
        for _ in 0..REST {
            assert!(memo.get(&fields, &path(0)).is_err_and(|e| e.is_none()), "resting");
        }
        put(&memo, &fields, &path(0));
        assert!(memo.get(&fields, &path(0)).is_ok(), "kept again after the rest");
    }
}
