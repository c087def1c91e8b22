//! Rules turn normalized changes into findings. Rules come in families, one file each, registered
//! in two tables here: a per-change family (`FAMILIES`) is one pure function that reads a change
//! once and reports hits for any of its rules, and declares the resource types whose attributes it
//! judges (those declarations are the one source of type knowledge: they decide the category of a
//! type and which types the high-risk-class fallback must speak for); a plan-wide family
//! (`PLAN_WIDE`, see `plan_wide`) observes each change and reports once the plan is read.
//! `PlanJudge` runs them all for the check, which knows none of them. Rules never print and never
//! read thresholds: the policy does that. The rules themselves (ids, docs) are declared in
//! [`crate::registry`].

mod any;
mod aws;
mod azure;
mod config;
mod custom;
mod google;
mod judge;
mod model;
mod plan_wide;

pub use config::{
    AccountId, Classes, ClassificationsSection, RuleConfig, RuleSetting, RuleSettings, UnjudgedPolicy, Waiver,
    WaiverRule,
};
pub(crate) use custom::CustomSections;
pub use custom::{CustomRules, PolicyTest, TestOutcome};
pub(crate) use judge::{Drifted, Judged, PlanJudge};
use plan_wide::PlanWide;

use crate::date::Date;
use crate::plan::{Action, Change, Mode};
use crate::registry::{Category, Rule, Severity};
use crate::report::Finding;

/// What a rule may read besides the change itself, and what the runner applies to its findings.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Context<'p> {
    pub config: &'p RuleConfig,
    /// The day waivers are judged on.
    pub today: Date,
    /// The providers (`source version`) whose values a native reading of a binary plan masked.
    pub masked: &'p [&'p str],
    /// The only top-level members the plan's text has, when it is plangate's reading of a binary
    /// plan rather than Terraform's JSON; `None` for Terraform's JSON.
    pub held: Option<&'p [&'p str]>,
}

impl<'p> Context<'p> {
    pub fn new(config: &'p RuleConfig, today: Date) -> Context<'p> {
        Context { config, today, masked: &[], held: None }
    }

    /// The same, for a plan read natively: its values of `masked` providers are masked, and its
    /// text holds only the top-level members `held`.
    pub fn reading_natively(self, masked: &'p [&'p str], held: &'p [&'p str]) -> Context<'p> {
        Context { masked, held: Some(held), ..self }
    }

    pub fn classes(&self) -> &'p Classes {
        &self.config.classes
    }

    /// A finding of `rule` about one resource, settled (see [`Context::settle_with_default`]).
    pub fn finding(
        &self,
        rule: &Rule,
        category: Category,
        address: String,
        resource_type: String,
        actions: Action,
        message: String,
    ) -> Option<Finding> {
        self.finding_with_default(rule, rule.severity, category, address, resource_type, actions, message)
    }

    /// The same for a finding whose severity, unless configured, is `default` rather than the
    /// rule's (see [`Context::settle_with_default`]).
    #[allow(clippy::too_many_arguments, reason = "the fields of a finding, named at each call")]
    pub fn finding_with_default(
        &self,
        rule: &Rule,
        default: Severity,
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
            severity: default,
            rule: rule.id.to_string(),
            category,
            message,
            waived: None,
            location: None,
        };
        self.settle_with_default(rule, default, finding)
    }

    /// The finding with the configured severity (else `default`: the rule's, or what a Rego
    /// message says) and any waiver applied; `None` when the rule is turned off.
    fn settle_with_default(&self, rule: &Rule, default: Severity, mut finding: Finding) -> Option<Finding> {
        finding.severity = self.config.settings.severity_or(rule, default)?;
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
    /// The types beyond `types` whose attributes the family reads (where they have other settings
    /// it leaves to others): with `types`, what tells the changes no family judges.
    pub also_reads: fn(&str) -> bool,
}

impl Family {
    /// Whether the family reads the attributes of this type.
    fn reads(&self, resource_type: &str) -> bool {
        self.types.contains(&resource_type) || (self.also_reads)(resource_type)
    }

