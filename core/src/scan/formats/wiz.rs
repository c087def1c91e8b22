//! Wiz CLI JSON (0.x envelope and 1.x): IaC `result.ruleMatches[].matches[]`, image and directory
//! scans' `osPackages`/`libraries`/`applications` with `vulnerabilities`, and `secrets`. The
//! built-in counters (`scanStatistics`) are not reliable, so findings are counted from the lists.
//! `status.verdict` is the scanner's own decision.

use serde_json::Value;

use super::Parsed;
use crate::scan::shape::{at_line, list, number, text, text_at};
use crate::scan::{FindingBuilder, Problem, ScannerVerdict};

pub fn parse(report: &Value, b: &FindingBuilder) -> Result<Parsed, Problem> {
    let state = text_at(report, &["status", "state"]).unwrap_or("SUCCESS");
    if !state.eq_ignore_ascii_case("SUCCESS") {
        return Err(Problem::ScannerFailed(format!("status.state is {state:?}")));
    }
    let result = report.get("result").filter(|r| r.is_object()).ok_or_else(|| {
        Problem::shape("$.result", "an object with the scan result", report.get("result").unwrap_or(&Value::Null))
    })?;
    if let Some(failed) = result.get("scanStatistics").and_then(|s| number(s, "queriesExecutionFailed")).filter(|n| *n > 0) {
        return Err(Problem::Partial(format!("{failed} queries failed to execute (result.scanStatistics.queriesExecutionFailed)")));
    }
    let mut findings = Vec::new();
    for (i, rule_match) in list(result, "ruleMatches", "$.result")?.iter().enumerate() {
        let path = format!("$.result.ruleMatches[{i}]");
        let rule_id = text_at(rule_match, &["rule", "id"]).unwrap_or("unknown-rule");
        let rule_name = text_at(rule_match, &["rule", "name"]).unwrap_or(rule_id);
        let severity = text(rule_match, "severity").or_else(|| text_at(rule_match, &["rule", "severity"]));
        for m in list(rule_match, "matches", &path)? {
            let file = text(m, "fileName").unwrap_or("");
            let resource = text(m, "resourceName").unwrap_or("");
            let location = at_line(file, number(m, "lineNumber"));
            let severity = text(m, "severity").or(severity);
            findings.push(b.finding(rule_id, rule_name, severity, location.clone(), &["wiz-iac", rule_id, &location, resource]));
        }
    }
    for kind in ["osPackages", "libraries", "applications"] {
        for (i, package) in list(result, kind, "$.result")?.iter().enumerate() {
            let name = text(package, "name").unwrap_or("unknown-package");
            let version = text(package, "version").unwrap_or("");
            for v in list(package, "vulnerabilities", &format!("$.result.{kind}[{i}]"))? {
                let id = text(v, "name").unwrap_or("unknown-vulnerability");
                findings.push(b.vulnerability(id, id, text(v, "severity"), name, version));
            }
        }
    }
    for secret in list(result, "secrets", "$.result")? {
        let file = text(secret, "path").unwrap_or("");
        let location = at_line(file, number(secret, "lineNumber"));
        let kind = text(secret, "type").unwrap_or("SECRET");
        // The description can quote the secret; the type and the place are enough.
        let title = format!("{kind} secret in the code");
        let severity = text(secret, "severity").or(Some("HIGH"));
        findings.push(b.finding(&format!("secret/{kind}"), &title, severity, location.clone(), &["wiz-secret", kind, &location]));
    }
    let verdict = text_at(report, &["status", "verdict"]).map(|v| ScannerVerdict {
        passed: !v.to_ascii_uppercase().starts_with("FAILED"),
        detail: format!("Wiz verdict {v}"),
    });
    Ok(Parsed { findings, verdict })
}
