//! Checkov JSON in its three shapes: one object per framework, a list of them, and the summary-only
//! object written when nothing was scanned. `failed_checks` count; a check without a severity
//! (open-source runs without a platform key) is `unknown`.

use serde_json::Value;

use super::Parsed;
use crate::scan::shape::{at_line, count, list, text};
use crate::scan::{FindingBuilder, Problem};

pub fn parse(report: &Value, b: &FindingBuilder) -> Result<Parsed, Problem> {
    let frameworks: Vec<(String, &Value)> = match report {
        Value::Array(items) => items.iter().enumerate().map(|(i, f)| (format!("$[{i}]"), f)).collect(),
        _ => vec![("$".to_string(), report)],
    };
    let mut findings = Vec::new();
    for (path, framework) in frameworks {
        if !framework.is_object() {
            return Err(Problem::shape(&path, "a Checkov result object", framework));
        }
        let summary = framework.get("summary").unwrap_or(&Value::Null);
        let errors = count(summary, "parsing_errors", &format!("{path}.summary"))?.max(count(
            framework,
            "parsingerrors",
            &path,
        )?);
        if errors > 0 {
            return Err(Problem::Partial(format!(
                "{errors} files could not be parsed ({path}.summary.parsing_errors)"
            )));
        }
        let failed = count(summary, "failed", &format!("{path}.summary"))?;
        let listed = match framework.get("results") {
            Some(results) => list(results, "failed_checks", &format!("{path}.results"))?,
            None => &[],
        };
        // A summary that counts more failures than are listed is a report cut down: not clean.
        if failed > listed.len() as u64 {
            return Err(Problem::shape(
                &format!("{path}.results.failed_checks"),
                &format!("the {failed} failed checks {path}.summary.failed counts"),
                &Value::Array(listed.to_vec()),
            ));
        }
        for check in listed {
            let id = text(check, "check_id").unwrap_or("unknown-check");
            let file = text(check, "file_path").unwrap_or("");
            let line = check.get("file_line_range").and_then(|r| r.get(0)).and_then(Value::as_i64);
            let resource = text(check, "resource").unwrap_or("");
            let location =
                if resource.is_empty() { at_line(file, line) } else { format!("{} ({resource})", at_line(file, line)) };
            findings.push(b.finding(
                id,
                text(check, "check_name").unwrap_or(id),
                text(check, "severity"),
                location,
                &["checkov", id, file, resource],
            ));
        }
    }
    Ok(Parsed::findings(findings))
}
