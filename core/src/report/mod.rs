//! The result of a plan analysis: counts, status, verdict, findings and drift, and one renderer per
//! output format. The JSON form of [`Report`] is the contract the next pipeline steps read; it reads
//! back into the same value.

mod finding;
mod render;

use serde::{Deserialize, Serialize};

pub use finding::{Finding, Waived};
pub use render::{render, write, Format, RenderOptions, UnknownFormat, MAX_ANNOTATIONS_PER_KIND, MAX_MARKDOWN_CHARS};

/// Escapes untrusted text for Markdown and HTML on one line (no markup, no HTML, no @-mentions), as
/// every Markdown report does: for front ends that write Markdown of their own around reports.
pub fn escape_markdown(text: &str) -> String {
    crate::text::markdown(text)
}

use crate::plan::{Action, PlanHeader};

/// The version of the JSON report's layout; bumped only when a field changes meaning or goes.
pub const SCHEMA_VERSION: u32 = 1;

/// What the plan contains, whatever the thresholds allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Status {
    /// At least one critical change.
    Critical,
    /// High-risk changes, nothing critical.
    HighRisk,
    /// Neither.
    Safe,
}

impl Status {
    /// `critical`, `high_risk` or `safe`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Critical => "critical",
            Status::HighRisk => "high_risk",
            Status::Safe => "safe",
        }
    }
}

/// The gate's decision.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Verdict {
    /// 0 pass, 1 critical changes over the threshold, 2 high-risk changes over the allowance.
    pub exit_code: u8,
    /// Whether the gate lets the plan through.
    pub passed: bool,
    /// One sentence a pipeline log can show.
    pub reason: String,
}

/// What drifted outside Terraform, reported apart from the changes it plans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DriftEntry {
    /// The resource address.
    pub address: String,
    /// The resource type.
    #[serde(rename = "type")]
    pub resource_type: String,
    /// What the refresh saw, as Terraform's action list.
    pub actions: Action,
    /// Names of the attributes that changed outside Terraform (never their values).
    pub changed_attributes: Vec<String>,
    /// One sentence for a reviewer.
    pub message: String,
    /// What the drift opened, judged by the security-group and IAM rules (never counted).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<Finding>,
}

/// The policy that judged the plan, so a reader of the report knows which rules applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PolicySummary {
    /// `default`, `preset production`, or `file PATH`.
    pub source: String,
    /// How many critical changes pass.
    pub critical_threshold: u32,
    /// How many high-risk changes pass; `null` when they never fail the gate.
    pub high_risk_allowance: Option<u32>,
}

/// Everything a plan analysis found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Report {
    /// [`SCHEMA_VERSION`] of the plangate that wrote it.
    pub schema_version: u32,
    /// Resource changes other than no-op and read.
    pub total_changes: usize,
    /// Changes whose worst finding is high.
    pub high_risk_changes: usize,
    /// Changes with at least one critical finding.
    pub critical_changes: usize,
    /// What the plan contains.
    pub status: Status,
    /// What the gate decides.
    pub verdict: Verdict,
    /// Ordered by severity (critical first), then address, then rule.
    pub findings: Vec<Finding>,
    /// Changes made outside Terraform, ordered by address.
    pub drift: Vec<DriftEntry>,
    /// The plan's header.
    pub plan: PlanHeader,
    /// The policy that judged it.
    pub policy: PolicySummary,
}

impl Report {
    /// The process exit code the verdict asks for.
    pub fn exit_code(&self) -> u8 {
        self.verdict.exit_code
    }
}
