//! Why a scanner report (or a baseline) cannot be used. Every variant names the file; shape errors
//! also name the JSON path, what was expected and what was found.

use crate::details::Details;
use crate::limits::LimitError;

/// A report that cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScanError {
    /// The file cannot be read.
    #[error("cannot read {file}: {source}")]
    Io {
        /// The report.
        file: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Malformed JSON.
    #[error("{file}: invalid JSON at line {line}, column {column}: {message}")]
    Syntax {
        /// The report.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the JSON parser expected and found.
        message: String,
    },
    /// No known scanner wrote this.
    #[error("{file}: unrecognized report: found {found}; expected Wiz, Seeker, SARIF 2.1.0, Trivy, Checkov, Grype, Snyk, Semgrep, KICS, tfsec, Gitleaks or {{\"issues\": [...]}} JSON (use --format to say which)")]
    Unrecognized {
        /// The report.
        file: String,
        /// A short description of what it holds.
        found: String,
    },
    /// A value of the wrong shape for the format.
    #[error("{file} ({format}) at {path}: expected {expected}, found {found}")]
    Shape {
        /// The report.
        file: String,
        /// The format it was read as.
        format: &'static str,
        /// The JSON path, e.g. `$.runs[0].results`.
        path: String,
        /// What the format has there.
        expected: String,
        /// What the file has there.
        found: String,
    },
    /// The scanner says it failed.
    #[error("{file} ({format}): the scanner reports that it failed: {detail}")]
    ScannerFailed {
        /// The report.
        file: String,
        /// Its format.
        format: &'static str,
        /// What the scanner said.
        detail: String,
    },
    /// The scan covered only part of its target.
    #[error("{file} ({format}): partial scan, so its findings cannot be trusted as complete: {detail}")]
    Partial {
        /// The report.
        file: String,
        /// Its format.
        format: &'static str,
        /// What was not scanned.
        detail: String,
    },
    /// A mode or version of the scanner's output that cannot be read safely.
    #[error("{file} ({format}): this output cannot be gated: {detail}")]
    Unsupported {
        /// The report.
        file: String,
        /// Its format.
        format: &'static str,
        /// The mode, and what to run instead.
        detail: String,
    },
    /// The report is larger than the report size limit.
    #[error("{file}: larger than {limit}")]
    TooLarge {
        /// The report.
        file: String,
        /// The limit and how to raise it.
        limit: String,
    },
    /// The report (or all reports together) holds more findings than the limit.
    #[error("{file}: more findings than {limit}")]
    TooManyFindings {
        /// The report.
        file: String,
        /// The limit and how to raise it.
        limit: String,
    },
    /// A `PLANGATE_MAX_*` variable holds no limit, so no report was read.
    #[error(transparent)]
    InvalidLimit(LimitError),
    /// A baseline that is not an earlier `plangate scan -f json` result.
    #[error("baseline {file}: {message}: expected the output of `plangate scan -f json`")]
    Baseline {
        /// The baseline file.
        file: String,
        /// What is wrong with it.
        message: String,
    },
}

/// Every report of a scan that cannot be used, in the order the reports were given; never empty.
#[derive(Debug, thiserror::Error)]
#[error("{}", errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
#[non_exhaustive]
pub struct ScanErrors {
    /// One error per unusable report.
    pub errors: Vec<ScanError>,
}

impl ScanError {
    /// The file at fault.
    pub fn file(&self) -> &str {
        match self {
            ScanError::Io { file, .. }
            | ScanError::Syntax { file, .. }
            | ScanError::Unrecognized { file, .. }
            | ScanError::Shape { file, .. }
            | ScanError::ScannerFailed { file, .. }
            | ScanError::Partial { file, .. }
            | ScanError::Unsupported { file, .. }
            | ScanError::TooLarge { file, .. }
            | ScanError::TooManyFindings { file, .. }
            | ScanError::Baseline { file, .. } => file,
            ScanError::InvalidLimit(e) => e.variable,
        }
    }

    pub(crate) fn details(&self) -> Details {
        let path = Some(self.file().to_string());
        match self {
            ScanError::Syntax { line, column, .. } => {
                Details { path, line: Some(*line), column: Some(*column), ..Details::default() }
            }
            ScanError::Shape { path: json_path, expected, found, .. } => Details {
                path,
                json_path: Some(json_path.clone()),
                expected: Some(expected.clone()),
                found: Some(found.clone()),
                ..Details::default()
            },
            ScanError::Unrecognized { found, .. } => Details { path, found: Some(found.clone()), ..Details::default() },
            _ => Details { path, ..Details::default() },
        }
    }
}
