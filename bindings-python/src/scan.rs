//! Scanner reports for Python: `scan_reports` over the engine's `scan::check`, and the immutable
//! `ScanResult` / `ScanFinding` objects.

use std::path::PathBuf;
use std::sync::OnceLock;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use plangate::scan::{self, ReportInput, ScanOutcome, ScanSeverity};
use plangate::{ConfigSource, Format, Settings};

use crate::errors::{detached, to_py};
use crate::plan::snake_name;

/// One report to read, as the Python layer passes it: a path, or a name and bytes.
#[derive(FromPyObject)]
pub enum Input {
    Bytes(String, Vec<u8>),
    Path(PathBuf),
}

/// Reads, validates and gates scanner reports.
#[pyfunction]
#[pyo3(signature = (reports, fail_on = None, config = None, suppressions = None, baseline = None, baseline_json = None))]
pub fn scan_reports(
    py: Python<'_>,
    reports: Vec<Input>,
    fail_on: Option<String>,
    config: Option<PathBuf>,
    suppressions: Option<PathBuf>,
    baseline: Option<PathBuf>,
    baseline_json: Option<String>,
) -> PyResult<ScanResult> {
    let mut settings = Settings::default();
    settings.config = config.map(ConfigSource::File);
    settings.fail_on = fail_on;
    settings.suppressions = suppressions;
    settings.baseline = baseline;
    settings.baseline_json = baseline_json;
    let options = settings.resolve().map_err(to_py)?.scan;
    let inputs: Vec<ReportInput<'_>> = reports
        .iter()
        .map(|input| match input {
            Input::Path(path) => ReportInput::path(path),
            Input::Bytes(name, bytes) => ReportInput::bytes(name, bytes),
        })
        .collect();
    detached(py, |_| scan::check(&inputs, &options)).map(ScanResult::new)
}

/// The gate's decision over scanner reports. Immutable.
#[pyclass(frozen, module = "plangate._native", name = "ScanResult")]
pub struct ScanResult {
    inner: ScanOutcome,
    findings: OnceLock<Py<PyTuple>>,
}

impl ScanResult {
    fn new(inner: ScanOutcome) -> ScanResult {
        ScanResult { inner, findings: OnceLock::new() }
    }
}

#[pymethods]
impl ScanResult {
    /// Whether the gate passed.
    #[getter]
    fn passed(&self) -> bool {
        self.inner.passed
    }

    /// 0 pass, 1 the gate failed.
    #[getter]
    fn exit_code(&self) -> u8 {
        self.inner.exit_code
    }

    /// Why it failed (empty when it passed).
    #[getter]
    fn reasons<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, &self.inner.reasons)
    }

    /// Score v1 (100 is clean).
    #[getter]
    fn score(&self) -> u32 {
        self.inner.score
    }

    /// Active findings by severity.
    #[getter]
    fn counts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        counts(py, &self.inner.counts)
    }

    /// Active findings not in the baseline, by severity: what the gate judged.
    #[getter]
    fn new_counts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        counts(py, &self.inner.new_counts)
    }

    /// Each report read: `{"file", "format", "findings", "status", "verdict"}`.
    #[getter]
    fn reports<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let json = serde_json::to_string(&self.inner.reports).unwrap_or_default();
        py.import("json")?.call_method1("loads", (json,))
    }

    /// Every finding once, worst first.
    #[getter]
    fn findings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        if let Some(tuple) = self.findings.get() {
            return Ok(tuple.bind(py).clone());
        }
        let objects = self
            .inner
            .findings
            .iter()
            .map(|f| Py::new(py, ScanFinding { inner: f.clone() }))
            .collect::<PyResult<Vec<_>>>()?;
        let tuple = PyTuple::new(py, objects)?;
        Ok(self.findings.get_or_init(|| tuple.unbind()).bind(py).clone())
    }

    /// The JSON result, exactly as `plangate scan -f json` writes it (usable as a baseline).
    fn to_json(&self) -> String {
        scan::render(&self.inner, Format::Json)
    }

    /// The JSON result as Python values.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::plan::json_value(py, &self.inner)
    }

    /// The result as `text`, `json`, `sarif`, `markdown` or `github`.
    fn render(&self, format: &str) -> PyResult<String> {
        Ok(scan::render(&self.inner, crate::plan::parse_format(format)?))
    }

    fn __repr__(&self) -> String {
        let c = &self.inner.counts;
        format!(
            "<ScanResult {}: score {}, critical {}, high {}, medium {}, low {}; exit {}>",
            if self.inner.passed { "passed" } else { "failed" },
            self.inner.score,
            c.critical,
            c.high,
            c.medium,
            c.low,
            self.inner.exit_code
        )
    }
}

fn counts<'py>(py: Python<'py>, counts: &scan::Counts) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for severity in ScanSeverity::ALL {
        dict.set_item(severity.as_str(), counts.get(severity))?;
    }
    Ok(dict)
}

/// One scanner finding, normalized. Immutable and hashable.
#[pyclass(frozen, eq, hash, module = "plangate._native", name = "ScanFinding")]
#[derive(PartialEq, Eq, Hash)]
pub struct ScanFinding {
    inner: scan::ScanFinding,
}

#[pymethods]
impl ScanFinding {
    /// The scanner's rule, check or vulnerability id.
    #[getter]
    fn rule(&self) -> &str {
        &self.inner.rule
    }

    /// What was found (never a secret value).
    #[getter]
    fn title(&self) -> &str {
        &self.inner.title
    }

    /// `critical`, `high`, `medium`, `low`, `info` or `unknown`.
    #[getter]
    fn severity(&self) -> String {
        snake_name(&self.inner.severity)
    }

    /// The severity as the scanner wrote it.
    #[getter]
    fn raw_severity(&self) -> Option<&str> {
        self.inner.raw_severity.as_deref()
    }

    /// The report format, e.g. `trivy`.
    #[getter]
    fn source(&self) -> &str {
        &self.inner.source
    }

    /// The tool that found it.
    #[getter]
    fn tool(&self) -> &str {
        &self.inner.tool
    }

    /// The report it came from.
    #[getter]
    fn file(&self) -> &str {
        &self.inner.file
    }

    /// Where the problem is.
    #[getter]
    fn location(&self) -> &str {
        &self.inner.location
    }

    /// Stable across runs (and, for vulnerabilities, across scanners).
    #[getter]
    fn fingerprint(&self) -> &str {
        &self.inner.fingerprint
    }

    /// Why it is suppressed, when it is.
    #[getter]
    fn suppressed(&self) -> Option<&str> {
        self.inner.suppressed.as_deref()
    }

    fn __repr__(&self) -> String {
        format!("<ScanFinding {} {} at {}>", snake_name(&self.inner.severity), self.inner.rule, self.inner.location)
    }
}
