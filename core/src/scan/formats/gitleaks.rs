//! Gitleaks JSON: a list of leaks. `Secret` and `Match` are the secret itself and are never copied;
//! a leak has no severity of its own, so it is high.

use serde_json::Value;

use super::Parsed;
use crate::scan::shape::{at_line, number, text};
use crate::scan::{FindingBuilder, Problem};

pub fn parse(report: &Value, b: &FindingBuilder) -> Result<Parsed, Problem> {
    let leaks = report.as_array().ok_or_else(|| Problem::shape("$", "a list of leaks", report))?;
    let mut findings = Vec::new();
    for (i, leak) in leaks.iter().enumerate() {
        let id = text(leak, "RuleID").ok_or_else(|| {
            Problem::shape(&format!("$[{i}].RuleID"), "a rule id", leak.get("RuleID").unwrap_or(&Value::Null))
        })?;
        let location = at_line(text(leak, "File").unwrap_or(""), number(leak, "StartLine"));
        let commit = text(leak, "Commit").unwrap_or("");
        let title = format!("{} leaked", text(leak, "Description").unwrap_or(id));
        findings.push(b.finding(id, &title, Some("HIGH"), location.clone(), &["gitleaks", id, &location, commit]));
    }
    Ok(Parsed::findings(findings))
}
