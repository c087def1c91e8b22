//! Gitleaks JSON: a list of leaks, as Gitleaks 8 writes it (`RuleID`, `File`, `StartLine`, `Commit`)
//! or as Gitleaks 7 and earlier did (`rule`, `file`, `lineNumber`, `commit`); `null` or `[]` when
//! nothing leaked. The secret itself (`Secret`, `Match`; `offender`, `line`) is never copied. A
//! leak has no severity in the file: it counts as high, with no raw severity.

use serde_json::Value;

use super::Parsed;
use crate::scan::shape::{at_line, number, text};
use crate::scan::{FindingBuilder, Problem, ScanSeverity};

pub fn parse(report: &Value, b: &FindingBuilder) -> Result<Parsed, Problem> {
    let leaks: &[Value] = match report {
        Value::Null => &[],
        Value::Array(leaks) => leaks,
        other => return Err(Problem::shape("$", "a list of leaks", other)),
    };
    let mut findings = Vec::new();
    for (i, leak) in leaks.iter().enumerate() {
        // Gitleaks 8 names its keys in CamelCase, 7 and earlier in camelCase.
        let (id, file, line, commit, description) = if leak.get("RuleID").is_some() {
            (
                text(leak, "RuleID"),
                text(leak, "File"),
                number(leak, "StartLine"),
                text(leak, "Commit"),
                text(leak, "Description"),
            )
        } else {
            (text(leak, "rule"), text(leak, "file"), number(leak, "lineNumber"), text(leak, "commit"), None)
        };
        let id = id.ok_or_else(|| {
            let found = leak.get("RuleID").or_else(|| leak.get("rule")).unwrap_or(leak);
            Problem::shape(&format!("$[{i}]"), "a leak with `RuleID` (Gitleaks 8) or `rule` (Gitleaks 7)", found)
        })?;
        let location = at_line(file.unwrap_or(""), line);
        let commit = commit.unwrap_or("");
        let title = format!("{} leaked", description.unwrap_or(id));
        let mut finding = b.finding(id, &title, None, location.clone(), &["gitleaks", id, &location, commit]);
        finding.severity = ScanSeverity::High;
        findings.push(finding);
    }
    Ok(Parsed::findings(findings))
}
