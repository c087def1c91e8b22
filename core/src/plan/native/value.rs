//! Values of a binary plan: cty's msgpack encoding, decoded without the provider's types and
//! written as the JSON `terraform show -json` prints. The encoding is type-directed, so three
//! things need the schema table: numbers too precise for a float64 are stored as decimal strings,
//! dynamically typed attributes are `[type, value]` pairs, and sensitivity comes from the schema.
//! Unknown values are msgpack extension 0, or 12 with refinements (what is known of them).

use std::fmt::Write as _;

use serde_json::Value as Tree;

use crate::plan::well_formed::plain_text_end;

/// msgpack nesting deeper than this is refused, as serde_json refuses deeper JSON; so are paths
/// longer than any value can be deep.
pub const MAX_DEPTH: usize = 120;

/// A decoded value, borrowing its strings from the msgpack bytes.
#[derive(Debug, Clone, PartialEq)]
pub enum V<'b> {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    /// A finite float.
    Float(f64),
    /// A number too precise for a float64, as cty writes it: JSON number text.
    Num(&'b str),
    Str(&'b str),
    List(Vec<V<'b>>),
    Obj(Vec<(&'b str, V<'b>)>),
    Unknown,
}

/// Where a walk is in the schema table's trees of a resource type.
#[derive(Debug, Clone, Copy, Default)]
pub struct Typing<'t> {
    pub numbers: Option<&'t Tree>,
    pub dynamic: Option<&'t Tree>,
}

impl<'t> Typing<'t> {
    /// Into object attribute or map element `name` (a map's elements are all `*`).
    fn child(self, name: &str) -> Typing<'t> {
        let step = |tree: Option<&'t Tree>| {
            let tree = tree?.as_object()?;
            tree.get(name).or_else(|| tree.get("*"))
        };
        Typing { numbers: step(self.numbers), dynamic: step(self.dynamic) }
    }
    /// Into element `i` of a list, set or tuple.
    fn element(self, i: usize) -> Typing<'t> {
        let step = |tree: Option<&'t Tree>| {
            let tree = tree?.as_object()?;
            // Tuples type each position; collections all elements alike (`*`).
            tree.get("*").or_else(|| tree.get(i.to_string().as_str()))
        };
        Typing { numbers: step(self.numbers), dynamic: step(self.dynamic) }
    }

    fn ends(tree: Option<&Tree>) -> bool {
        matches!(tree, Some(Tree::Bool(true)))
    }
}

/// Decodes one msgpack value, typed by `typing`. An error says what was found, and where as a path
/// of steps (for the caller to show only as far as it is not sensitive).
pub fn decode<'b>(bytes: &'b [u8], typing: Typing<'_>) -> Result<V<'b>, Failure> {
    let mut reader = Reader { bytes, at: 0, depth: 0 };
    let value = reader.value(typing)?;
    if reader.at != bytes.len() {
        return Err(format!("{} bytes follow the value", bytes.len() - reader.at).into());
    }
    Ok(value)
}

/// Decodes the element key of a path step: a number or a string as it is, or a `[type, value]`
/// pair (a key typed dynamically, such as a set element). An error never says where inside the key
/// it is: the key may be a sensitive value.
pub fn decode_key(bytes: &[u8]) -> Result<V<'_>, String> {
    let mut reader = Reader { bytes, at: 0, depth: 0 };
    let pair = bytes.len() > 1 && bytes[0] == 0x92 && matches!(bytes[1], 0xc4..=0xc6);
    let value = if pair { reader.dynamic() } else { reader.value(Typing::default()) };
    value.map_err(|failure| failure.message)
}

/// What went wrong, and the path to it, gathered on the way out (so reading pays nothing for it).
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    /// Innermost step first.
    path: Vec<Step>,
}

/// A step of a failure's path: an object attribute or map key, or a list index.
#[derive(Debug)]
pub enum Step {
    Key(String),
    Index(usize),
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure { message, path: Vec::new() }
    }
}

impl From<&str> for Failure {
    fn from(message: &str) -> Failure {
        Failure::from(message.to_string())
    }
}

impl Failure {
    fn at(mut self, step: Step) -> Failure {
        self.path.push(step);
        self
    }

    /// The steps from the value's root to the failure.
    pub fn path(&self) -> impl Iterator<Item = &Step> {
        self.path.iter().rev()
    }

    /// The message with the first `shown` steps of the path (`attribute.key[0]`).
    pub fn located(&self, shown: usize) -> String {
        let mut at = String::new();
        for step in self.path().take(shown) {
            match step {
                Step::Key(key) if at.is_empty() => at.push_str(key),
                Step::Key(key) => {
                    at.push('.');
                    at.push_str(key);
                }
                Step::Index(i) => at.push_str(&format!("[{i}]")),
            }
        }
        if at.is_empty() {
            self.message.clone()
        } else {
            format!("{} at `{at}`", self.message)
        }
    }
}

