//! Expired waivers: a waiver past its date no longer applies, and says so, so that an accepted risk
//! is looked at again instead of silently coming back or silently staying accepted.

use super::Context;
use crate::plan::Action;
use crate::registry::EXPIRED_WAIVER;
use crate::report::Finding;

pub fn findings(ctx: &Context) -> Vec<Finding> {
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
