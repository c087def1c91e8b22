//! The plan as Rego policies see it (`input`): Terraform's JSON, with every value the plan marks
//! sensitive replaced by `"(sensitive)"` and every value known only after apply by
//! `"(known after apply)"`, as the change model has them. Terraform writes a sensitive value in
//! places no mask covers (the `variables` section, a sensitive variable's default, a literal in the
//! configuration), so once the masks are applied every string equal to a value they hid is hidden
//! too, wherever it is.

use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::plan::{REDACTED, UNKNOWN};

/// The masked plan from its JSON text.
pub(crate) fn masked_plan(text: &[u8]) -> Result<Value, String> {
    let mut plan: Value =
        serde_json::from_slice(text).map_err(|e| format!("the plan cannot be read as one value: {e}"))?;
    let mut secrets = HashSet::new();
    let Some(sections) = plan.as_object_mut() else {
        return Err("the plan is not a JSON object".into());
    };
    for section in ["resource_changes", "resource_drift"] {
        for entry in sections.get_mut(section).and_then(Value::as_array_mut).into_iter().flatten() {
            if let Some(change) = entry.get_mut("change").and_then(Value::as_object_mut) {
                mask_change(change, &mut secrets);
            }
        }
    }
    if let Some(outputs) = sections.get_mut("output_changes").and_then(Value::as_object_mut) {
        for change in outputs.values_mut().filter_map(Value::as_object_mut) {
            mask_change(change, &mut secrets);
        }
    }
    if let Some(state) = sections.get_mut("planned_values") {
        mask_state(state, &mut secrets);
    }
    if let Some(state) = sections.get_mut("prior_state").and_then(|s| s.get_mut("values")) {
        mask_state(state, &mut secrets);
    }
    let sensitive_variables = sensitive_variables(sections.get("configuration"));
    if let Some(variables) = sections.get_mut("variables").and_then(Value::as_object_mut) {
        for (name, variable) in variables.iter_mut() {
            // Without the configuration, no variable can be told harmless.
            if sensitive_variables.as_ref().is_none_or(|names| names.contains(name)) {
                if let Some(value) = variable.get_mut("value") {
                    hide(value, &mut secrets);
                }
            }
        }
    }
    scrub(&mut plan, &secrets);
    Ok(plan)
}

/// Masks one change's `before` and `after` by its masks.
fn mask_change(change: &mut Map<String, Value>, secrets: &mut HashSet<String>) {
    let before_sensitive = change.get("before_sensitive").cloned();
    let after_sensitive = change.get("after_sensitive").cloned();
    let after_unknown = change.get("after_unknown").cloned();
    if let Some(before) = change.get_mut("before") {
        mask(before, before_sensitive.as_ref(), None, secrets);
    }
    match change.get_mut("after") {
        Some(after) => mask(after, after_sensitive.as_ref(), after_unknown.as_ref(), secrets),
        None if after_unknown == Some(Value::Bool(true)) => {
            change.insert("after".into(), Value::String(UNKNOWN.into()));
        }
        None => {}
    }
}

/// Masks the resources of a state (`planned_values`, `prior_state.values`) by their
/// `sensitive_values`, module by module, and its sensitive outputs.
fn mask_state(state: &mut Value, secrets: &mut HashSet<String>) {
    if let Some(outputs) = state.get_mut("outputs").and_then(Value::as_object_mut) {
        for output in outputs.values_mut() {
            if output.get("sensitive") == Some(&Value::Bool(true)) {
                if let Some(value) = output.get_mut("value") {
                    hide(value, secrets);
                }
            }
        }
    }
    let mut modules: Vec<&mut Value> = state.get_mut("root_module").into_iter().collect();
    while let Some(module) = modules.pop() {
        let Some(module) = module.as_object_mut() else { continue };
        for resource in module.get_mut("resources").and_then(Value::as_array_mut).into_iter().flatten() {
            let sensitive = resource.get("sensitive_values").cloned();
            if let Some(values) = resource.get_mut("values") {
                mask(values, sensitive.as_ref(), None, secrets);
            }
        }
        if let Some(children) = module.get_mut("child_modules").and_then(Value::as_array_mut) {
            modules.extend(children.iter_mut());
        }
    }
}

