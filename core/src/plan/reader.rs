//! The streaming pass over a JSON plan: it reads the header, hands the entries of
//! `resource_changes` and `resource_drift` out in batches of raw slices as soon as they are scanned,
//! and skips everything else (`prior_state`, `planned_values`, `configuration`: most of a big plan)
//! without building values. Whoever receives the batches can judge them on other cores while this
//! pass goes on scanning.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer as _, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::error::Location;
use super::well_formed::{self, skip_space};
use super::PlanError;

/// The header fields of a plan. Both are optional: some tools strip them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct PlanHeader {
    /// The JSON plan format's version, e.g. `1.2`.
    pub format_version: Option<String>,
    /// The Terraform version that made the plan.
    pub terraform_version: Option<String>,
    /// What read a binary plan file; absent for a JSON plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_by: Option<super::ReadBy>,
    /// The providers (`source version`) whose values a native reading masked, having no schema
    /// table for them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub masked_providers: Vec<String>,
    /// The changes no rule reads (creates and updates of types no family judges; deletions are
    /// always judged), by provider.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unjudged: Vec<Unjudged>,
    /// How many resource changes create, update and delete an object, as GitLab's merge-request
    /// widget counts them (a replacement is a create and a delete).
    #[serde(default)]
    pub actions: ActionCounts,
}

/// Resource changes by what they do to objects.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct ActionCounts {
    /// Changes that create an object (creates and replacements).
    pub create: usize,
    /// Changes in place.
    pub update: usize,
    /// Changes that delete an object (deletions and replacements).
    pub delete: usize,
}

impl ActionCounts {
    /// These counts and `other`'s together.
    pub(crate) fn plus(self, other: ActionCounts) -> ActionCounts {
        ActionCounts {
            create: self.create + other.create,
            update: self.update + other.update,
            delete: self.delete + other.delete,
        }
    }

    /// Counts one change.
    pub(crate) fn add(&mut self, action: super::Action) {
        for name in action.terraform_names() {
            match *name {
                "create" => self.create += 1,
                "update" => self.update += 1,
                "delete" => self.delete += 1,
                _ => {}
            }
        }
    }
}

/// How many changes of one provider no rule reads.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Unjudged {
    /// The provider (`hashicorp/azurerm`).
    pub provider: String,
    /// How many of its changes.
    pub changes: usize,
    /// Their resource types, sorted.
    pub types: Vec<String>,
    /// A provider known to change nothing outside Terraform (`random`, `null`, `time`, `tls`,
    /// `local`, …): `unjudged: high` leaves it alone.
    pub harmless: bool,
}

impl Unjudged {
    /// One change of `provider` to a resource of `resource_type`, harmless as `harmless` says.
    pub(crate) fn one(provider: String, resource_type: &str, harmless: fn(&str) -> bool) -> Unjudged {
        Unjudged { harmless: harmless(&provider), provider, changes: 1, types: vec![resource_type.to_string()] }
    }

    /// The changes of each provider together, by provider.
    pub(crate) fn tally(each: impl IntoIterator<Item = Unjudged>) -> Vec<Unjudged> {
        let mut tallied: Vec<Unjudged> = Vec::new();
        for one in each {
            match tallied.iter_mut().find(|t| t.provider == one.provider) {
                Some(t) => {
                    t.changes += one.changes;
                    t.types.extend(one.types);
                }
                None => tallied.push(one),
            }
        }
        for t in &mut tallied {
            t.types.sort();
            t.types.dedup();
        }
        tallied.sort_by(|a, b| a.provider.cmp(&b.provider));
        tallied
    }
}

/// The two sections made of resource changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    ResourceDrift,
    ResourceChanges,
}

impl Section {
    pub fn name(self) -> &'static str {
        match self {
            Section::ResourceDrift => "resource_drift",
            Section::ResourceChanges => "resource_changes",
        }
    }
}

/// What the streaming pass finds besides the entries.
#[derive(Debug)]
pub struct Outline {
    /// The plan's header, as the report shows it.
    pub header: PlanHeader,
    /// The actions the apply runs (`action_invocations`): findings of their own, not header fields.
    pub invocations: Vec<super::Invocation>,
}

/// How many entries a batch holds: enough to make a task worth scheduling, few enough that the
/// last batch does not keep one core busy alone for long.
pub const BATCH_SIZE: usize = 256;

