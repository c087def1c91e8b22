//! One resource change, normalized once from its raw JSON slice. Values are parsed lazily, the
//! first time a rule asks, so a create of an uninteresting type costs almost nothing.

use std::borrow::Cow;
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::action::{Action, ActionReason};
use super::error::Location;
use super::members::{plain_string, value_end};
use super::reader::{json_error, offset_in, Section};
use super::values::{Side, Values};
use super::well_formed::each_member;
use super::PlanError;
use crate::address::{Address, Key};

/// Whether the entry is a managed resource or a data source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Managed,
    Data,
}

/// One step of an attribute path, as in `replace_paths`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(untagged)]
pub enum PathStep {
    Index(u64),
    Key(String),
}

/// Renders a path as Terraform writes it in configuration: `ingress[0].cidr_blocks`.
fn display_path(path: &[PathStep]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            PathStep::Key(key) if out.is_empty() => out.push_str(key),
            PathStep::Key(key) if key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') => {
                out.push('.');
                out.push_str(key);
            }
            PathStep::Key(key) => out.push_str(&format!("[{key:?}]")),
            PathStep::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// A normalized resource change (or drift entry).
#[derive(Debug)]
pub struct Change<'a> {
    pub address: Cow<'a, str>,
    pub mode: Mode,
    pub resource_type: Cow<'a, str>,
    /// Set when this change is to a deposed object left by a failed create-before-destroy.
    pub deposed: Option<Cow<'a, str>>,
    pub action: Action,
    pub action_reason: Option<ActionReason>,
    /// The attributes that force a replacement.
    pub replace_paths: Vec<Vec<PathStep>>,
    /// The provider's source address (`registry.terraform.io/hashicorp/aws`).
    pub provider_name: Option<Cow<'a, str>>,
    values: Values<'a>,
    changed: OnceLock<Vec<Cow<'a, str>>>,
    /// Where the entry is, for errors found after parsing.
    section: Section,
    index: usize,
}

/// A resource change as Terraform writes it, borrowing from the plan text; values stay unparsed.
#[derive(Debug, Deserialize)]
struct RawResourceChange<'a> {
    /// Terraform 1.0.0 left it out of `resource_drift`: then it is made from the parts below.
    #[serde(borrow, default)]
    address: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    module_address: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    name: Option<Cow<'a, str>>,
    #[serde(default)]
    index: Option<serde_json::Value>,
    #[serde(borrow, default)]
    mode: Option<Cow<'a, str>>,
    #[serde(rename = "type", borrow)]
    resource_type: Cow<'a, str>,
    #[serde(borrow, default)]
    deposed: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    action_reason: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    provider_name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    change: RawChangeBody<'a>,
}

#[derive(Debug, Deserialize)]
struct RawChangeBody<'a> {
    /// Kept raw for its position in the text, for errors.
    #[serde(borrow, deserialize_with = "raw_text")]
    actions: &'a str,
    #[serde(borrow, default)]
    before: Side<'a>,
    #[serde(borrow, default)]
    after: Side<'a>,
    #[serde(borrow, default)]
    after_unknown: Side<'a>,
    #[serde(borrow, default)]
    before_sensitive: Side<'a>,
    #[serde(borrow, default)]
    after_sensitive: Side<'a>,
    #[serde(default)]
    replace_paths: Option<Vec<Vec<PathStep>>>,
}

/// A value's text, as it stands in the plan.
fn raw_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<&'de str, D::Error> {
    <&RawValue>::deserialize(d).map(RawValue::get)
}

