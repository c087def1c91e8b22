//! The change as the users' own rules see it: who it is (address, type, name, module, provider),
//! what Terraform will do (its action list), the values before and after with every sensitive part
//! replaced by `"(sensitive)"` and every part known only after apply by `"(known after apply)"`,
//! and the paths those masks mark, so a rule can ask `unknown("arn")` or `sensitive("password")`
//! instead of comparing with a marker. Built from a plan's change, or from a policy's example.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::address::Address;
use crate::plan::{Attr, Change, Side};

/// One change, masked.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct ChangeModel {
    pub address: String,
    #[serde(rename = "type")]
    pub resource_type: String,
    pub name: String,
    /// The module path (`module.network.module.vpc`), `""` in the root module.
    pub module: String,
    /// The provider's source address (`registry.terraform.io/hashicorp/aws`).
    pub provider: String,
    /// Terraform's action list (`["delete", "create"]`).
    pub actions: Vec<String>,
    /// The object before, `{}` when there is none.
    pub before: Value,
    /// The object after, `{}` when there is none.
    pub after: Value,
    /// The top-level attributes whose value differs, or that become unknown.
    pub changed: Vec<String>,
    /// The paths of `after` known only after apply.
    pub unknown: Vec<String>,
    /// The paths marked sensitive, before or after.
    pub sensitive: Vec<String>,
}

/// What of a change's values the rules at hand read: the model is made of that alone, so a rule
/// that reads `after.tags` does not pay for parsing every other attribute of every change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Needs {
    /// The fields of the model the conditions name (`address`, `after`, …).
    pub fields: Vec<&'static str>,
    pub before: Projection,
    pub after: Projection,
    pub changed: bool,
    /// The `unknown` and `sensitive` path lists.
    pub masks: bool,
}

/// Which top-level attributes of a side are read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) enum Projection {
    #[default]
    Nothing,
    Keys(Vec<String>),
    All,
}

impl Projection {
    fn add(&mut self, other: &Projection) {
        match (&mut *self, other) {
            (_, Projection::Nothing) | (Projection::All, _) => {}
            (Projection::Keys(keys), Projection::Keys(more)) => {
                for key in more {
                    if !keys.contains(key) {
                        keys.push(key.clone());
                    }
                }
            }
            _ => *self = other.clone(),
        }
    }

    /// What a condition's source reads of the variable `side`: the keys of every `side.key` and
    /// `side["key"]`, or all of it where it appears in any other way.
    pub fn read_by(source: &str, side: &str) -> Projection {
        let mut projection = Projection::Nothing;
        let bytes = source.as_bytes();
        let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        for (at, _) in source.match_indices(side) {
            let before = at.checked_sub(1).map(|i| bytes[i]);
            let after_at = at + side.len();
            if before.is_some_and(|b| is_ident(b) || b == b'.') || bytes.get(after_at).copied().is_some_and(is_ident) {
                continue;
            }
            let rest = source[after_at..].trim_start();
            let key = if let Some(field) = rest.strip_prefix('.') {
                let field = field.trim_start();
                let end = field.bytes().position(|b| !is_ident(b)).unwrap_or(field.len());
                (end > 0).then(|| field[..end].to_string())
            } else if let Some(index) = rest.strip_prefix('[') {
                let index = index.trim_start();
                let quote = index.chars().next().filter(|q| *q == '"' || *q == '\'');
                quote
                    .and_then(|q| index[1..].find(q).map(|end| index[1..1 + end].to_string()))
                    .filter(|k| !k.contains('\\'))
            } else {
                None
            };
            match key {
                Some(key) => projection.add(&Projection::Keys(vec![key])),
                None => return Projection::All,
            }
        }
        projection
    }
}

impl Needs {
    pub fn add(&mut self, other: &Needs) {
        for field in &other.fields {
            if !self.fields.contains(field) {
                self.fields.push(field);
            }
        }
        self.before.add(&other.before);
        self.after.add(&other.after);
        self.changed |= other.changed;
        self.masks |= other.masks;
    }
}

