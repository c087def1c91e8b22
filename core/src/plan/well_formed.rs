//! A JSON check for the streaming pass that accepts only what serde_json accepts, ending each value
//! where serde_json ends it, and is faster because it does nothing else.
//!
//! serde_json's streaming pass over a large plan cost more CPU than anything else on the thread that
//! every other core waits for: it checks each byte through its general reader (a `Result` per
//! character, a peek and an eat per byte). This check follows the grammar in one loop, strings sixteen
//! bytes at a time ([`plain_text_end`]).
//!
//! It may refuse text serde_json accepts (nesting deeper than [`MAX_DEPTH`]); it must never accept
//! text serde_json refuses, nor end a value elsewhere. The caller treats `None` as "let serde_json
//! decide", so every error, and its message and location, stays serde_json's.

/// How deeply arrays and objects may nest here; deeper text is left to serde_json.
pub(crate) const MAX_DEPTH: usize = 64 * 64;

/// Where the JSON value that starts exactly at `start` in `text` ends, when it is well formed as
/// serde_json reads a value it skips (any depth, strings not unescaped); `None` for anything else.
pub(crate) fn value_end(bytes: &[u8], start: usize) -> Option<usize> {
    // Which open brackets are objects, a bit per level.
    let mut objects = [0u64; MAX_DEPTH / 64];
    let mut depth = 0usize;
    let mut at = start;
    'value: loop {
        at = match *bytes.get(at)? {
            b'"' => string_end(bytes, at)?.0,
            open @ (b'{' | b'[') => {
                at = skip_space(bytes, at + 1);
                let close = if open == b'{' { b'}' } else { b']' };
                if bytes.get(at) == Some(&close) {
                    at + 1
                } else {
                    if depth == MAX_DEPTH {
                        return None;
                    }
                    let bit = 1 << (depth % 64);
                    if open == b'{' {
                        objects[depth / 64] |= bit;
                        at = key_and_colon(bytes, at)?;
                    } else {
                        objects[depth / 64] &= !bit;
                    }
                    depth += 1;
                    continue 'value;
                }
            }
            b't' => literal_end(bytes, at, b"true")?,
            b'f' => literal_end(bytes, at, b"false")?,
            b'n' => literal_end(bytes, at, b"null")?,
            _ => number_end(bytes, at)?,
        };
        // A value ended at `at`: what follows is a comma or the end of the enclosing brackets.
        loop {
            let Some(level) = depth.checked_sub(1) else { return Some(at) };
            let in_object = objects[level / 64] & (1 << (level % 64)) != 0;
            at = skip_space(bytes, at);
            match *bytes.get(at)? {
                b',' => {
                    at = skip_space(bytes, at + 1);
                    if in_object {
                        at = key_and_colon(bytes, at)?;
                    }
                    continue 'value;
                }
                b'}' if in_object => {}
                b']' if !in_object => {}
                _ => return None,
            }
            depth = level;
            at += 1;
        }
    }
}

/// Walks the object that starts at `start` (white space before it allowed) in `text`, text the
/// streaming pass has already checked: `member` gets each key and where its value starts, and says
/// where that value ends. Where the object ends; `None` when the text is not such an object, a key
/// has an escape (its name would need unescaping) or `member` gives up. Keys are only found, not
/// checked again: on text that is not well formed the answer means nothing, but this never panics.
pub(crate) fn each_member<'a>(
    text: &'a str,
    start: usize,
    mut member: impl FnMut(&'a str, usize) -> Option<usize>,
) -> Option<usize> {
    walk_object::<false>(text.as_bytes(), start, |key, value| member(text.get(key)?, value))
}

/// The same over bytes that may not be UTF-8, checking the object's syntax and its keys as JSON
/// strings (not as UTF-8): `member` gets the range of each key's text, and checks its value.
pub(crate) fn each_key(
    bytes: &[u8],
    start: usize,
    member: impl FnMut(std::ops::Range<usize>, usize) -> Option<usize>,
) -> Option<usize> {
    walk_object::<true>(bytes, start, member)
}

