//! The before/after values of a change together with Terraform's sensitivity and unknown masks.
//!
//! Each side is kept as its top-level members, raw slices of the plan text found in one scan and
//! parsed one attribute at a time, on first use: rules read a handful of attributes, so the rest
//! of a large object is never built. Rules read values only through [`Attr`], which answers
//! "sensitive" or "unknown" instead of a value wherever a mask says so: that is how a sensitive
//! value never reaches a finding.

use std::borrow::Cow;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

use serde::de::{MapAccess, Unexpected, Visitor};
use serde_json::value::RawValue;
use serde_json::Value;

use super::reader::KeyName;

/// What to show instead of a value the plan marks sensitive.
pub const REDACTED: &str = "(sensitive)";
/// What to show for a value Terraform only knows after apply.
pub const UNKNOWN: &str = "(known after apply)";

/// One side of a change (a value or a mask): its top-level members sorted by name, each parsed on
/// first use.
#[derive(Debug, Default)]
pub struct Side<'a> {
    /// Each member's name and its value's text.
    members: Vec<(Cow<'a, str>, &'a str)>,
    /// One slot per member, made when the first member is read; `None` when it cannot be parsed.
    parsed: OnceLock<Box<[OnceLock<Option<Value>>]>>,
    /// The first member a rule asked for that cannot be parsed.
    unreadable: OnceLock<ParseFailure>,
    /// The side is the literal `true`: a mask that marks everything.
    all: bool,
}

/// A member that scans as JSON but does not parse into a value: a lone surrogate escape, a number
/// beyond `f64` (`1e400`), nesting beyond the parser's recursion limit. Whatever a rule would have
/// read there is unknown, so the change cannot be verified.
#[derive(Debug, Clone, Copy)]
pub struct Unreadable<'s> {
    /// The member's name.
    pub member: &'s str,
    /// Its text in the plan, for the error's location.
    pub raw: &'s str,
    /// Why it cannot be parsed.
    pub message: &'s str,
    /// Where inside `raw` (1-based line and column, as serde_json counts them).
    pub line: usize,
    pub column: usize,
}

/// The first member of a side that could not be parsed; kept without borrowing, so [`Side`] stays
/// covariant in its lifetime.
#[derive(Debug)]
struct ParseFailure {
    index: usize,
    message: String,
    line: usize,
    column: usize,
}

/// What a side holds under one name.
enum Member<'v> {
    Absent,
    Value(&'v Value),
    Unreadable,
}

