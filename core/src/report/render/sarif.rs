//! SARIF 2.1.0, for GitHub code scanning and other SARIF viewers. Every rule of the registry is
//! declared, so rule indexes are stable from one run to the next.

use serde_json::{json, Value};

use super::RenderOptions;
use crate::fingerprint::fingerprint;
use crate::registry::{Rule, Severity, REGISTRY};
use crate::report::{Finding, Report};

pub fn render(report: &Report, options: &RenderOptions) -> String {
    let rules: Vec<Value> = REGISTRY.iter().map(|rule| describe_rule(rule)).collect();
    let results: Vec<Value> = report.findings.iter().map(|f| describe_result(f, options)).collect();
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "plangate",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": rules,
            }},
            "automationDetails": {"id": "plangate/plan/"},
            "results": results,
            "properties": {
                "total_changes": report.total_changes,
                "high_risk_changes": report.high_risk_changes,
                "critical_changes": report.critical_changes,
                "status": report.status,
                "verdict": report.verdict,
            },
        }],
    });
    let mut out = serde_json::to_string_pretty(&sarif).unwrap_or_default();
    out.push('\n');
    out
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

fn describe_result(finding: &Finding, options: &RenderOptions) -> Value {
    let rule_index = REGISTRY.iter().position(|r| r.id == finding.rule);
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