/// A plan read whole: the header, the actions it runs and every entry as an unparsed slice of the text.
#[cfg(test)]
#[derive(Debug)]
pub struct RawPlan<'a> {
    pub header: PlanHeader,
    pub invocations: Vec<super::Invocation>,
    pub resource_changes: Vec<&'a str>,
    pub resource_drift: Vec<&'a str>,
}

/// Reads `text`, which must be a whole plan document, collecting every entry.
#[cfg(test)]
pub fn read_outer(text: &[u8]) -> Result<RawPlan<'_>, PlanError> {
    let (mut resource_changes, mut resource_drift) = (Vec::new(), Vec::new());
    let Outline { header, invocations } = read_streaming(
        text,
        |section, _, batch| match section {
            Section::ResourceChanges => resource_changes.extend(batch),
            Section::ResourceDrift => resource_drift.extend(batch),
        },
        |_| {},
    )?;
    Ok(RawPlan { header, invocations, resource_changes, resource_drift })
}

/// Reads `text`, which must be a whole plan document, calling `on_batch(section, index of the
/// first entry, entries)` for each batch of entries as soon as it is scanned, and `on_skipped`
/// with each top-level value it skips (`prior_state`, `configuration`, …): nothing refers to that
/// text again, so a caller holding it in a memory map may give its pages back. Every entry is well
/// formed (serde_json would read it).
pub fn read_streaming<'a, F, S>(text: &'a [u8], mut on_batch: F, mut on_skipped: S) -> Result<Outline, PlanError>
where
    F: FnMut(Section, usize, Vec<&'a str>),
    S: FnMut(&'a [u8]),
{
    // How many entries of each section were handed out before the quick reading gave up.
    let mut handed = [0; 2];
    let quick = read_well_formed(
        text,
        |section, first, batch| {
            handed[section as usize] = first + batch.len();
            on_batch(section, first, batch);
        },
        &mut on_skipped,
    );
    let outer = match quick {
        Some(outer) => outer,
        // serde_json decides, and words any error; the batches handed out already are not again.
        None => read_by_serde(
            text,
            |section, first, batch| {
                if first >= handed[section as usize] {
                    on_batch(section, first, batch);
                }
            },
            on_skipped,
        )?,
    };
    if !outer.looks_like_plan {
        return Err(PlanError::NotAPlan { found: describe_keys(&outer.keys) });
    }
    let format_version = match outer.format_version {
        Some(raw) => {
            let version: String = serde_json::from_str(raw).map_err(|e| json_error(text, offset_in(text, raw), &e))?;
            if !is_supported_format(&version) {
                return Err(PlanError::UnsupportedFormat {
                    found: version,
                    location: Location::of_offset(text, offset_in(text, raw)),
                });
            }
            Some(version)
        }
        None => None,
    };
    if outer.errored {
        return Err(PlanError::Errored);
    }
    let invocations = match outer.action_invocations {
        Some(raw) => super::invocation::read(raw).map_err(|e| match json_error(text, offset_in(text, raw), &e) {
            PlanError::Shape { message, location } => {
                PlanError::Shape { message: format!("`action_invocations`: {message}"), location }
            }
            other => other,
        })?,
        None => Vec::new(),
    };
    let header = PlanHeader {
        format_version,
        terraform_version: outer.terraform_version,
        read_by: None,
        masked_providers: Vec::new(),
        unjudged: Vec::new(),
        actions: ActionCounts::default(),
    };
    Ok(Outline { header, invocations })
}

/// The streaming pass by serde_json, for any text: what it finds, or its error.
fn read_by_serde<'a>(
    text: &'a [u8],
    mut on_batch: impl FnMut(Section, usize, Vec<&'a str>),
    mut on_skipped: impl FnMut(&'a [u8]),
) -> Result<OuterFields<'a>, PlanError> {
    let mut de = serde_json::Deserializer::from_slice(text);
    let outer = de
        .deserialize_any(OuterVisitor { on_batch: &mut on_batch, on_skipped: &mut on_skipped })
        .and_then(|outer| de.end().map(|()| outer))
        .map_err(|e| json_error(text, 0, &e))?;
    match outer {
        Outer::Plan(outer) => Ok(outer),
        Outer::NotAnObject(found) => Err(PlanError::NotAPlan { found: found.into() }),
    }
}

/// The keys plangate reads, once each: JSON readers differ on which of two counts.
const READ: [&str; 6] =
    ["format_version", "terraform_version", "errored", "action_invocations", "resource_changes", "resource_drift"];

/// The streaming pass over a plan that [`well_formed`] finds well formed, in one scan: what
/// serde_json's reading ([`OuterVisitor`]) would find, or `None` wherever that reading must decide
/// (any error, a key with an escape, text that is not UTF-8 or not an object), having handed out
/// only whole batches. Each value is checked as UTF-8 once scanned, as serde_json's `RawValue`
/// does: checking the whole text first would touch every page of a mapped file at once, where the
/// pass gives each part back once read.
fn read_well_formed<'a>(
    text: &'a [u8],
    mut on_batch: impl FnMut(Section, usize, Vec<&'a str>),
    on_skipped: &mut impl FnMut(&'a [u8]),
) -> Option<OuterFields<'a>> {
    // simdutf8 checks 32 bytes a step (AVX2, found at run time), where the standard library's
    // check took 47 M instructions on the 100 MB plan, on the pass that feeds the workers.
    let utf8 = |range: std::ops::Range<usize>| simdutf8::basic::from_utf8(&text[range]).ok();
    let mut fields = OuterFields::default();
    let mut seen = [false; READ.len()];
    let end = well_formed::each_key(text, 0, |key, start| {
        let key = utf8(key)?;
        if let Some(i) = READ.iter().position(|k| *k == key) {
            if std::mem::replace(&mut seen[i], true) {
                return None;
            }
        }
        if fields.keys.len() < 64 {
            fields.keys.push(key.to_string());
        }
        let section = match key {
            "resource_changes" => Section::ResourceChanges,
            "resource_drift" => Section::ResourceDrift,
            _ => {
                let end = well_formed::value_end(text, start)?;
                let value = utf8(start..end)?;
                match key {
                    "format_version" => fields.format_version = Some(value),
                    "action_invocations" => {
                        fields.looks_like_plan = true;
                        fields.action_invocations = Some(value);
                    }
                    "terraform_version" => fields.terraform_version = serde_json::from_str(value).ok()?,
                    "errored" => {
                        fields.errored = match value {
                            "true" => true,
                            "false" | "null" => false,
                            _ => return None,
                        }
                    }
                    other => {
                        fields.looks_like_plan |= matches!(other, "planned_values" | "output_changes");
                        on_skipped(value.as_bytes());
                    }
                }
                return Some(end);
            }
        };
        fields.looks_like_plan = true;
        if text[start..].starts_with(b"null") {
            return Some(start + 4);
        }
        let mut batch = Vec::with_capacity(BATCH_SIZE);
        let mut first = 0;
        let end = well_formed::each_element(text, start, |at| {
            let end = well_formed::value_end(text, at)?;
            batch.push(utf8(at..end)?);
            if batch.len() == BATCH_SIZE {
                on_batch(section, first, std::mem::replace(&mut batch, Vec::with_capacity(BATCH_SIZE)));
                first += BATCH_SIZE;
            }
            Some(end)
        })?;
        if !batch.is_empty() {
            on_batch(section, first, batch);
        }
        Some(end)
    })?;
    (skip_space(text, end) == text.len()).then_some(fields)
}

/// Where `raw` starts inside `text`; `raw` is always a slice of `text`.
pub(crate) fn offset_in(text: &[u8], raw: &str) -> usize {
    (raw.as_ptr() as usize).saturating_sub(text.as_ptr() as usize)
}

/// A serde_json error as a [`PlanError::Syntax`] (malformed JSON) or [`PlanError::Shape`] (JSON
/// of the wrong shape), located in the whole text; `base` is where the parsed slice starts.
pub(crate) fn json_error(text: &[u8], base: usize, e: &serde_json::Error) -> PlanError {
    let location = Location::of_line_column(text, base, e.line(), e.column());
    let full = e.to_string();
    // serde_json appends " at line L column C"; the location says it better.
    let message = full.rfind(" at line ").map_or(full.as_str(), |i| &full[..i]).to_string();
    if e.is_data() {
        // Well-formed JSON of the wrong shape: a missing field or a wrong type.
        return PlanError::Shape { message, location };
    }
    let hint = if e.is_eof() {
        Some("The text ends before the JSON does: the file is cut short".to_string())
    } else {
        wrapper_hint(text)
    };
    PlanError::Syntax { message, location, hint }
}

/// The error for a byte at `offset` that cannot start JSON, judged before the rest is read.
pub(crate) fn not_json_at(head: &[u8], offset: usize) -> PlanError {
    let byte = head[offset];
    let found = if byte.is_ascii_graphic() { format!("`{}`", byte as char) } else { format!("byte 0x{byte:02x}") };
    PlanError::Syntax {
        message: format!("expected `{{`, the start of a JSON plan, or a binary plan file; found {found}"),
        location: Location::of_offset(head, offset),
        hint: wrapper_hint(head),
    }
}

/// hashicorp/setup-terraform wraps `terraform` and mixes its own lines into stdout.
fn wrapper_hint(text: &[u8]) -> Option<String> {
    let start = text.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(0);
    let head = &text[start..text.len().min(start + 4096)];
    if head.starts_with(b"[command]") || contains(head, b"::debug::") || contains(head, b"::set-output") {
        Some("This looks like the output of the hashicorp/setup-terraform wrapper (`[command]` and `::debug::` lines around the JSON): set `terraform_wrapper: false` in that action, or run `terraform-bin show -json`".into())
    } else if !head.starts_with(b"{") {
        Some(
            "A plan is the JSON object that `terraform show -json PLANFILE` prints; the input does not start with `{`"
                .into(),
        )
    } else {
        None
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn is_supported_format(version: &str) -> bool {
    matches!(version.split('.').next(), Some("0" | "1"))
}

fn describe_keys(keys: &[String]) -> String {
    if keys.is_empty() {
        return "an empty object".into();
    }
    let listed = keys.iter().take(8).map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
    let more = if keys.len() > 8 { format!(" and {} more", keys.len() - 8) } else { String::new() };
    let state = if keys.iter().any(|k| k == "values") {
        " (this looks like state: `terraform show -json` was run without a plan file)"
    } else {
        ""
    };
    format!("an object with keys {listed}{more}{state}")
}

enum Outer<'a> {
    Plan(OuterFields<'a>),
    NotAnObject(&'static str),
}

#[derive(Debug, Default, PartialEq)]
struct OuterFields<'a> {
    format_version: Option<&'a str>,
    terraform_version: Option<String>,
    /// Terraform stopped with errors while planning.
    errored: bool,
    /// The actions the apply runs, unparsed.
    action_invocations: Option<&'a str>,
    looks_like_plan: bool,
    /// Every key seen, kept only to explain a document that is not a plan.
    keys: Vec<String>,
}

struct OuterVisitor<'f, F, S> {
    on_batch: &'f mut F,
    on_skipped: &'f mut S,
}

impl<'de, F, S> Visitor<'de> for OuterVisitor<'_, F, S>
where
    F: FnMut(Section, usize, Vec<&'de str>),
    S: FnMut(&'de [u8]),
{
    type Value = Outer<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object (a Terraform plan)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut fields = OuterFields::default();
        let mut seen = [false; READ.len()];
        while let Some(KeyName(key)) = map.next_key::<KeyName<'de>>()? {
            if let Some(i) = READ.iter().position(|k| *k == key) {
                if std::mem::replace(&mut seen[i], true) {
                    return Err(de::Error::custom(format!("`{key}` is written twice")));
                }
            }
            match key.as_ref() {
                "format_version" => fields.format_version = Some(map.next_value::<&RawValue>()?.get()),
                "action_invocations" => {
                    fields.looks_like_plan = true;
                    fields.action_invocations = Some(map.next_value::<&RawValue>()?.get());
                }
                "terraform_version" => fields.terraform_version = map.next_value()?,
                "errored" => fields.errored = map.next_value::<Option<bool>>()?.unwrap_or(false),
                "resource_changes" | "resource_drift" => {
                    fields.looks_like_plan = true;
                    let section =
                        if key == "resource_changes" { Section::ResourceChanges } else { Section::ResourceDrift };
                    map.next_value_seed(Batches { section, on_batch: &mut *self.on_batch })?;
                }
                other => {
                    fields.looks_like_plan |= matches!(other, "planned_values" | "output_changes");
                    let skipped: &'de RawValue = map.next_value()?;
                    (self.on_skipped)(skipped.get().as_bytes());
                }
            }
            if fields.keys.len() < 64 {
                fields.keys.push(key.into_owned());
            }
        }
        Ok(Outer::Plan(fields))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Outer::NotAnObject("a JSON array"))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Outer::NotAnObject("a JSON string"))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Outer::NotAnObject("a JSON boolean"))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Outer::NotAnObject("a JSON number"))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Outer::NotAnObject("a JSON number"))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Outer::NotAnObject("a JSON number"))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Outer::NotAnObject("JSON null"))
    }
}

