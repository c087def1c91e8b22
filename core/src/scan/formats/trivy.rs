//! Trivy JSON in every form it writes:
//! - schema 2 (Trivy 0.20 and later): `{"SchemaVersion": 2, "Results": [...]}`;
//! - before 0.20: the bare list of results (and `null` when nothing was found);
//! - `trivy k8s`: `{"ClusterName", "Resources": [...]}` (`--report all`), `"Findings"` (`--report
//!   summary`), or `"Vulnerabilities"`/`"Misconfigurations"` lists of resources (before 0.40); a
//!   resource Trivy could not scan (`Error`) makes the report partial.
//!
//! A result's `Vulnerabilities`, `Misconfigurations` (every status but `PASS` counts; `EXCEPTION` is
//! kept as suppressed), `Secrets` and `Licenses` are findings. `ExperimentalModifiedFindings`
//! (`--show-suppressed`) are findings a VEX statement (`not_affected`, `fixed`) or an ignore file
//! (`ignored`) suppressed: kept, suppressed, with the status, source and statement as the reason.
//! Compliance reports hold per-control copies or only counts, and are refused with what to run.

use serde_json::Value;

use super::Parsed;
use crate::scan::shape::{at_line, list, number, text};
use crate::scan::{FindingBuilder, Problem, ScanFinding};

/// The only schema version of the `SchemaVersion` form.
const SCHEMA: u64 = 2;

pub fn parse(report: &Value, b: &FindingBuilder) -> Result<Parsed, Problem> {
    let mut findings = Vec::new();
    match report {
        Value::Null => {}
        Value::Array(results) => read_results(results, "$", "", b, &mut findings)?,
        _ if report.get("SummaryControls").is_some() || report.get("RelatedResources").is_some() => {
            return Err(Problem::Unsupported(
                "a Trivy compliance report (--compliance) lists controls, not findings; run the same scan \
                 without --compliance (Trivy 0.20 or later, --format json) and gate on that"
                    .into(),
            ))
        }
        _ if report.get("ClusterName").is_some() => {
            for key in ["Resources", "Findings", "Vulnerabilities", "Misconfigurations"] {
                for (i, resource) in list(report, key, "$")?.iter().enumerate() {
                    read_resource(resource, &format!("$.{key}[{i}]"), b, &mut findings)?;
                }
            }
        }
        _ => {
            let version = report.get("SchemaVersion").unwrap_or(&Value::Null);
            if version.as_u64() != Some(SCHEMA) && !version.is_null() {
                return Err(Problem::Unsupported(format!(
                    "Trivy JSON schema {}: plangate reads schema 2 (Trivy 0.20 and later), the list of results \
                     of earlier versions, and `trivy k8s` reports",
                    crate::text::one_line(&version.to_string())
                )));
            }
            read_results(list(report, "Results", "$")?, "$.Results", "", b, &mut findings)?;
        }
    }
    Ok(Parsed::findings(findings))
}

/// One `trivy k8s` resource: its results, named by namespace, or the error that kept it unscanned.
fn read_resource(resource: &Value, path: &str, b: &FindingBuilder, out: &mut Vec<ScanFinding>) -> Result<(), Problem> {
    let kind = text(resource, "Kind").unwrap_or("");
    let name = text(resource, "Name").unwrap_or("");
    let namespace = text(resource, "Namespace").unwrap_or("");
    match resource.get("Error") {
        None | Some(Value::Null) => {}
        Some(Value::String(e)) if e.is_empty() => {}
        Some(error) => {
            let error = error.as_str().map_or_else(|| error.to_string(), str::to_owned);
            return Err(Problem::Partial(format!(
                "trivy k8s could not scan {kind}/{name}{} ({path}.Error): {}",
                if namespace.is_empty() { String::new() } else { format!(" in namespace {namespace}") },
                crate::text::one_line(&error)
            )));
        }
    }
    let prefix = if namespace.is_empty() { String::new() } else { format!("{namespace}/") };
    read_results(list(resource, "Results", path)?, &format!("{path}.Results"), &prefix, b, out)
}

/// A list of results; `prefix` goes before each target (a k8s namespace).
fn read_results(
    results: &[Value],
    path: &str,
    prefix: &str,
    b: &FindingBuilder,
    out: &mut Vec<ScanFinding>,
) -> Result<(), Problem> {
    for (i, result) in results.iter().enumerate() {
        let path = format!("{path}[{i}]");
        if !result.is_object() {
            return Err(Problem::shape(&path, "a result object", result));
        }
        let target = format!("{prefix}{}", text(result, "Target").unwrap_or(""));
        for v in list(result, "Vulnerabilities", &path)? {
            out.push(vulnerability(v, &target, b));
        }
        for (j, m) in list(result, "Misconfigurations", &path)?.iter().enumerate() {
            if let Some(finding) = misconfiguration(m, &target, &format!("{path}.Misconfigurations[{j}]"), b)? {
                out.push(finding);
            }
        }
        for s in list(result, "Secrets", &path)? {
            out.push(secret(s, &target, b));
        }
        for l in list(result, "Licenses", &path)? {
            out.push(license(l, &target, b));
        }
        for (j, modified) in list(result, "ExperimentalModifiedFindings", &path)?.iter().enumerate() {
            if let Some(finding) =
                modified_finding(modified, &target, &format!("{path}.ExperimentalModifiedFindings[{j}]"), b)?
            {
                out.push(finding);
            }
        }
    }
    Ok(())
}

