//! What an op knows about the run it serves: whose run it is, in which
//! session, who decides what it may do, and when it must give up.
//!
//! The engine puts one [`RunContext`] in the isolate's `OpState` for the
//! length of a run and takes it out after; an op that finds none (a timer
//! firing between runs) refuses to act.
//!
//! **Invariant:** every capability op calls [`RunContext::check`] before it
//! acts, with the exact operation it then performs, and wraps what it
//! awaits in [`RunContext::until_stopped`], so a cancelled or timed-out run
//! leaves no operation of its running.

use std::future::Future;
use std::sync::Arc;

use deno_core::OpState;
use deno_error::JsErrorBox;
use serde_json::{Map, Value};
use tracing::Instrument;

use crate::capability::{Capability, Decider, Decision, denied_message};
use crate::ids::ExecutionId;
use crate::isolate::Stopper;
use crate::owner::{Owner, SessionKey};

/// The context of one run, shared with its ops.
pub struct RunContext {
    pub execution_id: ExecutionId,
    pub session: Option<SessionKey>,
    pub principal: Owner,
    /// The caller's verified token claims (auth on).
    pub claims: Option<Arc<Value>>,
    pub decider: Arc<dyn Decider>,
    pub stopper: Arc<Stopper>,
    /// The run's memory budget: nothing an op hands to JavaScript at once
    /// may be larger.
    pub budget_bytes: usize,
    /// What `fetch` adds to requests and how much of a response it takes.
    pub fetch: Arc<FetchSetup>,
    /// Where `import` gets modules, and whether it may.
    pub modules: Arc<crate::modules::ModuleSetup>,
    /// Answers `mcp.callTool`: the gateway's upstream MCP servers.
    pub host: Arc<dyn crate::host::Host>,
}

/// The server's fetch settings, shared by every run.
pub struct FetchSetup {
    pub injector: Arc<dyn crate::fetch::HeaderInjector>,
    /// `--fetch-max-bytes`: the most of one response body a run reads.
    pub max_response_bytes: usize,
}

/// Request headers whose values the decision log leaves out.
const SECRET_HEADERS: [&str; 4] = ["authorization", "proxy-authorization", "cookie", "x-api-key"];

/// The input as the decision log shows it: credentials the script put in a
/// request's headers are replaced by `<redacted>`.
pub(crate) fn redacted(input: &Value) -> std::borrow::Cow<'_, Value> {
    let Some(headers) = input.get("headers").and_then(Value::as_object) else {
        return std::borrow::Cow::Borrowed(input);
    };
    if !headers.keys().any(|name| SECRET_HEADERS.contains(&name.to_ascii_lowercase().as_str())) {
        return std::borrow::Cow::Borrowed(input);
    }
    let mut input = input.clone();
    if let Some(Value::Object(headers)) = input.get_mut("headers") {
        for (name, value) in headers.iter_mut() {
            if SECRET_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
                *value = Value::String("<redacted>".into());
            }
        }
    }
    std::borrow::Cow::Owned(input)
}

/// The input document of a decision: the operation's own fields plus who
/// asks (`execution_id` and `session`, `null` outside a run; `principal`;
/// `claims` with auth). Every decision's input is made here.
pub fn decision_input(
    mut fields: Map<String, Value>,
    execution_id: Option<&ExecutionId>,
    session: Option<&SessionKey>,
    principal: &Owner,
    claims: Option<&Value>,
) -> Value {
    fields.insert("execution_id".into(), execution_id.map_or(Value::Null, |id| Value::String(id.to_string())));
    fields.insert("session".into(), session.map_or(Value::Null, |s| Value::String(s.name.to_string())));
    fields.insert("principal".into(), Value::String(principal.key()));
    if let Some(claims) = claims {
        fields.insert("claims".into(), claims.clone());
    }
    Value::Object(fields)
}