/// One msgpack item: a scalar, or the header of a container.
enum Item<'b> {
    Nil,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(&'b [u8]),
    Bin(&'b [u8]),
    Array(usize),
    Map(usize),
    Ext(i8),
}

/// A reader of cty's msgpack, straight into [`V`]: no intermediate tree.
struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
    depth: usize,
}

impl<'b> Reader<'b> {
    fn take(&mut self, n: usize) -> Result<&'b [u8], String> {
        let end = self.at.checked_add(n).filter(|&end| end <= self.bytes.len());
        let end = end.ok_or_else(|| "the value is not valid msgpack (it ends early)".to_string())?;
        let taken = &self.bytes[self.at..end];
        self.at = end;
        Ok(taken)
    }

    fn uint(&mut self, n: usize) -> Result<u64, String> {
        Ok(self.take(n)?.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
    }

    fn len(&mut self, n: usize) -> Result<usize, String> {
        usize::try_from(self.uint(n)?).map_err(|_| "a length beyond memory".to_string())
    }

    fn item(&mut self) -> Result<Item<'b>, String> {
        let marker = self.take(1)?[0];
        Ok(match marker {
            0x00..=0x7f => Item::Int(i64::from(marker)),
            0x80..=0x8f => Item::Map(usize::from(marker & 0x0f)),
            0x90..=0x9f => Item::Array(usize::from(marker & 0x0f)),
            0xa0..=0xbf => Item::Str(self.take(usize::from(marker & 0x1f))?),
            0xc0 => Item::Nil,
            0xc2 => Item::Bool(false),
            0xc3 => Item::Bool(true),
            0xc4..=0xc6 => {
                let n = self.len(1 << (marker - 0xc4))?;
                Item::Bin(self.take(n)?)
            }
            0xc7..=0xc9 => {
                let n = self.len(1 << (marker - 0xc7))?;
                let kind = self.take(1)?[0] as i8;
                self.take(n)?;
                Item::Ext(kind)
            }
            0xca => Item::Float(f64::from(f32::from_bits(self.uint(4)? as u32))),
            0xcb => Item::Float(f64::from_bits(self.uint(8)?)),
            0xcc..=0xcf => Item::UInt(self.uint(1 << (marker - 0xcc))?),
            0xd0..=0xd3 => {
                let n = 1 << (marker - 0xd0);
                let raw = self.uint(n)?;
                // Sign-extend from n bytes.
                let shift = 64 - 8 * n as u32;
                Item::Int(((raw << shift) as i64) >> shift)
            }
            0xd4..=0xd8 => {
                let kind = self.take(1)?[0] as i8;
                self.take(1 << (marker - 0xd4))?;
                Item::Ext(kind)
            }
            0xd9..=0xdb => {
                let n = self.len(1 << (marker - 0xd9))?;
                Item::Str(self.take(n)?)
            }
            0xdc | 0xdd => Item::Array(self.len(if marker == 0xdc { 2 } else { 4 })?),
            0xde | 0xdf => Item::Map(self.len(if marker == 0xde { 2 } else { 4 })?),
            0xe0..=0xff => Item::Int(i64::from(marker as i8)),
            0xc1 => return Err("the value is not valid msgpack (byte 0xc1)".into()),
        })
    }

    fn nested(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(format!("the value is not valid msgpack here (nested deeper than {MAX_DEPTH})"));
        }
        Ok(())
    }

    fn value(&mut self, typing: Typing<'_>) -> Result<V<'b>, Failure> {
        if Typing::ends(typing.dynamic) {
            return self.dynamic();
        }
        Ok(match self.item()? {
            Item::Nil => V::Null,
            Item::Bool(b) => V::Bool(b),
            Item::Int(i) => V::Int(i),
            Item::UInt(u) => V::UInt(u),
            Item::Float(f) if f.is_finite() => V::Float(f),
            Item::Float(f) => return Err(format!("the number {f}, which JSON cannot hold").into()),
            Item::Str(bytes) => {
                let s = std::str::from_utf8(bytes).map_err(|_| "a string that is not valid UTF-8")?;
                if Typing::ends(typing.numbers) {
                    if !is_decimal(s) {
                        // The text itself is not shown: the attribute may be one the plan marks sensitive.
                        return Err("a number attribute holding a string that is not a number".into());
                    }
                    V::Num(s)
                } else {
                    V::Str(s)
                }
            }
            Item::Array(n) => {
                self.nested()?;
                let mut items = Vec::with_capacity(n.min(1024));
                for i in 0..n {
                    items.push(self.value(typing.element(i)).map_err(|f| f.at(Step::Index(i)))?);
                }
                self.depth -= 1;
                V::List(items)
            }
            Item::Map(n) => {
                self.nested()?;
                let mut members = Vec::with_capacity(n.min(1024));
                for _ in 0..n {
                    let key = match self.item()? {
                        Item::Str(bytes) => {
                            std::str::from_utf8(bytes).map_err(|_| "a map key that is not valid UTF-8")?
                        }
                        _ => return Err("a map key that is not a string".into()),
                    };
                    // cty never writes a key twice; Terraform would take the last, a JSON reader
                    // either: refused rather than guessed.
                    if members.iter().any(|(k, _)| *k == key) {
                        return Err(Failure::from("a map with a key written twice").at(Step::Key(key.into())));
                    }
                    let member = self.value(typing.child(key)).map_err(|f| f.at(Step::Key(key.into())))?;
                    members.push((key, member));
                }
                self.depth -= 1;
                V::Obj(members)
            }
            Item::Ext(0 | 12) => V::Unknown,
            Item::Ext(kind) => return Err(format!("msgpack extension type {kind}, which cty does not write").into()),
            Item::Bin(_) => return Err("binary data, which cty writes only as a type".into()),
        })
    }

    /// A `[type, value]` pair: the value, typed by its own type (a number stored as a string is a
    /// number again, a nested dynamic value is a pair again). A null or unknown value of no known
    /// type is written bare, as cty writes it (`terraform_data` without `triggers_replace`).
    fn dynamic(&mut self) -> Result<V<'b>, Failure> {
        let not_a_pair = "a dynamically typed value that is not a [type, value] pair";
        match self.bytes.get(self.at) {
            Some(0xc0) => {
                self.at += 1;
                return Ok(V::Null);
            }
            Some(0xc7..=0xc9 | 0xd4..=0xd8) => {
                return match self.item()? {
                    Item::Ext(0 | 12) => Ok(V::Unknown),
                    _ => Err(not_a_pair.into()),
                };
            }
            _ => {}
        }
        if !matches!(self.item()?, Item::Array(2)) {
            return Err(not_a_pair.into());
        }
        // A pair may hold a pair: counted as nesting, so no file can recurse without end.
        self.nested()?;
        let ty = match self.item()? {
            Item::Bin(ty) | Item::Str(ty) => serde_json::from_slice::<Tree>(ty)
                .map_err(|_| "a dynamically typed value whose type is not a cty type")?,
            _ => return Err(not_a_pair.into()),
        };
        let (numbers, dynamic) = (typing_tree(&ty, "number"), typing_tree(&ty, "dynamic"));
        let value = self.value(Typing { numbers: numbers.as_ref(), dynamic: dynamic.as_ref() })?;
        self.depth -= 1;
        Ok(value)
    }
}

