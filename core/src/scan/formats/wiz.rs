//! Wiz CLI JSON (0.x envelope and 1.x): IaC `result.ruleMatches[].matches[]`, image and directory
//! scans' `osPackages`/`libraries`/`applications` with `vulnerabilities`, and `secrets`. The
//! built-in counters (`scanStatistics`) are not reliable, so findings are counted from the lists.
//! Wiz CLI 1.x image scans list `vulnerableSBOMArtifactsByNameVersion[]`, usually with per-severity
//! counts only (`findings: null`): each counted vulnerability becomes one finding, so the gate and
//! the score count them all. `status.verdict` is the scanner's own decision.

use serde_json::Value;

use super::Parsed;
use crate::scan::shape::{at_line, count, list, number, text, text_at};
use crate::scan::{FindingBuilder, Problem, ScanSeverity, ScannerVerdict};

pub fn parse(report: &Value, b: &FindingBuilder) -> Result<Parsed, Problem> {
    // Without a `status` (the 0.x envelope) the scan is judged by its result; with one, its state
    // must say the scan succeeded.
    if let Some(status) = report.get("status").filter(|s| !s.is_null()) {
        match status.get("state") {
            Some(Value::String(state)) if state.trim().eq_ignore_ascii_case("SUCCESS") => {}
            Some(Value::String(state)) => {
                return Err(Problem::ScannerFailed(format!("status.state is {:?}", crate::text::one_line(state))))
            }
            other => {
                return Err(Problem::shape(
                    "$.status.state",
                    "a state such as \"SUCCESS\"",
                    other.unwrap_or(&Value::Null),
                ))
            }
        }
    }
    let result = report.get("result").filter(|r| r.is_object()).ok_or_else(|| {
        Problem::shape("$.result", "an object with the scan result", report.get("result").unwrap_or(&Value::Null))
    })?;
    let statistics = result.get("scanStatistics").unwrap_or(&Value::Null);
    let failed = count(statistics, "queriesExecutionFailed", "$.result.scanStatistics")?;
    if failed > 0 {
        return Err(Problem::Partial(format!(
            "{failed} queries failed to execute (result.scanStatistics.queriesExecutionFailed)"
        )));
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
            findings.push(b.finding(
                rule_id,
                rule_name,
                severity,
                location.clone(),
                &["wiz-iac", rule_id, &location, resource],
            ));
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
    for (i, artifact) in list(result, "vulnerableSBOMArtifactsByNameVersion", "$.result")?.iter().enumerate() {
        findings.extend(sbom_artifact(artifact, &format!("$.result.vulnerableSBOMArtifactsByNameVersion[{i}]"), b)?);
    }
    for secret in list(result, "secrets", "$.result")? {
        let file = text(secret, "path").unwrap_or("");
        let location = at_line(file, number(secret, "lineNumber"));
        let kind = text(secret, "type").unwrap_or("SECRET");
        // The description can quote the secret; the type and the place are enough.
        let title = format!("{kind} secret in the code");
        let mut finding = b.finding(
            &format!("secret/{kind}"),
            &title,
            text(secret, "severity"),
            location.clone(),
            &["wiz-secret", kind, &location],
        );
        // Without a severity from Wiz (and so with no raw severity): a public key or certificate is
        // not a secret, so low; the rest is high.
        if finding.raw_severity.is_none() {
            let public = kind.contains("PUBLIC") || kind.contains("CERTIFICATE");
            finding.severity = if public { ScanSeverity::Low } else { ScanSeverity::High };
        }
        findings.push(finding);
    }
    let verdict = text_at(report, &["status", "verdict"]).map(|v| ScannerVerdict {
        passed: !v.to_ascii_uppercase().starts_with("FAILED"),
        detail: format!("Wiz verdict {v}"),
    });
    Ok(Parsed { findings, verdict })
}

/// The findings of one Wiz 1.x SBOM artifact: its listed findings, or one per counted vulnerability.
fn sbom_artifact(artifact: &Value, path: &str, b: &FindingBuilder) -> Result<Vec<crate::scan::ScanFinding>, Problem> {
    let name = text(artifact, "name").unwrap_or("unknown-artifact");
    let version = text(artifact, "version").unwrap_or("");
    let at = text(artifact, "filePath").unwrap_or("");
    let found = artifact.get("vulnerabilityFindings").unwrap_or(&Value::Null);
    let listed = list(found, "findings", &format!("{path}.vulnerabilityFindings"))?;
    if !listed.is_empty() {
        return Ok(listed
            .iter()
            .map(|f| {
                let id = text(f, "name").or_else(|| text(f, "id")).unwrap_or("unknown-vulnerability");
                b.vulnerability(id, id, text(f, "severity"), name, version)
            })
            .collect());
    }
    let fix = text(found, "fixedVersion").map(|v| format!(" (fixed in {v})")).unwrap_or_default();
    let mut findings = Vec::new();
    let severities = found.get("severities").unwrap_or(&Value::Null);
    for (key, severity) in [
        ("criticalCount", "CRITICAL"),
        ("highCount", "HIGH"),
        ("mediumCount", "MEDIUM"),
        ("lowCount", "LOW"),
        ("infoCount", "INFORMATIONAL"),
    ] {
        let count = count(severities, key, &format!("{path}.vulnerabilityFindings.severities"))?;
        // Each counted vulnerability becomes a finding: a count beyond the findings limit is
        // refused before anything is made of it.
        if count > b.max_findings {
            return Err(Problem::shape(
                &format!("{path}.vulnerabilityFindings.severities.{key}"),
                &format!("a count within the findings limit of {} (PLANGATE_MAX_FINDINGS)", b.max_findings),
                &severities[key],
            ));
        }
        for n in 1..=count {
            let rule = format!("{name}@{version}/{}", severity.to_ascii_lowercase());
            let title =
                format!("{} vulnerability {n} of {count} in {name} {version}{fix}", severity.to_ascii_lowercase());
            let location = format!("{name}@{version} in {at}");
            // The file gives a count under a key, not a severity word: the key is the raw severity.
            let mut finding = b.finding(
                &rule,
                &title,
                Some(key),
                location,
                &["wiz-sbom", name, version, at, severity, &n.to_string()],
            );
            finding.severity = ScanSeverity::parse(severity);
            findings.push(finding);
        }
    }
    Ok(findings)
}
