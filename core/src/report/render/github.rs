//! GitHub Actions workflow commands: error and warning annotations on the plan file. GitHub shows
//! at most 10 of each per step, so plangate writes at most 10 of each and sums up the rest in one
//! notice.

use std::fmt::Write;

use super::RenderOptions;
use crate::registry::Severity;
use crate::report::Report;
use crate::text::{workflow_data as escape_data, workflow_property as escape_property};

/// Annotations GitHub shows per kind and step.
pub const MAX_PER_KIND: usize = 10;

pub fn render(report: &Report, options: &RenderOptions) -> String {
    let mut out = String::new();
    let file = escape_property(&options.plan_label);
    let mut hidden = 0;
    for (severity, command) in [(Severity::Critical, "error"), (Severity::High, "warning")] {
        let findings: Vec<_> =
            report.findings.iter().filter(|f| f.severity == severity && f.waived.is_none()).collect();
        for finding in findings.iter().take(MAX_PER_KIND) {
            let title = escape_property(&format!("{} {}", finding.rule, finding.address));
            // On the `.tf` lines that declare the resource when the sources were read, else on the plan.
            let place = match finding.source_location() {
                Some(l) => format!("file={},line={},endLine={}", escape_property(&l.file), l.start_line, l.end_line),
                None => format!("file={file}"),
            };
            let _ = writeln!(out, "::{command} {place},title={title}::{}", escape_data(&finding.message));
        }
        hidden += findings.len().saturating_sub(MAX_PER_KIND);
    }
    let notices = report.findings.iter().filter(|f| f.severity == Severity::Notice).count();
    let waived = report.findings.iter().filter(|f| f.waived.is_some()).count();
    let mut summary = format!(
        "plangate: {} — {} (total {}, critical {}, high-risk {}, notices {}, waived {})",
        report.status.as_str(),
        report.verdict.reason,
        report.total_changes,
        report.critical_changes,
        report.high_risk_changes,
        notices,
        waived
    );
    if hidden > 0 {
        let _ = write!(
            summary,
            "; {hidden} more annotation{} not shown: see the full report",
            if hidden == 1 { "" } else { "s" }
        );
    }
    let _ = writeln!(out, "::notice file={file},title=plangate summary::{}", escape_data(&summary));
    out
}
