//! Snyk Open Source JSON: one project object (or a list of them) with `vulnerabilities[]`.

use serde_json::Value;

use super::Parsed;
use crate::scan::shape::{required_list, text};
use crate::scan::{FindingBuilder, Problem};

pub fn parse(report: &Value, b: &FindingBuilder) -> Result<Parsed, Problem> {
    let projects: Vec<&Value> = match report {
        Value::Array(items) => items.iter().collect(),
        _ => vec![report],
    };
    let mut findings = Vec::new();
    for (p, project) in projects.into_iter().enumerate() {
        match project.get("error") {
            None | Some(Value::Null) => {}
            Some(Value::String(error)) => return Err(Problem::ScannerFailed(format!("project {p}: {error}"))),
            Some(other) => return Err(Problem::ScannerFailed(format!("project {p}: error {other}"))),
        }
        for v in required_list(project, "vulnerabilities", &format!("$[{p}]"))? {
            let id = text(v, "id").unwrap_or("unknown-vulnerability");
            let package = text(v, "packageName").unwrap_or("unknown-package");
            findings.push(b.vulnerability(
                id,
                text(v, "title").unwrap_or(id),
                text(v, "severity"),
                package,
                text(v, "version").unwrap_or(""),
            ));
        }
    }
    Ok(Parsed::findings(findings))
}