impl<'a> Side<'a> {
    /// The side of these members; an attribute written twice is refused (JSON readers differ on
    /// which one counts, so what the rules would judge is not what another tool shows).
    fn from_members(members: Members<'a>) -> Result<Side<'a>, String> {
        match members {
            Members::All => Ok(Side { all: true, ..Side::default() }),
            Members::Listed(mut members) => {
                // Terraform writes keys sorted: one pass over names in strictly rising order finds
                // nothing to sort and no name twice. Only other writers pay for the sort.
                if !members.windows(2).all(|pair| pair[0].0 < pair[1].0) {
                    members.sort_by(|a, b| a.0.cmp(&b.0));
                    if let Some(pair) = members.windows(2).find(|pair| pair[0].0 == pair[1].0) {
                        return Err(format!(
                            "the attribute `{}` is written twice",
                            crate::text::excerpt(&pair[0].0, 80)
                        ));
                    }
                }
                Ok(Side { members, ..Side::default() })
            }
        }
    }

    /// The side whose value starts at `start` in `text`, a well-formed entry, split without
    /// serde_json (see [`super::members`]), and where it ends; `None` wherever serde_json must
    /// decide: a key with an escape, an attribute written twice, a value that is not an object,
    /// `null` or a boolean.
    pub(super) fn read_well_formed(text: &'a str, start: usize) -> Option<(Side<'a>, usize)> {
        let (members, end) = if text.as_bytes().get(start) == Some(&b'{') {
            let (members, end) = super::members::object_members(text, start)?;
            (Members::Listed(members), end)
        } else {
            let end = super::members::value_end(text, start)?;
            let members = match text.get(start..end)? {
                "null" | "false" => Members::default(),
                "true" => Members::All,
                _ => return None,
            };
            (members, end)
        };
        Some((Side::from_members(members).ok()?, end))
    }

    fn index(&self, name: &str) -> Option<usize> {
        self.members.binary_search_by(|(n, _)| n.as_ref().cmp(name)).ok()
    }

    /// A member, parsed on first use; one that cannot be parsed is remembered as [`Unreadable`].
    fn member(&self, name: &str) -> Member<'_> {
        let Some(i) = self.index(name) else { return Member::Absent };
        let parsed = self.parsed.get_or_init(|| self.members.iter().map(|_| OnceLock::new()).collect());
        let value = parsed[i].get_or_init(|| {
            serde_json::from_str(self.members[i].1)
                .map(|crate::json::Unique(value)| value)
                .map_err(|e: serde_json::Error| {
                    let full = e.to_string();
                    let message = full.rfind(" at line ").map_or(full.as_str(), |at| &full[..at]).to_string();
                    let (line, column) = (e.line(), e.column());
                    self.unreadable.get_or_init(|| ParseFailure { index: i, message, line, column });
                })
                .ok()
        });
        value.as_ref().map_or(Member::Unreadable, Member::Value)
    }

    /// A member's value, parsed on first use; `None` when absent or unreadable.
    pub fn get(&self, name: &str) -> Option<&Value> {
        match self.member(name) {
            Member::Value(value) => Some(value),
            Member::Absent | Member::Unreadable => None,
        }
    }

    /// The first member read so far that cannot be parsed.
    pub fn unreadable(&self) -> Option<Unreadable<'_>> {
        self.unreadable.get().map(|failure| {
            let (member, raw) = &self.members[failure.index];
            Unreadable { member, raw, message: &failure.message, line: failure.line, column: failure.column }
        })
    }

    /// Whether the side has a member of this name.
    pub fn has(&self, name: &str) -> bool {
        self.index(name).is_some()
    }

    /// Whether the side is the literal `true` (only a mask may be).
    pub fn is_true(&self) -> bool {
        self.all
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.members.iter().map(|(n, _)| n.as_ref())
    }

    /// A member's JSON text, unparsed: for a reader that needs one short value from every change
    /// and should not pay for parsing it.
    pub fn raw(&self, name: &str) -> Option<&'a str> {
        self.index(name).map(|i| self.members[i].1)
    }

    /// The members in name order, unparsed.
    pub fn members(&self) -> impl Iterator<Item = (&str, &'a str)> {
        self.members.iter().map(|(n, raw)| (n.as_ref(), *raw))
    }

    /// The same, with the names as the plan text holds them.
    pub fn named_members(&self) -> impl Iterator<Item = (&Cow<'a, str>, &'a str)> {
        self.members.iter().map(|(n, raw)| (n, *raw))
    }

    /// For a mask: the paths it marks (`tags.owner`, `ingress[0].cidr_blocks`), `""` for the whole
    /// side. A member that cannot be parsed marks itself as a whole: nothing it may cover is shown.
    pub fn marked_paths(&self) -> Vec<String> {
        if self.all {
            return vec![String::new()];
        }
        let mut paths = Vec::new();
        for (name, raw) in self.members() {
            if !text_marks_anything(raw) {
                continue;
            }
            match self.get(name) {
                Some(mask) => mask_paths(mask, name.to_string(), &mut paths),
                None => paths.push(name.to_string()),
            }
        }
        paths
    }

    /// For a mask: whether it marks anything at all.
    fn marks_anything(&self) -> bool {
        self.all || self.members.iter().any(|(_, raw)| text_marks_anything(raw))
    }
}

