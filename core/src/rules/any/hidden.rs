//! Values the rules could not see: a rule never reads a value the plan marks sensitive (so no
//! finding can show it), but a configuration can mark anything sensitive (`sensitive()`, a
//! sensitive variable), the direction of a security group rule or a load balancer's `internal`
//! alike. A change whose judging needed such a value cannot be verified, and says so, rather than
//! passing because the value was hidden.

use crate::plan::Change;
use crate::registry::SENSITIVE_UNVERIFIABLE;
use crate::report::Finding;
use crate::rules::Context;

pub fn finding(change: &Change, ctx: &Context) -> Option<Finding> {
    let values = change.values();
    if !crate::rules::judged(change) || !values.hid_a_read() {
        return None;
    }
    ctx.finding(
        &SENSITIVE_UNVERIFIABLE,
        SENSITIVE_UNVERIFIABLE.category,
        change.display_name(),
        change.resource_type.to_string(),
        change.action,
        format!(
            "{} cannot be verified: a value the rules judge is marked sensitive in the plan, so it is not read (sensitive: {})",
            change.display_name(),
            crate::rules::list_names(&values.sensitive_names(), 6)
        ),
    )
}
