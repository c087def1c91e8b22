//! Reading binary plan files (`terraform plan -out`) without terraform: the zip container, the
//! `tfplan` protobuf, values as cty msgpack typed by a schema table. The reader writes the JSON
//! `terraform show -json` prints for the sections plangate reads (`resource_changes`,
//! `resource_drift`), so every rule, report and output format reads a binary plan as it reads JSON.
//!
//! Sensitive values are marked from the paths the plan records, before and after alike, and from
//! the schema table of each resource's provider version. A resource whose provider version has no
//! table cannot be marked that way: the whole of its values is marked sensitive and the reading
//! says which providers were masked.

mod address;
mod archive;
mod proto;
mod schema;
mod sensitive;
mod value;

use std::collections::{BTreeSet, HashMap};

use prost::Message as _;
use rayon::prelude::*;

pub use schema::Tables;

use self::proto::{Plan, ResourceInstanceChange};
use self::schema::TypeSchema;
use self::sensitive::Marks;
use self::value::{Typing, V};
use super::PlanError;
use crate::address::Address;
use crate::limits::Limits;

/// The JSON plan format whose meaning the translation follows (Terraform 1.11's).
const JSON_FORMAT_VERSION: &str = "1.2";

/// The top-level members of the JSON a native reading writes: what the built-in rules read. Not
/// all that `terraform show -json` prints: no `planned_values`, `prior_state`, `configuration`,
/// `output_changes` or `variables`, so users' policies that read those cannot be evaluated on it.
pub const SECTIONS: &[&str] =
    &["format_version", "terraform_version", "errored", "action_invocations", "resource_drift", "resource_changes"];

/// A binary plan, decoded.
pub struct Decoded {
    plan: Plan,
    /// Provider source → the version the plan was made with.
    versions: HashMap<String, String>,
}

/// What a native reading wrote.
pub struct Shown {
    /// The plan as JSON.
    pub json: Vec<u8>,
    /// The providers (`source version`) whose resources were masked: no schema table knows them.
    pub masked: Vec<String>,
}

/// The archive, its plan message or its lock file cannot be read.
fn invalid(message: impl Into<String>) -> PlanError {
    PlanError::BinaryArchive { message: message.into() }
}

/// Decodes a binary plan file.
pub fn decode(bytes: &[u8], limits: &Limits) -> Result<Decoded, PlanError> {
    let entries = archive::read(bytes, limits)?;
    let plan = Plan::decode(entries.tfplan.as_slice())
        .map_err(|e| invalid(format!("its `tfplan` entry is not a valid plan message ({e})")))?;
    if plan.version != proto::FORMAT_VERSION {
        return Err(PlanError::BinaryVersion { found: plan.version, expected: proto::FORMAT_VERSION });
    }
    if plan.errored {
        return Err(PlanError::Errored);
    }
    let versions = match &entries.lock_file {
        Some(text) => schema::locked_versions(text)?,
        None => HashMap::new(),
    };
    Ok(Decoded { plan, versions })
}

impl Decoded {
    /// The providers (`source version`) of the plan's resources that no table in `tables` knows.
    pub fn uncovered(&self, tables: &Tables) -> Vec<String> {
        let mut uncovered = BTreeSet::new();
        for rc in self.plan.resource_changes.iter().chain(&self.plan.resource_drift) {
            let Ok(address) = Address::parse(&rc.addr) else { continue };
            if let Err(provider) = self.table_of(rc, &address, tables) {
                uncovered.insert(provider);
            }
        }
        uncovered.into_iter().collect()
    }

