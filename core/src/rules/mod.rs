//! Rules turn one normalized change into findings. Rules come in families (one file each): a family
//! is one pure function that reads a change once and reports hits for any of its rules, and it
//! declares the resource types whose attributes it judges. Those declarations are the one source
//! of type knowledge: they decide the category of a type and which types the high-risk-class
//! fallback must speak for. Rules never print and never read thresholds: the policy does that. Two
//! rules are judged across the whole plan instead (index shifts, expired waivers). The rules
//! themselves (ids, docs) are declared in [`crate::registry`].

mod config;
mod controls;
mod credentials;
mod database;
mod deletions;
pub(crate) mod drift;
pub(crate) mod expired_waiver;
mod exposure;
pub(crate) mod group_exposure;
pub(crate) mod hidden;
mod high_risk_class;
mod iam;
mod iam_policy;
pub(crate) mod index_shift;
mod kms;
pub(crate) mod managed_drift;
pub(crate) mod masked;
mod network;
mod public_exposure;
pub(crate) mod resource_policy;
mod security_group;
mod sg_permissions;
mod stateful;
mod storage;
mod transition;

pub use config::{
    AccountId, Classes, ClassificationsSection, RuleConfig, RuleSetting, RuleSettings, Waiver, WaiverRule,
};

use crate::date::Date;
use crate::plan::{Action, Change, Mode};
use crate::registry::{Category, Rule};
use crate::report::Finding;

/// What a rule may read besides the change itself, and what the runner applies to its findings.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Context<'p> {
    pub config: &'p RuleConfig,
    /// The day waivers are judged on.
    pub today: Date,
    /// The providers (`source version`) whose values a native reading of a binary plan masked.
    pub masked: &'p [&'p str],
}

impl<'p> Context<'p> {
    pub fn new(config: &'p RuleConfig, today: Date) -> Context<'p> {
        Context { config, today, masked: &[] }
    }

    /// The same, for a plan whose values of `masked` providers are masked.
    pub fn masking(self, masked: &'p [&'p str]) -> Context<'p> {
        Context { masked, ..self }
    }

    pub fn classes(&self) -> &'p Classes {
        &self.config.classes
    }

    /// A finding of `rule` about one resource, settled (see [`Context::settle`]).
    pub fn finding(
        &self,
        rule: &Rule,
        category: Category,
        address: String,
        resource_type: String,
        actions: Action,
        message: String,
    ) -> Option<Finding> {
        let finding = Finding {
            address,
            resource_type,
            actions,
            severity: rule.severity,
            rule: rule.id.to_string(),
            category,
            message,
            waived: None,
            location: None,
        };
        self.settle(rule, finding)
    }

    /// The finding with the configured severity and any waiver applied; `None` when the rule is
    /// turned off.
    pub fn settle(&self, rule: &Rule, mut finding: Finding) -> Option<Finding> {
        finding.severity = self.config.settings.severity_of(rule)?;
        self.config.apply_waivers(&mut finding, self.today);
        Some(finding)
    }
}

/// A family of rules and the pure function that checks a change for all of them.
pub(crate) struct Family {
    pub rules: &'static [&'static Rule],
    /// The resource types whose attributes the family reads. Empty for a family that judges only
    /// the action, whatever the type (deletions).
    pub types: &'static [&'static str],
    /// Where a change to one of `types` is filed when no rule says otherwise.
    pub category: Category,
    pub check: fn(&Change, &Context) -> Vec<Hit>,
    /// A fallback family runs only when no other family found anything about the change, so a
    /// specific finding is not repeated by a generic one.
    pub fallback: bool,
}

/// What a family says about a change, for one of its rules; the runner makes it a [`Finding`].
#[derive(Debug, Clone)]
pub(crate) struct Hit {
    pub rule: &'static Rule,
    pub message: String,
    /// Overrides the rule's category, for rules that span families.
    pub category: Option<Category>,
}

impl Hit {
    pub fn new(rule: &'static Rule, message: impl Into<String>) -> Hit {
        Hit { rule, message: message.into(), category: None }
    }
    pub fn in_category(rule: &'static Rule, category: Category, message: impl Into<String>) -> Hit {
        Hit { rule, message: message.into(), category: Some(category) }
    }
}

