//! One parser per report format. Each turns a parsed report into normalized findings (and the
//! scanner's own verdict where it gives one), or a [`Problem`] naming the JSON path.

mod checkov;
mod gitleaks;
mod grype;
mod issues;
mod kics;
mod sarif;
mod seeker;
mod semgrep;
mod snyk;
mod tfsec;
mod trivy;
mod wiz;

use serde_json::Value;

use super::detect::ReportFormat;
use super::{FindingBuilder, Problem, ScanFinding, ScannerVerdict};

/// What a parser reads from a report.
#[derive(Debug, Default)]
pub struct Parsed {
    pub findings: Vec<ScanFinding>,
    pub verdict: Option<ScannerVerdict>,
}

impl Parsed {
    pub fn findings(findings: Vec<ScanFinding>) -> Parsed {
        Parsed { findings, verdict: None }
    }
}

pub fn parse(format: ReportFormat, value: &Value, b: &FindingBuilder) -> Result<Parsed, Problem> {
    match format {
        ReportFormat::EmptyNull => Ok(Parsed::default()),
        ReportFormat::Wiz => wiz::parse(value, b),
        ReportFormat::SeekerVulnerabilities => seeker::vulnerabilities(value, b),
        ReportFormat::SeekerStatus => seeker::status(value),
        ReportFormat::Sarif => sarif::parse(value, b),
        ReportFormat::Trivy => trivy::parse(value, b),
        ReportFormat::Checkov => checkov::parse(value, b),
        ReportFormat::Grype => grype::parse(value, b),
        ReportFormat::Snyk => snyk::parse(value, b),
        ReportFormat::Semgrep => semgrep::parse(value, b),
        ReportFormat::Kics => kics::parse(value, b),
        ReportFormat::Tfsec => tfsec::parse(value, b),
        ReportFormat::Gitleaks => gitleaks::parse(value, b),
        ReportFormat::Issues => issues::parse(value, b),
    }
}
