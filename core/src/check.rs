//! The plan check, the engine's main job: a plan and a policy in, a [`Report`] out. The CLI and the
//! bindings all call [`check`]; nothing else reads a plan for them.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use std::sync::{Mutex, PoisonError};

use rayon::iter::{IntoParallelIterator as _, ParallelIterator as _};
use rayon::slice::ParallelSliceMut as _;

use crate::date::Date;
use crate::error::Error;
use crate::limits::Limits;
use crate::plan::reader::offset_in;
use crate::plan::{self, Action, Change, Interrupt, PlanError, Section, Unjudged};
use crate::policy::verdict::{self, Counts};
use crate::policy::Policy;
use crate::report::{Finding, InputError, PlanReport, Report, Run, SCHEMA_VERSION};
use crate::rules::{Context, Drifted, Judged, PlanJudge};
use crate::scan::{ReportInput, ScanOptions};
use crate::source::SourceMap;

/// A plan to check: JSON from `terraform show -json` (UTF-8 with or without a BOM, or UTF-16 with a
/// BOM), or a binary plan file written by `terraform plan -out`, recognised by its content.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum PlanInput<'a> {
    /// A file; large files are memory-mapped rather than read.
    Path(&'a Path),
    /// The plan's content, e.g. an S3 object's body.
    Bytes(&'a [u8]),
    /// Standard input, read to its end.
    Stdin,
}

impl<'a> PlanInput<'a> {
    /// A plan file.
    pub fn path(path: &'a (impl AsRef<Path> + ?Sized)) -> PlanInput<'a> {
        PlanInput::Path(path.as_ref())
    }

    /// A plan's content.
    pub fn bytes(bytes: &'a [u8]) -> PlanInput<'a> {
        PlanInput::Bytes(bytes)
    }

    /// How errors name the plan when the options give no label.
    fn default_label(self) -> Option<String> {
        match self {
            PlanInput::Path(path) => Some(path.display().to_string()),
            PlanInput::Bytes(_) => None,
            PlanInput::Stdin => Some("stdin".into()),
        }
    }
}

/// How to check a plan.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct CheckOptions {
    /// What the plan is judged by.
    pub policy: Policy,
    /// The day waivers are judged on; `None` is today (UTC).
    pub today: Option<Date>,
    /// How errors name the plan; `None` names it by its path (or `stdin`, or "the plan").
    pub label: Option<String>,
    /// The Terraform working directory the plan was made from: each finding then says where its
    /// resource is declared (`file:line`, relative to the enclosing git repository).
    pub source_dir: Option<PathBuf>,
    /// What `file` paths are relative to when `source_dir` is in no git repository; `None` is the
    /// source directory itself.
    pub source_root: Option<PathBuf>,
    /// The input limits; `None` is [`Limits::from_env`] (the defaults, or the `PLANGATE_MAX_*`
    /// variables).
    pub limits: Option<Limits>,
    /// Asked while the check waits for a stream (a FIFO nothing writes to yet) whether to stop
    /// waiting: how a host makes the wait interruptible (Python's Ctrl-C). The check then fails
    /// with an I/O error saying it was interrupted.
    pub interrupt: Option<Interrupt>,
}

impl CheckOptions {
    /// Options judging by `policy`, as of today.
    pub fn new(policy: Policy) -> CheckOptions {
        CheckOptions {
            policy,
            today: None,
            label: None,
            source_dir: None,
            source_root: None,
            limits: None,
            interrupt: None,
        }
    }

    /// The same, judging waivers as of `today`.
    pub fn today(mut self, today: Date) -> CheckOptions {
        self.today = Some(today);
        self
    }

    /// The same, locating findings in the Terraform sources of `dir`.
    pub fn source_dir(mut self, dir: impl Into<PathBuf>) -> CheckOptions {
        self.source_dir = Some(dir.into());
        self
    }

    /// The same, naming the plan `label` in errors.
    pub fn label(mut self, label: impl Into<String>) -> CheckOptions {
        self.label = Some(label.into());
        self
    }
}

/// Checks a plan: reads it (streaming; binary plans through terraform), judges every change with
/// the rules, and decides the verdict.
///
/// # Errors
/// [`Error::Plan`] when the plan cannot be read or is not a valid plan: never a verdict.
/// [`Error::Source`] when the source directory cannot be read.
pub fn check(input: PlanInput<'_>, options: &CheckOptions) -> Result<Report, Error> {
    let label = options.label.clone().or_else(|| input.default_label());
    let today = options.today.unwrap_or_else(Date::today);
    let limits = match options.limits {
        Some(limits) => limits,
        None => Limits::from_env()?,
    };
    let policy = &options.policy;
    let analysed = match input {
        PlanInput::Path(path) => plan::load(path, &limits, options.interrupt.as_ref()).and_then(|plan| {
            let analysed = analyze_input(&plan, &|span| plan.release(span), Some(path), policy, &limits, today);
            // A file cut meanwhile read as zeros: whatever came of it, report the cut.
            plan.unchanged().and(analysed)
        }),
        PlanInput::Stdin => {
            plan::load_stdin(&limits).and_then(|plan| analyze_input(&plan, &|_| {}, None, policy, &limits, today))
        }
        PlanInput::Bytes(bytes) => {
            plan::check_bytes(bytes, &limits).and_then(|()| analyze_input(bytes, &|_| {}, None, policy, &limits, today))
        }
    };
    let mut report = analysed.map_err(|error| Error::Plan { plan: label, error })?;
    if let Some(dir) = &options.source_dir {
        let sources = SourceMap::load(dir, options.source_root.as_deref())?;
        let findings = report.findings.iter_mut().chain(report.drift.iter_mut().flat_map(|d| d.flags.iter_mut()));
        for finding in findings {
            let deleted = matches!(finding.actions, Action::Delete | Action::Forget);
            finding.location = Some(sources.declared(&finding.address, deleted));
        }
    }
    Ok(report)
}

/// Checks several plans, each under its name, and gates scanner reports beside them: every plan's
/// report, or why it cannot be read, and one verdict, the worst (see [`Run`]). A plan that cannot
/// be read does not stop the others.
pub fn check_all(
    plans: &[(String, PlanInput<'_>)],
    options: &CheckOptions,
    reports: &[ReportInput<'_>],
    scan: &ScanOptions,
) -> Run {
    let mut checked = Vec::new();
    let mut errors = Vec::new();
    for (name, input) in plans {
        let options = CheckOptions { label: Some(name.clone()), ..options.clone() };
        match check(*input, &options) {
            Ok(report) => checked.push(PlanReport { plan: name.clone(), report }),
            Err(e) => {
                errors.push(InputError { plan: name.clone(), message: e.to_string(), code: e.kind().code().into() })
            }
        }
    }
    let mut outcome = None;
    if !reports.is_empty() {
        match crate::scan::check(reports, scan) {
            Ok(scanned) => outcome = Some(scanned),
            Err(failed) => {
                let e = Error::from(failed);
                let names: Vec<String> = reports
                    .iter()
                    .map(|r| match r {
                        ReportInput::Path(path) => path.display().to_string(),
                        ReportInput::Bytes { name, .. } => name.to_string(),
                    })
                    .collect();
                errors.push(InputError {
                    plan: names.join(", "),
                    message: e.to_string(),
                    code: e.kind().code().into(),
                });
            }
        }
    }
    Run::new(checked, errors, outcome)
}

/// Analyzes plan bytes: JSON as it is (calling `release` with each part of the bytes nothing reads
/// again, which a memory-mapped plan gives back), a binary plan through the binary reader (`path`
/// is its file, if any).
fn analyze_input(
    bytes: &[u8],
    release: &(dyn Fn(&[u8]) + Sync),
    path: Option<&Path>,
    policy: &Policy,
    limits: &Limits,
    today: Date,
) -> Result<Report, PlanError> {
    let ctx = Context::new(&policy.rules, today);
    if !plan::encoding::is_binary_plan(bytes) {
        return match plan::encoding::decode(bytes)? {
            Cow::Borrowed(text) => analyze_plan_releasing(text, policy, ctx, release),
            // Decoded into new text: nothing of the bytes is read again anyway.
            Cow::Owned(text) => analyze_plan_releasing(&text, policy, ctx, &|_| {}),
        };
    }
    let reading = plan::read_binary(bytes, path, &policy.plan_reading, limits)?;
    let masked: Vec<&str> = reading.masked.iter().map(String::as_str).collect();
    let ctx = match reading.held {
        Some(held) => ctx.reading_natively(&masked, held),
        None => ctx,
    };
    let mut report = analyze_plan_releasing(&reading.json, policy, ctx, &|_| {})?;
    report.plan.read_by = Some(reading.read_by);
    report.plan.masked_providers = reading.masked;
    Ok(report)
}

/// What one batch of entries came to, or the first error among them.
enum Batch {
    Changes(Result<Vec<Judged>, PlanError>),
    Drift(Result<Vec<Drifted>, PlanError>),
}

/// What judged changes add up to: tallied batch by batch on every core, then summed in plan order.
#[derive(Default)]
struct Tally {
    counts: Counts,
    actions: plan::ActionCounts,
    findings: Vec<Finding>,
    unjudged: Vec<Unjudged>,
}

impl Tally {
    /// The changes of one batch.
    fn of(judged: Vec<Judged>) -> Tally {
        let mut tally = Tally::default();
        for mut change in judged {
            tally.actions.add(change.action);
            tally.counts.add(change.counted, &change.findings);
            tally.findings.append(&mut change.findings);
            tally.unjudged.extend(change.unjudged);
        }
        tally
    }

    /// The tallies of consecutive batches as one, in their order.
    fn sum(tallies: Vec<Tally>) -> Tally {
        let mut sum = Tally::default();
        sum.findings.reserve_exact(tallies.iter().map(|t| t.findings.len()).sum());
        for mut tally in tallies {
            sum.counts = sum.counts.plus(tally.counts);
            sum.actions = sum.actions.plus(tally.actions);
            sum.findings.append(&mut tally.findings);
            sum.unjudged.append(&mut tally.unjudged);
        }
        sum
    }
}

/// The judged change at `index` of `resource_changes`, in batches listed with their first index.
fn judged_at(batches: &mut [(usize, Vec<Judged>)], index: usize) -> Option<&mut Judged> {
    let batch = batches.partition_point(|(first, _)| *first <= index).checked_sub(1)?;
    let (first, judged) = &mut batches[batch];
    judged.get_mut(index - *first)
}

/// Analyzes decoded UTF-8 plan text, calling `release` with each skipped section once it is
/// scanned and each batch of entries once it is judged; `ctx` says how the plan was read (a native
/// reading's masked providers and sections). The streaming pass hands batches of entries to rayon
/// workers as it scans them, so the rules run on the other core while the rest of the plan is
/// scanned; each change is parsed, judged and dropped within its task, so its values never outlive
/// the rules.
fn analyze_plan_releasing(
    text: &[u8],
    policy: &Policy,
    ctx: Context<'_>,
    release: &(dyn Fn(&[u8]) + Sync),
) -> Result<Report, PlanError> {
    let judge = PlanJudge::new(ctx);
    let batches: Mutex<Vec<(Section, usize, Batch)>> = Mutex::new(Vec::new());
    let plan::Outline { header, invocations } = rayon::in_place_scope(|scope| {
        // What reads the whole plan at once starts now, beside the streaming pass.
        let judge = &judge;
        scope.spawn(move |_| judge.prepare(text));
        plan::read_streaming(
            text,
            |section, first, entries| {
                let batches = &batches;
                scope.spawn(move |_| {
                    let parsed = entries
                        .iter()
                        .enumerate()
                        .map(|(i, raw)| (first + i, Change::parse(text, section, first + i, raw)));
                    let batch = match section {
                        Section::ResourceChanges => {
                            Batch::Changes(parsed.map(|(i, change)| judge.change(i, change?, text)).collect())
                        }
                        Section::ResourceDrift => Batch::Drift(
                            parsed
                                .filter_map(|(_, change)| change.and_then(|c| judge.drift(c, text)).transpose())
                                .collect(),
                        ),
                    };
                    // The rules are done with these entries; should anything read them again (an
                    // error's location), the map faults the pages back in from the file.
                    if let (Some(first), Some(last)) = (entries.first(), entries.last()) {
                        let (start, end) = (offset_in(text, first), offset_in(text, last) + last.len());
                        release(&text[start..end]);
                    }
                    batches.lock().unwrap_or_else(PoisonError::into_inner).push((section, first, batch));
                });
            },
            release,
        )
    })?;
    let mut batches = batches.into_inner().unwrap_or_else(PoisonError::into_inner);
    // Put the batches back in plan order, so the first error reported is the first in the plan.
    batches.sort_unstable_by_key(|(section, first, _)| (*section, *first));
    let mut changes = Vec::new();
    let mut drifted = Vec::new();
    for (_, first, batch) in batches {
        match batch {
            Batch::Changes(judged) => changes.push((first, judged?)),
            Batch::Drift(entries) => drifted.extend(entries?),
        }
    }
    // Each action the apply runs counts as a change of its own.
    let invoked = judge.invocations(&invocations);
    // What only the whole plan shows is added before anything is counted.
    let (plan_wide, mut drift) = judge.finish(drifted, text)?;
    let mut notices = Vec::new();
    for (index, finding) in plan_wide {
        match index.and_then(|i| judged_at(&mut changes, i)) {
            Some(change) => change.findings.push(finding),
            None => notices.push(finding),
        }
    }
    let tallies = changes.into_par_iter().map(|(_, judged)| Tally::of(judged)).collect();
    let Tally { mut counts, actions, mut findings, unjudged } = Tally::sum(tallies);
    // A finding about the plan as a whole (a Rego policy's message that names no resource) counts
    // as one change: the plan itself.
    counts.add(false, &notices);
    for finding in &invoked {
        counts.add(false, std::slice::from_ref(finding));
    }
    let mut header = header;
    header.unjudged = Unjudged::tally(unjudged);
    header.actions = actions;
    findings.extend(notices);
    findings.extend(invoked);
    findings.par_sort_by(|a, b| {
        b.severity.cmp(&a.severity).then_with(|| a.address.cmp(&b.address)).then_with(|| a.rule.cmp(&b.rule))
    });
    drift.par_sort_by(|a, b| a.address.cmp(&b.address));

    Ok(Report {
        schema_version: SCHEMA_VERSION,
        total_changes: counts.total,
        high_risk_changes: counts.high_risk,
        critical_changes: counts.critical,
        status: counts.status(),
        verdict: verdict::decide(&counts, &policy.thresholds),
        findings,
        drift,
        plan: header,
        policy: policy.summary(),
    })
}
