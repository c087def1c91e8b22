//! The request HCP sends to a run task, parsed only after its signature is checked, and refused
//! when it names a URL outside the allowed hosts. The access token is kept out of every message
//! and of `Debug`.

use serde::Deserialize;

use super::hosts::AllowedHosts;

/// When in the run the task was called.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Stage {
    /// Before the plan: there is nothing to judge yet.
    PrePlan,
    /// After the plan.
    PostPlan,
    /// Before the apply (the plan again).
    PreApply,
    /// After the apply.
    PostApply,
}

impl Stage {
    /// Whether HCP sends a plan at this stage.
    pub fn has_plan(self) -> bool {
        !matches!(self, Stage::PrePlan)
    }

    /// Whether plangate judges the plan at this stage (not after the apply: it was judged before).
    pub fn is_judged(self) -> bool {
        matches!(self, Stage::PostPlan | Stage::PreApply)
    }
}

/// Why a payload is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PayloadError {
    /// Not the JSON of a run-task request.
    #[error("not a run-task request: {0}")]
    Invalid(String),
    /// A payload version this server does not know.
    #[error("payload_version {0} is not supported (only 1)")]
    Version(u64),
    /// A URL outside the allowed hosts.
    #[error("{field} names a host that run_task.allowed_hosts does not allow")]
    Host {
        /// The field.
        field: &'static str,
    },
    /// A stage that needs a plan without one.
    #[error("stage {0:?} comes with a plan, but plan_json_api_url is missing")]
    NoPlan(Stage),
}

/// A run-task request.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Payload {
    /// Always 1.
    pub payload_version: u64,
    /// When in the run.
    pub stage: Stage,
    /// The bearer token for the plan and the callback: never logged.
    pub access_token: String,
    /// Where the plan's JSON is (post-plan stages).
    #[serde(default)]
    pub plan_json_api_url: Option<String>,
    /// Where the result goes (`PATCH`).
    pub task_result_callback_url: String,
    /// `advisory` or `mandatory`, passed through.
    #[serde(default)]
    pub task_result_enforcement_level: Option<String>,
    /// The workspace's name (per-workspace policies).
    #[serde(default)]
    pub workspace_name: Option<String>,
    /// The organisation's name.
    #[serde(default)]
    pub organization_name: Option<String>,
    /// The run's id.
    #[serde(default)]
    pub run_id: Option<String>,
    /// The run's page.
    #[serde(default)]
    pub run_app_url: Option<String>,
    /// Whether the run is speculative.
    #[serde(default)]
    pub is_speculative: bool,
}

impl std::fmt::Debug for Payload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Payload")
            .field("stage", &self.stage)
            .field("run_id", &self.run_id)
            .field("workspace_name", &self.workspace_name)
            .field("organization_name", &self.organization_name)
            .finish_non_exhaustive()
    }
}

impl Payload {
    /// Parses a request body whose signature was checked, and checks its URLs against `hosts`.
    ///
    /// # Errors
    /// [`PayloadError`]; its text quotes nothing of the body but field names and the stage.
    pub fn parse(body: &[u8], hosts: &AllowedHosts) -> Result<Payload, PayloadError> {
        let payload: Payload = serde_json::from_slice(body).map_err(|e| {
            // serde's message may quote a value (the token): only where it failed is kept.
            PayloadError::Invalid(format!("at line {} column {} ({:?})", e.line(), e.column(), e.classify()))
        })?;
        if payload.payload_version != 1 {
            return Err(PayloadError::Version(payload.payload_version));
        }
        if !hosts.allows(&payload.task_result_callback_url) {
            return Err(PayloadError::Host { field: "task_result_callback_url" });
        }
        match &payload.plan_json_api_url {
            Some(url) if !hosts.allows(url) => return Err(PayloadError::Host { field: "plan_json_api_url" }),
            None if payload.stage.has_plan() && !payload.is_verification() => {
                return Err(PayloadError::NoPlan(payload.stage))
            }
            _ => {}
        }
        Ok(payload)
    }

    /// The request HCP sends when a task is created or edited, to see that the URL answers: its
    /// token is `test-token` and no result is expected.
    pub fn is_verification(&self) -> bool {
        self.access_token == "test-token"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts() -> AllowedHosts {
        AllowedHosts::parse(&["app.terraform.io".into()]).unwrap()
    }

    fn body(plan: &str, callback: &str) -> Vec<u8> {
        serde_json::json!({
            "payload_version": 1, "stage": "post_plan", "access_token": "s3cret.atlasv1.token",
            "plan_json_api_url": plan, "task_result_callback_url": callback,
            "task_result_enforcement_level": "mandatory", "workspace_name": "prod-network",
            "organization_name": "acme", "run_id": "run-1", "is_speculative": false,
            "capabilities": {"outcomes": true}, "vcs_branch": "main"
        })
        .to_string()
        .into_bytes()
    }

    #[test]
    fn a_payload_naming_only_allowed_hosts_is_taken() {
        let ok = Payload::parse(
            &body(
                "https://app.terraform.io/api/v2/plans/plan-1/json-output",
                "https://app.terraform.io/api/v2/task-results/1/callback",
            ),
            &hosts(),
        )
        .unwrap();
        assert_eq!(ok.stage, Stage::PostPlan);
        assert!(!format!("{ok:?}").contains("s3cret"), "Debug hides the token");
        let ssrf =
            Payload::parse(&body("http://169.254.169.254/latest/meta-data", "https://app.terraform.io/cb"), &hosts());
        assert_eq!(ssrf, Err(PayloadError::Host { field: "plan_json_api_url" }));
        let callback = Payload::parse(&body("https://app.terraform.io/p", "https://internal.corp/cb"), &hosts());
        assert_eq!(callback, Err(PayloadError::Host { field: "task_result_callback_url" }));
        let broken = Payload::parse(br#"{"access_token": "s3cret", "stage": 7}"#, &hosts()).unwrap_err();
        assert!(!broken.to_string().contains("s3cret"), "{broken}");
    }
}
