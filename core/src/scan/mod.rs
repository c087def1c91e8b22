//! Security scanner reports: detect the format by content, validate it, normalize its findings,
//! and gate on severity. Fails closed: a report that cannot be read, that says its scanner failed,
//! or that covers only part of what was scanned is an error, never "no findings". [`check`] is the
//! whole job, as `plangate scan` and the bindings run it.

mod baseline;
mod check;
mod detect;
mod error;
mod finding;
mod formats;
mod gate;
mod render;
mod shape;
mod suppressions;

use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};

pub use baseline::Baseline;
pub use check::{check, judge, ReportInput, ScanOptions};
pub use detect::ReportFormat;
pub use error::{ScanError, ScanErrors};
pub use finding::{ScanFinding, ScanSeverity};
pub use gate::{score, Counts, GateConfig, ReportSummary, ScanOutcome, SCORE_VERSION};
pub(crate) use render::annotate;
pub(crate) use render::ci::issues as ci_issues;
pub use render::{render, SarifLimits, GITHUB_LIMITS};
pub use suppressions::Suppression;

use crate::limits::{Bound, Limits};
pub(crate) use finding::FindingBuilder;
use shape::Problem;

/// What a scanner itself concluded, when it says.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ScannerVerdict {
    /// Whether the scanner's own policy passed.
    pub passed: bool,
    /// What it said.
    pub detail: String,
}

/// One report, read and normalized.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ScanReport {
    /// How the report was named (its path, or the name given with its bytes).
    pub file: String,
    /// The format it was read as.
    pub format: ReportFormat,
    /// Its findings, in the order the report lists them.
    pub findings: Vec<ScanFinding>,
    /// The scanner's own verdict, when it gives one.
    pub verdict: Option<ScannerVerdict>,
}

/// Reads one report's bytes; `file` names it in findings and errors; `format` overrides detection.
///
/// # Errors
/// [`ScanError`] when the report is larger than the report size limit, is not JSON, is of no known
/// format, is malformed for its format, holds more findings than the limit, or says its scanner
/// failed or scanned only part of its target.
pub fn read(bytes: &[u8], file: &str, format: Option<ReportFormat>, limits: &Limits) -> Result<ScanReport, ScanError> {
    if bytes.len() as u64 > limits.max_report_bytes {
        return Err(ScanError::TooLarge { file: file.into(), limit: limits.exceeded(Bound::ReportBytes) });
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if text.iter().all(u8::is_ascii_whitespace) {
        return Err(ScanError::Unrecognized { file: file.into(), found: "an empty file".into() });
    }
    let crate::json::Unique(value) = serde_json::from_slice(text).map_err(|e: serde_json::Error| {
        let full = e.to_string();
        let message = full.rfind(" at line ").map_or(full.as_str(), |i| &full[..i]).to_string();
        let message = if e.is_eof() { format!("{message} (the file is cut short)") } else { message };
        ScanError::Syntax { file: file.into(), line: e.line(), column: e.column(), message }
    })?;
    let format = match format {
        Some(forced) => {
            detect::check_forced(forced, &value).map_err(|problem| problem.into_error(file, forced.name()))?;
            forced
        }
        None => detect::detect(&value)
            .ok_or_else(|| ScanError::Unrecognized { file: file.into(), found: shape::describe(&value) })?,
    };
    let builder = FindingBuilder { source: format.name(), file, max_findings: limits.max_findings };
    let parsed = formats::parse(format, &value, &builder).map_err(|problem| problem.into_error(file, format.name()))?;
    if parsed.findings.len() as u64 > limits.max_findings {
        return Err(ScanError::TooManyFindings { file: file.into(), limit: limits.exceeded(Bound::Findings) });
    }
    Ok(ScanReport { file: file.into(), format, findings: parsed.findings, verdict: parsed.verdict })
}

/// Reads a report file (a FIFO or `/dev/stdin` too), under the report size limit.
///
/// # Errors
/// [`ScanError::Io`] when it cannot be read, else as [`read`].
pub fn read_file(
    path: impl AsRef<Path>,
    format: Option<ReportFormat>,
    limits: &Limits,
) -> Result<ScanReport, ScanError> {
    let path = path.as_ref();
    let file = path.display().to_string();
    let io_error = |source| ScanError::Io { file: file.clone(), source };
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(limits.max_report_bytes.saturating_add(1)).read_to_end(&mut bytes))
        .map_err(io_error)?;
    read(&bytes, &file, format, limits)
}