/// [`each_member`] and [`each_key`]: with `CHECK_KEYS`, each key is checked as
/// [`value_end`] checks a string; without, only its closing quote is looked for (a backslash
/// before it is an escape: `None`).
fn walk_object<const CHECK_KEYS: bool>(
    bytes: &[u8],
    start: usize,
    mut member: impl FnMut(std::ops::Range<usize>, usize) -> Option<usize>,
) -> Option<usize> {
    let mut at = skip_space(bytes, start);
    if bytes.get(at) != Some(&b'{') {
        return None;
    }
    at = skip_space(bytes, at + 1);
    if bytes.get(at) == Some(&b'}') {
        return Some(at + 1);
    }
    loop {
        if bytes.get(at) != Some(&b'"') {
            return None;
        }
        let close = if CHECK_KEYS {
            match string_end(bytes, at)? {
                (_, true) => return None,
                (end, false) => end - 1,
            }
        } else {
            let close = plain_text_end::<false>(bytes, at + 1);
            if bytes.get(close) != Some(&b'"') {
                return None;
            }
            close
        };
        let key = at + 1..close;
        at = skip_space(bytes, close + 1);
        if bytes.get(at) != Some(&b':') {
            return None;
        }
        at = skip_space(bytes, member(key, skip_space(bytes, at + 1))?);
        match bytes.get(at) {
            Some(b',') => at = skip_space(bytes, at + 1),
            Some(b'}') => return Some(at + 1),
            _ => return None,
        }
    }
}

/// Walks the array that starts exactly at `start`: `element` gets where each element starts and
/// says where it ends. Where the array ends, or `None` as for [`each_member`].
pub(crate) fn each_element(
    bytes: &[u8],
    start: usize,
    mut element: impl FnMut(usize) -> Option<usize>,
) -> Option<usize> {
    if bytes.get(start) != Some(&b'[') {
        return None;
    }
    let mut at = skip_space(bytes, start + 1);
    if bytes.get(at) == Some(&b']') {
        return Some(at + 1);
    }
    loop {
        at = skip_space(bytes, element(at)?);
        match bytes.get(at) {
            Some(b',') => at = skip_space(bytes, at + 1),
            Some(b']') => return Some(at + 1),
            _ => return None,
        }
    }
}

/// A key at `at`, its colon and the white space after it: where the value starts.
fn key_and_colon(bytes: &[u8], at: usize) -> Option<usize> {
    if bytes.get(at) != Some(&b'"') {
        return None;
    }
    let at = skip_space(bytes, string_end(bytes, at)?.0);
    (bytes.get(at) == Some(&b':')).then(|| skip_space(bytes, at + 1))
}

/// Where the string whose opening quote is at `open` ends (past its closing quote), when its
/// escapes are JSON's and it holds no control character, as serde_json checks a string it skips;
/// and whether it has an escape.
#[inline(always)]
fn string_end(bytes: &[u8], open: usize) -> Option<(usize, bool)> {
    // Most strings have no escape: they end at the first byte the plain run stops at. Inlined
    // into each caller, that is a few instructions; a call cost more than the scan of a short
    // string (a quarter of this check's instructions went to saving and restoring registers).
    let at = plain_text_end::<true>(bytes, open + 1);
    match bytes.get(at) {
        Some(b'"') => Some((at + 1, false)),
        _ => escaped_string_end(bytes, at),
    }
}

/// The rest of [`string_end`] from `at`, a byte that is not a plain string's closing quote.
#[inline(never)]
fn escaped_string_end(bytes: &[u8], mut at: usize) -> Option<(usize, bool)> {
    loop {
        match *bytes.get(at)? {
            b'"' => return Some((at + 1, true)),
            b'\\' => match *bytes.get(at + 1)? {
                b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => at += 2,
                b'u' if bytes.get(at + 2..at + 6)?.iter().all(u8::is_ascii_hexdigit) => at += 6,
                _ => return None,
            },
            _ => return None,
        }
        at = plain_text_end::<true>(bytes, at);
    }
}

