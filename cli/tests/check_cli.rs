//! `plangate check` end to end through the built binary: exit codes for the default policy, each
//! preset, a config file, TF_PLAN_CHECK_CONFIG and --fail-on-high-risk; outputs; errors.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn plan(name: &str) -> String {
    root().join("fixtures/plans").join(format!("{name}.plan.json")).to_string_lossy().into_owned()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn plangate(args: &[&str]) -> Output {
    plangate_with_env(args, &[])
}

fn plangate_with_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_plangate"));
    command.args(args).env_remove("TF_PLAN_CHECK_CONFIG").stdin(Stdio::null());
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("plangate runs")
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("exited normally")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn config_file(yaml: &str) -> tempfile::NamedTempFile {
    let mut file = tempfile::Builder::new().suffix(".yaml").tempfile().unwrap();
    file.write_all(yaml.as_bytes()).unwrap();
    file
}

#[test]
fn default_policy_exit_codes() {
    assert_eq!(code(&plangate(&["check", &plan("critical-deletions")])), 1);
    assert_eq!(code(&plangate(&["check", &plan("network")])), 2, "high-risk fails when no configuration is given");
    assert_eq!(code(&plangate(&["check", &plan("safe")])), 0);
    assert_eq!(code(&plangate(&["check", &plan("noop")])), 0);
    assert_eq!(code(&plangate(&["check", &plan("refactor")])), 0, "forget is a notice");
}

/// The real `safe` plan with an action the apply runs (Terraform 1.14's `action_invocations`) or
/// `entry` in its place, written to a temporary file.
fn safe_plan_running(entry: serde_json::Value) -> tempfile::NamedTempFile {
    let mut json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(plan("safe")).unwrap()).unwrap();
    json["action_invocations"] = serde_json::json!([entry]);
    let mut file = tempfile::Builder::new().suffix(".json").tempfile().unwrap();
    file.write_all(json.to_string().as_bytes()).unwrap();
    file
}

#[test]
fn an_action_the_apply_runs_fails_a_safe_plan_until_its_rule_allows_it() {
    let plan = safe_plan_running(serde_json::json!({
        "address": "action.aws_ec2_stop_instance.db", "type": "aws_ec2_stop_instance", "name": "db",
        "provider_name": "registry.terraform.io/hashicorp/aws", "invoke_action_trigger": {}
    }));
    let path = plan.path().to_str().unwrap();
    let out = plangate(&["check", path]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("HIGH-RISK: action.aws_ec2_stop_instance.db: the apply runs aws_ec2_stop_instance"),
        "{stdout}"
    );
    let notice = config_file("rules:\n  PG-ACT-001: {severity: notice}\n");
    assert_eq!(code(&plangate(&["check", "-c", notice.path().to_str().unwrap(), path])), 0);
    let waived = config_file(concat!(
        "waivers:\n  - address: action.aws_ec2_stop_instance.*\n    rule: PG-ACT-001\n",
        "    reason: nightly stop\n    expires: 2099-12-31\n",
    ));
    assert_eq!(code(&plangate(&["check", "-c", waived.path().to_str().unwrap(), path])), 0);

    let unnamed = safe_plan_running(serde_json::json!({"address": "aws_s3_bucket.not_an_action"}));
    let out = plangate(&["check", unnamed.path().to_str().unwrap()]);
    assert_eq!(code(&out), 3, "an action that cannot be named cannot be judged");
    assert!(
        stderr(&out).contains("`action_invocations`") && stderr(&out).contains("action.TYPE.NAME"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn preset_exit_codes() {
    // network has three high-risk changes (a subnet replaced, a default route, a VPC setting) and nothing critical.
    assert_eq!(code(&plangate(&["check", "--env", "production", &plan("network")])), 2);
    assert_eq!(code(&plangate(&["check", "--env", "prod", &plan("network")])), 2);
    assert_eq!(code(&plangate(&["check", "--env", "staging", &plan("network")])), 0, "staging allows 3");
    assert_eq!(code(&plangate(&["check", "--env", "develop", &plan("network")])), 0);
    assert_eq!(code(&plangate(&["check", "--env", "dev", &plan("critical-deletions")])), 1);
    // The VPC is critical in production only.
    let vpc_only = r#"{"format_version":"1.2","resource_changes":[{"address":"aws_vpc.a","type":"aws_vpc","name":"a",
        "change":{"actions":["delete"],"before":{},"after":null}}]}"#;
    let file = tempfile::Builder::new().suffix(".json").tempfile().unwrap();
    std::fs::write(file.path(), vpc_only).unwrap();
    let path = file.path().to_str().unwrap();
    assert_eq!(code(&plangate(&["check", "--env", "production", path])), 1);
    assert_eq!(
        code(&plangate(&["check", "--env", "staging", path])),
        0,
        "in staging a VPC deletion is only high, and 3 may pass"
    );
    assert_eq!(code(&plangate(&["check", "--env", "staging", "--fail-on-high-risk", path])), 2);
}

