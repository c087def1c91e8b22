//! Rego policies (`policies:`), evaluated as conftest evaluates them, with the embedded `regorus`
//! engine: in each namespace (`main` unless configured), the rules named `deny`, `violation`,
//! `warn` or with those prefixes (`deny_public_bucket`) over `input` = the masked plan; messages
//! are strings or objects with `msg` (and optional `id`, `severity`, `address`); an `exception`
//! rule exempts `deny_<name>`/`violation_<name>` rules by name, as conftest's do. Everything that
//! can be checked before a plan is seen is checked when the policy loads: syntax, the namespaces
//! it must declare, and every function it calls (a builtin `regorus` lacks would otherwise fail only
//! at evaluation).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use crate::limits::{Bound, Limits};
use crate::registry::custom::{declare, Declaration};
use crate::registry::{Rule, Severity};

/// One `policies:` entry: a `.rego` file or a directory of them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PolicySource {
    /// Relative paths are relative to the configuration file.
    pub path: PathBuf,
    /// The packages whose rules are queried, as conftest's `--namespace`; `"*"` is every package
    /// (`--all-namespaces`).
    #[serde(default = "main_namespace")]
    pub namespaces: Vec<String>,
    /// `v1` (the default, as conftest's) or `v0` for policies written before Rego 1.0.
    #[serde(default)]
    pub rego_version: RegoVersion,
}

fn main_namespace() -> Vec<String> {
    vec!["main".into()]
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum RegoVersion {
    V0,
    #[default]
    V1,
}

/// Why policies cannot be loaded: the file (and line, when known) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LoadError {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl LoadError {
    pub(crate) fn new(file: impl Into<String>, message: impl Into<String>) -> LoadError {
        LoadError { file: file.into(), line: None, column: None, message: message.into() }
    }
}

/// The rule families conftest queries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Deny,
    Violation,
    Warn,
}

impl Kind {
    fn of(rule: &str) -> Option<Kind> {
        let is = |prefix: &str| rule == prefix || rule.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('_'));
        if is("deny") {
            Some(Kind::Deny)
        } else if is("violation") {
            Some(Kind::Violation)
        } else if is("warn") {
            Some(Kind::Warn)
        } else {
            None
        }
    }

    /// `deny` and `violation` fail the gate; `warn` asks for a reviewer.
    pub fn severity(self) -> Severity {
        match self {
            Kind::Deny | Kind::Violation => Severity::Critical,
            Kind::Warn => Severity::High,
        }
    }
}

/// A rule the gate queries.
#[derive(Debug, Clone)]
struct Query {
    namespace: String,
    name: String,
    kind: Kind,
    rule: &'static Rule,
}

/// The loaded policies, ready to evaluate.
#[derive(Debug, Clone)]
pub(crate) struct RegoPolicies {
    engine: regorus::Engine,
    queries: Vec<Query>,
    /// The namespaces with an `exception` rule.
    exceptions: Vec<String>,
    /// `data.<package>.test_<name>` rules, for `plangate policy test`.
    tests: Vec<String>,
    /// Every string literal of the policies that could be a rule id, for the ids messages give.
    pub mentioned: BTreeSet<String>,
    /// The files read, in order.
    pub files: Vec<PathBuf>,
    /// What the rules other than tests read of `input`.
    reads: InputReads,
}

/// What policies read of `input`: its top-level members (the plan's sections) by name, or all of
/// it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum InputReads {
    Named(BTreeSet<String>),
    /// `input` itself (`walk(input)`, `some x in input`, …), or a member named only when the policy
    /// runs (`input[name]`).
    All,
}

impl InputReads {
    /// One more read: of member `name`, or (`None`) of a member no text names.
    fn add(&mut self, name: Option<&str>) {
        match (&mut *self, name) {
            (InputReads::Named(names), Some(name)) => {
                names.insert(name.to_string());
            }
            _ => *self = InputReads::All,
        }
    }
}

