//! Stateful data beyond the critical classes: deleting a file system, cache, search domain, data
//! warehouse, stream, registry, secret or backup vault loses what it holds; so does cutting log
//! retention.

use super::transition::Transition;
use super::{Context, Family, Hit};
use crate::plan::Change;
use crate::registry::{Category, LOG_RETENTION_CUT, STATEFUL_DELETED};

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
    rules: &[&STATEFUL_DELETED, &LOG_RETENTION_CUT],
    types: &["aws_cloudwatch_log_group"],
    category: Category::Other,
    check,
    fallback: false,
};

fn check(change: &Change, ctx: &Context) -> Vec<Hit> {
    [stateful_deleted(change, ctx), log_retention_cut(change, ctx)].into_iter().flatten().collect()
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
    vec![Hit::new(&STATEFUL_DELETED, format!("Attempting to {verb} {}: {lost}", change.display_name()))]
}

fn log_retention_cut(change: &Change, _: &Context) -> Vec<Hit> {
    if change.resource_type != "aws_cloudwatch_log_group" {
        return Vec::new();
    }
    let Some(t) = Transition::of(change, "retention_in_days") else { return Vec::new() };
    let cut = match (t.before.as_i64(), t.after.as_i64()) {
        (Some(0) | None, Some(after)) if after > 0 => Some(("never expire".to_string(), after)),
        (Some(before), Some(after)) if after > 0 && after < before => Some((format!("{before} days"), after)),
        _ => None,
    };
    match cut {
        Some((from, to)) => vec![Hit::new(
            &LOG_RETENTION_CUT,
            format!("{}: log retention cut from {from} to {to} days; older events are deleted", change.display_name()),
        )],
        None => Vec::new(),
    }
}
