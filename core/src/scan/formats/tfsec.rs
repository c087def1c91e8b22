//! tfsec JSON: `results[]`; `{"results": null}` is a clean scan.

use serde_json::Value;

use super::Parsed;
use crate::scan::shape::{at_line, list, number, text};
use crate::scan::{FindingBuilder, Problem};

pub fn parse(report: &Value, b: &FindingBuilder) -> Result<Parsed, Problem> {
    let mut findings = Vec::new();
    for r in list(report, "results", "$")? {
        let id = text(r, "long_id").or_else(|| text(r, "rule_id")).unwrap_or("unknown-rule");
        let location = r
            .get("location")
            .map(|l| at_line(text(l, "filename").unwrap_or(""), number(l, "start_line")))
            .unwrap_or_default();
        findings.push(b.finding(
            id,
            text(r, "description").unwrap_or(id),
            text(r, "severity"),
            location.clone(),
            &["tfsec", id, &location],
        ));
    }
    Ok(Parsed::findings(findings))
}