impl PartialEq for RegoPolicies {
    fn eq(&self, other: &RegoPolicies) -> bool {
        self.files == other.files && self.rules().eq(other.rules())
    }
}

impl Eq for RegoPolicies {}

/// One message of a policy about the plan.
#[derive(Debug, Clone)]
pub(crate) struct RegoHit {
    pub rule: &'static Rule,
    pub message: String,
    /// The resource the message names (`address` in a message object).
    pub address: Option<String>,
    pub severity: Severity,
    /// An `exception` rule exempts it.
    pub excepted: bool,
}

impl RegoPolicies {
    /// Reads and checks the policies of `sources`; relative paths are relative to `base`.
    pub fn load(sources: &[PolicySource], base: Option<&Path>) -> Result<RegoPolicies, LoadError> {
        let mut engine = regorus::Engine::new();
        let mut files = Vec::new();
        let mut namespaces: Vec<(String, PathBuf)> = Vec::new();
        let limits = Limits::from_env().unwrap_or_default();
        for source in sources {
            let path = match base {
                Some(base) if source.path.is_relative() => base.join(&source.path),
                _ => source.path.clone(),
            };
            let found = rego_files(&path)?;
            if found.is_empty() {
                return Err(LoadError::new(path.display().to_string(), "no .rego file there"));
            }
            engine.set_rego_v0(source.rego_version == RegoVersion::V0);
            for file in found {
                let name = file.display().to_string();
                let text = limits
                    .read_text(&file, Bound::FileBytes)
                    .map_err(|e| LoadError::new(&name, format!("cannot read the policy: {e}")))?;
                engine.add_policy(name.clone(), text).map_err(|e| located(&name, &e.to_string()))?;
                files.push(file);
            }
            namespaces.extend(source.namespaces.iter().map(|ns| (ns.clone(), path.clone())));
        }
        let modules = Modules::read(&engine)?;
        modules.check_calls()?;

        let mut queries = Vec::new();
        let mut exceptions = Vec::new();
        for (namespace, path) in &namespaces {
            let packages: Vec<&String> =
                modules.packages.iter().filter(|p| namespace == "*" || *p == namespace).collect();
            if packages.is_empty() {
                return Err(LoadError::new(
                    path.display().to_string(),
                    format!(
                        "no policy there declares `package {namespace}`; its packages are: {}",
                        modules.packages.iter().cloned().collect::<Vec<_>>().join(", ")
                    ),
                ));
            }
            for package in packages {
                for name in modules.rules_of(package) {
                    if name == "exception" && !exceptions.contains(package) {
                        exceptions.push(package.clone());
                    }
                    let Some(kind) = Kind::of(&name) else { continue };
                    if queries.iter().any(|q: &Query| q.namespace == *package && q.name == name) {
                        continue;
                    }
                    let rule = declare(Declaration {
                        id: format!("{package}.{name}"),
                        title: format!("Rego rule `{name}` of package {package}"),
                        severity: kind.severity(),
                        doc: format!(
                            "A rule of your own Rego policies (package `{package}`, read from {}). Its messages are this rule's findings; `deny` and `violation` rules are critical, `warn` rules high, unless a message says its `severity` or `rules:` sets another.",
                            files.iter().map(|f| format!("`{}`", f.display())).collect::<Vec<_>>().join(", ")
                        ),
                    });
                    queries.push(Query { namespace: package.clone(), name, kind, rule });
                }
            }
        }
        if queries.is_empty() {
            return Err(LoadError::new(
                files.first().map(|f| f.display().to_string()).unwrap_or_default(),
                format!(
                    "no deny, violation or warn rule in namespace {}: the policies could never fail a plan",
                    namespaces.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(", ")
                ),
            ));
        }
        let tests = modules
            .packages
            .iter()
            .flat_map(|package| {
                modules
                    .rules_of(package)
                    .into_iter()
                    .filter(|name| name.starts_with("test_"))
                    .map(move |name| format!("data.{package}.{name}"))
            })
            .collect();
        Ok(RegoPolicies { engine, queries, exceptions, tests, mentioned: modules.strings, files, reads: modules.input })
    }