/// Asks `decider` and logs the decision record (credentials left out), in
/// a `policy.decide {capability}` span (under the operation it guards) whose
/// status is an error when it denies.
pub async fn decide(decider: &dyn Decider, capability: Capability, operation: &str, input: &Value) -> Decision {
    let span = child_span!(
        "policy.decide",
        otel.name = %format_args!("policy.decide {capability}"),
        policy.capability = capability.name(),
        policy.operation = operation,
        policy.decision = tracing::field::Empty,
        policy.source = tracing::field::Empty,
        policy.rule = tracing::field::Empty,
        policy.reason = tracing::field::Empty,
        policy.input.sha256 = tracing::field::Empty,
        policy.input = tracing::field::Empty,
        otel.status_code = tracing::field::Empty,
        otel.status_description = tracing::field::Empty,
    );
    let decision = decider.decide(capability, input).instrument(span.clone()).await;
    if !span.is_disabled() {
        record_decision(&span, &decision, input);
    }
    tracing::debug!(
        target: "mcp_v8::decision",
        capability = capability.name(),
        operation,
        allow = decision.allow,
        source = %decision.source,
        rule = decision.rule.as_deref().unwrap_or(""),
        reason = decision.reason.as_deref().unwrap_or(""),
        micros = decision.duration.as_micros() as u64,
        input = %redacted(input),
        "policy decision"
    );
    decision
}

/// Runs an operation of user code in its span (its decision is then under
/// it); an error marks the span with the JS error's class.
pub(crate) async fn in_span<T>(
    span: tracing::Span,
    operation: impl Future<Output = Result<T, JsErrorBox>>,
) -> Result<T, JsErrorBox> {
    let result = operation.instrument(span.clone()).await;
    if let Err(error) = &result
        && !span.is_disabled()
    {
        span.record("error.type", deno_error::JsErrorClass::get_class(error).as_ref());
        span.record("otel.status_code", "error");
    }
    result
}

/// Fills a decision's span: the outcome, and a hash of the input (the
/// input itself may hold secrets).
fn record_decision(span: &tracing::Span, decision: &Decision, input: &Value) {
    use sha2::Digest;
    let hash = hex::encode(sha2::Sha256::digest(redacted(input).to_string().as_bytes()));
    span.record("policy.decision", if decision.allow { "allow" } else { "deny" });
    span.record("policy.source", decision.source.as_str());
    if let Some(rule) = &decision.rule {
        span.record("policy.rule", rule.as_str());
    }
    if let Some(reason) = &decision.reason {
        span.record("policy.reason", reason.as_str());
    }
    span.record("policy.input.sha256", hash.as_str());
    if !decision.allow {
        span.record("otel.status_code", "error");
        span.record("otel.status_description", decision.reason.as_deref().unwrap_or("denied"));
    }
}

impl RunContext {
    /// The context of the run in progress, from an op.
    pub fn current(state: &OpState) -> Result<Arc<RunContext>, JsErrorBox> {
        state
            .try_borrow::<Arc<RunContext>>()
            .cloned()
            .ok_or_else(|| JsErrorBox::generic("no run in progress: this operation belongs to a run that has ended"))
    }

    /// The input document of a decision: the operation's own fields plus
    /// the run's (`execution_id`, `session`, `principal`, `claims`).
    pub fn input(&self, fields: Map<String, Value>) -> Value {
        decision_input(fields, Some(&self.execution_id), self.session.as_ref(), &self.principal, self.claims.as_deref())
    }

    /// Asks the decider; a denial is the JS error the op throws.
    /// `operation` names the operation in that error (`readFile /etc/passwd`).
    pub async fn check(
        &self,
        capability: Capability,
        operation: &str,
        fields: Map<String, Value>,
    ) -> Result<(), JsErrorBox> {
        let input = self.input(fields);
        let decision = decide(&*self.decider, capability, operation, &input).await;
        if decision.allow {
            Ok(())
        } else {
            Err(JsErrorBox::new("PermissionDenied", denied_message(capability, operation, &decision)))
        }
    }

    /// Runs `work` until it finishes or the run is stopped, whichever comes
    /// first; a stopped run's operation is dropped (and with it, whatever it
    /// owns: a child process is killed, a request aborted).
    pub async fn until_stopped<T>(&self, work: impl Future<Output = T>) -> Result<T, JsErrorBox> {
        tokio::select! {
            biased;
            () = self.stopper.stopped() => Err(JsErrorBox::generic("the run was stopped")),
            out = work => Ok(out),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn the_decision_log_leaves_credentials_out() {
        let input = json!({"operation": "fetch", "headers": {"Authorization": "Bearer s3cret", "cookie": "a=b", "accept": "*/*"}});
        let shown = super::redacted(&input).to_string();
        assert!(!shown.contains("s3cret") && !shown.contains("a=b"), "{shown}");
        assert!(shown.contains("*/*"), "{shown}");
        let plain = json!({"operation": "readFile", "path": "/tmp/x"});
        assert!(matches!(super::redacted(&plain), std::borrow::Cow::Borrowed(_)));
    }
}
