//! Seeker: the vulnerabilities export (a list with `Severity`, `Status`, `ItemKey`, …) and the
//! project status document (`projectStatus.compliant`), whose verdict decides on its own.

use serde_json::Value;

use super::Parsed;
use crate::scan::shape::{number, text};
use crate::scan::{FindingBuilder, Problem, ScannerVerdict};

/// Statuses of findings that are no longer open.
const CLOSED: &[&str] = &["fixed", "closed", "ignored", "false positive", "falsepositive"];

pub fn vulnerabilities(report: &Value, b: &FindingBuilder) -> Result<Parsed, Problem> {
    let items = report.as_array().ok_or_else(|| Problem::shape("$", "a list of vulnerabilities", report))?;
    let mut findings = Vec::new();
    for (i, item) in items.iter().enumerate() {
        // Every element must be a Seeker vulnerability, not only the first that detection looked at.
        if item.get("ItemKey").is_none() && (item.get("Severity").is_none() || item.get("Status").is_none()) {
            return Err(Problem::shape(
                &format!("$[{i}]"),
                "a Seeker vulnerability with `ItemKey`, or `Severity` and `Status`",
                item,
            ));
        }
        let status = text(item, "Status").unwrap_or("");
        if CLOSED.iter().any(|c| status.eq_ignore_ascii_case(c)) {
            continue;
        }
        let key = text(item, "ItemKey").unwrap_or("");
        let rule =
            text(item, "VulnerabilityName").or_else(|| text(item, "CheckerKey")).unwrap_or("seeker-vulnerability");
        let location = text(item, "LastDetectionURL")
            .or_else(|| text(item, "URL"))
            .or_else(|| text(item, "SourceName"))
            .unwrap_or(key)
            .to_string();
        let line = number(item, "LineNumber").map(|n| n.to_string()).unwrap_or_default();
        findings.push(b.finding(rule, rule, text(item, "Severity"), location, &["seeker", rule, key, &line]));
    }
    Ok(Parsed::findings(findings))
}

pub fn status(report: &Value) -> Result<Parsed, Problem> {
    let status = report.get("projectStatus").unwrap_or(&Value::Null);
    let compliant = status.get("compliant").and_then(Value::as_bool).ok_or_else(|| {
        Problem::shape("$.projectStatus.compliant", "true or false", status.get("compliant").unwrap_or(&Value::Null))
    })?;
    let detail = if compliant { "Seeker: the project is compliant" } else { "Seeker: the project is not compliant" };
    Ok(Parsed { findings: Vec::new(), verdict: Some(ScannerVerdict { passed: compliant, detail: detail.into() }) })
}
