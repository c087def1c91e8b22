//! One renderer per output format for the result of a scan.

pub(crate) mod ci;
mod github;
mod markdown;
mod sarif;
mod text;

pub(crate) use github::annotate;
pub use sarif::{SarifLimits, GITHUB_LIMITS};

use super::ScanOutcome;
use crate::format::Format;

/// The scan's result in `format`.
pub fn render(outcome: &ScanOutcome, format: Format) -> String {
    match format {
        Format::Text => text::render(outcome),
        // The outcome is plain data (strings, numbers, enums); serializing it cannot fail.
        Format::Json => serde_json::to_string_pretty(outcome).unwrap_or_default() + "\n",
        Format::Sarif => sarif::render(outcome, &GITHUB_LIMITS),
        Format::Markdown => markdown::render(outcome),
        Format::Github => github::render(outcome),
        Format::Gitlab => crate::ci_reports::code_quality(&ci::issues(outcome)),
        Format::AzureDevops => crate::ci_reports::azure_devops(&ci::issues(outcome), &ci::summary(outcome)),
        Format::Junit => crate::ci_reports::junit(&[crate::ci_reports::Suite {
            name: "plangate scan",
            issues: ci::issues(outcome),
            error: None,
        }]),
        // Counts of resource changes say nothing of a scan (the command line refuses it): the
        // outcome as JSON rather than numbers that would mean nothing.
        Format::GitlabTerraform => render(outcome, Format::Json),
    }
}
