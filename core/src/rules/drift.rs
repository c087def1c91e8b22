//! Drift: what changed outside Terraform since the last apply. Reported in its own section and
//! not counted in the verdict: the plan's own changes are judged by the other rules.

use super::list_names;
use crate::plan::{Action, Change};
use crate::report::DriftEntry;

/// What drifted on one resource, or `None` when nothing meaningful did.
pub fn describe(change: &Change) -> Option<DriftEntry> {
    let name = change.display_name();
    let (changed, message) = match change.action {
        Action::Delete => (Vec::new(), format!("{name} was deleted outside Terraform")),
        Action::NoOp | Action::Read => return None,
        _ => {
            let changed = change.changed_attributes().to_vec();
            if changed.is_empty() {
                return None;
            }
            let message = format!("{name} changed outside Terraform: {}", list_names(&changed, 8));
            (changed, message)
        }
    };
    Some(DriftEntry {
        address: name,
        resource_type: change.resource_type.to_string(),
        actions: change.action.terraform_names(),
        changed_attributes: changed,
        message,
    })
}
