//! The output formats every report can be written in. Plan reports and scan results share them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Format {
    /// The layout of the pipeline script plangate replaces.
    Text,
    /// The JSON report (the pipelines' contract).
    Json,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
    /// A pull-request comment.
    Markdown,
    /// GitHub Actions workflow-command annotations.
    Github,
}

/// An output format name that is not one of [`Format::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown output format {found:?}: expected text, json, sarif, markdown or github")]
pub struct UnknownFormat {
    /// The name that was given.
    pub found: String,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 5] = [Format::Text, Format::Json, Format::Sarif, Format::Markdown, Format::Github];

    /// The format's name, as `-f` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Markdown => "markdown",
            Format::Github => "github",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = UnknownFormat;
    fn from_str(s: &str) -> Result<Format, UnknownFormat> {
        Format::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownFormat { found: s.into() })
    }
}
