//! A scan's findings as issues for the other CIs' formats (GitLab Code Quality, Azure Pipelines,
//! JUnit), as the GitHub annotations rank them: critical and high fail, medium warns.

use crate::ci_reports::{Issue, Level};
use crate::scan::{ScanOutcome, ScanSeverity};

pub(crate) fn issues(outcome: &ScanOutcome) -> Vec<Issue> {
    outcome
        .findings
        .iter()
        .map(|f| {
            let (path, line) = match f.location.rsplit_once(':').map(|(file, line)| (file, line.parse::<usize>())) {
                Some((file, Ok(line))) => (file.to_string(), Some(line)),
                _ => (f.location.clone(), None),
            };
            Issue {
                rule: f.rule.clone(),
                subject: format!("{} ({})", f.location, f.tool),
                message: f.title.clone(),
                level: match f.severity {
                    ScanSeverity::Critical => Level::Blocker,
                    ScanSeverity::High => Level::Critical,
                    ScanSeverity::Medium => Level::Major,
                    ScanSeverity::Low => Level::Minor,
                    _ => Level::Info,
                },
                path,
                line,
                fingerprint: f.fingerprint.clone(),
                accepted: f.suppressed.clone(),
            }
        })
        .collect()
}

/// One line for a log: passed or failed, and why.
pub(crate) fn summary(outcome: &ScanOutcome) -> String {
    let c = &outcome.counts;
    let mut line = format!(
        "plangate scan: {} — score {} (critical {}, high {}, medium {}, low {})",
        if outcome.passed { "passed" } else { "failed" },
        outcome.score,
        c.critical,
        c.high,
        c.medium,
        c.low
    );
    if !outcome.reasons.is_empty() {
        line.push_str(&format!(": {}", outcome.reasons.join("; ")));
    }
    line
}
