//! Resource Deletions: deleting or replacing a resource destroys the object; for stateful classes
//! that means the data goes with it.

use serde_json::Value;

use crate::plan::{Action, ActionReason, Attr, Change, KnownReason};
use crate::registry::{Category, CRITICAL_CLASS_DELETED, FORGOTTEN, RESOURCE_DELETED, ROUTINE_REPLACEMENT};
use crate::rules::{nothing_else, Context, Family, Hit};

pub static FAMILY: Family = Family {
    rules: &[&CRITICAL_CLASS_DELETED, &RESOURCE_DELETED, &FORGOTTEN, &ROUTINE_REPLACEMENT],
    types: &[],
    category: Category::ResourceDeletions,
    check,
    fallback: false,
    also_reads: nothing_else,
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
    // Stateful types get their own rule, which says what data is lost; deleting what protects or
    // records is reported for what it stops doing.
    let judged_elsewhere = crate::rules::aws::stateful::data_lost(t).is_some()
        || ACCESS_GRANTS.contains(&t)
        || crate::rules::any::meanings::guards(change, ctx);
    if !change.action.destroys() || ctx.classes().is_critical(t) || judged_elsewhere {
        return Vec::new();
    }
    match routine(change, ctx) {
        Some(what) => vec![Hit::new(
            &ROUTINE_REPLACEMENT,
            format!("{} is replaced {what}: a routine deploy", change.display_name()),
        )],
        None => vec![Hit::new(&RESOURCE_DELETED, describe_deletion(change, false))],
    }
}

/// What a routine replacement changes, when the change is one: a type of `routine:` replaced
/// because its configuration or a trigger changed (for a task definition, only in what a release
/// changes). A tainted object, or one replaced on request, is something else: a failure or a
/// decision a reviewer should see.
fn routine(change: &Change, ctx: &Context) -> Option<&'static str> {
    let by_design = matches!(
        change.action_reason,
        None | Some(ActionReason::Known(KnownReason::ReplaceBecauseCannotUpdate | KnownReason::ReplaceByTriggers))
    );
    if !change.action.is_replace() || !by_design || !ctx.config.is_routine(&change.resource_type) {
        return None;
    }
    if change.resource_type == "aws_ecs_task_definition" {
        return only_a_release(change)
            .then_some("by a new revision that changes only container image, environment or sizing");
    }
    Some("as its type is on every change")
}

/// What a release of a task definition may change: the containers' image, environment and sizing,
/// the task's sizing, and what the new revision is called.
const RELEASE_ATTRIBUTES: &[&str] =
    &["container_definitions", "cpu", "memory", "arn", "arn_without_revision", "id", "revision", "tags", "tags_all"];
const RELEASE_KEYS: &[&str] = &["image", "environment", "cpu", "memory", "memoryReservation"];
/// What the task may do and how it runs: never routine, even when only computed anew.
const TASK_POWERS: &[&str] = &["task_role_arn", "execution_role_arn", "network_mode", "pid_mode", "ipc_mode"];

/// Whether a replaced task definition differs only in what a release changes. Containers known
/// only after apply, or sensitive, cannot be compared: then it is not.
fn only_a_release(change: &Change) -> bool {
    let values = change.values();
    let other_change = |name: &str| {
        let (before, after) = (values.before().get(name), values.after().get(name));
        if RELEASE_ATTRIBUTES.contains(&name) || (unset(before) && unset(after)) {
            return false;
        }
        // A setting the provider computes for the new revision, unset before, is no change of
        // configuration; what the task may do is, however it is computed.
        !(after.is_wholly_unknown() && unset(before) && !TASK_POWERS.contains(&name))
    };
    if change.changed_attributes().iter().any(|name| other_change(name)) {
        return false;
    }
    let containers = |side: Attr<'_>| -> Option<Vec<Value>> {
        let text = side.get("container_definitions").as_str()?;
        let Value::Array(list) = serde_json::from_str(text).ok()? else { return None };
        let mut list: Vec<Value> = list.into_iter().map(settings_kept).collect();
        list.sort_by_key(|c| c.get("name").and_then(Value::as_str).map(str::to_owned));
        Some(list)
    };
    matches!((containers(values.before()), containers(values.after())), (Some(b), Some(a)) if a == b)
}

/// Whether a value says nothing: absent, null, empty or false (state records "" where the
/// configuration leaves a setting out).
fn unset(attr: Attr<'_>) -> bool {
    !attr.is_unknown()
        && match attr.known() {
            None | Some(Value::Null | Value::Bool(false)) => !attr.is_sensitive(),
            Some(Value::String(s)) => s.is_empty(),
            Some(Value::Array(a)) => a.is_empty(),
            Some(Value::Object(o)) => o.is_empty(),
            Some(_) => false,
        }
}

/// A container's settings but what a release changes, with the values that mean "not set" (null,
/// empty lists and objects, `essential: true`) left out: the provider stores the defaults AWS
/// fills in, the configuration does not write them.
fn settings_kept(container: Value) -> Value {
    let Value::Object(map) = container else { return container };
    let says_nothing = |key: &str, value: &Value| match value {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        Value::Bool(true) => key == "essential",
        _ => false,
    };
    let kept =
        map.into_iter().filter(|(key, value)| !RELEASE_KEYS.contains(&key.as_str()) && !says_nothing(key, value));
    Value::Object(kept.collect())
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
        Action::Delete => {
            let last_copy = crate::rules::aws::stateful::final_snapshot(change);
            match why {
                // "No longer in the configuration" is what a delete means; other reasons explain.
                Some(why)
                    if change.action_reason
                        != Some(ActionReason::Known(KnownReason::DeleteBecauseNoResourceConfig)) =>
                {
                    format!("Attempting to delete {name} ({why}){last_copy}")
                }
                _ => format!("Attempting to delete {name}{last_copy}"),
            }
        }
        Action::ReplaceDeleteFirst | Action::ReplaceCreateFirst => {
            let order = if change.action == Action::ReplaceDeleteFirst {
                "delete, then create"
            } else {
                "create before destroy"
            };
            let mut forced_by: Vec<String> = Vec::new();
            for shown in change.replace_paths.iter().map(|p| change.shown_path(p)) {
                if !forced_by.contains(&shown) {
                    forced_by.push(shown);
                }
            }
            let why = match (why, change.action_reason.as_ref()) {
                // Which attributes force it says more than "cannot be updated in place".
                (_, Some(ActionReason::Known(KnownReason::ReplaceBecauseCannotUpdate)) | None)
                    if !forced_by.is_empty() =>
                {
                    format!(" because a change to {} forces replacement", crate::rules::list_names(&forced_by, 4))
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
