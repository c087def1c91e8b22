//! The rules of the `stateful` family: ids, titles, severities and the documentation `plangate
//! explain` prints. The family in `rules::stateful` judges changes against them.

use super::{Category, Rule, Severity};

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
critical class, when PG-DEL-001 reports it). Promote it with `rules: {PG-DATA-001: {severity: \
critical}}`.\n\n\
**Example.** Removing `aws_efs_file_system.shared` reports `Attempting to delete \
aws_efs_file_system.shared: every file on it is lost`.",
    plan_wide: false,
};

pub static LOG_RETENTION_CUT: Rule = Rule {
    id: "PG-DATA-002",
    title: "Log retention cut",
    category: Category::Other,
    severity: Severity::High,
    doc: "**Why it matters.** Shorter retention deletes existing log events older than the new \
limit: audit trails and incident evidence go with them.\n\n\
**What triggers it.** `retention_in_days` of `aws_cloudwatch_log_group` reduced, or set where it \
was 0 (never expire).\n\n\
**Example.** `retention_in_days = 365` changed to `7` reports `aws_cloudwatch_log_group.audit: log \
retention cut from 365 to 7 days; older events are deleted`.",
    plan_wide: false,
};
