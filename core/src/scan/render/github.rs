//! GitHub workflow-command annotations for `plangate scan`: at most 10 errors (critical and high)
//! and 10 warnings (medium), the rest summed up in one notice.

use std::fmt::Write;

use crate::scan::{ScanOutcome, ScanSeverity};
use crate::text::{workflow_data as data, workflow_property as property};

const MAX_PER_KIND: usize = 10;

pub fn render(outcome: &ScanOutcome) -> String {
    let mut out = String::new();
    let active: Vec<_> = outcome.findings.iter().filter(|f| f.suppressed.is_none()).collect();
    let mut hidden = 0;
    for (command, wanted) in
        [("error", &[ScanSeverity::Critical, ScanSeverity::High][..]), ("warning", &[ScanSeverity::Medium][..])]
    {
        let findings: Vec<_> = active.iter().filter(|f| wanted.contains(&f.severity)).collect();
        for f in findings.iter().take(MAX_PER_KIND) {
            let (file, line) = match f.location.rsplit_once(':') {
                Some((file, line)) if line.parse::<u64>().is_ok() => (file, Some(line)),
                _ => (f.location.as_str(), None),
            };
            let line = line.map(|l| format!(",line={l}")).unwrap_or_default();
            let title = property(&format!("{} {} ({})", f.severity.as_str(), f.rule, f.source));
            let _ = writeln!(out, "::{command} file={}{line},title={title}::{}", property(file), data(&f.title));
        }
        hidden += findings.len().saturating_sub(MAX_PER_KIND);
    }
    let c = &outcome.counts;
    let mut summary = format!(
        "plangate scan: {} — score {} (critical {}, high {}, medium {}, low {})",
        if outcome.passed { "passed" } else { "failed" },
        outcome.score,
        c.critical,
        c.high,
        c.medium,
        c.low
    );
    if !outcome.reasons.is_empty() {
        let _ = write!(summary, ": {}", outcome.reasons.join("; "));
    }
    if hidden > 0 {
        let _ = write!(summary, "; {hidden} more annotations not shown: see the full report");
    }
    let _ = writeln!(out, "::notice title=plangate scan::{}", data(&summary));
    out
}
