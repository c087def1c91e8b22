//! The rules of the `masked` family: ids, titles, severities and the documentation `plangate
//! explain` prints. The family in `rules::any::masked` reports them.

use crate::registry::{Category, Rule, Severity};

pub static MASKED_VALUES: Rule = Rule {
    id: "PG-READ-001",
    title: "Values masked: no schema table for the provider version",
    category: Category::Other,
    severity: Severity::High,
    doc: "**Why it matters.** A binary plan file stores values without their types and records \
sensitive values only where the configuration made them so; which attributes the provider itself \
marks sensitive comes from its schema. plangate reads binary plans without terraform using schema \
tables it embeds (the AWS provider 5.100.0) or that it is given. For a provider version it has no \
table for, it cannot tell a password from a name, so it marks all of that provider's values \
sensitive: nothing is shown, and no rule can verify what the values hide. Each such change is \
reported as unverifiable instead of passing.\n\n\
**What triggers it.** A created, updated, replaced or deleted resource in a binary plan read \
natively (`--plan-reader native`, or `auto` with no terraform installed) whose provider version has \
no schema table.\n\n\
**What to do.** Show the plan with terraform (`--plan-reader terraform`, in the plan's working \
directory), or make a table once with `scripts/schema-table SOURCE VERSION` and pass it with \
`--schema-table FILE` (or `schema_tables:` in the configuration).\n\n\
**Example.** `aws_s3_bucket.logs cannot be verified: its values are masked, because plangate has \
no schema table for registry.terraform.io/hashicorp/aws 5.35.0, the provider version that made the \
plan`.",
    plan_wide: true,
};

/// The rules declared here, in the order `plangate rules` lists them.
pub(super) static DECLARED: &[&Rule] = &[&MASKED_VALUES];
