//! Trivy JSON (schema 2): `Results[]` with `Vulnerabilities`, `Misconfigurations` (only
//! every status but `PASS` counts; `EXCEPTION` is kept as suppressed) and `Secrets`. Absent lists mean none; the legacy empty report is the
//! literal `null`, handled before this parser.

use serde_json::Value;

use super::Parsed;
use crate::scan::shape::{at_line, list, number, text};
use crate::scan::{FindingBuilder, Problem};

pub fn parse(report: &Value, b: &FindingBuilder) -> Result<Parsed, Problem> {
    let mut findings = Vec::new();
    for (i, result) in list(report, "Results", "$")?.iter().enumerate() {
        let path = format!("$.Results[{i}]");
        let target = text(result, "Target").unwrap_or("");
        for v in list(result, "Vulnerabilities", &path)? {
            let id = text(v, "VulnerabilityID").unwrap_or("unknown-vulnerability");
            let title = text(v, "Title").unwrap_or(id);
            let package = text(v, "PkgName").unwrap_or(target);
            findings.push(b.vulnerability(
                id,
                title,
                text(v, "Severity"),
                package,
                text(v, "InstalledVersion").unwrap_or(""),
            ));
        }
        for m in list(result, "Misconfigurations", &path)? {
            // Only a check that passed is skipped; one excepted by policy is kept, suppressed; any
            // other status (`FAIL`, `FAILED`, `"FAIL "`, a new word) is a failure.
            let status = match m.get("Status") {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(s)) => s.trim().to_ascii_uppercase(),
                Some(other) => {
                    return Err(Problem::shape(&format!("{path}.Misconfigurations[].Status"), "a status", other))
                }
            };
            if status == "PASS" || status == "PASSED" {
                continue;
            }
            let id = text(m, "AVDID").or_else(|| text(m, "ID")).unwrap_or("unknown-check");
            let line = m.get("CauseMetadata").and_then(|c| number(c, "StartLine"));
            let location = at_line(target, line);
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
            findings.push(finding);
        }
        for s in list(result, "Secrets", &path)? {
            // `Match` and `Code` hold the secret itself: never copied.
            let id = text(s, "RuleID").unwrap_or("secret");
            let location = at_line(target, number(s, "StartLine"));
            findings.push(b.finding(
                id,
                text(s, "Title").unwrap_or(id),
                text(s, "Severity"),
                location.clone(),
                &["trivy-secret", id, &location],
            ));
        }
    }
    Ok(Parsed::findings(findings))
}
