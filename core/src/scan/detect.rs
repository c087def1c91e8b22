//! Which scanner wrote a report, from its content: each format has keys no other has.

use serde_json::Value;

/// A scanner report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[allow(missing_docs)] // Each is named after its scanner.
pub enum ReportFormat {
    Wiz,
    SeekerVulnerabilities,
    SeekerStatus,
    Sarif,
    Trivy,
    Checkov,
    Grype,
    Snyk,
    Semgrep,
    Kics,
    Tfsec,
    Gitleaks,
    Issues,
    /// The literal `null`: what Trivy (legacy) and Gitleaks write when they find nothing.
    EmptyNull,
}

impl ReportFormat {
    /// The names `--format` takes.
    pub const NAMES: [&'static str; 13] = [
        "wiz",
        "seeker",
        "seeker-status",
        "sarif",
        "trivy",
        "checkov",
        "grype",
        "snyk",
        "semgrep",
        "kics",
        "tfsec",
        "gitleaks",
        "issues",
    ];

    /// The format's name.
    pub fn name(self) -> &'static str {
        match self {
            ReportFormat::Wiz => "wiz",
            ReportFormat::SeekerVulnerabilities => "seeker",
            ReportFormat::SeekerStatus => "seeker-status",
            ReportFormat::Sarif => "sarif",
            ReportFormat::Trivy => "trivy",
            ReportFormat::Checkov => "checkov",
            ReportFormat::Grype => "grype",
            ReportFormat::Snyk => "snyk",
            ReportFormat::Semgrep => "semgrep",
            ReportFormat::Kics => "kics",
            ReportFormat::Tfsec => "tfsec",
            ReportFormat::Gitleaks => "gitleaks",
            ReportFormat::Issues => "issues",
            ReportFormat::EmptyNull => "empty (null)",
        }
    }

    /// The format a `--format` name stands for.
    pub fn from_name(name: &str) -> Option<ReportFormat> {
        let all = [
            ReportFormat::Wiz,
            ReportFormat::SeekerVulnerabilities,
            ReportFormat::SeekerStatus,
            ReportFormat::Sarif,
            ReportFormat::Trivy,
            ReportFormat::Checkov,
            ReportFormat::Grype,
            ReportFormat::Snyk,
            ReportFormat::Semgrep,
            ReportFormat::Kics,
            ReportFormat::Tfsec,
            ReportFormat::Gitleaks,
            ReportFormat::Issues,
        ];
        all.into_iter().find(|f| f.name().eq_ignore_ascii_case(name))
    }
}

/// Written as its name.
impl serde::Serialize for ReportFormat {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// The format of a parsed report, or `None` when nothing recognizes it.
pub(crate) fn detect(value: &Value) -> Option<ReportFormat> {
    let has = |key: &str| value.get(key).is_some();
    match value {
        Value::Null => Some(ReportFormat::EmptyNull),
        Value::Array(items) => {
            let first = items.first()?;
            if first.get("RuleID").is_some() && first.get("File").is_some() {
                Some(ReportFormat::Gitleaks)
            } else if first.get("ItemKey").is_some()
                || (first.get("Severity").is_some() && first.get("Status").is_some())
            {
                Some(ReportFormat::SeekerVulnerabilities)
            } else if first.get("check_type").is_some()
                && (first.get("results").is_some() || first.get("summary").is_some())
            {
                Some(ReportFormat::Checkov)
            } else {
                None
            }
        }
        Value::Object(_) => {
            if has("runs") && (has("$schema") || value.get("version").and_then(Value::as_str) == Some("2.1.0")) {
                Some(ReportFormat::Sarif)
            } else if has("result")
                && value.get("status").is_some_and(|s| s.get("verdict").is_some() || s.get("state").is_some())
            {
                Some(ReportFormat::Wiz)
            } else if has("projectStatus") {
                Some(ReportFormat::SeekerStatus)
            } else if has("SchemaVersion") && (has("Results") || has("ArtifactName")) {
                Some(ReportFormat::Trivy)
            } else if has("check_type") && (has("results") || has("summary"))
                || (has("checkov_version") && has("failed") && has("passed"))
            {
                Some(ReportFormat::Checkov)
            } else if has("matches") && (has("descriptor") || has("source")) {
                Some(ReportFormat::Grype)
            } else if has("vulnerabilities") && (has("packageManager") || has("projectName") || has("ok")) {
                Some(ReportFormat::Snyk)
            } else if has("results") && has("errors") {
                Some(ReportFormat::Semgrep)
            } else if has("queries") && (has("total_counter") || has("severity_counters")) {
                Some(ReportFormat::Kics)
            } else if has("results") && value.as_object().is_some_and(|m| m.len() == 1) {
                Some(ReportFormat::Tfsec)
            } else if value.get("issues").is_some_and(Value::is_array) {
                Some(ReportFormat::Issues)
            } else {
                None
            }
        }
        _ => None,
    }
}
