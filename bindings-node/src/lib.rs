//! The native half of plangate for Node.js. Thin: each function converts its arguments into the
//! engine's settings, calls the core's entry point and hands back JSON: `{"ok": value}`, or
//! `{"error": {code, message, path, line, column, jsonPath, key, expected, found, errors}}` built in
//! one place ([`error`]); `checkPlan` hands back a [`CheckedPlan`], whose parts are that JSON. The
//! JavaScript half (`index.js`) turns an error into an `Error` with those properties. Long work
//! (plans, reports) runs off the JavaScript thread as an `AsyncTask`.

use std::path::PathBuf;

use napi::bindgen_prelude::{AsyncTask, Buffer, Either, ObjectFinalize};
use napi::{Env, Task};
use napi_derive::napi;
use serde_json::{json, Value};

use plangate::report::{self, DriftEntry, RenderOptions, Run};
use plangate::resilience::Random;
use plangate::scan::{self, ReportInput, ScanOutcome};
use plangate::settings::whole;
use plangate::source::SourceMap;
use plangate::{ConfigSource, Finding, Format, PlanInput, Report, RetrySettings, Settings};

/// As in the CLI (`cli/src/main.rs` says why): `checkPlan` on the 100 MB plan of
/// `benches/whole_process.py` took 1.14x the CLI's time with glibc's malloc, 1.04x with mimalloc.
/// Unlike the CLI's, its arenas are committed eagerly (mimalloc's default): that costs a process
/// ~1 ms and ~10 MiB once, nothing beside Node's own start (~67 ms, 45 MiB), and committing lazily
/// took back half of the time won (1.11x).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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

fn invalid(name: &str, message: impl Into<String>) -> Value {
    error(&plangate::Error::argument(name, message))
}

/// An outcome as JavaScript receives it. The value is written straight into the text: a report of
/// thousands of findings built as a `Value` first costs as much as the rest of the call's output.
fn done<T: serde::Serialize>(outcome: Result<T, Value>) -> String {
    #[derive(serde::Serialize)]
    struct Done<T> {
        ok: T,
    }
    match outcome {
        // As with `json!`, only a map with keys that are not strings could fail: outcomes have none.
        Ok(ok) => serde_json::to_string(&Done { ok }).expect("an outcome serializes"),
        Err(e) => e.to_string(),
    }
}

fn engine<T>(outcome: Result<T, impl Into<plangate::Error>>) -> Result<T, Value> {
    outcome.map_err(|e| error(&e.into()))
}

/// What a check or a scan was asked, as JavaScript gives it: converted into the engine's
/// [`Settings`], which decides everything.
#[napi(object)]
#[derive(Default, Clone)]
pub struct CheckOptions {
    /// A configuration file.
    pub config: Option<String>,
    /// Configuration YAML text (instead of a file).
    pub config_yaml: Option<String>,
    /// A preset: develop, staging or production.
    pub env: Option<String>,
    /// Fail on any high-risk change (or not), whatever the policy says.
    pub fail_on_high_risk: Option<bool>,
    /// How binary plans are read: auto, native or terraform.
    pub plan_reader: Option<String>,
    /// Schema tables beside the configuration's.
    pub schema_tables: Option<Vec<String>>,
    /// The Terraform working directory, to locate findings in the `.tf` files.
    pub source_dir: Option<String>,
    /// What file paths are relative to when the sources are in no git repository.
    pub source_root: Option<String>,
    /// How errors name the plan (`checkPlan`).
    pub label: Option<String>,
    /// The scanner gate: critical, high, medium or low.
    pub fail_on: Option<String>,
    /// A suppressions file.
    pub suppressions: Option<String>,
    /// An earlier `plangate scan -f json` result file.
    pub baseline: Option<String>,
}

impl CheckOptions {
    fn settings(&self) -> Settings {
        let mut settings = Settings::default();
        settings.config = match (&self.config, &self.config_yaml) {
            (Some(path), _) => Some(ConfigSource::File(path.into())),
            (None, Some(text)) => Some(ConfigSource::Yaml { text: text.clone(), origin: "configYaml".into() }),
            (None, None) => None,
        };
        settings.environment.clone_from(&self.env);
        settings.fail_on_high_risk = self.fail_on_high_risk;
        settings.plan_reader.clone_from(&self.plan_reader);
        settings.schema_tables = self.schema_tables.iter().flatten().map(PathBuf::from).collect();
        settings.source_dir = self.source_dir.as_ref().map(PathBuf::from);
        settings.source_root = self.source_root.as_ref().map(PathBuf::from);
        settings.fail_on.clone_from(&self.fail_on);
        settings.suppressions = self.suppressions.as_ref().map(PathBuf::from);
        settings.baseline = self.baseline.as_ref().map(PathBuf::from);
        settings
    }
}

