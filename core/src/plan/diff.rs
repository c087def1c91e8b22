//! Which top-level attributes of a change differ, read from the raw slices without building values.
//! Terraform writes `before` and `after` with one serializer (keys sorted, numbers in one form), so
//! two attribute texts that differ other than in white space are different values. This is what
//! keeps tags-only checks and drift summaries cheap on big plans.

use std::borrow::Cow;

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
    // One merge over the three sorted member lists.
    // Names are borrowed from the plan text where they can be: most changes change most of their
    // attributes (every one, for a create), and this runs for every change.
    let (mut b, mut a, mut u) =
        (before.named_members().peekable(), after.named_members().peekable(), after_unknown.named_members().peekable());
    let mut changed = Vec::new();
    loop {
        let name = [b.peek(), a.peek(), u.peek()].into_iter().flatten().map(|(n, _)| *n).min_by(|x, y| x.cmp(y));
        let Some(name) = name else { break };
        let take = |side: &mut std::iter::Peekable<_>| -> Option<&str> {
            side.next_if(|(n, _): &(&Cow<'a, str>, &str)| *n == name).map(|(_, raw)| raw)
        };
        let (old, new, mask) = (take(&mut b), take(&mut a), take(&mut u));
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
}
