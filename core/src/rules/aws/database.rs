//! Database Changes: RDS instances, clusters and parameter groups. What a reviewer must see is a
//! database made public, resized, reconfigured, upgraded, or left with weaker protection of its data.

use crate::plan::{Action, Change};
use crate::registry::{
    Category, Rule, DATA_PROTECTION_WEAKENED, ENGINE_VERSION_CHANGED, INSTANCE_CLASS_CHANGED, MADE_PUBLIC,
    PARAMETERS_CHANGED,
};
use crate::rules::model::transition::Transition;
use crate::rules::{Context, Family, Hit};

pub(crate) const TYPES: &[&str] = &[
    "aws_db_instance",
    "aws_rds_cluster",
    "aws_rds_cluster_instance",
    "aws_db_parameter_group",
    "aws_rds_cluster_parameter_group",
];

/// Other databases and warehouses with a `publicly_accessible` setting of their own (their other
/// settings are left to other families): made public, each gets a public address as an RDS
/// instance does. DocumentDB's is computed only, so it is not here.
const ALSO_PUBLIC: &[&str] = &[
    "aws_redshift_cluster",
    "aws_redshiftserverless_workgroup",
    "aws_neptune_cluster_instance",
    "aws_dms_replication_instance",
    "aws_lightsail_database",
    "aws_rds_shard_group",
    "aws_timestreaminfluxdb_db_instance",
];

pub static FAMILY: Family = Family {
    rules: &[
        &MADE_PUBLIC,
        &INSTANCE_CLASS_CHANGED,
        &PARAMETERS_CHANGED,
        &ENGINE_VERSION_CHANGED,
        &DATA_PROTECTION_WEAKENED,
    ],
    types: TYPES,
    category: Category::Database,
    check,
    fallback: false,
    also_reads: |t| ALSO_PUBLIC.contains(&t),
};

fn check(change: &Change, ctx: &Context) -> Vec<Hit> {
    [
        made_public(change, ctx),
        instance_class_changed(change, ctx),
        parameters_changed(change, ctx),
        engine_version_changed(change, ctx),
        data_protection_weakened(change, ctx),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn applies(change: &Change) -> bool {
    TYPES.contains(&change.resource_type.as_ref())
}

fn made_public(change: &Change, _: &Context) -> Vec<Hit> {
    let reads = applies(change) || ALSO_PUBLIC.contains(&change.resource_type.as_ref());
    if !reads || !change.attribute_changed("publicly_accessible") {
        return Vec::new();
    }
    let name = change.display_name();
    let after = change.values().after().get("publicly_accessible");
    let now_public = match Transition::of(change, "publicly_accessible") {
        Some(t) => t.turned_on(),
        None => change.action == Action::Create && after.as_bool() == Some(true),
    };
    if now_public {
        vec![Hit::new(&MADE_PUBLIC, format!("{name} is made publicly accessible: it gets a public address"))]
    } else if after.is_unknown() && !matches!(change.action, Action::Delete | Action::Forget) {
        vec![Hit::new(
            &MADE_PUBLIC,
            format!("{name}: whether it is publicly accessible cannot be verified before apply"),
        )]
    } else {
        Vec::new()
    }
}

fn changed_setting(rule: &'static Rule, change: &Change, names: &[&str], label: &str) -> Vec<Hit> {
    if !applies(change) {
        return Vec::new();
    }
    names
        .iter()
        .filter_map(|name| Transition::of(change, name).map(|t| (name, t)))
        // On a replacement, a setting the configuration leaves to the provider is known only after
        // apply because the resource is new: the replace finding says what forces it.
        .filter(|(name, t)| {
            !(change.action.is_replace() && t.after.is_wholly_unknown() && !forces_replacement(change, name))
        })
        .map(|(_, t)| Hit::new(rule, format!("{}: {label} {}", change.display_name(), t.describe())))
        .collect()
}

/// Whether a change to this top-level attribute is one of those that force the replacement.
fn forces_replacement(change: &Change, name: &str) -> bool {
    change.replace_paths.iter().any(|path| matches!(path.first(), Some(crate::plan::PathStep::Key(key)) if key == name))
}

fn instance_class_changed(change: &Change, _: &Context) -> Vec<Hit> {
    changed_setting(&INSTANCE_CLASS_CHANGED, change, &["instance_class", "db_cluster_instance_class"], "instance class")
}

fn parameters_changed(change: &Change, _: &Context) -> Vec<Hit> {
    let mut hits = changed_setting(
        &PARAMETERS_CHANGED,
        change,
        &["parameter_group_name", "db_parameter_group_name", "db_cluster_parameter_group_name"],
        "parameter group",
    );
    if applies(change) && Transition::of(change, "parameter").is_some() {
        let values = change.values();
        let names = |side: crate::plan::Attr<'_>| -> Vec<String> {
            side.get("parameter").elements().map(|p| p.get("name").display()).collect()
        };
        let (before, after) = (names(values.before()), names(values.after()));
        let mut touched: Vec<String> = after.iter().filter(|n| !before.contains(n)).cloned().collect();
        touched.extend(before.iter().filter(|n| !after.contains(n)).cloned());
        let detail =
            if touched.is_empty() { "values change".to_string() } else { crate::rules::list_names(&touched, 5) };
        hits.push(Hit::new(&PARAMETERS_CHANGED, format!("{}: parameters change ({detail})", change.display_name())));
    }
    hits
}

fn engine_version_changed(change: &Change, _: &Context) -> Vec<Hit> {
    changed_setting(&ENGINE_VERSION_CHANGED, change, &["engine_version"], "engine version")
}

fn data_protection_weakened(change: &Change, _: &Context) -> Vec<Hit> {
    if !applies(change) {
        return Vec::new();
    }
    let name = change.display_name();
    let mut hits = Vec::new();
    if let Some((from, to)) = Transition::of(change, "backup_retention_period").and_then(|t| t.reduced()) {
        hits.push(Hit::new(
            &DATA_PROTECTION_WEAKENED,
            format!("{name}: backup retention reduced from {from} to {to} days"),
        ));
    }
    if Transition::of(change, "deletion_protection").is_some_and(|t| t.turned_off()) {
        hits.push(Hit::new(&DATA_PROTECTION_WEAKENED, format!("{name}: deletion protection turned off")));
    }
    if Transition::of(change, "skip_final_snapshot").is_some_and(|t| t.turned_on()) {
        hits.push(Hit::new(&DATA_PROTECTION_WEAKENED, format!("{name}: no final snapshot will be taken on deletion")));
    }
    if Transition::of(change, "storage_encrypted").is_some_and(|t| t.turned_off()) {
        hits.push(Hit::new(&DATA_PROTECTION_WEAKENED, format!("{name}: storage encryption turned off")));
    }
    hits
}
