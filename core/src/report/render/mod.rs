//! One renderer per output format. Renderers only arrange what the report holds; untrusted plan
//! text (addresses, names) is escaped for each format where it is written.

pub mod github;
pub mod json;
pub mod markdown;
pub mod sarif;
pub mod text;

use std::fmt;
use std::str::FromStr;

use serde::Deserialize;

use super::Report;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Text,
    Json,
    Sarif,
    Markdown,
    Github,
}

impl Format {
    pub const ALL: [Format; 5] = [Format::Text, Format::Json, Format::Sarif, Format::Markdown, Format::Github];

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
    type Err = String;
    fn from_str(s: &str) -> Result<Format, String> {
        Format::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown output format {s:?}: expected text, json, sarif, markdown or github"))
    }
}

/// What a renderer needs besides the report.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// The plan as the user named it: SARIF's artifact and the annotations' file.
    pub plan_label: String,
    /// Show notices and drift in the text report.
    pub verbose: bool,
}

/// Writes the report straight to `out`: the JSON report, which grows with the plan, is streamed
/// rather than built in memory first.
pub fn write(
    report: &Report,
    format: Format,
    options: &RenderOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Json => json::write(report, out),
        _ => out.write_all(render(report, format, options).as_bytes()),
    }
}

pub fn render(report: &Report, format: Format, options: &RenderOptions) -> String {
    match format {
        Format::Text => text::render(report, options),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report, options),
        Format::Markdown => markdown::render(report),
        Format::Github => github::render(report, options),
    }
}
