//! The plan check for Python: `Policy`, `check_plan` / `check_plans`, and the immutable report
//! objects (`Report`, `Run`, `Finding`, `DriftEntry`). The analysis runs with the GIL released.

use std::path::PathBuf;
use std::sync::OnceLock;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyTuple};

use plangate::plan::ReadBy;
use plangate::report::{self, RenderOptions};
use plangate::{ConfigSource, Environment, Format, PlanInput, Settings};

use crate::errors::{detached, to_py};

/// What a plan is judged by: a configuration file, YAML text, a preset, or the default.
#[pyclass(frozen, module = "plangate._native", name = "Policy")]
pub struct Policy {
    pub inner: plangate::Policy,
}

#[pymethods]
impl Policy {
    /// The default policy: production's classes; any critical or high-risk change fails.
    #[new]
    fn new() -> Policy {
        Policy { inner: plangate::Policy::default() }
    }

    /// A policy from a YAML configuration file.
    #[staticmethod]
    fn from_file(py: Python<'_>, path: PathBuf) -> PyResult<Policy> {
        detached(py, |_| plangate::Policy::from_file(&path)).map(|inner| Policy { inner })
    }

    /// A policy from YAML text; `origin` names it in errors.
    #[staticmethod]
    #[pyo3(signature = (text, origin = "<yaml>"))]
    fn from_yaml(text: &str, origin: &str) -> PyResult<Policy> {
        plangate::Policy::from_yaml(text, origin).map(|inner| Policy { inner }).map_err(|e| to_py(e.into()))
    }

    /// A built-in preset: `develop` (`dev`), `staging`, `production` (`prod`).
    #[staticmethod]
    fn preset(name: &str) -> PyResult<Policy> {
        let env: Environment = name.parse().map_err(|e: plangate::ConfigError| to_py(e.into()))?;
        Ok(Policy { inner: plangate::Policy::preset(env) })
    }

    /// The same policy, failing on any high-risk change (or not).
    fn with_fail_on_high_risk(&self, value: bool) -> Policy {
        let mut inner = self.inner.clone();
        inner.thresholds.fail_on_high_risk = value;
        Policy { inner }
    }

    /// `default`, `preset NAME` or `file PATH`.
    #[getter]
    fn source(&self) -> String {
        self.inner.source.to_string()
    }

    /// How many critical changes pass.
    #[getter]
    fn critical_threshold(&self) -> u32 {
        self.inner.thresholds.critical_changes
    }

    /// How many high-risk changes pass; `None` when they never fail the gate.
    #[getter]
    fn high_risk_allowance(&self) -> Option<u32> {
        self.inner.summary().high_risk_allowance
    }

    /// Whether any high-risk change fails.
    #[getter]
    fn fail_on_high_risk(&self) -> bool {
        self.inner.thresholds.fail_on_high_risk
    }

    fn __repr__(&self) -> String {
        let allowance = self.high_risk_allowance().map_or("unlimited".to_string(), |n| n.to_string());
        format!(
            "Policy({}: critical allowed {}, high-risk allowed {allowance})",
            self.source(),
            self.critical_threshold()
        )
    }
}

/// A plan as Python gives it: a path, or the plan's bytes (read in place).
pub enum Plan<'py> {
    Path(PathBuf),
    Bytes(Bound<'py, PyBytes>),
}

impl<'py> FromPyObject<'_, 'py> for Plan<'py> {
    type Error = PyErr;
    fn extract(object: Borrowed<'_, 'py, PyAny>) -> PyResult<Plan<'py>> {
        match object.cast::<PyBytes>() {
            Ok(bytes) => Ok(Plan::Bytes(bytes.to_owned())),
            Err(_) => object.extract::<PathBuf>().map(Plan::Path),
        }
    }
}

impl Plan<'_> {
    fn input(&self) -> PlanInput<'_> {
        match self {
            Plan::Path(path) => PlanInput::path(path),
            Plan::Bytes(bytes) => PlanInput::bytes(bytes.as_bytes()),
        }
    }

    fn name(&self) -> String {
        match self {
            Plan::Path(path) => path.display().to_string(),
            Plan::Bytes(_) => "plan".into(),
        }
    }
}

