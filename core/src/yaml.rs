//! Reading YAML files of the configuration's family (the configuration, suppressions files) with
//! errors that name the origin, the dotted key path, the line and the column.

use std::path::Path;

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
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io { path: origin.clone(), source })?;
    Ok((text, origin))
}

/// Parses YAML into `T`; `None` for a document with no content (empty, or comments only). Errors
/// name the origin, the dotted key path, the line and the column.
pub(crate) fn parse_yaml<T: serde::de::DeserializeOwned>(text: &str, origin: &str) -> Result<Option<T>, ConfigError> {
    if text.lines().all(|line| line.trim().is_empty() || line.trim_start().starts_with('#')) {
        return Ok(None);
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