    /// The table that knows a change's resource type, or the provider (`source version`) no table
    /// knows.
    fn table_of<'t>(
        &self,
        rc: &ResourceInstanceChange,
        address: &Address,
        tables: &'t Tables,
    ) -> Result<&'t schema::Table, String> {
        let source = address::provider_source(&rc.provider).unwrap_or(&rc.provider);
        let version = match source {
            schema::BUILTIN => Some(schema::BUILTIN_VERSION),
            _ => self.versions.get(source).map(String::as_str),
        };
        let unknown = || format!("{source} {}", version.unwrap_or("(no version in the plan's lock file)"));
        let table = version.and_then(|v| tables.find(source, v)).ok_or_else(unknown)?;
        if table.has_type(address.data, &address.resource_type) {
            Ok(table)
        } else {
            Err(unknown())
        }
    }

    /// The plan as the JSON `terraform show -json` prints (the parts plangate reads), one resource
    /// change a line.
    pub fn to_json(&self, tables: &Tables) -> Result<Shown, PlanError> {
        let mut masked = BTreeSet::new();
        // Drift: in a refresh-only plan every drifted resource, else those that changed (moves
        // alone are shown among the planned changes).
        let refresh_only = self.plan.ui_mode == proto::MODE_REFRESH_ONLY;
        let action = |rc: &ResourceInstanceChange| rc.change.as_ref().map(|c| c.action);
        let drift = |_: &Address, rc: &ResourceInstanceChange| refresh_only || action(rc) != Some(0);
        let drift = self.section("resource_drift", &self.plan.resource_drift, drift, tables, &mut masked)?;
        // Deleting a data source only cleans up state: Terraform does not show it.
        let changes = |address: &Address, rc: &ResourceInstanceChange| !(address.data && action(rc) == Some(5));
        let changes = self.section("resource_changes", &self.plan.resource_changes, changes, tables, &mut masked)?;

        let mut head = String::from("{\"format_version\":");
        value::write_string(&mut head, JSON_FORMAT_VERSION);
        head.push_str(",\"terraform_version\":");
        value::write_string(&mut head, &self.plan.terraform_version);
        head.push_str(",\"errored\":false,\"action_invocations\":");
        write_invocations(&mut head, &self.plan.action_invocations)?;
        // Reserved once, for all of it: the text is megabytes for thousands of changes, and growing
        // it would copy all of it into new memory again.
        let sections = [("resource_drift", drift), ("resource_changes", changes)];
        let written = |entries: &[String]| entries.iter().map(|entry| entry.len() + 2).sum::<usize>();
        let size = head.len() + sections.iter().map(|(name, entries)| name.len() + 6 + written(entries)).sum::<usize>();
        let mut json = String::with_capacity(size + "}\n".len());
        json.push_str(&head);
        for (name, entries) in &sections {
            json.push_str(",\"");
            json.push_str(name);
            json.push_str("\":[");
            for (i, entry) in entries.iter().enumerate() {
                if i > 0 {
                    json.push(',');
                }
                json.push('\n');
                json.push_str(entry);
            }
            json.push(']');
        }
        json.push_str("}\n");
        Ok(Shown { json: json.into_bytes(), masked: masked.into_iter().collect() })
    }

    /// The entries of section `name` as JSON: those of `changes` that `shown` keeps, in
    /// Terraform's order.
    fn section(
        &self,
        name: &'static str,
        changes: &[ResourceInstanceChange],
        shown: impl Fn(&Address, &ResourceInstanceChange) -> bool,
        tables: &Tables,
        masked: &mut BTreeSet<String>,
    ) -> Result<Vec<String>, PlanError> {
        let mut sorted = Vec::new();
        for (index, rc) in changes.iter().enumerate() {
            let address = Address::parse(&rc.addr).map_err(|e| PlanError::BinaryChange {
                section: name,
                index,
                address: None,
                message: format!("its address is not valid: expected {e}"),
            })?;
            if shown(&address, rc) {
                sorted.push((address, rc));
            }
        }
        sorted.sort_by(|(a, x), (b, y)| a.terraform_cmp(b).then_with(|| x.deposed_key.cmp(&y.deposed_key)));
        // Each type's schema is parsed once (a plan has many instances of few types), then the
        // changes are written on every core, each to its own text.
        // `None`: no table knows the type's provider version, so its values are masked.
        let mut schemas: HashMap<(&str, bool, &str), Option<TypeSchema>> = HashMap::new();
        for (address, rc) in &sorted {
            let key = (rc.provider.as_str(), address.data, address.resource_type.as_str());
            if schemas.contains_key(&key) {
                continue;
            }
            let schema = match self.table_of(rc, address, tables) {
                // A table that names the type but cannot be read for it is broken, not masked.
                Ok(table) => Some(table.type_schema(address.data, &address.resource_type)?.unwrap_or_default()),
                Err(provider) => {
                    masked.insert(provider);
                    None
                }
            };
            schemas.insert(key, schema);
        }
        sorted
            .par_iter()
            .enumerate()
            .map(|(index, (address, rc))| {
                let key = (rc.provider.as_str(), address.data, address.resource_type.as_str());
                let schema = schemas.get(&key).and_then(Option::as_ref);
                let mut text = String::with_capacity(1024);
                write_change(&mut text, address, rc, schema).map_err(|message| PlanError::BinaryChange {
                    section: name,
                    index,
                    address: Some(rc.addr.clone()),
                    message,
                })?;
                Ok(text)
            })
            .collect()
    }
}

