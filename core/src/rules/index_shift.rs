//! Index shifts: an instance deleted because its `count` index or `for_each` key is gone, while
//! another instance of the same resource block is created or replaced (a list that lost a middle
//! element hands each later instance its neighbour's arguments), is often a renumbering that a
//! `moved` block would have kept. Only instances of one block are paired: the address without its
//! instance key. Judged across the whole plan, after every change is read.

use super::Context;
use crate::plan::{Action, ActionReason, Change, KnownReason};
use crate::registry::INDEX_SHIFT;
use crate::report::Finding;

/// What `hints` needs to know of one change; only creates, replaces and index-shift deletions
/// have one.
#[derive(Debug, Clone)]
pub struct Candidate {
    address: String,
    resource_type: String,
    /// The resource block: the address without its instance key.
    block: String,
    replaced: bool,
    deleted_because: Option<&'static str>,
}

/// `module.m["a"].aws_x.y[2]` → `module.m["a"].aws_x.y`: the block the instance belongs to.
fn block_of(address: &str) -> &str {
    match address.strip_suffix(']').and_then(|a| a.rfind('[').map(|i| &address[..i])) {
        Some(block) if !block.ends_with(']') => block,
        _ => address,
    }
}

pub fn candidate(change: &Change) -> Option<Candidate> {
    let deleted_because = match (&change.action_reason, change.action.destroys()) {
        (Some(ActionReason::Known(KnownReason::DeleteBecauseCountIndex)), true) => Some("its count index is gone"),
        (Some(ActionReason::Known(KnownReason::DeleteBecauseEachKey)), true) => Some("its for_each key is gone"),
        _ if change.action == Action::Create || change.action.is_replace() => None,
        _ => return None,
    };
    Some(Candidate {
        address: change.display_name(),
        resource_type: change.resource_type.to_string(),
        block: block_of(&change.address).to_string(),
        replaced: change.action.is_replace(),
        deleted_because,
    })
}

/// One notice per index-shift deletion with a create or replace of another instance of its block.
pub fn hints(candidates: &[Candidate], ctx: &Context) -> Vec<Finding> {
    let mut findings = Vec::new();
    for deleted in candidates.iter().filter(|c| c.deleted_because.is_some()) {
        let siblings = |replaced: bool| -> Vec<&str> {
            candidates
                .iter()
                .filter(|c| c.deleted_because.is_none() && c.replaced == replaced && c.block == deleted.block)
                .map(|c| c.address.as_str())
                .collect()
        };
        let (created, replaced) = (siblings(false), siblings(true));
        let mut parts = Vec::new();
        if !created.is_empty() {
            parts.push(format!("{} is created", created.join(", ")));
        }
        if !replaced.is_empty() {
            parts.push(format!("{} is replaced", replaced.join(", ")));
        }
        if parts.is_empty() {
            continue;
        }
        let message = format!(
            "{} is deleted because {} while {}: if the instances were only renumbered, `moved` blocks keep them",
            deleted.address,
            deleted.deleted_because.unwrap_or_default(),
            parts.join(" and ")
        );
        let (address, resource_type) = (deleted.address.clone(), deleted.resource_type.clone());
        findings.extend(ctx.finding(
            &INDEX_SHIFT,
            INDEX_SHIFT.category,
            address,
            resource_type,
            Action::Delete,
            message,
        ));
    }
    findings
}
