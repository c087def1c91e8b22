//! Resource instance addresses as a binary plan stores them (`module.net["a"].aws_subnet.this[0]`):
//! split into the parts `terraform show -json` prints, and ordered as Terraform orders them, so
//! the native reader lists changes in the same order.

use std::cmp::Ordering;

/// An instance key: `[0]` or `["name"]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    Int(i64),
    Str(String),
}

impl Key {
    /// Terraform's order: integer keys before string keys.
    fn cmp(&self, other: &Key) -> Ordering {
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
}

/// No key sorts before any key.
fn cmp_keys(a: &Option<Key>, b: &Option<Key>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(a), Some(b)) => a.cmp(b),
    }
}

/// A parsed `addr` of a resource instance change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    /// The module instances, outermost first.
    pub modules: Vec<(String, Option<Key>)>,
    /// The module part of the text (`module.net["a"]`), empty for the root module.
    pub module_address: String,
    pub data: bool,
    pub resource_type: String,
    pub name: String,
    pub key: Option<Key>,
}

impl Address {
    /// Parses an instance address, or says what it found instead.
    pub fn parse(text: &str) -> Result<Address, String> {
        let mut rest = text;
        let mut modules = Vec::new();
        let mut module_end = 0;
        while let Some(after) = rest.strip_prefix("module.") {
            let (name, after) =
                identifier(after).ok_or_else(|| format!("a module name after `module.` in {text:?}"))?;
            let (key, after) = key(after, text)?;
            modules.push((name.to_string(), key));
            module_end = text.len() - after.len();
            rest = after.strip_prefix('.').ok_or_else(|| format!("a resource after the module path in {text:?}"))?;
        }
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
        Ok(Address {
            modules,
            module_address: text[..module_end].to_string(),
            data,
            resource_type: resource_type.to_string(),
            name: name.to_string(),
            key,
        })
    }

    /// Terraform's order of instance addresses: shallower modules first, then module names and
    /// keys, managed resources before data sources, then type, name and key.
    pub fn cmp(&self, other: &Address) -> Ordering {
        self.modules
            .len()
            .cmp(&other.modules.len())
            .then_with(|| {
                self.modules
                    .iter()
                    .zip(&other.modules)
                    .map(|((a, ak), (b, bk))| a.cmp(b).then_with(|| cmp_keys(ak, bk)))
                    .find(|o| o.is_ne())
                    .unwrap_or(Ordering::Equal)
            })
            .then_with(|| self.data.cmp(&other.data))
            .then_with(|| self.resource_type.cmp(&other.resource_type))
            .then_with(|| self.name.cmp(&other.name))
            .then_with(|| cmp_keys(&self.key, &other.key))
    }
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

/// The provider's source address in a provider configuration address:
/// `module.x.provider["registry.terraform.io/hashicorp/aws"].west` gives
/// `registry.terraform.io/hashicorp/aws`.
pub fn provider_source(config: &str) -> Option<&str> {
    let start = config.find("provider[\"")? + "provider[\"".len();
    let end = config[start..].find("\"]")?;
    Some(&config[start..start + end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_parts_terraform_prints() {
        let a = Address::parse(r#"module.net["a\"b"].module.sub[2].data.aws_iam_policy_document.p["k${x}"]"#);
        let a = a.unwrap();
        assert_eq!(a.module_address, r#"module.net["a\"b"].module.sub[2]"#);
        assert_eq!(a.modules, vec![("net".into(), Some(Key::Str("a\"b".into()))), ("sub".into(), Some(Key::Int(2)))]);
        assert!(a.data);
        assert_eq!((a.resource_type.as_str(), a.name.as_str()), ("aws_iam_policy_document", "p"));
        assert_eq!(a.key, Some(Key::Str("k${x}".into())));
        let b = Address::parse("aws_s3_bucket.logs").unwrap();
        assert_eq!((b.module_address.as_str(), b.key.clone()), ("", None));
        for bad in ["aws_s3_bucket", "module.x", "aws_s3_bucket.logs[", "aws_s3_bucket.logs[x]", "a.b c"] {
            assert!(Address::parse(bad).is_err(), "{bad}");
        }
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
        addrs.sort_by(Address::cmp);
        let names: Vec<String> = addrs
            .iter()
            .map(|a| {
                format!(
                    "{}{}{}.{}{:?}",
                    a.module_address,
                    if a.data { "data." } else { "" },
                    a.resource_type,
                    a.name,
                    a.key
                )
            })
            .collect();
        assert_eq!(
            names,
            [
                "aws_iam_role.rNone",
                "aws_s3_bucket.xNone",
                "aws_s3_bucket.xSome(Int(2))",
                "aws_s3_bucket.xSome(Int(10))",
                "aws_s3_bucket.xSome(Str(\"b\"))",
                "data.aws_caller_identity.meNone",
                "module.aaws_s3_bucket.xNone",
            ]
        );
        assert_eq!(
            provider_source(r#"module.x.provider["registry.terraform.io/hashicorp/aws"].west"#),
            Some("registry.terraform.io/hashicorp/aws")
        );
    }
}
