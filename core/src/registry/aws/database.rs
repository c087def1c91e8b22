//! The rules of the `database` family: ids, titles, severities and the documentation `plangate
//! explain` prints. The family in `rules::aws::database` reports them.

use crate::registry::{Category, Rule, Severity};

pub static MADE_PUBLIC: Rule = Rule {
    id: "PG-DB-001",
    title: "Database made publicly accessible",
    category: Category::Database,
    severity: Severity::Critical,
    doc: "**Why it matters.** A publicly accessible database gets a public DNS name and address; one \
permissive security group away from the internet, it is the classic data breach.\n\n\
**What triggers it.** `publicly_accessible` turned on (or a new one created public, or known only \
after apply) for `aws_db_instance`, `aws_rds_cluster_instance`, `aws_rds_shard_group`, \
`aws_redshift_cluster` (public by default in the AWS provider 5), \
`aws_redshiftserverless_workgroup`, `aws_neptune_cluster_instance`, \
`aws_dms_replication_instance`, `aws_lightsail_database` or `aws_timestreaminfluxdb_db_instance`.\n\n\
**Example.** `publicly_accessible = false` changed to `true` reports `aws_db_instance.app is made \
publicly accessible`.",
    plan_wide: false,
};

pub static INSTANCE_CLASS_CHANGED: Rule = Rule {
    id: "PG-DB-002",
    title: "Database instance class changed",
    category: Category::Database,
    severity: Severity::High,
    doc: "**Why it matters.** Changing the instance class restarts the database (downtime unless \
Multi-AZ) and changes its cost and capacity.\n\n\
**What triggers it.** `instance_class` (`db_cluster_instance_class` for clusters) changes.\n\n\
**Example.** `db.t3.medium` to `db.r6g.large` reports `aws_db_instance.app: instance class \
db.t3.medium → db.r6g.large`.",
    plan_wide: false,
};

pub static PARAMETERS_CHANGED: Rule = Rule {
    id: "PG-DB-003",
    title: "Database parameter group or parameters changed",
    category: Category::Database,
    severity: Severity::High,
    doc: "**Why it matters.** Parameters change how the engine behaves (connections, memory, \
logging, replication); some apply only after a reboot, so the effect can arrive later.\n\n\
**What triggers it.** A different parameter group on an instance or cluster, or changed \
`parameter` entries of `aws_db_parameter_group` / `aws_rds_cluster_parameter_group`.\n\n\
**Example.** `parameter_group_name = \"default.postgres15\"` to `\"app-pg15\"` reports \
`aws_db_instance.app: parameter group default.postgres15 → app-pg15`.",
    plan_wide: false,
};

pub static ENGINE_VERSION_CHANGED: Rule = Rule {
    id: "PG-DB-004",
    title: "Database engine version changed",
    category: Category::Database,
    severity: Severity::High,
    doc: "**Why it matters.** An engine upgrade restarts the database, may be irreversible (major \
versions), and can change query behaviour.\n\n\
**What triggers it.** `engine_version` changes on an instance or cluster.\n\n\
**Example.** `15.4` to `16.1` reports `aws_rds_cluster.analytics: engine version 15.4 → 16.1`.",
    plan_wide: false,
};

pub static DATA_PROTECTION_WEAKENED: Rule = Rule {
    id: "PG-DB-005",
    title: "Database data protection weakened",
    category: Category::Database,
    severity: Severity::High,
    doc: "**Why it matters.** Backups, deletion protection, a final snapshot and encryption are what \
let data survive a mistake; weakening any of them turns the next mistake into data loss.\n\n\
**What triggers it.** `backup_retention_period` reduced, `deletion_protection` turned off, \
`skip_final_snapshot` turned on, or `storage_encrypted` turned off.\n\n\
**Example.** `backup_retention_period = 7` changed to `1` reports `aws_rds_cluster.analytics: \
backup retention reduced from 7 to 1 days`.",
    plan_wide: false,
};

/// The rules declared here, in the order `plangate rules` lists them.
pub(super) static DECLARED: &[&Rule] =
    &[&MADE_PUBLIC, &INSTANCE_CLASS_CHANGED, &PARAMETERS_CHANGED, &ENGINE_VERSION_CHANGED, &DATA_PROTECTION_WEAKENED];
