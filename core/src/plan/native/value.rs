//! Values of a binary plan: cty's msgpack encoding, decoded without the provider's types and
//! written as the JSON `terraform show -json` prints. The encoding is type-directed, so three
//! things need the schema table: numbers too precise for a float64 are stored as decimal strings,
//! dynamically typed attributes are `[type, value]` pairs, and sensitivity comes from the schema.
//! Unknown values are msgpack extension 0, or 12 with refinements (what is known of them).

use rmpv::Value as Msgpack;
use serde_json::Value as Tree;

/// msgpack nesting deeper than this is refused, as serde_json refuses deeper JSON.
const MAX_DEPTH: usize = 120;

/// A decoded value.
#[derive(Debug, Clone, PartialEq)]
pub enum V {
    Null,
    Bool(bool),
    /// A number, as JSON number text.
    Num(String),
    Str(String),
    List(Vec<V>),
    Obj(Vec<(String, V)>),
    Unknown,
}

/// Where a walk is in the schema table's trees of a resource type.
#[derive(Debug, Clone, Copy, Default)]
pub struct Typing<'t> {
    pub numbers: Option<&'t Tree>,
    pub dynamic: Option<&'t Tree>,
}

impl<'t> Typing<'t> {
    /// Into an object attribute or map element `name`, or a list or set element (`None`).
    fn child(self, name: Option<&str>) -> Typing<'t> {
        let step = |tree: Option<&'t Tree>| {
            let tree = tree?.as_object()?;
            name.and_then(|n| tree.get(n)).or_else(|| tree.get("*"))
        };
        Typing { numbers: step(self.numbers), dynamic: step(self.dynamic) }
    }
    fn ends(tree: Option<&Tree>) -> bool {
        matches!(tree, Some(Tree::Bool(true)))
    }
}

/// Decodes one msgpack value, typed by `typing`; an error says what was found where.
pub fn decode(bytes: &[u8], typing: Typing<'_>) -> Result<V, String> {
    let mut rest = bytes;
    let value = rmpv::decode::read_value_with_max_depth(&mut rest, MAX_DEPTH)
        .map_err(|e| format!("the value is not valid msgpack ({e})"))?;
    if !rest.is_empty() {
        return Err(format!("{} bytes follow the value", rest.len()));
    }
    let mut path = Vec::new();
    normalize(value, typing, &mut path).map_err(|message| {
        if path.is_empty() {
            message
        } else {
            format!("{message} at `{}`", path.join("."))
        }
    })
}

/// Decodes the element key of a path step: a number or a string as it is, or a `[type, value]`
/// pair (a key typed dynamically, such as a set element).
pub fn decode_key(bytes: &[u8]) -> Result<V, String> {
    let mut rest = bytes;
    let value = rmpv::decode::read_value_with_max_depth(&mut rest, MAX_DEPTH)
        .map_err(|e| format!("the value is not valid msgpack ({e})"))?;
    if matches!(&value, Msgpack::Array(pair) if pair.len() == 2 && matches!(pair[0], Msgpack::Binary(_))) {
        normalize_dynamic(value, &mut Vec::new())
    } else {
        normalize(value, Typing::default(), &mut Vec::new())
    }
}

