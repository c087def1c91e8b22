//! Database Changes: RDS instances, clusters and parameter groups. What a reviewer must see is a
//! database made public, resized, reconfigured, upgraded, or left with weaker protection of its data.

use super::transition::Transition;
use super::{Context, Family, Hit, Rule};
use crate::plan::{Action, Change};
use crate::report::{Category, Severity};

pub(crate) const TYPES: &[&str] = &[
    "aws_db_instance",
    "aws_rds_cluster",
    "aws_rds_cluster_instance",
    "aws_db_parameter_group",
    "aws_rds_cluster_parameter_group",
];

pub static MADE_PUBLIC: Rule = Rule {
    id: "PG-DB-001",
    title: "Database made publicly accessible",
    category: Category::Database,
    severity: Severity::Critical,
    doc: "**Why it matters.** A publicly accessible database gets a public DNS name and address; one \
permissive security group away from the internet, it is the classic data breach.\n\n\
**What triggers it.** `publicly_accessible` turned on for `aws_db_instance` or \
`aws_rds_cluster_instance` (or a new one created public), or known only after apply.\n\n\
**Example.** `publicly_accessible = false` changed to `true` reports `aws_db_instance.app is made \
publicly accessible`.",
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
};

pub static FAMILY: Family = Family {
    rules: &[
        &MADE_PUBLIC,
        &INSTANCE_CLASS_CHANGED,
        &PARAMETERS_CHANGED,
        &ENGINE_VERSION_CHANGED,
        &DATA_PROTECTION_WEAKENED,
    ],
    check,
    fallback: false,
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
    if !applies(change) || !change.attribute_changed("publicly_accessible") {
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
        .filter_map(|name| Transition::of(change, name))
        .map(|t| Hit::new(rule, format!("{}: {label} {}", change.display_name(), t.describe())))
        .collect()
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
        let detail = if touched.is_empty() { "values change".to_string() } else { super::list_names(&touched, 5) };
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
