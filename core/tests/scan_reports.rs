//! Every real report in fixtures/reports: its status, counts and the gate's exit code; the broken,
//! truncated and unknown cases derived from them; and the gate's suppressions, baseline,
//! deduplication and score.

use std::collections::BTreeMap;
use std::path::PathBuf;

use plangate::scan::{
    read, read_file, Baseline, GateConfig, ReportFormat, ScanError, ScanOptions, ScanOutcome, ScanReport, ScanSeverity,
    Suppression,
};
use plangate::{Date, Limits};
use proptest::prelude::*;

fn path(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/reports").join(name).to_string_lossy().into_owned()
}

fn today() -> Date {
    Date::parse("2026-11-26").unwrap()
}

/// The gate over `reports` as of [`today`].
fn judge(reports: &[ScanReport], gate: &GateConfig, suppressions: &[Suppression], baseline: &Baseline) -> ScanOutcome {
    let mut options = ScanOptions::new(gate.clone());
    options.suppressions = suppressions.to_vec();
    options.baseline = baseline.clone();
    options.today = Some(today());
    plangate::scan::judge(reports, &options)
}

fn counts(report: &ScanReport) -> BTreeMap<&'static str, usize> {
    let mut counts = BTreeMap::new();
    for f in &report.findings {
        *counts.entry(f.severity.as_str()).or_insert(0) += 1;
    }
    counts
}