    /// What the policies read of `input` beyond the top-level members `held`, as a message says it;
    /// `None` when they read nothing else.
    pub fn reads_beyond(&self, held: &[&str]) -> Option<String> {
        match &self.reads {
            InputReads::All => Some("`input` as a whole, or a member of it named only when they run".into()),
            InputReads::Named(names) => {
                let beyond: Vec<String> = names
                    .iter()
                    .filter(|name| !held.contains(&name.as_str()))
                    .map(|name| format!("`input.{}`", crate::text::excerpt(name, 80)))
                    .collect();
                (!beyond.is_empty()).then(|| beyond.join(", "))
            }
        }
    }

    /// The rules the gate queries.
    pub fn rules(&self) -> impl Iterator<Item = &'static Rule> + '_ {
        self.queries.iter().map(|q| q.rule)
    }

    /// Every message of every queried rule about the masked plan `input`. A rule that fails to
    /// evaluate is a message saying so, at its severity. `held`: the only top-level members the
    /// plan has, when it is plangate's reading of a binary plan rather than Terraform's JSON; if
    /// the policies read others, what they found is incomplete, and each rule says it cannot be
    /// evaluated.
    pub fn evaluate(&self, input: regorus::Value, held: Option<&[&str]>) -> Vec<RegoHit> {
        let mut engine = self.engine.clone();
        engine.set_input(input);
        let mut excepted_names: Vec<(String, BTreeSet<String>)> = Vec::new();
        let mut hits = Vec::new();
        for namespace in &self.exceptions {
            match engine.eval_rule(format!("data.{namespace}.exception")) {
                Ok(value) => excepted_names.push((namespace.clone(), exception_names(&value))),
                Err(e) => {
                    hits.push(unevaluable(self.queries.iter().find(|q| &q.namespace == namespace), "exception", &e))
                }
            }
        }
        for query in &self.queries {
            let excepted = query.kind != Kind::Warn && {
                let suffix = query.name.split_once('_').map_or("", |(_, rest)| rest);
                excepted_names.iter().any(|(ns, names)| *ns == query.namespace && names.contains(suffix))
            };
            match engine.eval_rule(format!("data.{}.{}", query.namespace, query.name)) {
                Ok(value) => {
                    for message in messages(&value) {
                        hits.push(hit(query, message, excepted));
                    }
                }
                Err(e) => hits.push(unevaluable(Some(query), &query.name, &e)),
            }
        }
        if let Some((held, beyond)) = held.and_then(|held| Some((held, self.reads_beyond(held)?))) {
            let why = format!(
                "the policies read {beyond}, which plangate's own reading of a binary plan does not hold (it writes {}); check the plan's `terraform show -json` output, or read the plan with `--plan-reader terraform` in its working directory",
                held.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ")
            );
            hits.extend(self.queries.iter().map(|query| unevaluable(Some(query), &query.name, &why)));
        }
        hits
    }

    /// Runs every `test_` rule: its name and whether it passed (or why it could not run).
    pub fn run_tests(&self) -> Vec<(String, Result<bool, String>)> {
        let mut engine = self.engine.clone();
        self.tests
            .iter()
            .map(|test| {
                let outcome =
                    engine.eval_rule(test.clone()).map(|v| v == regorus::Value::Bool(true)).map_err(|e| e.to_string());
                (test.trim_start_matches("data.").to_string(), outcome)
            })
            .collect()
    }
}

/// A message of a rule, as a policy wrote it.
enum Message {
    Text(String),
    Object(serde_json::Map<String, Value>),
    Other(Value),
}

