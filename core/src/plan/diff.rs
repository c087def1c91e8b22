//! Which top-level attributes of a change differ, read from the raw slices without building values.
//! Terraform writes `before` and `after` with one serializer (keys sorted, numbers in one form), so
//! two attribute texts that differ other than in white space are different values. This is what
//! keeps tags-only checks and drift summaries cheap on big plans.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserializer as _, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::reader::KeyName;

/// Names of the top-level attributes whose value differs between `before` and `after`, or that
/// become unknown, sorted. Names only: safe to show whatever the masks say.
pub fn changed_attributes(before: Option<&RawValue>, after: Option<&RawValue>, after_unknown: Option<&RawValue>) -> Vec<String> {
    // Every member of the three objects, tagged with its side, sorted by name: each name's members
    // then stand together, in the order before, after, unknown.
    let mut members: Vec<(Cow<'_, str>, Side, &RawValue)> = Vec::new();
    for (side, raw) in [(Side::Before, before), (Side::After, after), (Side::Unknown, after_unknown)] {
        members.extend(object_members(raw).into_iter().map(|(name, value)| (name, side, value)));
    }
    members.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));

    let mut changed = Vec::new();
    for group in members.chunk_by(|a, b| a.0 == b.0) {
        let side = |wanted: Side| group.iter().find(|m| m.1 == wanted).map(|m| m.2);
        if !same_value(side(Side::Before), side(Side::After)) || side(Side::Unknown).is_some_and(|mask| marks_anything(mask.get())) {
            changed.push(group[0].0.to_string());
        }
    }
    changed
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Side {
    Before,
    After,
    Unknown,
}

/// The top-level members of an object; nothing for `null` or a non-object.
fn object_members(raw: Option<&RawValue>) -> Vec<(Cow<'_, str>, &RawValue)> {
    let Some(raw) = raw else { return Vec::new() };
    let mut de = serde_json::Deserializer::from_str(raw.get());
    de.deserialize_any(MembersVisitor).unwrap_or_default()
}

/// Equal, counting `null`, `{}` and `[]` as the same: providers switch between them without
/// anything changing (`tags: null -> {}`).
fn same_value(a: Option<&RawValue>, b: Option<&RawValue>) -> bool {
    let (a, b) = (raw_text(a), raw_text(b));
    let empty = |t: &str| matches!(t, "null" | "{}" | "[]");
    a == b || (empty(a) && empty(b)) || same_ignoring_white_space(a, b)
}

fn raw_text(raw: Option<&RawValue>) -> &str {
    raw.map_or("null", RawValue::get)
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

/// Whether a mask's JSON text holds a `true` outside strings (masks hold only booleans, objects
/// and lists, so that is whether it marks anything).
fn marks_anything(mask: &str) -> bool {
    let bytes = mask.as_bytes();
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b't' if !in_string && bytes[i..].starts_with(b"true") => return true,
            _ => {}
        }
        i += 1;
    }
    false
}

struct MembersVisitor;

impl<'de> Visitor<'de> for MembersVisitor {
    type Value = Vec<(Cow<'de, str>, &'de RawValue)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut members = Vec::new();
        while let Some(KeyName(key)) = map.next_key::<KeyName<'de>>()? {
            members.push((key, map.next_value()?));
        }
        Ok(members)
    }

    // Anything but an object has no attributes.
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Vec::new())
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str) -> &RawValue {
        serde_json::from_str(text).unwrap()
    }

    fn changed(before: &str, after: &str, unknown: &str) -> Vec<String> {
        changed_attributes(Some(raw(before)), Some(raw(after)), Some(raw(unknown)))
    }

    #[test]
    fn names_of_what_differs() {
        let before = r#"{"name":"db","password":"hunter2","tags":{"a":"1"},"list":["x"],"same":{"k":1}}"#;
        let after = r#"{"name":"db","password":"hunter3","tags":{"a":"2"},"list":["x","y"],"same":{ "k" : 1 },"id":null}"#;
        assert_eq!(changed(before, after, r#"{"id":true}"#), ["id", "list", "password", "tags"]);
    }

    #[test]
    fn white_space_and_masks() {
        assert!(same_ignoring_white_space(r#"{ "a" : [1, 2] }"#, r#"{"a":[1,2]}"#));
        assert!(!same_ignoring_white_space(r#"{"a":"x y"}"#, r#"{"a":"xy"}"#), "white space inside strings counts");
        assert!(!same_ignoring_white_space(r#"{"a":"\" "}"#, r#"{"a":"\""}"#));
        assert!(marks_anything(r#"{"a":[false,true]}"#) && marks_anything("true"));
        assert!(!marks_anything(r#"{"true":false,"x\"true":{}}"#) && !marks_anything("false"));
    }

    #[test]
    fn empty_collections_and_null_are_the_same() {
        assert!(changed(r#"{"tags":null,"x":[]}"#, r#"{"tags":{},"x":null}"#, "{}").is_empty());
        assert!(changed("null", "null", "null").is_empty());
        assert!(changed("[1]", "\"x\"", "7").is_empty(), "no attributes outside objects");
    }
}