/// The tree of the places in a cty type (as JSON: `"number"`, `["object", {...}]`, `["list", T]`,
/// …) that are of the primitive type `leaf`, in the shape of the schema table's trees.
fn typing_tree(ty: &Tree, leaf: &str) -> Option<Tree> {
    match ty {
        Tree::String(name) => (name == leaf).then_some(Tree::Bool(true)),
        Tree::Array(parts) => match (parts.first().and_then(Tree::as_str), parts.get(1)) {
            (Some("list" | "set" | "map"), Some(inner)) => {
                typing_tree(inner, leaf).map(|t| Tree::Object([("*".to_string(), t)].into_iter().collect()))
            }
            (Some("object"), Some(Tree::Object(attributes))) => {
                let found: serde_json::Map<String, Tree> =
                    attributes.iter().filter_map(|(k, t)| typing_tree(t, leaf).map(|t| (k.clone(), t))).collect();
                (!found.is_empty()).then_some(Tree::Object(found))
            }
            (Some("tuple"), Some(Tree::Array(elements))) => {
                let found: serde_json::Map<String, Tree> = elements
                    .iter()
                    .enumerate()
                    .filter_map(|(i, t)| typing_tree(t, leaf).map(|t| (i.to_string(), t)))
                    .collect();
                (!found.is_empty()).then_some(Tree::Object(found))
            }
            _ => None,
        },
        _ => None,
    }
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

impl V<'_> {
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
            V::Int(i) => {
                let _ = write!(out, "{i}");
            }
            V::UInt(u) => {
                let _ = write!(out, "{u}");
            }
            V::Float(f) => match serde_json::Number::from_f64(*f) {
                Some(n) => {
                    let _ = write!(out, "{n}");
                }
                None => out.push_str("null"),
            },
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

/// A JSON string literal, escaped as serde_json escapes but for `\b` and `\f`, written by number
/// (the text is read back by serde_json). The runs between escapes are found as the JSON reader
/// finds them, many bytes at a time.
pub fn write_string(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    out.push('"');
    let mut plain = 0;
    loop {
        let stop = plain_text_end::<true>(bytes, plain);
        out.push_str(&s[plain..stop]);
        let Some(&byte) = bytes.get(stop) else { break };
        match byte {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            _ => {
                let _ = write!(out, "\\u{byte:04x}");
            }
        }
        plain = stop + 1;
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use rmpv::Value as Msgpack;

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
        let bytes = msgpack(&value);
        let v = decode(&bytes, Typing::default()).unwrap();
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
        let err = decode(&msgpack(&bad), typing).unwrap_err().located(usize::MAX);
        assert!(err.contains("number attribute") && err.ends_with("at `threshold`"), "{err}");
        // Null and unknown values of a dynamic attribute whose type is not known are bare.
        let bare = Msgpack::Map(vec![("doc".into(), Msgpack::Nil), ("x".into(), Msgpack::Ext(0, vec![0]))]);
        let dynamic: Tree = serde_json::json!({"doc": true, "x": true});
        let typing = Typing { numbers: None, dynamic: Some(&dynamic) };
        let bytes = msgpack(&bare);
        let (v, mut json) = (decode(&bytes, typing).unwrap(), String::new());
        v.write_json(&mut json);
        assert_eq!((json.as_str(), v.is_wholly_known()), (r#"{"doc":null}"#, false));
    }

    #[test]
    fn what_cty_never_writes_is_refused() {
        for (value, expected) in [
            (Msgpack::Ext(3, vec![]), "extension type 3"),
            (Msgpack::Binary(vec![1]), "binary data"),
            (Msgpack::F64(f64::NAN), "JSON cannot hold"),
            (Msgpack::Map(vec![(Msgpack::from(1), Msgpack::Nil)]), "not a string"),
        ] {
            let err = decode(&msgpack(&value), Typing::default()).unwrap_err().message;
            assert!(err.contains(expected), "{err}");
        }
        let twice = Msgpack::Map(vec![("a".into(), Msgpack::Nil), ("a".into(), 1.into())]);
        assert!(decode(&msgpack(&twice), Typing::default()).unwrap_err().message.contains("written twice"));
        let mut deep = Msgpack::Nil;
        for _ in 0..200 {
            deep = Msgpack::Array(vec![deep]);
        }
        assert!(decode(&msgpack(&deep), Typing::default()).unwrap_err().message.contains("not valid msgpack"));
        assert!(decode(&[0xc0, 0xc0], Typing::default()).unwrap_err().message.contains("follow"));
        // Dynamic pairs holding dynamic pairs, without end: bounded like any nesting.
        // (Written byte by byte: a tree that deep would overflow the test's own stack.)
        let mut bytes = vec![0x81, 0xa3, b'd', b'o', b'c'];
        for _ in 0..100_000 {
            bytes.extend([0x92, 0xc4, 9]);
            bytes.extend(b"\"dynamic\"");
        }
        bytes.push(0xc0);
        let dynamic: Tree = serde_json::json!({"doc": true});
        let typing = Typing { numbers: None, dynamic: Some(&dynamic) };
        assert!(decode(&bytes, typing).unwrap_err().message.contains("nested deeper"));
    }

    proptest::proptest! {
        /// Any text, quotes, backslashes and control characters among long plain runs and multi-byte
        /// characters, is written as a JSON string that reads back as itself, and as serde_json
        /// writes it but for the two controls serde_json names by letter (`\b`, `\f`).
        #[test]
        fn strings_are_written_as_json_reads_them(
            s in "([\"\\\\\u{0}-\u{1f}]|[a-zé€😀]{0,40}|\\PC){0,12}",
        ) {
            let mut written = String::new();
            write_string(&mut written, &s);
            proptest::prop_assert_eq!(&serde_json::from_str::<String>(&written).unwrap(), &s);
            if !s.contains(['\u{8}', '\u{c}']) {
                proptest::prop_assert_eq!(written, serde_json::to_string(&s).unwrap());
            }
        }
    }

    #[test]
    fn controls_without_a_short_escape_are_written_by_number() {
        let mut written = String::new();
        write_string(&mut written, "\u{8}\u{c}\u{1f}\n");
        assert_eq!(written, r#""\u0008\u000c\u001f\n""#);
    }
}
