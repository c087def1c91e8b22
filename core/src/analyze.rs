//! The whole analysis: plan bytes and a policy in, a [`Report`] out. The CLI and the bindings all
//! call these two functions.

use std::sync::{Mutex, PoisonError};

use serde_json::value::RawValue;

use crate::plan::{self, Change, PlanError, Section};
use crate::policy::verdict::{self, Counts};
use crate::policy::Policy;
use crate::report::{DriftEntry, Finding, Report, SCHEMA_VERSION};
use crate::rules::index_shift::Candidate;
use crate::rules::{self, Context};

/// Analyzes the bytes of a JSON plan (UTF-8 with or without a BOM, or UTF-16 with a BOM).
pub fn analyze(bytes: &[u8], policy: &Policy) -> Result<Report, PlanError> {
    let text = plan::encoding::decode(bytes)?;
    analyze_plan(&text, policy)
}

/// Analyzes a plan from [`plan::load`]. A memory-mapped plan gives back the pages of the sections
/// it skips as soon as they are scanned, so memory stays near what the rules need.
pub fn analyze_loaded(plan: &plan::PlanBytes, policy: &Policy) -> Result<Report, PlanError> {
    match plan::encoding::decode(plan)? {
        std::borrow::Cow::Borrowed(text) => analyze_plan_releasing(text, policy, &|span| plan.release(span)),
        std::borrow::Cow::Owned(text) => analyze_plan(&text, policy),
    }
}

/// What one resource change came to.
struct Judgement {
    counted: bool,
    findings: Vec<Finding>,
    index_shift: Option<Candidate>,
}

/// What one batch of entries came to.
enum Judged {
    Changes(Vec<Result<Judgement, PlanError>>),
    Drift(Vec<Result<Option<DriftEntry>, PlanError>>),
}

/// Analyzes decoded UTF-8 plan text. The streaming pass hands batches of entries to rayon workers
/// as it scans them, so the rules run on the other core while the rest of the plan is scanned; each
/// change is parsed, judged and dropped within its task, so its values never outlive the rules.
pub fn analyze_plan(text: &[u8], policy: &Policy) -> Result<Report, PlanError> {
    analyze_plan_releasing(text, policy, &|_| {})
}

/// [`analyze_plan`], calling `release` with each skipped section once it is scanned.
fn analyze_plan_releasing(text: &[u8], policy: &Policy, release: &dyn Fn(&[u8])) -> Result<Report, PlanError> {
    let ctx = Context::of(policy);
    let batches: Mutex<Vec<(Section, usize, Judged)>> = Mutex::new(Vec::new());
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

    let mut counts = Counts::default();
    let mut findings = Vec::new();
    let mut drift = Vec::new();
    let mut candidates = Vec::new();
    for (_, _, judged) in batches {
        match judged {
            Judged::Changes(outcomes) => {
                for outcome in outcomes {
                    let judgement = outcome?;
                    counts.add(judgement.counted, &judgement.findings);
                    findings.extend(judgement.findings);
                    candidates.extend(judgement.index_shift);
                }
            }
            Judged::Drift(entries) => {
                for entry in entries {
                    drift.extend(entry?);
                }
            }
        }
    }
    // Plan-wide notices: they never count, so the counts above stand.
    findings.extend(rules::index_shift::hints(&candidates, &ctx));
    findings.extend(rules::expired_waiver::findings(&ctx));
    findings.sort_by(|a, b| {
        b.severity.cmp(&a.severity).then_with(|| a.address.cmp(&b.address)).then_with(|| a.rule.cmp(b.rule))
    });
    drift.sort_by(|a, b| a.address.cmp(&b.address));

    Ok(Report {
        schema_version: SCHEMA_VERSION,
        total_changes: counts.total,
        high_risk_changes: counts.high_risk,
        critical_changes: counts.critical,
        status: counts.status(),
        verdict: verdict::decide(&counts, policy),
        findings,
        drift,
        plan: header,
        policy: policy.summary(),
    })
}

fn judge(text: &[u8], section: Section, first: usize, entries: &[&RawValue], ctx: &Context) -> Judged {
    let parsed = entries.iter().enumerate().map(|(i, raw)| Change::parse(text, section, first + i, raw));
    match section {
        Section::ResourceChanges => Judged::Changes(
            parsed
                .map(|change| {
                    change.map(|c| Judgement {
                        counted: c.action.is_counted(),
                        findings: rules::evaluate(&c, ctx),
                        index_shift: rules::index_shift::candidate(&c),
                    })
                })
                .collect(),
        ),
        Section::ResourceDrift => {
            Judged::Drift(parsed.map(|change| change.map(|c| rules::drift::describe(&c, ctx))).collect())
        }
    }
}
