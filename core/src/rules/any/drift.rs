//! Drift: what changed outside Terraform since the last apply. Reported in its own section and not
//! counted in the verdict. Drift that opened inbound access or widened IAM permissions is flagged
//! by the same rules that judge planned changes. Switching between `null`, `[]`, `{}` and `""` (at
//! any depth: drift is diffed deeply, see `plan::diff`) and values the provider recomputes on every
//! refresh are not drift.

use crate::plan::{Action, Change};
use crate::registry::{Category, Severity};
use crate::report::DriftEntry;
use crate::rules::{evaluate_with, list_names, Context};

/// Attributes the provider recomputes on every refresh: a new value is not a change made outside
/// Terraform.
const RECOMPUTED: &[&str] = &["latest_restorable_time", "earliest_restorable_time"];

/// What drifted on one resource, or `None` when nothing meaningful did.
pub fn describe(change: &Change, ctx: &Context) -> Option<DriftEntry> {
    let name = change.display_name();
    let (changed, message) = match change.action {
        Action::Delete => (Vec::new(), format!("{name} was deleted outside Terraform")),
        Action::NoOp | Action::Read => return None,
        _ => {
            let changed: Vec<String> = change
                .changed_attributes()
                .iter()
                .filter(|name| !RECOMPUTED.contains(&name.as_ref()))
                .map(|name| name.to_string())
                .collect();
            if changed.is_empty() {
                return None;
            }
            let message = format!("{name} changed outside Terraform: {}", list_names(&changed, 8));
            (changed, message)
        }
    };
    let flags = if change.action == Action::Delete {
        Vec::new()
    } else {
        evaluate_with(change, ctx, |rule| {
            matches!(rule.category, Category::SecurityGroups | Category::Iam) && rule.severity > Severity::Notice
        })
    };
    Some(DriftEntry {
        address: name,
        resource_type: change.resource_type.to_string(),
        actions: change.action,
        changed_attributes: changed,
        message,
        flags,
    })
}
