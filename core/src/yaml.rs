//! Reading YAML files of the configuration's family (the configuration, suppressions files) with
//! errors that name the origin, the dotted key path, the line and the column.

use std::path::Path;

use crate::limits::{Bound, FileError, Limits};

/// A configuration that cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file cannot be read.
    #[error("cannot read configuration file {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file is larger than the file size limit.
    #[error("cannot read configuration file {path}: it is larger than {limit}")]
    TooLarge {
        /// The file.
        path: String,
        /// The limit and how to raise it.
        limit: String,
    },
    /// The text is not a valid configuration.
    #[error("invalid configuration {origin}{}: {}{message}", at(*line, *column), key.as_deref().map(|k| format!("{k}: ")).unwrap_or_default())]
    Invalid {
        /// The file path, or the preset, the text came from.
        origin: String,
        /// The dotted path of the key at fault (`thresholds.critical_changes`), when known.
        key: Option<String>,
        /// 1-based line of the fault, when known.
        line: Option<usize>,
        /// 1-based column of the fault, when known.
        column: Option<usize>,
        /// What is wrong: what was expected and what was found.
        message: String,
    },
    /// `--env` names no preset.
    #[error("unknown environment {name:?}: expected develop (or dev), staging, or production (or prod)")]
    UnknownEnvironment {
        /// The name that was given.
        name: String,
    },
}

fn at(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(line), Some(column)) => format!(" at line {line}, column {column}"),
        (Some(line), None) => format!(" at line {line}"),
        _ => String::new(),
    }
}

/// Reads a YAML file of the configuration's family (a configuration, a suppressions file), saying
/// which file could not be read.
pub(crate) fn read_text(path: &Path) -> Result<(String, String), ConfigError> {
    let origin = path.display().to_string();
    let text = Limits::from_env().unwrap_or_default().read_text(path, Bound::FileBytes).map_err(|e| match e {
        FileError::Io(source) => ConfigError::Io { path: origin.clone(), source },
        FileError::TooLarge(limit) => ConfigError::TooLarge { path: origin.clone(), limit },
    })?;
    Ok((text, origin))
}

/// Parses YAML into `T`; `None` for a document with no content (empty, or comments only). Errors
/// name the origin, the dotted key path, the line and the column.
pub(crate) fn parse_yaml<T: serde::de::DeserializeOwned>(text: &str, origin: &str) -> Result<Option<T>, ConfigError> {
    if text.lines().all(|line| line.trim().is_empty() || line.trim_start().starts_with('#')) {
        return Ok(None);
    }
    // A `PLANGATE_MAX_*` variable that holds no limit is reported by the checks that read input;
    // here it must not stand in the way of the built-in presets, so the default applies.
    let limits = Limits::from_env().unwrap_or_default();
    if let Some(line) = deeper_than(text, limits.max_yaml_depth) {
        return Err(ConfigError::Invalid {
            origin: origin.to_string(),
            key: None,
            line: Some(line),
            column: None,
            message: format!("nested deeper than {}", limits.exceeded(Bound::YamlDepth)),
        });
    }
    let deserializer = serde_yaml_ng::Deserializer::from_str(text);
    serde_path_to_error::deserialize(deserializer).map(Some).map_err(|e| {
        let path = e.path().to_string();
        let key = (path != "." && !path.is_empty()).then_some(path);
        let inner = e.into_inner();
        let location = inner.location();
        let full = inner.to_string();
        // serde_yaml_ng appends " at line L column C", and may prefix its own part of the key path:
        // the fields say both better.
        let message = full.rfind(" at line ").map_or(full.as_str(), |i| &full[..i]);
        let message = match (message.split_once(": "), &key) {
            (Some((prefix, rest)), Some(key)) if key.starts_with(prefix) => rest,
            _ => message,
        }
        .to_string();
        ConfigError::Invalid {
            origin: origin.to_string(),
            key,
            line: location.as_ref().map(|l| l.line()),
            column: location.as_ref().map(|l| l.column()),
            message,
        }
    })
}

/// The first line (1-based) at which `text` nests deeper than `max`, judged before parsing: the YAML
/// parser's time grows with the square of the depth, so a hostile file of a few megabytes would
/// take minutes. Each indentation level, each `- ` and each open `[` or `{` (outside quotes and
/// comments) counts one; the count may exceed the real depth by a little (block scalars), never
/// fall short of it.
fn deeper_than(text: &str, max: u64) -> Option<usize> {
    let mut indents: Vec<usize> = Vec::new();
    let mut flow: u64 = 0;
    for (n, line) in text.lines().enumerate() {
        let content = line.trim_start_matches(' ');
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = line.len() - content.len();
        if flow == 0 {
            while indents.last().is_some_and(|top| *top >= indent) {
                indents.pop();
            }
            indents.push(indent);
        }
        let mut dashes = 0u64;
        let mut rest = content;
        while let Some(after) = rest.strip_prefix("- ").or_else(|| (rest == "-").then_some("")) {
            dashes += 1;
            rest = after.trim_start_matches(' ');
        }
        let mut line_max = flow;
        let mut quote: Option<char> = None;
        for c in rest.chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '#') => break,
                (None, '[' | '{') => {
                    flow += 1;
                    line_max = line_max.max(flow);
                }
                (None, ']' | '}') => flow = flow.saturating_sub(1),
                _ => {}
            }
        }
        if indents.len() as u64 + dashes + line_max > max {
            return Some(n + 1);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_is_bounded_before_parsing() {
        let flow = format!("a: {}1{}", "[".repeat(200), "]".repeat(200));
        assert_eq!(deeper_than(&flow, 128), Some(1));
        let block: String = (0..200).map(|i| format!("{}k{i}:\n", " ".repeat(i))).collect();
        assert_eq!(deeper_than(&block, 128), Some(129), "line 129 is the 129th level");
        let dashes = format!("a:\n  {}x\n", "- ".repeat(200));
        assert_eq!(deeper_than(&dashes, 128), Some(2));
        let ordinary = "gate:\n  fail_on: high\nrules:\n  PG-DEL-001: {severity: critical}  # [[[[\n  x: \"[[[\"\n";
        assert_eq!(deeper_than(ordinary, 128), None);
        assert_eq!((deeper_than(ordinary, 3), deeper_than(ordinary, 2)), (None, Some(4)));
        let hostile = format!("{}{}", "[".repeat(80_000), "]".repeat(80_000));
        let err = parse_yaml::<serde_yaml_ng::Value>(&hostile, "x.yaml").unwrap_err().to_string();
        assert!(err.contains("nested deeper than the YAML nesting depth limit of 128"), "{err}");
    }
}
