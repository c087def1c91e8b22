//! Markdown for a pull-request comment: a summary table, critical findings first, the rest collapsed.
//! Plan text is untrusted (anyone who can open a PR names resources), so it is escaped: no markup,
//! no HTML, no @-mentions. The comment stays under 60,000 bytes of UTF-8 (so under GitHub's 65,536
//! characters, and under any budget a caller measures in bytes, such as the job summary's) and
//! says so when it had to cut.

use std::fmt::Write;

use crate::registry::Severity;
use crate::report::{Finding, Report, Status};
use crate::text::markdown as escape;

/// The most bytes the comment may have.
pub use crate::text::MARKDOWN_MAX_BYTES as MAX_BYTES;
/// Room kept for the closing tags and the truncation note.
const RESERVE: usize = 600;

pub fn render(report: &Report, max_bytes: usize) -> String {
    let mut out = String::new();
    let icon = match report.status {
        Status::Critical => "🔴",
        Status::HighRisk => "🟠",
        Status::Safe => "🟢",
    };
    let _ = write!(
        out,
        "## {icon} plangate: {}\n\n**{}** {}\n\n| | count |\n|---|---:|\n| Total changes | {} |\n| Critical changes | {} |\n| High-risk changes | {} |\n| Drifted resources | {} |\n",
        report.status.as_str(),
        if report.verdict.passed { "Passed." } else { "Failed." },
        escape(&report.verdict.reason),
        report.total_changes,
        report.critical_changes,
        report.high_risk_changes,
        report.drift.len()
    );
    if let Some(note) = report.unjudged_note() {
        let _ = write!(out, "\n**Not judged:** {}\n", escape(&note));
    }

    let mut left_out = 0;
    let sections = [
        (Severity::Critical, "Critical", false),
        (Severity::High, "High-risk", true),
        (Severity::Notice, "Notices", true),
    ];
    let item = |f: &Finding| {
        format!("- **{}** — {} <sub>{}{}</sub>\n", escape(&f.address), escape(&f.message), f.rule, declared_at(f))
    };
    for (severity, title, collapsed) in sections {
        let findings: Vec<&Finding> =
            report.findings.iter().filter(|f| f.severity == severity && f.waived.is_none()).collect();
        let items: Vec<String> = findings.iter().map(|f| item(f)).collect();
        left_out += section(&mut out, &format!("{title} ({})", findings.len()), collapsed, &items, max_bytes);
    }
    let waived: Vec<String> = report
        .findings
        .iter()
        .filter_map(|f| f.waived.as_ref().map(|w| (f, w)))
        .map(|(f, w)| {
            format!(
                "- **{}** — {} <sub>{}{}, {} waived until {}: {}</sub>\n",
                escape(&f.address),
                escape(&f.message),
                f.rule,
                declared_at(f),
                f.severity.as_str(),
                w.expires,
                escape(&w.reason)
            )
        })
        .collect();
    left_out += section(&mut out, &format!("Waived ({}, not counted)", waived.len()), true, &waived, max_bytes);
    let drift: Vec<String> = report
        .drift
        .iter()
        .map(|d| {
            let flags: String =
                d.flags.iter().map(|f| format!("\n  - {}: {}", f.severity.as_str(), escape(&f.message))).collect();
            format!("- {}{flags}\n", escape(&d.message))
        })
        .collect();
    left_out +=
        section(&mut out, &format!("Drift outside Terraform ({}, not counted)", drift.len()), true, &drift, max_bytes);

    if left_out > 0 {
        let _ = write!(
            out,
            "\n> **Truncated:** {left_out} more item{} not shown, to keep this comment under {max_bytes} bytes. The JSON report has them all.\n",
            if left_out == 1 { "" } else { "s" }
        );
    }
    out
}

/// " · main.tf:12" when the finding knows where its resource is declared.
fn declared_at(finding: &Finding) -> String {
    finding.source_location().map(|l| format!(" · {}:{}", escape(&l.file), l.start_line)).unwrap_or_default()
}

/// Writes one section if it has items; returns how many items did not fit.
fn section(out: &mut String, title: &str, collapsed: bool, items: &[String], max_bytes: usize) -> usize {
    if items.is_empty() {
        return 0;
    }
    if collapsed {
        let _ = write!(out, "\n<details><summary>{title}</summary>\n\n");
    } else {
        let _ = write!(out, "\n### {title}\n\n");
    }
    // An item too long for what is left is skipped, not the end of the list: shorter ones after
    // it may still fit, so a section never shows a count with no item under it while room remains.
    let mut written = 0;
    for item in items {
        if out.len() + item.len() > max_bytes.saturating_sub(RESERVE) {
            continue;
        }
        out.push_str(item);
        written += 1;
    }
    if collapsed {
        out.push_str("\n</details>\n");
    }
    items.len() - written
}
