//! The plan check, the engine's main job: a plan and a policy in, a [`Report`] out. The CLI and the
//! bindings all call [`check`]; nothing else reads a plan for them.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use std::sync::{Mutex, PoisonError};

use serde_json::value::RawValue;

use crate::date::Date;
use crate::error::Error;
use crate::limits::Limits;
use crate::plan::{self, Action, Change, PlanError, Section};
use crate::policy::verdict::{self, Counts};
use crate::policy::Policy;
use crate::report::{DriftEntry, Finding, Report, SCHEMA_VERSION};
use crate::rules::index_shift::Candidate;
use crate::rules::{self, Context};
use crate::rules::{group_exposure, managed_drift, resource_policy};
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
    /// The input limits; `None` is [`Limits::from_env`] (the defaults, or the `PLANGATE_MAX_*`
    /// variables).
    pub limits: Option<Limits>,
    /// Memory-map large plan files instead of reading them. Faster, but a file truncated by another
    /// process while it is read raises SIGBUS: only for a process that handles it, as the CLI does.
    pub map_files: bool,
}

impl CheckOptions {
    /// Options judging by `policy`, as of today.
    pub fn new(policy: Policy) -> CheckOptions {
        CheckOptions { policy, today: None, label: None, source_dir: None, limits: None, map_files: false }
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
        PlanInput::Path(path) => plan::load(path, &limits, options.map_files)
            .and_then(|plan| analyze_input(&plan, &|span| plan.release(span), Some(path), policy, &limits, today)),
        PlanInput::Stdin => {
            plan::load_stdin(&limits).and_then(|plan| analyze_input(&plan, &|_| {}, None, policy, &limits, today))
        }
        PlanInput::Bytes(bytes) => {
            plan::check_bytes(bytes, &limits).and_then(|()| analyze_input(bytes, &|_| {}, None, policy, &limits, today))
        }
    };
    let mut report = analysed.map_err(|error| Error::Plan { plan: label, error })?;
    if let Some(dir) = &options.source_dir {
        let sources = SourceMap::load(dir, None)?;
        let findings = report.findings.iter_mut().chain(report.drift.iter_mut().flat_map(|d| d.flags.iter_mut()));
        for finding in findings {
            let deleted = matches!(finding.actions, Action::Delete | Action::Forget);
            finding.location = Some(sources.declared(&finding.address, deleted));
        }
    }
    Ok(report)
}

/// Analyzes plan bytes: JSON as it is (calling `release` with each skipped section of the bytes,
/// which a memory-mapped plan gives back), a binary plan through the binary reader (`path` is its
/// file, if any).
fn analyze_input(
    bytes: &[u8],
    release: &dyn Fn(&[u8]),
    path: Option<&Path>,
    policy: &Policy,
    limits: &Limits,
    today: Date,
) -> Result<Report, PlanError> {
    if !plan::encoding::is_binary_plan(bytes) {
        return match plan::encoding::decode(bytes)? {
            Cow::Borrowed(text) => analyze_plan_releasing(text, policy, today, &[], release),
            // Decoded into new text: nothing of the bytes is read again anyway.
            Cow::Owned(text) => analyze_plan_releasing(&text, policy, today, &[], &|_| {}),
        };
    }
    let reading = plan::read_binary(bytes, path, &policy.plan_reading, limits)?;
    let masked: Vec<&str> = reading.masked.iter().map(String::as_str).collect();
    let mut report = analyze_plan_releasing(&reading.json, policy, today, &masked, &|_| {})?;
    report.plan.read_by = Some(reading.read_by);
    report.plan.masked_providers = reading.masked;
    Ok(report)
}

/// What one resource change came to.
struct Judgement<'a> {
    counted: bool,
    findings: Vec<Finding>,
    /// Boxed, as `managed`: few changes are candidates.
    index_shift: Option<Box<Candidate>>,
    /// The change's share of the security groups and network ACLs it belongs to.
    group_members: Vec<group_exposure::Member<'a>>,
    /// The AWS accounts it newly admits, and those it shows to be the plan's own.
    admission: Option<Box<resource_policy::Admission>>,
    /// What the change's resource manages of a group or role, from its state.
    /// Boxed: most changes have none, and every judgement is kept until the plan-wide passes.
    managed: Option<Box<managed_drift::Managed>>,
    own_arn: Option<&'a str>,
}

/// A drift entry, with what a group or role gained (to tell Terraform's own drift).
type Drifted = (DriftEntry, Option<Box<managed_drift::Gained>>);

/// What one batch of entries came to.
enum Judged<'a> {
    Changes(Vec<Result<Judgement<'a>, PlanError>>),
    Drift(Vec<Result<Option<Drifted>, PlanError>>),
}