/// The five sides of one change.
#[derive(Debug, Default)]
pub struct Values<'a> {
    pub before: Side<'a>,
    pub after: Side<'a>,
    pub after_unknown: Side<'a>,
    pub before_sensitive: Side<'a>,
    pub after_sensitive: Side<'a>,
    /// A rule asked for a value that is there but marked sensitive, and so got none.
    pub(super) hidden_read: AtomicBool,
}

impl<'a> Values<'a> {
    /// The first side (by name) with a member read so far that cannot be parsed.
    pub fn unreadable(&self) -> Option<(&'static str, Unreadable<'_>)> {
        [
            ("before", &self.before),
            ("after", &self.after),
            ("after_unknown", &self.after_unknown),
            ("before_sensitive", &self.before_sensitive),
            ("after_sensitive", &self.after_sensitive),
        ]
        .into_iter()
        .find_map(|(name, side)| side.unreadable().map(|u| (name, u)))
    }

    pub fn before(&self) -> Attr<'_> {
        Attr {
            node: Node::Root(&self.before),
            sensitive: Mask::of_side(&self.before_sensitive),
            unknown: Mask::Nothing,
            hidden_read: &self.hidden_read,
        }
    }

    pub fn after(&self) -> Attr<'_> {
        Attr {
            node: Node::Root(&self.after),
            sensitive: Mask::of_side(&self.after_sensitive),
            unknown: Mask::of_side(&self.after_unknown),
            hidden_read: &self.hidden_read,
        }
    }

    /// Whether a rule asked for a value the plan marks sensitive: a rule never sees such a value
    /// (so it can never show it), and so cannot verify what the change does with it.
    pub fn hid_a_read(&self) -> bool {
        self.hidden_read.load(Ordering::Relaxed)
    }

    /// The top-level attributes with a sensitive part, before or after: names, never values.
    pub fn sensitive_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = [&self.before_sensitive, &self.after_sensitive]
            .into_iter()
            .flat_map(|side| side.members().filter(|(_, mask)| text_marks_anything(mask)).map(|(name, _)| name))
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }
}

/// Whether a mask (a bool, or a tree shaped like the value with `true` at marked leaves) marks
/// anything at all.
pub fn mask_has_true(mask: &Value) -> bool {
    match mask {
        Value::Bool(b) => *b,
        Value::Array(items) => items.iter().any(mask_has_true),
        Value::Object(map) => map.values().any(mask_has_true),
        _ => false,
    }
}

/// The paths under `path` that `mask` marks.
fn mask_paths(mask: &Value, path: String, paths: &mut Vec<String>) {
    match mask {
        Value::Bool(true) => paths.push(path),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                mask_paths(item, format!("{path}[{i}]"), paths);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                mask_paths(item, format!("{path}.{key}"), paths);
            }
        }
        _ => {}
    }
}

/// The same for a mask's JSON text: a `true` outside strings (masks hold only booleans, objects and
/// lists).
pub fn text_marks_anything(mask: &str) -> bool {
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

/// A cursor into one side of a change's values, carrying the masks along.
#[derive(Debug, Clone, Copy)]
pub struct Attr<'v> {
    node: Node<'v>,
    sensitive: Mask<'v>,
    unknown: Mask<'v>,
    /// Set when a read returns nothing because the value is sensitive.
    hidden_read: &'v AtomicBool,
}

#[derive(Debug, Clone, Copy)]
enum Node<'v> {
    /// The whole side: members are parsed as they are asked for.
    Root(&'v Side<'v>),
    Value(Option<&'v Value>),
}

#[derive(Debug, Clone, Copy)]
enum Mask<'v> {
    /// An ancestor was marked as a whole.
    All,
    Root(&'v Side<'v>),
    Tree(&'v Value),
    Nothing,
}

