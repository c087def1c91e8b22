//! Which top-level attributes of a change differ, read from the raw slices without building values.
//! Terraform writes `before` and `after` with one serializer (keys sorted, numbers in one form), so
//! two attribute texts that differ other than in white space are different values. This is what
//! keeps tags-only checks and drift summaries cheap on big plans.

use std::borrow::Cow;
use std::cmp::Ordering;

use serde_json::Value;

use super::values::{text_marks_anything, Side};

/// Names of the top-level attributes whose value differs between `before` and `after`, or that
/// become unknown, sorted. Names only: safe to show whatever the masks say. `deep` (for drift)
/// also compares differing containers as values, so that an empty nested value switching form is
/// not a change; planned changes skip that parse, which would cost every update on a big plan.
pub fn changed_attributes<'a>(
    before: &Side<'a>,
    after: &Side<'a>,
    after_unknown: &Side<'a>,
    deep: bool,
) -> Vec<Cow<'a, str>> {
    // One merge over the three sorted member lists, two name comparisons a step.
    // Names are borrowed from the plan text where they can be: most changes change most of their
    // attributes (every one, for a create), and this runs for every change.
    let mut sides =
        [before.named_members().peekable(), after.named_members().peekable(), after_unknown.named_members().peekable()];
    let mut changed = Vec::new();
    loop {
        // The least name next, and which sides hold it.
        let mut least: Option<&Cow<'a, str>> = None;
        let mut held = [false; 3];
        for (i, side) in sides.iter_mut().enumerate() {
            let Some(&(name, _)) = side.peek() else { continue };
            match least.map(|least| name.as_ref().cmp(least.as_ref())) {
                None | Some(Ordering::Less) => {
                    least = Some(name);
                    held = [false; 3];
                    held[i] = true;
                }
                Some(Ordering::Equal) => held[i] = true,
                Some(Ordering::Greater) => {}
            }
        }
        let Some(name) = least else { break };
        let [old, new, mask] =
            std::array::from_fn(|i| if held[i] { sides[i].next().map(|(_, raw)| raw) } else { None });
        if !same_value(old.unwrap_or("null"), new.unwrap_or("null"), deep) || mask.is_some_and(text_marks_anything) {
            changed.push(name.clone());
        }
    }
    changed
}

/// Equal, counting `null`, `{}`, `[]` and `""` as the same: providers switch between them without
/// anything changing (`tags: null -> {}`). With `deep`, at any depth too (a nested block's
/// `security_group_ids: null -> []`): two containers of one kind whose texts differ are compared as
/// values. Anything else that differs in text differs. (An attribute absent from a side is `null`.)
fn same_value(a: &str, b: &str, deep: bool) -> bool {
    let empty = |t: &str| matches!(t, "null" | "{}" | "[]" | "\"\"");
    if a == b || (empty(a) && empty(b)) || same_ignoring_white_space(a, b) {
        return true;
    }
    if !deep {
        return false;
    }
    let container = |t: &str| t.trim_start().as_bytes().first().copied();
    match (container(a), container(b)) {
        (Some(x @ (b'{' | b'[')), Some(y)) if x == y => {
            match (serde_json::from_str::<Value>(a), serde_json::from_str::<Value>(b)) {
                (Ok(a), Ok(b)) => equivalent(&a, &b),
                _ => false,
            }
        }
        _ => false,
    }
}

/// Values equal once `null`, `{}`, `[]` and `""` are one "empty", and a key holding it is the same
/// as the key absent.
fn equivalent(a: &Value, b: &Value) -> bool {
    let is_empty = |v: &Value| match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        _ => false,
    };
    match (a, b) {
        _ if is_empty(a) && is_empty(b) => true,
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equivalent(p, q)),
        (Value::Object(x), Value::Object(y)) => {
            let keys = x.keys().chain(y.keys());
            keys.into_iter().all(|k| match (x.get(k), y.get(k)) {
                (Some(p), Some(q)) => equivalent(p, q),
                (Some(v), None) | (None, Some(v)) => is_empty(v),
                (None, None) => true,
            })
        }
        _ => a == b,
    }
}

/// The tokens of two JSON texts, compared without the white space between them.
fn same_ignoring_white_space(a: &str, b: &str) -> bool {
    significant_bytes(a).eq(significant_bytes(b))
}