#[test]
fn config_file_env_var_and_flag() {
    let lenient = config_file("thresholds:\n  critical_changes: 10\n  high_risk_changes: 5\n");
    let lenient_path = lenient.path().to_str().unwrap();
    assert_eq!(code(&plangate(&["check", "-c", lenient_path, &plan("critical-deletions")])), 0);
    assert_eq!(code(&plangate(&["check", "-c", lenient_path, "--fail-on-high-risk", &plan("critical-deletions")])), 2);
    let env = [("TF_PLAN_CHECK_CONFIG", lenient_path)];
    assert_eq!(code(&plangate_with_env(&["check", &plan("critical-deletions")], &env)), 0);
    assert_eq!(
        code(&plangate_with_env(&["check", "--env", "production", &plan("critical-deletions")], &env)),
        0,
        "the env var comes before --env"
    );
    let strict = config_file("fail_on_high_risk: true\n");
    assert_eq!(
        code(&plangate_with_env(&["check", "-c", strict.path().to_str().unwrap(), &plan("critical-deletions")], &env)),
        1,
        "-c comes first"
    );
    assert_eq!(code(&plangate(&["check", "--env", "staging", "--fail-on-high-risk", &plan("network")])), 2);
}

#[test]
fn unreadable_inputs_exit_3_with_a_message() {
    let wrapper = root().join("fixtures/plans-public/infracost__plan_with_terraform_wrapper.json");
    let out = plangate(&["check", wrapper.to_str().unwrap()]);
    assert_eq!(code(&out), 3);
    assert!(stderr(&out).contains("line 1, column 2") && stderr(&out).contains("setup-terraform"), "{}", stderr(&out));
    assert!(out.stdout.is_empty(), "no report for a broken plan");

    let out = plangate(&["check", "/nonexistent/plan.json"]);
    assert_eq!(code(&out), 3);
    assert!(stderr(&out).contains("/nonexistent/plan.json"), "{}", stderr(&out));

    let typo = config_file("verbose: true\nthresholds:\n  critical_change: 0\n");
    let out = plangate(&["check", "-c", typo.path().to_str().unwrap(), &plan("safe")]);
    assert_eq!(code(&out), 3);
    let message = stderr(&out);
    assert!(
        message.contains("critical_change")
            && message.contains("line 3")
            && message.contains(typo.path().to_str().unwrap()),
        "{message}"
    );

    assert_eq!(code(&plangate(&["check", "--env", "qa", &plan("safe")])), 3);
    assert_eq!(code(&plangate(&["check", "-f", "xml", &plan("safe")])), 3);
    assert_eq!(code(&plangate(&["check"])), 3, "a usage error is not a verdict");
    assert_eq!(code(&plangate(&["--version"])), 0);
}

#[test]
fn reads_standard_input() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_plangate"))
        .args(["check", "-", "-f", "json"])
        .env_remove("TF_PLAN_CHECK_CONFIG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&std::fs::read(plan("destroy")).unwrap()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(code(&out), 1);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["critical_changes"], 2);
}

#[test]
fn json_report_has_the_counters_pipelines_read() {
    let out = plangate(&["check", "-f", "json", &plan("audit-system-prod")]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in ["total_changes", "high_risk_changes", "critical_changes"] {
        assert!(report[key].is_u64(), "{key}");
    }
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["total_changes"], 7);
    assert_eq!(report["status"], "critical");
    assert_eq!(report["plan"]["terraform_version"], "1.11.4");
    let first = &report["findings"][0];
    for key in ["address", "type", "actions", "severity", "rule", "category", "message"] {
        assert!(!first[key].is_null(), "finding lacks {key}");
    }
}

#[test]
fn config_output_format_applies_and_the_flag_overrides_it() {
    let out = plangate(&["check", "--env", "production", &plan("safe")]);
    assert!(serde_json::from_slice::<serde_json::Value>(&out.stdout).is_ok(), "production's output_format is json");
    let out = plangate(&["check", "--env", "production", "-f", "text", &plan("safe")]);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("=== Analyzing Terraform Plan ==="));
}