/// Analyzes decoded UTF-8 plan text, calling `release` with each skipped section once it is
/// scanned; `masked` are the providers whose values a native reading had to mask. The streaming
/// pass hands batches of entries to rayon workers as it scans them, so the rules run on the other
/// core while the rest of the plan is scanned; each change is parsed, judged and dropped within its
/// task, so its values never outlive the rules.
fn analyze_plan_releasing(
    text: &[u8],
    policy: &Policy,
    today: Date,
    masked: &[&str],
    release: &dyn Fn(&[u8]),
) -> Result<Report, PlanError> {
    let ctx = Context::new(&policy.rules, today).masking(masked);
    let batches: Mutex<Vec<(Section, usize, Judged<'_>)>> = Mutex::new(Vec::new());
    let header = rayon::in_place_scope(|scope| {
        plan::read_streaming(
            text,
            |section, first, entries| {
                let (batches, ctx) = (&batches, &ctx);
                scope.spawn(move |_| {
                    let judged = judge(text, section, first, &entries, ctx);
                    batches.lock().unwrap_or_else(PoisonError::into_inner).push((section, first, judged));
                });
            },
            release,
        )
    })?;
    let mut batches = batches.into_inner().unwrap_or_else(PoisonError::into_inner);
    // Put the batches back in plan order, so the first error reported is the first in the plan.
    batches.sort_unstable_by_key(|(section, first, _)| (*section, *first));

    let mut judgements = Vec::new();
    let mut drift: Vec<Drifted> = Vec::new();
    for (_, _, judged) in batches {
        match judged {
            Judged::Changes(outcomes) => {
                for outcome in outcomes {
                    judgements.push(outcome?);
                }
            }
            Judged::Drift(entries) => {
                for entry in entries {
                    drift.extend(entry?);
                }
            }
        }
    }
    // Internet access opened in pieces by several resources counts against the changes that add
    // the pieces, so it is judged before anything is counted.
    let members: Vec<(usize, group_exposure::Member)> = judgements
        .iter_mut()
        .enumerate()
        .flat_map(|(i, j)| std::mem::take(&mut j.group_members).into_iter().map(move |m| (i, m)))
        .collect();
    for (i, finding) in group_exposure::findings(&members, &ctx, text)? {
        judgements[i].findings.push(finding);
    }
    // Which accounts are "another" is known only once every change has shown its own.
    let admissions: Vec<(usize, &resource_policy::Admission)> =
        judgements.iter().enumerate().filter_map(|(i, j)| j.admission.as_deref().map(|a| (i, a))).collect();
    let own_arns = judgements.iter().filter_map(|j| j.own_arn);
    let account_findings = resource_policy::account_findings(&admissions, own_arns, &ctx);
    for (i, finding) in account_findings {
        judgements[i].findings.push(finding);
    }
    // What separate resources of the configuration manage is not drift made outside Terraform.
    let managed: Vec<managed_drift::Managed> =
        judgements.iter_mut().filter_map(|j| j.managed.take().map(|m| *m)).collect();
    let mut drift: Vec<DriftEntry> = drift
        .into_iter()
        .map(|(mut entry, gained)| {
            if let Some(gained) = &gained {
                managed_drift::explain(&mut entry, gained, &managed);
            }
            entry
        })
        .collect();

    let mut counts = Counts::default();
    let mut findings = Vec::new();
    let mut candidates = Vec::new();
    for judgement in judgements {
        counts.add(judgement.counted, &judgement.findings);
        findings.extend(judgement.findings);
        candidates.extend(judgement.index_shift.map(|c| *c));
    }
    // Plan-wide notices: they never count, so the counts above stand.
    findings.extend(rules::index_shift::hints(&candidates, &ctx));
    findings.extend(rules::expired_waiver::findings(&ctx));
    findings.sort_by(|a, b| {
        b.severity.cmp(&a.severity).then_with(|| a.address.cmp(&b.address)).then_with(|| a.rule.cmp(&b.rule))
    });
    drift.sort_by(|a, b| a.address.cmp(&b.address));

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

fn judge<'a>(text: &'a [u8], section: Section, first: usize, entries: &[&'a RawValue], ctx: &Context) -> Judged<'a> {
    let parsed = entries.iter().enumerate().map(|(i, raw)| Change::parse(text, section, first + i, raw));
    match section {
        Section::ResourceChanges => Judged::Changes(
            parsed
                .map(|change| {
                    let c = change?;
                    let (counted, mut findings) = (c.action.is_counted(), rules::evaluate(&c, ctx));
                    let index_shift = rules::index_shift::candidate(&c).map(Box::new);
                    let (admission, own_arn) = (resource_policy::admissions(&c), resource_policy::own_arn(&c));
                    let managed = managed_drift::managed(&c).map(Box::new);
                    let group = group_exposure::group_of(&c);
                    // Once everything has read what it judges: was any of it hidden? (Masked values
                    // are all sensitive: saying that once is enough.)
                    match rules::masked::finding(&c, ctx) {
                        Some(masked) => findings.push(masked),
                        None => findings.extend(rules::hidden::finding(&c, ctx)),
                    }
                    c.readable(text)?;
                    Ok(Judgement {
                        counted,
                        findings,
                        index_shift,
                        group_members: group_exposure::members(c, group),
                        admission,
                        own_arn,
                        managed,
                    })
                })
                .collect(),
        ),
        Section::ResourceDrift => Judged::Drift(
            parsed
                .map(|change| {
                    let c = change?;
                    let described = rules::drift::describe(&c, ctx);
                    let gained = described
                        .as_ref()
                        .filter(|d| !d.flags.is_empty())
                        .and_then(|_| managed_drift::gained(&c))
                        .map(Box::new);
                    c.readable(text)?;
                    Ok(described.map(|d| (d, gained)))
                })
                .collect(),
        ),
    }
}
