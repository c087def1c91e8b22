//! The rules of the `stateful` family: ids, titles, severities and the documentation `plangate
//! explain` prints. The family in `rules::aws::stateful` reports them.

use crate::registry::{Category, Rule, Severity};

pub static STATEFUL_DELETED: Rule = Rule {
    id: "PG-DATA-001",
    title: "A stateful resource is deleted or replaced: its data is lost",
    category: Category::ResourceDeletions,
    severity: Severity::High,
    doc: "**Why it matters.** These resources hold data that does not come back with a re-create: \
files, caches, indexes, warehouse tables, stream records, images, secrets, backups.\n\n\
**What triggers it.** Deleting or replacing `aws_efs_file_system`, `aws_elasticache_cluster`, \
`aws_elasticache_replication_group`, `aws_opensearch_domain`, `aws_elasticsearch_domain`, \
`aws_redshift_cluster`, `aws_docdb_cluster`, `aws_neptune_cluster`, `aws_kinesis_stream`, \
`aws_ecr_repository`, `aws_secretsmanager_secret` or `aws_backup_vault` (unless the type is a \
critical class, when PG-DEL-001 reports it). Deleting a database or warehouse says whether a \
final snapshot is taken (`skip_final_snapshot` as the state holds it), here and in PG-DEL-001 and \
PG-DEL-002. Promote it with `rules: {PG-DATA-001: {severity: critical}}`.\n\n\
**Example.** Removing `aws_efs_file_system.shared` reports `Attempting to delete \
aws_efs_file_system.shared: every file on it is lost`.",
    plan_wide: false,
};

/// The rules declared here, in the order `plangate rules` lists them.
pub(super) static DECLARED: &[&Rule] = &[&STATEFUL_DELETED];
