//! Stateful data beyond the critical classes: deleting a file system, cache, search domain, data
//! warehouse, stream, registry, secret or backup vault loses what it holds (cutting a retention is
//! judged with the attribute meanings).

use crate::plan::Change;
use crate::registry::{Category, STATEFUL_DELETED};
use crate::rules::{nothing_else, Context, Family, Hit};

/// Types whose deletion loses data, with a clause saying what is lost.
pub(crate) const STATEFUL_TYPES: &[(&str, &str)] = &[
    ("aws_efs_file_system", "every file on it is lost"),
    ("aws_elasticache_cluster", "its cached data is lost"),
    ("aws_elasticache_replication_group", "its data is lost"),
    ("aws_opensearch_domain", "its indexes are lost"),
    ("aws_elasticsearch_domain", "its indexes are lost"),
    ("aws_redshift_cluster", "its warehouse data is lost"),
    ("aws_docdb_cluster", "its documents are lost"),
    ("aws_neptune_cluster", "its graph data is lost"),
    ("aws_kinesis_stream", "the records not yet consumed are lost"),
    ("aws_ecr_repository", "every image in it is lost"),
    ("aws_secretsmanager_secret", "the secret value is lost after the recovery window"),
    ("aws_backup_vault", "its recovery points are lost"),
];

pub static FAMILY: Family = Family {
    rules: &[&STATEFUL_DELETED],
    types: &[],
    category: Category::Other,
    check,
    fallback: false,
    also_reads: nothing_else,
};

fn check(change: &Change, ctx: &Context) -> Vec<Hit> {
    stateful_deleted(change, ctx)
}

/// What deleting a resource of this type loses, when it is a stateful type.
pub(crate) fn data_lost(resource_type: &str) -> Option<&'static str> {
    STATEFUL_TYPES.iter().find(|(t, _)| *t == resource_type).map(|(_, lost)| *lost)
}

fn stateful_deleted(change: &Change, ctx: &Context) -> Vec<Hit> {
    let Some(lost) = data_lost(&change.resource_type) else { return Vec::new() };
    if !change.action.destroys() || ctx.classes().is_critical(&change.resource_type) {
        return Vec::new();
    }
    let verb = if change.action.is_replace() { "replace" } else { "delete" };
    let name = change.display_name();
    vec![Hit::new(&STATEFUL_DELETED, format!("Attempting to {verb} {name}: {lost}{}", final_snapshot(change)))]
}

/// What a deleted database or warehouse leaves behind: its `skip_final_snapshot` as the state
/// holds it says whether the delete keeps a last copy. Empty for other types and for replacements
/// (a replaced resource's new configuration decides nothing about the old one's last copy).
pub(crate) fn final_snapshot(change: &Change) -> &'static str {
    if change.action != crate::plan::Action::Delete {
        return "";
    }
    match change.values().before().get("skip_final_snapshot").as_bool() {
        Some(true) => "; skip_final_snapshot is set: no final snapshot is taken, nothing is left to restore",
        Some(false) => "; a final snapshot is taken",
        None => "",
    }
}
