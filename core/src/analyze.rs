//! The whole analysis: plan bytes and a policy in, a [`Report`] out. The CLI and the bindings all
//! call these two functions.

use rayon::prelude::*;

use crate::plan::{self, Change, PlanError};
use crate::policy::verdict::{self, Counts};
use crate::policy::Policy;
use crate::report::{DriftEntry, Finding, Report, SCHEMA_VERSION};
use crate::rules::{self, Context};

/// Analyzes the bytes of a JSON plan (UTF-8 with or without a BOM, or UTF-16 with a BOM).
pub fn analyze(bytes: &[u8], policy: &Policy) -> Result<Report, PlanError> {
    let text = plan::encoding::decode(bytes)?;
    analyze_plan(&text, policy)
}

/// Analyzes decoded UTF-8 plan text. Each change is parsed, judged and dropped on a worker
/// thread, so its values never outlive the rules that read them.
pub fn analyze_plan(text: &[u8], policy: &Policy) -> Result<Report, PlanError> {
    let raw = plan::read_outer(text)?;
    let ctx = Context { classes: &policy.classes };

    let judged: Vec<Result<(bool, Vec<Finding>), PlanError>> = raw
        .resource_changes
        .par_iter()
        .enumerate()
        .map(|(index, element)| {
            let change = Change::parse(text, "resource_changes", index, element)?;
            Ok((change.action.is_counted(), rules::evaluate(&change, &ctx)))
        })
        .collect();
    let drift: Vec<Result<Option<DriftEntry>, PlanError>> = raw
        .resource_drift
        .par_iter()
        .enumerate()
        .map(|(index, element)| Change::parse(text, "resource_drift", index, element).map(|c| rules::drift::describe(&c)))
        .collect();

    let mut counts = Counts::default();
    let mut findings = Vec::new();
    for outcome in judged {
        let (counted, found) = outcome?;
        counts.add(counted, &found);
        findings.extend(found);
    }
    let mut drift: Vec<DriftEntry> = drift.into_iter().filter_map(Result::transpose).collect::<Result<_, _>>()?;

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
        plan: raw.header,
        policy: policy.summary(),
    })
}