/// The engine's settings from the keyword arguments of `check_plan` / `check_plans`.
#[allow(clippy::too_many_arguments)]
fn settings(
    config: Option<&Bound<'_, PyAny>>,
    env: Option<String>,
    fail_on_high_risk: Option<bool>,
    source_dir: Option<PathBuf>,
    plan_reader: Option<String>,
    schema_tables: Vec<PathBuf>,
    source_root: Option<PathBuf>,
) -> PyResult<Settings> {
    let mut settings = Settings::default();
    settings.config = match config {
        None => None,
        Some(config) => Some(match config.cast::<Policy>() {
            Ok(policy) => ConfigSource::Policy(Box::new(policy.get().inner.clone())),
            Err(_) => ConfigSource::File(config.extract::<PathBuf>()?),
        }),
    };
    settings.environment = env;
    settings.fail_on_high_risk = fail_on_high_risk;
    settings.source_dir = source_dir;
    settings.source_root = source_root;
    settings.plan_reader = plan_reader;
    settings.schema_tables = schema_tables;
    Ok(settings)
}

/// Checks one plan (a path, JSON or binary, or its bytes).
#[pyfunction]
#[pyo3(signature = (plan, *, label = None, config = None, env = None, fail_on_high_risk = None, source_dir = None, plan_reader = None, schema_tables = Vec::new(), source_root = None))]
#[allow(clippy::too_many_arguments)]
pub fn check_plan(
    py: Python<'_>,
    plan: Plan<'_>,
    label: Option<String>,
    config: Option<&Bound<'_, PyAny>>,
    env: Option<String>,
    fail_on_high_risk: Option<bool>,
    source_dir: Option<PathBuf>,
    plan_reader: Option<String>,
    schema_tables: Vec<PathBuf>,
    source_root: Option<PathBuf>,
) -> PyResult<Report> {
    let settings = settings(config, env, fail_on_high_risk, source_dir, plan_reader, schema_tables, source_root)?;
    let options = settings.resolve().map_err(to_py)?.check;
    let name = label.clone().unwrap_or_else(|| plan.name());
    let input = plan.input();
    // A FIFO nothing writes to waits: interruptible by Ctrl-C.
    let report = detached(py, |interrupt| {
        let mut options = options.clone();
        options.label.clone_from(&label);
        options.interrupt = Some(interrupt);
        plangate::check(input, &options)
    })?;
    Ok(Report::new(report, name, options.policy.verbose))
}

/// Checks several plans (each `(name, path or bytes)`) together: a report each, and the worst
/// verdict.
#[pyfunction]
#[pyo3(signature = (plans, *, config = None, env = None, fail_on_high_risk = None, source_dir = None, plan_reader = None, schema_tables = Vec::new(), source_root = None))]
#[allow(clippy::too_many_arguments)]
pub fn check_plans(
    py: Python<'_>,
    plans: Vec<(String, Plan<'_>)>,
    config: Option<&Bound<'_, PyAny>>,
    env: Option<String>,
    fail_on_high_risk: Option<bool>,
    source_dir: Option<PathBuf>,
    plan_reader: Option<String>,
    schema_tables: Vec<PathBuf>,
    source_root: Option<PathBuf>,
) -> PyResult<Run> {
    let settings = settings(config, env, fail_on_high_risk, source_dir, plan_reader, schema_tables, source_root)?;
    let resolved = settings.resolve().map_err(to_py)?;
    let inputs: Vec<(String, PlanInput<'_>)> = plans.iter().map(|(name, plan)| (name.clone(), plan.input())).collect();
    let run = detached(py, |interrupt| {
        let mut options = resolved.check.clone();
        options.interrupt = Some(interrupt);
        Ok::<_, plangate::Error>(plangate::check_all(&inputs, &options, &[], &resolved.scan))
    })?;
    Ok(Run { inner: run, verbose: resolved.check.policy.verbose })
}

/// Several plans checked together. Immutable.
#[pyclass(frozen, module = "plangate._native", name = "Run")]
pub struct Run {
    inner: report::Run,
    verbose: bool,
}

#[pymethods]
impl Run {
    /// `critical`, `high_risk`, `safe`, or `error` when a plan cannot be read.
    #[getter]
    fn status(&self) -> &'static str {
        self.inner.status.as_str()
    }

    /// The worst: 3 a plan cannot be read, 1 critical, 2 high-risk, 0 pass.
    #[getter]
    fn exit_code(&self) -> u8 {
        self.inner.exit_code
    }

    /// Whether every plan passes.
    #[getter]
    fn passed(&self) -> bool {
        self.inner.passed()
    }

    /// One sentence: the verdict and why.
    #[getter]
    fn reason(&self) -> String {
        self.inner.reason.clone()
    }

    /// All plans together.
    #[getter]
    fn total_changes(&self) -> usize {
        self.inner.total_changes
    }

    /// All plans together.
    #[getter]
    fn critical_changes(&self) -> usize {
        self.inner.critical_changes
    }

    /// All plans together.
    #[getter]
    fn high_risk_changes(&self) -> usize {
        self.inner.high_risk_changes
    }

    /// `(name, Report)` for every plan that was read, in the order given.
    #[getter]
    fn plans<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let plans = self
            .inner
            .plans
            .iter()
            .map(|p| Ok((p.plan.clone(), Py::new(py, Report::new(p.report.clone(), p.plan.clone(), self.verbose))?)))
            .collect::<PyResult<Vec<_>>>()?;
        PyTuple::new(py, plans)
    }

    /// `{"plan", "message", "code"}` for every plan that cannot be read.
    #[getter]
    fn errors<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_value(py, &self.inner.errors)
    }

    /// The run as JSON (`plangate check -f json` with several plans).
    fn to_json(&self) -> String {
        report::render_run(&self.inner, Format::Json, &RenderOptions::new("plan"))
    }

    /// The same as Python values.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_value(py, &self.inner)
    }

    /// The run as `text`, `json`, `sarif`, `markdown` or `github`.
    fn render(&self, format: &str) -> PyResult<String> {
        let options = RenderOptions::new("plan").verbose(self.verbose);
        Ok(report::render_run(&self.inner, parse_format(format)?, &options))
    }

    fn __repr__(&self) -> String {
        let r = &self.inner;
        format!(
            "<Run {}: {} plans, {} cannot be read; {} critical and {} high-risk of {} changes; exit {}>",
            r.status.as_str(),
            r.plans.len(),
            r.errors.len(),
            r.critical_changes,
            r.high_risk_changes,
            r.total_changes,
            r.exit_code
        )
    }
}

