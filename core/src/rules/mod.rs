//! Rules turn one normalized change into findings. Each rule has a stable id and is documented
//! where it is declared; `plangate rules` and `plangate explain ID` read the same [`REGISTRY`].
//! Rules come in families (one file each): a family is one pure function that reads a change once
//! and reports hits for any of its rules. Rules never print and never read thresholds: the policy
//! does that. Two rules are judged across the whole plan instead ([`index_shift`],
//! [`expired_waiver`]).

mod database;
mod deletions;
pub mod drift;
pub mod expired_waiver;
mod high_risk_class;
mod iam;
mod iam_policy;
pub mod index_shift;
mod kms;
mod network;
mod security_group;
mod sg_permissions;
mod stateful;
mod storage;
mod transition;

use crate::plan::{Change, Mode};
use crate::policy::{Classes, Policy, RuleSettings, Waivers};
use crate::report::{Category, Finding, Severity};

/// What a rule may read besides the change itself, and what the runner applies to its findings.
#[derive(Debug, Clone, Copy)]
pub struct Context<'p> {
    pub classes: &'p Classes,
    pub settings: &'p RuleSettings,
    pub waivers: &'p Waivers,
}

impl<'p> Context<'p> {
    pub fn of(policy: &'p Policy) -> Context<'p> {
        Context { classes: &policy.classes, settings: &policy.rules, waivers: &policy.waivers }
    }

    /// The finding with the configured severity and any waiver applied; `None` when the rule is
    /// turned off.
    pub fn settle(&self, rule: &Rule, mut finding: Finding) -> Option<Finding> {
        finding.severity = self.settings.severity_of(rule)?;
        self.waivers.apply(&mut finding);
        Some(finding)
    }
}

/// One rule, with the documentation `plangate explain` prints. The checking is done by its
/// [`Family`], which reads a change once for all of its rules.
#[derive(Debug)]
pub struct Rule {
    /// Stable id, e.g. `PG-DEL-001`. Never reused for another meaning.
    pub id: &'static str,
    pub title: &'static str,
    pub category: Category,
    pub severity: Severity,
    /// Markdown: why it matters, what triggers it, an example.
    pub doc: &'static str,
}

/// A family of rules and the pure function that checks a change for all of them.
pub struct Family {
    pub rules: &'static [&'static Rule],
    pub check: fn(&Change, &Context) -> Vec<Hit>,
    /// A fallback family runs only when no other family found anything about the change, so a
    /// specific finding is not repeated by a generic one.
    pub fallback: bool,
}

