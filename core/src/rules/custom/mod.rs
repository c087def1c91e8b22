//! The users' own rules: CEL conditions in the policy file (`custom_rules:`), judged change by
//! change like a family, and Rego policies (`policies:`), judged over the whole plan like a
//! plan-wide family. Both see values only masked (sensitive and unknown parts replaced by
//! markers), and both make ordinary findings: the `rules:` settings, waivers and every report
//! apply to them as to the built-in rules.

mod cel;
mod input;
mod model;
mod rego;
mod testing;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use serde::Deserialize;

pub(crate) use self::cel::CelRule;
use self::model::{ChangeModel, Needs};
pub(crate) use self::rego::{LoadError, PolicySource, RegoPolicies};
pub use self::testing::{PolicyTest, TestOutcome};
use super::plan_wide::Collector;
use super::Context;
use crate::plan::{Action, Change, PlanError};
use crate::registry::custom::{declare, Declaration};
use crate::registry::{Category, Rule};
use crate::report::Finding;

/// Where a plan-wide finding that names no resource of the plan is filed.
pub(crate) const PLAN_ADDRESS: &str = "(plan)";

/// The configuration's own sections, read first: the ids they declare are what `rules:` and
/// `waivers:` may name besides the built-in ones.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct CustomSections {
    #[serde(default)]
    pub custom_rules: Option<Vec<CelRule>>,
    #[serde(default)]
    pub policies: Option<Vec<PolicySource>>,
}

/// The users' own rules of one policy, compiled.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomRules {
    cel: Vec<(CelRule, &'static Rule)>,
    rego: Option<Arc<RegoPolicies>>,
}

impl CustomRules {
    /// Compiles the sections; `base` is the configuration file's directory.
    pub(crate) fn load(sections: CustomSections, origin: &str, base: Option<&Path>) -> Result<CustomRules, LoadError> {
        let mut cel = Vec::new();
        for rule in sections.custom_rules.unwrap_or_default() {
            let id = rule.id.0.clone();
            if cel.iter().any(|(r, _): &(CelRule, _)| r.id.0.eq_ignore_ascii_case(&id)) {
                return Err(LoadError::new(
                    origin,
                    format!("custom rule id `{id}` is declared twice under `custom_rules:`"),
                ));
            }
            let declared = declare(Declaration {
                id,
                title: rule.title.clone(),
                severity: rule.severity,
                doc: rule
                    .doc
                    .clone()
                    .unwrap_or_else(|| format!("A rule of your own, written in CEL:\n\n`{}`", rule.when.source)),
            });
            cel.push((rule, declared));
        }
        let rego = match sections.policies {
            Some(sources) if !sources.is_empty() => Some(Arc::new(RegoPolicies::load(&sources, base)?)),
            _ => None,
        };
        Ok(CustomRules { cel, rego })
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.cel.is_empty() && self.rego.is_none()
    }

    /// The rules they declare, CEL first: what `plangate rules` lists beside the built-in ones.
    pub fn rules(&self) -> Vec<&'static Rule> {
        let mut rules: Vec<&'static Rule> = self.cel.iter().map(|(_, rule)| *rule).collect();
        rules.extend(self.rego.iter().flat_map(|rego| rego.rules()));
        rules
    }

    /// The ids `rules:` and `waivers:` may name: the declared rules, and the string literals of
    /// the Rego policies that messages may give as their `id`.
    pub(crate) fn nameable(&self) -> (Vec<&'static Rule>, Vec<String>) {
        let mentioned = self.rego.iter().flat_map(|rego| rego.mentioned.iter().cloned()).collect();
        (self.rules(), mentioned)
    }

    /// Whether a CEL rule is written for changes of this type and action: one whose `types:` name
    /// it (a rule for every type judges no type in particular). Such a change is not "unjudged".
    pub(crate) fn judges(&self, resource_type: &str, action: Action) -> bool {
        self.cel.iter().any(|(rule, _)| !rule.types.is_empty() && rule.selects(resource_type, action.terraform_names()))
    }

    /// Runs the policies' own tests: Rego `test_` rules and the CEL rules' `examples:`.
    pub fn test(&self) -> Vec<PolicyTest> {
        testing::run(&self.cel, self.rego.as_deref())
    }

    /// The plan-wide part, when there are Rego policies.
    pub(crate) fn collector<'a>(&self) -> Option<Box<dyn Collector<'a> + 'a>> {
        self.rego.clone().map(|rego| {
            Box::new(RegoCollector { rego, changes: Mutex::default(), input: Mutex::default() })
                as Box<dyn Collector<'a>>
        })
    }
}