/// A serializable value as Python values, through JSON.
pub fn json_value<'py>(py: Python<'py>, value: &impl serde::Serialize) -> PyResult<Bound<'py, PyAny>> {
    let text = serde_json::to_string(value).unwrap_or_default();
    py.import("json")?.call_method1("loads", (text,))
}

pub fn parse_format(format: &str) -> PyResult<Format> {
    format.parse().map_err(|e: plangate::UnknownFormat| crate::errors::invalid_argument("format", &e.to_string()))
}

/// Everything a plan check found. Immutable; safe to share between threads.
#[pyclass(frozen, module = "plangate._native", name = "Report")]
pub struct Report {
    inner: report::Report,
    render: RenderOptions,
    findings: OnceLock<Py<PyTuple>>,
    drift: OnceLock<Py<PyTuple>>,
}

impl Report {
    fn new(inner: report::Report, label: String, verbose: bool) -> Report {
        Report {
            inner,
            render: RenderOptions::new(label).verbose(verbose),
            findings: OnceLock::new(),
            drift: OnceLock::new(),
        }
    }
}

#[pymethods]
impl Report {
    /// `critical`, `high_risk` or `safe`: what the plan contains.
    #[getter]
    fn status(&self) -> &'static str {
        self.inner.status.as_str()
    }

    /// 0 pass, 1 critical, 2 high-risk.
    #[getter]
    fn exit_code(&self) -> u8 {
        self.inner.exit_code()
    }

    /// Whether the gate lets the plan through.
    #[getter]
    fn passed(&self) -> bool {
        self.inner.verdict.passed
    }

    /// One sentence a pipeline log can show.
    #[getter]
    fn reason(&self) -> &str {
        &self.inner.verdict.reason
    }

    /// Resource changes other than no-op and read.
    #[getter]
    fn total_changes(&self) -> usize {
        self.inner.total_changes
    }

    /// Changes with at least one critical finding.
    #[getter]
    fn critical_changes(&self) -> usize {
        self.inner.critical_changes
    }

    /// Changes whose worst finding is high.
    #[getter]
    fn high_risk_changes(&self) -> usize {
        self.inner.high_risk_changes
    }

    /// The findings, worst first (made on first use: a big plan has many).
    #[getter]
    fn findings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        cached(py, &self.findings, || self.inner.findings.iter().cloned().map(Finding::from))
    }

    /// What changed outside Terraform.
    #[getter]
    fn drift<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        cached(py, &self.drift, || self.inner.drift.iter().cloned().map(DriftEntry::from))
    }

    /// The plan's header: `{"format_version": ..., "terraform_version": ...}`, and for a binary plan
    /// file `read_by` (`"native"` or `"terraform"`) and any `masked_providers`, as in the JSON report.
    #[getter]
    fn plan<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let header = &self.inner.plan;
        let plan = PyDict::new(py);
        plan.set_item("format_version", header.format_version.as_deref())?;
        plan.set_item("terraform_version", header.terraform_version.as_deref())?;
        if let Some(read_by) = header.read_by {
            plan.set_item("read_by", if read_by == ReadBy::Native { "native" } else { "terraform" })?;
        }
        if !header.masked_providers.is_empty() {
            plan.set_item("masked_providers", PyTuple::new(py, &header.masked_providers)?)?;
        }
        Ok(plan)
    }

    /// The JSON report, exactly as `plangate check -f json` writes it.
    fn to_json(&self) -> String {
        report::render(&self.inner, Format::Json, &self.render)
    }

    /// The JSON report as Python values (the CLI's schema).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_value(py, &self.inner)
    }

    /// The report as `text`, `json`, `sarif`, `markdown` or `github`.
    fn render(&self, format: &str) -> PyResult<String> {
        Ok(report::render(&self.inner, parse_format(format)?, &self.render))
    }

    /// The HCP Terraform task result for this report (the JSON document to `PATCH`), held to
    /// HCP's limits.
    fn task_result<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_value(py, &plangate::run_task::task_result(&self.inner))
    }

    fn __repr__(&self) -> String {
        let r = &self.inner;
        format!(
            "<Report {}: {} critical and {} high-risk of {} changes, {} findings; exit {}>",
            r.status.as_str(),
            r.critical_changes,
            r.high_risk_changes,
            r.total_changes,
            r.findings.len(),
            r.exit_code()
        )
    }
}

