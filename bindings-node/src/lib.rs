//! The native half of plangate for Node.js. Thin: each function converts its arguments, calls the
//! core's entry point and hands back JSON: `{"ok": value}`, or `{"error": {code, message, path,
//! line, column, jsonPath, key, expected, found, errors}}` built in one place ([`error`]). The
//! JavaScript half (`index.js`) turns the latter into an `Error` with those properties. Long work
//! (plans, reports) runs off the JavaScript thread as an `AsyncTask`.

use std::path::PathBuf;

use napi::bindgen_prelude::{AsyncTask, Buffer, Either};
use napi::{Env, Task};
use napi_derive::napi;
use serde_json::{json, Value};

use plangate::report::{self, RenderOptions};
use plangate::resilience::{Classifier, Jitter, Pattern, RetryStrategy};
use plangate::scan::{self, Baseline, ReportInput, ScanOptions, ScanOutcome, ScanSeverity, Suppression};
use plangate::source::SourceMap;
use plangate::{CheckOptions, Config, Environment, Format, PlanInput, Policy, Report};

/// The one place engine errors become what JavaScript sees.
fn error(error: &plangate::Error) -> Value {
    let details = error.details();
    let errors: Vec<String> = match error {
        plangate::Error::Reports { errors } => errors.iter().map(ToString::to_string).collect(),
        other => vec![other.to_string()],
    };
    json!({"error": {
        "code": error.kind().code(),
        "message": error.to_string(),
        "path": details.path,
        "line": details.line,
        "column": details.column,
        "jsonPath": details.json_path,
        "key": details.key,
        "expected": details.expected,
        "found": details.found,
        "errors": errors,
    }})
}

/// An argument the caller got wrong (not an input plangate reads).
fn invalid(message: impl Into<String>) -> Value {
    let message = message.into();
    json!({"error": {"code": "INVALID_ARGUMENT", "message": message, "errors": [message]}})
}

fn ok(value: impl serde::Serialize) -> String {
    json!({"ok": value}).to_string()
}

fn done(outcome: Result<String, Value>) -> String {
    outcome.unwrap_or_else(|e| e.to_string())
}

/// How to check a plan.
#[napi(object)]
#[derive(Default)]
pub struct PlanOptions {
    /// A configuration file.
    pub config: Option<String>,
    /// Configuration YAML text (instead of a file).
    pub config_yaml: Option<String>,
    /// A preset: develop, staging or production.
    pub env: Option<String>,
    /// Fail on any high-risk change.
    pub fail_on_high_risk: Option<bool>,
    /// The Terraform working directory, to locate findings in the `.tf` files.
    pub source_dir: Option<String>,
    /// How errors name the plan.
    pub label: Option<String>,
}

fn policy(options: &PlanOptions) -> Result<Policy, plangate::Error> {
    let environment = options.env.as_deref().map(str::parse::<Environment>).transpose()?;
    let mut policy = match (&options.config, &options.config_yaml) {
        (Some(path), _) => Policy::from_file(path)?,
        (None, Some(text)) => Policy::from_yaml(text, "configYaml")?,
        (None, None) => environment.map_or_else(Policy::default, Policy::preset),
    };
    if let Some(fail) = options.fail_on_high_risk {
        policy.thresholds.fail_on_high_risk = fail;
    }
    Ok(policy)
}

/// A plan check, run on the thread pool.
pub struct CheckTask {
    plan: Either<String, Vec<u8>>,
    options: PlanOptions,
}

impl Task for CheckTask {
    type Output = String;
    type JsValue = String;

    fn compute(&mut self) -> napi::Result<String> {
        let run = || -> Result<Report, plangate::Error> {
            let mut options = CheckOptions::new(policy(&self.options)?);
            if let Some(dir) = &self.options.source_dir {
                options = options.source_dir(dir);
            }
            if let Some(label) = &self.options.label {
                options = options.label(label);
            }
            let input = match &self.plan {
                Either::A(path) => PlanInput::path(path),
                Either::B(bytes) => PlanInput::bytes(bytes),
            };
            plangate::check(input, &options)
        };
        Ok(done(run().map(ok).map_err(|e| error(&e))))
    }

    fn resolve(&mut self, _: Env, output: String) -> napi::Result<String> {
        Ok(output)
    }
}

/// Checks a plan (a path, or a Buffer with a plan's content); resolves to the outcome's JSON.
#[napi(ts_return_type = "Promise<string>")]
pub fn check_plan(plan: Either<String, Buffer>, options: Option<PlanOptions>) -> AsyncTask<CheckTask> {
    let plan = match plan {
        Either::A(path) => Either::A(path),
        Either::B(buffer) => Either::B(buffer.to_vec()),
    };
    AsyncTask::new(CheckTask { plan, options: options.unwrap_or_default() })
}

fn format(name: &str) -> Result<Format, Value> {
    name.parse().map_err(|e: plangate::UnknownFormat| invalid(e.to_string()))
}