/// The families that judge changes one by one, in the order their findings are listed.
pub(crate) static FAMILIES: &[&Family] = &[
    &deletions::FAMILY,
    &stateful::FAMILY,
    &security_group::FAMILY,
    &iam::FAMILY,
    &database::FAMILY,
    &network::FAMILY,
    &kms::FAMILY,
    &storage::FAMILY,
    &resource_policy::FAMILY,
    &credentials::FAMILY,
    &public_exposure::FAMILY,
    &controls::FAMILY,
    &high_risk_class::FAMILY,
];

/// The family that judges this type's attributes, if one does.
fn judging_family(resource_type: &str) -> Option<&'static Family> {
    FAMILIES.iter().copied().find(|family| family.types.contains(&resource_type))
}

/// Whether an attribute-level family judges this type, so that an update the family found harmless
/// is not reported again just because of the type.
pub(crate) fn judged_by_a_family(resource_type: &str) -> bool {
    judging_family(resource_type).is_some()
}

/// The category of a type: its judging family's, or [`Category::Other`].
pub fn category_of(resource_type: &str) -> Category {
    judging_family(resource_type).map_or(Category::Other, |family| family.category)
}

/// Whether rules judge this change at all: no-ops, reads and data sources have no findings.
pub(crate) fn judged(change: &Change) -> bool {
    change.action.is_counted() && change.mode != Mode::Data
}

/// All findings for one resource change (none for what is not [`judged`]).
pub(crate) fn evaluate(change: &Change, ctx: &Context) -> Vec<Finding> {
    if !judged(change) {
        return Vec::new();
    }
    evaluate_with(change, ctx, |_| true)
}

/// The findings of the rules `wanted` selects, fallbacks only where nothing else spoke.
pub(crate) fn evaluate_with(change: &Change, ctx: &Context, wanted: impl Fn(&Rule) -> bool) -> Vec<Finding> {
    let mut findings = Vec::new();
    for fallback in [false, true] {
        if fallback && !findings.is_empty() {
            break;
        }
        let families = FAMILIES.iter().filter(|f| f.fallback == fallback && f.rules.iter().any(|r| wanted(r)));
        for hit in families.flat_map(|family| (family.check)(change, ctx)).filter(|hit| wanted(hit.rule)) {
            let category = hit.category.unwrap_or(hit.rule.category);
            let (address, resource_type) = (change.display_name(), change.resource_type.to_string());
            findings.extend(ctx.finding(hit.rule, category, address, resource_type, change.action, hit.message));
        }
    }
    findings
}

/// The items of `after` that no item of `before` covers, once each: what a change adds or widens
/// (security-group permissions, IAM grants), so removing or narrowing is never reported.
pub(crate) fn not_covered<T: Clone + PartialEq>(before: &[T], after: &[T], covers: impl Fn(&T, &T) -> bool) -> Vec<T> {
    let mut added: Vec<T> = Vec::new();
    for item in after {
        if !before.iter().any(|old| covers(old, item)) && !added.contains(item) {
            added.push(item.clone());
        }
    }
    added
}

/// "a, b and 3 more": attribute names for messages, never values.
pub(crate) fn list_names<S: AsRef<str>>(names: &[S], max: usize) -> String {
    let shown = names.iter().take(max).map(AsRef::as_ref).collect::<Vec<_>>().join(", ");
    if names.len() > max {
        format!("{shown} and {} more", names.len() - max)
    } else {
        shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::REGISTRY;

    #[test]
    fn every_rule_belongs_to_one_family_or_is_judged_plan_wide() {
        for rule in REGISTRY {
            let families = FAMILIES.iter().filter(|f| f.rules.iter().any(|r| r.id == rule.id)).count();
            assert_eq!(families + usize::from(rule.plan_wide), 1, "{}", rule.id);
        }
    }

    #[test]
    fn each_type_is_judged_by_one_family_at_most() {
        let mut seen = std::collections::BTreeMap::new();
        for (i, family) in FAMILIES.iter().enumerate() {
            for t in family.types {
                assert!(seen.insert(*t, i).is_none(), "{t} is declared by two families");
            }
        }
    }

    #[test]
    fn categories_come_from_the_family_declarations() {
        assert_eq!(category_of("aws_vpc_security_group_ingress_rule"), Category::SecurityGroups);
        assert_eq!(category_of("aws_iam_role_policy"), Category::Iam);
        assert_eq!(category_of("aws_rds_cluster"), Category::Database);
        assert_eq!(category_of("aws_route_table"), Category::Vpc);
        assert_eq!(category_of("aws_route53_zone"), Category::Other);
        assert_eq!(category_of("aws_kms_key"), Category::Kms);
    }
}
