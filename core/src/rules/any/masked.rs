//! Masked values: a binary plan read natively for a provider version no schema table knows has all
//! of that provider's values marked sensitive, so no rule can verify what they hide. Each change of
//! such a resource says so, and counts, rather than passing because nothing could be read.

use crate::plan::Change;
use crate::registry::MASKED_VALUES;
use crate::report::Finding;
use crate::rules::Context;

pub fn finding(change: &Change, ctx: &Context) -> Option<Finding> {
    let source = change.provider_name.as_deref()?;
    if !crate::rules::judged(change) {
        return None;
    }
    let provider = ctx.masked.iter().find(|p| p.split(' ').next() == Some(source))?;
    ctx.finding(
        &MASKED_VALUES,
        MASKED_VALUES.category,
        change.display_name(),
        change.resource_type.to_string(),
        change.action,
        format!(
            "{} cannot be verified: its values are masked, because plangate has no schema table for {provider}, the provider version that made the plan (show the plan with terraform, `--plan-reader terraform`, or give a table made with scripts/schema-table, `--schema-table FILE`)",
            change.display_name()
        ),
    )
}
