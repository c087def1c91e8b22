//! The users' own rules through the command line: `policy test`, `rules -c`, `explain -c`, and a
//! broken rule refused with exit 3.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn acme() -> String {
    root().join("fixtures/policies/acme/gate.yaml").to_string_lossy().into_owned()
}

fn plangate(args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_plangate"));
    command.args(args).env_remove("TF_PLAN_CHECK_CONFIG").stdin(Stdio::null());
    command.output().expect("plangate runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn policy_test_passes_and_fails_as_the_tests_say() {
    let out = plangate(&["policy", "test", "-c", &acme()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("PASS main.test_a_deleted_cluster_is_denied"), "{stdout}");
    assert!(stdout.ends_with("5 tests, 5 passed, 0 failed\n"), "{stdout}");
    let dir = tempfile::tempdir().unwrap();
    let gate = dir.path().join("gate.yaml");
    std::fs::write(
        &gate,
        "custom_rules:\n  - id: X-1\n    title: t\n    severity: high\n    when: 'after.size > 10'\n    message: m\n    examples:\n      - {change: {type: aws_ebs_volume, after: {size: 5}}, fires: true}\n",
    )
    .unwrap();
    let out = plangate(&["policy", "test", "-c", gate.to_str().unwrap(), "-f", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let tests: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(tests[0]["name"], "X-1 example 1");
    assert_eq!(tests[0]["outcome"], "failed");
    assert!(tests[0]["detail"].as_str().unwrap().contains("expected the rule to fire"), "{tests}");
    let out = plangate(&["policy", "test"]);
    assert_eq!(out.status.code(), Some(3), "no configuration: nothing to test is an error");
}

#[test]
fn rules_and_explain_list_the_configurations_own_rules() {
    let out = plangate(&["rules", "-c", &acme()]);
    let listed = text(&out.stdout);
    for id in ["PG-DEL-001", "ACME-TAG-001", "ACME-NET-001", "main.deny_database_deletion", "main.warn_default_route"] {
        assert!(listed.contains(id), "{id} missing:\n{listed}");
    }
    let markdown = text(&plangate(&["rules", "-c", &acme(), "-f", "markdown"]).stdout);
    assert!(
        markdown.contains("| `ACME-TAG-001` | high | Other Changes | Buckets and queues carry a team tag |"),
        "{markdown}"
    );
    let out = plangate(&["explain", "ACME-TAG-001", "-c", &acme()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("names the team that owns it"));
    assert_eq!(plangate(&["explain", "ACME-TAG-001"]).status.code(), Some(3), "unknown without its configuration");
}

#[test]
fn a_broken_rule_is_exit_3_naming_where() {
    let dir = tempfile::tempdir().unwrap();
    let gate = dir.path().join("gate.yaml");
    std::fs::write(&gate, "custom_rules:\n  - {id: X-1, title: t, severity: high, when: 'after.x ==', message: m}\n")
        .unwrap();
    let plan = root().join("fixtures/plans/safe.plan.json");
    let out = plangate(&["check", "-c", gate.to_str().unwrap(), plan.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    let err = text(&out.stderr);
    assert!(err.contains("gate.yaml at line 2") && err.contains("CEL syntax error at line 1, column 11"), "{err}");
}
