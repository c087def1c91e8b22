//! Grype JSON: `matches[]` with `vulnerability` and `artifact`.

use serde_json::Value;

use super::Parsed;
use crate::scan::shape::{required_list, text, text_at};
use crate::scan::{FindingBuilder, Problem};

pub fn parse(report: &Value, b: &FindingBuilder) -> Result<Parsed, Problem> {
    let mut findings = Vec::new();
    for m in required_list(report, "matches", "$")? {
        let id = text_at(m, &["vulnerability", "id"]).unwrap_or("unknown-vulnerability");
        let title = text_at(m, &["vulnerability", "description"]).unwrap_or(id);
        let severity = text_at(m, &["vulnerability", "severity"]);
        let package = text_at(m, &["artifact", "name"]).unwrap_or("unknown-package");
        let version = text_at(m, &["artifact", "version"]).unwrap_or("");
        findings.push(b.vulnerability(id, title, severity, package, version));
    }
    let _ = text(report, "descriptor");
    Ok(Parsed::findings(findings))
}