/// A plan check, run on the thread pool.
pub struct CheckTask {
    plan: Either<String, Vec<u8>>,
    options: CheckOptions,
}

impl Task for CheckTask {
    type Output = CheckedPlan;
    type JsValue = CheckedPlan;

    fn compute(&mut self) -> napi::Result<CheckedPlan> {
        let run = || -> Result<Report, Value> {
            let mut options = engine(self.options.settings().resolve())?.check;
            options.label.clone_from(&self.options.label);
            let input = match &self.plan {
                Either::A(path) => PlanInput::path(path),
                Either::B(bytes) => PlanInput::bytes(bytes),
            };
            engine(plangate::check(input, &options))
        };
        Ok(CheckedPlan::new(run()))
    }

    fn resolve(&mut self, env: Env, output: CheckedPlan) -> napi::Result<CheckedPlan> {
        env.adjust_external_memory(output.held())?;
        Ok(output)
    }
}

/// A checked plan as JavaScript receives it: the outcome's JSON with `findings` and `drift` left
/// empty, and those two lists written only when JavaScript first reads them (`index.js`), as
/// Python's `Report` makes its findings on first use. On the 100 MB plan of
/// `benches/whole_process.py` they are all but 600 bytes of the outcome's 3.8 MB: writing them and
/// `JSON.parse` reading them back took about a sixth of a whole `checkPlan` (257 -> 211 ms), for
/// callers that may only want the verdict.
///
/// The lists wait in Rust memory, which V8 cannot see, so it is told how much they hold. Untold, a
/// loop of checks that never read them grew by their size each time until a collection happened to
/// run: 300 checks of a 10 MB plan went from 148 to 315 MiB; told, they stay within 118-168 MiB.
#[napi(custom_finalize)]
pub struct CheckedPlan {
    outcome: String,
    findings: Vec<Finding>,
    drift: Vec<DriftEntry>,
}

impl CheckedPlan {
    fn new(outcome: Result<Report, Value>) -> CheckedPlan {
        match outcome {
            Ok(mut report) => {
                let (findings, drift) = (std::mem::take(&mut report.findings), std::mem::take(&mut report.drift));
                CheckedPlan { outcome: done(Ok(report)), findings, drift }
            }
            Err(error) => CheckedPlan { outcome: done::<Report>(Err(error)), findings: Vec::new(), drift: Vec::new() },
        }
    }

    /// What V8 is told the lists still held here take, in bytes.
    fn held(&self) -> i64 {
        held(&self.findings) + held(&self.drift)
    }
}

#[napi]
impl CheckedPlan {
    /// `{"ok": report}` with its two lists empty, or `{"error": …}`. Each method hands its part
    /// over once: JavaScript keeps what it parsed, and the Rust copy is freed.
    #[napi]
    pub fn outcome(&mut self) -> String {
        std::mem::take(&mut self.outcome)
    }

    /// The findings' JSON.
    #[napi]
    pub fn findings(&mut self, env: Env) -> napi::Result<String> {
        hand_over(env, &mut self.findings)
    }

    /// The drift's JSON.
    #[napi]
    pub fn drift(&mut self, env: Env) -> napi::Result<String> {
        hand_over(env, &mut self.drift)
    }
}

impl ObjectFinalize for CheckedPlan {
    fn finalize(self, env: Env) -> napi::Result<()> {
        // What was read is already taken back; what was not is told freed now.
        env.adjust_external_memory(-self.held()).map(drop)
    }
}

/// About what a list of findings or drift entries holds: the items, and the text they own (a
/// finding's address, rule and message, ~300 bytes as JSON).
fn held<T>(items: &[T]) -> i64 {
    i64::try_from(items.len() * (std::mem::size_of::<T>() + 256)).unwrap_or(i64::MAX)
}

/// A list held for JavaScript as its JSON, taken out (so it is handed over once) and taken back
/// from what V8 was told is held.
fn hand_over<T: serde::Serialize>(env: Env, items: &mut Vec<T>) -> napi::Result<String> {
    let items = std::mem::take(items);
    env.adjust_external_memory(-held(&items))?;
    // As in `done`: a list of outcome parts has no map with keys that are not strings.
    Ok(serde_json::to_string(&items).expect("a report's list serializes"))
}

