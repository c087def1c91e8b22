//! The whole scan job: read every report (naming every one that cannot be used, so one run shows
//! all that needs fixing), then gate on their findings.

use std::path::Path;

use super::gate::{GateConfig, ScanOutcome};
use super::ScanErrors;
use super::{gate, read, read_file, Baseline, ReportFormat, ScanError, ScanReport, Suppression};
use crate::date::Date;
use crate::limits::{Bound, Limits};

/// One report to read.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum ReportInput<'a> {
    /// A report file.
    Path(&'a Path),
    /// A report's content, and how to name it in findings and errors.
    Bytes {
        /// The report's name (a file name, an object key).
        name: &'a str,
        /// Its content.
        bytes: &'a [u8],
    },
}

impl<'a> ReportInput<'a> {
    /// A report file.
    pub fn path(path: &'a (impl AsRef<Path> + ?Sized)) -> ReportInput<'a> {
        ReportInput::Path(path.as_ref())
    }

    /// A report's content, named `name`.
    pub fn bytes(name: &'a str, bytes: &'a [u8]) -> ReportInput<'a> {
        ReportInput::Bytes { name, bytes }
    }
}

/// How to read and gate reports.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ScanOptions {
    /// Read every report as this format instead of detecting it.
    pub format: Option<ReportFormat>,
    /// The gate: `fail_on`, `max`, `unknown_severity_as`.
    pub gate: GateConfig,
    /// Accepted findings.
    pub suppressions: Vec<Suppression>,
    /// Findings of an earlier result: only new ones fail the gate.
    pub baseline: Baseline,
    /// The day suppressions are judged on; `None` is today (UTC).
    pub today: Option<Date>,
    /// The input limits; `None` is [`Limits::from_env`].
    pub limits: Option<Limits>,
}

impl ScanOptions {
    /// Options with this gate, nothing suppressed, no baseline.
    pub fn new(gate: GateConfig) -> ScanOptions {
        ScanOptions { gate, ..ScanOptions::default() }
    }
}

/// Reads and validates every report, then gates on their findings.
///
/// # Errors
/// [`ScanErrors`] listing every report that cannot be used (malformed, unrecognized, failed,
/// partial, over a limit), or a `PLANGATE_MAX_*` variable that holds no limit: never a verdict. It
/// converts into [`crate::Error::Reports`].
pub fn check(reports: &[ReportInput<'_>], options: &ScanOptions) -> Result<ScanOutcome, ScanErrors> {
    let limits = match options.limits {
        Some(limits) => limits,
        None => Limits::from_env().map_err(|e| ScanErrors { errors: vec![ScanError::InvalidLimit(e)] })?,
    };
    let mut read_reports = Vec::with_capacity(reports.len());
    let mut errors: Vec<ScanError> = Vec::new();
    let mut findings: u64 = 0;
    for input in reports {
        let report = match *input {
            ReportInput::Path(path) => read_file(path, options.format, &limits),
            ReportInput::Bytes { name, bytes } => read(bytes, name, options.format, &limits),
        };
        match report {
            Ok(report) => {
                findings += report.findings.len() as u64;
                if findings > limits.max_findings {
                    let limit = limits.exceeded(Bound::Findings);
                    errors.push(ScanError::TooManyFindings { file: report.file, limit });
                    break;
                }
                read_reports.push(report);
            }
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(ScanErrors { errors });
    }
    Ok(judge(&read_reports, options))
}

/// Gates on reports already read (with [`read`] or [`read_file`]).
pub fn judge(reports: &[ScanReport], options: &ScanOptions) -> ScanOutcome {
    let today = options.today.unwrap_or_else(Date::today);
    gate::judge(reports, &options.gate, &options.suppressions, &options.baseline, today)
}