impl ChangeModel {
    /// The model of a change of the plan, made of what `needs` says.
    pub fn of(change: &Change, needs: &Needs) -> ChangeModel {
        let values = change.values();
        let named = needs.fields.iter().any(|f| matches!(*f, "name" | "module"));
        let parsed = if named { Address::parse(&change.address).ok() } else { None };
        let (mut unknown, mut sensitive) = (Vec::new(), Vec::new());
        if needs.masks {
            sensitive = values.before_sensitive.marked_paths();
            sensitive.extend(values.after_sensitive.marked_paths());
            sensitive.sort_unstable();
            sensitive.dedup();
            unknown = values.after_unknown.marked_paths();
        }
        ChangeModel {
            address: change.display_name(),
            resource_type: change.resource_type.to_string(),
            name: parsed.as_ref().map(|a| a.name.clone()).unwrap_or_default(),
            module: parsed.as_ref().map(Address::module_address).unwrap_or_default(),
            provider: change.provider_name.as_deref().unwrap_or_default().to_string(),
            actions: change.action.terraform_names().iter().map(|name| name.to_string()).collect(),
            before: projected(values.before(), &values.before, None, &needs.before),
            after: projected(values.after(), &values.after, Some(&values.after_unknown), &needs.after),
            changed: if needs.changed {
                change.changed_attributes().iter().map(|name| name.to_string()).collect()
            } else {
                Vec::new()
            },
            unknown,
            sensitive,
        }
    }

    /// An example's model: what it leaves out is made up the way a plan would have it (the
    /// address from type and name, values `null`).
    pub fn completed(mut self) -> ChangeModel {
        if self.address.is_empty() {
            self.address =
                format!("{}.{}", self.resource_type, if self.name.is_empty() { "example" } else { &self.name });
        }
        if self.actions.is_empty() {
            self.actions = vec!["update".into()];
        }
        self
    }

    /// Whether the value at `path` (or any part of it) is marked in `paths`: the path itself, one
    /// below it, or one above it (a whole object marked).
    pub fn marks(paths: &[String], path: &str) -> bool {
        paths.iter().any(|marked| related(marked, path) || related(path, marked))
    }
}

/// A side's attributes the projection names, masked; with the attributes known only after apply
/// that the side leaves out (Terraform writes them in `after_unknown` alone). A side that does not
/// exist (`before` of a create, `after` of a delete) is `{}`, so `has(after.x)` is simply false.
fn projected(side: Attr, members: &Side, unknown: Option<&Side>, projection: &Projection) -> Value {
    let wholly_unknown = |key: &str| unknown.and_then(|u| u.get(key)) == Some(&Value::Bool(true));
    let mut keys: Vec<&str> = match projection {
        Projection::Nothing => return Value::Object(Default::default()),
        Projection::All => members.names().collect(),
        Projection::Keys(keys) => keys.iter().map(String::as_str).filter(|k| members.has(k)).collect(),
    };
    if let Some(unknown) = unknown {
        let only_unknown = unknown.names().filter(|k| !members.has(k) && wholly_unknown(k));
        let wanted = |k: &&str| match projection {
            Projection::Keys(keys) => keys.iter().any(|w| w == k),
            _ => true,
        };
        keys.extend(only_unknown.filter(wanted));
    }
    Value::Object(keys.into_iter().map(|k| (k.to_string(), side.get(k).redacted())).collect())
}

/// Whether `inner` is `outer` or a path below it.
fn related(outer: &str, inner: &str) -> bool {
    outer.is_empty()
        || inner
            .strip_prefix(outer)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('['))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projections_read_only_the_keys_a_condition_names() {
        let keys = |list: &[&str]| Projection::Keys(list.iter().map(|k| k.to_string()).collect());
        assert_eq!(Projection::read_by("has(after.tags) && after.tags.owner == 'x'", "after"), keys(&["tags"]));
        assert_eq!(Projection::read_by("after[\"a-b\"] == 1 || after.c", "after"), keys(&["a-b", "c"]));
        assert_eq!(Projection::read_by("string(after) == ''", "after"), Projection::All);
        assert_eq!(
            Projection::read_by("before.x == 1 && thereafter == 2 && x.after == 3", "after"),
            Projection::Nothing
        );
        assert_eq!(Projection::read_by("after[k] == 1", "after"), Projection::All);
    }

    #[test]
    fn marks_match_the_path_its_parts_and_its_ancestors() {
        let paths = vec!["tags.owner".to_string(), "ingress[0].cidr_blocks".to_string()];
        assert!(ChangeModel::marks(&paths, "tags.owner"));
        assert!(ChangeModel::marks(&paths, "tags"), "a part of tags is marked");
        assert!(ChangeModel::marks(&paths, "ingress[0].cidr_blocks[1]"), "below a marked path");
        assert!(ChangeModel::marks(&paths, "ingress"));
        assert!(!ChangeModel::marks(&paths, "tags_all") && !ChangeModel::marks(&paths, "tags.owners"));
        assert!(ChangeModel::marks(&[String::new()], "anything"), "a whole side marked marks every path");
    }
}
