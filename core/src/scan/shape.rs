//! Checking the shape of a report as it is read, so that every error names the JSON path, what
//! was expected and what was found.

use serde_json::Value;

use super::ScanError;

/// Why a report cannot be used, before the file and format are attached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Shape { path: String, expected: String, found: String },
    ScannerFailed(String),
    Partial(String),
    Unsupported(String),
}

impl Problem {
    pub fn shape(path: &str, expected: &str, found: &Value) -> Problem {
        Problem::Shape { path: path.to_string(), expected: expected.to_string(), found: describe(found) }
    }

    pub fn into_error(self, file: &str, format: &'static str) -> ScanError {
        match self {
            Problem::Shape { path, expected, found } => {
                ScanError::Shape { file: file.into(), format, path, expected, found }
            }
            Problem::ScannerFailed(detail) => ScanError::ScannerFailed { file: file.into(), format, detail },
            Problem::Partial(detail) => ScanError::Partial { file: file.into(), format, detail },
            Problem::Unsupported(detail) => ScanError::Unsupported { file: file.into(), format, detail },
        }
    }
}

/// A short description of a JSON value for messages: its type, and the keys of an object.
pub fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(_) => "a string".into(),
        Value::Array(items) => format!("a list of {}", items.len()),
        Value::Object(map) => {
            let keys: Vec<String> = map.keys().take(6).map(|k| format!("`{k}`")).collect();
            let more = if map.len() > 6 { ", …" } else { "" };
            format!("an object with keys {}{more}", keys.join(", "))
        }
    }
}

/// The list of objects at `key`; absent or `null` is an empty list. An element that is not an
/// object (`[null]`) is an error, never a finding skipped.
pub fn list<'v>(value: &'v Value, key: &str, path: &str) -> Result<&'v [Value], Problem> {
    match value.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) => objects(items, &format!("{path}.{key}")),
        Some(other) => Err(Problem::shape(&format!("{path}.{key}"), "a list", other)),
    }
}

/// The list of objects at `key`, which must be present.
pub fn required_list<'v>(value: &'v Value, key: &str, path: &str) -> Result<&'v [Value], Problem> {
    match value.get(key) {
        Some(Value::Array(items)) => objects(items, &format!("{path}.{key}")),
        Some(other) => Err(Problem::shape(&format!("{path}.{key}"), "a list", other)),
        None => Err(Problem::shape(&format!("{path}.{key}"), "a list", &Value::Null)),
    }
}

fn objects<'v>(items: &'v [Value], path: &str) -> Result<&'v [Value], Problem> {
    match items.iter().position(|item| !item.is_object()) {
        Some(i) => Err(Problem::shape(&format!("{path}[{i}]"), "an object", &items[i])),
        None => Ok(items),
    }
}

/// A counter at `key`: absent or `null` is 0; otherwise a whole number of zero or more (or such a
/// number in a string). Anything else (`2.5`, `-1`, `"many"`, `true`) is an error: a counter that
/// cannot be read is never taken as zero.
pub fn count(value: &Value, key: &str, path: &str) -> Result<u64, Problem> {
    let found = match value.get(key) {
        None | Some(Value::Null) => return Ok(0),
        Some(found) => found,
    };
    let n = match found {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse::<u64>().ok(),
        _ => None,
    };
    n.ok_or_else(|| Problem::shape(&format!("{path}.{key}"), "a whole number of zero or more", found))
}

/// The string at `key`, if it is one.
pub fn text<'v>(value: &'v Value, key: &str) -> Option<&'v str> {
    value.get(key).and_then(Value::as_str)
}

/// The string at a path of keys, if it is one.
pub fn text_at<'v>(value: &'v Value, keys: &[&str]) -> Option<&'v str> {
    keys.iter().try_fold(value, |v, k| v.get(k)).and_then(Value::as_str)
}

/// A number or numeric string at `key`, for line numbers (counters use [`count`]).
pub fn number(value: &Value, key: &str) -> Option<i64> {
    match value.get(key)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// "file:line", or the file alone.
pub fn at_line(file: &str, line: Option<i64>) -> String {
    match line {
        Some(line) if line > 0 => format!("{file}:{line}"),
        _ => file.to_string(),
    }
}