/// A tuple of Python objects made once, on first use.
fn cached<'py, T, I>(
    py: Python<'py>,
    slot: &OnceLock<Py<PyTuple>>,
    items: impl FnOnce() -> I,
) -> PyResult<Bound<'py, PyTuple>>
where
    T: pyo3::PyClass + Into<PyClassInitializer<T>>,
    I: Iterator<Item = T>,
{
    if let Some(tuple) = slot.get() {
        return Ok(tuple.bind(py).clone());
    }
    let objects = items().map(|item| Py::new(py, item)).collect::<PyResult<Vec<_>>>()?;
    let tuple = PyTuple::new(py, objects)?;
    Ok(slot.get_or_init(|| tuple.unbind()).bind(py).clone())
}

/// One finding about one resource change. Immutable and hashable.
#[pyclass(frozen, eq, hash, module = "plangate._native", name = "Finding")]
#[derive(PartialEq, Eq, Hash)]
pub struct Finding {
    inner: plangate::Finding,
}

impl From<plangate::Finding> for Finding {
    fn from(inner: plangate::Finding) -> Finding {
        Finding { inner }
    }
}

#[pymethods]
impl Finding {
    /// The resource address.
    #[getter]
    fn address(&self) -> &str {
        &self.inner.address
    }

    /// The resource type.
    #[getter]
    fn r#type(&self) -> &str {
        &self.inner.resource_type
    }

    /// Terraform's action list, e.g. `("delete", "create")`.
    #[getter]
    fn actions<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.inner.actions.terraform_names())
    }

    /// `critical`, `high` or `notice`.
    #[getter]
    fn severity(&self) -> &'static str {
        self.inner.severity.as_str()
    }

    /// The rule id, e.g. `PG-DEL-001`.
    #[getter]
    fn rule(&self) -> &str {
        &self.inner.rule
    }

    /// The family, e.g. `resource_deletions`.
    #[getter]
    fn category(&self) -> String {
        snake_name(&self.inner.category)
    }

    /// One sentence for a reviewer; never a sensitive value.
    #[getter]
    fn message(&self) -> &str {
        &self.inner.message
    }

    /// `{"reason": ..., "expires": "YYYY-MM-DD"}` when a waiver accepts it, else `None`.
    #[getter]
    fn waived<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        let Some(waived) = &self.inner.waived else { return Ok(None) };
        let dict = PyDict::new(py);
        dict.set_item("reason", &waived.reason)?;
        dict.set_item("expires", waived.expires.to_string())?;
        Ok(Some(dict))
    }

    /// Where the resource is declared, when `check_plan` was given `source_dir`:
    /// `{"file": ..., "start_line": ..., "end_line": ...}` or `{"unmapped": "why"}`; else `None`.
    #[getter]
    fn location<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner.location.as_ref().map(|location| json_value(py, location)).transpose()
    }

    fn __repr__(&self) -> String {
        format!(
            "<Finding {} {} {}: {}>",
            self.inner.severity.as_str(),
            self.inner.rule,
            self.inner.address,
            self.inner.message
        )
    }
}

