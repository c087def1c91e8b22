//! The result of a plan analysis: counts, status, verdict, findings and drift, and one renderer per
//! output format. The JSON form of [`Report`] is the contract the next pipeline steps read; it reads
//! back into the same value.

mod finding;
mod render;
mod run;

use serde::{Deserialize, Serialize};

pub use finding::{Finding, Waived};
pub use render::{
    render, render_run, write, Format, RenderOptions, UnknownFormat, MAX_ANNOTATIONS_PER_KIND, MAX_MARKDOWN_BYTES,
};
pub use run::{worse_exit, InputError, PlanReport, Run, RunStatus};

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

    /// What no rule judged, in one sentence for every format: "3 changes no rule judges:
    /// hashicorp/azurerm 2 (azurerm_linux_virtual_machine), hashicorp/google 1 (…); and 4 of
    /// providers known to be harmless: hashicorp/random 4 (random_id)"; `None` when every change
    /// was judged.
    pub fn unjudged_note(&self) -> Option<String> {
        let list = |harmless: bool| -> (usize, String) {
            let of: Vec<_> = self.plan.unjudged.iter().filter(|u| u.harmless == harmless).collect();
            let names: Vec<String> = of
                .iter()
                .map(|u| format!("{} {} ({})", u.provider, u.changes, crate::text::excerpt(&u.types.join(", "), 200)))
                .collect();
            (of.iter().map(|u| u.changes).sum(), names.join(", "))
        };
        let changes = |n: usize| if n == 1 { "1 change".to_string() } else { format!("{n} changes") };
        let ((risky, unjudged), (calm, harmless)) = (list(false), list(true));
        match (risky, calm) {
            (0, 0) => None,
            (0, m) => Some(format!("{} of providers known to be harmless, not judged: {harmless}", changes(m))),
            (n, 0) => Some(format!("{} no rule judges: {unjudged}", changes(n))),
            (n, m) => Some(format!(
                "{} no rule judges: {unjudged}; and {} of providers known to be harmless: {harmless}",
                changes(n),
                changes(m)
            )),
        }
    }

    /// Reads a report that `plangate check -f json` wrote, under the report size limit.
    ///
    /// # Errors
    /// [`ReportFileError`] when it cannot be read or is not a plangate report.
    pub fn from_file(path: impl AsRef<std::path::Path>) -> Result<Report, ReportFileError> {
        let path = path.as_ref();
        let shown = path.display().to_string();
        let text = crate::limits::Limits::from_env()
            .unwrap_or_default()
            .read_text(path, crate::limits::Bound::ReportBytes)
            .map_err(|e| ReportFileError { path: shown.clone(), message: format!("cannot read it: {e}") })?;
        serde_json::from_str(&text).map_err(|e| ReportFileError {
            path: shown,
            message: format!("it is not a plangate report ({e}): expected the output of `plangate check -f json`"),
        })
    }
}

/// A plangate report file that cannot be read back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("report {path}: {message}")]
#[non_exhaustive]
pub struct ReportFileError {
    /// The file.
    pub path: String,
    /// What is wrong.
    pub message: String,
}
