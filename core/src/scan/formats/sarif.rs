//! SARIF 2.1.0. A result's rule is found in the driver or, through `rule.toolComponent`, in an
//! extension (what CodeQL writes for query packs); failing that, by id in any of them (a sub-rule
//! id, `CA2101/1`, finds `CA2101`). A result whose `ruleId`, `rule.id` and indexed rule disagree is
//! refused: readers would differ on its severity. Level falls
//! back from the result to its rule's default configuration to `warning`, read case-insensitively;
//! a level SARIF does not define is an unknown severity. A `security-severity` (result or rule
//! properties) is mapped with GitHub's bands (critical ≥ 9.0, high ≥ 7.0, medium ≥ 4.0, low > 0),
//! or read as a word (`"CRITICAL"`, `"High"`); anything else is an unknown severity. Results count
//! unless their `kind` says they passed or do not apply. A result is suppressed when every
//! suppression it has is accepted (or without a status, as the SARIF SDK reads it): one under
//! review or rejected keeps it counted. A run without `results` (absent or `null`), or an
//! invocation that did not succeed, means the tool failed.

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
        if let Some(invocations) = run.get("invocations") {
            check_invocations(invocations, tool, &path)?;
        }
        let results = match run.get("results") {
            Some(Value::Array(results)) => results,
            None | Some(Value::Null) => {
                return Err(Problem::ScannerFailed(format!(
                    "{tool}: {path}.results is {}: a run without results is a tool that did not finish (a clean run has an empty list)",
                    if run.get("results").is_some() { "null" } else { "absent" }
                )))
            }
            Some(other) => return Err(Problem::shape(&format!("{path}.results"), "a list of results", other)),
        };
        for (i, result) in results.iter().enumerate() {
            if !result.is_object() {
                return Err(Problem::shape(&format!("{path}.results[{i}]"), "a result object", result));
            }
            if text(result, "kind")
                .is_some_and(|k| ["pass", "notapplicable", "informational"].contains(&k.to_ascii_lowercase().as_str()))
            {
                continue;
            }
            let rule = find_rule(run, result);
            same_rule(result, rule).map_err(|(expected, found)| Problem::Shape {
                path: format!("{path}.results[{i}].ruleId"),
                expected,
                found,
            })?;
            let rule_id = text(result, "ruleId")
                .or_else(|| text_at(result, &["rule", "id"]))
                .or_else(|| rule.and_then(|r| text(r, "id")))
                .unwrap_or("unknown-rule");
            let level =
                text(result, "level").or_else(|| rule.and_then(|r| text_at(r, &["defaultConfiguration", "level"])));
            // The raw severity is what the file says: the score, else the level, else nothing (a
            // result without either is SARIF's default, `warning`).
            let (raw, severity_word) = match security_severity(result).or_else(|| rule.and_then(security_severity)) {
                Some((raw, word)) => (Some(format!("security-severity {raw}")), word),
                None => {
                    let word = match level.unwrap_or("warning").to_ascii_lowercase().as_str() {
                        "error" => "high",
                        "warning" => "medium",
                        "note" => "low",
                        "none" => "info",
                        _ => "unknown",
                    };
                    (level.map(|l| format!("level {l}")), word)
                }
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
            finding.raw_severity = raw;
            finding.tool = tool.to_string();
            finding.suppressed = accepted_suppression(result);
            findings.push(finding);
        }
    }
    Ok(Parsed::findings(findings))
}

/// `invocations` must be a list whose `executionSuccessful` flags are booleans; one `false` is a
/// failed tool.
fn check_invocations(invocations: &Value, tool: &str, path: &str) -> Result<(), Problem> {
    let Value::Array(invocations) = invocations else {
        return Err(Problem::shape(&format!("{path}.invocations"), "a list of invocations", invocations));
    };
    for (i, invocation) in invocations.iter().enumerate() {
        match invocation.get("executionSuccessful") {
            Some(Value::Bool(true)) => {}
            Some(Value::Bool(false)) => {
                let why = invocation
                    .get("toolExecutionNotifications")
                    .and_then(|n| n.get(0))
                    .and_then(|n| text_at(n, &["message", "text"]))
                    .unwrap_or("executionSuccessful is false");
                return Err(Problem::ScannerFailed(format!("{tool} at {path}.invocations[{i}]: {why}")));
            }
            Some(other) => {
                return Err(Problem::shape(
                    &format!("{path}.invocations[{i}].executionSuccessful"),
                    "true or false",
                    other,
                ))
            }
            None => {
                return Err(Problem::shape(
                    &format!("{path}.invocations[{i}].executionSuccessful"),
                    "true or false (SARIF requires it)",
                    &Value::Null,
                ))
            }
        }
    }
    Ok(())
}