impl<'a> RawResourceChange<'a> {
    /// The entry read from its members (see [`super::members`]), for `text` that is well formed;
    /// `None` wherever serde_json's reading must decide, which includes every entry it refuses: a
    /// field written twice or missing, or of the wrong type, and keys with escapes.
    fn from_well_formed(text: &'a str) -> Option<RawResourceChange<'a>> {
        let (mut address, mut module_address, mut name, mut index, mut mode) = (None, None, None, None, None);
        let (mut resource_type, mut deposed, mut action_reason, mut provider_name, mut change) =
            (None, None, None, None, None);
        each_member(text, 0, |key, start| {
            if key == "change" {
                let (body, end) = RawChangeBody::read_well_formed(text, start)?;
                return fill(&mut change, body).then_some(end);
            }
            let end = value_end(text, start)?;
            let value = text.get(start..end)?;
            let filled = match key {
                "address" => fill(&mut address, optional_text(value)?),
                "module_address" => fill(&mut module_address, optional_text(value)?),
                "name" => fill(&mut name, optional_text(value)?),
                "index" => {
                    fill(&mut index, if value == "null" { None } else { Some(serde_json::from_str(value).ok()?) })
                }
                "mode" => fill(&mut mode, optional_text(value)?),
                "type" => fill(&mut resource_type, optional_text(value)??),
                "deposed" => fill(&mut deposed, optional_text(value)?),
                "action_reason" => fill(&mut action_reason, optional_text(value)?),
                "provider_name" => fill(&mut provider_name, optional_text(value)?),
                _ => true,
            };
            filled.then_some(end)
        })?;
        Some(RawResourceChange {
            address: address.flatten(),
            module_address: module_address.flatten(),
            name: name.flatten(),
            index: index.flatten(),
            mode: mode.flatten(),
            resource_type: resource_type?,
            deposed: deposed.flatten(),
            action_reason: action_reason.flatten(),
            provider_name: provider_name.flatten(),
            change: change?,
        })
    }

    /// The address made from its parts (`module_address`, `mode`, `type`, `name`, `index`), as
    /// Terraform writes it, for an entry that leaves it out.
    fn derived_address(&self) -> Result<String, String> {
        let missing = |what: &str| format!("the entry has no `address`, and no {what} to make it from");
        let modules = match self.module_address.as_deref() {
            Some(text) => Address::parse_modules(text).map_err(|e| format!("`module_address`: expected {e}"))?,
            None => Vec::new(),
        };
        let key = match &self.index {
            None | Some(serde_json::Value::Null) => None,
            Some(index) => Some(Key::from_json(index).ok_or_else(|| missing("`index` that is a number or a string"))?),
        };
        let address = Address {
            modules,
            data: self.mode.as_deref() == Some("data"),
            resource_type: self.resource_type.to_string(),
            name: self.name.as_deref().ok_or_else(|| missing("`name`"))?.to_string(),
            key,
        };
        Ok(address.to_string())
    }
}

impl<'a> RawChangeBody<'a> {
    /// The same for the `change` object starting at `start`, and where it ends.
    fn read_well_formed(text: &'a str, start: usize) -> Option<(RawChangeBody<'a>, usize)> {
        let (mut actions, mut before, mut after, mut after_unknown) = (None, None, None, None);
        let (mut before_sensitive, mut after_sensitive, mut replace_paths) = (None, None, None);
        let end = each_member(text, start, |key, start| {
            let slot = match key {
                "before" => &mut before,
                "after" => &mut after,
                "after_unknown" => &mut after_unknown,
                "before_sensitive" => &mut before_sensitive,
                "after_sensitive" => &mut after_sensitive,
                _ => {
                    let end = value_end(text, start)?;
                    let value = text.get(start..end)?;
                    let filled = match key {
                        "actions" => fill(&mut actions, value),
                        "replace_paths" => fill(&mut replace_paths, serde_json::from_str(value).ok()?),
                        _ => true,
                    };
                    return filled.then_some(end);
                }
            };
            let (side, end) = Side::read_well_formed(text, start)?;
            fill(slot, side).then_some(end)
        })?;
        let body = RawChangeBody {
            actions: actions?,
            before: before.unwrap_or_default(),
            after: after.unwrap_or_default(),
            after_unknown: after_unknown.unwrap_or_default(),
            before_sensitive: before_sensitive.unwrap_or_default(),
            after_sensitive: after_sensitive.unwrap_or_default(),
            replace_paths: replace_paths.flatten(),
        };
        Some((body, end))
    }
}

/// Fills an empty slot; `false` when it was filled already (a field written twice, which
/// serde_json refuses).
fn fill<T>(slot: &mut Option<T>, value: T) -> bool {
    slot.replace(value).is_none()
}

/// A string field's value, borrowed when it has no escape; `Some(None)` for `null`, `None` for
/// anything serde_json must read (an escape) or would refuse (not a string).
fn optional_text(value: &str) -> Option<Option<Cow<'_, str>>> {
    if value == "null" {
        return Some(None);
    }
    match plain_string(value) {
        Some(text) => Some(Some(Cow::Borrowed(text))),
        None => serde_json::from_str::<String>(value).ok().map(|text| Some(Cow::Owned(text))),
    }
}