/// Checks a plan (a path, or a Buffer with a plan's content); resolves to the checked plan, whose
/// parts are JSON.
#[napi(ts_return_type = "Promise<CheckedPlan>")]
pub fn check_plan(plan: Either<String, Buffer>, options: Option<CheckOptions>) -> AsyncTask<CheckTask> {
    let plan = match plan {
        Either::A(path) => Either::A(path),
        Either::B(buffer) => Either::B(buffer.to_vec()),
    };
    AsyncTask::new(CheckTask { plan, options: options.unwrap_or_default() })
}

/// One input to read: a path, or a name and its content.
#[napi(object)]
pub struct Source {
    /// A file.
    pub path: Option<String>,
    /// How to name an input given by content.
    pub name: Option<String>,
    /// An input's content.
    pub content: Option<Buffer>,
}

/// A [`Source`] with its content copied out of the JavaScript heap, for the thread pool.
struct OwnedSource {
    name: String,
    path: Option<PathBuf>,
    content: Option<Vec<u8>>,
}

fn owned(sources: Vec<Source>, what: &str) -> Result<Vec<OwnedSource>, Value> {
    sources
        .into_iter()
        .enumerate()
        .map(|(i, s)| match (s.path, s.content) {
            (Some(path), None) => {
                Ok(OwnedSource { name: s.name.unwrap_or_else(|| path.clone()), path: Some(path.into()), content: None })
            }
            (None, Some(content)) => Ok(OwnedSource {
                name: s.name.unwrap_or_else(|| format!("{what}[{i}]")),
                path: None,
                content: Some(content.to_vec()),
            }),
            _ => Err(invalid(what, format!("{what}[{i}]: give a path, or a content (and a name)"))),
        })
        .collect()
}

fn report_inputs(reports: &[OwnedSource]) -> Vec<ReportInput<'_>> {
    reports
        .iter()
        .map(|r| match (&r.path, &r.content) {
            (Some(path), _) => ReportInput::path(path),
            (None, content) => ReportInput::bytes(&r.name, content.as_deref().unwrap_or_default()),
        })
        .collect()
}

/// Several plans and scanner reports checked together, run on the thread pool.
pub struct RunTask {
    plans: Result<Vec<OwnedSource>, Value>,
    reports: Result<Vec<OwnedSource>, Value>,
    options: CheckOptions,
}

impl Task for RunTask {
    type Output = String;
    type JsValue = String;

    fn compute(&mut self) -> napi::Result<String> {
        let run = || -> Result<Run, Value> {
            let (plans, reports) =
                (self.plans.as_ref().map_err(Clone::clone)?, self.reports.as_ref().map_err(Clone::clone)?);
            let resolved = engine(self.options.settings().resolve())?;
            let inputs: Vec<(String, PlanInput)> = plans
                .iter()
                .map(|p| {
                    let input = match (&p.path, &p.content) {
                        (Some(path), _) => PlanInput::path(path),
                        (None, content) => PlanInput::bytes(content.as_deref().unwrap_or_default()),
                    };
                    (p.name.clone(), input)
                })
                .collect();
            Ok(plangate::check_all(&inputs, &resolved.check, &report_inputs(reports), &resolved.scan))
        };
        Ok(done(run()))
    }

    fn resolve(&mut self, _: Env, output: String) -> napi::Result<String> {
        Ok(output)
    }
}

/// Checks several plans and gates scanner reports beside them; resolves to the run's JSON (the
/// worst verdict, every plan's report, every input that cannot be read).
#[napi(ts_return_type = "Promise<string>")]
pub fn check_plans(plans: Vec<Source>, reports: Vec<Source>, options: Option<CheckOptions>) -> AsyncTask<RunTask> {
    AsyncTask::new(RunTask {
        plans: owned(plans, "plans"),
        reports: owned(reports, "reports"),
        options: options.unwrap_or_default(),
    })
}

fn format(name: &str) -> Result<Format, Value> {
    name.parse().map_err(|e: plangate::UnknownFormat| invalid("format", e.to_string()))
}

/// How a report or a run is rendered.
#[napi(object)]
#[derive(Default)]
pub struct RenderSettings {
    /// How the plan is named (a run names each plan itself).
    pub label: Option<String>,
    /// Show notices and drift in the text report (default true).
    pub verbose: Option<bool>,
    /// The most bytes the Markdown may have.
    pub max_bytes: Option<f64>,
}