/// (file, format, findings by severity, exit code with `--fail-on critical` (the default), exit code
/// with `--fail-on high`)
type Case = (&'static str, &'static str, &'static [(&'static str, usize)], u8, u8);
const VALID: &[Case] = &[
    ("defectdojo/wizcli_iac__wizcli_iac_one_vul.json", "wiz", &[("high", 1)], 0, 1),
    // 4 of its secrets are public keys or certificates: low, not high.
    (
        "defectdojo/wizcli_iac__wizcli_iac_many_vul.json",
        "wiz",
        &[("high", 13), ("medium", 5), ("low", 6), ("info", 1)],
        0,
        1,
    ),
    ("defectdojo/wizcli_img__wizcli_img_many_vul.json", "wiz", &[("high", 3), ("medium", 4), ("low", 2)], 0, 1),
    ("defectdojo/wizcli_dir__wizcli_dir_one_vul.json", "wiz", &[("medium", 1)], 0, 0),
    (
        "defectdojo/trivy__misconfigurations_and_secrets.json",
        "trivy",
        &[("critical", 2), ("high", 2), ("medium", 1)],
        1,
        1,
    ),
    ("defectdojo/trivy__scheme_2_no_vuln.json", "trivy", &[], 0, 0),
    ("defectdojo/trivy__severity_prio.json", "trivy", &[("critical", 1), ("low", 1)], 1, 1),
    ("defectdojo/trivy__legacy_no_vuln.json", "empty (null)", &[], 0, 0),
    ("defectdojo/checkov__checkov-report-1-vuln.json", "checkov", &[("unknown", 1)], 0, 1),
    ("defectdojo/checkov__checkov2-report-0-vuln.json", "checkov", &[], 0, 0),
    ("defectdojo/checkov__checkov-report-severity.json", "checkov", &[("high", 1), ("medium", 2), ("low", 1)], 0, 1),
    ("defectdojo/anchore_grype__no_vuln.json", "grype", &[], 0, 0),
    ("grype/TestJsonImgsPresenter.golden", "grype", &[("critical", 1), ("low", 1)], 1, 1),
    ("grype/TestEmptyJsonPresenter.golden", "grype", &[], 0, 0),
    ("grype/TestSarifPresenter_image.golden", "sarif", &[("high", 2)], 0, 1),
    ("defectdojo/sarif__suppression_test.sarif", "sarif", &[("medium", 5)], 0, 0),
    ("defectdojo/sarif__SuppressionTestCurrent.sarif", "sarif", &[("medium", 4)], 0, 0),
    ("defectdojo/sarif__no_runs.sarif", "sarif", &[], 0, 0),
    ("defectdojo/sarif__appendix_k1.sarif", "sarif", &[], 0, 0),
    ("defectdojo/sarif__blackduck_nested_fingerprints.sarif", "sarif", &[("high", 3), ("medium", 1), ("low", 1)], 0, 1),
    ("codeql-action/valid-sarif.sarif", "sarif", &[("low", 3)], 0, 0),
    ("codeql-action/empty-sarif.sarif", "sarif", &[], 0, 0),
    ("codeql-action/with-invalid-uri.sarif", "sarif", &[("medium", 1)], 0, 0),
    ("codeql-action/fingerprinting.input.sarif", "sarif", &[("medium", 2)], 0, 0),
    ("codeql-action/fingerprinting.expected.sarif", "sarif", &[("medium", 2)], 0, 0),
    ("defectdojo/gitleaks__gitleaks8_many.json", "gitleaks", &[("high", 4)], 0, 1),
    ("defectdojo/gitleaks__no_findings.json", "empty (null)", &[], 0, 0),
    ("defectdojo/kics__many_findings.json", "kics", &[("high", 5), ("medium", 5), ("low", 8)], 0, 1),
    ("defectdojo/kics__no_findings.json", "kics", &[], 0, 0),
    (
        "defectdojo/tfsec__many_findings_current.json",
        "tfsec",
        &[("critical", 14), ("high", 3), ("medium", 1), ("low", 1)],
        1,
        1,
    ),
    ("defectdojo/tfsec__no_findings.json", "tfsec", &[], 0, 0),
    ("defectdojo/snyk__single_project_one_vuln.json", "snyk", &[("medium", 1)], 0, 0),
    ("defectdojo/semgrep__high-medium-low-severities.json", "semgrep", &[("low", 3)], 0, 0),
    ("defectdojo/semgrep__empty.json", "semgrep", &[], 0, 0),
    // Snyk --all-projects: a list of three projects, one with a vulnerability.
    ("defectdojo/snyk__all-projects_one_vuln.json", "snyk", &[("medium", 1)], 0, 0),
    // trivy k8s --report all (Resources), cluster-scoped resources without a namespace.
    ("defectdojo/trivy__kubernetes_cluster_scoped_resources.json", "trivy", &[("medium", 2), ("low", 1)], 0, 0),
    // Trivy before 0.20: a bare list of results; the first vulnerability has no id and no severity.
    ("defectdojo/trivy__legacy_trivy_mix.json", "trivy", &[("high", 6), ("unknown", 1)], 0, 1),
    // Trivy licence results: 19 licences, their severities from Trivy's licence policy.
    ("defectdojo/trivy__license_scheme.json", "trivy", &[("high", 7), ("medium", 1), ("low", 11)], 0, 1),
    // Gitleaks 7.5: eight leaks across two commits; a leak has no severity in the file: high.
    ("defectdojo/gitleaks__version_7.5.0.json", "gitleaks", &[("high", 8)], 0, 1),
    // tfsec before 1.0: `"passed": false` is a failure, its WARNING a medium.
    ("defectdojo/tfsec__one_finding_legacy.json", "tfsec", &[("medium", 1)], 0, 0),
];

