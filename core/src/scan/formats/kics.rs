//! KICS JSON: `queries[]` with `files[]`. Queries that failed to execute make the scan partial.

use serde_json::Value;

use super::Parsed;
use crate::scan::shape::{at_line, list, number, required_list, text};
use crate::scan::{FindingBuilder, Problem};

pub fn parse(report: &Value, b: &FindingBuilder) -> Result<Parsed, Problem> {
    if let Some(failed) = number(report, "queries_failed_to_execute").filter(|n| *n > 0) {
        return Err(Problem::Partial(format!("{failed} queries failed to execute (queries_failed_to_execute)")));
    }
    let mut findings = Vec::new();
    for (q, query) in required_list(report, "queries", "$")?.iter().enumerate() {
        let id = text(query, "query_id").unwrap_or("unknown-query");
        let name = text(query, "query_name").unwrap_or(id);
        for file in list(query, "files", &format!("$.queries[{q}]"))? {
            let location = at_line(text(file, "file_name").unwrap_or(""), number(file, "line"));
            let similarity = text(file, "similarity_id").unwrap_or("");
            findings.push(b.finding(
                id,
                name,
                text(query, "severity"),
                location.clone(),
                &["kics", id, &location, similarity],
            ));
        }
    }
    Ok(Parsed::findings(findings))
}
