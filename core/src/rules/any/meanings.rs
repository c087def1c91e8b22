//! Attribute meanings: one rule a meaning (capacity, protection, recording, retention, transport),
//! judged on every attribute the providers' tables declare with it, and on deleting the resources
//! whose only job is to protect or record. A new attribute is a row in its provider's table.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::plan::Change;
use crate::registry::{
    Category, Rule, CAPACITY_ZERO, DETECTIVE_CONTROL_OFF, PROTECTIVE_CONTROL_OFF, RETENTION_CUT, TRANSPORT_WEAKENED,
};
use crate::rules::aws::attributes;
use crate::rules::model::meaning::{Attribute, Guard, Meaning, Table};
use crate::rules::{azure, google};
use crate::rules::{Context, Family, Hit};

/// Every provider's table.
static TABLES: &[&Table] = &[&attributes::TABLE, &azure::attributes::TABLE, &google::attributes::TABLE];

pub static FAMILY: Family = Family {
    rules: &[&CAPACITY_ZERO, &DETECTIVE_CONTROL_OFF, &PROTECTIVE_CONTROL_OFF, &RETENTION_CUT, &TRANSPORT_WEAKENED],
    types: attributes::CONTROL_TYPES,
    category: Category::Other,
    check,
    fallback: false,
    also_reads: |t| INDEX.attributes.contains_key(t) || INDEX.guards.contains_key(t),
};

/// The rule that reports a meaning.
pub(crate) fn rule_of(meaning: Meaning) -> &'static Rule {
    match meaning {
        Meaning::Capacity => &CAPACITY_ZERO,
        Meaning::Protection => &PROTECTIVE_CONTROL_OFF,
        Meaning::Recording => &DETECTIVE_CONTROL_OFF,
        Meaning::Retention => &RETENTION_CUT,
        Meaning::Transport => &TRANSPORT_WEAKENED,
    }
}

/// The rows of every table by resource type: a change looks up only its own.
struct Index {
    attributes: HashMap<&'static str, Vec<&'static Attribute>>,
    guards: HashMap<&'static str, Vec<&'static Guard>>,
}

static INDEX: LazyLock<Index> = LazyLock::new(|| {
    let mut index = Index { attributes: HashMap::new(), guards: HashMap::new() };
    for table in TABLES {
        for attribute in table.attributes {
            index.attributes.entry(attribute.resource_type).or_default().push(attribute);
        }
        for guard in table.guards {
            index.guards.entry(guard.resource_type).or_default().push(guard);
        }
    }
    index
});

fn check(change: &Change, _: &Context) -> Vec<Hit> {
    let t = change.resource_type.as_ref();
    let mut hits: Vec<Hit> = Vec::new();
    for guard in INDEX.guards.get(t).into_iter().flatten() {
        hits.extend(guard.judge(change).map(|message| Hit::new(rule_of(guard.meaning), message)));
    }
    for attribute in INDEX.attributes.get(t).into_iter().flatten() {
        for message in attribute.judge(change) {
            // Two rows may read one whole-side setting (a trail's selectors): say it once.
            if !hits.iter().any(|hit| hit.message == message) {
                hits.push(Hit::new(rule_of(attribute.meaning), message));
            }
        }
    }
    hits
}

/// Whether deleting this change's resource is reported here (for what it stops doing), so that it
/// is not reported again as an ordinary deletion; when the configuration turned that rule off, the
/// deletion is still reported as one.
pub(crate) fn guards(change: &Change, ctx: &Context) -> bool {
    INDEX
        .guards
        .get(change.resource_type.as_ref())
        .into_iter()
        .flatten()
        .any(|guard| guard.judge(change).is_some() && ctx.config.settings.severity_of(rule_of(guard.meaning)).is_some())
}