/// The CEL rules' findings about one change.
pub(crate) fn evaluate(change: &Change, ctx: &Context) -> Vec<Finding> {
    let rules = &ctx.config.custom.cel;
    let actions = change.action.terraform_names();
    let selected: Vec<_> = rules.iter().filter(|(rule, _)| rule.selects(&change.resource_type, actions)).collect();
    if selected.is_empty() {
        return Vec::new();
    }
    let mut needs = Needs::default();
    for (rule, _) in &selected {
        needs.add(&rule.when.needs);
    }
    let model = ChangeModel::of(change, &needs);
    let mut findings = Vec::new();
    for (rule, declared) in selected {
        let message = match rule.when.holds(&model, &needs) {
            Ok(false) => continue,
            Ok(true) => rule.message.render(&model, declared.id),
            Err(why) => format!("{} cannot be evaluated on {}: {why}", declared.id, model.address),
        };
        let (address, resource_type) = (model.address.clone(), model.resource_type.clone());
        findings.extend(ctx.finding(declared, Category::Other, address, resource_type, change.action, message));
    }
    findings
}

/// Keeps who each change is, to file the policies' messages that name a resource under it.
struct RegoCollector {
    rego: Arc<RegoPolicies>,
    changes: Mutex<HashMap<String, (usize, String, Action)>>,
    /// The masked plan, made while the changes are read.
    input: Mutex<Option<Result<regorus::Value, String>>>,
}

impl<'a> Collector<'a> for RegoCollector {
    fn prepare(&self, text: &'a [u8]) {
        let input = input::masked_plan(text);
        *self.input.lock().unwrap_or_else(PoisonError::into_inner) = Some(input);
    }

    fn observe(&self, index: usize, change: &Arc<Change<'a>>, _: &Context<'_>) {
        if change.is_drift() {
            return;
        }
        let entry = (index, change.resource_type.to_string(), change.action);
        self.changes.lock().unwrap_or_else(PoisonError::into_inner).insert(change.address.to_string(), entry);
    }

    fn finish(self: Box<Self>, ctx: &Context<'_>, text: &'a [u8]) -> Result<Vec<(Option<usize>, Finding)>, PlanError> {
        let changes = self.changes.into_inner().unwrap_or_else(PoisonError::into_inner);
        let prepared = self.input.into_inner().unwrap_or_else(PoisonError::into_inner);
        let hits = match prepared.unwrap_or_else(|| input::masked_plan(text)) {
            Ok(input) => self.rego.evaluate(input, ctx.held),
            Err(why) => {
                let rule = self.rego.rules().next().expect("loaded policies query at least one rule (checked)");
                let message = format!("the Rego policies cannot be evaluated: {why}");
                let finding =
                    ctx.finding(rule, Category::Other, PLAN_ADDRESS.into(), String::new(), Action::NoOp, message);
                return Ok(finding.map(|f| (None, f)).into_iter().collect());
            }
        };
        let mut findings = Vec::new();
        for hit in hits {
            let target = hit.address.as_deref().and_then(|address| changes.get(address).map(|c| (address, c)));
            let (index, address, resource_type, action) = match target {
                Some((address, (index, resource_type, action))) => {
                    (Some(*index), address, resource_type.as_str(), *action)
                }
                None => (None, PLAN_ADDRESS, "", Action::NoOp),
            };
            let message = match (&hit.address, target) {
                (Some(named), None) => format!("{} (about {named}, which the plan does not change)", hit.message),
                _ => hit.message,
            };
            let (address, resource_type) = (address.to_string(), resource_type.to_string());
            let finding = ctx.finding_with_default(
                hit.rule,
                hit.severity,
                Category::Other,
                address,
                resource_type,
                action,
                message,
            );
            let Some(mut finding) = finding else { continue };
            if hit.excepted {
                finding.severity = crate::registry::Severity::Notice;
                finding.message = format!("(exempted by the policy's exception rule) {}", finding.message);
            }
            findings.push((index, finding));
        }
        Ok(findings)
    }
}
