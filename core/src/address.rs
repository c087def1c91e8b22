//! Terraform resource instance addresses (`module.net["a"].data.aws_iam_policy_document.p[0]`):
//! parsed into their parts, written back as Terraform writes them, and ordered as Terraform orders
//! them. One type for every reader of addresses: the native plan reader, the source locator, the
//! index-shift rule, and plans that leave an entry's address out.

use std::cmp::Ordering;
use std::fmt;

/// An instance key: `[0]` (`count`) or `["name"]` (`for_each`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Key {
    /// A `count` index.
    Int(i64),
    /// A `for_each` key.
    Str(String),
}

impl Key {
    /// Terraform's order: integer keys before string keys.
    fn terraform_cmp(&self, other: &Key) -> Ordering {
        match (self, other) {
            (Key::Int(a), Key::Int(b)) => a.cmp(b),
            (Key::Str(a), Key::Str(b)) => a.cmp(b),
            (Key::Int(_), Key::Str(_)) => Ordering::Less,
            (Key::Str(_), Key::Int(_)) => Ordering::Greater,
        }
    }

    /// The key as JSON: a number or a string.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Key::Int(i) => (*i).into(),
            Key::Str(s) => s.as_str().into(),
        }
    }

    /// The key of a JSON `index` (a number or a string), `None` for anything else.
    pub fn from_json(value: &serde_json::Value) -> Option<Key> {
        match value {
            serde_json::Value::Number(n) => n.as_i64().map(Key::Int),
            serde_json::Value::String(s) => Some(Key::Str(s.clone())),
            _ => None,
        }
    }
}

/// `[0]` or `["name"]`, the string quoted as Terraform quotes it (HCL's string syntax).
impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Int(i) => write!(f, "[{i}]"),
            Key::Str(s) => {
                f.write_str("[\"")?;
                let mut chars = s.chars().peekable();
                while let Some(c) = chars.next() {
                    match c {
                        '\n' => f.write_str("\\n")?,
                        '\r' => f.write_str("\\r")?,
                        '\t' => f.write_str("\\t")?,
                        '"' => f.write_str("\\\"")?,
                        '\\' => f.write_str("\\\\")?,
                        // A template introducer is doubled to stay literal.
                        '$' | '%' if chars.peek() == Some(&'{') => write!(f, "{c}{c}")?,
                        c if c.is_control() || (c.is_whitespace() && c != ' ') => {
                            if u32::from(c) < 0x10000 {
                                write!(f, "\\u{:04x}", u32::from(c))?;
                            } else {
                                write!(f, "\\U{:08x}", u32::from(c))?;
                            }
                        }
                        c => write!(f, "{c}")?,
                    }
                }
                f.write_str("\"]")
            }
        }
    }
}

/// No key sorts before any key.
fn cmp_keys(a: &Option<Key>, b: &Option<Key>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(a), Some(b)) => a.terraform_cmp(b),
    }
}

/// One module call on the way to a resource: `module.net["a"]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ModuleStep {
    /// The module call's name.
    pub name: String,
    /// Its instance key, for a module called with `count` or `for_each`.
    pub key: Option<Key>,
}

/// A resource instance address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Address {
    /// The module instances, outermost first; empty in the root module.
    pub modules: Vec<ModuleStep>,
    /// A data source (`data.TYPE.NAME`) rather than a managed resource.
    pub data: bool,
    /// The resource type.
    pub resource_type: String,
    /// The resource block's name.
    pub name: String,
    /// The instance key.
    pub key: Option<Key>,
}

impl Address {
    /// Parses an instance address, or says what was expected where.
    pub fn parse(text: &str) -> Result<Address, String> {
        let (modules, rest) = parse_modules(text, text, true)?;
        let (data, after) = match rest.strip_prefix("data.") {
            Some(after) => (true, after),
            None => (false, rest),
        };
        let (resource_type, after) = identifier(after).ok_or_else(|| format!("a resource type in {text:?}"))?;
        let after = after.strip_prefix('.').ok_or_else(|| format!("`TYPE.NAME` in {text:?}"))?;
        let (name, after) = identifier(after).ok_or_else(|| format!("a resource name in {text:?}"))?;
        let (key, after) = key(after, text)?;
        if !after.is_empty() {
            return Err(format!("the end of the address after {:?} in {text:?}", &text[..text.len() - after.len()]));
        }
        Ok(Address { modules, data, resource_type: resource_type.into(), name: name.into(), key })
    }

    /// Parses an action instance address (`module.app.action.aws_lambda_invoke.warm["a"]`) into the
    /// same parts: its type and name are the action's, `data` is false.
    pub fn parse_action(text: &str) -> Result<Address, String> {
        let (modules, rest) = parse_modules(text, text, true)?;
        let expected = || format!("`action.TYPE.NAME` after the module path in {text:?}");
        let rest = rest.strip_prefix("action.").ok_or_else(expected)?;
        match Address::parse(rest) {
            Ok(address) if !address.data && address.modules.is_empty() => Ok(Address { modules, ..address }),
            _ => Err(expected()),
        }
    }

