//! The text report, in the layout the pipeline script printed, so its readers find what they know.

use std::fmt::Write;

use super::RenderOptions;
use crate::registry::{Category, Severity};
use crate::report::{Finding, Report};
use crate::text::one_line;

pub fn render(report: &Report, options: &RenderOptions) -> String {
    let mut out = String::from("=== Analyzing Terraform Plan ===\n");
    let shown = |s: Severity| s > Severity::Notice || options.verbose;
    for category in Category::ALL {
        let findings: Vec<_> = report.findings.iter().filter(|f| f.category == category && shown(f.severity)).collect();
        if findings.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n=== {} ===", category.heading());
        if category == Category::ResourceDeletions
            && findings.iter().any(|f| f.severity > Severity::Notice && f.waived.is_none())
        {
            out.push_str("WARNING: Found resource deletions:\n");
        }
        for finding in findings {
            match &finding.waived {
                Some(w) => {
                    let _ = writeln!(
                        out,
                        "WAIVED ({}, until {}: {}): {}{}",
                        finding.severity.as_str(),
                        w.expires,
                        one_line(&w.reason),
                        one_line(&finding.message),
                        at(finding)
                    );
                }
                None => {
                    let _ = writeln!(out, "{}: {}{}", label(finding.severity), one_line(&finding.message), at(finding));
                }
            }
        }
    }
    if report.findings.iter().all(|f| !shown(f.severity)) {
        out.push_str("\nNo risky changes found.\n");
    }
    if options.verbose && !report.drift.is_empty() {
        out.push_str("\n=== Drift (changed outside Terraform; not counted) ===\n");
        for entry in &report.drift {
            let _ = writeln!(out, "DRIFT: {}", one_line(&entry.message));
            for flag in &entry.flags {
                let _ = writeln!(out, "  {} (drift): {}", label(flag.severity), one_line(&flag.message));
            }
        }
    }
    let unjudged = report.unjudged_note();
    if let Some(note) = &unjudged {
        let _ = writeln!(out, "\n=== Not Judged ===\nNOT JUDGED: {}", one_line(note));
    }
    let _ = write!(
        out,
        "\n=== Change Summary ===\nTotal changes: {}\nHigh-risk changes: {}\nCritical changes: {}\n\n",
        report.total_changes, report.high_risk_changes, report.critical_changes
    );
    // A pass says what it did not judge: "no risky change" is only what the rules read.
    let not_judged = if report.plan.unjudged.iter().any(|u| !u.harmless) { " (see Not Judged)" } else { "" };
    out.push_str(&match report.verdict.exit_code {
        1 => "ERROR: Critical changes detected. Manual review required.\n".to_string(),
        2 => format!("ERROR: High-risk changes detected: {}\n", report.verdict.reason),
        _ if report.critical_changes + report.high_risk_changes > 0 => format!("WARNING: {}\n", report.verdict.reason),
        _ if !not_judged.is_empty() => {
            format!(
                "SUCCESS: No critical or high-risk changes detected among the changes the rules judge{not_judged}.\n"
            )
        }
        _ => "SUCCESS: No critical or high-risk changes detected.\n".to_string(),
    });
    out
}

/// " (main.tf:12)" when the finding knows where its resource is declared.
fn at(finding: &Finding) -> String {
    finding.source_location().map(|l| format!(" ({}:{})", one_line(&l.file), l.start_line)).unwrap_or_default()
}

fn label(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "CRITICAL",
        Severity::High => "HIGH-RISK",
        Severity::Notice => "NOTICE",
    }
}
