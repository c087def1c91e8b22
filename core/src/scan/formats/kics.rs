//! KICS JSON: `queries[]` with `files[]`. Queries that failed to execute make the scan partial.

use serde_json::Value;

use super::Parsed;
use crate::scan::shape::{at_line, count, list, number, required_list, text};
use crate::scan::{FindingBuilder, Problem};

pub fn parse(report: &Value, b: &FindingBuilder) -> Result<Parsed, Problem> {
    let failed = count(report, "queries_failed_to_execute", "$")?;
    if failed > 0 {
        return Err(Problem::Partial(format!("{failed} queries failed to execute (queries_failed_to_execute)")));
    }
    let total = count(report, "total_counter", "$")?;
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
    // A total that counts more results than are listed is a report cut down: not clean.
    if total > findings.len() as u64 {
        return Err(Problem::shape(
            "$.queries",
            &format!("queries listing the {total} results $.total_counter counts"),
            &Value::String(format!("{} listed", findings.len())),
        ));
    }
    Ok(Parsed::findings(findings))
}