    /// Parses a module instance address (`module.net["a"].module.sub`, or empty for the root).
    pub fn parse_modules(text: &str) -> Result<Vec<ModuleStep>, String> {
        let (modules, rest) = parse_modules(text, text, false)?;
        if !rest.is_empty() {
            return Err(format!("a module address, found {text:?}"));
        }
        Ok(modules)
    }

    /// The module part as Terraform writes it (`module.net["a"]`), empty for the root module.
    pub fn module_address(&self) -> String {
        let mut out = String::new();
        for (i, step) in self.modules.iter().enumerate() {
            if i > 0 {
                out.push('.');
            }
            out.push_str("module.");
            out.push_str(&step.name);
            if let Some(key) = &step.key {
                out.push_str(&key.to_string());
            }
        }
        out
    }

    /// Whether both are instances of one resource block (in the same module instance).
    pub fn same_block(&self, other: &Address) -> bool {
        self.modules == other.modules
            && self.data == other.data
            && self.resource_type == other.resource_type
            && self.name == other.name
    }

    /// Terraform's order of instance addresses: shallower modules first, then module names and
    /// keys, managed resources before data sources, then type, name and key.
    pub fn terraform_cmp(&self, other: &Address) -> Ordering {
        self.modules
            .len()
            .cmp(&other.modules.len())
            .then_with(|| {
                self.modules
                    .iter()
                    .zip(&other.modules)
                    .map(|(a, b)| a.name.cmp(&b.name).then_with(|| cmp_keys(&a.key, &b.key)))
                    .find(|o| o.is_ne())
                    .unwrap_or(Ordering::Equal)
            })
            .then_with(|| self.data.cmp(&other.data))
            .then_with(|| self.resource_type.cmp(&other.resource_type))
            .then_with(|| self.name.cmp(&other.name))
            .then_with(|| cmp_keys(&self.key, &other.key))
    }
}

/// As Terraform writes it: `module.net["a"].data.aws_iam_policy_document.p[0]`.
impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let modules = self.module_address();
        if !modules.is_empty() {
            write!(f, "{modules}.")?;
        }
        if self.data {
            f.write_str("data.")?;
        }
        write!(f, "{}.{}", self.resource_type, self.name)?;
        match &self.key {
            Some(key) => write!(f, "{key}"),
            None => Ok(()),
        }
    }
}

/// The leading `module.NAME[KEY].` steps of `text` and what follows them; `then_resource` says a
/// resource follows (so each step ends with a dot).
fn parse_modules<'t>(
    mut text: &'t str,
    whole: &str,
    then_resource: bool,
) -> Result<(Vec<ModuleStep>, &'t str), String> {
    let mut modules = Vec::new();
    while let Some(after) = text.strip_prefix("module.") {
        let (name, after) = identifier(after).ok_or_else(|| format!("a module name after `module.` in {whole:?}"))?;
        let (key, after) = key(after, whole)?;
        modules.push(ModuleStep { name: name.into(), key });
        text = match after.strip_prefix('.') {
            Some(after) => after,
            None if !then_resource && after.is_empty() => after,
            None => return Err(format!("a resource after the module path in {whole:?}")),
        };
    }
    Ok((modules, text))
}

/// An HCL identifier at the start of `text`, and what follows it.
fn identifier(text: &str) -> Option<(&str, &str)> {
    let end = text.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-')).unwrap_or(text.len());
    let first = text.chars().next()?;
    (end > 0 && (first.is_alphabetic() || first == '_')).then(|| text.split_at(end))
}

/// An optional `[0]` or `["key"]` at the start of `text`.
fn key<'t>(text: &'t str, whole: &str) -> Result<(Option<Key>, &'t str), String> {
    let Some(inner) = text.strip_prefix('[') else { return Ok((None, text)) };
    if let Some(quoted) = inner.strip_prefix('"') {
        let (value, after) = unquote(quoted).ok_or_else(|| format!("a closed string key in {whole:?}"))?;
        let after = after.strip_prefix(']').ok_or_else(|| format!("`]` after a string key in {whole:?}"))?;
        return Ok((Some(Key::Str(value)), after));
    }
    let end = inner.find(']').ok_or_else(|| format!("`]` after an index in {whole:?}"))?;
    let index = inner[..end].parse::<i64>().map_err(|_| format!("a number or a string as the key in {whole:?}"))?;
    Ok((Some(Key::Int(index)), &inner[end + 1..]))
}

