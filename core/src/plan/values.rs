//! The before/after values of a change together with Terraform's sensitivity and unknown masks.
//! Rules read values only through [`Attr`], which answers "sensitive" or "unknown" instead of a
//! value wherever a mask says so: that is how a sensitive value never reaches a finding.

use serde_json::Value;

/// Parsed values of one change. Absent sides are `null`.
#[derive(Debug, Default)]
pub struct Values {
    pub before: Value,
    pub after: Value,
    pub after_unknown: Value,
    pub before_sensitive: Value,
    pub after_sensitive: Value,
}

/// What to show instead of a value the plan marks sensitive.
pub const REDACTED: &str = "(sensitive)";
/// What to show for a value Terraform only knows after apply.
pub const UNKNOWN: &str = "(known after apply)";

impl Values {
    pub fn before(&self) -> Attr<'_> {
        Attr::root(&self.before, &self.before_sensitive, &Value::Null)
    }

    pub fn after(&self) -> Attr<'_> {
        Attr::root(&self.after, &self.after_sensitive, &self.after_unknown)
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

/// A cursor into one side of a change's values, carrying the masks along.
#[derive(Debug, Clone, Copy)]
pub struct Attr<'v> {
    value: Option<&'v Value>,
    sensitive: Mask<'v>,
    unknown: Mask<'v>,
}

#[derive(Debug, Clone, Copy)]
enum Mask<'v> {
    /// An ancestor was marked as a whole.
    All,
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
    fn key(self, key: &str) -> Mask<'v> {
        match self {
            Mask::All => Mask::All,
            Mask::Tree(tree) => tree.get(key).map_or(Mask::Nothing, Mask::of),
            Mask::Nothing => Mask::Nothing,
        }
    }
    fn index(self, index: usize) -> Mask<'v> {
        match self {
            Mask::All => Mask::All,
            Mask::Tree(tree) => tree.get(index).map_or(Mask::Nothing, Mask::of),
            Mask::Nothing => Mask::Nothing,
        }
    }
    fn marks_anything(self) -> bool {
        match self {
            Mask::All => true,
            Mask::Tree(tree) => mask_has_true(tree),
            Mask::Nothing => false,
        }
    }
}

impl<'v> Attr<'v> {
    fn root(value: &'v Value, sensitive: &'v Value, unknown: &'v Value) -> Attr<'v> {
        Attr { value: Some(value), sensitive: Mask::of(sensitive), unknown: Mask::of(unknown) }
    }

    pub fn get(self, key: &str) -> Attr<'v> {
        Attr { value: self.value.and_then(|v| v.get(key)), sensitive: self.sensitive.key(key), unknown: self.unknown.key(key) }
    }

    pub fn at(self, index: usize) -> Attr<'v> {
        Attr { value: self.value.and_then(|v| v.get(index)), sensitive: self.sensitive.index(index), unknown: self.unknown.index(index) }
    }

    /// The whole value or any part of it is sensitive.
    pub fn is_sensitive(self) -> bool {
        self.sensitive.marks_anything()
    }

    /// The whole value or any part of it is known only after apply.
    pub fn is_unknown(self) -> bool {
        self.unknown.marks_anything()
    }

    /// Whether both hold the same value, sensitive or not; never when either is unknown. Compares
    /// without showing anything.
    pub fn same_value_as(self, other: Attr<'_>) -> bool {
        !self.is_unknown() && !other.is_unknown() && self.value.unwrap_or(&Value::Null) == other.value.unwrap_or(&Value::Null)
    }

    /// Whether the attribute is present with a value that is not `null`, sensitive or not.
    pub fn is_present(self) -> bool {
        self.value.is_some_and(|v| !v.is_null()) || matches!(self.unknown, Mask::All)
    }

    /// The value, when no part of it is sensitive or unknown.
    pub fn known(self) -> Option<&'v Value> {
        if self.is_sensitive() || self.is_unknown() {
            None
        } else {
            self.value
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

    /// The elements of a list or set, each with its masks.
    pub fn elements(self) -> impl Iterator<Item = Attr<'v>> {
        let len = self.value.and_then(Value::as_array).map_or(0, Vec::len);
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
        match self.value {
            None => Value::Null,
            Some(Value::Array(items)) => Value::Array((0..items.len()).map(|i| self.at(i).redacted()).collect()),
            Some(Value::Object(map)) => Value::Object(map.keys().map(|k| (k.clone(), self.get(k).redacted())).collect()),
            Some(leaf) => leaf.clone(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn values() -> Values {
        Values {
            before: json!({"name": "db", "password": "hunter2", "tags": {"a": "1"}, "list": ["x", "secret"]}),
            after: json!({"name": "db", "password": "hunter3", "tags": {"a": "2"}, "list": ["x", "secret2"], "id": null}),
            after_unknown: json!({"id": true}),
            before_sensitive: json!({"password": true, "list": [false, true]}),
            after_sensitive: json!({"password": true, "list": [false, true]}),
        }
    }

    #[test]
    fn sensitive_parts_never_come_out() {
        let v = values();
        assert_eq!(v.after().get("name").as_str(), Some("db"));
        assert_eq!(v.after().get("password").as_str(), None);
        assert!(v.after().get("password").is_sensitive());
        assert_eq!(v.after().get("list").known(), None);
        assert_eq!(v.after().get("list").at(0).as_str(), Some("x"));
        let shown = v.before().redacted().to_string();
        assert!(!shown.contains("hunter2") && !shown.contains("\"secret\""), "{shown}");
        assert_eq!(v.after().get("id").display(), UNKNOWN);
    }

}
