//! Several plans checked together, and the scanner reports gated beside them: every plan's report
//! (or why it could not be read) and one verdict, the worst of them: an input that cannot be read
//! (3), then critical changes (1, or a failed scanner gate), then high-risk changes (2), then a
//! pass (0). What the CLI prints for several plans, what the Action writes as `report-path`, what
//! the Lambda example returns.

use serde::{Deserialize, Serialize};

use super::{Report, Status, SCHEMA_VERSION};
use crate::scan::ScanOutcome;

/// Exit codes from the worst down: cannot read, critical, high-risk, pass.
const WORST_FIRST: [u8; 4] = [3, 1, 2, 0];

/// The worse of two exit codes: 3, then 1, then 2, then 0.
pub fn worse_exit(a: u8, b: u8) -> u8 {
    let rank = |code: u8| WORST_FIRST.iter().position(|&c| c == code).unwrap_or(0);
    if rank(b) < rank(a) {
        b
    } else {
        a
    }
}

/// What a run found, over all its inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RunStatus {
    /// Some plan has a critical change.
    Critical,
    /// Some plan has high-risk changes, none critical.
    HighRisk,
    /// Neither.
    Safe,
    /// An input cannot be read: no verdict.
    Error,
}

impl RunStatus {
    /// `critical`, `high_risk`, `safe` or `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Critical => "critical",
            RunStatus::HighRisk => "high_risk",
            RunStatus::Safe => "safe",
            RunStatus::Error => "error",
        }
    }
}

/// One plan's report, under the name the run gave the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PlanReport {
    /// How the plan was named (its path, an object key, a label).
    pub plan: String,
    /// Its report.
    pub report: Report,
}

/// An input that cannot be read: no verdict for it, and exit 3 for the run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InputError {
    /// The plan's name, or the scanner reports'.
    pub plan: String,
    /// Why (never a value the plan marks sensitive).
    pub message: String,
    /// `PLAN_INVALID`, `CONFIG_INVALID`, `REPORT_INVALID` or `INVALID_ARGUMENT`.
    pub code: String,
}

/// Several plans and the scanner reports, checked together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Run {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The worst of every input.
    pub status: RunStatus,
    /// The process exit code the run asks for: the worst.
    pub exit_code: u8,
    /// All plans together.
    pub total_changes: usize,
    /// All plans together.
    pub high_risk_changes: usize,
    /// All plans together.
    pub critical_changes: usize,
    /// One sentence for a log: the verdict and why.
    pub reason: String,
    /// Every plan that was read, in the order given.
    pub plans: Vec<PlanReport>,
    /// Every input that could not be read.
    pub errors: Vec<InputError>,
    /// The scanner gate, when reports were given and could be read.
    pub scan: Option<ScanOutcome>,
}

impl Run {
    /// The run of these plans' outcomes and this scan, its verdict the worst of them.
    pub fn new(plans: Vec<PlanReport>, errors: Vec<InputError>, scan: Option<ScanOutcome>) -> Run {
        let mut exit_code = plans.iter().map(|p| p.report.exit_code()).fold(0, worse_exit);
        if scan.as_ref().is_some_and(|s| !s.passed) {
            exit_code = worse_exit(exit_code, 1);
        }
        if !errors.is_empty() {
            exit_code = 3;
        }
        let worst = |status: Status| plans.iter().any(|p| p.report.status == status);
        let status = if !errors.is_empty() {
            RunStatus::Error
        } else if worst(Status::Critical) {
            RunStatus::Critical
        } else if worst(Status::HighRisk) {
            RunStatus::HighRisk
        } else {
            RunStatus::Safe
        };
        let sum = |count: fn(&Report) -> usize| plans.iter().map(|p| count(&p.report)).sum();
        let mut reasons: Vec<String> = errors.iter().map(|e| format!("{} cannot be read", e.plan)).collect();
        reasons.extend(
            plans
                .iter()
                .filter(|p| !p.report.verdict.passed)
                .map(|p| format!("{}: {}", p.plan, p.report.verdict.reason)),
        );
        if let Some(scan) = scan.as_ref().filter(|s| !s.passed) {
            reasons.push(format!("scanner reports: {}", scan.reasons.join("; ")));
        }
        let reason = if reasons.is_empty() { format!("{} plans pass.", plans.len()) } else { reasons.join("; ") };
        Run {
            schema_version: SCHEMA_VERSION,
            status,
            exit_code,
            total_changes: sum(|r| r.total_changes),
            high_risk_changes: sum(|r| r.high_risk_changes),
            critical_changes: sum(|r| r.critical_changes),
            reason,
            plans,
            errors,
            scan,
        }
    }

    /// The run the JSON report files of `plangate check -f json` (or `run -f json`) describe
    /// together: a run's plans, errors and scan as they are, a single plan's report under its
    /// file's name.
    ///
    /// # Errors
    /// [`ReportFileError`](super::ReportFileError) naming the first file that cannot be read or
    /// is neither.
    pub fn from_report_files(paths: &[String]) -> Result<Run, super::ReportFileError> {
        let (mut plans, mut errors, mut scan) = (Vec::new(), Vec::new(), None);
        for path in paths {
            let text = crate::limits::Limits::from_env()
                .unwrap_or_default()
                .read_text(std::path::Path::new(path), crate::limits::Bound::ReportBytes)
                .map_err(|e| super::ReportFileError { path: path.clone(), message: format!("cannot read it: {e}") })?;
            if let Ok(run) = serde_json::from_str::<Run>(&text) {
                plans.extend(run.plans);
                errors.extend(run.errors);
                scan = scan.or(run.scan);
                continue;
            }
            let report = serde_json::from_str::<Report>(&text).map_err(|e| super::ReportFileError {
                path: path.clone(),
                message: format!("it is not a plangate report ({e}): expected the output of `plangate check -f json`"),
            })?;
            plans.push(PlanReport { plan: path.clone(), report });
        }
        Ok(Run::new(plans, errors, scan))
    }
    /// Whether the gate lets everything through.
    pub fn passed(&self) -> bool {
        self.exit_code == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worst_exit_wins() {
        assert_eq!([0, 2, 1, 0].into_iter().fold(0, worse_exit), 1, "critical beats high-risk");
        assert_eq!([2, 0].into_iter().fold(0, worse_exit), 2);
        assert_eq!([1, 3, 2].into_iter().fold(0, worse_exit), 3, "nothing beats an unreadable input");
        assert_eq!(worse_exit(0, 0), 0);
    }
}