/// What `rule` reads, for its documentation: "`aws_ecs_service`: `desired_count`", one line a type,
/// and the resources whose deletion it reports. Empty for a rule of another family.
pub fn coverage(rule: &Rule) -> Vec<String> {
    let mut lines: Vec<(String, Vec<String>)> = Vec::new();
    let mut add = |resource_type: &str, what: String| match lines.iter_mut().find(|(t, _)| t == resource_type) {
        Some((_, items)) => {
            if !items.contains(&what) {
                items.push(what);
            }
        }
        None => lines.push((resource_type.to_string(), vec![what])),
    };
    for table in TABLES {
        for attribute in table.attributes.iter().filter(|a| rule_of(a.meaning) == rule) {
            add(attribute.resource_type, format!("`{}`", attribute.path));
        }
        for guard in table.guards.iter().filter(|g| rule_of(g.meaning) == rule) {
            let what = match guard.when {
                Some((attribute, value)) => format!("deleted (when `{attribute} = {value}`)"),
                None => "deleted".to_string(),
            };
            add(guard.resource_type, what);
        }
    }
    lines.into_iter().map(|(t, items)| format!("`{t}`: {}", items.join(", "))).collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::plan::testing::update;
    use crate::rules::model::meaning::Scale;

    /// The AWS provider 5.100.0's attributes, from `fixtures/aws-provider` (see its README).
    pub(crate) fn provider_attributes() -> serde_json::Value {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/aws-provider/attributes-5.100.0.json.gz");
        let file = std::fs::File::open(path).unwrap();
        let tree: serde_json::Value = serde_json::from_reader(flate2::read::GzDecoder::new(file)).unwrap();
        tree["resources"].clone()
    }

    #[test]
    fn every_row_names_an_attribute_of_the_provider_of_a_kind_its_scale_reads() {
        let types = provider_attributes();
        for attribute in attributes::TABLE.attributes {
            let mut node = &types[attribute.resource_type];
            assert!(node.is_object(), "{} is not a resource type of the provider", attribute.resource_type);
            for step in attribute.path.split('.') {
                node = &node[step];
                assert!(!node.is_null(), "{} has no attribute {}", attribute.resource_type, attribute.path);
            }
            let kind = node.as_str().unwrap_or("block");
            let readable: &[&str] = match attribute.scale {
                Scale::Flag { .. } => &["bool"],
                Scale::Levels(_) => &["string"],
                Scale::Count | Scale::Period { .. } => &["number"],
                Scale::Present => &["string", "block", "list", "set", "map"],
                Scale::On(_) | Scale::Each(_) => &["block", "list", "set", "bool", "string"],
            };
            assert!(
                readable.contains(&kind),
                "{}.{} is a {kind}, which {:?} does not read",
                attribute.resource_type,
                attribute.path,
                attribute.scale
            );
        }
        for guard in attributes::TABLE.guards {
            let node = &types[guard.resource_type];
            assert!(node.is_object(), "{} is not a resource type of the provider", guard.resource_type);
            if let Some((attribute, _)) = guard.when {
                assert_eq!(node[attribute].as_str(), Some("string"), "{}.{attribute}", guard.resource_type);
            }
        }
    }

    #[test]
    fn the_control_types_are_the_guarded_controls() {
        let guarded: Vec<&str> = attributes::TABLE
            .guards
            .iter()
            .filter(|g| g.when.is_none() && g.meaning != Meaning::Capacity)
            .map(|g| g.resource_type)
            .collect();
        for t in attributes::CONTROL_TYPES {
            let only_rows = attributes::TABLE.attributes.iter().any(|a| a.resource_type == *t);
            assert!(guarded.contains(t) || only_rows, "{t} is listed as a control type with nothing judging it");
        }
        for t in guarded {
            assert!(attributes::CONTROL_TYPES.contains(&t), "{t} is guarded but not listed as a control type");
        }
    }

    #[test]
    fn each_meaning_reports_its_rule_and_names_the_attribute() {
        let config = crate::rules::RuleConfig::default();
        let ctx = Context::new(&config, crate::date::Date::today());
        let hits = check(&update("aws_ecs_service", r#"{"desired_count":3}"#, r#"{"desired_count":0}"#), &ctx);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].rule.id, "PG-OUT-001");
        assert_eq!(hits[0].message, "aws_ecs_service.r: desired_count 3 → 0: no task runs: the service stops");
        assert!(coverage(&CAPACITY_ZERO).iter().any(|line| line == "`aws_ecs_service`: `desired_count`"));
        assert!(coverage(&PROTECTIVE_CONTROL_OFF).iter().any(|l| l.contains("`aws_backup_plan`: deleted")));
    }
}
