//! The text summary of `plangate scan`.

use std::fmt::Write;

use crate::scan::{ScanOutcome, ScanSeverity};
use crate::text::one_line;

/// Findings listed one per line; the rest are counted.
const LISTED: usize = 50;

pub fn render(outcome: &ScanOutcome) -> String {
    let mut out = String::from("=== Security Scan Reports ===\n");
    for r in &outcome.reports {
        let verdict = r.verdict.as_ref().map(|v| format!(" — {}", one_line(&v.detail))).unwrap_or_default();
        let _ = writeln!(out, "{} ({}): {} findings{verdict}", one_line(&r.file), r.format, r.findings);
    }
    let c = &outcome.counts;
    let _ = write!(
        out,
        "\n=== Findings ===\nCritical: {}\nHigh: {}\nMedium: {}\nLow: {}\nInfo: {}\nScore: {} (v{})\n",
        c.critical, c.high, c.medium, c.low, c.info, outcome.score, outcome.score_version
    );
    if outcome.duplicates_removed > 0 {
        let _ = writeln!(out, "Duplicates across reports removed: {}", outcome.duplicates_removed);
    }
    let serious: Vec<_> =
        outcome.findings.iter().filter(|f| f.severity >= ScanSeverity::High && f.suppressed.is_none()).collect();
    for f in serious.iter().take(LISTED) {
        let _ = writeln!(
            out,
            "{}: {} {} at {} ({})",
            f.severity.as_str().to_uppercase(),
            one_line(&f.rule),
            one_line(&f.title),
            one_line(&f.location),
            f.source
        );
    }
    if serious.len() > LISTED {
        let _ = writeln!(out, "… and {} more critical or high findings (see -f json)", serious.len() - LISTED);
    }
    for expired in &outcome.expired_suppressions {
        let _ = writeln!(out, "NOTICE: {}", one_line(expired));
    }
    out.push('\n');
    if outcome.passed {
        out.push_str("SUCCESS: the security scan gate passed.\n");
    } else {
        for reason in &outcome.reasons {
            let _ = writeln!(out, "ERROR: {}", one_line(reason));
        }
    }
    out
}