/// The variables the configuration declares sensitive, root and module alike (their defaults are
/// hidden by the scrub); `None` when there is no configuration to tell.
fn sensitive_variables(configuration: Option<&Value>) -> Option<HashSet<String>> {
    let root = configuration?.get("root_module")?;
    let mut names = HashSet::new();
    for (name, variable) in root.get("variables").and_then(Value::as_object).into_iter().flatten() {
        if variable.get("sensitive") == Some(&Value::Bool(true)) {
            names.insert(name.clone());
        }
    }
    Some(names)
}

/// Applies a sensitivity mask and an unknown mask to a value.
fn mask(value: &mut Value, sensitive: Option<&Value>, unknown: Option<&Value>, secrets: &mut HashSet<String>) {
    if sensitive == Some(&Value::Bool(true)) {
        return hide(value, secrets);
    }
    if unknown == Some(&Value::Bool(true)) {
        *value = Value::String(UNKNOWN.into());
        return;
    }
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(unknowns)) = unknown {
                for key in unknowns.keys() {
                    if !map.contains_key(key) && unknowns.get(key) == Some(&Value::Bool(true)) {
                        map.insert(key.clone(), Value::String(UNKNOWN.into()));
                    }
                }
            }
            for (key, item) in map.iter_mut() {
                mask(item, sensitive.and_then(|m| m.get(key)), unknown.and_then(|m| m.get(key)), secrets);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                mask(item, sensitive.and_then(|m| m.get(i)), unknown.and_then(|m| m.get(i)), secrets);
            }
        }
        _ => {}
    }
}

/// Replaces a sensitive value, remembering its strings for the scrub.
fn hide(value: &mut Value, secrets: &mut HashSet<String>) {
    collect_strings(value, secrets);
    if !value.is_null() {
        *value = Value::String(REDACTED.into());
    }
}

fn collect_strings(value: &Value, secrets: &mut HashSet<String>) {
    match value {
        Value::String(s) if !s.is_empty() => {
            secrets.insert(s.clone());
        }
        Value::Array(items) => items.iter().for_each(|item| collect_strings(item, secrets)),
        Value::Object(map) => map.values().for_each(|item| collect_strings(item, secrets)),
        _ => {}
    }
}

/// Hides every string equal to a hidden one, wherever it is.
fn scrub(value: &mut Value, secrets: &HashSet<String>) {
    if secrets.is_empty() {
        return;
    }
    match value {
        Value::String(s) if secrets.contains(s.as_str()) => *s = REDACTED.into(),
        Value::Array(items) => items.iter_mut().for_each(|item| scrub(item, secrets)),
        Value::Object(map) => map.values_mut().for_each(|item| scrub(item, secrets)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_apply_and_hidden_strings_are_scrubbed_everywhere() {
        let plan = br#"{
            "variables": {"token": {"value": "s3cret"}, "region": {"value": "eu-west-1"}},
            "configuration": {"root_module": {"variables": {"token": {"sensitive": true, "default": "s3cret"}, "region": {}}}},
            "resource_changes": [{"address": "a.b", "change": {
                "before": {"password": "old-pass", "tags": {"x": "1"}}, "after": {"password": "s3cret", "tags": {"x": "1"}},
                "before_sensitive": {"password": true}, "after_sensitive": {"password": true},
                "after_unknown": {"arn": true}}}]
        }"#;
        let masked = masked_plan(plan).unwrap();
        let text = masked.to_string();
        assert!(!text.contains("s3cret") && !text.contains("old-pass"), "{text}");
        assert!(text.contains("eu-west-1"), "variables not declared sensitive stay: {text}");
        let after = &masked["resource_changes"][0]["change"]["after"];
        assert_eq!(after["password"], REDACTED);
        assert_eq!(after["arn"], UNKNOWN);
        assert_eq!(after["tags"]["x"], "1");
    }
}