    /// Whether the family is asked about a change to this type: one that judges only the action
    /// is asked about every type, the others only about the types they read, so that a family
    /// never judges another provider's attribute that happens to share a name with one of its own.
    fn judges(&self, resource_type: &str) -> bool {
        self.types.is_empty() || self.reads(resource_type)
    }
}

/// For a family that reads no type beyond its own `types`.
pub(crate) fn nothing_else(_: &str) -> bool {
    false
}

/// Whether some family reads the attributes of this type (creates and updates of the others are
/// not judged: see `any::unjudged`).
pub(crate) fn reads(resource_type: &str) -> bool {
    FAMILIES.iter().any(|f| f.reads(resource_type)) || PLAN_WIDE.iter().any(|f| f.reads(resource_type))
}

/// Whether some family reads this change's attributes: those of its type, except an organization
/// policy of a format no rule reads (tag, backup, AI opt-out).
pub(crate) fn reads_change(change: &Change) -> bool {
    reads(&change.resource_type) && !aws::iam::unread_organization_policy(change)
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
    &any::deletions::FAMILY,
    &aws::stateful::FAMILY,
    &any::network_access::FAMILY,
    &aws::iam::FAMILY,
    &aws::database::FAMILY,
    &aws::network::FAMILY,
    &aws::kms::FAMILY,
    &aws::storage::FAMILY,
    &aws::resource_policy::FAMILY,
    &any::credentials::FAMILY,
    &aws::public_exposure::FAMILY,
    &azure::role_assignment::FAMILY,
    &azure::storage::FAMILY,
    &google::iam::FAMILY,
    &any::meanings::FAMILY,
    &any::high_risk_class::FAMILY,
];

/// The families judged across the plan.
pub(crate) static PLAN_WIDE: &[&dyn PlanWide] = &[
    &aws::group_exposure::FAMILY,
    &aws::foreign_accounts::FAMILY,
    &any::index_shift::FAMILY,
    &any::expired_waiver::FAMILY,
];

/// A rule id that names no rule.
#[derive(Debug, Clone, thiserror::Error)]
#[error("no rule {id:?}: rule ids look like PG-DEL-001, and the list of rules shows every one")]
pub struct UnknownRule {
    /// The id asked for.
    pub id: String,
}

/// What `plangate explain ID` prints: the rule's documentation and, for the rules of attribute
/// meanings, every attribute and resource it reads.
pub fn explain(id: &str) -> Result<String, UnknownRule> {
    let rule = crate::registry::describe(id).ok_or_else(|| UnknownRule { id: id.to_string() })?;
    let mut text = rule.explanation();
    let covered = any::meanings::coverage(rule);
    if !covered.is_empty() {
        text.push_str("\n**What it reads.**\n");
        text.push_str(&bullets(&covered));
    }
    Ok(text)
}

/// The README's rule table, then what each rule of attribute meanings reads
/// (`plangate rules -f markdown`).
pub fn markdown_table() -> String {
    let mut out = markdown_table_of(crate::registry::rules());
    for rule in crate::registry::rules() {
        let covered = any::meanings::coverage(rule);
        if covered.is_empty() {
            continue;
        }
        out.push_str(&format!("\n**`{}` {}** reads:\n\n", rule.id, rule.title));
        out.push_str(&bullets(&covered));
    }
    out
}

/// The rule table of the README for any rules. The built-in titles are our own Markdown; the
/// users' own are text, escaped.
pub fn markdown_table_of(rules: &[&Rule]) -> String {
    let mut out = String::from("| id | severity | family | title |\n|---|---|---|---|\n");
    for rule in rules {
        let title = match crate::registry::find(rule.id) {
            Some(_) => rule.title.to_string(),
            None => crate::text::markdown(rule.title),
        };
        out.push_str(&format!(
            "| `{}` | {} | {} | {title} |\n",
            rule.id,
            rule.severity.as_str(),
            rule.category.title()
        ));
    }
    out
}

/// Markdown list items, one a line.
fn bullets(lines: &[String]) -> String {
    lines.iter().map(|line| format!("- {line}\n")).collect()
}

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

/// Once every rule has read what it judges of a change: whether any of it was hidden (masked
/// values are all sensitive: saying that once is enough).
fn unverifiable(change: &Change, ctx: &Context) -> Option<Finding> {
    any::masked::finding(change, ctx).or_else(|| any::hidden::finding(change, ctx))
}

