//! CEL rules written in the policy file (`custom_rules:`): a condition over one masked change
//! ([`ChangeModel`]), compiled once when the policy loads and evaluated for every change it
//! selects, on whichever worker judges the change. A condition that cannot be compiled is an error
//! at its line in the file; one that fails on a change is a finding saying the rule cannot be
//! evaluated there, never a silent pass.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, LazyLock};

use cel::{Context, ExecutionError, FunctionContext, Program, Value as CelValue};
use serde::de::{self, Deserializer};
use serde::Deserialize;

use super::model::{ChangeModel, Needs, Projection};
use crate::glob::Glob;
use crate::registry::Severity;
use crate::rules::model::permissions::Cidr;

/// What a condition may name besides the change's fields.
const FUNCTIONS: &[&str] = &["unknown", "sensitive", "cidr_contains", "cidr_overlaps", "is_internet"];

/// The fields of the change a condition sees, and the placeholders a message may use.
const FIELDS: &[&str] = &["address", "type", "name", "module", "provider", "actions", "before", "after", "changed"];
/// CEL's type names, which a condition compares `type(x)` with.
const TYPE_NAMES: &[&str] = &["map", "list", "string", "int", "uint", "double", "bool", "bytes", "null_type", "type"];
const PLACEHOLDERS: &[&str] = &["address", "type", "name", "module", "provider", "actions", "id"];

/// A compiled condition: `when:`.
#[derive(Clone)]
pub(crate) struct Condition {
    pub source: String,
    /// What of a change it reads.
    pub needs: Needs,
    program: Arc<Program>,
}

impl fmt::Debug for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Condition").field(&self.source).finish()
    }
}

impl PartialEq for Condition {
    fn eq(&self, other: &Condition) -> bool {
        self.source == other.source
    }
}

impl Eq for Condition {}

/// The functions every condition may call, registered once: the context of each change is an
/// inner scope of this one.
static FUNCTIONS_CONTEXT: LazyLock<Context<'static, 'static>> = LazyLock::new(|| {
    let mut context = Context::default();
    // The names are ours and the signatures fixed: registering cannot fail.
    let _ = context.add_function("unknown", |ftx: &FunctionContext, path: Arc<String>| marked(ftx, "__unknown", &path));
    let _ =
        context.add_function("sensitive", |ftx: &FunctionContext, path: Arc<String>| marked(ftx, "__sensitive", &path));
    let _ = context.add_function("cidr_contains", |ftx: &FunctionContext, outer: Arc<String>, inner: Arc<String>| {
        Ok::<bool, ExecutionError>(cidr(ftx, &outer)?.contains(cidr(ftx, &inner)?))
    });
    let _ = context.add_function("cidr_overlaps", |ftx: &FunctionContext, a: Arc<String>, b: Arc<String>| {
        let (a, b) = (cidr(ftx, &a)?, cidr(ftx, &b)?);
        Ok::<bool, ExecutionError>(a.contains(b) || b.contains(a))
    });
    let _ = context.add_function("is_internet", |ftx: &FunctionContext, text: Arc<String>| {
        Ok::<bool, ExecutionError>(cidr(ftx, &text)?.is_internet())
    });
    context
});

fn cidr(ftx: &FunctionContext, text: &str) -> Result<Cidr, ExecutionError> {
    Cidr::parse(text).ok_or_else(|| ftx.error(format!("{}: expected an IP address or CIDR, found {text:?}", ftx.name)))
}

/// Whether the change's mask list `variable` marks `path`.
fn marked(ftx: &FunctionContext, variable: &str, path: &str) -> Result<bool, ExecutionError> {
    let list = ftx.ptx.get_variable(variable).ok_or_else(|| ftx.error("the change's masks are missing"))?;
    let paths: Vec<String> = match CelValue::try_from(&*list) {
        Ok(CelValue::List(items)) => items
            .iter()
            .filter_map(|item| match item {
                CelValue::String(s) => Some(s.to_string()),
                _ => None,
            })
            .collect(),
        _ => return Err(ftx.error("the change's masks are not a list")),
    };
    Ok(ChangeModel::marks(&paths, path))
}

