//! Changes to high-risk resource classes: a generic check by type, for what no attribute-level rule
//! explains better. It runs only where no other family said anything about the change. A new
//! resource of a high-risk class is always worth a reviewer; an update is, unless a family judges
//! the type's attributes and found the update harmless (a removed rule, a narrowed policy).

use crate::plan::{Action, Change};
use crate::registry::{Category, HIGH_RISK_CLASS_CHANGED};
use crate::rules::{category_of, judged_by_a_family, list_names, nothing_else, Context, Family, Hit};

pub static FAMILY: Family = Family {
    rules: &[&HIGH_RISK_CLASS_CHANGED],
    types: &[],
    category: Category::Other,
    check: high_risk_class_changed,
    fallback: true,
    also_reads: nothing_else,
};

fn high_risk_class_changed(change: &Change, ctx: &Context) -> Vec<Hit> {
    if !ctx.classes().is_high_risk(&change.resource_type) {
        return Vec::new();
    }
    let category = category_of(&change.resource_type);
    let name = change.display_name();
    match change.action {
        Action::Create => {
            vec![Hit::in_category(&HIGH_RISK_CLASS_CHANGED, category, format!("Creating {name} (high-risk class)"))]
        }
        Action::Update if !judged_by_a_family(&change.resource_type) => {
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
