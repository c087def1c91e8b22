//! The members of a JSON object whose text is already known to be well formed, found by one scan
//! that follows only strings and brackets.
//!
//! Every entry a change is made from is a slice the streaming pass has already checked
//! ([`super::well_formed`], or serde_json where that check gives up). Splitting its values into
//! members with serde_json checked every string and number a second time, which was a quarter of the
//! CPU time of checking a large plan; this scan only needs to know where each member starts and
//! ends. It walks objects with [`super::well_formed::each_member`], which finds keys without
//! checking them again.
//!
//! Whatever serde_json might read differently gives `None` (a key with an escape, text that is not
//! an object): the caller then parses the text with serde_json, so the answer, and every error, stay
//! serde_json's.

use std::borrow::Cow;

use super::well_formed::{each_member, plain_text_end};

/// A member's name (borrowed here; serde_json may have to unescape one) and its value's text.
pub(crate) type Member<'a> = (Cow<'a, str>, &'a str);

/// The members of the object that starts at `start` in `text`, in their order: each key without
/// its quotes and each value's text (without the white space around it, as a `RawValue` holds it);
/// and where the object ends. `None` when there is no object there or a key has an escape. `text`
/// must be well-formed JSON; on other text the answer means nothing, but this never panics.
pub(crate) fn object_members(text: &str, start: usize) -> Option<(Vec<Member<'_>>, usize)> {
    // Resources have tens of attributes: grow once, not four times.
    let mut members = Vec::with_capacity(24);
    let end = each_member(text, start, |key, start| {
        let end = value_end(text, start)?;
        members.push((Cow::Borrowed(key), text.get(start..end)?));
        Some(end)
    })?;
    Some((members, end))
}

/// The text of a string value without its quotes, when it has no escape (so the text is the
/// string); `None` for anything else.
pub(crate) fn plain_string(value: &str) -> Option<&str> {
    let inner = value.strip_prefix('"')?.strip_suffix('"')?;
    // This runs for every string field of every entry: the run scan, not a search by chars.
    (plain_text_end::<false>(inner.as_bytes(), 0) == inner.len()).then_some(inner)
}

/// Where the string opening at `open` ends (just past its closing quote). Lighter than
/// [`super::well_formed`]'s, which also checks escapes and control characters: on text already
/// checked, that cost 2.6% more instructions for a whole check of the 100 MB plan (measured with
/// eight-byte scans).
fn string_end(bytes: &[u8], open: usize) -> Option<usize> {
    let mut at = open + 1;
    loop {
        at = plain_text_end::<false>(bytes, at);
        match bytes.get(at)? {
            b'"' => return Some(at + 1),
            // The escaped character is never a quote ending the string; `\u` is followed by hex
            // digits.
            _ => at += 2,
        }
    }
}

/// Where the value starting at `start` in `text` ends.
pub(crate) fn value_end(text: &str, start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    match bytes.get(start)? {
        b'"' => string_end(bytes, start),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut at = start;
            loop {
                match bytes.get(at)? {
                    b'"' => {
                        at = string_end(bytes, at)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(at + 1);
                        }
                    }
                    _ => {}
                }
                at += 1;
            }
        }
        // A number, `true`, `false` or `null`: up to the next delimiter.
        _ => Some(
            bytes[start..]
                .iter()
                .position(|b| matches!(b, b',' | b'}' | b']' | b' ' | b'\n' | b'\t' | b'\r'))
                .map_or(bytes.len(), |n| start + n),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What serde_json finds: each key (unescaped) and its value's raw text, in order.
    fn by_serde(text: &str) -> Vec<(String, String)> {
        struct Pairs(Vec<(String, String)>);
        impl<'de> serde::Deserialize<'de> for Pairs {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct Visit;
                impl<'de> serde::de::Visitor<'de> for Visit {
                    type Value = Pairs;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("an object")
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Pairs, A::Error> {
                        let mut pairs = Vec::new();
                        while let Some((key, value)) = map.next_entry::<String, &serde_json::value::RawValue>()? {
                            pairs.push((key, value.get().to_string()));
                        }
                        Ok(Pairs(pairs))
                    }
                }
                d.deserialize_map(Visit)
            }
        }
        serde_json::from_str::<Pairs>(text).expect("well-formed test text").0
    }

    fn by_scan(text: &str) -> Option<Vec<(String, String)>> {
        let (members, end) = object_members(text, 0)?;
        assert_eq!(text[end..].trim(), "", "{text}: the object ends where the text does");
        Some(members.into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    #[test]
    fn finds_what_serde_json_finds() {
        for text in [
            "{}",
            " { } ",
            r#"{"a":1}"#,
            "{\n  \"a\" : -1.5e3 ,\t\"b\":true,\"c\":false,\"d\":null }\n",
            r#"{"s":"x\"}]{[,","t":"\\","u":"\u00e9\"","v":"é"}"#,
            r#"{"o":{"p":[1,{"q":"]}"},[]],"r":{}},"l":[[],[[{}]]],"e":""}"#,
            r#"{"a":1,"a":2}"#,
            r#"{"n":[1 , 2 ] , "m" : { "k" : "v" } }"#,
        ] {
            assert_eq!(by_scan(text), Some(by_serde(text)), "{text}");
        }
    }

    #[test]
    fn leaves_to_serde_json_what_it_might_read_differently() {
        for text in [r#"{"a\"b":1}"#, r#"{"\u0061":1}"#, "[1]", "null", "true", r#""x""#, "7", ""] {
            assert_eq!(object_members(text, 0), None, "{text}");
        }
        // Text that is not well formed: any answer, never a panic.
        for text in
            ["{", r#"{"a"#, r#"{"a":"#, r#"{"a":[1"#, r#"{"a":"x\"#, r#"{"a":1,"#, "{]", r#"{"a" 1}"#, "{\"a\":1 x"]
        {
            let _ = object_members(text, 0);
        }
        assert_eq!(plain_string(r#""abc""#), Some("abc"));
        for text in [r#""a\"b""#, "\"a", "null", r#""a"b""#] {
            assert_eq!(plain_string(text), None, "{text}");
        }
    }
}