/// The messages of a rule's value: a set (partial rule), an array, or `true` (a complete rule).
fn messages(value: &regorus::Value) -> Vec<Message> {
    let items: Vec<Value> = match serde_json::to_value(value) {
        _ if *value == regorus::Value::Undefined => Vec::new(),
        Ok(Value::Array(items)) => items,
        Ok(Value::Bool(false)) | Ok(Value::Null) => Vec::new(),
        Ok(other) => vec![other],
        Err(e) => vec![Value::String(format!("(a message plangate cannot read: {e})"))],
    };
    items
        .into_iter()
        .map(|item| match item {
            Value::String(text) => Message::Text(text),
            Value::Object(map) => Message::Object(map),
            other => Message::Other(other),
        })
        .collect()
}

fn hit(query: &Query, message: Message, excepted: bool) -> RegoHit {
    let mut hit =
        RegoHit { rule: query.rule, message: String::new(), address: None, severity: query.kind.severity(), excepted };
    match message {
        Message::Text(text) => hit.message = text,
        Message::Other(Value::Bool(true)) => hit.message = format!("{} holds", query.rule.id),
        Message::Other(other) => {
            hit.message =
                format!("{} gave a message that is neither a string nor an object with `msg`: {other}", query.rule.id)
        }
        Message::Object(map) => {
            hit.message = match map.get("msg") {
                Some(Value::String(text)) => text.clone(),
                _ => format!(
                    "{} gave a message object without a string `msg`: {}",
                    query.rule.id,
                    Value::Object(map.clone())
                ),
            };
            hit.address = map.get("address").and_then(Value::as_str).map(str::to_string);
            match map.get("severity").and_then(Value::as_str).map(str::to_ascii_lowercase).as_deref() {
                Some("critical") => hit.severity = Severity::Critical,
                Some("high") => hit.severity = Severity::High,
                Some("notice") | Some("low") | Some("info") => hit.severity = Severity::Notice,
                // A severity the gate does not know must not lower the finding.
                _ => {}
            }
            if let Some(id) = map.get("id").and_then(Value::as_str) {
                if super::cel::CustomId::check(id).is_ok() {
                    hit.rule = declare(Declaration {
                        id: id.to_string(),
                        title: query.rule.title.to_string(),
                        severity: query.kind.severity(),
                        doc: query.rule.doc.to_string(),
                    });
                } else {
                    hit.message = format!("{} (the message's id {id:?} is not a usable rule id)", hit.message);
                }
            }
        }
    }
    hit
}

fn unevaluable(query: Option<&Query>, rule: &str, error: &dyn std::fmt::Display) -> RegoHit {
    let declared = query.map(|q| q.rule);
    RegoHit {
        rule: declared.unwrap_or_else(|| {
            declare(Declaration {
                id: "rego.exception".into(),
                title: "Rego exception rule".into(),
                severity: Severity::Critical,
                doc: "An exception rule of your own Rego policies.".into(),
            })
        }),
        message: format!("Rego rule `{rule}` cannot be evaluated on this plan: {error}"),
        address: None,
        severity: Severity::Critical,
        excepted: false,
    }
}

/// The rule names an `exception` rule's value lists (a set of lists of names, as conftest's).
fn exception_names(value: &regorus::Value) -> BTreeSet<String> {
    fn strings(value: &Value, out: &mut BTreeSet<String>) {
        match value {
            Value::String(s) => {
                out.insert(s.clone());
            }
            Value::Array(items) => items.iter().for_each(|item| strings(item, out)),
            _ => {}
        }
    }
    let mut names = BTreeSet::new();
    if *value != regorus::Value::Undefined {
        if let Ok(json) = serde_json::to_value(value) {
            strings(&json, &mut names);
        }
    }
    names
}