/// The actions the apply runs, as `terraform show -json` prints them (without their configuration,
/// which no rule reads).
fn write_invocations(json: &mut String, invocations: &[proto::ActionInvocationInstance]) -> Result<(), PlanError> {
    json.push('[');
    for (index, invocation) in invocations.iter().enumerate() {
        let address = Address::parse_action(&invocation.addr).map_err(|e| PlanError::BinaryChange {
            section: "action_invocations",
            index,
            address: None,
            message: format!("its address is not valid: expected {e}"),
        })?;
        if index > 0 {
            json.push(',');
        }
        json.push_str("{\"address\":");
        value::write_string(json, &invocation.addr);
        json.push_str(",\"type\":");
        value::write_string(json, &address.resource_type);
        json.push_str(",\"name\":");
        value::write_string(json, &address.name);
        json.push_str(",\"provider_name\":");
        value::write_string(json, address::provider_source(&invocation.provider).unwrap_or(&invocation.provider));
        match &invocation.action_trigger {
            Some(proto::ActionTrigger::Resource(trigger)) => {
                json.push_str(",\"lifecycle_action_trigger\":{\"triggering_resource_address\":");
                value::write_string(json, &trigger.triggering_resource_addr);
                json.push_str(",\"action_trigger_event\":");
                let unknown = format!("unknown event {}", trigger.trigger_event);
                value::write_string(json, proto::trigger_event(trigger.trigger_event).unwrap_or(&unknown));
                json.push('}');
            }
            Some(proto::ActionTrigger::Invoke(_)) | None => json.push_str(",\"invoke_action_trigger\":{}"),
        }
        json.push('}');
    }
    json.push(']');
    Ok(())
}