impl<'v> Mask<'v> {
    fn of(mask: &'v Value) -> Mask<'v> {
        match mask {
            Value::Bool(true) => Mask::All,
            Value::Object(_) | Value::Array(_) => Mask::Tree(mask),
            _ => Mask::Nothing,
        }
    }
    fn of_side(side: &'v Side<'v>) -> Mask<'v> {
        if side.all {
            Mask::All
        } else {
            Mask::Root(side)
        }
    }
    fn key(self, key: &str) -> Mask<'v> {
        match self {
            Mask::All => Mask::All,
            // A mask that cannot be read marks everything: nothing it may cover is shown.
            Mask::Root(side) => match side.member(key) {
                Member::Value(mask) => Mask::of(mask),
                Member::Unreadable => Mask::All,
                Member::Absent => Mask::Nothing,
            },
            Mask::Tree(tree) => tree.get(key).map_or(Mask::Nothing, Mask::of),
            Mask::Nothing => Mask::Nothing,
        }
    }
    fn index(self, index: usize) -> Mask<'v> {
        match self {
            Mask::All => Mask::All,
            Mask::Tree(tree) => tree.get(index).map_or(Mask::Nothing, Mask::of),
            Mask::Root(_) | Mask::Nothing => Mask::Nothing,
        }
    }
    fn marks_anything(self) -> bool {
        match self {
            Mask::All => true,
            Mask::Root(side) => side.marks_anything(),
            Mask::Tree(tree) => mask_has_true(tree),
            Mask::Nothing => false,
        }
    }
}

impl<'v> Attr<'v> {
    pub fn get(self, key: &str) -> Attr<'v> {
        let node = match self.node {
            Node::Root(side) => Node::Value(side.get(key)),
            Node::Value(value) => Node::Value(value.and_then(|v| v.get(key))),
        };
        Attr { node, sensitive: self.sensitive.key(key), unknown: self.unknown.key(key), ..self }
    }

    pub fn at(self, index: usize) -> Attr<'v> {
        let node = match self.node {
            Node::Root(_) => Node::Value(None),
            Node::Value(value) => Node::Value(value.and_then(|v| v.get(index))),
        };
        Attr { node, sensitive: self.sensitive.index(index), unknown: self.unknown.index(index), ..self }
    }

    /// The whole value or any part of it is sensitive.
    pub fn is_sensitive(self) -> bool {
        self.sensitive.marks_anything()
    }

    /// The value as a whole is sensitive (not just a part of it): nothing below it may be named.
    pub fn is_wholly_sensitive(self) -> bool {
        matches!(self.sensitive, Mask::All)
    }

    /// The whole value or any part of it is known only after apply.
    pub fn is_unknown(self) -> bool {
        self.unknown.marks_anything()
    }

    /// The value as a whole is known only after apply (not just a part of it): what Terraform plans
    /// for a computed attribute the configuration does not set, among others.
    pub fn is_wholly_unknown(self) -> bool {
        matches!(self.unknown, Mask::All)
    }

    /// Whether the attribute is present with a value that is not `null`, sensitive or not.
    pub fn is_present(self) -> bool {
        self.value().is_some_and(|v| !v.is_null()) || matches!(self.unknown, Mask::All)
    }

    /// The value of a member; a whole side is never handed out as one value.
    fn value(self) -> Option<&'v Value> {
        match self.node {
            Node::Value(value) => value,
            Node::Root(_) => None,
        }
    }

    /// The value, when no part of it is sensitive or unknown. A sensitive value that is there is
    /// noted as a hidden read: the rule asking for it cannot verify the change.
    pub fn known(self) -> Option<&'v Value> {
        if self.is_unknown() {
            None
        } else if self.is_sensitive() {
            if self.value().is_some_and(|v| !v.is_null()) {
                self.hidden_read.store(true, Ordering::Relaxed);
            }
            None
        } else {
            self.value()
        }
    }

    pub fn as_str(self) -> Option<&'v str> {
        self.known().and_then(Value::as_str)
    }

    pub fn as_bool(self) -> Option<bool> {
        self.known().and_then(Value::as_bool)
    }

    pub fn as_i64(self) -> Option<i64> {
        self.known().and_then(Value::as_i64)
    }

    /// How many elements the value has, when it is a list or set.
    pub fn list_len(self) -> Option<usize> {
        self.value().and_then(Value::as_array).map(Vec::len)
    }

    /// The number, when it is known and not sensitive (whole or not).
    pub fn as_f64(self) -> Option<f64> {
        self.known().and_then(Value::as_f64)
    }

    /// The elements of a list or set, each with its masks.
    pub fn elements(self) -> impl Iterator<Item = Attr<'v>> {
        let len = self.value().and_then(Value::as_array).map_or(0, Vec::len);
        (0..len).map(move |i| self.at(i))
    }

    /// The value with every sensitive part replaced by [`REDACTED`] and every unknown part by
    /// [`UNKNOWN`]: safe to show.
    pub fn redacted(self) -> Value {
        if matches!(self.sensitive, Mask::All) {
            return Value::String(REDACTED.into());
        }
        if matches!(self.unknown, Mask::All) {
            return Value::String(UNKNOWN.into());
        }
        match self.node {
            Node::Root(side) => Value::Object(side.names().map(|k| (k.to_string(), self.get(k).redacted())).collect()),
            Node::Value(None) => Value::Null,
            Node::Value(Some(Value::Array(items))) => {
                Value::Array((0..items.len()).map(|i| self.at(i).redacted()).collect())
            }
            Node::Value(Some(Value::Object(map))) => {
                Value::Object(map.keys().map(|k| (k.clone(), self.get(k).redacted())).collect())
            }
            Node::Value(Some(leaf)) => leaf.clone(),
        }
    }

    /// A short display form for messages: strings bare, everything else as compact JSON, redacted.
    pub fn display(self) -> String {
        match self.redacted() {
            Value::String(s) => s,
            Value::Null => "null".into(),
            other => other.to_string(),
        }
    }
}