/// Where the run of string text that starts at `at` ends: the first quote or backslash (with
/// `CONTROL`, also the first control character) at or after `at`, or the end of `bytes`.
///
/// Strings are most of a plan's bytes and most are short (half under 16 bytes in the 100 MB plan):
/// sixteen bytes at a time with SSE2 (part of every x86_64) where sixteen are left, then eight
/// (SWAR), then one; memchr's set-up costs more than such a string.
#[inline(always)]
pub(crate) fn plain_text_end<const CONTROL: bool>(bytes: &[u8], mut at: usize) -> usize {
    #[cfg(target_arch = "x86_64")]
    while let Some(chunk) = bytes.get(at..at + 16) {
        use std::arch::x86_64::*;
        // SAFETY: SSE2 is part of x86_64 itself, so every machine this runs on has these
        // instructions; the load reads the sixteen bytes of `chunk`, with no alignment required.
        let mask = unsafe {
            let text = _mm_loadu_si128(chunk.as_ptr().cast());
            let mut found = _mm_or_si128(
                _mm_cmpeq_epi8(text, _mm_set1_epi8(b'"' as i8)),
                _mm_cmpeq_epi8(text, _mm_set1_epi8(b'\\' as i8)),
            );
            if CONTROL {
                // A byte below 0x20 is its own minimum with 0x1f (unsigned).
                found = _mm_or_si128(found, _mm_cmpeq_epi8(_mm_min_epu8(text, _mm_set1_epi8(0x1f)), text));
            }
            _mm_movemask_epi8(found)
        };
        if mask != 0 {
            return at + mask.trailing_zeros() as usize;
        }
        at += 16;
    }
    while let Some(chunk) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let mut found = has_byte(word, b'"') | has_byte(word, b'\\');
        if CONTROL {
            found |= word.wrapping_sub(ONES * 0x20) & !word & HIGH_BITS;
        }
        if found != 0 {
            return at + found.trailing_zeros() as usize / 8;
        }
        at += 8;
    }
    while let Some(&byte) = bytes.get(at) {
        if byte == b'"' || byte == b'\\' || (CONTROL && byte < 0x20) {
            break;
        }
        at += 1;
    }
    at
}

/// Where the number that starts at `start` ends, in JSON's grammar: `-`, then `0` or digits not
/// starting with `0`, then a fraction and an exponent, each with at least one digit.
fn number_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut at = start + usize::from(bytes.get(start) == Some(&b'-'));
    at = match bytes.get(at)? {
        // One leading zero only; serde_json refuses `01` even where nothing else could follow.
        b'0' if matches!(bytes.get(at + 1), Some(b'0'..=b'9')) => return None,
        b'0' => at + 1,
        b'1'..=b'9' => digits_end(bytes, at + 1),
        _ => return None,
    };
    if bytes.get(at) == Some(&b'.') {
        at = some_digits_end(bytes, at + 1)?;
    }
    if let Some(b'e' | b'E') = bytes.get(at) {
        at += 1;
        if let Some(b'+' | b'-') = bytes.get(at) {
            at += 1;
        }
        at = some_digits_end(bytes, at)?;
    }
    Some(at)
}

/// JSON's white space, as serde_json skips it. This runs between every two tokens (6% of the
/// instructions of a whole check as a loop): the two common cases, no white space (as Terraform
/// writes plans) and one space (as `json.dumps` does), are decided without one. Every byte above
/// the space is not white space.
#[inline(always)]
pub(crate) fn skip_space(bytes: &[u8], at: usize) -> usize {
    match bytes.get(at) {
        Some(&byte) if byte > b' ' => at,
        Some(b' ') if bytes.get(at + 1).is_some_and(|&next| next > b' ') => at + 1,
        _ => white_space_end(bytes, at),
    }
}

/// Where the run of JSON white space from `at` ends: `skip_space`'s loop for the rarer runs (line
/// breaks and indentation, two spaces or more), kept out of line so that its callers stay small.
#[inline(never)]
fn white_space_end(bytes: &[u8], mut at: usize) -> usize {
    while let Some(b' ' | b'\n' | b'\t' | b'\r') = bytes.get(at) {
        at += 1;
    }
    at
}

/// A one in each byte of a word, and each byte's high bit.
const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = ONES << 7;

/// A word with the high bit set in each byte of `word` equal to `byte`, at least in the lowest
/// such byte (higher bytes may be marked falsely, so only the lowest mark is read).
fn has_byte(word: u64, byte: u8) -> u64 {
    let x = word ^ (ONES * u64::from(byte));
    x.wrapping_sub(ONES) & !x & HIGH_BITS
}

fn digits_end(bytes: &[u8], mut at: usize) -> usize {
    while let Some(b'0'..=b'9') = bytes.get(at) {
        at += 1;
    }
    at
}

/// Where a run of at least one digit that starts at `at` ends.
fn some_digits_end(bytes: &[u8], at: usize) -> Option<usize> {
    let end = digits_end(bytes, at);
    (end > at).then_some(end)
}