#[test]
fn output_file_is_written_whole_and_the_verdict_goes_to_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("report.sarif");
    let out = plangate(&["check", "-f", "sarif", "-o", target.to_str().unwrap(), &plan("kms")]);
    assert_eq!(code(&out), 1);
    assert!(out.stdout.is_empty());
    assert!(stderr(&out).contains("critical (exit 1)"), "{}", stderr(&out));
    let sarif: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&target).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let rules: Vec<&str> =
        sarif["runs"][0]["results"].as_array().unwrap().iter().map(|r| r["ruleId"].as_str().unwrap()).collect();
    assert!(rules.contains(&"PG-DEL-001") && rules.contains(&"PG-KMS-001"), "{rules:?}");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left behind: {leftovers:?}");

    let out = plangate(&["check", "-o", "/nonexistent/dir/report.txt", &plan("kms")]);
    assert_eq!(code(&out), 3, "a report that cannot be written is not a verdict");
}

#[test]
fn no_output_ever_contains_a_sensitive_value() {
    let secrets = ["tok-OLD-0000", "tok-NEW-SECRET-9999", "hunter2-OLD", "hunter2-NEW-SECRET"];
    let raw = std::fs::read_to_string(plan("sensitive")).unwrap();
    for secret in secrets {
        assert!(raw.contains(secret), "the fixture must hold {secret} for this test to mean anything");
    }
    for format in ["text", "json", "sarif", "markdown", "github"] {
        let out = plangate(&["check", "-f", format, &plan("sensitive")]);
        let everything = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
        for secret in secrets {
            assert!(!everything.contains(secret), "{format} output contains {secret}");
        }
    }
}

#[test]
fn rules_and_explain() {
    let out = plangate(&["rules"]);
    assert_eq!(code(&out), 0);
    assert!(String::from_utf8_lossy(&out.stdout).contains("PG-DEL-001"));
    let out = plangate(&["explain", "pg-del-003"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("forget"));
    let out = plangate(&["explain", "PG-NOPE-1"]);
    assert_eq!(code(&out), 3);
}

#[test]
fn readme_rule_table_is_current() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme.find("<!-- rules:start -->\n").expect("README has the rules:start marker")
        + "<!-- rules:start -->\n".len();
    let end = readme.find("<!-- rules:end -->").expect("README has the rules:end marker");
    let generated = String::from_utf8(plangate(&["rules", "-f", "markdown"]).stdout).unwrap();
    assert_eq!(
        &readme[start..end],
        generated,
        "README rule table is stale: paste `plangate rules -f markdown` between the markers"
    );
}

#[test]
fn drift_written_without_addresses_as_terraform_1_0_0_did_is_read() {
    // Terraform 1.0.0 left `address` out of `resource_drift` entries; plangate refused the plan.
    let text = std::fs::read_to_string(plan("drift")).unwrap();
    let mut plan_json: serde_json::Value = serde_json::from_str(&text).unwrap();
    for entry in plan_json["resource_drift"].as_array_mut().unwrap() {
        entry.as_object_mut().unwrap().remove("address");
    }
    let mut file = tempfile::Builder::new().suffix(".json").tempfile().unwrap();
    file.write_all(plan_json.to_string().as_bytes()).unwrap();
    let stripped = plangate(&["check", "-f", "json", file.path().to_str().unwrap()]);
    let original = plangate(&["check", "-f", "json", &plan("drift")]);
    assert_eq!(code(&stripped), code(&original), "{}", stderr(&stripped));
    assert_eq!(stripped.stdout, original.stdout);
    assert!(String::from_utf8_lossy(&stripped.stdout).contains("aws_security_group.db"));
}

#[test]
fn several_plans_are_checked_together_and_the_worst_verdict_wins() {
    let (network, destroy, safe) = (plan("network"), plan("destroy"), plan("safe"));
    // High-risk (2) and critical (1): critical wins, whatever the order.
    let out = plangate(&["check", "--env", "staging", &network, &destroy]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("##### Plan {network} #####")) && text.contains(&format!("##### Plan {destroy} #####"))
    );
    assert_eq!(code(&plangate(&["check", &safe, &network])), 2);
    assert_eq!(code(&plangate(&["check", &safe, &safe])), 0);
    // A plan that cannot be read does not stop the others, and is the worst of all.
    let out = plangate(&["check", "-f", "json", &destroy, "/nonexistent/plan.json", &safe]);
    assert_eq!(code(&out), 3);
    let run: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(run["status"], "error");
    assert_eq!(run["plans"].as_array().unwrap().len(), 2);
    assert_eq!(run["errors"][0]["plan"], "/nonexistent/plan.json");
    assert_eq!(run["errors"][0]["code"], "PLAN_INVALID");
    assert_eq!(run["critical_changes"], 2);
    for format in ["sarif", "markdown", "github", "text"] {
        let out = plangate(&["check", "-f", format, &destroy, &network]);
        assert_eq!(code(&out), 1, "{format}");
    }
    let sarif = plangate(&["check", "-f", "sarif", &destroy, &network]);
    let sarif: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    assert_eq!(sarif["runs"].as_array().unwrap().len(), 2, "a run per plan");
}