/// Deserialized straight from the plan, so splitting a side into members costs no extra scan.
impl<'de: 'a, 'a> serde::Deserialize<'de> for Side<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Side<'a>, D::Error> {
        Side::from_members(d.deserialize_any(MembersVisitor)?).map_err(serde::de::Error::custom)
    }
}

enum Members<'a> {
    /// The literal `true` (a mask marking everything).
    All,
    Listed(Vec<(Cow<'a, str>, &'a str)>),
}

impl Default for Members<'_> {
    fn default() -> Self {
        Members::Listed(Vec::new())
    }
}

struct MembersVisitor;

impl<'de> Visitor<'de> for MembersVisitor {
    type Value = Members<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of attributes, null, or (for a mask) a boolean")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut members = Vec::new();
        while let Some(KeyName(key)) = map.next_key::<KeyName<'de>>()? {
            if members.is_empty() {
                // Resources have tens of attributes: grow once, not four times.
                members.reserve(24);
            }
            members.push((key, map.next_value::<&'de RawValue>()?.get()));
        }
        Ok(Members::Listed(members))
    }

    // Lists, numbers and strings are not what Terraform writes for a side: they are refused, never
    // read as "no attributes", and the error names the kind of value, never the value (serde's own
    // message would quote it, and it may be one the plan marks sensitive).
    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Err(E::invalid_type(Unexpected::Other("a string"), &self))
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Err(E::invalid_type(Unexpected::Other("a number"), &self))
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Err(E::invalid_type(Unexpected::Other("a number"), &self))
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Err(E::invalid_type(Unexpected::Other("a number"), &self))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Members::default())
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Members::default())
    }
    fn visit_bool<E>(self, all: bool) -> Result<Self::Value, E> {
        Ok(if all { Members::All } else { Members::default() })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Values built from JSON literals, for tests: the texts are leaked to live long enough.
    pub(crate) fn values(
        before: &str,
        after: &str,
        unknown: &str,
        before_sensitive: &str,
        after_sensitive: &str,
    ) -> Values<'static> {
        let side = |text: &str| -> Side<'static> {
            serde_json::from_str(Box::leak(text.to_string().into_boxed_str())).unwrap()
        };
        Values {
            before: side(before),
            after: side(after),
            after_unknown: side(unknown),
            before_sensitive: side(before_sensitive),
            after_sensitive: side(after_sensitive),
            ..Values::default()
        }
    }

    fn example() -> Values<'static> {
        values(
            r#"{"name": "db", "password": "hunter2", "tags": {"a": "1"}, "list": ["x", "secret"]}"#,
            r#"{"name": "db", "password": "hunter3", "tags": {"a": "2"}, "list": ["x", "secret2"], "id": null}"#,
            r#"{"id": true}"#,
            r#"{"password": true, "list": [false, true]}"#,
            r#"{"password": true, "list": [false, true]}"#,
        )
    }

    #[test]
    fn sensitive_parts_never_come_out() {
        let v = example();
        assert_eq!(v.after().get("name").as_str(), Some("db"));
        assert_eq!(v.after().get("password").as_str(), None);
        assert!(v.after().get("password").is_sensitive());
        assert_eq!(v.after().get("list").known(), None);
        assert_eq!(v.after().get("list").at(0).as_str(), Some("x"));
        let shown = v.before().redacted().to_string();
        assert!(!shown.contains("hunter2") && !shown.contains("\"secret\"") && shown.contains("\"db\""), "{shown}");
        assert_eq!(v.after().get("id").display(), UNKNOWN);
        assert!(v.after().is_sensitive() && v.after().is_unknown() && !v.before().is_unknown());
    }

    #[test]
    fn whole_masks_and_odd_sides() {
        let v = values("null", "{}", "true", "null", "true");
        assert!(v.after().get("anything").is_unknown() && v.after().get("anything").is_sensitive());
        assert_eq!(v.before().get("x").known(), None);
        for odd in ["[1]", r#""x""#, "7"] {
            assert!(serde_json::from_str::<Side<'_>>(odd).is_err(), "{odd} is not a side");
        }
        for (secret, kind) in [(r#""hunter2""#, "a string"), ("12345678", "a number"), ("-1.5e3", "a number")] {
            let err = serde_json::from_str::<Side<'_>>(secret).unwrap_err().to_string();
            assert!(err.contains(kind) && !err.contains(secret.trim_matches('"')), "{err}");
        }
        let err = serde_json::from_str::<Side<'_>>(r#"{"type": "egress", "type": "ingress"}"#).unwrap_err();
        assert!(err.to_string().contains("`type` is written twice"), "{err}");
        assert!(!text_marks_anything(r#"{"true":false,"x\"true":{}}"#) && text_marks_anything(r#"[false,true]"#));
    }

    #[test]
    fn members_that_do_not_parse_are_remembered_and_masks_that_do_not_parse_hide_everything() {
        let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        let v = values(
            r#"{"a": "\ud800", "b": 1e400, "ok": 1}"#,
            &format!(r#"{{"secret": "hunter2", "c": {deep}}}"#),
            "{}",
            "{}",
            &format!(r#"{{"secret": {deep}}}"#),
        );
        assert_eq!(v.before().get("ok").as_i64(), Some(1));
        assert!(v.unreadable().is_none(), "nothing unreadable read yet");
        assert_eq!(v.before().get("b").known(), None);
        let (side, problem) = v.unreadable().expect("1e400 is remembered");
        assert_eq!((side, problem.member), ("before", "b"));
        assert!(problem.message.contains("number out of range"), "{}", problem.message);
        assert_eq!(v.before().get("a").known(), None);
        assert!(v.after().get("secret").is_sensitive(), "an unreadable mask marks everything");
        assert!(!v.after().redacted().to_string().contains("hunter2"));
        assert_eq!(v.after().get("c").known(), None);
    }
}
