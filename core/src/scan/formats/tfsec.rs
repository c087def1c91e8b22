//! tfsec JSON: `results[]`; `{"results": null}` is a clean scan. With `--include-passed` and
//! `--include-ignored` the list also holds checks that passed (`"passed": true` before tfsec 1.0,
//! `"status": "passed"` since) and checks an ignore comment or the configuration excluded
//! (`"status": "ignored"`): passed ones are not findings, ignored ones are suppressed findings. Any
//! other status is a failure.

use serde_json::Value;

use super::Parsed;
use crate::scan::shape::{at_line, list, number, text};
use crate::scan::{FindingBuilder, Problem};

pub fn parse(report: &Value, b: &FindingBuilder) -> Result<Parsed, Problem> {
    let mut findings = Vec::new();
    for (i, r) in list(report, "results", "$")?.iter().enumerate() {
        let path = format!("$.results[{i}]");
        let passed = match r.get("passed") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(passed)) => *passed,
            Some(other) => return Err(Problem::shape(&format!("{path}.passed"), "true or false", other)),
        };
        let status = match r.get("status") {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(status)) => status.trim().to_ascii_lowercase(),
            Some(other) => {
                return Err(Problem::shape(&format!("{path}.status"), "\"failed\", \"passed\" or \"ignored\"", other))
            }
        };
        if passed || status == "passed" {
            continue;
        }
        let id = text(r, "long_id").or_else(|| text(r, "rule_id")).unwrap_or("unknown-rule");
        let location = r
            .get("location")
            .map(|l| at_line(text(l, "filename").unwrap_or(""), number(l, "start_line")))
            .unwrap_or_default();
        let mut finding = b.finding(
            id,
            text(r, "description").unwrap_or(id),
            text(r, "severity"),
            location.clone(),
            &["tfsec", id, &location],
        );
        if status == "ignored" {
            finding.suppressed =
                Some("ignored by tfsec (an ignore comment or the tfsec configuration excludes it)".into());
        }
        findings.push(finding);
    }
    Ok(Parsed::findings(findings))
}
