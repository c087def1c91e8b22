//! Markdown for a pull-request comment, written as a reviewer's document: the verdict and counts
//! first, then one line per finding (the address in code, what changes, the rule linked to its
//! documentation, the declaring `file:line` linked to the file when the caller knows where the
//! files are shown), critical findings open and the rest collapsed, and how to accept a finding.
//! Plan text is untrusted (anyone who can open a PR names resources), so it is escaped: no markup,
//! no HTML, no @-mentions. The comment stays under 60,000 bytes of UTF-8 (so under GitHub's 65,536
//! characters, and under any budget a caller measures in bytes, such as the job summary's) and
//! says so when it had to cut.

use std::fmt::Write;

use crate::registry::Severity;
use crate::report::{Finding, Report, Status};
use crate::text::{markdown as escape, markdown_code as code, yaml_string};

/// The most bytes the comment may have.
pub use crate::text::MARKDOWN_MAX_BYTES as MAX_BYTES;
/// Room kept for the closing tags, the truncation note and how to accept a finding.
const RESERVE: usize = 1200;

/// Where the rules are documented.
const RULE_DOCS: &str = "https://github.com/plangate/plangate/blob/main/README.md#rules";

/// How one plan's report is laid out.
#[derive(Debug, Clone, Copy)]
pub struct Layout<'a> {
    /// The most bytes it may have.
    pub max_bytes: usize,
    /// Where a reviewer opens a file at the reviewed commit: a template with `{path}` and `{line}`.
    pub source_url: Option<&'a str>,
    /// The plan's name, when it is one section of a run's comment: its heading then names it, one
    /// level down, and how to accept a finding is left to the run.
    pub plan: Option<&'a str>,
}

impl Layout<'_> {
    /// A report on its own, within `max_bytes`.
    pub fn alone(max_bytes: usize) -> Layout<'static> {
        Layout { max_bytes, source_url: None, plan: None }
    }
}

pub fn render(report: &Report, layout: Layout<'_>) -> String {
    let Layout { max_bytes, source_url, plan } = layout;
    let mut out = String::new();
    let icon = match report.status {
        Status::Critical => "🔴",
        Status::HighRisk => "🟠",
        Status::Safe => "🟢",
    };
    let (title, sub) = match plan {
        Some(name) => (format!("### {icon} {} — {}", code(name), report.status.as_str()), "####"),
        None => (format!("## {icon} plangate: {}", report.status.as_str()), "###"),
    };
    let _ = write!(
        out,
        "{title}\n\n**{}** {}\n\nTerraform will add {}, change {} and destroy {}.\n\n| | count |\n|---|---:|\n| Total changes | {} |\n| Critical changes | {} |\n| High-risk changes | {} |\n| Drifted resources | {} |\n",
        if report.verdict.passed { "Passed." } else { "Failed." },
        escape(&report.verdict.reason),
        report.plan.actions.create,
        report.plan.actions.update,
        report.plan.actions.delete,
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
    let item = |f: &Finding| format!("- {} <sub>{}</sub>\n", said(&f.address, &f.message), about(f, source_url));
    for (severity, title, collapsed) in sections {
        let findings: Vec<&Finding> =
            report.findings.iter().filter(|f| f.severity == severity && f.waived.is_none()).collect();
        let items: Vec<String> = findings.iter().map(|f| item(f)).collect();
        left_out += section(&mut out, sub, &format!("{title} ({})", findings.len()), collapsed, &items, max_bytes);
    }
    let waived: Vec<String> = report
        .findings
        .iter()
        .filter_map(|f| f.waived.as_ref().map(|w| (f, w)))
        .map(|(f, w)| {
            format!(
                "- {} <sub>{}, {} waived until {}: {}</sub>\n",
                said(&f.address, &f.message),
                about(f, source_url),
                f.severity.as_str(),
                w.expires,
                escape(&w.reason)
            )
        })
        .collect();
    left_out += section(&mut out, sub, &format!("Waived ({}, not counted)", waived.len()), true, &waived, max_bytes);
    let drift: Vec<String> = report
        .drift
        .iter()
        .map(|d| {
            let flags: String =
                d.flags.iter().map(|f| format!("\n  - {}: {}", f.severity.as_str(), escape(&f.message))).collect();
            format!("- {}{flags}\n", said(&d.address, &d.message))
        })
        .collect();
    let drift_title = format!("Drift outside Terraform ({}, not counted)", drift.len());
    left_out += section(&mut out, sub, &drift_title, true, &drift, max_bytes);

    if plan.is_none() {
        out.push_str(&how_to_waive(&report.findings));
    }
    if left_out > 0 {
        let _ = write!(
            out,
            "\n> **Truncated:** {left_out} more item{} not shown, to keep this comment under {max_bytes} bytes. The JSON report has them all.\n",
            if left_out == 1 { "" } else { "s" }
        );
    }
    out
}

/// A message about `address`, the address in code once: where the message names it, there;
/// otherwise before it.
fn said(address: &str, message: &str) -> String {
    match message.find(address).filter(|_| !address.is_empty()) {
        Some(at) => {
            let after = &message[at + address.len()..];
            format!("{}{}{}", escape(&message[..at]), code(address), escape(after))
        }
        None => format!("{} — {}", code(address), escape(message)),
    }
}

/// The rule, linked to its documentation when it is a built-in one, and where the resource is
/// declared, linked to the file when `source_url` says where files are shown.
fn about(finding: &Finding, source_url: Option<&str>) -> String {
    let rule = if crate::registry::find(&finding.rule).is_some() {
        format!("[{}]({RULE_DOCS})", finding.rule)
    } else {
        code(&finding.rule)
    };
    let Some(location) = finding.source_location() else { return rule };
    let text = format!("{}:{}", escape(&location.file), location.start_line);
    match source_url {
        Some(template) => {
            let url = template
                .replace("{path}", &crate::url::path(&location.file))
                .replace("{line}", &location.start_line.to_string());
            format!("{rule} · [{text}]({url})")
        }
        None => format!("{rule} · {text}"),
    }
}

/// How to accept a finding, with the YAML to paste for the first of `findings` that counts;
/// nothing when none counts.
pub fn how_to_waive<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> String {
    let first = findings.into_iter().find(|f| f.waived.is_none() && f.severity != Severity::Notice);
    let Some(finding) = first else { return String::new() };
    format!(
        "\n<details><summary>How to accept a finding</summary>\n\n\
         Add a waiver to the plangate configuration, with the reason and the last day it applies. The \
         finding stays in the report, marked waived, and no longer counts:\n\n\
         ```yaml\nwaivers:\n  - address: {}\n    rule: {}\n    reason: \"why the risk is accepted (a ticket)\"\n    expires: YYYY-MM-DD\n```\n\n</details>\n",
        yaml_string(&finding.address),
        yaml_string(&finding.rule)
    )
}

/// Writes one section (headed at `level` when open) if it has items; returns how many items did
/// not fit.
fn section(out: &mut String, level: &str, title: &str, collapsed: bool, items: &[String], max_bytes: usize) -> usize {
    if items.is_empty() {
        return 0;
    }
    if collapsed {
        let _ = write!(out, "\n<details><summary>{title}</summary>\n\n");
    } else {
        let _ = write!(out, "\n{level} {title}\n\n");
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
