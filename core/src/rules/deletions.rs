//! Resource Deletions: deleting or replacing a resource destroys the object; for stateful classes
//! that means the data goes with it.

use super::{Context, Family, Hit};
use crate::plan::{Action, ActionReason, Change, KnownReason};
use crate::registry::{Category, CRITICAL_CLASS_DELETED, FORGOTTEN, RESOURCE_DELETED};

pub static FAMILY: Family = Family {
    rules: &[&CRITICAL_CLASS_DELETED, &RESOURCE_DELETED, &FORGOTTEN],
    types: &[],
    category: Category::ResourceDeletions,
    check,
    fallback: false,
};

fn check(change: &Change, ctx: &Context) -> Vec<Hit> {
    [critical_class_deleted(change, ctx), resource_deleted(change, ctx), forgotten(change, ctx)]
        .into_iter()
        .flatten()
        .collect()
}

fn critical_class_deleted(change: &Change, ctx: &Context) -> Vec<Hit> {
    if change.action.destroys() && ctx.classes().is_critical(&change.resource_type) {
        vec![Hit::new(&CRITICAL_CLASS_DELETED, describe_deletion(change, true))]
    } else {
        Vec::new()
    }
}

/// Types whose deletion only takes access away: removing a rule or a permission is not a risk, and
/// a replace of one is judged by the rule it re-creates.
const ACCESS_GRANTS: &[&str] = &[
    "aws_security_group_rule",
    "aws_vpc_security_group_ingress_rule",
    "aws_vpc_security_group_egress_rule",
    "aws_iam_role_policy_attachment",
    "aws_iam_user_policy_attachment",
    "aws_iam_group_policy_attachment",
    "aws_iam_policy_attachment",
];

fn resource_deleted(change: &Change, ctx: &Context) -> Vec<Hit> {
    let t = change.resource_type.as_ref();
    // Stateful types get their own rule, which says what data is lost.
    let judged_elsewhere = super::stateful::data_lost(t).is_some() || ACCESS_GRANTS.contains(&t);
    if change.action.destroys() && !ctx.classes().is_critical(t) && !judged_elsewhere {
        vec![Hit::new(&RESOURCE_DELETED, describe_deletion(change, false))]
    } else {
        Vec::new()
    }
}

fn forgotten(change: &Change, _: &Context) -> Vec<Hit> {
    match change.action {
        Action::Forget => vec![Hit::new(
            &FORGOTTEN,
            format!("{} leaves Terraform's management (forget); the object stays in the cloud", change.display_name()),
        )],
        Action::CreateThenForget => vec![Hit::new(
            &FORGOTTEN,
            format!(
                "{} is created anew and the old object is forgotten: it stays in the cloud, unmanaged",
                change.display_name()
            ),
        )],
        _ => Vec::new(),
    }
}

/// Databases whose replacement starts empty unless restored from a snapshot.
const DATABASES: &[&str] = &["aws_db_instance", "aws_rds_cluster"];

fn restores_from_snapshot(change: &Change) -> bool {
    let after = change.values().after();
    ["snapshot_identifier", "restore_to_point_in_time"].iter().any(|a| {
        let value = after.get(a);
        // Known only after apply is what the provider computes when the configuration sets none.
        !value.is_unknown() && (value.as_str().is_some_and(|s| !s.is_empty()) || value.elements().next().is_some())
    })
}

/// The message the pipeline's readers know: "Attempting to delete ADDRESS", with why for a replace.
fn describe_deletion(change: &Change, data_lost: bool) -> String {
    let name = change.display_name();
    let why = change.action_reason.as_ref().and_then(ActionReason::describe);
    match change.action {
        Action::Delete => match why {
            // "No longer in the configuration" is what a delete means; other reasons explain.
            Some(why)
                if change.action_reason != Some(ActionReason::Known(KnownReason::DeleteBecauseNoResourceConfig)) =>
            {
                format!("Attempting to delete {name} ({why})")
            }
            _ => format!("Attempting to delete {name}"),
        },
        Action::ReplaceDeleteFirst | Action::ReplaceCreateFirst => {
            let order = if change.action == Action::ReplaceDeleteFirst {
                "delete, then create"
            } else {
                "create before destroy"
            };
            let forced_by: Vec<String> = change.replace_paths.iter().map(|p| crate::plan::display_path(p)).collect();
            let why = match (why, change.action_reason.as_ref()) {
                // Which attributes force it says more than "cannot be updated in place".
                (_, Some(ActionReason::Known(KnownReason::ReplaceBecauseCannotUpdate)) | None)
                    if !forced_by.is_empty() =>
                {
                    format!(" because a change to {} forces replacement", super::list_names(&forced_by, 4))
                }
                (Some(why), _) => format!(" because {why}"),
                (None, _) => String::new(),
            };
            let loss = match (DATABASES.contains(&change.resource_type.as_ref()), data_lost) {
                (true, _) if restores_from_snapshot(change) => {
                    "; the new database starts from the snapshot in snapshot_identifier: data written since is lost"
                }
                (true, _) => "; its data is lost unless the new database is restored from a snapshot",
                (false, true) => "; its data is lost",
                (false, false) => "",
            };
            format!("Attempting to replace {name} ({order}){why}{loss}")
        }
        _ => format!("Attempting to delete {name}"),
    }
}
