//! Snyk Open Source and container JSON: one project object with `vulnerabilities[]`, or a list of
//! them (`--all-projects`, and container scans that also test the applications in the image). A
//! project's `applications` list, where a container scan writes one, holds more projects. A project
//! with an `error` failed.

use serde_json::Value;

use super::Parsed;
use crate::scan::shape::{list, required_list, text};
use crate::scan::{FindingBuilder, Problem, ScanFinding};

pub fn parse(report: &Value, b: &FindingBuilder) -> Result<Parsed, Problem> {
    let mut findings = Vec::new();
    match report {
        Value::Array(projects) => {
            for (p, project) in projects.iter().enumerate() {
                read_project(project, &format!("$[{p}]"), b, &mut findings)?;
            }
        }
        _ => read_project(report, "$", b, &mut findings)?,
    }
    Ok(Parsed::findings(findings))
}

fn read_project(project: &Value, path: &str, b: &FindingBuilder, out: &mut Vec<ScanFinding>) -> Result<(), Problem> {
    if !project.is_object() {
        return Err(Problem::shape(path, "a Snyk project object", project));
    }
    match project.get("error") {
        None | Some(Value::Null) => {}
        Some(Value::String(error)) => {
            return Err(Problem::ScannerFailed(format!("{path}: {}", crate::text::one_line(error))))
        }
        Some(other) => {
            return Err(Problem::ScannerFailed(format!("{path}: error {}", crate::text::one_line(&other.to_string()))))
        }
    }
    for v in required_list(project, "vulnerabilities", path)? {
        let id = text(v, "id").unwrap_or("unknown-vulnerability");
        let package = text(v, "packageName").unwrap_or("unknown-package");
        out.push(b.vulnerability(
            id,
            text(v, "title").unwrap_or(id),
            text(v, "severity"),
            package,
            text(v, "version").unwrap_or(""),
        ));
    }
    for (a, application) in list(project, "applications", path)?.iter().enumerate() {
        read_project(application, &format!("{path}.applications[{a}]"), b, out)?;
    }
    Ok(())
}
