//! The rules of the `hidden` family: ids, titles, severities and the documentation `plangate
//! explain` prints. The family in `rules::any::hidden` reports them.

use crate::registry::{Category, Rule, Severity};

pub static SENSITIVE_UNVERIFIABLE: Rule = Rule {
    id: "PG-READ-002",
    title: "A value the rules judge is marked sensitive",
    category: Category::Other,
    severity: Severity::High,
    doc: "**Why it matters.** plangate never reads a value the plan marks sensitive, so no report, \
comment or annotation can show it. But a configuration can mark any value sensitive, with the \
`sensitive()` function or a sensitive variable: the direction of a security group rule, a load \
balancer's `internal`, a bucket's `force_destroy`. A rule that needs such a value cannot judge \
the change, and the change must not pass because the value was hidden.\n\n\
**What triggers it.** A created, updated, replaced or deleted resource for which a rule asked for a \
value that is present in the plan but marked sensitive (in `before_sensitive` or \
`after_sensitive`). Attributes that hold secrets (passwords, keys) are not what the rules judge, \
so they do not trigger it.\n\n\
**What to do.** Do not mark the attributes the gate judges sensitive; or review the change by hand \
and waive the finding.\n\n\
**Example.** `aws_security_group_rule.ssh cannot be verified: a value the rules judge is marked \
sensitive in the plan, so it is not read (sensitive: type)`.",
    plan_wide: true,
};

/// The rules declared here, in the order `plangate rules` lists them.
pub(super) static DECLARED: &[&Rule] = &[&SENSITIVE_UNVERIFIABLE];
