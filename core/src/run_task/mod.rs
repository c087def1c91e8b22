//! The HCP Terraform / Terraform Enterprise run-task contract, as pure functions any front end can
//! serve it with (the `plangate serve` server, a Lambda function URL): the `run_task:` section of
//! the configuration, the request's signature and payload checked before anything is trusted, the
//! hosts the server may call, and the task result sent back, held to HCP's limits.
//!
//! Nothing here makes a call or reads a clock: the signature is checked in constant time over the
//! raw body, a payload is parsed only after, and its URLs are matched against the configured
//! hosts, so a request can neither skip the check nor point the server at the deployment's own
//! network.

mod hosts;
mod payload;
mod result;
mod signature;

use std::path::PathBuf;

use serde::Deserialize;

use crate::glob::Glob;

pub use hosts::{AllowedHosts, HostError};
pub use payload::{Payload, PayloadError, Stage};
pub use result::{failed_result, result_without_plan, task_result, MAX_BODY_CHARS, MAX_MESSAGE_CHARS, MAX_OUTCOMES};
pub use signature::{sign, verify_signature, SignatureError, SIGNATURE_HEADER};

/// The `run_task:` section.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct RunTaskConfig {
    /// The environment variable that holds the task's HMAC key (required: without a key the
    /// server refuses to start).
    pub hmac_key_env: String,
    /// Hosts the plan and callback URLs may name, over https; `http://host:port` also allows plain
    /// HTTP to that one endpoint. Default: `app.terraform.io` and `archivist.terraform.io` (where
    /// the plan JSON is redirected).
    #[serde(default = "default_hosts")]
    pub allowed_hosts: Vec<String>,
    /// Jobs checked at once.
    #[serde(default = "default_concurrent")]
    pub max_concurrent: usize,
    /// Jobs waiting beyond those; a request past them is answered 503 with `Retry-After`.
    #[serde(default = "default_queue")]
    pub max_queued: usize,
    /// Seconds a job may take from request to callback (HCP waits ten minutes).
    #[serde(default = "default_job_timeout")]
    pub job_timeout_seconds: u64,
    /// The largest request body accepted, in bytes.
    #[serde(default = "default_request_bytes")]
    pub max_request_bytes: usize,
    /// Per-workspace policies: the first entry whose `match` glob matches the workspace's name
    /// gives the configuration file its run is checked with.
    #[serde(default)]
    pub workspaces: Vec<WorkspacePolicy>,
}

/// One `run_task.workspaces` entry.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct WorkspacePolicy {
    /// A glob over workspace names (`prod-*`).
    #[serde(rename = "match")]
    pub pattern: Glob,
    /// The configuration file for those workspaces (relative to this file).
    pub config: PathBuf,
}

/// The hosts HCP Terraform's run tasks call back on and redirect the plan to.
pub const DEFAULT_ALLOWED_HOSTS: [&str; 2] = ["app.terraform.io", "archivist.terraform.io"];

fn default_hosts() -> Vec<String> {
    DEFAULT_ALLOWED_HOSTS.map(String::from).to_vec()
}
fn default_concurrent() -> usize {
    4
}
fn default_queue() -> usize {
    64
}
fn default_job_timeout() -> u64 {
    540
}
fn default_request_bytes() -> usize {
    1024 * 1024
}

impl RunTaskConfig {
    /// The configuration file for `workspace`, if an entry matches it.
    pub fn config_for(&self, workspace: &str) -> Option<&PathBuf> {
        self.workspaces.iter().find(|w| w.pattern.matches(workspace)).map(|w| &w.config)
    }

    /// What is wrong with the section, beyond its types.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.hmac_key_env.trim().is_empty() {
            problems.push("hmac_key_env: expected the name of the variable holding the task's HMAC key".into());
        }
        if let Err(e) = AllowedHosts::parse(&self.allowed_hosts) {
            problems.push(format!("allowed_hosts: {e}"));
        }
        if self.max_concurrent == 0 {
            problems.push("max_concurrent: expected at least 1".into());
        }
        if self.job_timeout_seconds == 0 || self.job_timeout_seconds >= 600 {
            problems.push(format!(
                "job_timeout_seconds: expected 1 to 599 (HCP gives a task ten minutes), found {}",
                self.job_timeout_seconds
            ));
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use crate::Config;

    #[test]
    fn the_section_reads_with_defaults_and_says_what_is_wrong() {
        let yaml = "run_task:\n  hmac_key_env: PLANGATE_HMAC_KEY\n  allowed_hosts: [app.terraform.io, \"http://127.0.0.1:8080\"]\n  workspaces:\n    - {match: \"prod-*\", config: prod.yaml}\n";
        let section = Config::from_yaml(yaml, "gate.yaml").unwrap().run_task.unwrap();
        assert_eq!((section.max_concurrent, section.max_queued, section.job_timeout_seconds), (4, 64, 540));
        assert_eq!(section.config_for("prod-network").unwrap().to_str(), Some("prod.yaml"));
        assert_eq!(section.config_for("staging"), None);
        assert!(section.problems().is_empty(), "{:?}", section.problems());
        let bad = Config::from_yaml(
            "run_task:\n  hmac_key_env: K\n  job_timeout_seconds: 900\n  allowed_hosts: []\n",
            "gate.yaml",
        )
        .unwrap()
        .run_task
        .unwrap();
        assert_eq!(bad.problems().len(), 2, "{:?}", bad.problems());
        assert!(
            Config::from_yaml("run_task:\n  allowed_hosts: [x]\n", "gate.yaml").is_err(),
            "hmac_key_env is required"
        );
        assert!(
            Config::from_yaml("run_task:\n  hmac_key_env: K\n  hmac_key: inline\n", "gate.yaml").is_err(),
            "no key in the file"
        );
    }
}
