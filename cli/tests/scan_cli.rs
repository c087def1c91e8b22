//! `plangate scan` end to end: exit 0 pass, 1 gate failed, 3 invalid input; JSON output; config,
//! suppressions and baseline files.

use std::path::PathBuf;
use std::process::{Command, Output};

fn report(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/reports").join(name).to_string_lossy().into_owned()
}

fn scan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plangate")).arg("scan").args(args).output().unwrap()
}

#[test]
fn exit_codes() {
    assert_eq!(scan(&[&report("defectdojo/semgrep__empty.json")]).status.code(), Some(0));
    assert_eq!(scan(&[&report("defectdojo/tfsec__many_findings_current.json")]).status.code(), Some(1));
    assert_eq!(
        scan(&["--fail-on", "high", &report("defectdojo/wizcli_iac__wizcli_iac_one_vul.json")]).status.code(),
        Some(1)
    );
    let out = scan(&[&report("codeql-action/invalid-sarif.sarif"), &report("defectdojo/semgrep__empty.json")]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("$.runs[0].results"));
    assert_eq!(scan(&["--fail-on", "spicy", &report("defectdojo/semgrep__empty.json")]).status.code(), Some(3));
    assert_eq!(scan(&["/nonexistent/report.json"]).status.code(), Some(3));
}

#[test]
fn the_other_cis_formats_carry_the_findings_and_gitlab_terraform_is_for_plans() {
    let tfsec = report("defectdojo/tfsec__many_findings_current.json");
    let out = scan(&["-f", "gitlab", &tfsec]);
    let issues: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!issues.as_array().unwrap().is_empty());
    assert!(issues.as_array().unwrap().iter().all(|i| i["location"]["lines"]["begin"].as_u64() >= Some(1)));
    let junit = String::from_utf8(scan(&["-f", "junit", &tfsec]).stdout).unwrap();
    assert!(junit.contains("<testsuite name=\"plangate scan\"") && junit.contains("<failure"), "{junit}");
    let azure = String::from_utf8(scan(&["-f", "azure-devops", &tfsec]).stdout).unwrap();
    assert!(azure.starts_with("##vso[task.logissue type="), "{azure}");
    let refused = scan(&["-f", "gitlab-terraform", &tfsec]);
    assert_eq!(refused.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("use -f gitlab"));
}

#[test]
fn json_output_with_config_suppressions_and_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let trivy = report("defectdojo/trivy__misconfigurations_and_secrets.json");
    let out = scan(&["-f", "json", &trivy, &report("defectdojo/kics__many_findings.json")]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["counts"]["critical"], 2);
    assert_eq!(json["score"], 0);
    assert_eq!(json["reports"].as_array().unwrap().len(), 2);

    let baseline = dir.path().join("baseline.json");
    std::fs::write(&baseline, &out.stdout).unwrap();
    let again = scan(&["--baseline", baseline.to_str().unwrap(), &trivy]);
    assert_eq!(
        again.status.code(),
        Some(0),
        "nothing new since the baseline: {}",
        String::from_utf8_lossy(&again.stdout)
    );

    let suppressions = dir.path().join("suppressions.yaml");
    std::fs::write(
        &suppressions,
        "suppressions:\n  - {rule: github-pat, reason: revoked test tokens, expires: 2099-12-31}\n",
    )
    .unwrap();
    assert_eq!(scan(&["--suppressions", suppressions.to_str().unwrap(), &trivy]).status.code(), Some(0));
    std::fs::write(&suppressions, "suppressions:\n  - {rule: github-pat, expires: 2099-12-31}\n").unwrap();
    let out = scan(&["--suppressions", suppressions.to_str().unwrap(), &trivy]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("reason"), "{}", String::from_utf8_lossy(&out.stderr));

    let config = dir.path().join("gate.yaml");
    std::fs::write(&config, "scan:\n  fail_on: critical\n  max: {medium: 4}\n").unwrap();
    let out = scan(&["-c", config.to_str().unwrap(), &report("defectdojo/kics__many_findings.json")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("5 new medium findings (allowed: 4)"));
}

#[test]
fn sarif_markdown_and_github_outputs() {
    let trivy = report("defectdojo/trivy__misconfigurations_and_secrets.json");
    let suppressed = report("defectdojo/sarif__suppression_test.sarif");
    let out = scan(&["-f", "sarif", &trivy, &suppressed]);
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let runs = sarif["runs"].as_array().unwrap();
    let tools: Vec<&str> = runs.iter().map(|r| r["tool"]["driver"]["name"].as_str().unwrap()).collect();
    assert_eq!(tools.len(), 2, "one run per tool: {tools:?}");
    assert!(tools.contains(&"trivy") && !tools.contains(&"sarif"), "SARIF inputs keep their tool's name: {tools:?}");
    let kept: usize = runs.iter().map(|r| r["results"].as_array().unwrap().len()).sum();
    assert_eq!(kept, 10);
    let markdown = String::from_utf8(scan(&["-f", "markdown", &trivy]).stdout).unwrap();
    assert!(markdown.contains("plangate scan: failed") && markdown.contains("### Critical and high (4)"), "{markdown}");
    let github = String::from_utf8(scan(&["-f", "github", &trivy]).stdout).unwrap();
    assert_eq!(github.lines().filter(|l| l.starts_with("::error ")).count(), 4);
    assert!(github.lines().last().unwrap().starts_with("::notice title=plangate scan::plangate scan: failed"));
}

#[test]
fn the_wiz_report_the_old_jq_gate_passes_fails_plangate_scan() {
    // The old gate: `jq -r '.issues[] | select(.severity == "critical") | .title'` prints nothing for
    // any Wiz report (it has no `.issues`), so the pipeline passed. A real Wiz image report with one
    // of its vulnerabilities raised to CRITICAL:
    let mut wiz: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(report("defectdojo/wizcli_img__wizcli_img_many_vul.json")).unwrap(),
    )
    .unwrap();
    assert!(wiz.get("issues").is_none(), "nothing for the old jq filter to select");
    wiz["result"]["osPackages"][0]["vulnerabilities"][0]["severity"] = "CRITICAL".into();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("wiz.json");
    std::fs::write(&file, wiz.to_string()).unwrap();
    let out = scan(&["--fail-on", "critical", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stdout).contains("ERROR: 1 new finding of severity critical or worse"));
}

#[test]
fn a_forced_format_that_does_not_fit_is_exit_3_and_every_mode_is_read_without_one() {
    // A Grype report with a critical finding, forced as Trivy: never a clean Trivy report.
    let out = scan(&["--format", "trivy", &report("grype/TestJsonImgsPresenter.golden")]);
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("(trivy) at $: expected a Trivy report"), "{stderr}");
    // The modes detection once sent to --format are detected, and gate as their findings say.
    for (file, fail_on, exit) in [
        ("defectdojo/trivy__kubernetes_cluster_scoped_resources.json", "medium", 1),
        ("defectdojo/trivy__legacy_trivy_mix.json", "high", 1),
        ("defectdojo/gitleaks__version_7.5.0.json", "high", 1),
        ("defectdojo/snyk__all-projects_one_vuln.json", "high", 0),
    ] {
        let out = scan(&["--fail-on", fail_on, &report(file)]);
        assert_eq!(out.status.code(), Some(exit), "{file}: {}", String::from_utf8_lossy(&out.stderr));
    }
}
