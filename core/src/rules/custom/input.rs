//! The plan as Rego policies see it (`input`): Terraform's JSON, with every value the plan marks
//! sensitive replaced by `"(sensitive)"` and every value known only after apply by
//! `"(known after apply)"`, as the change model has them. Terraform also writes sensitive values
//! where no mask covers them (the `variables` section, a sensitive variable's default in the
//! configuration), so once the masks are applied, every string equal to a value they hid is hidden
//! wherever else it appears. Parsed straight into the Rego engine's values: a whole plan is one large
//! value, and building it once is most of the cost.

use std::collections::{BTreeMap, HashSet};

use rayon::prelude::*;
use regorus::Value;
use serde_json::value::RawValue;

use crate::plan::{REDACTED, UNKNOWN};

/// A top-level section being made: the entries of `resource_changes` and `resource_drift` are
/// kept apart until the scrub, so both cores can work on them.
enum Section {
    Entries(Vec<Value>),
    Whole(Value),
}

/// The masked plan from its JSON text. The sections, and the entries of the large ones, are
/// parsed and masked on every core: a plan is read as one value here, and that is most of the
/// cost of a Rego policy.
pub(crate) fn masked_plan(text: &[u8]) -> Result<Value, String> {
    let cannot = |e: serde_json::Error| format!("the plan cannot be read as one value: {e}");
    let raw: BTreeMap<String, &RawValue> = serde_json::from_slice(text).map_err(cannot)?;
    let mut sections: Vec<(String, Section, HashSet<String>)> = raw
        .into_par_iter()
        .map(|(name, raw)| {
            let mut secrets = HashSet::new();
            let section = match name.as_str() {
                "resource_changes" | "resource_drift" => {
                    let entries: Vec<&RawValue> = serde_json::from_str(raw.get()).map_err(cannot)?;
                    let parsed: Result<Vec<(Value, HashSet<String>)>, String> = entries
                        .into_par_iter()
                        .map(|entry| {
                            let mut entry: Value = serde_json::from_str(entry.get()).map_err(cannot)?;
                            let mut secrets = HashSet::new();
                            if let Some(change) = member(&mut entry, "change") {
                                mask_change(change, &mut secrets);
                            }
                            Ok((entry, secrets))
                        })
                        .collect();
                    let (entries, found): (Vec<Value>, Vec<HashSet<String>>) = parsed?.into_iter().unzip();
                    secrets.extend(found.into_iter().flatten());
                    Section::Entries(entries)
                }
                _ => {
                    let mut value: Value = serde_json::from_str(raw.get()).map_err(cannot)?;
                    match name.as_str() {
                        "output_changes" => {
                            for change in value.as_object_mut().into_iter().flat_map(|o| o.iter_mut().map(|(_, v)| v)) {
                                mask_change(change, &mut secrets);
                            }
                        }
                        "planned_values" => mask_state(&mut value, &mut secrets),
                        "prior_state" => {
                            if let Some(state) = member(&mut value, "values") {
                                mask_state(state, &mut secrets);
                            }
                        }
                        _ => {}
                    }
                    Section::Whole(value)
                }
            };
            Ok((name, section, secrets))
        })
        .collect::<Result<_, String>>()?;

    let mut secrets: HashSet<String> = sections.iter_mut().flat_map(|(_, _, found)| std::mem::take(found)).collect();
    let configuration = sections.iter().find_map(|(name, section, _)| match section {
        Section::Whole(value) if name == "configuration" => Some(value),
        _ => None,
    });
    let sensitive_variables = sensitive_variables(configuration);
    for (name, section, _) in &mut sections {
        if let (Section::Whole(variables), "variables") = (section, name.as_str()) {
            for (name, variable) in variables.as_object_mut().into_iter().flat_map(|v| v.iter_mut()) {
                let name = name.as_string().map(|n| n.to_string()).unwrap_or_default();
                // Without the configuration, no variable can be told harmless.
                if sensitive_variables.as_ref().is_none_or(|names| names.contains(&name)) {
                    if let Some(value) = member(variable, "value") {
                        hide(value, &mut secrets);
                    }
                }
            }
        }
    }
    // Terraform writes a sensitive value where no mask covers it (the `variables` section, a
    // variable's default, `planned_values` of an attribute only the provider's schema marks), and
    // a configuration may repeat a secret in an attribute nothing marks: hide them all.
    if !secrets.is_empty() {
        sections.par_iter_mut().for_each(|(_, section, _)| match section {
            Section::Entries(entries) => entries.par_iter_mut().for_each(|entry| scrub(entry, &secrets)),
            Section::Whole(value) => scrub(value, &secrets),
        });
    }
    let mut plan = regorus::Value::new_object();
    let map = plan.as_object_mut().map_err(|e| e.to_string())?;
    for (name, section, _) in sections {
        let value = match section {
            Section::Entries(entries) => Value::from(entries),
            Section::Whole(value) => value,
        };
        map.insert(Value::from(name), value);
    }
    Ok(plan)
}

