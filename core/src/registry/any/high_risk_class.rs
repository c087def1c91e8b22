//! The rules of the `high_risk_class` family: ids, titles, severities and the documentation `plangate
//! explain` prints. The family in `rules::any::high_risk_class` reports them.

use crate::registry::{Category, Rule, Severity};

pub static HIGH_RISK_CLASS_CHANGED: Rule = Rule {
    id: "PG-CLS-001",
    title: "A resource of a high-risk class is created or changed",
    category: Category::Other,
    severity: Severity::High,
    doc: "**Why it matters.** Security groups, IAM roles and policies and database instances \
decide who can reach what; any change to them deserves a reviewer, even when no specific rule \
recognises the danger.\n\n\
**What triggers it.** A create or an update of a resource whose type matches \
`resource_classifications.high_risk` (default: `aws_security_group`, `aws_iam_role`, \
`aws_iam_policy`, `aws_db_instance`), when no other rule already reported the change. A create is \
always reported. An update is reported unless only `tags`/`tags_all` change, or an attribute-level \
family judges the type (security groups, IAM policies, roles and attachments, KMS keys, databases, \
network and S3 exposure resources are judged by what changed, so an update they find harmless, such \
as a removed rule, adds nothing because of its class). Which types a family judges is declared on \
the family, so every other type of a configured class, `aws_iam_access_key` under `aws_iam_*` \
say, is always reported. The finding is filed under the family that judges the type, else Other.\n\n\
**Example.** With `high_risk: [aws_lambda_function]`, an update of `aws_lambda_function.api` that \
changes `role` reports `Modifying aws_lambda_function.api (high-risk class): role changes`.",
    plan_wide: false,
};

/// The rules declared here, in the order `plangate rules` lists them.
pub(super) static DECLARED: &[&Rule] = &[&HIGH_RISK_CLASS_CHANGED];
