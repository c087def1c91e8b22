//! The modes and versions of scanner output beyond each format's main form, each derived from a
//! real report in fixtures/reports: Trivy's k8s forms, VEX and ignore-file suppressions, licences,
//! schema versions and compliance reports; tfsec's passed and ignored checks; Gitleaks 7; Snyk
//! project lists; SARIF severity words; and raw severities that are only ever what the file says.

use std::path::PathBuf;

use plangate::scan::{read, ScanError, ScanReport, ScanSeverity};
use plangate::Limits;
use serde_json::{json, Value};

fn fixture(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/reports").join(name);
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn read_value(value: &Value) -> Result<ScanReport, ScanError> {
    read(value.to_string().as_bytes(), "report.json", None, &Limits::default())
}

fn severities(report: &ScanReport) -> Vec<&'static str> {
    report.findings.iter().map(|f| f.severity.as_str()).collect()
}

#[test]
fn every_trivy_k8s_form_reads_the_same_findings() {
    let all = fixture("defectdojo/trivy__kubernetes_cluster_scoped_resources.json");
    let expected = read_value(&all).unwrap();
    assert_eq!(severities(&expected), ["medium", "medium", "low"]);
    // The namespace is part of where a misconfiguration is, so two namespaces never merge.
    assert!(expected.findings.iter().any(|f| f.location == "default/Deployment/redis-follower:132"), "{expected:?}");
    let resources = all["Resources"].clone();
    // --report summary (`Findings`), and Trivy before 0.40 (`Vulnerabilities`/`Misconfigurations`).
    for form in [
        json!({"ClusterName": "kind-voc-lab", "Findings": resources}),
        json!({"ClusterName": "kind-voc-lab", "Vulnerabilities": [], "Misconfigurations": resources}),
    ] {
        let report = read_value(&form).unwrap();
        assert_eq!(report.format.name(), "trivy");
        assert_eq!(report.findings, expected.findings);
    }
}

#[test]
fn a_k8s_resource_trivy_could_not_scan_makes_the_report_partial() {
    let mut report = fixture("defectdojo/trivy__kubernetes_cluster_scoped_resources.json");
    report["Resources"][1]["Error"] = "failed to pull image: unauthorized".into();
    let err = read_value(&report).unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, ScanError::Partial { .. }), "{message}");
    assert!(
        message.contains("could not scan Deployment/redis-follower in namespace default ($.Resources[1].Error): failed to pull image"),
        "{message}"
    );
    report["Resources"][1]["Error"] = "".into();
    assert_eq!(read_value(&report).unwrap().findings.len(), 3, "an empty Error is no error");
}

#[test]
fn trivy_schema_versions_and_compliance_reports_it_cannot_gate_say_what_to_run() {
    let mut report = fixture("defectdojo/trivy__severity_prio.json");
    report["SchemaVersion"] = 3.into();
    let message = read_value(&report).unwrap_err().to_string();
    assert!(
        message.contains("cannot be gated: Trivy JSON schema 3: plangate reads schema 2 (Trivy 0.20 and later)"),
        "{message}"
    );
    let summary = json!({"ID": "k8s-nsa", "Title": "National Security Agency", "SummaryControls": [
        {"ID": "1.0", "Name": "Non-root containers", "Severity": "MEDIUM", "TotalFail": 3}]});
    let message = read_value(&summary).unwrap_err().to_string();
    assert!(
        message.contains("compliance report (--compliance)") && message.contains("without --compliance"),
        "{message}"
    );
}

#[test]
fn vex_and_ignore_file_suppressions_are_kept_suppressed_with_their_reason() {
    let mut report = fixture("defectdojo/trivy__severity_prio.json");
    let before = read_value(&report).unwrap();
    let vulnerability = report["Results"][0]["Vulnerabilities"][0].clone();
    let mut critical = vulnerability.clone();
    critical["VulnerabilityID"] = "CVE-2020-7598".into();
    critical["Severity"] = "CRITICAL".into();
    let modified = |status: &str, statement: &str| json!({"Type": "vulnerability", "Status": status, "Statement": statement, "Source": "app.openvex.json", "Finding": critical});
    report["Results"][0]["ExperimentalModifiedFindings"] = json!([
        modified("not_affected", "vulnerable_code_not_in_execute_path"),
        modified("fixed", ""),
        modified("ignored", "accepted until 2027"),
        // Not a status that says the finding does not apply: it counts.
        modified("under_investigation", "triage"),
    ]);
    let after = read_value(&report).unwrap();
    let added = &after.findings[before.findings.len()..];
    let reasons: Vec<Option<&str>> = added.iter().map(|f| f.suppressed.as_deref()).collect();
    assert_eq!(
        reasons,
        [
            Some("not_affected per app.openvex.json: vulnerable_code_not_in_execute_path"),
            Some("fixed per app.openvex.json"),
            Some("ignored per app.openvex.json: accepted until 2027"),
            None,
        ]
    );
    assert!(added.iter().all(|f| f.severity == ScanSeverity::Critical && f.rule == "CVE-2020-7598"));
    // A finding of a type Trivy does not define cannot be read as suppressed or not.
    report["Results"][0]["ExperimentalModifiedFindings"][0]["Type"] = "sbom".into();
    let message = read_value(&report).unwrap_err().to_string();
    assert!(
        message.contains(
            "ExperimentalModifiedFindings[0].Type: expected vulnerability, misconfiguration, secret or license"
        ),
        "{message}"
    );
}

