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
    /// GitLab Code Quality JSON (`artifacts:reports:codequality`).
    Gitlab,
    /// GitLab's Terraform report, the counts its merge-request widget shows
    /// (`artifacts:reports:terraform`); for plans only.
    #[serde(rename = "gitlab-terraform")]
    GitlabTerraform,
    /// Azure Pipelines logging commands (`##vso[task.logissue]`).
    #[serde(rename = "azure-devops")]
    AzureDevops,
    /// JUnit XML, which every CI shows as test results.
    Junit,
}

/// An output format name that is not one of [`Format::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown output format {found:?}: expected text, json, sarif, markdown, github, gitlab, gitlab-terraform, azure-devops or junit"
)]
pub struct UnknownFormat {
    /// The name that was given.
    pub found: String,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 9] = [
        Format::Text,
        Format::Json,
        Format::Sarif,
        Format::Markdown,
        Format::Github,
        Format::Gitlab,
        Format::GitlabTerraform,
        Format::AzureDevops,
        Format::Junit,
    ];

    /// The format's name, as `-f` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Markdown => "markdown",
            Format::Github => "github",
            Format::Gitlab => "gitlab",
            Format::GitlabTerraform => "gitlab-terraform",
            Format::AzureDevops => "azure-devops",
            Format::Junit => "junit",
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
