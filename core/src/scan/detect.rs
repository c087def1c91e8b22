//! Which scanner wrote a report, from its content: each format has keys no other has.

use serde_json::Value;

use super::Problem;

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
        DETECTION_ORDER
            .into_iter()
            .filter(|f| *f != ReportFormat::EmptyNull)
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }
}

/// Written as its name.
impl serde::Serialize for ReportFormat {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// The order detection tries the formats in: a document that fits several (`null` is a clean
/// report of Trivy and Gitleaks as well as the empty report) goes to the first.
const DETECTION_ORDER: [ReportFormat; 14] = [
    ReportFormat::EmptyNull,
    ReportFormat::Sarif,
    ReportFormat::Wiz,
    ReportFormat::SeekerStatus,
    ReportFormat::Trivy,
    ReportFormat::Checkov,
    ReportFormat::Grype,
    ReportFormat::Snyk,
    ReportFormat::Semgrep,
    ReportFormat::Kics,
    ReportFormat::Tfsec,
    ReportFormat::Gitleaks,
    ReportFormat::SeekerVulnerabilities,
    ReportFormat::Issues,
];

/// The format of a parsed report, or `None` when nothing recognizes it.
pub(crate) fn detect(value: &Value) -> Option<ReportFormat> {
    if value.as_array().is_some_and(Vec::is_empty) {
        return None;
    }
    DETECTION_ORDER.into_iter().find(|format| fits(*format, value))
}

/// A report read as the format the user forced must have that format's shape, tested exactly as
/// detection tests it: otherwise `--format trivy` would read `{}`, or a Grype report, as clean.
pub(crate) fn check_forced(format: ReportFormat, value: &Value) -> Result<(), Problem> {
    if fits(format, value) {
        Ok(())
    } else {
        Err(Problem::shape("$", shape(format), value))
    }
}

/// What a report of `format` looks like at its top level, for messages.
fn shape(format: ReportFormat) -> &'static str {
    match format {
        ReportFormat::Wiz => "a Wiz CLI report: an object with `result` and `status.verdict` or `status.state`",
        ReportFormat::SeekerVulnerabilities => {
            "a Seeker vulnerabilities export: a list of objects with `ItemKey`, or `Severity` and `Status`"
        }
        ReportFormat::SeekerStatus => "a Seeker project status: an object with `projectStatus`",
        ReportFormat::Sarif => "a SARIF log: an object with `runs` and `version` \"2.1.0\" or `$schema`",
        ReportFormat::Trivy => {
            "a Trivy report: an object with `SchemaVersion` and `Results` or `ArtifactName`; a `trivy k8s` report \
             (`ClusterName` with `Resources`, `Findings`, `Vulnerabilities` or `Misconfigurations`); a compliance \
             report; a list of results with `Target` (Trivy before 0.20); or null"
        }
        ReportFormat::Checkov => {
            "a Checkov report: an object (or a list of them) with `check_type` and `results` or `summary`, or the \
             summary-only object with `checkov_version`, `passed` and `failed`"
        }
        ReportFormat::Grype => "a Grype report: an object with `matches` and `descriptor` or `source`",
        ReportFormat::Snyk => {
            "a Snyk Open Source or container report: an object (or, with --all-projects, a list of them) with \
             `vulnerabilities` and `packageManager`, `projectName` or `ok`"
        }
        ReportFormat::Semgrep => "a Semgrep report: an object with `results` and `errors`",
        ReportFormat::Kics => "a KICS report: an object with `queries` and `total_counter` or `severity_counters`",
        ReportFormat::Tfsec => "a tfsec report: an object whose only key is `results`",
        ReportFormat::Gitleaks => {
            "a Gitleaks report: a list of leaks with `RuleID` and `File` (Gitleaks 8) or `rule` with `offender` or \
             `line` (Gitleaks 7 and earlier), or null"
        }
        ReportFormat::Issues => "an object with an `issues` list",
        ReportFormat::EmptyNull => "null",
    }
}

/// Whether `value` has the top-level shape of `format`: the keys that format has and no other.
fn fits(format: ReportFormat, value: &Value) -> bool {
    let has = |key: &str| value.get(key).is_some();
    let first = value.as_array().and_then(|items| items.first());
    let first_has = |keys: &[&str]| first.is_some_and(|f| keys.iter().all(|k| f.get(k).is_some()));
    let first_has_any = |keys: &[&str]| first.is_some_and(|f| keys.iter().any(|k| f.get(k).is_some()));
    // An empty list is a clean report of a format whose list holds findings, never of one whose list
    // holds projects or frameworks; detection, which cannot tell which, leaves it to `--format`.
    let empty_list = value.as_array().is_some_and(Vec::is_empty);
    match format {
        ReportFormat::EmptyNull => value.is_null(),
        ReportFormat::Sarif => {
            has("runs") && (has("$schema") || value.get("version").and_then(Value::as_str) == Some("2.1.0"))
        }
        ReportFormat::Wiz => {
            has("result") && value.get("status").is_some_and(|s| s.get("verdict").is_some() || s.get("state").is_some())
        }
        ReportFormat::SeekerStatus => has("projectStatus"),
        ReportFormat::Trivy => {
            value.is_null()
                || has("SchemaVersion") && (has("Results") || has("ArtifactName"))
                || has("ClusterName")
                    && (has("Resources") || has("Findings") || has("Vulnerabilities") || has("Misconfigurations"))
                || has("SummaryControls")
                || has("ID") && has("Title") && has("Results") && has("RelatedResources")
                || first_has(&["Target"])
                    && first_has_any(&["Vulnerabilities", "Misconfigurations", "Secrets", "Type", "Class"])
        }
        ReportFormat::Checkov => {
            has("check_type") && (has("results") || has("summary"))
                || has("checkov_version") && has("failed") && has("passed")
                || first_has(&["check_type"]) && first_has_any(&["results", "summary"])
        }
        ReportFormat::Grype => has("matches") && (has("descriptor") || has("source")),
        ReportFormat::Snyk => {
            has("vulnerabilities") && (has("packageManager") || has("projectName") || has("ok"))
                || first_has(&["vulnerabilities"]) && first_has_any(&["packageManager", "projectName", "ok"])
        }
        ReportFormat::Semgrep => has("results") && has("errors"),
        ReportFormat::Kics => has("queries") && (has("total_counter") || has("severity_counters")),
        ReportFormat::Tfsec => has("results") && value.as_object().is_some_and(|m| m.len() == 1),
        ReportFormat::Gitleaks => {
            value.is_null()
                || empty_list
                || first_has(&["RuleID", "File"])
                || first_has(&["rule"]) && first_has_any(&["offender", "line", "lineNumber"])
        }
        ReportFormat::SeekerVulnerabilities => {
            empty_list || first_has(&["ItemKey"]) || first_has(&["Severity", "Status"])
        }
        ReportFormat::Issues => value.get("issues").is_some_and(Value::is_array),
    }
}
