//! Index shifts: a resource deleted because its `count` index or `for_each` key is gone, while a
//! resource of the same type is created in the same module, is often a renumbering that a `moved`
//! block would have kept. Judged across the whole plan, after every change is read.

use super::Context;
use crate::plan::{Action, ActionReason, Change, KnownReason};
use crate::registry::INDEX_SHIFT;
use crate::report::Finding;

/// What `hints` needs to know of one change; only creates and index-shift deletions have one.
#[derive(Debug, Clone)]
pub struct Candidate {
    address: String,
    resource_type: String,
    module: Option<String>,
    deleted_because: Option<&'static str>,
}

pub fn candidate(change: &Change) -> Option<Candidate> {
    let deleted_because = match (&change.action_reason, change.action.destroys()) {
        (Some(ActionReason::Known(KnownReason::DeleteBecauseCountIndex)), true) => Some("its count index is gone"),
        (Some(ActionReason::Known(KnownReason::DeleteBecauseEachKey)), true) => Some("its for_each key is gone"),
        _ if change.action == Action::Create => None,
        _ => return None,
    };
    Some(Candidate {
        address: change.display_name(),
        resource_type: change.resource_type.to_string(),
        module: change.module_address.as_deref().map(str::to_owned),
        deleted_because,
    })
}

/// One notice per index-shift deletion with a create of the same type in the same module.
pub fn hints(candidates: &[Candidate], ctx: &Context) -> Vec<Finding> {
    let mut findings = Vec::new();
    for deleted in candidates.iter().filter(|c| c.deleted_because.is_some()) {
        let created: Vec<&str> = candidates
            .iter()
            .filter(|c| {
                c.deleted_because.is_none() && c.resource_type == deleted.resource_type && c.module == deleted.module
            })
            .map(|c| c.address.as_str())
            .collect();
        if created.is_empty() {
            continue;
        }
        let finding = Finding {
            address: deleted.address.clone(),
            resource_type: deleted.resource_type.clone(),
            actions: Action::Delete,
            severity: INDEX_SHIFT.severity,
            rule: INDEX_SHIFT.id.to_string(),
            category: INDEX_SHIFT.category,
            message: format!(
                "{} is deleted because {} while {} is created: if the instance was only renumbered, a `moved` block keeps it",
                deleted.address,
                deleted.deleted_because.unwrap_or_default(),
                created.join(", ")
            ),
            waived: None,
            location: None,
        };
        findings.extend(ctx.settle(&INDEX_SHIFT, finding));
    }
    findings
}
