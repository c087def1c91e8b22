//! Markdown for a pull-request comment about the scan: verdict, counts, per-file status, critical
//! and high findings, the rest collapsed. Report text is untrusted and escaped; the comment stays
//! under 60,000 bytes and says when it cut.

use std::fmt::Write;

use crate::scan::{ScanOutcome, ScanSeverity};
use crate::text::markdown as escape;
use crate::text::MARKDOWN_MAX_BYTES as MAX_BYTES;

pub fn render(outcome: &ScanOutcome) -> String {
    let c = &outcome.counts;
    let mut out = format!(
        "## {} plangate scan: {}\n\nScore **{}**/100 (v{}).\n\n| critical | high | medium | low | info |\n|---:|---:|---:|---:|---:|\n| {} | {} | {} | {} | {} |\n",
        if outcome.passed { "🟢" } else { "🔴" },
        if outcome.passed { "passed" } else { "failed" },
        outcome.score,
        outcome.score_version,
        c.critical,
        c.high,
        c.medium,
        c.low,
        c.info
    );
    for reason in &outcome.reasons {
        let _ = writeln!(out, "\n- **Failed:** {}", escape(reason));
    }
    out.push_str("\n| report | format | findings |\n|---|---|---:|\n");
    for r in &outcome.reports {
        let _ = writeln!(out, "| {} | {} | {} |", escape(&r.file), r.format, r.findings);
    }
    let mut left_out = 0;
    let groups = [
        ("Critical and high", &[ScanSeverity::Critical, ScanSeverity::High][..], false),
        (
            "Medium, low and info",
            &[ScanSeverity::Medium, ScanSeverity::Low, ScanSeverity::Info, ScanSeverity::Unknown][..],
            true,
        ),
    ];
    for (title, severities, collapsed) in groups {
        let items: Vec<String> = outcome
            .findings
            .iter()
            .filter(|f| severities.contains(&f.severity) && f.suppressed.is_none())
            .map(|f| {
                format!(
                    "- **{}** {} — {} at {} <sub>{}</sub>\n",
                    f.severity.as_str(),
                    escape(&f.rule),
                    escape(&f.title),
                    escape(&f.location),
                    f.source
                )
            })
            .collect();
        if items.is_empty() {
            continue;
        }
        if collapsed {
            let _ = write!(out, "\n<details><summary>{title} ({})</summary>\n\n", items.len());
        } else {
            let _ = write!(out, "\n### {title} ({})\n\n", items.len());
        }
        for item in &items {
            if out.len() + item.len() > MAX_BYTES - 600 {
                left_out += 1;
                continue;
            }
            out.push_str(item);
        }
        if collapsed {
            out.push_str("\n</details>\n");
        }
    }
    if left_out > 0 {
        let _ = write!(out, "\n> **Truncated:** {left_out} more findings not shown, to keep this comment under {MAX_BYTES} bytes. The JSON result has them all.\n");
    }
    out
}