/// The rule a result names: through `rule.toolComponent` (an extension by index or name, or the
/// driver), then `rule.index`/`ruleIndex` in that component, then by id in the driver and every
/// extension.
fn find_rule<'r>(run: &'r Value, result: &Value) -> Option<&'r Value> {
    let driver = run.pointer("/tool/driver");
    let extensions: &[Value] = run.pointer("/tool/extensions").and_then(Value::as_array).map_or(&[], Vec::as_slice);
    let rules_of = |component: Option<&'r Value>| -> &'r [Value] {
        component.and_then(|c| c.get("rules")).and_then(Value::as_array).map_or(&[], Vec::as_slice)
    };
    let reference = result.get("rule");
    let component = match reference.and_then(|r| r.get("toolComponent")) {
        Some(c) => match (c.get("index").and_then(Value::as_u64), text(c, "name")) {
            (Some(i), _) => usize::try_from(i).ok().and_then(|i| extensions.get(i)),
            (None, Some(name)) => {
                std::iter::once(driver).flatten().chain(extensions).find(|e| text(e, "name") == Some(name))
            }
            (None, None) => driver,
        },
        None => driver,
    };
    let index = reference.and_then(|r| r.get("index")).or_else(|| result.get("ruleIndex")).and_then(Value::as_u64);
    if let Some(rule) = index.and_then(|i| usize::try_from(i).ok()).and_then(|i| rules_of(component).get(i)) {
        return Some(rule);
    }
    let id = text(result, "ruleId").or_else(|| reference.and_then(|r| text(r, "id")))?;
    let rules = || std::iter::once(driver).flatten().chain(extensions).flat_map(|c| rules_of(Some(c)));
    // The rule itself, else the rule a sub-rule id (`CA2101/1`) belongs to.
    rules()
        .find(|r| text(r, "id") == Some(id))
        .or_else(|| rules().find(|r| text(r, "id").is_some_and(|r| names(id, r))))
}

/// Whether a result's rule id names this rule: the rule itself or one of its sub-rules (SARIF's
/// hierarchical ids: `CA2101/1` is of `CA2101`).
fn names(id: &str, rule: &str) -> bool {
    id == rule || id.strip_prefix(rule).is_some_and(|rest| rest.starts_with('/'))
}

/// A result must name one rule: its `ruleId`, its `rule.id` and the id of the rule its index finds
/// agree (a `ruleId` may name a sub-rule: `CA2101/1` of `CA2101`). Otherwise readers differ on its
/// severity (by index, `LOW`; by id, `CRIT`): `Err` says what was expected and what was found.
fn same_rule(result: &Value, rule: Option<&Value>) -> Result<(), (String, String)> {
    let quoted = |id: &str| format!("`{}`", crate::text::excerpt(id, 80));
    let (id, reference) = (text(result, "ruleId"), text_at(result, &["rule", "id"]));
    if let (Some(id), Some(reference)) = (id, reference) {
        if id != reference {
            return Err((format!("{}, the same id as `rule.id`", quoted(reference)), quoted(id)));
        }
    }
    match (id.or(reference), rule.and_then(|r| text(r, "id"))) {
        (Some(id), Some(found)) if !names(id, found) => Err((
            format!("{} (or one of its sub-rules), the id of the rule its index names", quoted(found)),
            quoted(id),
        )),
        _ => Ok(()),
    }
}

/// The `security-severity` property as the file writes it, with its band: a score of zero or more
/// with GitHub's bands, or a severity word (`"CRITICAL"`, `"High"`) as some tools write; anything
/// else (`NaN`, a negative number, another word) is `unknown`, which the gate counts as
/// `unknown_severity_as`.
fn security_severity(object: &Value) -> Option<(String, &'static str)> {
    let raw = object.pointer("/properties/security-severity")?;
    let score = match raw {
        Value::String(s) => s.trim().parse::<f64>().ok(),
        Value::Number(n) => n.as_f64(),
        _ => None,
    };
    let band = match score {
        Some(s) if s.is_nan() || s < 0.0 => "unknown",
        Some(s) if s >= 9.0 => "critical",
        Some(s) if s >= 7.0 => "high",
        Some(s) if s >= 4.0 => "medium",
        Some(s) if s > 0.0 => "low",
        Some(_) => "info",
        None => match raw.as_str().map(|w| w.trim().to_ascii_lowercase()).as_deref() {
            Some("critical") => "critical",
            Some("high") => "high",
            Some("medium" | "moderate") => "medium",
            Some("low") => "low",
            Some("none" | "info" | "informational") => "info",
            _ => "unknown",
        },
    };
    let raw = match raw {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    Some((crate::text::one_line(&raw), band))
}

/// How the first suppression says the result is suppressed, when the result is: every suppression
/// it has is accepted (or has no status). One under review, rejected, or of a status SARIF does not
/// define keeps it counted, as the SARIF SDK and GitLab read it: a reviewer's "rejected" beside an
/// in-source suppression must not pass the gate.
fn accepted_suppression(result: &Value) -> Option<String> {
    let suppressions = result.get("suppressions")?.as_array()?;
    let accepted = |s: &Value| {
        s.get("status").is_none_or(|status| {
            status.is_null() || status.as_str().is_some_and(|status| status.eq_ignore_ascii_case("accepted"))
        })
    };
    if !suppressions.iter().all(accepted) {
        return None;
    }
    suppressions.first().map(|s| {
        let kind = text(s, "kind").unwrap_or("external");
        match text(s, "justification") {
            Some(j) => format!("suppressed in the report ({kind}): {j}"),
            None => format!("suppressed in the report ({kind})"),
        }
    })
}