/// The findings of the rules `wanted` selects, fallbacks only where nothing else spoke.
pub(crate) fn evaluate_with(change: &Change, ctx: &Context, wanted: impl Fn(&Rule) -> bool) -> Vec<Finding> {
    let mut findings = Vec::new();
    for fallback in [false, true] {
        if fallback && !findings.is_empty() {
            break;
        }
        let families = FAMILIES
            .iter()
            .filter(|f| f.fallback == fallback && f.judges(&change.resource_type) && f.rules.iter().any(|r| wanted(r)));
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
    use crate::registry;

    #[test]
    fn every_rule_is_reported_by_a_family() {
        // What could not be read or judged is reported beside the families, about any change; the
        // actions the apply runs are no changes (`any::invoked_actions`).
        let beside = ["PG-READ-001", "PG-READ-002", "PG-READ-003", "PG-ACT-001"];
        for rule in registry::rules().iter().filter(|r| !beside.contains(&r.id)) {
            let families = FAMILIES.iter().filter(|f| f.rules.contains(rule)).count();
            let plan_wide = PLAN_WIDE.iter().filter(|f| f.rules().contains(rule)).count();
            assert!(families + plan_wide >= 1, "{}", rule.id);
            assert!(families <= 1, "{} is declared by two per-change families", rule.id);
        }
        // And the other way: a rule a family reports is listed, so `explain`, waivers and SARIF know it.
        let reported = FAMILIES.iter().flat_map(|f| f.rules.iter()).chain(PLAN_WIDE.iter().flat_map(|f| f.rules()));
        for rule in reported {
            assert_eq!(registry::find(rule.id), Some(*rule), "{} is in no registry file's DECLARED list", rule.id);
        }
    }

    /// Every change of every real plan, judged by each family alone: a family reports only rules it
    /// declares (so a rule's declaration, docs and fixtures sit with the family that reports it),
    /// and only about types it declares it reads (the check asks no other family: what it would
    /// have said of another type would be lost, or be about another provider's attribute).
    #[test]
    fn each_family_reports_only_the_rules_it_declares() {
        use crate::plan::{reader::read_outer, Section};
        use std::sync::Arc;
        let config = RuleConfig::default();
        let ctx = Context::new(&config, Date::today());
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
        let mut reported = 0;
        let mut plans = 0;
        for dir in ["plans", "plans-rules", "plans-public"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_none_or(|e| e != "json") {
                    continue;
                }
                let text: &'static [u8] = Box::leak(std::fs::read(&path).unwrap().into_boxed_slice());
                // The public plans that are not plain JSON plans (UTF-16, wrapped, errored) are
                // read by the tests of reading.
                let Ok(plan) = read_outer(text) else { continue };
                plans += 1;
                let changes: Vec<Arc<Change<'static>>> = plan
                    .resource_changes
                    .iter()
                    .enumerate()
                    .map(|(i, raw)| Arc::new(Change::parse(text, Section::ResourceChanges, i, raw).unwrap()))
                    .collect();
                for change in changes.iter().filter(|c| judged(c)) {
                    for family in FAMILIES {
                        for hit in (family.check)(change, &ctx) {
                            assert!(
                                family.rules.contains(&hit.rule),
                                "{}: {} in {}",
                                path.display(),
                                hit.rule.id,
                                change.address
                            );
                            assert!(
                                family.judges(&change.resource_type),
                                "{}: {} reports {}, of a type its family does not read",
                                path.display(),
                                hit.rule.id,
                                change.address
                            );
                            reported += 1;
                        }
                    }
                }
                for family in PLAN_WIDE {
                    let collector = family.collector();
                    for (i, change) in changes.iter().enumerate() {
                        collector.observe(i, change, &ctx);
                    }
                    for (_, finding) in collector.finish(&ctx, text).unwrap() {
                        assert!(
                            family.rules().iter().any(|r| r.id == finding.rule),
                            "{}: {}",
                            path.display(),
                            finding.rule
                        );
                        reported += 1;
                    }
                }
            }
        }
        assert!(plans > 60 && reported > 100, "only {reported} findings in {plans} plans");
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
