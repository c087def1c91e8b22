//! The result of an analysis: counts, status, verdict and findings, and one renderer per output
//! format. The JSON form of [`Report`] is the contract the next pipeline steps read.

mod finding;
pub mod render;

use serde::Serialize;

pub use finding::{Category, Finding, Severity};
pub use render::Format;

use crate::plan::PlanHeader;

/// The version of the JSON report's layout; bumped only when a field changes meaning or goes.
pub const SCHEMA_VERSION: u32 = 1;

/// What the plan contains, whatever the thresholds allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Critical,
    HighRisk,
    Safe,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Critical => "critical",
            Status::HighRisk => "high_risk",
            Status::Safe => "safe",
        }
    }
}

/// The gate's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// 0 pass, 1 critical changes over the threshold, 2 high-risk changes over the allowance.
    pub exit_code: u8,
    pub passed: bool,
    /// One sentence a pipeline log can show.
    pub reason: String,
}

/// What drifted outside Terraform, reported apart from the changes it plans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DriftEntry {
    pub address: String,
    #[serde(rename = "type")]
    pub resource_type: String,
    pub actions: &'static [&'static str],
    /// Names of the attributes that changed outside Terraform (never their values).
    pub changed_attributes: Vec<String>,
    pub message: String,
    /// What the drift opened, judged by the security-group and IAM rules (never counted).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<Finding>,
}

/// The policy that judged the plan, so a reader of the report knows which rules applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicySummary {
    /// `default`, `preset production`, or `file PATH`.
    pub source: String,
    pub critical_threshold: u32,
    /// `null` when high-risk changes never fail the gate.
    pub high_risk_allowance: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub schema_version: u32,
    /// Resource changes other than no-op and read.
    pub total_changes: usize,
    /// Changes whose worst finding is high.
    pub high_risk_changes: usize,
    /// Changes with at least one critical finding.
    pub critical_changes: usize,
    pub status: Status,
    pub verdict: Verdict,
    /// Ordered by severity (critical first), then address, then rule.
    pub findings: Vec<Finding>,
    pub drift: Vec<DriftEntry>,
    pub plan: PlanHeader,
    pub policy: PolicySummary,
}

impl Report {
    pub fn exit_code(&self) -> u8 {
        self.verdict.exit_code
    }
}