/// What a family says about a change, for one of its rules; the runner makes it a [`Finding`].
#[derive(Debug, Clone)]
pub struct Hit {
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
pub static FAMILIES: &[&Family] = &[
    &deletions::FAMILY,
    &stateful::FAMILY,
    &security_group::FAMILY,
    &iam::FAMILY,
    &database::FAMILY,
    &network::FAMILY,
    &kms::FAMILY,
    &storage::FAMILY,
    &high_risk_class::FAMILY,
];

/// Every rule, in the order reports list them within a severity.
pub static REGISTRY: &[&Rule] = &[
    &deletions::CRITICAL_CLASS_DELETED,
    &deletions::RESOURCE_DELETED,
    &deletions::FORGOTTEN,
    &index_shift::INDEX_SHIFT,
    &stateful::STATEFUL_DELETED,
    &security_group::INBOUND_FROM_INTERNET,
    &security_group::INBOUND_ADDED,
    &security_group::OUTBOUND_ADDED,
    &security_group::INBOUND_UNVERIFIABLE,
    &iam::WILDCARD_ON_EVERYTHING,
    &iam::TRUST_ANYONE,
    &iam::ADMINISTRATOR_ATTACHED,
    &iam::ESCALATION_GRANTED,
    &iam::PERMISSIONS_BROADENED,
    &iam::POLICY_UNVERIFIABLE,
    &database::MADE_PUBLIC,
    &database::INSTANCE_CLASS_CHANGED,
    &database::PARAMETERS_CHANGED,
    &database::ENGINE_VERSION_CHANGED,
    &database::DATA_PROTECTION_WEAKENED,
    &network::SETTINGS_CHANGED,
    &network::ROUTES_CHANGED,
    &network::ACL_OPENED,
    &network::GATEWAY_DELETED,
    &kms::POLICY_ANYONE,
    &kms::PROTECTION_WEAKENED,
    &kms::POLICY_CHANGED,
    &storage::PUBLIC_ACCESS_BLOCK_WEAKENED,
    &storage::BUCKET_POLICY_PUBLIC,
    &storage::PUBLIC_ACL,
    &stateful::LOG_RETENTION_CUT,
    &high_risk_class::HIGH_RISK_CLASS_CHANGED,
    &expired_waiver::EXPIRED_WAIVER,
];

/// Whether an attribute-level family judges this type, so that the generic class rule stays quiet
/// about it: a tag edit or a removed rule is not a risk just because of the type.
pub(crate) fn judged_by_attribute_rules(resource_type: &str) -> bool {
    resource_type.starts_with("aws_iam_")
        || resource_type.starts_with("aws_kms_")
        || resource_type.starts_with("aws_security_group")
        || resource_type.starts_with("aws_vpc_security_group_")
        || database::TYPES.contains(&resource_type)
        || network::TYPES.contains(&resource_type)
}

/// Whether the rule is judged across the whole plan rather than by a family, change by change.
pub fn is_plan_wide(rule: &Rule) -> bool {
    [index_shift::INDEX_SHIFT.id, expired_waiver::EXPIRED_WAIVER.id].contains(&rule.id)
}

/// The rule with this id (case-insensitive).
pub fn find(id: &str) -> Option<&'static Rule> {
    REGISTRY.iter().copied().find(|rule| rule.id.eq_ignore_ascii_case(id))
}

/// All findings for one resource change. No-ops, reads and data sources have none.
pub fn evaluate(change: &Change, ctx: &Context) -> Vec<Finding> {
    if !change.action.is_counted() || change.mode == Mode::Data {
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
            let finding = Finding {
                address: change.display_name(),
                resource_type: change.resource_type.to_string(),
                actions: change.action.terraform_names(),
                severity: hit.rule.severity,
                rule: hit.rule.id,
                category: hit.category.unwrap_or(hit.rule.category),
                message: hit.message,
                waived: None,
            };
            findings.extend(ctx.settle(hit.rule, finding));
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
pub(crate) fn list_names(names: &[String], max: usize) -> String {
    let shown = names.iter().take(max).map(String::as_str).collect::<Vec<_>>().join(", ");
    if names.len() > max {
        format!("{shown} and {} more", names.len() - max)
    } else {
        shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_belongs_to_one_family_or_is_judged_plan_wide() {
        for rule in REGISTRY {
            let families = FAMILIES.iter().filter(|f| f.rules.iter().any(|r| r.id == rule.id)).count();
            assert_eq!(families + usize::from(is_plan_wide(rule)), 1, "{}", rule.id);
        }
        for family in FAMILIES {
            for rule in family.rules {
                assert!(find(rule.id).is_some(), "{} is not in the registry", rule.id);
            }
        }
    }

    #[test]
    fn ids_are_unique_well_formed_and_documented() {
        let mut ids: Vec<&str> = REGISTRY.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), REGISTRY.len(), "duplicate rule id");
        for rule in REGISTRY {
            assert!(rule.id.starts_with("PG-") && rule.id.len() >= 9, "{}", rule.id);
            for section in ["**Why it matters.**", "**What triggers it.**", "**Example.**"] {
                assert!(rule.doc.contains(section), "{} doc lacks {section}", rule.id);
            }
        }
        assert_eq!(find("pg-del-001").map(|r| r.id), Some("PG-DEL-001"));
    }
}