/// The body of an HCL quoted string (the opening quote already taken): its value and what follows
/// the closing quote.
fn unquote(text: &str) -> Option<(String, &str)> {
    let mut value = String::new();
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((value, &text[i + 1..])),
            '\\' => {
                let (_, escaped) = chars.next()?;
                match escaped {
                    'n' => value.push('\n'),
                    'r' => value.push('\r'),
                    't' => value.push('\t'),
                    '"' => value.push('"'),
                    '\\' => value.push('\\'),
                    'u' | 'U' => {
                        let digits = if escaped == 'u' { 4 } else { 8 };
                        let hex: String = (0..digits).filter_map(|_| chars.next().map(|(_, c)| c)).collect();
                        value.push(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32)?);
                    }
                    _ => return None,
                }
            }
            // Template sequences are doubled to stay literal.
            '$' | '%' if text[i + 1..].starts_with(&format!("{c}{{")) => {
                chars.next();
                value.push(c);
            }
            _ => value.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_writes_what_terraform_writes() {
        let text = r#"module.net["a\"b"].module.sub[2].data.aws_iam_policy_document.p["k$${x}"]"#;
        let a = Address::parse(text).unwrap();
        assert_eq!(a.module_address(), r#"module.net["a\"b"].module.sub[2]"#);
        assert_eq!(
            a.modules,
            [
                ModuleStep { name: "net".into(), key: Some(Key::Str("a\"b".into())) },
                ModuleStep { name: "sub".into(), key: Some(Key::Int(2)) }
            ]
        );
        assert!(a.data);
        assert_eq!((a.resource_type.as_str(), a.name.as_str()), ("aws_iam_policy_document", "p"));
        assert_eq!(a.key, Some(Key::Str("k${x}".into())));
        assert_eq!(a.to_string(), text, "written back as it was read");
        let keyed = Address::parse(r#"aws_s3_bucket.this["a[b].c \\ \n"]"#).unwrap();
        assert_eq!(keyed.key, Some(Key::Str("a[b].c \\ \n".into())));
        assert_eq!(keyed.to_string(), r#"aws_s3_bucket.this["a[b].c \\ \n"]"#);
        let b = Address::parse("aws_s3_bucket.logs").unwrap();
        assert_eq!((b.module_address(), b.key), (String::new(), None));
        for bad in ["aws_s3_bucket", "module.x", "aws_s3_bucket.logs[", "aws_s3_bucket.logs[x]", "a.b c"] {
            assert!(Address::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Address::parse_modules(r#"module.a["x.y"].module.b"#).unwrap().len(), 2);
        assert!(Address::parse_modules("").unwrap().is_empty());
        assert!(Address::parse_modules("module.a.aws_x.y").is_err());
    }

    #[test]
    fn parses_action_addresses() {
        let a = Address::parse_action(r#"module.app["x"].action.aws_lambda_invoke.warm[0]"#).unwrap();
        assert_eq!(
            (a.module_address().as_str(), a.resource_type.as_str(), a.name.as_str()),
            (r#"module.app["x"]"#, "aws_lambda_invoke", "warm")
        );
        assert_eq!(a.key, Some(Key::Int(0)));
        assert_eq!(
            Address::parse_action("action.aws_ec2_stop_instance.db").unwrap().resource_type,
            "aws_ec2_stop_instance"
        );
        for wrong in ["aws_lambda_invoke.warm", "action.data.x.y", "action.module.m.x.y", "action.x", "action.x.y.z"] {
            assert!(Address::parse_action(wrong).unwrap_err().contains("action.TYPE.NAME"), "{wrong}");
        }
    }

    #[test]
    fn instances_of_one_block() {
        let a = Address::parse(r#"module.m["a"].aws_x.y["k[0]"]"#).unwrap();
        let b = Address::parse(r#"module.m["a"].aws_x.y[3]"#).unwrap();
        let c = Address::parse(r#"module.m["b"].aws_x.y[3]"#).unwrap();
        assert!(a.same_block(&b) && !b.same_block(&c));
    }

    #[test]
    fn orders_as_terraform_does() {
        let mut addrs: Vec<Address> = [
            "module.a.aws_s3_bucket.x",
            "data.aws_caller_identity.me",
            "aws_s3_bucket.x[\"b\"]",
            "aws_s3_bucket.x[10]",
            "aws_s3_bucket.x[2]",
            "aws_s3_bucket.x",
            "aws_iam_role.r",
        ]
        .iter()
        .map(|a| Address::parse(a).unwrap())
        .collect();
        addrs.sort_by(Address::terraform_cmp);
        let names: Vec<String> = addrs.iter().map(ToString::to_string).collect();
        assert_eq!(
            names,
            [
                "aws_iam_role.r",
                "aws_s3_bucket.x",
                "aws_s3_bucket.x[2]",
                "aws_s3_bucket.x[10]",
                "aws_s3_bucket.x[\"b\"]",
                "data.aws_caller_identity.me",
                "module.a.aws_s3_bucket.x",
            ]
        );
    }
}