/// Scans one section's array, handing its entries out in batches. `null` is an empty section.
struct Batches<'f, F> {
    section: Section,
    on_batch: &'f mut F,
}

impl<'de, F: FnMut(Section, usize, Vec<&'de str>)> de::DeserializeSeed<'de> for Batches<'_, F> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, F: FnMut(Section, usize, Vec<&'de str>)> Visitor<'de> for Batches<'_, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` to be a list of resource changes", self.section.name())
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut first = 0;
        let mut batch = Vec::with_capacity(BATCH_SIZE);
        while let Some(entry) = seq.next_element::<&'de RawValue>()? {
            batch.push(entry.get());
            if batch.len() == BATCH_SIZE {
                (self.on_batch)(self.section, first, std::mem::replace(&mut batch, Vec::with_capacity(BATCH_SIZE)));
                first += BATCH_SIZE;
            }
        }
        if !batch.is_empty() {
            (self.on_batch)(self.section, first, batch);
        }
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

/// An object key, borrowed from the text when it has no escapes.
pub(crate) struct KeyName<'a>(pub(crate) Cow<'a, str>);

impl<'de> Deserialize<'de> for KeyName<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = KeyName<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(KeyName(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(KeyName(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_header_and_borrows_changes() {
        let text = br#"{"format_version":"1.2","terraform_version":"1.11.4","prior_state":{"x":[1,2,{"y":null}]},
            "resource_changes":[{"address":"a.b","type":"a","change":{"actions":["create"]}},
            {"address":"c.d","type":"c","change":{"actions":["delete"],"before":{"x":1}}}]}"#;
        let plan = read_outer(text).unwrap();
        assert_eq!(plan.header.format_version.as_deref(), Some("1.2"));
        assert_eq!(plan.header.terraform_version.as_deref(), Some("1.11.4"));
        assert_eq!(plan.resource_changes.len(), 2);
        assert!(plan.resource_changes[1].starts_with(r#"{"address":"c.d""#));
        assert!(plan.resource_drift.is_empty());
    }

    #[test]
    fn rejects_what_is_not_a_plan() {
        let err = read_outer(br#"{"format_version":"1.0","values":{}}"#).unwrap_err().to_string();
        assert!(err.contains("`values`") && err.contains("looks like state"), "{err}");
        let err = read_outer(b"[1,2]").unwrap_err().to_string();
        assert!(err.contains("found a JSON array"), "{err}");
        let err = read_outer(br#"{"format_version":"2.0","resource_changes":[]}"#).unwrap_err().to_string();
        assert!(err.contains("unsupported plan format_version \"2.0\" at line 1, column 19"), "{err}");
        let err = read_outer(br#"{"errored":true,"resource_changes":[],"errored":false}"#).unwrap_err().to_string();
        assert!(err.contains("`errored` is written twice"), "{err}");
    }

    #[test]
    fn reads_the_actions_the_apply_runs_by_either_reading() {
        let entry = r#"[{"address":"action.aws_ec2_stop_instance.db","type":"aws_ec2_stop_instance",
            "config_values":{"instance_id":"i-1"},"invoke_action_trigger":{}}]"#;
        // The quick reading, and serde_json's (a key with an escape is left to it).
        for key in ["action_invocations", r"action_invoc\u0061tions"] {
            let text = format!(r#"{{"format_version":"1.2","resource_changes":[],"{key}":{entry}}}"#);
            let invocations = read_outer(text.as_bytes()).unwrap().invocations;
            assert_eq!(invocations.len(), 1, "{key}");
            assert_eq!(invocations[0].action_type, "aws_ec2_stop_instance");
            assert_eq!(invocations[0].trigger, super::super::Trigger::Command);
        }
        let twice = format!(r#"{{"resource_changes":[],"action_invocations":[],"action_invocations":{entry}}}"#);
        let err = read_outer(twice.as_bytes()).unwrap_err().to_string();
        assert!(err.contains("`action_invocations` is written twice"), "{err}");
        let err = read_outer(
            br#"{"resource_changes":[],
"action_invocations":[{"type":"aws_lambda_invoke"}]}"#,
        )
        .unwrap_err();
        assert!(matches!(err, PlanError::Shape { .. }), "{err:?}");
        let err = err.to_string();
        assert!(err.contains("line 2") && err.contains("`action_invocations`: missing field `address`"), "{err}");
        let none = read_outer(br#"{"resource_changes":[],"action_invocations":null}"#).unwrap();
        assert!(none.invocations.is_empty());
        // A plan of `terraform plan -invoke` may have nothing else to show.
        let alone = format!(r#"{{"format_version":"1.2","action_invocations":{entry}}}"#);
        assert_eq!(read_outer(alone.as_bytes()).unwrap().invocations.len(), 1);
    }

    /// What one reading hands out (each entry with its section and index) and what else it finds.
    type Reading<'a> = (Vec<(Section, usize, &'a str)>, Option<OuterFields<'a>>);

    /// Both readings of `text`: the quick one, then serde_json's.
    fn both_readings(text: &[u8]) -> [Reading<'_>; 2] {
        let mut quick = Vec::new();
        let quick_fields = read_well_formed(
            text,
            |section, first, batch| quick.extend(batch.into_iter().enumerate().map(|(i, e)| (section, first + i, e))),
            &mut |_| {},
        );
        let mut serde = Vec::new();
        let serde_fields = read_by_serde(
            text,
            |section, first, batch| serde.extend(batch.into_iter().enumerate().map(|(i, e)| (section, first + i, e))),
            |_| {},
        )
        .ok();
        [(quick, quick_fields), (serde, serde_fields)]
    }

    /// Every real plan among the fixtures is read by the quick reading alone, exactly as serde_json
    /// reads it.
    #[test]
    fn the_quick_reading_reads_real_plans_as_serde_json_does() {
        let plans = crate::plan::testing::fixture_plans();
        let mut entries = 0;
        for path in &plans {
            let bytes = std::fs::read(path).unwrap();
            let [quick, serde] = both_readings(&bytes);
            assert!(quick.1.is_some(), "{}: left to serde_json", path.display());
            assert_eq!(quick, serde, "{}", path.display());
            entries += quick.0.len();
        }
        assert!(plans.len() >= 30 && entries >= 500, "{} plans, {entries} entries", plans.len());
    }

    /// Where the quick reading gives up part way (here on an escaped key, or nesting deeper than it
    /// follows, which serde_json reads), serde_json reads the plan again and hands out only the
    /// entries not handed out yet: each exactly once, in order.
    #[test]
    fn what_the_quick_reading_leaves_is_read_once_by_serde_json() {
        let entry = |i: usize| format!(r#"{{"address":"a.r{i}","type":"a","change":{{"actions":["create"]}}}}"#);
        let deep = format!("{}1{}", "[".repeat(well_formed::MAX_DEPTH + 1), "]".repeat(well_formed::MAX_DEPTH + 1));
        let entries: Vec<String> = (0..600)
            .map(|i| if i == 300 { entry(i).replacen('}', &format!(r#","x":{deep}}}"#), 1) } else { entry(i) })
            .collect();
        for plan in [
            format!(r#"{{"resource_changes":[{}],"a":1}}"#, entries.join(",")),
            format!(r#"{{"resource_drift":[{}],"resource_changes":[{}]}}"#, entries.join(","), entries.join(",")),
        ] {
            let [quick, serde] = both_readings(plan.as_bytes());
            assert!(quick.1.is_none() && !quick.0.is_empty(), "the quick reading gives up after handing some out");
            let mut seen = Vec::new();
            read_streaming(
                plan.as_bytes(),
                |section, first, batch| seen.extend((0..batch.len()).map(|i| (section, first + i))),
                |_| {},
            )
            .unwrap();
            assert_eq!(seen, serde.0.iter().map(|(s, i, _)| (*s, *i)).collect::<Vec<_>>());
        }
    }

    #[test]
    fn json_errors_say_where() {
        let err = read_outer(b"{\n  \"resource_changes\": [\n    {\"a\": tru}\n  ]\n}").unwrap_err();
        let PlanError::Syntax { location, .. } = &err else { panic!("{err}") };
        assert_eq!((location.line, location.column), (3, 14), "{err}");
        let err = read_outer(br#"{"resource_changes": [{"address": "a.b", "type": "t", "change": {"actions": []}}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("cut short"), "{err}");
        let err = read_outer(br#"{"resource_changes": {"address": 7}}"#).unwrap_err().to_string();
        assert!(
            err.starts_with("not a valid plan at line 1, column 22") && err.contains("a list of resource changes"),
            "{err}"
        );
    }
}
