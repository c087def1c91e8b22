//! SARIF 2.1.0, for GitHub code scanning and other SARIF viewers. Every rule of the registry is
//! declared, so rule indexes are stable from one run to the next; the users' own rules follow.
//! Written as a stream and held to GitHub's upload limits, so a plan with a million findings makes
//! a file code scanning accepts.

use serde_json::{json, Value};

use super::RenderOptions;
use crate::fingerprint::fingerprint;
use crate::registry::{self, Rule, Severity};
use crate::report::{Finding, Report};

/// GitHub code scanning's upload limits: results per run, and bytes (kept uncompressed, which
/// can only compress smaller than the 10 MB gzipped GitHub accepts).
const MAX_RESULTS: usize = 25_000;
const MAX_BYTES: usize = 10 * 1024 * 1024;

/// Writes the SARIF file straight to `out`, one result at a time, worst first (the order of the
/// report's findings), within GitHub's limits; what is left out is said in the run's
/// `toolExecutionNotifications`.
pub fn write(report: &Report, options: &RenderOptions, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let table = rule_table(report);
    let rules: Vec<Value> = table.iter().map(|rule| describe_rule(rule)).collect();
    let head = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
    });
    let run_head = json!({
        "tool": {"driver": {
            "name": "plangate",
            "version": env!("CARGO_PKG_VERSION"),
            "informationUri": env!("CARGO_PKG_REPOSITORY"),
            "rules": rules,
        }},
        "automationDetails": {"id": "plangate/plan/"},
        "properties": {
            "total_changes": report.total_changes,
            "high_risk_changes": report.high_risk_changes,
            "critical_changes": report.critical_changes,
            "status": report.status,
            "verdict": report.verdict,
        },
    });
    let open = |value: &Value| -> String {
        let text = value.to_string();
        text[..text.len() - 1].to_string()
    };
    let start = format!("{},\"runs\":[{},\"results\":[\n", open(&head), open(&run_head));
    out.write_all(start.as_bytes())?;
    // Room for the closing notification, whatever it says.
    let mut budget = MAX_BYTES.saturating_sub(start.len() + 1024);
    let (mut written, mut left_out) = (0usize, 0usize);
    for finding in &report.findings {
        let result = serde_json::to_vec(&describe_result(finding, &table, options))?;
        if written >= MAX_RESULTS || result.len() + 2 > budget {
            left_out += 1;
            continue;
        }
        if written > 0 {
            out.write_all(b",\n")?;
        }
        out.write_all(&result)?;
        budget -= result.len() + 2;
        written += 1;
    }
    let left_out_note = (left_out > 0).then(|| json!({"level": "warning", "message": {"text": format!(
        "plangate left out {left_out} of {} results (the least severe) to stay within GitHub's SARIF upload limits: the JSON report has them all",
        report.findings.len()
    )}}));
    let unjudged_note = report.unjudged_note().map(|note| json!({"level": "note", "message": {"text": note}}));
    let notifications: Vec<Value> = left_out_note.into_iter().chain(unjudged_note).collect();
    let invocations = json!([{"executionSuccessful": true, "toolExecutionNotifications": notifications}]);
    out.write_all(format!("\n],\"invocations\":{invocations}}}]}}\n").as_bytes())
}

pub fn render(report: &Report, options: &RenderOptions) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail, and everything written is JSON text.
    let _ = write(report, options, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "error",
        Severity::High => "warning",
        Severity::Notice => "note",
    }
}

/// GitHub's bands: critical at 9.0 and above, high at 7.0, low below 4.0.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "7.5",
        Severity::Notice => "2.0",
    }
}

fn describe_rule(rule: &Rule) -> Value {
    json!({
        "id": rule.id,
        "name": rule.id.replace('-', ""),
        "shortDescription": {"text": rule.title.replace('`', "")},
        "fullDescription": {"text": rule.summary()},
        // SARIF viewers show `text` as it is and render `markdown`.
        "help": {"text": rule.doc_text(), "markdown": rule.doc},
        "defaultConfiguration": {"level": level(rule.severity)},
        "properties": {
            "security-severity": security_severity(rule.severity),
            "tags": ["security", "terraform", rule.category.title()],
        },
    })
}

/// The `.tf` block that declares the resource (relative to the repository root, as code scanning
/// wants it) when the sources were read, else the plan file.
fn physical_location(finding: &Finding, options: &RenderOptions) -> Value {
    match finding.source_location() {
        Some(l) => json!({
            "artifactLocation": {"uri": l.file},
            "region": {"startLine": l.start_line, "endLine": l.end_line},
        }),
        None => json!({"artifactLocation": {"uri": options.plan_label}, "region": {"startLine": 1}}),
    }
}

/// Every built-in rule, in the registry's order (so their indexes are stable), then the users' own
/// rules the findings name.
fn rule_table(report: &Report) -> Vec<&'static Rule> {
    let mut table: Vec<&'static Rule> = registry::rules().to_vec();
    for finding in &report.findings {
        if !table.iter().any(|r| r.id == finding.rule) {
            table.extend(registry::describe(&finding.rule));
        }
    }
    table
}

fn describe_result(finding: &Finding, table: &[&Rule], options: &RenderOptions) -> Value {
    let rule_index = table.iter().position(|r| r.id == finding.rule);
    // Waived findings stay visible to code scanning, as suppressed with the waiver's reason.
    let suppressions: Vec<Value> = finding
        .waived
        .iter()
        .map(|w| json!({"kind": "external", "status": "accepted", "justification": format!("{} (until {})", w.reason, w.expires)}))
        .collect();
    json!({
        "suppressions": suppressions,
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": level(finding.severity),
        "message": {"text": finding.message},
        "locations": [{
            "physicalLocation": physical_location(finding, options),
            "logicalLocations": [{"fullyQualifiedName": finding.address, "kind": "resource"}],
        }],
        // Stable for the same rule and address, so code scanning tracks one alert per issue.
        "partialFingerprints": {"plangate/v1": fingerprint(&[&finding.rule, &finding.address])},
        "properties": {"security-severity": security_severity(finding.severity), "actions": finding.actions},
    })
}
