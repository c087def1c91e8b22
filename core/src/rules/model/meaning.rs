//! What an attribute means to the system it configures, so that one idea judges every attribute
//! that carries it: a capacity set to zero stops a service, a protection or a recording switched
//! off, a retention cut, encryption in transit weakened. Providers declare their attributes in
//! tables (`rules/aws/attributes.rs`), with the resources whose only job is to protect or record
//! (deleting one switches that off); the `meanings` family judges every change against them.

use serde_json::Value;

use crate::plan::{Action, Attr, Change};

/// What an attribute is for: one rule a meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meaning {
    /// How much of a service runs (instances, tasks, concurrency, throughput) or whether it serves
    /// at all: at zero or off, the service stops.
    Capacity,
    /// What keeps data or resources safe from loss or tampering: deletion protection, backups,
    /// encryption at rest, versioning, a web ACL.
    Protection,
    /// What records activity: audit trails, access logs, threat detection, alarms.
    Recording,
    /// How long data or backups are kept.
    Retention,
    /// Encryption in transit: protocols, TLS policies, HTTPS enforcement.
    Transport,
}

/// How an attribute's values are ordered from worse to better.
#[derive(Debug, Clone, Copy)]
pub enum Scale {
    /// A flag; `safe` is the value that keeps the service, data or record.
    Flag { safe: bool },
    /// Values from worst to best, alike within a level (compared ignoring case); a value in no
    /// level is not judged.
    Levels(&'static [&'static [&'static str]]),
    /// A number of instances, tasks or executions: zero is none. A negative number is no limit
    /// (Lambda's and API Gateway's -1), so from it to zero is a cut too.
    Count,
    /// A period in `unit`; `zero` says what 0 (or no value) means.
    Period { unit: &'static str, zero: Zero },
    /// Set or not: a non-empty value is the protection or record (a web ACL, an access log).
    Present,
    /// Whether a whole side is on, for what one value alone cannot say; judged when the
    /// attribute the path names changes.
    On(fn(Attr<'_>) -> bool),
    /// The items of a side by name, each on or off (a web ACL's rules: blocking, or only
    /// counting): judged where an item on before is there and off after. Items added, removed or
    /// renamed are not judged: what they mean is another row's, or a reviewer's, to say.
    Each(fn(Attr<'_>) -> Vec<(String, bool)>),
}

/// What a period of 0, or none, means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zero {
    /// Kept forever (log retention): cutting to any number is a cut.
    Forever,
    /// Not kept at all (backups off); no value is the provider's default, which is not judged.
    Off,
}

/// One attribute of one resource type and what it means.
#[derive(Debug, Clone, Copy)]
pub struct Attribute {
    pub resource_type: &'static str,
    /// Attribute names from the resource down, dotted: nested blocks and objects are stepped
    /// through, and each element of a list of them is judged with the element at the same place.
    pub path: &'static str,
    pub meaning: Meaning,
    pub scale: Scale,
    /// What the worse value does, for the message: "no task runs".
    pub effect: &'static str,
    /// What makes the worse value harmless, read from the whole after side (an HTTP listener whose
    /// every action redirects to HTTPS).
    pub unless: Option<fn(Attr<'_>) -> bool>,
    /// For a setting held by a resource of its own, the attribute naming what it applies to: a new
    /// resource is judged too (from no value) when that name is known when planning, so applies
    /// to something that already exists (a lifecycle rule on an existing bucket; a bucket made in
    /// the same plan has an id known only after apply).
    pub applies_to: Option<&'static str>,
}

/// A resource whose job is to protect, record or serve: deleting it switches that off.
#[derive(Debug, Clone, Copy)]
pub struct Guard {
    pub resource_type: &'static str,
    /// [`Meaning::Protection`], [`Meaning::Recording`] or [`Meaning::Capacity`].
    pub meaning: Meaning,
    /// What stops with it: "requests are no longer filtered".
    pub effect: &'static str,
    /// Only when the resource had this value at this attribute (a network ACL rule that denies).
    pub when: Option<(&'static str, &'static str)>,
}

/// What one provider declares.
#[derive(Debug)]
pub struct Table {
    pub attributes: &'static [Attribute],
    pub guards: &'static [Guard],
}

impl Attribute {
    pub const fn new(
        resource_type: &'static str,
        path: &'static str,
        meaning: Meaning,
        scale: Scale,
        effect: &'static str,
    ) -> Attribute {
        Attribute { resource_type, path, meaning, scale, effect, unless: None, applies_to: None }
    }

    /// The same, judged on a new resource too when its `attribute` names something that exists.
    pub const fn applies_to(self, attribute: &'static str) -> Attribute {
        Attribute { applies_to: Some(attribute), ..self }
    }

    /// The same, harmless where `unless` says so of the after side.
    pub const fn unless(self, unless: fn(Attr<'_>) -> bool) -> Attribute {
        Attribute { unless: Some(unless), ..self }
    }

    /// What the change does to this attribute, as messages: one per place it got worse.
    /// Updates and replacements are judged; a new resource only where it applies to something
    /// that exists ([`Attribute::applies_to`]): otherwise it switches nothing off.
    pub fn judge(&self, change: &Change) -> Vec<String> {
        let steps: Vec<&str> = self.path.split('.').collect();
        let values = change.values();
        let judged = match change.action {
            Action::Update | Action::ReplaceDeleteFirst | Action::ReplaceCreateFirst => true,
            Action::Create => {
                self.applies_to.is_some_and(|name| values.after().get(name).as_str().is_some_and(|s| !s.is_empty()))
            }
            _ => false,
        };
        if !judged || !change.attribute_changed(steps[0]) {
            return Vec::new();
        }
        if self.unless.is_some_and(|harmless| harmless(values.after())) {
            return Vec::new();
        }
        let name = change.display_name();
        if let Scale::On(on) = self.scale {
            let switched_off = on(values.before()) && !values.after().get(steps[0]).is_unknown() && !on(values.after());
            return switched_off.then(|| format!("{name}: {}", self.effect)).into_iter().collect();
        }
        if let Scale::Each(items) = self.scale {
            if values.after().get(steps[0]).is_unknown() {
                return Vec::new();
            }
            let after = items(values.after());
            let off: Vec<String> = items(values.before())
                .into_iter()
                .filter(|(item, on)| *on && after.iter().any(|(now, still)| now == item && !still))
                .map(|(item, _)| item)
                .collect();
            if off.is_empty() {
                return Vec::new();
            }
            return vec![format!("{name}: {} {}: {}", self.path, crate::rules::list_names(&off, 5), self.effect)];
        }
        let mut places = Vec::new();
        pairs(values.before(), values.after(), &steps, String::new(), &mut places);
        let mut messages = Vec::new();
        for (shown, before, after) in places {
            if after.is_unknown() && self.good(before) {
                messages.push(format!(
                    "{name}: {shown} is known only after apply (it was {}{}): cannot be verified before apply; if it \
                     gets worse, {}",
                    before.display(),
                    self.unit(),
                    self.effect
                ));
            } else if self.worse(before, after) {
                messages.push(format!("{name}: {shown} {}{}: {}", describe(before, after), self.unit(), self.effect));
            }
        }
        messages
    }

    /// Whether a value is one that could get worse: a protection on, a capacity above zero, a
    /// retention kept. A change to a value known only after apply from there cannot be verified.
    fn good(&self, before: Attr<'_>) -> bool {
        match self.scale {
            Scale::Flag { safe } => before.as_bool() == Some(safe),
            Scale::Levels(levels) => before
                .as_str()
                .is_some_and(|v| levels.iter().skip(1).any(|level| level.iter().any(|l| l.eq_ignore_ascii_case(v)))),
            Scale::Count => before.as_f64().is_some_and(|n| n != 0.0),
            Scale::Period { .. } => before.as_f64().is_some_and(|n| n > 0.0),
            Scale::Present => present(before),
            Scale::On(_) | Scale::Each(_) => false,
        }
    }

    /// Whether `after` is worse than `before` on this attribute's scale; anything unknown, hidden or
    /// outside the scale is not judged (a sensitive value is noted as a hidden read).
    fn worse(&self, before: Attr<'_>, after: Attr<'_>) -> bool {
        if after.is_unknown() {
            return false;
        }
        match self.scale {
            Scale::Flag { safe } => {
                let was_safe = if safe { before.as_bool() == Some(true) } else { before.as_bool() != Some(true) };
                was_safe && after.as_bool() == Some(!safe)
            }
            Scale::Levels(levels) => {
                let rank = |side: Attr<'_>| {
                    let value = side.as_str()?;
                    levels.iter().position(|level| level.iter().any(|v| v.eq_ignore_ascii_case(value)))
                };
                matches!((rank(before), rank(after)), (Some(b), Some(a)) if a < b)
            }
            Scale::Count => matches!((before.as_f64(), after.as_f64()), (Some(b), Some(a)) if b != 0.0 && a == 0.0),
            Scale::Period { zero, .. } => {
                let days = |side: Attr<'_>| match (side.known(), zero) {
                    (None | Some(Value::Null), Zero::Forever) => Some(f64::INFINITY),
                    (None | Some(Value::Null), Zero::Off) => None,
                    (Some(v), _) => match v.as_f64()? {
                        n if n == 0.0 && zero == Zero::Forever => Some(f64::INFINITY),
                        n => Some(n),
                    },
                };
                // An unknown before is a value being computed, not forever.
                !before.is_unknown() && matches!((days(before), days(after)), (Some(b), Some(a)) if a < b)
            }
            Scale::Present => present(before) && !present(after),
            Scale::On(_) | Scale::Each(_) => false,
        }
    }

    fn unit(&self) -> String {
        match self.scale {
            Scale::Period { unit, .. } => format!(" {unit}"),
            _ => String::new(),
        }
    }
}

impl Guard {
    /// What deleting the resource stops, as a message; `None` for anything else.
    pub fn judge(&self, change: &Change) -> Option<String> {
        if change.action != Action::Delete {
            return None;
        }
        if let Some((attribute, value)) = self.when {
            let had = change.values().before().get(attribute).as_str();
            if !had.is_some_and(|had| had.eq_ignore_ascii_case(value)) {
                return None;
            }
        }
        Some(format!("{} is deleted: {}", change.display_name(), self.effect))
    }
}

/// A value that is there and not empty: a string, a list or an object with something in it; a
/// sensitive value when it is there at all.
fn present(side: Attr<'_>) -> bool {
    // Whether a value is there is no secret: a sensitive one (a password) is judged, not hidden.
    if side.is_sensitive() {
        return side.is_present();
    }
    match side.known() {
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(items)) => !items.is_empty(),
        Some(Value::Object(map)) => !map.is_empty(),
        Some(Value::Null) | None => side.is_present(),
        Some(_) => true,
    }
}

/// The before and after of `steps` below `before` and `after`, with the path shown for each:
/// lists of blocks are walked element by element (`rule[1].days`, the index only where a list has
/// more than one element).
fn pairs<'v>(
    before: Attr<'v>,
    after: Attr<'v>,
    steps: &[&str],
    shown: String,
    out: &mut Vec<(String, Attr<'v>, Attr<'v>)>,
) {
    let Some((step, rest)) = steps.split_first() else {
        out.push((shown, before, after));
        return;
    };
    let shown = if shown.is_empty() { (*step).to_string() } else { format!("{shown}.{step}") };
    let (before, after) = (before.get(step), after.get(step));
    // A list is walked only to reach what is inside its blocks; a list the path ends at is judged
    // whole (a block removed altogether leaves no element to compare).
    match (before.list_len(), after.list_len()) {
        (None, None) => pairs(before, after, rest, shown, out),
        _ if rest.is_empty() => out.push((shown, before, after)),
        (b, a) => {
            let len = b.unwrap_or(0).max(a.unwrap_or(0));
            for i in 0..len {
                let shown = if len > 1 { format!("{shown}[{i}]") } else { shown.clone() };
                pairs(before.at(i), after.at(i), rest, shown, out);
            }
        }
    }
}

/// "3 → 0", redacted.
fn describe(before: Attr<'_>, after: Attr<'_>) -> String {
    // A sensitive value removed shows as unset: that it is gone says nothing of what it was.
    let show = |side: Attr<'_>| if side.is_present() { side.display() } else { "(unset)".to_string() };
    format!("{} → {}", show(before), show(after))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::testing::update;

    fn judged(attribute: Attribute, before: &str, after: &str) -> Vec<String> {
        attribute.judge(&update("aws_x", before, after))
    }

    #[test]
    fn each_scale_reports_only_a_change_for_the_worse() {
        let count = Attribute::new("aws_x", "desired_count", Meaning::Capacity, Scale::Count, "no task runs");
        assert_eq!(
            judged(count, r#"{"desired_count":3}"#, r#"{"desired_count":0}"#),
            ["aws_x.r: desired_count 3 → 0: no task runs"]
        );
        assert!(judged(count, r#"{"desired_count":0}"#, r#"{"desired_count":3}"#).is_empty());
        assert!(judged(count, r#"{"desired_count":3}"#, r#"{"desired_count":1}"#).is_empty());
        // -1 is no limit (a Lambda function's reserved concurrency): to 0 throttles everything.
        assert_eq!(
            judged(count, r#"{"desired_count":-1}"#, r#"{"desired_count":0}"#),
            ["aws_x.r: desired_count -1 → 0: no task runs"]
        );
        assert!(judged(count, r#"{"desired_count":0}"#, r#"{"desired_count":-1}"#).is_empty());

        let flag = Attribute::new("aws_x", "p.enabled", Meaning::Protection, Scale::Flag { safe: true }, "gone");
        assert_eq!(
            judged(flag, r#"{"p":[{"enabled":true}]}"#, r#"{"p":[{"enabled":false}]}"#),
            ["aws_x.r: p.enabled true → false: gone"]
        );
        assert!(judged(flag, r#"{"p":[{"enabled":false}]}"#, r#"{"p":[{"enabled":true}]}"#).is_empty());
        let unsafe_on =
            Attribute::new("aws_x", "skip", Meaning::Protection, Scale::Flag { safe: false }, "no snapshot");
        assert_eq!(judged(unsafe_on, r#"{"skip":null}"#, r#"{"skip":true}"#).len(), 1);

        let levels: &[&[&str]] = &[&["HTTP"], &["HTTPS", "TLS"]];
        let protocol = Attribute::new("aws_x", "protocol", Meaning::Transport, Scale::Levels(levels), "plain text");
        assert_eq!(judged(protocol, r#"{"protocol":"HTTPS"}"#, r#"{"protocol":"HTTP"}"#).len(), 1);
        assert!(judged(protocol, r#"{"protocol":"HTTP"}"#, r#"{"protocol":"HTTPS"}"#).is_empty());
        assert!(judged(protocol, r#"{"protocol":"HTTPS"}"#, r#"{"protocol":"GENEVE"}"#).is_empty());

        let forever = Scale::Period { unit: "days", zero: Zero::Forever };
        let logs = Attribute::new("aws_x", "retention", Meaning::Retention, forever, "older events are deleted");
        assert_eq!(
            judged(logs, r#"{"retention":0}"#, r#"{"retention":30}"#),
            ["aws_x.r: retention 0 → 30 days: older events are deleted"]
        );
        assert!(judged(logs, r#"{"retention":30}"#, r#"{"retention":0}"#).is_empty());
        let off = Scale::Period { unit: "days", zero: Zero::Off };
        let backups = Attribute::new("aws_x", "snapshots", Meaning::Retention, off, "no backups");
        assert_eq!(judged(backups, r#"{"snapshots":7}"#, r#"{"snapshots":0}"#).len(), 1);
        assert!(judged(backups, r#"{"snapshots":null}"#, r#"{"snapshots":0}"#).is_empty());

        let acl = Attribute::new("aws_x", "web_acl_id", Meaning::Protection, Scale::Present, "unfiltered");
        assert_eq!(judged(acl, r#"{"web_acl_id":"arn:acl"}"#, r#"{"web_acl_id":""}"#).len(), 1);
        assert!(judged(acl, r#"{"web_acl_id":""}"#, r#"{"web_acl_id":"arn:acl"}"#).is_empty());
    }

    /// Items compared by name: one switched off is reported by name; one added off, removed,
    /// renamed or moved is not.
    #[test]
    fn named_items_are_judged_by_name_not_by_place() {
        let items = |side: Attr<'_>| -> Vec<(String, bool)> {
            let rules = side.get("rule").elements();
            rules
                .filter_map(|r| Some((r.get("name").as_str()?.to_owned(), r.get("on").as_bool() == Some(true))))
                .collect()
        };
        let rules = Attribute::new("aws_x", "rule", Meaning::Protection, Scale::Each(items), "off");
        let side = |rules: &[(&str, bool)]| {
            let rules: Vec<String> = rules.iter().map(|(n, on)| format!(r#"{{"name":"{n}","on":{on}}}"#)).collect();
            format!(r#"{{"rule":[{}]}}"#, rules.join(","))
        };
        let both_on = side(&[("a", true), ("b", true)]);
        assert_eq!(judged(rules, &both_on, &side(&[("a", false), ("b", true)])), ["aws_x.r: rule a: off"]);
        assert_eq!(judged(rules, &both_on, &side(&[("b", false), ("a", false)])), ["aws_x.r: rule a, b: off"]);
        assert!(judged(rules, &both_on, &side(&[("b", true), ("a", true)])).is_empty());
        assert!(judged(rules, &both_on, &side(&[("a", true)])).is_empty());
        assert!(judged(rules, &both_on, &side(&[("a", true), ("b2", false), ("c", false)])).is_empty());
        assert!(judged(rules, &side(&[("a", false)]), &side(&[("a", true)])).is_empty());
    }

    /// Whether a sensitive value is there is read without reading it: a password removed is judged
    /// (and shown as unset, never as the value), one rotated is neither judged nor a hidden read.
    #[test]
    fn a_sensitive_value_removed_is_judged_without_being_read() {
        let token = Attribute::new("aws_x", "auth_token", Meaning::Protection, Scale::Present, "no password");
        let sensitive = |before: &str, after: &str| {
            crate::plan::testing::parse(&format!(
                r#"{{"address":"aws_x.r","mode":"managed","type":"aws_x","name":"r","change":{{"actions":["update"],
                "before":{before},"after":{after},"after_unknown":{{}},
                "before_sensitive":{{"auth_token":true}},"after_sensitive":{{"auth_token":true}}}}}}"#
            ))
            .unwrap()
        };
        let removed = sensitive(r#"{"auth_token":"hunter2"}"#, r#"{"auth_token":null}"#);
        assert_eq!(token.judge(&removed), ["aws_x.r: auth_token (sensitive) → (unset): no password"]);
        let rotated = sensitive(r#"{"auth_token":"hunter2"}"#, r#"{"auth_token":"correct horse"}"#);
        assert!(token.judge(&rotated).is_empty());
        assert!(!rotated.values().hid_a_read());
    }

    #[test]
    fn lists_of_blocks_are_judged_element_by_element_and_unknowns_are_unverifiable() {
        let levels: &[&[&str]] = &[&["allow-all"], &["redirect-to-https", "https-only"]];
        let policy =
            Attribute::new("aws_x", "b.viewer_protocol_policy", Meaning::Transport, Scale::Levels(levels), "plain");
        let before = r#"{"b":[{"viewer_protocol_policy":"https-only"},{"viewer_protocol_policy":"https-only"}]}"#;
        let after = r#"{"b":[{"viewer_protocol_policy":"https-only"},{"viewer_protocol_policy":"allow-all"}]}"#;
        assert_eq!(
            judged(policy, before, after),
            ["aws_x.r: b[1].viewer_protocol_policy https-only → allow-all: plain"]
        );
        // A value that could get worse, known only after apply, cannot be verified: never silence.
        let count = Attribute::new("aws_x", "n", Meaning::Capacity, Scale::Count, "stops");
        let unknown = crate::plan::testing::update_with_unknown("aws_x", r#"{"n":3}"#, r#"{}"#, r#"{"n":true}"#);
        assert_eq!(count.judge(&unknown), [
            "aws_x.r: n is known only after apply (it was 3): cannot be verified before apply; if it gets worse, stops"
        ]);
        let from_zero = crate::plan::testing::update_with_unknown("aws_x", r#"{"n":0}"#, r#"{}"#, r#"{"n":true}"#);
        assert!(count.judge(&from_zero).is_empty());
    }
}
