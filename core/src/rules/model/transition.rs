//! How one attribute moved between before and after, for rules that judge a setting rather than a
//! set: "turned off", "reduced", "changed from X to Y". Values go through the masks, so a sensitive
//! setting shows as `(sensitive)`.

use serde_json::Value;

use crate::plan::{Action, Attr, Change};

/// One attribute of a change that is updated or replaced (both sides exist).
pub struct Transition<'v> {
    pub before: Attr<'v>,
    pub after: Attr<'v>,
}

impl<'v> Transition<'v> {
    /// The attribute on a change with both sides, when it changed; `None` for creates, deletes,
    /// reads, no-ops and unchanged attributes.
    pub fn of(change: &'v Change<'_>, name: &str) -> Option<Transition<'v>> {
        if !matches!(change.action, Action::Update | Action::ReplaceDeleteFirst | Action::ReplaceCreateFirst)
            || !change.attribute_changed(name)
        {
            return None;
        }
        let values = change.values();
        Some(Transition { before: values.before().get(name), after: values.after().get(name) })
    }

    /// `true` before and `false` after.
    pub fn turned_off(&self) -> bool {
        self.before.as_bool() == Some(true) && self.after.as_bool() == Some(false)
    }

    /// `false` (or unset) before and `true` after.
    pub fn turned_on(&self) -> bool {
        self.before.as_bool() != Some(true) && self.after.as_bool() == Some(true)
    }

    /// A number that went down.
    pub fn reduced(&self) -> Option<(i64, i64)> {
        match (self.before.as_i64(), self.after.as_i64()) {
            (Some(b), Some(a)) if a < b => Some((b, a)),
            _ => None,
        }
    }

    /// "X → Y", redacted.
    pub fn describe(&self) -> String {
        format!("{} → {}", show(self.before), show(self.after))
    }
}

fn show(attr: Attr<'_>) -> String {
    match attr.redacted() {
        Value::Null => "(unset)".into(),
        _ => attr.display(),
    }
}
