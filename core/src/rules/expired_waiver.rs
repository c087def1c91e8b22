//! Expired waivers: a waiver past its date no longer applies, and says so, so that an accepted risk
//! is looked at again instead of silently coming back or silently staying accepted.

use super::{Context, Rule};
use crate::plan::Action;
use crate::report::{Category, Finding, Severity};

pub static EXPIRED_WAIVER: Rule = Rule {
    id: "PG-WVR-001",
    title: "A waiver has expired",
    category: Category::Other,
    severity: Severity::Notice,
    doc: "**Why it matters.** A waiver records an accepted risk until a date. After it, the findings \
it covered count again; this notice says which waiver to renew or remove.\n\n\
**What triggers it.** A `waivers:` entry whose `expires` date is before today (UTC).\n\n\
**Example.** `{address: \"aws_s3_bucket.legacy\", rule: PG-DEL-001, reason: \"migration\", \
expires: 2026-01-31}` on 2026-02-01 reports `The waiver for aws_s3_bucket.legacy (PG-DEL-001) \
expired on 2026-01-31 and no longer applies: migration`.",
};

pub fn findings(ctx: &Context) -> Vec<Finding> {
    ctx.waivers
        .expired()
        .filter_map(|waiver| {
            let finding = Finding {
                address: waiver.address.as_str().to_string(),
                resource_type: String::new(),
                actions: Action::NoOp.terraform_names(),
                severity: EXPIRED_WAIVER.severity,
                rule: EXPIRED_WAIVER.id,
                category: EXPIRED_WAIVER.category,
                message: format!(
                    "The waiver for {} ({}) expired on {} and no longer applies: {}",
                    waiver.address.as_str(),
                    waiver.rule,
                    waiver.expires,
                    waiver.reason
                ),
                waived: None,
            };
            ctx.settings.severity_of(&EXPIRED_WAIVER).map(|severity| Finding { severity, ..finding })
        })
        .collect()
}
