//! Changes to high-risk resource classes: a generic check by type, for what no attribute-level rule
//! explains better.

use super::{list_names, Context, Family, Hit, Rule};
use crate::plan::{Action, Change};
use crate::report::{Category, Severity};

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
`aws_iam_policy`, `aws_db_instance`), unless only `tags`/`tags_all` change, and only when no other \
rule already reported the change, and only for types that no attribute-level family judges \
(security groups, IAM, KMS, databases and network resources are judged by what changed, so their \
class alone adds nothing). Use it for classes you add yourself. The finding is filed under the \
resource's family.\n\n\
**Example.** With `high_risk: [aws_lambda_function]`, an update of `aws_lambda_function.api` that \
changes `role` reports `Modifying aws_lambda_function.api (high-risk class): role changes`.",
};

pub static FAMILY: Family =
    Family { rules: &[&HIGH_RISK_CLASS_CHANGED], check: high_risk_class_changed, fallback: true };

fn high_risk_class_changed(change: &Change, ctx: &Context) -> Vec<Hit> {
    if !ctx.classes.is_high_risk(&change.resource_type) || super::judged_by_attribute_rules(&change.resource_type) {
        return Vec::new();
    }
    let category = Category::for_resource_type(&change.resource_type);
    let name = change.display_name();
    match change.action {
        Action::Create => {
            vec![Hit::in_category(&HIGH_RISK_CLASS_CHANGED, category, format!("Creating {name} (high-risk class)"))]
        }
        Action::Update => {
            let changed = change.changed_attributes();
            if changed.is_empty() || change.is_tags_only_update() {
                return Vec::new();
            }
            let verb = if changed.len() == 1 { "changes" } else { "change" };
            vec![Hit::in_category(
                &HIGH_RISK_CLASS_CHANGED,
                category,
                format!("Modifying {name} (high-risk class): {} {verb}", list_names(changed, 5)),
            )]
        }
        _ => Vec::new(),
    }
}