#[test]
fn every_valid_report_reads_with_its_counts_and_gate() {
    let mut failures = Vec::new();
    for (file, format, expected, exit_critical, exit_high) in VALID {
        let report = match read_file(path(file), None, &Limits::default()) {
            Ok(report) => report,
            Err(e) => {
                failures.push(format!("{file}: {e}"));
                continue;
            }
        };
        let expected: BTreeMap<&str, usize> = expected.iter().copied().collect();
        if report.format.name() != *format || counts(&report) != expected {
            failures.push(format!(
                "{file}: {} {:?}, expected {format} {expected:?}",
                report.format.name(),
                counts(&report)
            ));
        }
        for (fail_on, exit) in [(ScanSeverity::Critical, exit_critical), (ScanSeverity::High, exit_high)] {
            let gate = GateConfig { fail_on: Some(fail_on), ..GateConfig::default() };
            let outcome = judge(std::slice::from_ref(&report), &gate, &[], &Baseline::default());
            if outcome.exit_code != *exit {
                failures.push(format!(
                    "{file} --fail-on {}: exit {} ({:?}), expected {exit}",
                    fail_on.as_str(),
                    outcome.exit_code,
                    outcome.reasons
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Every format `--format` can force.
fn forceable() -> impl Iterator<Item = ReportFormat> {
    ReportFormat::NAMES.iter().map(|name| ReportFormat::from_name(name).unwrap())
}

#[test]
fn a_forced_format_reads_its_own_reports_as_detection_does_and_refuses_every_other() {
    let limits = Limits::default();
    let mut failures = Vec::new();
    for (file, ..) in VALID {
        let bytes = std::fs::read(path(file)).unwrap();
        let detected = read(&bytes, file, None, &limits).unwrap();
        for forced in forceable() {
            // `null` is what legacy Trivy and Gitleaks write when they find nothing.
            let own = forced == detected.format
                || detected.format.name() == "empty (null)" && ["trivy", "gitleaks"].contains(&forced.name());
            match (read(&bytes, file, Some(forced), &limits), own) {
                (Ok(report), true) if report.findings == detected.findings && report.verdict == detected.verdict => {}
                (Err(ScanError::Shape { path, .. }), false) if path == "$" => {}
                (result, _) => failures.push(format!("{file} --format {}: {result:?}", forced.name())),
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn a_forced_format_refuses_what_the_issue_saw_it_pass() {
    let limits = Limits::default();
    let grype = std::fs::read(path("grype/TestJsonImgsPresenter.golden")).unwrap();
    for forced in ["trivy", "checkov", "tfsec", "snyk", "kics", "semgrep", "wiz", "sarif"] {
        for document in [b"{}".as_slice(), b"[]", b"[{}]", b"{\"results\": [], \"x\": 1}", &grype] {
            let err = read(document, "r.json", ReportFormat::from_name(forced), &limits).unwrap_err();
            let message = err.to_string();
            assert!(
                matches!(err, ScanError::Shape { .. }) && message.contains("at $: expected a"),
                "--format {forced}: {message}"
            );
        }
    }
    // A list whose first element is a Seeker vulnerability and whose second is anything else.
    let list = br#"[{"ItemKey": "k", "Severity": "High", "Status": "Detected"}, {"x": 1}]"#;
    let err = read(list, "seeker.json", ReportFormat::from_name("seeker"), &limits).unwrap_err().to_string();
    assert!(err.contains("at $[1]: expected a Seeker vulnerability"), "{err}");
    let err = read(br#"[1, 2]"#, "seeker.json", ReportFormat::from_name("seeker"), &limits).unwrap_err().to_string();
    assert!(err.contains("at $: expected a Seeker vulnerabilities export"), "{err}");
    // What the message says: the format, the path, what was expected and what was found.
    let err = read(&grype, "grype.json", ReportFormat::from_name("trivy"), &limits).unwrap_err().to_string();
    assert!(
        err.starts_with("grype.json (trivy) at $: expected a Trivy report")
            && err.contains("found an object with keys `descriptor`, `distro`, `matches`"),
        "{err}"
    );
    // An empty list is a clean report only where the format's list holds findings.
    assert!(read(b"[]", "leaks.json", ReportFormat::from_name("gitleaks"), &limits).unwrap().findings.is_empty());
    assert!(matches!(read(b"[]", "x.json", None, &limits), Err(ScanError::Unrecognized { .. })));
}

#[test]
fn every_report_file_is_in_a_table() {
    let invalid = ["codeql-action/invalid-sarif.sarif"];
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/reports");
    for dir in ["defectdojo", "grype", "codeql-action"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let name = format!("{dir}/{}", entry.unwrap().file_name().to_string_lossy());
            if name.contains("LICENSE") || name.ends_with(".md") {
                continue;
            }
            assert!(VALID.iter().any(|v| v.0 == name) || invalid.contains(&name.as_str()), "{name} is in no table");
        }
    }
}

#[test]
fn invalid_reports_name_the_path_and_what_was_found() {
    let err = read_file(path("codeql-action/invalid-sarif.sarif"), None, &Limits::default()).unwrap_err().to_string();
    assert!(err.contains("at $.runs[0].results: expected a list of results, found the number 42"), "{err}");
}

#[test]
fn broken_truncated_failed_partial_and_unknown_reports_are_errors() {
    let trivy = std::fs::read(path("defectdojo/trivy__misconfigurations_and_secrets.json")).unwrap();
    let truncated = read(&trivy[..trivy.len() / 2], "cut.json", None, &Limits::default()).unwrap_err();
    assert!(
        matches!(truncated, ScanError::Syntax { .. }) && truncated.to_string().contains("cut short"),
        "{truncated}"
    );
    let wrapped = [b"[command]/usr/bin/trivy image x\n".as_slice(), &trivy].concat();
    assert!(matches!(read(&wrapped, "wrapped.json", None, &Limits::default()), Err(ScanError::Syntax { .. })));
    let unknown = read(br#"{"findings": [{"sev": "critical"}]}"#, "other.json", None, &Limits::default()).unwrap_err();
    assert!(
        matches!(unknown, ScanError::Unrecognized { .. }) && unknown.to_string().contains("`findings`"),
        "{unknown}"
    );
    assert!(matches!(read(b"", "empty.json", None, &Limits::default()), Err(ScanError::Unrecognized { .. })));
    let failed_wiz = r#"{"id":"x","status":{"state":"FAILED","verdict":"FAILED_BY_POLICY"},"result":{}}"#;
    assert!(matches!(
        read(failed_wiz.as_bytes(), "wiz.json", None, &Limits::default()),
        Err(ScanError::ScannerFailed { .. })
    ));
    let failed_sarif = r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":null}]}"#;
    assert!(matches!(
        read(failed_sarif.as_bytes(), "x.sarif", None, &Limits::default()),
        Err(ScanError::ScannerFailed { .. })
    ));
    // The real report's findings, then `Results` again, empty: the report most JSON readers (the
    // last value wins) would read as clean.
    let text = String::from_utf8(trivy.clone()).unwrap();
    let end = text.rfind('}').unwrap();
    let twice = format!("{}, \"Results\": []}}", &text[..end].trim_end());
    let err = read(twice.as_bytes(), "twice.json", None, &Limits::default()).unwrap_err();
    assert!(matches!(err, ScanError::Syntax { .. }) && err.to_string().contains("`Results` is written twice"), "{err}");
    let partial = r#"{"results":[],"errors":[{"message":"Timeout when running rule foo"}]}"#;
    let err = read(partial.as_bytes(), "semgrep.json", None, &Limits::default()).unwrap_err();
    assert!(matches!(err, ScanError::Partial { .. }) && err.to_string().contains("Timeout"), "{err}");
}

#[test]
fn a_wiz_report_the_old_jq_filter_passes_fails_the_gate() {
    // The pipelines ran `jq -r '.issues[] | select(.severity == "critical") | .title'`: a Wiz report
    // has no `.issues`, so that prints nothing and passes whatever the report holds.
    let mut report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(path("defectdojo/wizcli_img__wizcli_img_many_vul.json")).unwrap())
            .unwrap();
    assert!(report.get("issues").is_none());
    report["result"]["osPackages"][0]["vulnerabilities"][0]["severity"] = "CRITICAL".into();
    let report = read(report.to_string().as_bytes(), "wiz.json", None, &Limits::default()).unwrap();
    let config = GateConfig { fail_on: Some(ScanSeverity::Critical), ..GateConfig::default() };
    let outcome = judge(&[report], &config, &[], &Baseline::default());
    assert_eq!(outcome.exit_code, 1, "{:?}", outcome.reasons);
    // 1 critical, 3 high, 4 medium, 1 low (the promoted vulnerability was one of the two lows).
    assert_eq!(outcome.score, 100 - 25 - 30 - 12 - 1);
    let failed_verdict = read(
        br#"{"status":{"state":"SUCCESS","verdict":"FAILED_BY_POLICY"},"result":{}}"#,
        "w.json",
        None,
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(
        judge(&[failed_verdict], &GateConfig::default(), &[], &Baseline::default()).exit_code,
        1,
        "the scanner's own verdict fails the gate"
    );
}

#[test]
fn suppressions_baseline_duplicates_and_unknown_severities() {
    let trivy =
        read_file(path("defectdojo/trivy__misconfigurations_and_secrets.json"), None, &Limits::default()).unwrap();
    let secret = trivy.findings.iter().find(|f| f.severity == ScanSeverity::Critical).unwrap().clone();
    let suppress = |expires: &str| Suppression {
        rule: secret.rule.clone(),
        location: None,
        fingerprint: None,
        reason: "test token, revoked".into(),
        expires: Date::parse(expires).unwrap(),
    };
    let outcome =
        judge(std::slice::from_ref(&trivy), &GateConfig::default(), &[suppress("2026-12-31")], &Baseline::default());
    assert_eq!((outcome.exit_code, outcome.counts.critical), (0, 0), "{:?}", outcome.reasons);
    let outcome =
        judge(std::slice::from_ref(&trivy), &GateConfig::default(), &[suppress("2026-01-01")], &Baseline::default());
    assert_eq!(outcome.exit_code, 1, "an expired suppression no longer applies");
    assert_eq!(outcome.expired_suppressions.len(), 1);

    let baseline = Baseline::from_fingerprints(trivy.findings.iter().map(|f| f.fingerprint.clone()));
    let outcome = judge(std::slice::from_ref(&trivy), &GateConfig::default(), &[], &baseline);
    assert_eq!(
        (outcome.exit_code, outcome.counts.critical, outcome.new_counts.critical),
        (0, 2, 0),
        "only new findings fail"
    );

    let outcome = judge(&[trivy.clone(), trivy], &GateConfig::default(), &[], &Baseline::default());
    assert_eq!((outcome.duplicates_removed, outcome.findings.len()), (5, 5));

    let checkov = read_file(path("defectdojo/checkov__checkov-report-1-vuln.json"), None, &Limits::default()).unwrap();
    let strict = GateConfig { fail_on: Some(ScanSeverity::High), ..GateConfig::default() };
    assert_eq!(
        judge(std::slice::from_ref(&checkov), &strict, &[], &Baseline::default()).exit_code,
        1,
        "unknown counts as high by default"
    );
    let lenient = GateConfig { unknown_severity_as: Some(ScanSeverity::Low), ..strict };
    assert_eq!(judge(&[checkov], &lenient, &[], &Baseline::default()).exit_code, 0);

    let kics = read_file(path("defectdojo/kics__many_findings.json"), None, &Limits::default()).unwrap();
    let capped = GateConfig { max: [(ScanSeverity::Medium, 4)].into(), ..GateConfig::default() };
    let outcome = judge(&[kics], &capped, &[], &Baseline::default());
    assert_eq!(outcome.reasons, ["5 new medium findings (allowed: 4)"]);
}

#[test]
fn scan_outcomes_read_back_into_the_same_value() {
    let reports: Vec<ScanReport> =
        VALID.iter().map(|(file, ..)| read_file(path(file), None, &Limits::default()).unwrap()).collect();
    let outcome = judge(&reports, &GateConfig::default(), &[], &Baseline::default());
    let json = plangate::scan::render(&outcome, plangate::Format::Json);
    let read_back: ScanOutcome = serde_json::from_str(&json).unwrap();
    assert_eq!(read_back, outcome);
    assert!(outcome.findings.len() > 50, "a real outcome: {}", outcome.findings.len());
}

#[test]
fn a_baseline_leaves_out_what_was_suppressed_when_it_was_written() {
    let trivy =
        read_file(path("defectdojo/trivy__misconfigurations_and_secrets.json"), None, &Limits::default()).unwrap();
    let secret = trivy.findings.iter().find(|f| f.severity == ScanSeverity::Critical).unwrap().clone();
    let suppression = Suppression {
        rule: secret.rule.clone(),
        location: None,
        fingerprint: None,
        reason: "rotated".into(),
        expires: Date::parse("2026-12-31").unwrap(),
    };
    let written = judge(std::slice::from_ref(&trivy), &GateConfig::default(), &[suppression], &Baseline::default());
    assert_eq!(written.exit_code, 0);
    let json = plangate::scan::render(&written, plangate::Format::Json);
    let baseline = Baseline::from_json(&json, "baseline.json").unwrap();
    // The suppression has expired: the finding it hid must fail the gate again.
    let later = judge(std::slice::from_ref(&trivy), &GateConfig::default(), &[], &baseline);
    assert_eq!(later.exit_code, 1, "{:?}", later.reasons);
}

#[test]
fn vulnerabilities_deduplicate_across_scanners() {
    let grype = read(br#"{"matches":[{"vulnerability":{"id":"CVE-2021-33503","severity":"High"},"artifact":{"name":"urllib3","version":"1.26.3"}}],"source":{},"descriptor":{}}"#, "grype.json", None, &Limits::default()).unwrap();
    let trivy =
        read_file(path("defectdojo/trivy__misconfigurations_and_secrets.json"), None, &Limits::default()).unwrap();
    let outcome = judge(&[trivy, grype], &GateConfig::default(), &[], &Baseline::default());
    assert_eq!(outcome.duplicates_removed, 1, "the same CVE in the same package version is one finding");
}

#[test]
fn secrets_never_reach_a_finding() {
    let raw = std::fs::read_to_string(path("defectdojo/gitleaks__gitleaks8_many.json")).unwrap();
    let leaks: serde_json::Value = serde_json::from_str(&raw).unwrap();
    let report = read(raw.as_bytes(), "gitleaks.json", None, &Limits::default()).unwrap();
    let shown = serde_json::to_string(&report).unwrap();
    for leak in leaks.as_array().unwrap() {
        let secret = leak["Secret"].as_str().unwrap();
        assert!(secret.len() < 4 || !shown.contains(secret), "a gitleaks secret reached the findings");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_bytes_parse_or_error_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = read(&bytes, "fuzz.json", None, &Limits::default());
    }

    #[test]
    fn any_json_in_a_known_envelope_parses_or_errors(value in prop_oneof![Just(serde_json::json!(null)), Just(serde_json::json!(1)), Just(serde_json::json!("x")), Just(serde_json::json!([1, {"a": null}])), Just(serde_json::json!({"x": [1]}))]) {
        for envelope in [
            serde_json::json!({"SchemaVersion": 2, "Results": value}),
            serde_json::json!({"version": "2.1.0", "runs": [{"results": value}]}),
            serde_json::json!({"status": {"state": "SUCCESS"}, "result": {"ruleMatches": value, "osPackages": value}}),
            serde_json::json!({"results": value, "errors": []}),
            serde_json::json!({"queries": value, "total_counter": 0}),
            serde_json::json!({"matches": value, "descriptor": {}}),
            serde_json::json!({"issues": value}),
            serde_json::json!([{"RuleID": value, "File": value}]),
        ] {
            let _ = read(envelope.to_string().as_bytes(), "x.json", None, &Limits::default());
        }
    }
}

#[test]
fn wiz_1x_sbom_artifacts_count_every_vulnerability() {
    // The shape of Wiz CLI 1.39 image-scan output (per-artifact counts, no finding list).
    let report = r#"{"id":"x","status":{"state":"SUCCESS","verdict":"WARN_BY_POLICY"},"extraInfo":{"clientVersion":"1.39.0"},
      "result":{"__typename":"CICDDiskScanResult","osPackages":null,"libraries":null,"secrets":null,
        "vulnerableSBOMArtifactsByNameVersion":[
          {"name":"golang-stdlib","version":"1.22.2","filePath":"/opt/bin/session-init",
           "vulnerabilityFindings":{"severities":{"criticalCount":1,"highCount":2,"mediumCount":0,"lowCount":1,"infoCount":0},"fixedVersion":"1.25.8","findings":null}},
          {"name":"fast-xml-parser","version":"5.2.5","filePath":"/opt/x/package.json",
           "vulnerabilityFindings":{"severities":{"criticalCount":0,"highCount":0,"mediumCount":0,"lowCount":0,"infoCount":0},
             "findings":[{"name":"CVE-2026-0001","severity":"HIGH"}]}}]}}"#;
    let report = read(report.as_bytes(), "wiz1.json", None, &Limits::default()).unwrap();
    assert_eq!(report.format.name(), "wiz");
    assert_eq!(counts(&report), [("critical", 1), ("high", 3), ("low", 1)].into_iter().collect());
    let outcome = judge(&[report], &GateConfig::default(), &[], &Baseline::default());
    assert_eq!(outcome.exit_code, 1);
    let bad = r#"{"status":{"state":"SUCCESS"},"result":{"vulnerableSBOMArtifactsByNameVersion":[{"name":"a","vulnerabilityFindings":{"severities":{"highCount":"many"}}}]}}"#;
    let err = read(bad.as_bytes(), "wiz1.json", None, &Limits::default()).unwrap_err().to_string();
    assert!(
        err.contains(
            "vulnerableSBOMArtifactsByNameVersion[0].vulnerabilityFindings.severities.highCount: expected a whole number of zero or more"
        ),
        "{err}"
    );
}

#[test]
fn seeker_exports_and_status_documents() {
    let export = r#"[{"ItemKey":"K1","VulnerabilityName":"SQL Injection","Severity":"Critical","Status":"Detected","URL":"/api/users"},
                     {"ItemKey":"K2","VulnerabilityName":"XSS","Severity":"Medium","Status":"Fixed","URL":"/search"}]"#;
    let report = read(export.as_bytes(), "seeker.json", None, &Limits::default()).unwrap();
    assert_eq!((report.format.name(), report.findings.len()), ("seeker", 1), "fixed findings are closed");
    assert_eq!(report.findings[0].severity, ScanSeverity::Critical);
    let status =
        read(br#"{"projectStatus":{"compliant":false,"projectKey":"app"}}"#, "status.json", None, &Limits::default())
            .unwrap();
    let outcome = judge(&[status], &GateConfig::default(), &[], &Baseline::default());
    assert_eq!(outcome.exit_code, 1, "not compliant fails the gate: {:?}", outcome.reasons);
    let err = read(br#"{"projectStatus":{"compliant":"maybe"}}"#, "status.json", None, &Limits::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("$.projectStatus.compliant: expected true or false"), "{err}");
}

#[test]
fn checkov_lists_and_the_simple_issues_shape() {
    let single = std::fs::read_to_string(path("defectdojo/checkov__checkov-report-severity.json")).unwrap();
    let list = format!("[{single}, {single}]");
    let report = read(list.as_bytes(), "checkov.json", None, &Limits::default()).unwrap();
    assert_eq!((report.format.name(), report.findings.len()), ("checkov", 8));
    let outcome = judge(&[report], &GateConfig::default(), &[], &Baseline::default());
    assert_eq!(outcome.duplicates_removed, 4, "the same failed checks twice are one set");
    let issues = read(br#"{"issues": [{"severity": "critical", "title": "Public S3 bucket"}, {"severity": "low", "title": "Old TLS"}]}"#, "issues.json", None, &Limits::default()).unwrap();
    assert_eq!(
        (issues.format.name(), counts(&issues)),
        ("issues", [("critical", 1), ("low", 1)].into_iter().collect())
    );
    let err = read(br#"{"issues": [{"severity": "critical"}]}"#, "issues.json", None, &Limits::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("$.issues[0].title: expected a string, found null"), "{err}");
}

/// A result suppressed in its source and rejected by a reviewer is not suppressed: every
/// suppression must be accepted (as the SARIF SDK and GitLab read it). On the real report whose
/// results are suppressed in source and externally.
#[test]
fn a_sarif_suppression_rejected_or_under_review_keeps_the_result_counted() {
    let bytes = std::fs::read(path("defectdojo/sarif__suppression_test.sarif")).unwrap();
    let suppressed = |report: &ScanReport| report.findings.iter().filter(|f| f.suppressed.is_some()).count();
    let original = read(&bytes, "x.sarif", None, &Limits::default()).unwrap();
    assert_eq!(suppressed(&original), 3);
    for status in ["rejected", "underReview", "pending"] {
        let mut report: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        for result in report["runs"][0]["results"].as_array_mut().unwrap() {
            if let Some(list) = result.get_mut("suppressions").and_then(|s| s.as_array_mut()) {
                if !list.is_empty() {
                    list.push(serde_json::json!({"kind": "external", "status": status}));
                }
            }
        }
        let edited = read(&serde_json::to_vec(&report).unwrap(), "x.sarif", None, &Limits::default()).unwrap();
        assert_eq!(suppressed(&edited), 0, "{status}");
        assert_eq!(edited.findings.len(), original.findings.len());
    }
}

/// A result whose `ruleId` and `ruleIndex` name two rules is read differently by different readers
/// (one rule may be critical, the other low): the report is refused. A sub-rule id (`RULE/1`) names
/// its rule. On CodeQL's real report, whose second run has two rules.
#[test]
fn a_sarif_result_naming_two_rules_is_refused_and_a_sub_rule_names_its_rule() {
    let bytes = std::fs::read(path("codeql-action/valid-sarif.sarif")).unwrap();
    let edited = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut report: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        edit(&mut report["runs"][1]["results"][0]);
        read(&serde_json::to_vec(&report).unwrap(), "codeql.sarif", None, &Limits::default())
    };
    let err = edited(&|result| result["ruleIndex"] = 1.into()).unwrap_err().to_string();
    assert!(
        err.contains("$.runs[1].results[0].ruleId")
            && err.contains("`js/inconsistent-use-of-new`")
            && err.contains("found `js/unused-local-variable`"),
        "{err}"
    );
    let err = edited(&|result| result["rule"] = serde_json::json!({"id": "js/inconsistent-use-of-new"}))
        .unwrap_err()
        .to_string();
    assert!(err.contains("the same id as `rule.id`"), "{err}");
    let original = edited(&|_| {}).unwrap();
    let sub = edited(&|result| {
        result["ruleId"] = "js/unused-local-variable/1".into();
        result.as_object_mut().unwrap().remove("ruleIndex");
    })
    .unwrap();
    let severity = |report: &ScanReport| {
        report.findings.iter().find(|f| f.rule.starts_with("js/unused-local-variable")).map(|f| f.severity)
    };
    assert_eq!(severity(&sub), severity(&original));
}
