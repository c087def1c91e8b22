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

/// The list at `key`; absent or `null` is an empty list.
pub fn list<'v>(value: &'v Value, key: &str, path: &str) -> Result<&'v [Value], Problem> {
    match value.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(other) => Err(Problem::shape(&format!("{path}.{key}"), "a list", other)),
    }
}

/// The list at `key`, which must be present.
pub fn required_list<'v>(value: &'v Value, key: &str, path: &str) -> Result<&'v [Value], Problem> {
    match value.get(key) {
        Some(Value::Array(items)) => Ok(items),
        Some(other) => Err(Problem::shape(&format!("{path}.{key}"), "a list", other)),
        None => Err(Problem::shape(&format!("{path}.{key}"), "a list", &Value::Null)),
    }
}

/// The string at `key`, if it is one.
pub fn text<'v>(value: &'v Value, key: &str) -> Option<&'v str> {
    value.get(key).and_then(Value::as_str)
}

/// The string at a path of keys, if it is one.
pub fn text_at<'v>(value: &'v Value, keys: &[&str]) -> Option<&'v str> {
    keys.iter().try_fold(value, |v, k| v.get(k)).and_then(Value::as_str)
}

/// A number or numeric string at `key`, for line numbers and counters.
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