fn normalize(value: Msgpack, typing: Typing<'_>, path: &mut Vec<String>) -> Result<V, String> {
    if Typing::ends(typing.dynamic) {
        return normalize_dynamic(value, path);
    }
    Ok(match value {
        Msgpack::Nil => V::Null,
        Msgpack::Boolean(b) => V::Bool(b),
        Msgpack::Integer(i) => V::Num(i.to_string()),
        Msgpack::F32(f) => number(f64::from(f))?,
        Msgpack::F64(f) => number(f)?,
        Msgpack::String(s) => {
            let s = s.into_str().ok_or("a string that is not valid UTF-8")?;
            if Typing::ends(typing.numbers) {
                if !is_decimal(&s) {
                    return Err(format!("a number attribute holding {:?}", crate::text::excerpt(&s, 40)));
                }
                V::Num(s)
            } else {
                V::Str(s)
            }
        }
        Msgpack::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                path.push(i.to_string());
                out.push(normalize(item, typing.child(None), path)?);
                path.pop();
            }
            V::List(out)
        }
        Msgpack::Map(members) => {
            let mut out = Vec::with_capacity(members.len());
            for (key, member) in members {
                let Msgpack::String(key) = key else { return Err(format!("a map key that is not a string ({key})")) };
                let key = key.into_str().ok_or("a map key that is not valid UTF-8")?;
                path.push(key.clone());
                let member = normalize(member, typing.child(Some(&key)), path)?;
                path.pop();
                out.push((key, member));
            }
            V::Obj(out)
        }
        Msgpack::Ext(0 | 12, _) => V::Unknown,
        Msgpack::Ext(kind, _) => return Err(format!("msgpack extension type {kind}, which cty does not write")),
        Msgpack::Binary(_) => return Err("binary data, which cty writes only as a type".into()),
    })
}

/// A `[type, value]` pair: the value, with a number stored as a string made a number again.
fn normalize_dynamic(value: Msgpack, path: &mut Vec<String>) -> Result<V, String> {
    let Msgpack::Array(mut pair) = value else {
        return Err("a dynamically typed value that is not a [type, value] pair".into());
    };
    if pair.len() != 2 {
        return Err("a dynamically typed value that is not a [type, value] pair".into());
    }
    let value = pair.pop().expect("two");
    let is_number = match pair.pop().expect("two") {
        Msgpack::Binary(ty) => ty == b"\"number\"",
        Msgpack::String(ty) => ty.as_bytes() == b"\"number\"",
        other => return Err(format!("a dynamic value whose type is {other}")),
    };
    let numbers = Tree::Bool(true);
    let typing = Typing { numbers: is_number.then_some(&numbers), dynamic: None };
    normalize(value, typing, path)
}

fn number(f: f64) -> Result<V, String> {
    serde_json::Number::from_f64(f)
        .map(|n| V::Num(n.to_string()))
        .ok_or_else(|| format!("the number {f}, which JSON cannot hold"))
}

/// JSON number syntax: what cty writes for a number too precise for a float64.
fn is_decimal(s: &str) -> bool {
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let rest = s.strip_prefix('-').unwrap_or(s);
    let int = digits(rest);
    if int == 0 {
        return false;
    }
    let mut rest = &rest[int..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let n = digits(fraction);
        if n == 0 {
            return false;
        }
        rest = &fraction[n..];
    }
    if let Some(exponent) = rest.strip_prefix(['e', 'E']) {
        let exponent = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
        let n = digits(exponent);
        return n > 0 && n == exponent.len();
    }
    rest.is_empty()
}

impl V {
    pub fn is_null(&self) -> bool {
        matches!(self, V::Null)
    }

    pub fn is_wholly_known(&self) -> bool {
        match self {
            V::Unknown => false,
            V::List(items) => items.iter().all(V::is_wholly_known),
            V::Obj(members) => members.iter().all(|(_, v)| v.is_wholly_known()),
            _ => true,
        }
    }

    /// The value as JSON text; unknown parts are left out of objects and are `null` in lists (as
    /// `terraform show -json` does: `after_unknown` says where they are).
    pub fn write_json(&self, out: &mut String) {
        match self {
            V::Null | V::Unknown => out.push_str("null"),
            V::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            V::Num(n) => out.push_str(n),
            V::Str(s) => write_string(out, s),
            V::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_json(out);
                }
                out.push(']');
            }
            V::Obj(members) => {
                out.push('{');
                let mut first = true;
                for (key, member) in members.iter().filter(|(_, v)| !matches!(v, V::Unknown)) {
                    if !std::mem::take(&mut first) {
                        out.push(',');
                    }
                    write_string(out, key);
                    out.push(':');
                    member.write_json(out);
                }
                out.push('}');
            }
        }
    }

    /// `after_unknown`: `true` where the value is unknown, the shape of collections elsewhere, and
    /// `false` members left out of objects.
    pub fn write_unknown(&self, out: &mut String) {
        match self {
            V::Unknown => out.push_str("true"),
            V::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_unknown(out);
                }
                out.push(']');
            }
            V::Obj(members) => {
                out.push('{');
                let mut first = true;
                for (key, member) in members.iter().filter(|(_, v)| !v.is_wholly_known() || has_shape(v)) {
                    if !std::mem::take(&mut first) {
                        out.push(',');
                    }
                    write_string(out, key);
                    out.push(':');
                    member.write_unknown(out);
                }
                out.push('}');
            }
            _ => out.push_str("false"),
        }
    }
}