/// One resource change as `terraform show -json` prints it. `schema` is `None` for a resource no
/// table knows: all of its values are then marked sensitive.
fn write_change(
    json: &mut String,
    address: &Address,
    rc: &ResourceInstanceChange,
    schema: Option<&TypeSchema>,
) -> Result<(), String> {
    let change = rc.change.as_ref().ok_or("the change is missing")?;
    let shape = proto::action_shape(change.action).ok_or_else(|| format!("unknown action number {}", change.action))?;
    let reason = proto::action_reason(rc.action_reason)
        .ok_or_else(|| format!("unknown action reason number {}", rc.action_reason))?;
    let typing =
        schema.map_or_else(Typing::default, |s| Typing { numbers: s.numbers.as_ref(), dynamic: s.dynamic.as_ref() });
    // The schema's sensitive attributes and every path the plan records, before and after alike:
    // more is hidden, never less. Known before the values are read, so that an error in a value
    // says where only as far as that is not sensitive.
    let marks = match schema {
        None => Marks::all(),
        Some(schema) => {
            let mut marks = Marks::default();
            if let Some(tree) = &schema.sensitive {
                marks.add_tree(tree);
            }
            for path in change.before_sensitive_paths.iter().chain(&change.after_sensitive_paths) {
                marks.add_path(path)?;
            }
            marks
        }
    };
    let value_at = |index: Option<usize>, side: &str| -> Result<V, String> {
        let Some(i) = index else { return Ok(V::Null) };
        let raw = change
            .values
            .get(i)
            .ok_or_else(|| format!("a {} change carries {} values", shape.actions.join("+"), change.values.len()))?;
        if raw.msgpack.is_empty() {
            return Err(format!("the {side} value has no msgpack"));
        }
        value::decode(&raw.msgpack, typing).map_err(|failure| {
            let path: Vec<_> = failure.path().collect();
            format!("the {side} value cannot be read: {}", failure.located(marks.visible_steps(&path)))
        })
    };
    let before = value_at(shape.before, "before")?;
    let after = value_at(shape.after, "after")?;
    if !before.is_wholly_known() {
        return Err("the before value holds values known only after apply".into());
    }

    json.push_str("{\"address\":");
    value::write_string(json, &rc.addr);
    if !rc.prev_run_addr.is_empty() && rc.prev_run_addr != rc.addr {
        json.push_str(",\"previous_address\":");
        value::write_string(json, &rc.prev_run_addr);
    }
    if !address.modules.is_empty() {
        json.push_str(",\"module_address\":");
        value::write_string(json, &address.module_address());
    }
    json.push_str(if address.data { ",\"mode\":\"data\"" } else { ",\"mode\":\"managed\"" });
    json.push_str(",\"type\":");
    value::write_string(json, &address.resource_type);
    json.push_str(",\"name\":");
    value::write_string(json, &address.name);
    if let Some(key) = &address.key {
        json.push_str(",\"index\":");
        json.push_str(&key.to_json().to_string());
    }
    if !rc.deposed_key.is_empty() {
        json.push_str(",\"deposed\":");
        value::write_string(json, &rc.deposed_key);
    }
    json.push_str(",\"provider_name\":");
    value::write_string(json, address::provider_source(&rc.provider).unwrap_or(&rc.provider));

    json.push_str(",\"change\":{\"actions\":");
    json.push_str(&serde_json::to_string(shape.actions).expect("strings serialize"));
    json.push_str(",\"before\":");
    before.write_json(json);
    json.push_str(",\"after\":");
    after.write_json(json);
    json.push_str(",\"after_unknown\":");
    if after.is_wholly_known() {
        json.push_str("{}");
    } else {
        after.write_unknown(json);
    }
    json.push_str(",\"before_sensitive\":");
    write_sensitivity(json, &before, &marks);
    json.push_str(",\"after_sensitive\":");
    write_sensitivity(json, &after, &marks);
    if !rc.required_replace.is_empty() {
        json.push_str(",\"replace_paths\":[");
        for (i, path) in rc.required_replace.iter().enumerate() {
            if i > 0 {
                json.push(',');
            }
            write_path(json, path)?;
        }
        json.push(']');
    }
    if let Some(importing) = &change.importing {
        json.push_str(",\"importing\":");
        if importing.unknown {
            json.push_str("{\"unknown\":true}");
        } else {
            json.push_str("{\"id\":");
            value::write_string(json, &importing.id);
            json.push('}');
        }
    }
    if !change.generated_config.is_empty() {
        json.push_str(",\"generated_config\":");
        value::write_string(json, &change.generated_config);
    }
    json.push('}');
    if let Some(reason) = reason {
        json.push_str(",\"action_reason\":\"");
        json.push_str(reason);
        json.push('"');
    }
    json.push('}');
    Ok(())
}

/// A side's sensitivity tree; `false` for a `null` side (or one the action does not have).
fn write_sensitivity(json: &mut String, value: &V, marks: &Marks) {
    if value.is_null() {
        json.push_str("false");
    } else {
        marks.write(value, json);
    }
}