impl RenderSettings {
    fn options(&self) -> Result<RenderOptions, Value> {
        let mut options = RenderOptions::new(self.label.clone().unwrap_or_else(|| "plan".into()))
            .verbose(self.verbose.unwrap_or(true));
        if let Some(max) = self.max_bytes {
            let max = whole(max, u32::MAX.into())
                .ok_or_else(|| invalid("maxBytes", format!("expected a whole number of bytes, found {max}")))?;
            options = options.max_bytes(max as usize);
        }
        Ok(options)
    }
}

/// Renders a report (as `checkPlan` gave it) in a format.
#[napi]
pub fn render_report(report_json: String, format_name: String, settings: Option<RenderSettings>) -> String {
    let run = || -> Result<String, Value> {
        let report: Report =
            serde_json::from_str(&report_json).map_err(|e| invalid("report", format!("not a plangate report: {e}")))?;
        Ok(report::render(&report, format(&format_name)?, &settings.unwrap_or_default().options()?))
    };
    done(run())
}

/// Renders a run (as `checkPlans` gave it) in a format: annotations, the Markdown of a comment or
/// a job summary (held to `maxBytes`), SARIF with a run per plan, text, JSON.
#[napi]
pub fn render_run(run_json: String, format_name: String, settings: Option<RenderSettings>) -> String {
    let run = || -> Result<String, Value> {
        let run: Run =
            serde_json::from_str(&run_json).map_err(|e| invalid("run", format!("not a plangate run: {e}")))?;
        Ok(report::render_run(&run, format(&format_name)?, &settings.unwrap_or_default().options()?))
    };
    done(run())
}

/// A scan, run on the thread pool.
pub struct ScanTask {
    reports: Result<Vec<OwnedSource>, Value>,
    options: CheckOptions,
}

impl Task for ScanTask {
    type Output = String;
    type JsValue = String;

    fn compute(&mut self) -> napi::Result<String> {
        let run = || -> Result<ScanOutcome, Value> {
            let reports = self.reports.as_ref().map_err(Clone::clone)?;
            let options = engine(self.options.settings().resolve())?.scan;
            engine(scan::check(&report_inputs(reports), &options))
        };
        Ok(done(run()))
    }

    fn resolve(&mut self, _: Env, output: String) -> napi::Result<String> {
        Ok(output)
    }
}

/// Reads, validates and gates scanner reports; resolves to the outcome's JSON.
#[napi(ts_return_type = "Promise<string>")]
pub fn scan_reports(reports: Vec<Source>, options: Option<CheckOptions>) -> AsyncTask<ScanTask> {
    AsyncTask::new(ScanTask { reports: owned(reports, "reports"), options: options.unwrap_or_default() })
}

/// Renders a scan result (as `scanReports` gave it) in a format.
#[napi]
pub fn render_scan(result_json: String, format_name: String) -> String {
    let run = || -> Result<String, Value> {
        let outcome: ScanOutcome = serde_json::from_str(&result_json)
            .map_err(|e| invalid("result", format!("not a plangate scan result: {e}")))?;
        Ok(scan::render(&outcome, format(&format_name)?))
    };
    done(run())
}

/// A retry policy: a step of a configuration file, or settings. Numbers are taken as JavaScript
/// holds them and checked by the engine: never wrapped to 32 bits.
#[napi(object)]
#[derive(Default)]
pub struct RetryOptions {
    /// A configuration file with a `resilience:` section (with `step`).
    pub config: Option<String>,
    /// The step under `resilience.steps`.
    pub step: Option<String>,
    /// All attempts, the first included.
    pub max_attempts: Option<f64>,
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
    /// The jitter's seed (a fresh one when absent): a whole number up to 2^53.
    pub seed: Option<f64>,
    /// How many delays to list at most: 1 to 10,000 (default 100).
    pub limit: Option<f64>,
}

impl RetryOptions {
    fn settings(&self) -> RetrySettings {
        let mut settings = RetrySettings::default();
        settings.config = self.config.as_ref().map(PathBuf::from);
        settings.step.clone_from(&self.step);
        settings.max_attempts = self.max_attempts;
        settings.initial_delay = self.initial_delay;
        settings.max_delay = self.max_delay;
        settings.backoff_factor = self.backoff_factor;
        settings.jitter.clone_from(&self.jitter);
        settings.max_total_delay = self.max_total_delay;
        settings.retry_on = self.retry_on.clone().unwrap_or_default();
        settings
    }
}

/// The most delays `retrySchedule` lists: enough for any schedule a person reads.
const MAX_LISTED: u64 = 10_000;

