//! SARIF 2.1.0. Level falls back from the result to its rule's default configuration to
//! `warning`; a `security-severity` (result or rule properties) is mapped with GitHub's bands
//! (critical ≥ 9.0, high ≥ 7.0, medium ≥ 4.0, low > 0). Only results of `kind: fail` count. A
//! suppression applies when accepted (or without a status, as the SARIF SDK reads it), not while
//! under review or rejected. `results: null`, or an invocation that did not succeed, means the tool
//! failed.

use serde_json::Value;

use super::Parsed;
use crate::scan::shape::{at_line, number, text, text_at};
use crate::scan::{FindingBuilder, Problem};

pub fn parse(report: &Value, b: &FindingBuilder) -> Result<Parsed, Problem> {
    let version = text(report, "version").unwrap_or("");
    if version != "2.1.0" {
        return Err(Problem::shape("$.version", "\"2.1.0\"", report.get("version").unwrap_or(&Value::Null)));
    }
    let runs = report
        .get("runs")
        .and_then(Value::as_array)
        .ok_or_else(|| Problem::shape("$.runs", "a list of runs", report.get("runs").unwrap_or(&Value::Null)))?;
    let mut findings = Vec::new();
    for (r, run) in runs.iter().enumerate() {
        let path = format!("$.runs[{r}]");
        let tool = text_at(run, &["tool", "driver", "name"]).unwrap_or("sarif");
        if let Some(failed) = run
            .get("invocations")
            .and_then(Value::as_array)
            .and_then(|i| i.iter().find(|inv| inv.get("executionSuccessful") == Some(&Value::Bool(false))))
        {
            let why = failed
                .get("toolExecutionNotifications")
                .and_then(|n| n.get(0))
                .and_then(|n| text_at(n, &["message", "text"]))
                .unwrap_or("executionSuccessful is false");
            return Err(Problem::ScannerFailed(format!("{tool} at {path}.invocations: {why}")));
        }
        let results = match run.get("results") {
            Some(Value::Array(results)) => results,
            Some(Value::Null) => {
                return Err(Problem::ScannerFailed(format!(
                    "{tool}: {path}.results is null, which SARIF uses for a tool that failed"
                )))
            }
            None => continue,
            Some(other) => return Err(Problem::shape(&format!("{path}.results"), "a list of results", other)),
        };
        let rules = run.pointer("/tool/driver/rules").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
        for (i, result) in results.iter().enumerate() {
            if !result.is_object() {
                return Err(Problem::shape(&format!("{path}.results[{i}]"), "a result object", result));
            }
            if text(result, "kind").is_some_and(|k| k != "fail") {
                continue;
            }
            let rule = result
                .get("ruleIndex")
                .and_then(Value::as_u64)
                .and_then(|i| rules.get(i as usize))
                .or_else(|| text(result, "ruleId").and_then(|id| rules.iter().find(|r| text(r, "id") == Some(id))));
            let rule_id = text(result, "ruleId").or_else(|| rule.and_then(|r| text(r, "id"))).unwrap_or("unknown-rule");
            let level = text(result, "level")
                .or_else(|| rule.and_then(|r| text_at(r, &["defaultConfiguration", "level"])))
                .unwrap_or("warning");
            let security = security_severity(result).or_else(|| rule.and_then(security_severity));
            let raw = match security {
                Some(score) => format!("security-severity {score}"),
                None => format!("level {level}"),
            };
            let severity_word = match security {
                Some(s) if s >= 9.0 => "critical",
                Some(s) if s >= 7.0 => "high",
                Some(s) if s >= 4.0 => "medium",
                Some(s) if s > 0.0 => "low",
                Some(_) => "info",
                None => match level {
                    "error" => "high",
                    "warning" => "medium",
                    "note" => "low",
                    _ => "info",
                },
            };
            let location = result.pointer("/locations/0/physicalLocation");
            let file = location.and_then(|l| text_at(l, &["artifactLocation", "uri"])).unwrap_or("");
            let line = location.and_then(|l| l.get("region")).and_then(|r| number(r, "startLine"));
            let location = at_line(file, line);
            let message = text_at(result, &["message", "text"]).unwrap_or(rule_id);
            let fingerprint = result
                .get("partialFingerprints")
                .and_then(Value::as_object)
                .and_then(|f| f.values().next())
                .and_then(Value::as_str)
                .unwrap_or("");
            let mut finding = b.finding(
                rule_id,
                message,
                Some(severity_word),
                location.clone(),
                &["sarif", tool, rule_id, &location, fingerprint],
            );
            finding.raw_severity = Some(raw);
            finding.tool = tool.to_string();
            finding.suppressed = accepted_suppression(result);
            findings.push(finding);
        }
    }
    Ok(Parsed::findings(findings))
}

fn security_severity(object: &Value) -> Option<f64> {
    match object.pointer("/properties/security-severity")? {
        Value::String(s) => s.trim().parse().ok(),
        Value::Number(n) => n.as_f64(),
        _ => None,
    }
}

/// The justification of the first suppression that applies.
fn accepted_suppression(result: &Value) -> Option<String> {
    let suppressions = result.get("suppressions")?.as_array()?;
    suppressions.iter().find(|s| matches!(text(s, "status"), None | Some("accepted"))).map(|s| {
        let kind = text(s, "kind").unwrap_or("external");
        match text(s, "justification") {
            Some(j) => format!("suppressed in the report ({kind}): {j}"),
            None => format!("suppressed in the report ({kind})"),
        }
    })
}