/// The name serde gives an enum value (`resource_deletions`, `high_risk`).
pub fn snake_name(value: &impl serde::Serialize) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// A resource changed outside Terraform. Immutable.
#[pyclass(frozen, module = "plangate._native", name = "DriftEntry")]
pub struct DriftEntry {
    inner: plangate::report::DriftEntry,
}

impl From<plangate::report::DriftEntry> for DriftEntry {
    fn from(inner: plangate::report::DriftEntry) -> DriftEntry {
        DriftEntry { inner }
    }
}

#[pymethods]
impl DriftEntry {
    /// The resource address.
    #[getter]
    fn address(&self) -> &str {
        &self.inner.address
    }

    /// The resource type.
    #[getter]
    fn r#type(&self) -> &str {
        &self.inner.resource_type
    }

    /// Names of the attributes that changed (never their values).
    #[getter]
    fn changed_attributes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, &self.inner.changed_attributes)
    }

    /// One sentence for a reviewer.
    #[getter]
    fn message(&self) -> &str {
        &self.inner.message
    }

    /// What the drift opened (security groups, IAM), as findings; never counted.
    #[getter]
    fn flags<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let flags =
            self.inner.flags.iter().cloned().map(|f| Py::new(py, Finding::from(f))).collect::<PyResult<Vec<_>>>()?;
        PyTuple::new(py, flags)
    }

    fn __repr__(&self) -> String {
        format!("<DriftEntry {}: {}>", self.inner.address, self.inner.message)
    }
}

/// One rule of the registry.
#[pyclass(frozen, module = "plangate._native", name = "Rule")]
pub struct Rule {
    inner: &'static plangate::Rule,
}

#[pymethods]
impl Rule {
    /// The stable id, e.g. `PG-DEL-001`.
    #[getter]
    fn id(&self) -> &'static str {
        self.inner.id
    }

    /// One line saying what it finds.
    #[getter]
    fn title(&self) -> &'static str {
        self.inner.title
    }

    /// `critical`, `high` or `notice`.
    #[getter]
    fn severity(&self) -> &'static str {
        self.inner.severity.as_str()
    }

    /// The family its findings are filed under.
    #[getter]
    fn category(&self) -> String {
        snake_name(&self.inner.category)
    }

    /// Markdown: why it matters, what triggers it, an example.
    #[getter]
    fn doc(&self) -> &'static str {
        self.inner.doc
    }

    fn __repr__(&self) -> String {
        format!("<Rule {} ({}): {}>", self.inner.id, self.inner.severity.as_str(), self.inner.title)
    }
}

/// The input limits in force: the defaults, or the `PLANGATE_MAX_*` variables.
#[pyfunction]
pub fn limits(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let limits = plangate::Limits::from_env().map_err(|e| to_py(e.into()))?;
    let dict = PyDict::new(py);
    dict.set_item("max_plan_bytes", limits.max_plan_bytes)?;
    dict.set_item("max_report_bytes", limits.max_report_bytes)?;
    dict.set_item("max_file_bytes", limits.max_file_bytes)?;
    dict.set_item("max_inflation", limits.max_inflation)?;
    dict.set_item("max_findings", limits.max_findings)?;
    dict.set_item("max_yaml_depth", limits.max_yaml_depth)?;
    Ok(dict)
}

/// Every rule, in report order.
#[pyfunction]
pub fn rules() -> Vec<Rule> {
    plangate::registry::rules().iter().map(|inner| Rule { inner }).collect()
}

/// What `plangate explain ID` prints.
#[pyfunction]
pub fn explain(rule_id: &str) -> PyResult<String> {
    plangate::rules::explain(rule_id).map_err(|e| crate::errors::to_py(e.into()))
}
