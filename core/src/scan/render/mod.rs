//! One renderer per output format for the result of `plangate scan`.

mod github;
mod markdown;
mod sarif;
mod text;

use serde_json::json;

use super::{GateOutcome, ScanReport};

pub use sarif::{SarifLimits, GITHUB_LIMITS};

/// Renders the gate's result in `format` (text, json, sarif, markdown, github).
pub fn render(format: &str, reports: &[ScanReport], outcome: &GateOutcome) -> Result<String, String> {
    Ok(match format {
        "text" => text::render(reports, outcome),
        "json" => serde_json::to_string_pretty(&as_json(reports, outcome)).unwrap_or_default() + "\n",
        "sarif" => sarif::render(outcome, &GITHUB_LIMITS),
        "markdown" => markdown::render(reports, outcome),
        "github" => github::render(outcome),
        other => {
            return Err(format!("unknown output format {other:?}: expected text, json, sarif, markdown or github"))
        }
    })
}

/// The JSON result: counts, score, per-file status and every finding.
pub fn as_json(reports: &[ScanReport], outcome: &GateOutcome) -> serde_json::Value {
    let per_file: Vec<_> = reports
        .iter()
        .map(|r| json!({"file": r.file, "format": r.format, "findings": r.findings.len(), "verdict": r.verdict, "status": "valid"}))
        .collect();
    json!({
        "schema_version": 1,
        "passed": outcome.passed,
        "exit_code": outcome.exit_code,
        "reasons": outcome.reasons,
        "score": outcome.score,
        "score_version": outcome.score_version,
        "counts": outcome.counts,
        "new_counts": outcome.new_counts,
        "duplicates_removed": outcome.duplicates_removed,
        "expired_suppressions": outcome.expired_suppressions,
        "reports": per_file,
        "findings": outcome.findings,
    })
}
