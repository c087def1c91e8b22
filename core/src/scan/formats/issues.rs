//! The simple `{"issues": [{"severity", "title"}]}` shape the existing pipeline scripts expect.

use serde_json::Value;

use super::Parsed;
use crate::scan::shape::{required_list, text};
use crate::scan::{FindingBuilder, Problem};

pub fn parse(report: &Value, b: &FindingBuilder) -> Result<Parsed, Problem> {
    let mut findings = Vec::new();
    for (i, issue) in required_list(report, "issues", "$")?.iter().enumerate() {
        let title = text(issue, "title").ok_or_else(|| {
            Problem::shape(&format!("$.issues[{i}].title"), "a string", issue.get("title").unwrap_or(&Value::Null))
        })?;
        let id = text(issue, "id").unwrap_or(title);
        let location = text(issue, "location").unwrap_or("").to_string();
        findings.push(b.finding(id, title, text(issue, "severity"), location.clone(), &["issues", id, &location]));
    }
    Ok(Parsed::findings(findings))
}