/// The `.rego` files of a path: the file itself, or every one under a directory, in name order.
fn rego_files(path: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let shown = path.display().to_string();
    let meta =
        std::fs::metadata(path).map_err(|e| LoadError::new(&shown, format!("cannot read the policy path: {e}")))?;
    if meta.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    let mut dirs = vec![path.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let entries = std::fs::read_dir(&dir)
            .map_err(|e| LoadError::new(dir.display().to_string(), format!("cannot list the policy directory: {e}")))?;
        for entry in entries {
            let entry = entry.map_err(|e| LoadError::new(dir.display().to_string(), e.to_string()))?;
            let path = entry.path();
            let kind = entry.file_type().map_err(|e| LoadError::new(path.display().to_string(), e.to_string()))?;
            if kind.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rego") {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// A `regorus` error's location (`--> file:line:column`) as the error's own.
fn located(file: &str, message: &str) -> LoadError {
    let mut error = LoadError::new(file, message.trim());
    if let Some(at) = message.find("--> ") {
        let place = message[at + 4..].lines().next().unwrap_or_default();
        let mut parts = place.rsplitn(3, ':');
        let column = parts.next().and_then(|c| c.trim().parse().ok());
        let line = parts.next().and_then(|l| l.trim().parse().ok());
        if line.is_some() {
            error.line = line;
            error.column = column;
        }
    }
    error
}

/// What the loaded modules declare and call, read from `regorus`'s syntax tree.
struct Modules {
    packages: BTreeSet<String>,
    /// (package, rule name), in order.
    rules: Vec<(String, String)>,
    /// The names of the functions the policies define.
    functions: BTreeSet<String>,
    /// (file, line, column, function path) of every call.
    calls: Vec<(String, usize, usize, String)>,
    /// String literals that could be rule ids.
    strings: BTreeSet<String>,
    /// What the rules other than tests read of `input` (tests set their own with `with`).
    input: InputReads,
}

impl Modules {
    fn read(engine: &regorus::Engine) -> Result<Modules, LoadError> {
        let text = engine.get_ast_as_json().map_err(|e| LoadError::new("policies", e.to_string()))?;
        let tree: Value = serde_json::from_str(&text).map_err(|e| LoadError::new("policies", e.to_string()))?;
        let mut modules = Modules {
            packages: BTreeSet::new(),
            rules: Vec::new(),
            functions: BTreeSet::new(),
            calls: Vec::new(),
            strings: BTreeSet::new(),
            input: InputReads::Named(BTreeSet::new()),
        };
        for module in tree.as_array().into_iter().flatten() {
            let file = module["source"]["file"].as_str().unwrap_or_default().to_string();
            let ast = &module["ast"];
            let Some((package, _, _)) = path_of(&ast["package"]["refr"]) else { continue };
            let package = package.strip_prefix("data.").unwrap_or(&package).to_string();
            modules.packages.insert(package.clone());
            // What `input` is called in this module: `import input as tfplan` names it again.
            let mut input = vec!["input"];
            for import in ast["imports"].as_array().into_iter().flatten() {
                if import["refr"]["Var"]["value"] != "input" {
                    input_reads(&import["refr"], &input, &mut modules.input);
                } else if let Some(alias) = import.get("as") {
                    let span = |end: &str| alias[end].as_u64().and_then(|at| usize::try_from(at).ok());
                    let contents = module["source"]["contents"].as_str().unwrap_or_default();
                    match span("start").zip(span("end")).and_then(|(start, end)| contents.get(start..end)) {
                        Some(name) => input.push(name),
                        None => modules.input.add(None),
                    }
                }
            }
            for rule in ast["rules"].as_array().into_iter().flatten() {
                let head = &rule["Spec"]["head"];
                let (refr, function) = match (&head["Func"], &rule["Default"]["refr"]) {
                    (Value::Object(func), _) => (&func["refr"], true),
                    (_, Value::Object(_)) => (&rule["Default"]["refr"], false),
                    _ => (head.as_object().and_then(|h| h.values().next()).map_or(&Value::Null, |v| &v["refr"]), false),
                };
                let name = path_of(refr).map(|(name, _, _)| name);
                if !name.as_deref().is_some_and(|name| name.starts_with("test_")) {
                    input_reads(rule, &input, &mut modules.input);
                }
                if let Some(name) = name {
                    let first = name.split('.').next().unwrap_or_default().to_string();
                    if function {
                        modules.functions.insert(name.rsplit('.').next().unwrap_or_default().to_string());
                    } else if !modules.rules.contains(&(package.clone(), first.clone())) {
                        modules.rules.push((package.clone(), first));
                    }
                }
            }
            walk(ast, &mut |node| {
                if let Some(call) = node.get("Call") {
                    if let Some((path, line, column)) = path_of(&call["fcn"]) {
                        modules.calls.push((file.clone(), line, column, path));
                    }
                }
                if let Some(Value::String(text)) = node.get("String").map(|s| &s["value"]) {
                    if super::cel::CustomId::check(text).is_ok() && text.len() <= 64 {
                        modules.strings.insert(text.clone());
                    }
                }
            });
        }
        Ok(modules)
    }

    fn rules_of(&self, package: &str) -> Vec<String> {
        self.rules.iter().filter(|(p, _)| p == package).map(|(_, name)| name.clone()).collect()
    }

    /// Every call names a builtin `regorus` has or a function the policies define.
    fn check_calls(&self) -> Result<(), LoadError> {
        for (file, line, column, path) in &self.calls {
            let builtin = regorus::unstable::BUILTINS.contains_key(path.as_str());
            let defined = self.functions.contains(path.rsplit('.').next().unwrap_or_default());
            if !builtin && !defined && !matches!(path.as_str(), "print" | "trace") {
                return Err(LoadError {
                    file: file.clone(),
                    line: Some(*line),
                    column: Some(*column),
                    message: format!(
                        "`{path}` is neither a builtin the embedded Rego engine (regorus) provides nor a function the policies define"
                    ),
                });
            }
        }
        Ok(())
    }
}

/// Calls `visit` on every object of the tree.
fn walk(node: &Value, visit: &mut dyn FnMut(&serde_json::Map<String, Value>)) {
    match node {
        Value::Object(map) => {
            visit(map);
            map.values().for_each(|child| walk(child, visit));
        }
        Value::Array(items) => items.iter().for_each(|child| walk(child, visit)),
        _ => {}
    }
}

/// Notes in `reads` what `node` reads of `input` (called by any of `names`): `input.name` and
/// `input["name"]` read a member by name; `input[expression]`, and `input` anywhere else, may read
/// any of it.
fn input_reads(node: &Value, names: &[&str], reads: &mut InputReads) {
    let is_input = |node: &Value| node["Var"]["value"].as_str().is_some_and(|var| names.contains(&var));
    match node {
        Value::Object(map) => {
            if let Some(dot) = map.get("RefDot").filter(|dot| is_input(&dot["refr"])) {
                reads.add(dot["field"].as_array().and_then(|f| f.last()).and_then(Value::as_str));
            } else if let Some(brack) = map.get("RefBrack").filter(|brack| is_input(&brack["refr"])) {
                let index = &brack["index"];
                reads.add(index.get("String").or_else(|| index.get("RawString")).and_then(|s| s["value"].as_str()));
                input_reads(index, names, reads);
            } else if is_input(node) {
                reads.add(None);
            } else {
                map.values().for_each(|child| input_reads(child, names, reads));
            }
        }
        Value::Array(items) => items.iter().for_each(|child| input_reads(child, names, reads)),
        _ => {}
    }
}

/// The dotted path of a reference (`Var` and `RefDot` nodes) and where it starts.
fn path_of(node: &Value) -> Option<(String, usize, usize)> {
    if let Some(var) = node.get("Var") {
        let line = var["span"]["line"].as_u64().unwrap_or(0) as usize;
        let column = var["span"]["col"].as_u64().unwrap_or(0) as usize;
        return Some((var["value"].as_str()?.to_string(), line, column));
    }
    let dot = node.get("RefDot")?;
    let (base, line, column) = path_of(&dot["refr"])?;
    let field = dot["field"].as_array().and_then(|f| f.last()).and_then(Value::as_str)?;
    Some((format!("{base}.{field}"), line, column))
}