impl Condition {
    /// Compiles `source`, checking that every function it calls exists; the error says where in
    /// the expression (1-based line and column) and what is wrong.
    pub fn compile(source: &str) -> Result<Condition, String> {
        let program = Program::compile(source).map_err(|errors| {
            errors
                .errors
                .iter()
                // CEL counts lines and columns from 1.
                .map(|e| {
                    format!("CEL syntax error at line {}, column {} of the expression: {}", e.pos.0, e.pos.1, e.msg)
                })
                .collect::<Vec<_>>()
                .join("; ")
        })?;
        let references = program.references();
        // Comprehensions bind their own variables (`changed.exists(c, c == "tags")`).
        static BOUND: LazyLock<regex::Regex> = LazyLock::new(|| {
            regex::Regex::new(r"\.\s*(?:all|exists|exists_one|map|filter)\s*\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*,")
                .expect("a valid pattern")
        });
        let bound: Vec<&str> = BOUND.captures_iter(source).filter_map(|c| c.get(1)).map(|m| m.as_str()).collect();
        if let Some(unknown) = references
            .variables()
            .into_iter()
            .find(|v| !FIELDS.contains(v) && !TYPE_NAMES.contains(v) && !bound.contains(v))
        {
            return Err(format!("unknown name `{unknown}`: a condition sees {}", FIELDS.join(", ")));
        }
        for function in references.functions() {
            if is_operator(function) || FUNCTIONS.contains(&function) {
                continue;
            }
            // Called bare or on a value of each type, a function CEL knows complains of its
            // arguments; one it does not know is an undeclared reference however it is called.
            let known = ["", "''.", "[].", "{}.", "(0).", "true.", "b''."].iter().any(|target| {
                Program::compile(&format!("{target}{function}()")).is_ok_and(|probe| {
                    !matches!(probe.execute(&FUNCTIONS_CONTEXT), Err(ExecutionError::UndeclaredReference(name)) if name.as_str() == function)
                })
            });
            if !known {
                return Err(format!(
                    "unknown function `{function}`: CEL's standard functions and {} are available",
                    FUNCTIONS.join(", ")
                ));
            }
        }
        let needs = Needs {
            fields: FIELDS.iter().copied().filter(|f| references.has_variable(f)).collect(),
            before: Projection::read_by(source, "before"),
            after: Projection::read_by(source, "after"),
            changed: references.has_variable("changed"),
            masks: references.has_function("unknown") || references.has_function("sensitive"),
        };
        Ok(Condition { source: source.to_string(), needs, program: Arc::new(program) })
    }

    /// Whether the condition holds for the change; `Err` with why it cannot be evaluated. The
    /// change's fields are given as `needs` says (the union of the rules evaluated on it).
    pub fn holds(&self, change: &ChangeModel, needs: &Needs) -> Result<bool, String> {
        let mut context = FUNCTIONS_CONTEXT.new_inner_scope();
        let strings = |list: &[String]| CelValue::List(Arc::new(list.iter().map(|s| text(s)).collect()));
        for field in &needs.fields {
            let value = match *field {
                "address" => text(&change.address),
                "type" => text(&change.resource_type),
                "name" => text(&change.name),
                "module" => text(&change.module),
                "provider" => text(&change.provider),
                "actions" => strings(&change.actions),
                "before" => to_cel(&change.before),
                "after" => to_cel(&change.after),
                _ => strings(&change.changed),
            };
            context.add_variable_from_value(*field, value);
        }
        if needs.masks {
            context.add_variable_from_value("__unknown", strings(&change.unknown));
            context.add_variable_from_value("__sensitive", strings(&change.sensitive));
        }
        match self.program.execute(&context) {
            Ok(CelValue::Bool(holds)) => Ok(holds),
            Ok(other) => Err(format!("the condition gave {}, not true or false", kind(&other))),
            Err(error) => Err(shortened(&error.to_string())),
        }
    }
}

fn text(s: &str) -> CelValue {
    CelValue::String(Arc::new(s.to_string()))
}

/// A JSON value as CEL's: numbers that are whole are `int` (or `uint` past `i64`), others `double`.
fn to_cel(value: &serde_json::Value) -> CelValue {
    use serde_json::Value as Json;
    match value {
        Json::Null => CelValue::Null,
        Json::Bool(b) => CelValue::Bool(*b),
        Json::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => CelValue::Int(i),
            (None, Some(u)) => CelValue::UInt(u),
            _ => CelValue::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Json::String(s) => text(s),
        Json::Array(items) => CelValue::List(Arc::new(items.iter().map(to_cel).collect())),
        Json::Object(map) => {
            let map: HashMap<cel::objects::Key, CelValue> =
                map.iter().map(|(k, v)| (cel::objects::Key::String(Arc::new(k.clone())), to_cel(v))).collect();
            CelValue::Map(cel::objects::Map { map: Arc::new(map) })
        }
    }
}

fn is_operator(function: &str) -> bool {
    function.starts_with('_') || function.starts_with('@') || function == "!_"
}