/// A path as `replace_paths` prints it: attribute names and keys.
fn write_path(json: &mut String, path: &proto::Path) -> Result<(), String> {
    json.push('[');
    for (i, step) in path.steps.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        match &step.selector {
            Some(proto::Selector::AttributeName(name)) => value::write_string(json, name),
            Some(proto::Selector::ElementKey(key)) => value::decode_key(&key.msgpack)
                .map_err(|e| format!("a replace path cannot be read: {e}"))?
                .write_json(json),
            None => return Err("a replace path has an empty step".into()),
        }
    }
    json.push(']');
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// The paths a mask marks `true`, or holds as an empty collection, with list indexes kept.
    fn marked(mask: &Value, path: String, out: &mut Vec<String>) {
        match mask {
            Value::Bool(true) => out.push(path),
            Value::Array(items) => items.iter().enumerate().for_each(|(i, m)| marked(m, format!("{path}[{i}]"), out)),
            Value::Object(members) => members.iter().for_each(|(k, m)| marked(m, format!("{path}.{k}"), out)),
            _ => {}
        }
    }

    fn marks(mask: &Value) -> Vec<String> {
        let mut out = Vec::new();
        marked(mask, String::new(), &mut out);
        out.sort();
        out
    }

    /// Every field plangate reads of every change and drift entry, as the native reader writes it
    /// and as `terraform show -json` printed it: values exactly, masks by what they mark.
    #[test]
    fn every_change_is_what_terraform_show_prints() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
        let mut compared = 0;
        for dir in ["plans", "plans-rules"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let binary = entry.unwrap().path();
                if binary.extension().is_none_or(|e| e != "tfplan") {
                    continue;
                }
                let twin: Value =
                    serde_json::from_slice(&std::fs::read(binary.with_extension("plan.json")).unwrap()).unwrap();
                let decoded = decode(&std::fs::read(&binary).unwrap(), &Limits::default()).unwrap();
                let shown = decoded.to_json(&Tables::default()).unwrap();
                let native: Value = serde_json::from_slice(&shown.json).unwrap();
                let written: std::collections::BTreeSet<&str> =
                    native.as_object().unwrap().keys().map(String::as_str).collect();
                assert_eq!(written, SECTIONS.iter().copied().collect(), "SECTIONS is what a native reading writes");
                for section in ["resource_changes", "resource_drift"] {
                    let (ours, theirs) = (&native[section], &twin[section]);
                    let (ours, theirs) = (ours.as_array().unwrap(), theirs.as_array().map_or(&[][..], Vec::as_slice));
                    assert_eq!(ours.len(), theirs.len(), "{} {section}", binary.display());
                    for (a, b) in ours.iter().zip(theirs) {
                        let at = format!("{} {section} {}", binary.display(), b["address"]);
                        for field in [
                            "address",
                            "previous_address",
                            "module_address",
                            "mode",
                            "type",
                            "name",
                            "index",
                            "deposed",
                            "provider_name",
                            "action_reason",
                        ] {
                            assert_eq!(a[field], b[field], "{at}: {field}");
                        }
                        let (a, b) = (&a["change"], &b["change"]);
                        for field in ["actions", "before", "after", "replace_paths", "importing", "generated_config"] {
                            assert_eq!(a[field], b[field], "{at}: change.{field}");
                        }
                        assert_eq!(
                            marks(&a["after_unknown"]),
                            marks(&b["after_unknown"]),
                            "{at}: change.after_unknown"
                        );
                        // Sensitive: everything terraform marks, and the other side's recorded
                        // paths too (more hidden, never less).
                        for mask in ["before_sensitive", "after_sensitive"] {
                            let ours = marks(&a[mask]);
                            let missing: Vec<String> =
                                marks(&b[mask]).into_iter().filter(|m| !ours.contains(m)).collect();
                            assert!(missing.is_empty(), "{at}: change.{mask} does not mark {missing:?}");
                        }
                        compared += 1;
                    }
                }
            }
        }
        assert!(compared > 300, "compared only {compared} changes");
    }
}