impl<'a> Change<'a> {
    /// Normalizes entry `index` of `section` from its raw slice of `text` (the whole plan, for
    /// error locations). `raw` is well formed (the streaming pass checked it): it is split into
    /// members by one light scan, and read by serde_json only where that scan cannot decide.
    pub fn parse(text: &'a [u8], section: Section, index: usize, raw: &'a str) -> Result<Change<'a>, PlanError> {
        if let Some(entry) = RawResourceChange::from_well_formed(raw) {
            return Change::from_raw(text, section, index, entry);
        }
        let entry: RawResourceChange<'a> = serde_json::from_str(raw).map_err(|e| {
            let (message, location) = match json_error(text, offset_in(text, raw), &e) {
                PlanError::Syntax { message, location, .. } | PlanError::Shape { message, location } => {
                    (message, location)
                }
                other => (other.to_string(), Location::of_offset(text, offset_in(text, raw))),
            };
            PlanError::InvalidChange { section: section.name(), index, address: None, message, location }
        })?;
        Change::from_raw(text, section, index, entry)
    }

    fn from_raw(
        text: &'a [u8],
        section: Section,
        index: usize,
        mut entry: RawResourceChange<'a>,
    ) -> Result<Change<'a>, PlanError> {
        // Locating is a scan from the start of the text: only ever done for an error.
        let location = || Location::of_offset(text, offset_in(text, entry.change.actions));
        let address = match entry.address.take() {
            Some(address) => address,
            None => Cow::Owned(entry.derived_address().map_err(|message| PlanError::InvalidChange {
                section: section.name(),
                index,
                address: None,
                message,
                location: location(),
            })?),
        };
        let invalid = |message: String| PlanError::InvalidChange {
            section: section.name(),
            index,
            address: Some(address.to_string()),
            message,
            location: location(),
        };
        let actions: Vec<Cow<'_, str>> = serde_json::from_str(entry.change.actions).map_err(|_| {
            invalid(format!(
                "expected `actions` to be a list of strings, found {}",
                crate::text::excerpt(entry.change.actions, 120)
            ))
        })?;
        let action = Action::from_terraform(&actions).ok_or_else(|| {
            invalid(format!(
                "unknown actions {actions:?}: expected one of no-op, create, read, update, delete, [delete, create], [create, delete], forget, [create, forget]"
            ))
        })?;
        let mode = match entry.mode.as_deref() {
            None | Some("managed") => Mode::Managed,
            Some("data") => Mode::Data,
            Some(other) => return Err(invalid(format!("unknown mode {other:?}: expected \"managed\" or \"data\""))),
        };
        if entry.change.before.is_true() || entry.change.after.is_true() {
            return Err(invalid(
                "expected `before` and `after` to be objects of attributes or null, found `true`".into(),
            ));
        }
        let body = entry.change;
        Ok(Change {
            address,
            mode,
            resource_type: entry.resource_type,
            deposed: entry.deposed,
            action,
            action_reason: entry.action_reason.as_deref().map(ActionReason::parse),
            provider_name: entry.provider_name,
            replace_paths: body.replace_paths.unwrap_or_default(),
            values: Values {
                before: body.before,
                after: body.after,
                after_unknown: body.after_unknown,
                before_sensitive: body.before_sensitive,
                after_sensitive: body.after_sensitive,
                ..Values::default()
            },
            changed: OnceLock::new(),
            section,
            index,
        })
    }

    /// `Err` when a rule asked for a value that cannot be parsed (see [`super::values::Unreadable`]):
    /// what it would have read is unknown, so the change, and the plan, cannot be verified. Called
    /// after the rules, since only what they read is parsed.
    pub fn readable(&self, text: &[u8]) -> Result<(), PlanError> {
        let Some((side, problem)) = self.values.unreadable() else { return Ok(()) };
        Err(PlanError::InvalidChange {
            section: self.section.name(),
            index: self.index,
            address: Some(self.address.to_string()),
            message: format!(
                "`{side}.{}` cannot be read ({}), so this change cannot be verified",
                problem.member, problem.message
            ),
            location: Location::of_line_column(text, offset_in(text, problem.raw), problem.line, problem.column),
        })
    }

    /// The before/after values with their masks (each attribute is parsed only when a rule
    /// reads it).
    pub fn values(&self) -> &Values<'a> {
        &self.values
    }

    /// Top-level attribute names whose value differs between before and after, or that become
    /// unknown (see [`super::diff`]). Names only: safe to show whatever the masks say.
    pub fn changed_attributes(&self) -> &[Cow<'a, str>] {
        self.changed.get_or_init(|| {
            let values = self.values();
            super::diff::changed_attributes(&values.before, &values.after, &values.after_unknown, self.is_drift())
        })
    }

    /// Whether this top-level attribute differs (see [`Change::changed_attributes`]): a cheap test
    /// that lets a rule skip parsing values it would find unchanged.
    pub fn attribute_changed(&self, name: &str) -> bool {
        self.changed_attributes().binary_search_by(|n| n.as_ref().cmp(name)).is_ok()
    }

    /// A path into this change's values (a `replace_paths` entry) as messages show it: up to and
    /// including its first step that either side marks sensitive, since a key below a sensitive
    /// value may itself be a secret (`secret_string`, not `secret_string.<key>`).
    pub fn shown_path(&self, path: &[PathStep]) -> String {
        let (mut before, mut after) = (self.values.before(), self.values.after());
        let mut shown = path.len();
        for (i, step) in path.iter().enumerate() {
            (before, after) = match step {
                PathStep::Key(key) => (before.get(key), after.get(key)),
                PathStep::Index(index) => {
                    let index = usize::try_from(*index).unwrap_or(usize::MAX);
                    (before.at(index), after.at(index))
                }
            };
            if before.is_wholly_sensitive() || after.is_wholly_sensitive() {
                shown = i + 1;
                break;
            }
        }
        display_path(&path[..shown])
    }

    /// Whether this entry is drift (`resource_drift`: found on refresh) rather than a planned change.
    pub fn is_drift(&self) -> bool {
        self.section == Section::ResourceDrift
    }

    /// Whether the only attributes that differ are `tags` and `tags_all`.
    pub fn is_tags_only_update(&self) -> bool {
        let changed = self.changed_attributes();
        !changed.is_empty() && changed.iter().all(|name| name == "tags" || name == "tags_all")
    }

    /// "aws_s3_bucket.a (deposed object 1a2b)" and the like: the address with what else names it.
    pub fn display_name(&self) -> String {
        match &self.deposed {
            Some(key) => format!("{} (deposed object {key})", self.address),
            None => self.address.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::plan::testing::parse;

    #[test]
    fn normalizes_a_replace() {
        let change = parse(
            r#"{"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b",
            "action_reason":"replace_because_tainted","change":{"actions":["delete","create"],
            "before":{"bucket":"x"},"after":{"bucket":"x"},"replace_paths":[["bucket"],["tags","k"],["ingress",0]]}}"#,
        )
        .unwrap();
        assert_eq!(change.action, Action::ReplaceDeleteFirst);
        assert_eq!(change.action_reason.as_ref().and_then(ActionReason::describe), Some("it is tainted"));
        let paths: Vec<String> = change.replace_paths.iter().map(|p| display_path(p)).collect();
        assert_eq!(paths, ["bucket", "tags.k", "ingress[0]"]);
        assert_eq!(change.values().before().get("bucket").as_str(), Some("x"));
    }

    #[test]
    fn unknown_actions_and_bad_types_are_located_errors() {
        let err = parse(r#"{"address":"a.b","type":"a","change":{"actions":["explode"]}}"#).unwrap_err().to_string();
        assert!(err.starts_with("resource_changes[0] (a.b) at line 1, column 70") && err.contains("explode"), "{err}");
        let err = parse(r#"{"address":"a.b","type":"a","change":{"actions":"create"}}"#).unwrap_err().to_string();
        assert!(err.contains("expected `actions` to be a list of strings, found \"create\""), "{err}");
        let err = parse(r#"{"type":"a","change":{"actions":["create"]}}"#).unwrap_err().to_string();
        assert!(
            err.starts_with("resource_changes[0] at line 1, column 54") && err.contains("no `address`, and no `name`"),
            "{err}"
        );
    }

    #[test]
    fn an_address_left_out_is_made_from_its_parts() {
        let change = parse(
            r#"{"module_address":"module.net[\"a\"]","mode":"data","type":"aws_iam_policy_document","name":"p",
            "index":"k.[x]","change":{"actions":["read"]}}"#,
        )
        .unwrap();
        assert_eq!(change.address, r#"module.net["a"].data.aws_iam_policy_document.p["k.[x]"]"#);
        let change = parse(r#"{"type":"aws_s3_bucket","name":"b","index":2,"change":{"actions":["update"]}}"#).unwrap();
        assert_eq!(change.address, "aws_s3_bucket.b[2]");
        let err = parse(r#"{"type":"t","name":"b","index":{"x":1},"change":{"actions":["update"]}}"#).unwrap_err();
        assert!(err.to_string().contains("a number or a string"), "{err}");
    }

    /// Every entry of every real plan among the fixtures is read by the light scan alone, and read
    /// exactly as serde_json reads it.
    #[test]
    fn the_light_scan_reads_real_entries_as_serde_json_does() {
        let found = crate::plan::testing::fixture_plans();
        let mut entries = 0;
        for path in &found {
            let bytes = std::fs::read(path).unwrap();
            let Ok(plan) = crate::plan::reader::read_outer(&bytes) else { continue };
            for raw in plan.resource_changes.iter().chain(&plan.resource_drift) {
                let scanned = RawResourceChange::from_well_formed(raw)
                    .unwrap_or_else(|| panic!("{}: an entry left to serde_json: {}", path.display(), raw));
                let parsed: RawResourceChange<'_> = serde_json::from_str(raw).unwrap();
                assert_eq!(format!("{scanned:?}"), format!("{parsed:?}"), "{}", path.display());
                entries += 1;
            }
        }
        assert!(found.len() >= 30 && entries >= 500, "{} plans, {entries} entries", found.len());
    }

    #[test]
    fn entries_the_light_scan_cannot_read_are_read_by_serde_json() {
        for entry in [
            r#"{"address":"a.b","type":"a","type":"b","change":{"actions":["create"]}}"#,
            r#"{"address":"a.b","type":"a","change":{"actions":["create"],"after":{"x":1,"x":2}}}"#,
            r#"{"address":"a.b","type":"a","change":{"actions":["create"],"after":[1]}}"#,
            r#"{"address":"a.b","type":null,"change":{"actions":["create"]}}"#,
            r#"{"address":"a.b","type":"a"}"#,
            r#"{"address":"a.b","type":"a","change":{"actions":["create"],"after":{"x\"y":1}}}"#,
            r#"{"addr\u0065ss":"a.b","type":"a","change":{"actions":["create"]}}"#,
        ] {
            assert!(RawResourceChange::from_well_formed(entry).is_none(), "{entry}");
        }
        let escaped = parse(r#"{"address":"a.b","type":"a","change":{"actions":["create"],"after":{"x\"y":1}}}"#);
        assert_eq!(escaped.unwrap().values().after().get("x\"y").as_i64(), Some(1));
        let twice = parse(r#"{"address":"a.b","type":"a","change":{"actions":["create"],"after":{"x":1,"x":2}}}"#);
        assert!(twice.unwrap_err().to_string().contains("`x` is written twice"));
    }

    #[test]
    fn tags_only_means_nothing_else_differs() {
        let tags = parse(r#"{"address":"a.b","type":"a","change":{"actions":["update"],
            "before":{"x":1,"tags":{"a":"1"},"tags_all":{"a":"1"}},"after":{"x":1,"tags":{"a":"2"},"tags_all":{"a":"2"}},"after_unknown":{}}}"#).unwrap();
        assert!(tags.is_tags_only_update());
        let more = parse(
            r#"{"address":"a.b","type":"a","change":{"actions":["update"],
            "before":{"x":1,"tags":{}},"after":{"x":1,"tags":{"a":"2"}},"after_unknown":{"x":true}}}"#,
        )
        .unwrap();
        assert!(!more.is_tags_only_update());
    }
}
