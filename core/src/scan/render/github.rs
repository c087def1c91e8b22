//! GitHub workflow-command annotations for `plangate scan`: critical and high findings are errors,
//! medium ones warnings, through the one annotation writer (so a run of plans and reports shares
//! GitHub's per-step limits); the rest summed up in one notice.

use crate::scan::{ScanOutcome, ScanSeverity};
use crate::workflow::{hidden_note, Annotations};

/// Adds the outcome's active findings to `annotations`.
pub fn annotate(annotations: &mut Annotations, outcome: &ScanOutcome) {
    for f in outcome.findings.iter().filter(|f| f.suppressed.is_none()) {
        let warning = match f.severity {
            ScanSeverity::Critical | ScanSeverity::High => false,
            ScanSeverity::Medium => true,
            _ => continue,
        };
        let (file, line) = match f.location.rsplit_once(':') {
            Some((file, line)) => match line.parse::<usize>() {
                Ok(line) => (file, Some((line, None))),
                Err(_) => (f.location.as_str(), None),
            },
            None => (f.location.as_str(), None),
        };
        let title = format!("{} {} ({})", f.severity.as_str(), f.rule, f.source);
        annotations.push(warning, Some(file), line, &title, &f.title);
    }
}

pub fn render(outcome: &ScanOutcome) -> String {
    let mut annotations = Annotations::default();
    annotate(&mut annotations, outcome);
    annotations.write(None, "plangate scan", |hidden| super::ci::summary(outcome) + &hidden_note(hidden))
}