fn vulnerability(v: &Value, target: &str, b: &FindingBuilder) -> ScanFinding {
    let id = text(v, "VulnerabilityID").unwrap_or("unknown-vulnerability");
    b.vulnerability(
        id,
        text(v, "Title").unwrap_or(id),
        text(v, "Severity"),
        text(v, "PkgName").unwrap_or(target),
        text(v, "InstalledVersion").unwrap_or(""),
    )
}

/// A misconfiguration, unless it passed. One excepted by policy is kept, suppressed; any other status
/// (`FAIL`, `FAILED`, `"FAIL "`, a new word) is a failure.
fn misconfiguration(m: &Value, target: &str, path: &str, b: &FindingBuilder) -> Result<Option<ScanFinding>, Problem> {
    let status = match m.get("Status") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.trim().to_ascii_uppercase(),
        Some(other) => return Err(Problem::shape(&format!("{path}.Status"), "a status", other)),
    };
    if status == "PASS" || status == "PASSED" {
        return Ok(None);
    }
    let id = text(m, "AVDID").or_else(|| text(m, "ID")).unwrap_or("unknown-check");
    let location = at_line(target, m.get("CauseMetadata").and_then(|c| number(c, "StartLine")));
    let mut finding = b.finding(
        id,
        text(m, "Title").unwrap_or(id),
        text(m, "Severity"),
        location.clone(),
        &["trivy-config", id, &location],
    );
    if status == "EXCEPTION" {
        finding.suppressed = Some("excepted by a Trivy policy exception (Status: EXCEPTION)".into());
    }
    Ok(Some(finding))
}

/// A secret: `Match` and `Code` hold the secret itself and are never copied.
fn secret(s: &Value, target: &str, b: &FindingBuilder) -> ScanFinding {
    let id = text(s, "RuleID").unwrap_or("secret");
    let location = at_line(target, number(s, "StartLine"));
    b.finding(
        id,
        text(s, "Title").unwrap_or(id),
        text(s, "Severity"),
        location.clone(),
        &["trivy-secret", id, &location],
    )
}

/// A licence Trivy's licence policy classifies (`Category`: forbidden, restricted, …), with the
/// severity that policy gives it. Its rule is `license/<name>`.
fn license(l: &Value, target: &str, b: &FindingBuilder) -> ScanFinding {
    let name = text(l, "Name").unwrap_or("unknown-license");
    let category = text(l, "Category").unwrap_or("unclassified");
    let package = text(l, "PkgName").filter(|p| !p.is_empty());
    let file = text(l, "FilePath").filter(|f| !f.is_empty());
    let what = package.or(file).unwrap_or(target);
    let location = match (package, file) {
        (Some(package), _) => format!("{package} in {target}"),
        (None, Some(file)) => file.to_string(),
        (None, None) => target.to_string(),
    };
    b.finding(
        &format!("license/{name}"),
        &format!("{category} licence {name} in {what}"),
        text(l, "Severity"),
        location.clone(),
        &["trivy-license", name, &location],
    )
}

/// A finding Trivy suppressed (`--show-suppressed`): read as its type's finding, then suppressed when
/// the status says it does not apply. Any other status (`affected`, `under_investigation`) leaves it
/// counted.
fn modified_finding(
    modified: &Value,
    target: &str,
    path: &str,
    b: &FindingBuilder,
) -> Result<Option<ScanFinding>, Problem> {
    let inner = modified.get("Finding").filter(|f| f.is_object()).ok_or_else(|| {
        Problem::shape(
            &format!("{path}.Finding"),
            "the suppressed finding",
            modified.get("Finding").unwrap_or(&Value::Null),
        )
    })?;
    let kind = text(modified, "Type").unwrap_or("");
    let finding = match kind.to_ascii_lowercase().as_str() {
        "vulnerability" => Some(vulnerability(inner, target, b)),
        "misconfiguration" => misconfiguration(inner, target, &format!("{path}.Finding"), b)?,
        "secret" => Some(secret(inner, target, b)),
        "license" => Some(license(inner, target, b)),
        _ => {
            return Err(Problem::shape(
                &format!("{path}.Type"),
                "vulnerability, misconfiguration, secret or license",
                modified.get("Type").unwrap_or(&Value::Null),
            ))
        }
    };
    let Some(mut finding) = finding else { return Ok(None) };
    let status = text(modified, "Status").unwrap_or("").trim().to_ascii_lowercase();
    if ["not_affected", "fixed", "ignored"].contains(&status.as_str()) {
        let source = text(modified, "Source").filter(|s| !s.is_empty()).unwrap_or("Trivy");
        let statement = text(modified, "Statement").filter(|s| !s.trim().is_empty());
        finding.suppressed = Some(match statement {
            Some(statement) => format!("{status} per {source}: {}", crate::text::one_line(statement)),
            None => format!("{status} per {source}"),
        });
    }
    Ok(Some(finding))
}