#[test]
fn licences_are_findings_of_their_own_kind() {
    let report = read_value(&fixture("defectdojo/trivy__license_scheme.json")).unwrap();
    let first = &report.findings[0];
    assert_eq!(
        (first.rule.as_str(), first.title.as_str()),
        ("license/GPL-2.0", "restricted licence GPL-2.0 in alpine-baselayout")
    );
    assert_eq!(first.location, "alpine-baselayout in OS Packages");
    let loose = report.findings.last().unwrap();
    assert_eq!((loose.location.as_str(), loose.raw_severity.as_deref()), ("/etc/ssl/misc/tsget.pl", Some("LOW")));
    // The same licence in two packages is two findings.
    assert_eq!(report.findings.iter().filter(|f| f.rule == "license/GPL-2.0").count(), 7);
}

#[test]
fn tfsec_passed_checks_are_not_findings_and_ignored_ones_are_suppressed() {
    let mut report = fixture("defectdojo/tfsec__many_findings_current.json");
    let total = report["results"].as_array().unwrap().len();
    report["results"][0]["status"] = "passed".into();
    report["results"][1]["status"] = "ignored".into();
    report["results"][2]["passed"] = true.into();
    report["results"][3]["passed"] = false.into();
    let read = read_value(&report).unwrap();
    assert_eq!(read.findings.len(), total - 2);
    let suppressed: Vec<_> = read.findings.iter().filter_map(|f| f.suppressed.as_deref()).collect();
    assert_eq!(suppressed, ["ignored by tfsec (an ignore comment or the tfsec configuration excludes it)"]);
    report["results"][4]["status"] = 1.into();
    let message = read_value(&report).unwrap_err().to_string();
    assert!(
        message.contains("at $.results[4].status: expected \"failed\", \"passed\" or \"ignored\", found the number 1"),
        "{message}"
    );
}

#[test]
fn gitleaks_7_leaks_are_read_and_their_secrets_never_copied() {
    let leaks = fixture("defectdojo/gitleaks__version_7.5.0.json");
    let report = read_value(&leaks).unwrap();
    let first = &report.findings[0];
    assert_eq!(first.rule, "AWS Access Key");
    assert_eq!(
        first.location,
        "dojo/unittests/scans/gitlab_secret_detection_report/gitlab_secret_detection_report_1_vuln.json:13"
    );
    // No severity in the file: high, and no raw severity invented for it.
    assert!(report.findings.iter().all(|f| f.severity == ScanSeverity::High && f.raw_severity.is_none()));
    let shown = serde_json::to_string(&report).unwrap();
    assert!(!shown.contains("AKIAIOSFODNN7EXAMPLE") && !shown.contains("BEGIN OPENSSH"), "{shown}");
    // The same leak in two commits is two findings.
    assert_eq!(report.findings.iter().map(|f| &f.fingerprint).collect::<std::collections::BTreeSet<_>>().len(), 8);
}

#[test]
fn snyk_project_lists_and_container_applications() {
    let mut projects = fixture("defectdojo/snyk__all-projects_one_vuln.json");
    let vulnerability = projects[0]["vulnerabilities"][0].clone();
    // A container project whose applications were tested too.
    projects[1]["applications"] = json!([{"vulnerabilities": [vulnerability], "packageManager": "npm", "ok": false}]);
    let report = read_value(&projects).unwrap();
    assert_eq!(severities(&report), ["medium", "medium"]);
    projects[2]["error"] = "Could not detect supported target files".into();
    let err = read_value(&projects).unwrap_err();
    assert!(
        matches!(err, ScanError::ScannerFailed { .. }) && err.to_string().contains("$[2]: Could not detect"),
        "{err}"
    );
    projects[2] = json!("not a project");
    assert!(read_value(&projects).unwrap_err().to_string().contains("at $[2]: expected a Snyk project object"));
}

#[test]
fn sarif_severity_words_map_like_the_bands_of_numbers() {
    let mut sarif = fixture("grype/TestSarifPresenter_image.golden");
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap().len();
    let words = ["CRITICAL", "High", "moderate", "low", "spicy", "NaN"];
    for i in 0..rules {
        sarif["runs"][0]["tool"]["driver"]["rules"][i]["properties"]["security-severity"] =
            words[i % words.len()].into();
    }
    let report = read_value(&sarif).unwrap();
    let expected: Vec<&str> = (0..report.findings.len())
        .map(|i| ["critical", "high", "medium", "low", "unknown", "unknown"][i % words.len()])
        .collect();
    assert_eq!(severities(&report), expected);
    assert_eq!(report.findings[0].raw_severity.as_deref(), Some("security-severity CRITICAL"));
}

#[test]
fn a_raw_severity_is_only_ever_what_the_file_says() {
    // Wiz public keys and certificates without a severity are low, with no raw severity.
    let report = read_value(&fixture("defectdojo/wizcli_iac__wizcli_iac_many_vul.json")).unwrap();
    let public: Vec<_> =
        report.findings.iter().filter(|f| f.rule.contains("PUBLIC") || f.rule.contains("CERTIFICATE")).collect();
    assert!(!public.is_empty());
    assert!(public.iter().all(|f| f.severity == ScanSeverity::Low && f.raw_severity.is_none()), "{public:?}");
    // A SARIF result with neither a score nor a level is SARIF's default, warning: medium, no raw.
    let sarif = json!({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "t"}}, "results": [{"ruleId": "r", "message": {"text": "m"}}]}]});
    let finding = &read_value(&sarif).unwrap().findings[0];
    assert_eq!((finding.severity, finding.raw_severity.as_deref()), (ScanSeverity::Medium, None));
}