fn kind(value: &CelValue) -> &'static str {
    match value {
        CelValue::Null => "null",
        CelValue::String(_) => "a string",
        CelValue::Int(_) | CelValue::UInt(_) | CelValue::Float(_) => "a number",
        CelValue::List(_) => "a list",
        CelValue::Map(_) => "a map",
        _ => "a value of another type",
    }
}

/// Error texts quote (masked) values: keep a message readable.
fn shortened(text: &str) -> String {
    const MAX: usize = 240;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

impl<'de> Deserialize<'de> for Condition {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Condition, D::Error> {
        let source = String::deserialize(d)?;
        Condition::compile(&source).map_err(de::Error::custom)
    }
}

/// A message with `{address}`-style placeholders, checked when the policy loads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Template(String);

impl Template {
    pub fn render(&self, change: &ChangeModel, id: &str) -> String {
        let mut out = self.0.clone();
        for (name, value) in [
            ("address", change.address.as_str()),
            ("type", &change.resource_type),
            ("name", &change.name),
            ("module", &change.module),
            ("provider", &change.provider),
            ("id", id),
        ] {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out.replace("{actions}", &change.actions.join(", "))
    }
}

impl<'de> Deserialize<'de> for Template {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Template, D::Error> {
        let text = String::deserialize(d)?;
        let mut rest = text.as_str();
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else { break };
            let name = &after[..close];
            if !PLACEHOLDERS.contains(&name) {
                return Err(de::Error::custom(format_args!(
                    "unknown placeholder {{{name}}} in the message: expected one of {}",
                    PLACEHOLDERS.iter().map(|p| format!("{{{p}}}")).collect::<Vec<_>>().join(", ")
                )));
            }
            rest = &after[close + 1..];
        }
        Ok(Template(text))
    }
}

/// Which changes a rule reads, by the words of Terraform's action lists; `replace` is either
/// replacement. A change matches when any of its actions is listed, so `delete` also selects
/// replacements (which destroy too) and `create` every change that makes an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum ActionWord {
    Create,
    Update,
    Delete,
    Replace,
    Forget,
}

impl ActionWord {
    pub fn selects(self, actions: &[&str]) -> bool {
        let has = |word: &str| actions.contains(&word);
        match self {
            ActionWord::Create => has("create"),
            ActionWord::Update => has("update"),
            ActionWord::Delete => has("delete"),
            ActionWord::Replace => has("create") && has("delete"),
            ActionWord::Forget => has("forget"),
        }
    }
}

/// One CEL rule as the policy file writes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CelRule {
    pub id: CustomId,
    pub title: String,
    pub severity: Severity,
    #[serde(default)]
    pub types: Vec<Glob>,
    #[serde(default)]
    pub actions: Vec<ActionWord>,
    pub when: Condition,
    pub message: Template,
    #[serde(default)]
    pub doc: Option<String>,
    /// Changes the rule must (or must not) fire on, for `plangate policy test`.
    #[serde(default)]
    pub examples: Vec<Example>,
}

impl CelRule {
    /// Whether the rule reads a change of this type and action list, decided before the change's
    /// values are read.
    pub fn selects(&self, resource_type: &str, actions: &[&str]) -> bool {
        (self.types.is_empty() || self.types.iter().any(|glob| glob.matches(resource_type)))
            && (self.actions.is_empty() || self.actions.iter().any(|word| word.selects(actions)))
    }
}

/// A change a CEL rule is tested on.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Example {
    pub change: ChangeModel,
    /// Whether the rule must fire on it.
    pub fires: bool,
}

impl Eq for Example {}

/// A rule id outside the `PG-` namespace: letters, digits, `-`, `_`, `.` and `:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CustomId(pub String);

impl CustomId {
    pub fn check(id: &str) -> Result<(), String> {
        if id.len() >= 3
            && id.len() <= 64
            && id.starts_with(|c: char| c.is_ascii_alphanumeric())
            && id.chars().all(|c| c.is_ascii_alphanumeric() || "-_.:".contains(c))
            && !id.to_ascii_uppercase().starts_with("PG-")
        {
            Ok(())
        } else if id.to_ascii_uppercase().starts_with("PG-") {
            Err(format!(
                "rule id `{id}` is in plangate's own PG- namespace: give your rules another prefix (ACME-TAG-001)"
            ))
        } else {
            Err(format!(
                "rule id `{id}`: expected 3 to 64 letters, digits, `-`, `_`, `.` or `:`, starting with a letter or digit"
            ))
        }
    }
}

impl<'de> Deserialize<'de> for CustomId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<CustomId, D::Error> {
        let id = String::deserialize(d)?;
        CustomId::check(&id).map_err(de::Error::custom)?;
        Ok(CustomId(id))
    }
}