/// The member `name` of an object, to change.
fn member<'v>(value: &'v mut Value, name: &str) -> Option<&'v mut Value> {
    value.as_object_mut().ok()?.get_mut(&Value::from(name))
}

fn is_true(value: &Value) -> bool {
    *value == Value::Bool(true)
}

/// Masks one change's `before` and `after` by its masks.
fn mask_change(change: &mut Value, secrets: &mut HashSet<String>) {
    let before_sensitive = change["before_sensitive"].clone();
    let after_sensitive = change["after_sensitive"].clone();
    let after_unknown = change["after_unknown"].clone();
    if let Some(before) = member(change, "before") {
        mask(before, &before_sensitive, &Value::Undefined, secrets);
    }
    if let Some(after) = member(change, "after") {
        mask(after, &after_sensitive, &after_unknown, secrets);
    }
}

/// Masks the resources of a state (`planned_values`, `prior_state.values`) by their
/// `sensitive_values`, module by module, and its sensitive outputs.
fn mask_state(state: &mut Value, secrets: &mut HashSet<String>) {
    if let Some(outputs) = member(state, "outputs") {
        for output in outputs.as_object_mut().into_iter().flat_map(|o| o.iter_mut().map(|(_, v)| v)) {
            if is_true(&output["sensitive"]) {
                if let Some(value) = member(output, "value") {
                    hide(value, secrets);
                }
            }
        }
    }
    let mut modules: Vec<&mut Value> = member(state, "root_module").into_iter().collect();
    while let Some(module) = modules.pop() {
        let Ok(module) = module.as_object_mut() else { continue };
        for (name, item) in module.iter_mut() {
            match name.as_string().map(|n| n.as_ref()).unwrap_or_default() {
                "resources" => {
                    for resource in item.as_array_mut().into_iter().flatten() {
                        let sensitive = resource["sensitive_values"].clone();
                        if let Some(values) = member(resource, "values") {
                            mask(values, &sensitive, &Value::Undefined, secrets);
                        }
                    }
                }
                "child_modules" => modules.extend(item.as_array_mut().into_iter().flatten()),
                _ => {}
            }
        }
    }
}

/// The variables the root module declares sensitive; `None` when there is no configuration to
/// tell.
fn sensitive_variables(configuration: Option<&Value>) -> Option<HashSet<String>> {
    let variables = match &configuration?["root_module"] {
        Value::Undefined => return None,
        root => root["variables"].as_object().ok().cloned().unwrap_or_default(),
    };
    let sensitive = variables.into_iter().filter(|(_, variable)| is_true(&variable["sensitive"]));
    Some(sensitive.filter_map(|(name, _)| name.as_string().ok().map(|n| n.to_string())).collect())
}

/// Applies a sensitivity mask and an unknown mask to a value.
fn mask(value: &mut Value, sensitive: &Value, unknown: &Value, secrets: &mut HashSet<String>) {
    if is_true(sensitive) {
        return hide(value, secrets);
    }
    if is_true(unknown) {
        *value = Value::from(UNKNOWN);
        return;
    }
    // Nothing marked below: leave the value as it is (and shared).
    let marked = |mask: &Value| matches!(mask, Value::Object(_) | Value::Array(_));
    if !marked(sensitive) && !marked(unknown) {
        return;
    }
    match value {
        // Attributes Terraform leaves out of `after` because they are unknown stay out, as in the
        // plan conftest policies were written against. Only what a mask marks is visited: the
        // engine keeps objects compact, and going through all of one would unpack it.
        Value::Object(_) => {
            let mut keys: Vec<Value> = Vec::new();
            for mask in [sensitive, unknown] {
                if let Ok(marked) = mask.as_object() {
                    for key in marked.keys() {
                        if !keys.contains(key) {
                            keys.push(key.clone());
                        }
                    }
                }
            }
            let Ok(map) = value.as_object_mut() else { return };
            for key in keys {
                if let Some(item) = map.get_mut(&key) {
                    mask(item, &sensitive[&key], &unknown[&key], secrets);
                }
            }
        }
        Value::Array(_) => {
            let marked = |mask: &Value| mask.as_array().map_or(0, |items| items.len());
            let len = marked(sensitive).max(marked(unknown));
            let Ok(items) = value.as_array_mut() else { return };
            for i in 0..len.min(items.len()) {
                let index = Value::from(i as u64);
                if let Some(item) = items.get_mut(i) {
                    mask(item, &sensitive[&index], &unknown[&index], secrets);
                }
            }
        }
        _ => {}
    }
}

