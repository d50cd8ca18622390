//! A remote OPA server: `POST <url>/v1/data/<policy_path>` with
//! `{"input": ...}`, reading `result.allow` (and `result.reason`), or a
//! boolean `result` when the path names the rule itself.
//!
//! **Invariant:** anything but a clear allow denies: an unreachable server,
//! a timeout, a status other than 200, an undefined or malformed result.

use std::time::Duration;

use serde_json::{Value, json};

use crate::local::Verdict;

pub struct OpaPolicy {
    client: reqwest::Client,
    endpoint: String,
    /// `<url> <policy_path>` (for decisions and errors).
    pub label: String,
    pub policy_path: String,
}

impl OpaPolicy {
    pub fn new(url: &str, policy_path: &str, timeout: Duration) -> Result<Self, crate::PolicyError> {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .map_err(|e| crate::PolicyError::Load(format!("{url}: {e}")))?;
        Ok(Self {
            client,
            endpoint: format!("{url}/v1/data/{policy_path}"),
            label: url.to_owned(),
            policy_path: policy_path.to_owned(),
        })
    }

    pub async fn eval(&self, input: &Value) -> Result<Verdict, String> {
        let response = self
            .client
            .post(&self.endpoint)
            .json(&json!({ "input": input }))
            .send()
            .await
            .map_err(|e| format!("OPA at {} did not answer: {e}", self.label))?;
        let status = response.status();
        if status != reqwest::StatusCode::OK {
            return Err(format!("OPA at {} answered {status}", self.label));
        }
        let body: Value = response.json().await.map_err(|e| format!("OPA at {}: {e}", self.label))?;
        match &body["result"] {
            Value::Bool(allow) => Ok(Verdict { allow: *allow, reason: None }),
            Value::Object(result) => Ok(Verdict {
                allow: result.get("allow") == Some(&Value::Bool(true)),
                reason: result.get("reason").and_then(Value::as_str).map(str::to_owned),
            }),
            Value::Null => Err(format!("OPA at {}: {} is undefined", self.label, self.policy_path)),
            other => Err(format!("OPA at {}: the result is {other}, not a decision", self.label)),
        }
    }
}