/// Renders a report (as `checkPlan` gave it) in a format; Markdown is held to `max_chars`.
#[napi]
pub fn render_report(
    report_json: String,
    format_name: String,
    label: Option<String>,
    verbose: Option<bool>,
    max_chars: Option<u32>,
) -> String {
    let run = || -> Result<String, Value> {
        let report: Report =
            serde_json::from_str(&report_json).map_err(|e| invalid(format!("not a plangate report: {e}")))?;
        let mut options = RenderOptions::new(label.unwrap_or_else(|| "plan".into())).verbose(verbose.unwrap_or(true));
        if let Some(max) = max_chars {
            options = options.max_chars(max as usize);
        }
        Ok(ok(report::render(&report, format(&format_name)?, &options)))
    };
    done(run())
}

/// One scanner report: a path, or a name and its content.
#[napi(object)]
pub struct ReportSource {
    /// A report file.
    pub path: Option<String>,
    /// How to name a report given by content.
    pub name: Option<String>,
    /// A report's content.
    pub content: Option<Buffer>,
}

/// How to gate scanner reports.
#[napi(object)]
#[derive(Default)]
pub struct ScanGateOptions {
    /// critical, high, medium or low.
    pub fail_on: Option<String>,
    /// A configuration file with a `scan:` section.
    pub config: Option<String>,
    /// A suppressions file.
    pub suppressions: Option<String>,
    /// An earlier `plangate scan -f json` result file.
    pub baseline: Option<String>,
}

/// A [`ReportSource`] with its content copied out of the JavaScript heap, for the thread pool.
struct OwnedSource {
    path: Option<String>,
    name: Option<String>,
    content: Option<Vec<u8>>,
}

/// A scan, run on the thread pool.
pub struct ScanTask {
    reports: Vec<OwnedSource>,
    options: ScanGateOptions,
}

impl Task for ScanTask {
    type Output = String;
    type JsValue = String;

    fn compute(&mut self) -> napi::Result<String> {
        let run = || -> Result<ScanOutcome, Value> {
            let mut options = ScanOptions::default();
            if let Some(path) = &self.options.config {
                let config = Config::from_file(path).map_err(|e| error(&e.into()))?;
                options.gate = config.scan.unwrap_or_default();
            }
            if let Some(severity) = &self.options.fail_on {
                options.gate.fail_on = Some(match ScanSeverity::parse(severity) {
                    s @ (ScanSeverity::Critical | ScanSeverity::High | ScanSeverity::Medium | ScanSeverity::Low) => s,
                    _ => return Err(invalid(format!("failOn {severity:?}: expected critical, high, medium or low"))),
                });
            }
            if let Some(path) = &self.options.suppressions {
                options.suppressions = Suppression::list_from_file(path).map_err(|e| error(&e.into()))?;
            }
            if let Some(path) = &self.options.baseline {
                options.baseline = Baseline::from_file(path).map_err(|e| error(&e.into()))?;
            }
            let mut inputs = Vec::with_capacity(self.reports.len());
            for (i, source) in self.reports.iter().enumerate() {
                inputs.push(match (&source.path, &source.content) {
                    (Some(path), None) => ReportInput::path(path),
                    (None, Some(bytes)) => ReportInput::bytes(source.name.as_deref().unwrap_or("report"), bytes),
                    _ => return Err(invalid(format!("reports[{i}]: give a path, or a content (and a name)"))),
                });
            }
            scan::check(&inputs, &options).map_err(|e| error(&e.into()))
        };
        Ok(done(run().map(ok)))
    }

    fn resolve(&mut self, _: Env, output: String) -> napi::Result<String> {
        Ok(output)
    }
}

/// Reads, validates and gates scanner reports; resolves to the outcome's JSON.
#[napi(ts_return_type = "Promise<string>")]
pub fn scan_reports(reports: Vec<ReportSource>, options: Option<ScanGateOptions>) -> AsyncTask<ScanTask> {
    let reports = reports
        .into_iter()
        .map(|r| OwnedSource { path: r.path, name: r.name, content: r.content.map(|c| c.to_vec()) })
        .collect();
    AsyncTask::new(ScanTask { reports, options: options.unwrap_or_default() })
}

/// Renders a scan result (as `scanReports` gave it) in a format.
#[napi]
pub fn render_scan(result_json: String, format_name: String) -> String {
    let run = || -> Result<String, Value> {
        let outcome: ScanOutcome =
            serde_json::from_str(&result_json).map_err(|e| invalid(format!("not a plangate scan result: {e}")))?;
        Ok(ok(scan::render(&outcome, format(&format_name)?)))
    };
    done(run())
}

/// A retry policy: a step of a configuration file, or settings.
#[napi(object)]
#[derive(Default)]
pub struct RetryOptions {
    /// A configuration file with a `resilience:` section (with `step`).
    pub config: Option<String>,
    /// The step under `resilience.steps`.
    pub step: Option<String>,
    /// All attempts, the first included.
    pub max_attempts: Option<u32>,
    /// The base delay before the first retry, in seconds.
    pub initial_delay: Option<f64>,
    /// The ceiling of every delay.
    pub max_delay: Option<f64>,
    /// The growth of the base delay.
    pub backoff_factor: Option<f64>,
    /// none, full, equal or decorrelated.
    pub jitter: Option<String>,
    /// The budget of all delays together.
    pub max_total_delay: Option<f64>,
    /// Patterns of failures worth retrying.
    pub retry_on: Option<Vec<String>>,
    /// The jitter's seed (a fresh one when absent).
    pub seed: Option<u32>,
    /// How many delays to list at most (default 100).
    pub limit: Option<u32>,
}

