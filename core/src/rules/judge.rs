//! Judging a whole plan with every family: each change (and drift entry) as it is read, on
//! whichever worker reads it, then what only the whole plan shows. The check hands changes in and
//! takes findings out; which rules there are is known here alone.

use std::sync::Arc;

use rayon::iter::{IntoParallelIterator as _, ParallelIterator as _};

use super::any::{drift, invoked_actions, unjudged};
use super::aws::managed_drift::{self, Gained, Managed};
use super::plan_wide::{Collector, Kept};
use super::{custom, evaluate, judged, unverifiable, Context, PLAN_WIDE};
use crate::plan::{Action, Change, Invocation, PlanError, Unjudged};
use crate::report::{DriftEntry, Finding};

/// The rules of one plan at work.
pub(crate) struct PlanJudge<'a, 'p> {
    ctx: Context<'p>,
    collectors: Vec<Box<dyn Collector<'a> + 'a>>,
    /// What each change's resource manages of a group or role, to tell Terraform's own drift (in
    /// plan order once sorted, so that the same plan always names the same resource).
    managed: Kept<Managed>,
}

/// What one resource change came to, before the plan-wide findings are added.
pub(crate) struct Judged {
    /// What Terraform will do.
    pub action: Action,
    /// Whether it counts (no-ops and reads do not).
    pub counted: bool,
    pub findings: Vec<Finding>,
    /// For a change no rule judges, its provider (one change of it).
    pub unjudged: Option<Unjudged>,
}

/// Findings about the whole plan, each with the index in `resource_changes` of the change it counts
/// against (`None` for a notice about the plan).
pub(crate) type PlanWideFindings = Vec<(Option<usize>, Finding)>;

/// A drift entry, with what a group or role gained on refresh (to tell Terraform's own drift).
pub(crate) struct Drifted(DriftEntry, Option<Box<Gained>>);

impl<'a, 'p> PlanJudge<'a, 'p> {
    pub fn new(ctx: Context<'p>) -> PlanJudge<'a, 'p> {
        let mut collectors: Vec<_> = PLAN_WIDE.iter().map(|f| f.collector()).collect();
        collectors.extend(ctx.config.custom.collector());
        PlanJudge { ctx, collectors, managed: Kept::default() }
    }

    /// Lets the plan-wide families that read the whole plan at once start on it (on the worker that
    /// calls this), while the changes are read one by one.
    pub fn prepare(&self, text: &'a [u8]) {
        for collector in &self.collectors {
            collector.prepare(text);
        }
    }

    /// The findings for the actions the apply runs: one each, counted as a change of its own.
    pub fn invocations(&self, invocations: &[Invocation]) -> Vec<Finding> {
        invoked_actions::findings(invocations, &self.ctx)
    }

    /// Judges entry `index` of `resource_changes`; `Err` when a value a rule read cannot be parsed
    /// (`text` is the plan, to say where).
    pub fn change(&self, index: usize, change: Change<'a>, text: &[u8]) -> Result<Judged, PlanError> {
        let change = Arc::new(change);
        let ctx = &self.ctx;
        let mut findings = evaluate(&change, ctx);
        if judged(&change) {
            findings.extend(custom::evaluate(&change, ctx));
        }
        for collector in &self.collectors {
            collector.observe(index, &change, ctx);
        }
        if let Some(managed) = managed_drift::managed(&change) {
            self.managed.push(index, managed);
        }
        findings.extend(unverifiable(&change, ctx));
        let unjudged = unjudged::unjudged(&change, ctx).then(|| unjudged::provider(&change));
        if let Some(provider) = &unjudged {
            findings.extend(unjudged::finding(&change, ctx, provider));
        }
        let unjudged = unjudged.map(|provider| Unjudged::one(provider, &change.resource_type, unjudged::harmless));
        change.readable(text)?;
        Ok(Judged { action: change.action, counted: change.action.is_counted(), findings, unjudged })
    }

    /// Describes a drift entry, or `None` when nothing meaningful drifted.
    pub fn drift(&self, change: Change<'a>, text: &[u8]) -> Result<Option<Drifted>, PlanError> {
        let described = drift::describe(&change, &self.ctx);
        let gained = described.as_ref().filter(|d| !d.flags.is_empty()).and_then(|_| managed_drift::gained(&change));
        change.readable(text)?;
        Ok(described.map(|d| Drifted(d, gained.map(Box::new))))
    }

    /// What only the whole plan shows: the plan-wide findings, in the order the families report
    /// them; and the drift entries, those Terraform itself made explained. The families and the
    /// explanations do not depend on each other: they run on every core.
    pub fn finish(self, drift: Vec<Drifted>, text: &'a [u8]) -> Result<(PlanWideFindings, Vec<DriftEntry>), PlanError> {
        let PlanJudge { ctx, collectors, managed } = self;
        let managed: Vec<Managed> = managed.into_sorted().into_iter().map(|(_, managed)| managed).collect();
        let (found, drift) = rayon::join(
            || collectors.into_par_iter().map(|collector| collector.finish(&ctx, text)).collect::<Vec<_>>(),
            || {
                drift
                    .into_iter()
                    .map(|Drifted(mut entry, gained)| {
                        if let Some(gained) = &gained {
                            managed_drift::explain(&mut entry, gained, &managed);
                        }
                        entry
                    })
                    .collect()
            },
        );
        let mut plan_wide = Vec::new();
        for findings in found {
            plan_wide.extend(findings?);
        }
        Ok((plan_wide, drift))
    }
}
