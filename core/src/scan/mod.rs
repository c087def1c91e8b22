//! Security scanner reports: detect the format by content, validate it, normalize its findings,
//! and gate on severity. Fails closed: a report that cannot be read, that says its scanner failed,
//! or that covers only part of what was scanned is an error, never "no findings".

mod detect;
mod finding;
pub mod formats;
pub mod gate;
pub mod render;
mod shape;

use serde::Serialize;
use serde_json::Value;

pub use detect::{detect, ReportFormat};
pub use finding::{FindingBuilder, ScanFinding, ScanSeverity};
pub use gate::{GateConfig, GateOutcome, Suppression};
pub use shape::Problem;

/// A report that cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScanError {
    #[error("cannot read {file}: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}: invalid JSON at line {line}, column {column}: {message}")]
    Syntax { file: String, line: usize, column: usize, message: String },
    #[error("{file}: unrecognized report: found {found}; expected Wiz, Seeker, SARIF 2.1.0, Trivy, Checkov, Grype, Snyk, Semgrep, KICS, tfsec, Gitleaks or {{\"issues\": [...]}} JSON (use --format to say which)")]
    Unrecognized { file: String, found: String },
    #[error("{file} ({format}) at {path}: expected {expected}, found {found}")]
    Shape { file: String, format: &'static str, path: String, expected: String, found: String },
    #[error("{file} ({format}): the scanner reports that it failed: {detail}")]
    ScannerFailed { file: String, format: &'static str, detail: String },
    #[error("{file} ({format}): partial scan, so its findings cannot be trusted as complete: {detail}")]
    Partial { file: String, format: &'static str, detail: String },
}

/// What a scanner itself concluded, when it says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScannerVerdict {
    pub passed: bool,
    pub detail: String,
}

/// One report, read and normalized.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScanReport {
    pub file: String,
    pub format: &'static str,
    pub findings: Vec<ScanFinding>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<ScannerVerdict>,
}

/// Reads one report's bytes; `file` names it in findings and errors; `format` overrides detection.
pub fn read(bytes: &[u8], file: &str, format: Option<ReportFormat>) -> Result<ScanReport, ScanError> {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if text.iter().all(u8::is_ascii_whitespace) {
        return Err(ScanError::Unrecognized { file: file.into(), found: "an empty file".into() });
    }
    let value: Value = serde_json::from_slice(text).map_err(|e| {
        let full = e.to_string();
        let message = full.rfind(" at line ").map_or(full.as_str(), |i| &full[..i]).to_string();
        let message = if e.is_eof() { format!("{message} (the file is cut short)") } else { message };
        ScanError::Syntax { file: file.into(), line: e.line(), column: e.column(), message }
    })?;
    let format = match format {
        Some(f) => f,
        None => detect(&value)
            .ok_or_else(|| ScanError::Unrecognized { file: file.into(), found: shape::describe(&value) })?,
    };
    let builder = FindingBuilder { source: format.name(), file };
    let parsed = formats::parse(format, &value, &builder).map_err(|problem| problem.into_error(file, format.name()))?;
    Ok(ScanReport { file: file.into(), format: format.name(), findings: parsed.findings, verdict: parsed.verdict })
}

/// Reads a report file.
pub fn read_file(path: &str, format: Option<ReportFormat>) -> Result<ScanReport, ScanError> {
    let bytes = std::fs::read(path).map_err(|source| ScanError::Io { file: path.into(), source })?;
    read(&bytes, path, format)
}
