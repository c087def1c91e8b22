//! The rules of the `expired_waiver` family: ids, titles, severities and the documentation `plangate
//! explain` prints. The family in `rules::any::expired_waiver` reports them.

use crate::registry::{Category, Rule, Severity};

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
    plan_wide: true,
};

/// The rules declared here, in the order `plangate rules` lists them.
pub(super) static DECLARED: &[&Rule] = &[&EXPIRED_WAIVER];