/// The bytes of a JSON text less the white space outside strings.
fn significant_bytes(text: &str) -> impl Iterator<Item = u8> + '_ {
    let mut in_string = false;
    let mut escaped = false;
    text.bytes().filter(move |&byte| {
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            true
        } else {
            in_string = byte == b'"';
            !byte.is_ascii_whitespace()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changed(before: &str, after: &str, unknown: &str) -> Vec<String> {
        let v = crate::plan::values::tests::values(before, after, unknown, "{}", "{}");
        changed_attributes(&v.before, &v.after, &v.after_unknown, true).into_iter().map(String::from).collect()
    }

    #[test]
    fn names_of_what_differs() {
        let before = r#"{"name":"db","password":"hunter2","tags":{"a":"1"},"list":["x"],"same":{"k":1}}"#;
        let after =
            r#"{"name":"db","password":"hunter3","tags":{"a":"2"},"list":["x","y"],"same":{ "k" : 1 },"id":null}"#;
        assert_eq!(changed(before, after, r#"{"id":true}"#), ["id", "list", "password", "tags"]);
    }

    #[test]
    fn white_space_and_masks() {
        assert!(same_ignoring_white_space(r#"{ "a" : [1, 2] }"#, r#"{"a":[1,2]}"#));
        assert!(!same_ignoring_white_space(r#"{"a":"x y"}"#, r#"{"a":"xy"}"#), "white space inside strings counts");
        assert!(!same_ignoring_white_space(r#"{"a":"\" "}"#, r#"{"a":"\""}"#));
    }

    #[test]
    fn planned_changes_compare_nested_values_as_written() {
        let v =
            crate::plan::values::tests::values(r#"{"b":[{"ids":null}]}"#, r#"{"b":[{"ids":[]}]}"#, "{}", "{}", "{}");
        assert_eq!(changed_attributes(&v.before, &v.after, &v.after_unknown, false), ["b"]);
    }

    #[test]
    fn empty_collections_null_and_empty_strings_are_the_same_at_any_depth() {
        assert!(changed(r#"{"tags":null,"x":[],"y":null}"#, r#"{"tags":{},"x":null,"y":""}"#, "{}").is_empty());
        assert!(changed("null", "null", "null").is_empty());
        let before = r#"{"vpc_config":[{"ids":null,"name":"a","more":{}}],"group":[{"types":[]}]}"#;
        let after = r#"{"vpc_config":[{"ids":[],"name":"a"}],"group":[{"types":null,"extra":""}]}"#;
        assert!(changed(before, after, "{}").is_empty());
        // What is not empty still counts, at any depth.
        let after = r#"{"vpc_config":[{"ids":["sg-1"],"name":"a"}],"group":[{"types":null}]}"#;
        assert_eq!(changed(before, after, "{}"), ["vpc_config"]);
        assert_eq!(changed(r#"{"x":[{}]}"#, r#"{"x":[]}"#, "{}"), ["x"], "one empty element is not no element");
        assert_eq!(changed(r#"{"x":""}"#, r#"{"x":"a"}"#, "{}"), ["x"]);
    }

    proptest::proptest! {
        /// The merge finds what a plain reading of the three sides finds, whichever side holds
        /// which names: each name once, sorted, when its values differ or the mask marks it.
        #[test]
        fn the_merge_finds_what_looking_each_name_up_finds(
            before in proptest::collection::btree_map("[a-e]{1,2}", 0..4usize, 0..8),
            after in proptest::collection::btree_map("[a-e]{1,2}", 0..4usize, 0..8),
            unknown in proptest::collection::btree_map("[a-e]{1,2}", proptest::bool::ANY, 0..8),
        ) {
            use std::collections::{BTreeMap, BTreeSet};
            const VALUES: [&str; 4] = ["null", "1", "\"x\"", "[1]"];
            fn object<V: std::fmt::Display>(map: &BTreeMap<String, V>, text: impl Fn(&V) -> String) -> String {
                let members: Vec<String> = map.iter().map(|(k, v)| format!("{k:?}:{}", text(v))).collect();
                format!("{{{}}}", members.join(","))
            }
            fn value<'m>(side: &'m BTreeMap<String, usize>, name: &str) -> &'m str {
                side.get(name).map_or("null", |v| VALUES[*v])
            }
            let names: BTreeSet<&String> = before.keys().chain(after.keys()).chain(unknown.keys()).collect();
            let expected: Vec<String> = names
                .into_iter()
                .filter(|name| value(&before, name) != value(&after, name) || unknown.get(*name) == Some(&true))
                .cloned()
                .collect();
            let b = object(&before, |v| VALUES[*v].to_string());
            let a = object(&after, |v| VALUES[*v].to_string());
            let u = object(&unknown, bool::to_string);
            proptest::prop_assert_eq!(changed(&b, &a, &u), expected);
        }
    }
}