/// Collections keep their shape in `after_unknown` and `*_sensitive` even when nothing in them is
/// marked; only `false` is left out.
fn has_shape(v: &V) -> bool {
    matches!(v, V::List(_) | V::Obj(_))
}

pub fn write_string(out: &mut String, s: &str) {
    out.push_str(&serde_json::to_string(s).expect("strings serialize"));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msgpack(v: &Msgpack) -> Vec<u8> {
        let mut out = Vec::new();
        rmpv::encode::write_value(&mut out, v).unwrap();
        out
    }

    #[test]
    fn unknowns_are_left_out_and_shown_in_after_unknown() {
        let value = Msgpack::Map(vec![
            ("id".into(), Msgpack::Ext(0, vec![0])),
            ("name".into(), "a".into()),
            ("tags".into(), Msgpack::Map(vec![])),
            ("ports".into(), Msgpack::Array(vec![Msgpack::from(80), Msgpack::Ext(12, vec![0x80])])),
        ]);
        let v = decode(&msgpack(&value), Typing::default()).unwrap();
        let (mut json, mut unknown) = (String::new(), String::new());
        v.write_json(&mut json);
        v.write_unknown(&mut unknown);
        assert_eq!(json, r#"{"name":"a","tags":{},"ports":[80,null]}"#);
        assert_eq!(unknown, r#"{"id":true,"tags":{},"ports":[false,true]}"#);
    }

    #[test]
    fn precise_numbers_and_dynamic_values_follow_the_table() {
        let table: Tree = serde_json::json!({"threshold": true, "x": {"*": true}});
        let dynamic: Tree = serde_json::json!({"doc": true});
        let value = Msgpack::Map(vec![
            ("threshold".into(), "0.1".into()),
            ("label".into(), "0.1".into()),
            ("doc".into(), Msgpack::Array(vec![Msgpack::Binary(b"\"number\"".to_vec()), "1.25".into()])),
        ]);
        let typing = Typing { numbers: Some(&table), dynamic: Some(&dynamic) };
        let mut json = String::new();
        decode(&msgpack(&value), typing).unwrap().write_json(&mut json);
        assert_eq!(json, r#"{"threshold":0.1,"label":"0.1","doc":1.25}"#);
        let bad = Msgpack::Map(vec![("threshold".into(), "0x10".into())]);
        let err = decode(&msgpack(&bad), typing).unwrap_err();
        assert!(err.contains("number attribute") && err.ends_with("at `threshold`"), "{err}");
    }

    #[test]
    fn what_cty_never_writes_is_refused() {
        for (value, expected) in [
            (Msgpack::Ext(3, vec![]), "extension type 3"),
            (Msgpack::Binary(vec![1]), "binary data"),
            (Msgpack::F64(f64::NAN), "JSON cannot hold"),
            (Msgpack::Map(vec![(Msgpack::from(1), Msgpack::Nil)]), "not a string"),
        ] {
            let err = decode(&msgpack(&value), Typing::default()).unwrap_err();
            assert!(err.contains(expected), "{err}");
        }
        let mut deep = Msgpack::Nil;
        for _ in 0..200 {
            deep = Msgpack::Array(vec![deep]);
        }
        assert!(decode(&msgpack(&deep), Typing::default()).unwrap_err().contains("not valid msgpack"));
        assert!(decode(&[0xc0, 0xc0], Typing::default()).unwrap_err().contains("follow"));
    }
}
