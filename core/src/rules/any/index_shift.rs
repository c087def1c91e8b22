//! Index shifts: an instance deleted because its `count` index or `for_each` key is gone, while
//! another instance of the same resource block is created or replaced (a list that lost a middle
//! element hands each later instance its neighbour's arguments), is often a renumbering that a
//! `moved` block would have kept. Only instances of one block are paired: the address without its
//! instance key. Judged across the whole plan, after every change is read.

use std::sync::Arc;

use crate::address::Address;
use crate::plan::{Action, ActionReason, Change, KnownReason, PlanError};
use crate::registry::{Rule, INDEX_SHIFT};
use crate::report::Finding;
use crate::rules::plan_wide::{Collector, Kept, PlanWide};
use crate::rules::Context;

pub(crate) struct IndexShifts;
pub(crate) static FAMILY: IndexShifts = IndexShifts;
static RULES: &[&Rule] = &[&INDEX_SHIFT];

impl PlanWide for IndexShifts {
    fn rules(&self) -> &'static [&'static Rule] {
        RULES
    }

    fn collector<'a>(&self) -> Box<dyn Collector<'a> + 'a> {
        Box::new(Candidates::default())
    }
}

#[derive(Default)]
struct Candidates(Kept<Candidate>);

impl<'a> Collector<'a> for Candidates {
    fn observe(&self, index: usize, change: &Arc<Change<'a>>, _: &Context<'_>) {
        if let Some(candidate) = candidate(change) {
            self.0.push(index, candidate);
        }
    }

    // Notices: they never count.
    fn finish(self: Box<Self>, ctx: &Context<'_>, _: &'a [u8]) -> Result<Vec<(Option<usize>, Finding)>, PlanError> {
        let candidates: Vec<Candidate> = self.0.into_sorted().into_iter().map(|(_, c)| c).collect();
        Ok(hints(&candidates, ctx).into_iter().map(|f| (None, f)).collect())
    }
}

/// What `hints` needs to know of one change; only creates, replaces and index-shift deletions
/// have one.
#[derive(Debug, Clone)]
struct Candidate {
    address: String,
    resource_type: String,
    /// The instance's address, parsed: instances of one block are paired.
    instance: Address,
    replaced: bool,
    deleted_because: Option<&'static str>,
}

fn candidate(change: &Change) -> Option<Candidate> {
    let deleted_because = match (&change.action_reason, change.action.destroys()) {
        (Some(ActionReason::Known(KnownReason::DeleteBecauseCountIndex)), true) => Some("its count index is gone"),
        (Some(ActionReason::Known(KnownReason::DeleteBecauseEachKey)), true) => Some("its for_each key is gone"),
        _ if change.action == Action::Create || change.action.is_replace() => None,
        _ => return None,
    };
    // An address Terraform wrote always parses; one that does not pairs with nothing.
    let instance = Address::parse(&change.address).ok()?;
    Some(Candidate {
        address: change.display_name(),
        resource_type: change.resource_type.to_string(),
        instance,
        replaced: change.action.is_replace(),
        deleted_because,
    })
}

/// One notice per index-shift deletion with a create or replace of another instance of its block.
fn hints(candidates: &[Candidate], ctx: &Context) -> Vec<Finding> {
    let mut findings = Vec::new();
    for deleted in candidates.iter().filter(|c| c.deleted_because.is_some()) {
        let siblings = |replaced: bool| -> Vec<&str> {
            candidates
                .iter()
                .filter(|c| {
                    c.deleted_because.is_none() && c.replaced == replaced && c.instance.same_block(&deleted.instance)
                })
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
