//! Semgrep JSON: `results[]`; a non-empty `errors` list means some files or rules were not
//! scanned, so the report is partial.

use serde_json::Value;

use super::Parsed;
use crate::scan::shape::{at_line, list, required_list, text, text_at};
use crate::scan::{FindingBuilder, Problem};

pub fn parse(report: &Value, b: &FindingBuilder) -> Result<Parsed, Problem> {
    let errors = list(report, "errors", "$")?;
    if !errors.is_empty() {
        let first = errors[0].get("message").and_then(Value::as_str).unwrap_or("see the report's errors");
        return Err(Problem::Partial(format!(
            "{} errors, the first: {}",
            errors.len(),
            first.lines().next().unwrap_or(first)
        )));
    }
    let mut findings = Vec::new();
    for r in required_list(report, "results", "$")? {
        let id = text(r, "check_id").unwrap_or("unknown-rule");
        let file = text(r, "path").unwrap_or("");
        let line = r.pointer("/start/line").and_then(Value::as_i64);
        let location = at_line(file, line);
        let message = text_at(r, &["extra", "message"]).unwrap_or(id);
        findings.push(b.finding(
            id,
            message,
            text_at(r, &["extra", "severity"]),
            location.clone(),
            &["semgrep", id, &location],
        ));
    }
    Ok(Parsed::findings(findings))
}
