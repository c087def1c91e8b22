//! `plangate policy test`: the loop policy authors have with `conftest verify`. Rego `test_`
//! rules must be true; each CEL rule's `examples:` must fire, or not, as they say.

use serde::Serialize;

use super::cel::CelRule;
use super::rego::RegoPolicies;
use crate::registry::Rule;

/// One test and how it went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PolicyTest {
    /// `ACME-TAG-001 example 1`, or the Rego test rule (`main.test_denies_public_buckets`).
    pub name: String,
    /// Whether it passed.
    #[serde(flatten)]
    pub outcome: TestOutcome,
}

/// How a test went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", content = "detail", rename_all = "lowercase")]
#[non_exhaustive]
pub enum TestOutcome {
    /// As expected.
    Passed,
    /// What was expected and what happened.
    Failed(String),
}

pub(super) fn run(cel: &[(CelRule, &'static Rule)], rego: Option<&RegoPolicies>) -> Vec<PolicyTest> {
    let mut tests = Vec::new();
    for (rule, declared) in cel {
        for (i, example) in rule.examples.iter().enumerate() {
            let change = example.change.clone().completed();
            let actions: Vec<&str> = change.actions.iter().map(String::as_str).collect();
            let fired = if rule.selects(&change.resource_type, &actions) {
                rule.when.holds(&change, &rule.when.needs)
            } else {
                Ok(false)
            };
            let outcome = match fired {
                Ok(fired) if fired == example.fires => TestOutcome::Passed,
                Ok(fired) => TestOutcome::Failed(format!(
                    "expected the rule {} on {}, but it {}",
                    if example.fires { "to fire" } else { "not to fire" },
                    change.address,
                    if fired { "fired" } else { "did not" }
                )),
                Err(why) => TestOutcome::Failed(format!("the rule cannot be evaluated on {}: {why}", change.address)),
            };
            tests.push(PolicyTest { name: format!("{} example {}", declared.id, i + 1), outcome });
        }
    }
    for (name, outcome) in rego.map(RegoPolicies::run_tests).unwrap_or_default() {
        let outcome = match outcome {
            Ok(true) => TestOutcome::Passed,
            Ok(false) => TestOutcome::Failed("the test rule is not true".into()),
            Err(why) => TestOutcome::Failed(format!("the test rule cannot be evaluated: {why}")),
        };
        tests.push(PolicyTest { name, outcome });
    }
    tests
}