fn retry_policy(options: &RetryOptions) -> Result<(RetryStrategy, Classifier), Value> {
    if let Some(path) = &options.config {
        let step = options.step.as_deref().ok_or_else(|| invalid("config needs a step"))?;
        let config = Config::from_file(path).map_err(|e| error(&e.into()))?;
        let resilience = config.resilience.ok_or_else(|| invalid(format!("{path} has no `resilience:` section")))?;
        let policy = resilience.step(step).map_err(|e| error(&e.into()))?;
        return Ok((policy.retry, policy.classifier));
    }
    let defaults = RetryStrategy::default();
    let jitter = match options.jitter.as_deref() {
        None => defaults.jitter,
        Some("none") => Jitter::None,
        Some("full") => Jitter::Full,
        Some("equal") => Jitter::Equal,
        Some("decorrelated") => Jitter::Decorrelated,
        Some(other) => return Err(invalid(format!("jitter {other:?}: expected none, full, equal or decorrelated"))),
    };
    let strategy = RetryStrategy {
        max_attempts: options.max_attempts.unwrap_or(defaults.max_attempts),
        initial_delay: options.initial_delay.unwrap_or(defaults.initial_delay),
        max_delay: options.max_delay.unwrap_or(defaults.max_delay),
        backoff_factor: options.backoff_factor.unwrap_or(defaults.backoff_factor),
        jitter,
        max_total_delay: options.max_total_delay,
    };
    let problems = strategy.problems();
    if !problems.is_empty() {
        return Err(invalid(format!("retry strategy: {}", problems.join("; "))));
    }
    let patterns = options
        .retry_on
        .iter()
        .flatten()
        .map(|p| Pattern::parse(p))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| invalid(format!("retryOn: {e}")))?;
    Ok((strategy, Classifier::new(patterns)))
}

/// The delays of a retry policy: `{"delays": [...], "maxAttempts": n, "complete": bool}`.
#[napi]
pub fn retry_schedule(options: RetryOptions) -> String {
    let run = || -> Result<String, Value> {
        let (strategy, _) = retry_policy(&options)?;
        let seed = options.seed.map_or_else(|| plangate::resilience::Random::from_clock().next_u64(), u64::from);
        let limit = options.limit.unwrap_or(100) as usize;
        let mut delays = strategy.delays(seed);
        let listed: Vec<f64> = delays.by_ref().take(limit).collect();
        let complete = listed.len() < limit || delays.next().is_none();
        Ok(ok(json!({"delays": listed, "maxAttempts": strategy.max_attempts, "complete": complete})))
    };
    done(run())
}

/// Classifies a failure's text under a retry policy's `retry_on` patterns.
#[napi]
pub fn classify(text: String, options: RetryOptions) -> String {
    let run = || -> Result<String, Value> {
        let (_, classifier) = retry_policy(&options)?;
        let classification = classifier.classify(&text);
        let retryable = classification.class != plangate::resilience::ErrorClass::Permanent;
        Ok(ok(json!({"class": classification.class, "matched": classification.matched, "retryable": retryable})))
    };
    done(run())
}

/// Where each resource address is declared in the Terraform sources of `dir`.
#[napi]
pub fn source_locations(dir: String, addresses: Vec<String>) -> String {
    let run = || -> Result<String, Value> {
        let sources = SourceMap::load(PathBuf::from(&dir), None).map_err(|e| error(&e.into()))?;
        let located: Vec<Value> = addresses
            .iter()
            .map(|address| match sources.locate(address) {
                Ok(l) => json!({"address": address, "file": l.file, "startLine": l.start_line, "endLine": l.end_line}),
                Err(unmapped) => json!({"address": address, "unmapped": unmapped}),
            })
            .collect();
        Ok(ok(located))
    };
    done(run())
}

/// Untrusted text escaped for Markdown and HTML on one line, as the reports escape it.
#[napi]
pub fn escape_markdown(text: String) -> String {
    report::escape_markdown(&text)
}

/// Every rule of the registry.
#[napi]
pub fn rules() -> String {
    let rules: Vec<Value> = plangate::registry::REGISTRY
        .iter()
        .map(|r| json!({"id": r.id, "title": r.title, "severity": r.severity, "category": r.category, "doc": r.doc}))
        .collect();
    ok(rules)
}

/// What `plangate explain ID` prints.
#[napi]
pub fn explain(id: String) -> String {
    done(
        plangate::registry::find(&id)
            .map(|rule| ok(rule.explanation()))
            .ok_or_else(|| invalid(format!("no rule {id:?}: rules() lists them (ids look like PG-DEL-001)"))),
    )
}
