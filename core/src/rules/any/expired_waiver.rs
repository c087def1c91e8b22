//! Expired waivers: a waiver past its date no longer applies, and says so, so that an accepted risk
//! is looked at again instead of silently coming back or silently staying accepted.

use std::sync::Arc;

use crate::plan::{Action, Change, PlanError};
use crate::registry::{Rule, EXPIRED_WAIVER};
use crate::report::Finding;
use crate::rules::plan_wide::{Collector, PlanWide};
use crate::rules::Context;

pub(crate) struct ExpiredWaivers;
pub(crate) static FAMILY: ExpiredWaivers = ExpiredWaivers;
static RULES: &[&Rule] = &[&EXPIRED_WAIVER];

impl PlanWide for ExpiredWaivers {
    fn rules(&self) -> &'static [&'static Rule] {
        RULES
    }

    fn collector<'a>(&self) -> Box<dyn Collector<'a> + 'a> {
        Box::new(ExpiredWaivers)
    }
}

/// The configuration says it all: nothing of the changes is kept.
impl<'a> Collector<'a> for ExpiredWaivers {
    fn observe(&self, _: usize, _: &Arc<Change<'a>>, _: &Context<'_>) {}

    fn finish(self: Box<Self>, ctx: &Context<'_>, _: &'a [u8]) -> Result<Vec<(Option<usize>, Finding)>, PlanError> {
        Ok(findings(ctx).into_iter().map(|f| (None, f)).collect())
    }
}

fn findings(ctx: &Context) -> Vec<Finding> {
    ctx.config
        .expired_waivers(ctx.today)
        .filter_map(|waiver| {
            let finding = Finding {
                address: waiver.address.as_str().to_string(),
                resource_type: String::new(),
                actions: Action::NoOp,
                severity: EXPIRED_WAIVER.severity,
                rule: EXPIRED_WAIVER.id.to_string(),
                category: EXPIRED_WAIVER.category,
                message: format!(
                    "The waiver for {} ({}) expired on {} and no longer applies: {}",
                    waiver.address.as_str(),
                    waiver.rule.as_str(),
                    waiver.expires,
                    waiver.reason
                ),
                waived: None,
                location: None,
            };
            ctx.config.settings.severity_of(&EXPIRED_WAIVER).map(|severity| Finding { severity, ..finding })
        })
        .collect()
}