/// Replaces a sensitive value, remembering its strings for the scrub.
fn hide(value: &mut Value, secrets: &mut HashSet<String>) {
    collect_strings(value, secrets);
    if *value != Value::Null {
        *value = Value::from(REDACTED);
    }
}

fn collect_strings(value: &Value, secrets: &mut HashSet<String>) {
    match value {
        Value::String(s) if !s.is_empty() => {
            secrets.insert(s.to_string());
        }
        Value::Array(items) => items.iter().for_each(|item| collect_strings(item, secrets)),
        Value::Set(items) => items.iter().for_each(|item| collect_strings(item, secrets)),
        Value::Object(map) => map.values().for_each(|item| collect_strings(item, secrets)),
        _ => {}
    }
}

/// Hides every string equal to a hidden one, wherever it is in `value` (keys included).
fn scrub(value: &mut Value, secrets: &HashSet<String>) {
    // Changing a container thaws it (the engine keeps objects in a compact form): only those with
    // something to hide are changed.
    if !contains(value, secrets) {
        return;
    }
    if let Value::String(_) = value {
        *value = Value::from(REDACTED);
    } else if let Ok(items) = value.as_array_mut() {
        items.iter_mut().for_each(|item| scrub(item, secrets));
    } else if let Ok(map) = value.as_object_mut() {
        if map.keys().any(|k| contains(k, secrets)) {
            for (mut key, item) in std::mem::take(map) {
                scrub(&mut key, secrets);
                map.insert(key, item);
            }
        }
        map.iter_mut().for_each(|(_, item)| scrub(item, secrets));
    }
}

/// Whether a hidden string is anywhere in `value`.
fn contains(value: &Value, secrets: &HashSet<String>) -> bool {
    match value {
        Value::String(s) => secrets.contains(s.as_ref()),
        Value::Array(items) => items.iter().any(|item| contains(item, secrets)),
        Value::Set(items) => items.iter().any(|item| contains(item, secrets)),
        Value::Object(map) => map.iter().any(|(key, item)| contains(key, secrets) || contains(item, secrets)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_apply_and_hidden_strings_are_scrubbed_where_no_mask_covers() {
        let plan = br#"{
            "variables": {"token": {"value": "s3cret"}, "region": {"value": "eu-west-1"}},
            "configuration": {"root_module": {"variables": {"token": {"sensitive": true, "default": "s3cret"}, "region": {}}}},
            "resource_changes": [{"address": "a.b", "change": {
                "before": {"password": "old-pass", "tags": {"x": "1"}}, "after": {"password": "s3cret", "tags": {"x": "1"}, "id": null},
                "before_sensitive": {"password": true}, "after_sensitive": {"password": true},
                "after_unknown": {"arn": true, "id": true}}}],
            "planned_values": {"outputs": {"o": {"sensitive": false, "value": {"s3cret": "old-pass"}}}}
        }"#;
        let masked = masked_plan(plan).unwrap();
        let text = masked.to_json_str().unwrap();
        assert!(!text.contains("s3cret") && !text.contains("old-pass"), "{text}");
        assert!(text.contains("eu-west-1"), "variables not declared sensitive stay: {text}");
        let after = &masked["resource_changes"][0]["change"]["after"];
        assert_eq!(after["password"], Value::from(REDACTED));
        assert_eq!(after["id"], Value::from(UNKNOWN));
        assert_eq!(after["arn"], Value::Undefined, "left out of `after`, as Terraform leaves it");
        assert_eq!(after["tags"]["x"], Value::from("1"));
    }
}
