//! One renderer per output format. Renderers only arrange what the report holds; untrusted plan
//! text (addresses, names) is escaped for each format where it is written.

mod ci;
mod github;
mod json;
mod markdown;
mod run;
mod sarif;
mod text;

pub use github::MAX_PER_KIND as MAX_ANNOTATIONS_PER_KIND;
pub use markdown::MAX_BYTES as MAX_MARKDOWN_BYTES;
pub use run::render_run;

use super::Report;
pub use crate::format::{Format, UnknownFormat};

/// What a renderer needs besides the report.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RenderOptions {
    /// The plan as the user named it: SARIF's artifact and the annotations' file.
    pub plan_label: String,
    /// Show notices and drift in the text report.
    pub verbose: bool,
    /// The most bytes (of UTF-8) the Markdown report may have: lower-risk sections are cut first, and
    /// the report says what it left out.
    pub max_bytes: usize,
    /// Where the Markdown links a finding's `file:line`: a URL template with `{path}` and
    /// `{line}` (the file at the reviewed commit on the provider's site).
    pub source_url: Option<String>,
}

impl RenderOptions {
    /// Options naming the plan `plan_label`, verbose.
    pub fn new(plan_label: impl Into<String>) -> RenderOptions {
        RenderOptions { plan_label: plan_label.into(), verbose: true, max_bytes: MAX_MARKDOWN_BYTES, source_url: None }
    }

    /// The same, with the Markdown report held to `max_bytes` bytes.
    pub fn max_bytes(mut self, max_bytes: usize) -> RenderOptions {
        self.max_bytes = max_bytes;
        self
    }

    /// The same, linking `file:line` through `template` (`{path}`, `{line}`).
    pub fn source_url(mut self, template: Option<String>) -> RenderOptions {
        self.source_url = template;
        self
    }

    /// The same, showing notices and drift in the text report or not.
    pub fn verbose(mut self, verbose: bool) -> RenderOptions {
        self.verbose = verbose;
        self
    }
}

/// Writes the report straight to `out`: the JSON and SARIF reports, which grow with the plan, are
/// streamed rather than built in memory first.
pub fn write(
    report: &Report,
    format: Format,
    options: &RenderOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Json => json::write(report, out),
        Format::Sarif => sarif::write(report, options, out),
        _ => out.write_all(render(report, format, options).as_bytes()),
    }
}

/// The report in `format`, as text.
pub fn render(report: &Report, format: Format, options: &RenderOptions) -> String {
    match format {
        Format::Text => text::render(report, options),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report, options),
        Format::Markdown => markdown::render(
            report,
            markdown::Layout {
                source_url: options.source_url.as_deref(),
                ..markdown::Layout::alone(options.max_bytes)
            },
        ),
        Format::Github => github::render(report, options),
        Format::Gitlab | Format::GitlabTerraform | Format::AzureDevops | Format::Junit => {
            ci::render(report, format, options)
        }
    }
}