/// The delays of a retry policy: `{"delays": [...], "maxAttempts": n, "complete": bool}`.
#[napi]
pub fn retry_schedule(options: RetryOptions) -> String {
    let run = || -> Result<Value, Value> {
        let step = engine(options.settings().resolve())?;
        let seed = match options.seed {
            None => Random::from_clock().next_u64(),
            Some(seed) => whole(seed, 1 << 53)
                .ok_or_else(|| invalid("seed", format!("expected a whole number from 0 to 2^53, found {seed}")))?,
        };
        let limit = match options.limit {
            None => 100,
            Some(limit) => whole(limit, MAX_LISTED).filter(|&n| n > 0).ok_or_else(|| {
                invalid("limit", format!("expected a whole number from 1 to {MAX_LISTED}, found {limit}"))
            })?,
        } as usize;
        let mut delays = step.retry.delays(seed);
        let listed: Vec<f64> = delays.by_ref().take(limit).collect();
        let complete = listed.len() < limit || delays.next().is_none();
        Ok(json!({"delays": listed, "maxAttempts": step.retry.max_attempts, "complete": complete}))
    };
    done(run())
}

/// Classifies a failure's text under a retry policy's `retry_on` patterns.
#[napi]
pub fn classify(text: String, options: RetryOptions) -> String {
    done(engine(options.settings().resolve()).map(|step| step.classifier.classify(&text)))
}

/// Where each resource address is declared in the Terraform sources of `dir`.
#[napi]
pub fn source_locations(dir: String, addresses: Vec<String>) -> String {
    let run = || -> Result<Vec<Value>, Value> {
        let sources = engine(SourceMap::load(PathBuf::from(&dir), None))?;
        Ok(addresses
            .iter()
            .map(|address| match sources.locate(address) {
                Ok(l) => json!({"address": address, "file": l.file, "startLine": l.start_line, "endLine": l.end_line}),
                Err(unmapped) => json!({"address": address, "unmapped": unmapped}),
            })
            .collect())
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
    done(Ok::<_, Value>(plangate::registry::rules()))
}

/// What `plangate explain ID` prints.
#[napi]
pub fn explain(id: String) -> String {
    done(plangate::rules::explain(&id).map_err(|e| error(&e.into())))
}

/// How `postComment` writes the sticky comment: the request is the one the runner's variables
/// name (`GITHUB_*` on GitHub Actions, each CI's own elsewhere).
#[napi(object)]
#[derive(Default, Clone)]
pub struct CommentSettings {
    /// github, gitlab, azure-devops or bitbucket.
    pub provider: String,
    /// The token; without it, the provider's own variable (`GITHUB_TOKEN`, `GITLAB_TOKEN`, …).
    pub token: Option<String>,
    /// Reports with the same key share one comment (default: the plans' names).
    pub key: Option<String>,
    /// update, hide-and-new, delete-and-new or new.
    pub behaviour: Option<String>,
    /// Write even when the comment already shows this report.
    pub refresh: Option<bool>,
    /// Seconds all calls may take together (default 60).
    pub timeout: Option<f64>,
}

/// A comment, written on the thread pool: the engine's sticky-comment code over its HTTP client.
pub struct CommentTask {
    run_json: String,
    settings: CommentSettings,
}

impl Task for CommentTask {
    type Output = String;
    type JsValue = String;

    fn compute(&mut self) -> napi::Result<String> {
        use plangate::comment::{self, CommentError, Request, UreqHttp};
        use plangate::resilience::{SystemClock, ThreadSleep};
        let run = || -> Result<comment::Outcome, Value> {
            let run: Run =
                serde_json::from_str(&self.run_json).map_err(|e| invalid("run", format!("not a plangate run: {e}")))?;
            let settings = self.settings.clone();
            let mut request = Request::new(settings.provider);
            request.token = settings.token;
            request.key = settings.key;
            request.behaviour = settings.behaviour;
            request.refresh = settings.refresh.unwrap_or(false);
            request.timeout = settings.timeout;
            let env = |name: &str| std::env::var(name).ok();
            comment::post_run(&run, &request, &env, &UreqHttp::new(), &SystemClock, &mut ThreadSleep).map_err(|e| {
                match e {
                    CommentError::Argument { name, message } => invalid(&name, message),
                    other => invalid("provider", other.to_string()),
                }
            })
        };
        Ok(done(run()))
    }

    fn resolve(&mut self, _: Env, output: String) -> napi::Result<String> {
        Ok(output)
    }
}

/// Writes a run (as `checkPlans` gave it) as the sticky comment on the pull request; never fails
/// for the comment's sake: the outcome carries warnings.
#[napi]
pub fn post_comment(run_json: String, settings: CommentSettings) -> AsyncTask<CommentTask> {
    AsyncTask::new(CommentTask { run_json, settings })
}