fn literal_end(bytes: &[u8], at: usize, word: &[u8]) -> Option<usize> {
    (bytes.get(at..at + word.len())? == word).then_some(at + word.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::Deserialize;
    use serde_json::value::RawValue;

    /// Where serde_json, reading a value as the streaming pass reads an entry, ends the value at
    /// the start of `text`; `None` when it refuses it (or finds white space first).
    fn serde_end(text: &str) -> Option<usize> {
        let mut de = serde_json::Deserializer::from_str(text);
        let raw = <&RawValue>::deserialize(&mut de).ok()?;
        std::ptr::eq(raw.get().as_ptr(), text.as_ptr()).then(|| raw.get().len())
    }

    fn agree(text: &str) {
        assert_eq!(value_end(text.as_bytes(), 0), serde_end(text), "{text:?}");
    }

    /// White space of each kind and length between every two tokens, none included: the checking
    /// scan and the light one agree with serde_json whichever case `skip_space` decides.
    #[test]
    fn skips_white_space_runs_as_serde_json_does() {
        let tokens = [
            "{", "\"a\"", ":", "[", "1", ",", "\"b\"", ",", "{", "}", ",", "null", "]", ",", "\"c\"", ":", "true", "}",
        ];
        let runs = ["", " ", "  ", " \n", "\n", "\t", " \t ", "\r\n   ", "    "];
        for shift in 0..runs.len() {
            let mut text = String::new();
            for (i, token) in tokens.iter().enumerate() {
                if i > 0 {
                    text.push_str(runs[(i + shift) % runs.len()]);
                }
                text.push_str(token);
            }
            assert_eq!(value_end(text.as_bytes(), 0), Some(text.len()), "{text:?}");
            agree(&text);
            let (members, end) = crate::plan::members::object_members(&text, 0).unwrap();
            assert_eq!(end, text.len(), "{text:?}");
            let keys: Vec<&str> = members.iter().map(|(key, _)| key.as_ref()).collect();
            assert_eq!(keys, ["a", "c"], "{text:?}");
            assert_eq!(members[1].1, "true", "{text:?}");
        }
    }

    #[test]
    fn accepts_and_refuses_as_serde_json_does() {
        for text in [
            "0",
            "-0",
            "12",
            "-1.5e+3",
            "1E5",
            "0.25",
            "1e-0",
            "true",
            "false",
            "null",
            r#""""#,
            r#""a\"b\\/\b\f\n\r\t""#,
            r#""\u00e9\uD83D\uDE00""#,
            "\"é😀\"",
            "[]",
            "{}",
            " [ ] ",
            "[1,2]",
            "[ 1 , [ {} ] ]",
            r#"{"a":1,"b":{"c":[true,null]}}"#,
            r#"{ "a" : "}" , "b" : "]" }"#,
            "[1] x",
            "1 2",
            // Refused by both.
            "",
            " 1",
            "01",
            "-",
            "-a",
            "1.",
            "1.e3",
            "1e",
            "1e+",
            ".5",
            "+1",
            "tru",
            "nul",
            "True",
            "[1,]",
            "[,1]",
            "[1 2]",
            "{,}",
            r#"{"a"}"#,
            r#"{"a":}"#,
            r#"{"a" 1}"#,
            r#"{"a":1,}"#,
            "{1:2}",
            r#"{'a':1}"#,
            "[1}",
            r#"{"a":1]"#,
            "[",
            "{",
            r#"""#,
            r#""\x""#,
            r#""\u12g4""#,
            r#""\u12""#,
            "\"a\nb\"",
            "\"\u{1f}\"",
            "\"a\tb\"",
            r#""\"#,
            "[\"]",
            "NaN",
            "Infinity",
            "-Infinity",
            "[1,2",
            r#"{"a":[1,{"b":2]}}"#,
        ] {
            agree(text);
        }
    }

    #[test]
    fn walks_objects_and_arrays_checking_their_syntax() {
        let text = r#" { "a" : [1, 2] , "b":{} } "#;
        let mut keys = Vec::new();
        let end = each_member(text, 0, |key, at| {
            keys.push(key);
            value_end(text.as_bytes(), at)
        });
        assert_eq!((end, keys), (Some(text.len() - 1), vec!["a", "b"]));
        for bad in [r#"{"a":1,}"#, r#"{"a":1 "b":2}"#, r#"{"a\"":1}"#, r#"{"a":1"#, "[]", r#"{"a"1}"#] {
            assert_eq!(each_member(bad, 0, |_, at| value_end(bad.as_bytes(), at)), None, "{bad}");
            assert_eq!(each_key(bad.as_bytes(), 0, |_, at| value_end(bad.as_bytes(), at)), None, "{bad}");
        }
        // Only the checking walk looks inside keys; the other is for text already checked.
        let control = "{\"a\u{1}\":1}";
        assert_eq!(each_key(control.as_bytes(), 0, |_, at| value_end(control.as_bytes(), at)), None);
        assert_eq!(each_member(control, 0, |_, at| value_end(control.as_bytes(), at)), Some(control.len()));
        let text = "[1 , {\"x\":[]},\"]\" ]";
        let mut starts = Vec::new();
        let end = each_element(text.as_bytes(), 0, |at| {
            starts.push(at);
            value_end(text.as_bytes(), at)
        });
        assert_eq!((end, starts), (Some(text.len()), vec![1, 5, 14]));
        for bad in ["[1,]", "[1 2]", "[1", "{}", " []"] {
            assert_eq!(each_element(bad.as_bytes(), 0, |at| value_end(bad.as_bytes(), at)), None, "{bad}");
        }
    }

    #[test]
    fn leaves_nesting_deeper_than_its_limit_to_serde_json() {
        let deep = |n: usize| format!("{}1{}", "[".repeat(n), "]".repeat(n));
        assert_eq!(value_end(deep(MAX_DEPTH).as_bytes(), 0), Some(2 * MAX_DEPTH + 1));
        assert_eq!(value_end(deep(MAX_DEPTH + 1).as_bytes(), 0), None);
        assert_eq!(serde_end(&deep(MAX_DEPTH + 1)), Some(2 * MAX_DEPTH + 3));
        let objects = format!("{}1{}", r#"{"a":"#.repeat(100), "}".repeat(100));
        agree(&objects);
    }

    /// Pieces of JSON, right and wrong, to build text from.
    fn piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            " ",
            "\n",
            "\"",
            "\"k\"",
            "\"v\\\"\"",
            "\\",
            "\\u00",
            "\\n",
            "1",
            "0",
            "-",
            ".",
            "e",
            "E",
            "+",
            "5",
            "true",
            "fals",
            "null",
            "\"é\"",
            "\t",
            "\u{1}",
            "x",
            "\"a b c d e f g h\"",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

        /// Random pieces: mostly wrong, sometimes right; never a different answer from serde_json's.
        #[test]
        fn agrees_with_serde_json_on_any_text(pieces in prop::collection::vec(piece(), 0..24)) {
            let text = pieces.concat();
            prop_assert_eq!(value_end(text.as_bytes(), 0), serde_end(&text), "{:?}", text);
        }

        /// Sixteen, eight or one byte at a time, the plain run ends at the first quote, backslash or
        /// (with `CONTROL`) control character, wherever it falls: in which lane, before or after
        /// the last sixteen bytes.
        #[test]
        fn a_plain_run_ends_at_the_first_byte_that_stops_it(
            len in 0usize..80,
            from in 0usize..80,
            stops in prop::collection::vec((0usize..80, prop::sample::select(
                b"\"\\\x00\x01\x1f\x20\x7f\x80\xe9\xff".to_vec())), 0..4),
        ) {
            let mut bytes = vec![b'a'; len];
            for (at, byte) in stops {
                if let Some(slot) = bytes.get_mut(at) {
                    *slot = byte;
                }
            }
            let from = from.min(len);
            let naive = |control: bool| {
                bytes[from..].iter().position(|&b| b == b'"' || b == b'\\' || (control && b < 0x20)).map_or(len, |n| from + n)
            };
            prop_assert_eq!(plain_text_end::<true>(&bytes, from), naive(true), "{:?} from {}", bytes, from);
            prop_assert_eq!(plain_text_end::<false>(&bytes, from), naive(false), "{:?} from {}", bytes, from);
        }

        /// A real entry with one byte replaced, inserted or removed.
        #[test]
        fn agrees_with_serde_json_on_damaged_entries(at in 0usize..400, byte in prop::sample::select(
            b"{}[],:\"\\ 0123456789-+.eEtrufalsn\x01\x1fx".to_vec()), how in 0u8..3) {
            let entry = r#"{"address":"aws_security_group.web","type":"aws_security_group","change":{"actions":["update"],"before":{"ingress":[{"cidr_blocks":["10.0.0.0/8"],"from_port":22,"description":"a \"quoted\" \\ path\u00e9"}],"n":-1.5e-3},"after":{"ingress":[],"n":0,"ok":true,"none":null}}}"#;
            let mut bytes = entry.as_bytes().to_vec();
            let at = at % bytes.len();
            match how {
                0 => bytes[at] = byte,
                1 => bytes.insert(at, byte),
                _ => { bytes.remove(at); }
            }
            if let Ok(text) = std::str::from_utf8(&bytes) {
                prop_assert_eq!(value_end(text.as_bytes(), 0), serde_end(text), "{:?}", text);
            }
        }
    }
}
