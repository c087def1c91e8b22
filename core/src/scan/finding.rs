//! A scanner finding, normalized: the same fields whatever the scanner, with the raw severity kept.
//! Findings never carry secret values (Gitleaks' `Secret`, Trivy's `Match`): only where they are.

use serde::{Deserialize, Serialize};

use crate::fingerprint::fingerprint;

/// Normalized severity, ordered `Unknown < Info < Low < Medium < High < Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
#[allow(missing_docs)] // The severity words every scanner uses.
pub enum ScanSeverity {
    Unknown,
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl ScanSeverity {
    /// Every severity, worst first.
    pub const ALL: [ScanSeverity; 6] = [
        ScanSeverity::Critical,
        ScanSeverity::High,
        ScanSeverity::Medium,
        ScanSeverity::Low,
        ScanSeverity::Info,
        ScanSeverity::Unknown,
    ];

    /// Reads a scanner's severity word, whatever its case.
    pub fn parse(raw: &str) -> ScanSeverity {
        match raw.trim().to_ascii_lowercase().as_str() {
            "critical" | "blocker" => ScanSeverity::Critical,
            "high" | "error" | "major" => ScanSeverity::High,
            "medium" | "moderate" | "warning" => ScanSeverity::Medium,
            "low" | "minor" | "note" => ScanSeverity::Low,
            "info" | "informational" | "information" | "negligible" | "trace" => ScanSeverity::Info,
            _ => ScanSeverity::Unknown,
        }
    }

    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            ScanSeverity::Critical => "critical",
            ScanSeverity::High => "high",
            ScanSeverity::Medium => "medium",
            ScanSeverity::Low => "low",
            ScanSeverity::Info => "info",
            ScanSeverity::Unknown => "unknown",
        }
    }
}

/// One scanner finding.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ScanFinding {
    /// The scanner's rule, check or vulnerability id.
    pub rule: String,
    /// One line saying what was found (never a secret value).
    pub title: String,
    /// The normalized severity; `unknown` becomes the gate's `unknown_severity_as` once judged.
    pub severity: ScanSeverity,
    /// The severity as the scanner wrote it.
    pub raw_severity: Option<String>,
    /// The scanner format, e.g. `trivy`.
    pub source: String,
    /// The tool that found it: the format's scanner, or for SARIF the run's `tool.driver.name`.
    pub tool: String,
    /// The report file it came from.
    pub file: String,
    /// Where the problem is: a path with a line, a package, a resource.
    pub location: String,
    /// Stable across runs and, for vulnerabilities, across scanners (id + package + version).
    pub fingerprint: String,
    /// Suppressed in the report itself (SARIF accepted suppressions) or by a suppressions file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<String>,
}

/// Builds findings for one report with the fields every parser fills the same way.
pub(crate) struct FindingBuilder<'a> {
    pub source: &'static str,
    pub file: &'a str,
    /// The findings limit, for parsers that turn counts into findings.
    pub max_findings: u64,
}

impl FindingBuilder<'_> {
    /// A finding; `identity` are the parts that name the same problem in the next run.
    pub fn finding(
        &self,
        rule: &str,
        title: &str,
        raw_severity: Option<&str>,
        location: String,
        identity: &[&str],
    ) -> ScanFinding {
        ScanFinding {
            rule: rule.to_string(),
            title: title.chars().filter(|c| !c.is_control()).take(300).collect(),
            severity: raw_severity.map_or(ScanSeverity::Unknown, ScanSeverity::parse),
            raw_severity: raw_severity.map(str::to_owned),
            source: self.source.to_string(),
            tool: self.source.to_string(),
            file: self.file.to_string(),
            location,
            fingerprint: fingerprint(identity),
            suppressed: None,
        }
    }

    /// A vulnerability in a package: the same CVE in the same package version is one problem,
    /// whichever scanner saw it.
    pub fn vulnerability(
        &self,
        id: &str,
        title: &str,
        raw_severity: Option<&str>,
        package: &str,
        version: &str,
    ) -> ScanFinding {
        let location = if version.is_empty() { package.to_string() } else { format!("{package}@{version}") };
        self.finding(id, title, raw_severity, location, &["vulnerability", id, package, version])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_words() {
        assert_eq!(ScanSeverity::parse("INFORMATIONAL"), ScanSeverity::Info);
        assert_eq!(ScanSeverity::parse("Moderate"), ScanSeverity::Medium);
        assert_eq!(ScanSeverity::parse("CRITICAL"), ScanSeverity::Critical);
        assert_eq!(ScanSeverity::parse("spicy"), ScanSeverity::Unknown);
        assert!(ScanSeverity::Critical > ScanSeverity::High && ScanSeverity::Info > ScanSeverity::Unknown);
    }
}
