//! Inputs built to make plangate pass what it should fail, or say what it should not: each test is
//! one class of attack, run through the binary on a real plan or report changed the way an attacker
//! would change it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn fixture(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures").join(path)
}

fn plangate(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plangate"))
        .args(args)
        .env_remove("TF_PLAN_CHECK_CONFIG")
        .stdin(Stdio::null())
        .output()
        .expect("plangate runs")
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("exited normally, not by a signal")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The real file at `fixtures/<path>` with each `(from, to)` replaced once (each must occur),
/// written to `dir`.
fn edited(dir: &Path, path: &str, edits: &[(&str, &str)]) -> String {
    let mut content = std::fs::read_to_string(fixture(path)).unwrap();
    for (from, to) in edits {
        assert!(content.contains(from), "{path} holds {from}");
        content = content.replacen(from, to, 1);
    }
    let out = dir.join(Path::new(path).file_name().unwrap());
    std::fs::write(&out, content).unwrap();
    out.to_string_lossy().into_owned()
}

/// The SSH-from-the-internet rule of the security-groups plan, as Terraform wrote it.
const SSH_WORLD: &str = r#""after":{"cidr_blocks":["0.0.0.0/0"],"description":null,"from_port":22"#;

/// No line of `output` could be read by the Actions runner as a workflow command, and no terminal
/// escape or bidirectional override is in it.
fn assert_inert(output: &str) {
    for line in output.lines() {
        assert!(!line.trim_start().starts_with("::"), "a workflow command: {line:?}");
    }
    assert!(!output.contains('\u{1b}') && !output.contains('\u{202e}'), "{output:?}");
}

#[test]
fn values_that_scan_but_do_not_parse_cannot_be_verified() {
    let dir = tempfile::tempdir().unwrap();
    let deep = format!("{}\"0.0.0.0/0\"{}", "[".repeat(300), "]".repeat(300));
    for unreadable in [r#"["\ud800"]"#, "1e400", deep.as_str()] {
        let attack = SSH_WORLD.replace(r#"["0.0.0.0/0"]"#, unreadable);
        let plan = edited(dir.path(), "plans/security-groups.plan.json", &[(SSH_WORLD, &attack)]);
        let out = plangate(&["check", "--env", "staging", &plan]);
        assert_eq!(code(&out), 3, "{unreadable}: {}", text(&out.stdout));
        let err = text(&out.stderr);
        assert!(
            err.contains("aws_security_group_rule.ssh_world") && err.contains("`after.cidr_blocks` cannot be read"),
            "{err}"
        );
    }
}

#[test]
fn an_unreadable_sensitivity_mask_hides_the_value_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let deep = format!("{}true{}", "[".repeat(300), "]".repeat(300));
    let mask = r#""after_sensitive":{"cidr_blocks":[false]}"#;
    let plan = edited(
        dir.path(),
        "plans/security-groups.plan.json",
        &[(mask, &format!(r#""after_sensitive":{{"cidr_blocks":{deep}}}"#))],
    );
    for format in ["text", "json", "markdown", "sarif", "github"] {
        let out = plangate(&["check", "-f", format, &plan]);
        assert_eq!(code(&out), 3, "{format}");
        assert!(out.stdout.is_empty(), "{format}: no report for a plan that cannot be verified");
        assert!(text(&out.stderr).contains("`after_sensitive.cidr_blocks` cannot be read"), "{}", text(&out.stderr));
    }
}

#[test]
fn sides_of_the_wrong_shape_are_errors_not_empty() {
    let dir = tempfile::tempdir().unwrap();
    for side in [r#""after":"x","was""#, r#""after":true,"was""#, r#""after":[1],"was""#] {
        let plan = edited(dir.path(), "plans/security-groups.plan.json", &[(r#""after""#, side)]);
        let out = plangate(&["check", &plan]);
        assert_eq!(code(&out), 3, "{side}");
        let err = text(&out.stderr);
        assert!(err.contains("resource_drift[0]") && err.contains("object"), "{err}");
    }
}

#[test]
fn error_messages_cannot_issue_workflow_commands() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = r#""address":"aws_security_group_rule.ssh_world\n::add-mask::x\n  ::error::pwned\u001b[2J\u202e""#;
    let plan = edited(
        dir.path(),
        "plans/security-groups.plan.json",
        &[(r#""address":"aws_security_group_rule.ssh_world""#, hostile), (r#"["create"]"#, r#"["explode"]"#)],
    );
    let out = plangate(&["check", &plan]);
    assert_eq!(code(&out), 3);
    assert!(text(&out.stderr).contains("explode"), "{}", text(&out.stderr));
    assert_inert(&text(&out.stderr));
}

#[test]
fn the_internet_in_pieces_fails_a_staging_gate() {
    // The same halves written as one /0 are critical; in pieces they were high-risk, so staging's
    // allowance of three let SSH to the world through.
    let plan = fixture("plans-rules/pieces.plan.json");
    let out = plangate(&["check", "--env", "staging", "-f", "json", plan.to_str().unwrap()]);
    assert_eq!(code(&out), 1, "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let internet: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "PG-SG-001")
        .map(|f| f["address"].as_str().unwrap())
        .collect();
    assert!(internet.contains(&"aws_security_group.halves"), "{internet:?}");
    assert!(internet.contains(&"aws_vpc_security_group_ingress_rule.jump_high_half"), "{internet:?}");
}

/// A real report at `fixtures/reports/<path>`, as JSON.
fn report_json(path: &str) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(fixture(&format!("reports/{path}"))).unwrap()).unwrap()
}

/// `plangate scan -f json` on `reports` written to `dir`.
fn scan(dir: &Path, reports: &[(&str, serde_json::Value)], args: &[&str]) -> Output {
    let mut all: Vec<String> = vec!["scan".into(), "-f".into(), "json".into()];
    all.extend(args.iter().map(|a| a.to_string()));
    for (name, report) in reports {
        let path = dir.join(name);
        std::fs::write(&path, report.to_string()).unwrap();
        all.push(path.to_string_lossy().into_owned());
    }
    plangate(&all.iter().map(String::as_str).collect::<Vec<_>>())
}

#[test]
fn sarif_rules_in_extensions_keep_their_security_severity() {
    // CodeQL with query packs declares the rules in `tool.extensions[]`, and results point there.
    let dir = tempfile::tempdir().unwrap();
    let mut sarif = report_json("codeql-action/valid-sarif.sarif");
    let run = &mut sarif["runs"][0];
    let mut rules = run["tool"]["driver"]["rules"].take();
    rules[0]["properties"]["security-severity"] = "9.8".into();
    run["tool"]["extensions"] = serde_json::json!([{"name": "codeql/javascript-queries", "rules": rules}]);
    run["tool"]["driver"].as_object_mut().unwrap().remove("rules");
    let result = &mut run["results"][0];
    result.as_object_mut().unwrap().remove("ruleIndex");
    result["rule"] = serde_json::json!({"id": "js/unused-local-variable", "index": 0, "toolComponent": {"index": 0}});
    let out = scan(dir.path(), &[("codeql.sarif", sarif)], &[]);
    assert_eq!(code(&out), 1, "{}", text(&out.stderr));
    let outcome: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(outcome["counts"]["critical"], 1, "the note-level rule is critical by its security-severity");
}

#[test]
fn sarif_levels_and_scores_that_say_nothing_are_unknown_not_info() {
    let dir = tempfile::tempdir().unwrap();
    for (level, score) in [("ERROR", None), ("catastrophic", None), ("note", Some("NaN")), ("note", Some("-3"))] {
        let mut sarif = report_json("codeql-action/valid-sarif.sarif");
        let result = &mut sarif["runs"][0]["results"][0];
        result["level"] = level.into();
        if let Some(score) = score {
            result["properties"] = serde_json::json!({"security-severity": score});
        }
        let out = scan(dir.path(), &[("r.sarif", sarif)], &["--fail-on", "high"]);
        // ERROR is error (high); a level SARIF does not define, or a score that is not one, is an
        // unknown severity, which the gate counts as high.
        assert_eq!(code(&out), 1, "{level} {score:?}: {}", text(&out.stdout));
    }
}

#[test]
fn reports_that_cannot_be_read_as_complete_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let mut cases: Vec<(&str, &str, serde_json::Value)> = Vec::new();
    // SARIF: a run without results; executionSuccessful as a string.
    let mut no_results = report_json("codeql-action/valid-sarif.sarif");
    no_results["runs"][0].as_object_mut().unwrap().remove("results");
    cases.push(("sarif without results", "r.sarif", no_results));
    let mut failed = report_json("codeql-action/valid-sarif.sarif");
    failed["runs"][0]["invocations"] = serde_json::json!([{"executionSuccessful": "false"}]);
    cases.push(("executionSuccessful \"false\"", "r.sarif", failed));
    // Checkov counting failures it does not list; KICS likewise.
    let mut checkov = report_json("defectdojo/checkov__checkov-report-1-vuln.json");
    checkov["results"]["failed_checks"] = serde_json::json!([]);
    cases.push(("checkov summary", "checkov.json", checkov));
    let mut kics = report_json("defectdojo/kics__many_findings.json");
    kics["queries"] = serde_json::json!([]);
    cases.push(("kics total_counter", "kics.json", kics));
    // Trivy `Results: [null]`; Wiz state that is not a string; fractional counters.
    let mut trivy = report_json("defectdojo/trivy__misconfigurations_and_secrets.json");
    trivy["Results"] = serde_json::json!([null]);
    cases.push(("trivy [null]", "trivy.json", trivy));
    let mut wiz = report_json("defectdojo/wizcli_iac__wizcli_iac_one_vul.json");
    wiz["status"]["state"] = serde_json::json!({"value": "FAILED"});
    cases.push(("wiz state object", "wiz.json", wiz));
    let mut kics_fraction = report_json("defectdojo/kics__no_findings.json");
    kics_fraction["queries_failed_to_execute"] = serde_json::json!(0.5);
    cases.push(("fractional counter", "kics.json", kics_fraction));
    for (case, name, report) in cases {
        let out = scan(dir.path(), &[(name, report)], &[]);
        assert_eq!(code(&out), 3, "{case}: {}", text(&out.stdout));
        assert!(text(&out.stderr).contains(name), "{case}: {}", text(&out.stderr));
    }
}

#[test]
fn trivy_statuses_other_than_pass_are_failures() {
    let dir = tempfile::tempdir().unwrap();
    let base = report_json("defectdojo/trivy__misconfigurations_and_secrets.json");
    let counted = |status: &str| {
        let mut trivy = base.clone();
        for result in trivy["Results"].as_array_mut().unwrap() {
            result.as_object_mut().unwrap().remove("Secrets");
            result.as_object_mut().unwrap().remove("Vulnerabilities");
            for m in result["Misconfigurations"].as_array_mut().into_iter().flatten() {
                m["Status"] = status.into();
            }
        }
        let out = scan(dir.path(), &[("trivy.json", trivy)], &["--fail-on", "low"]);
        let outcome: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        outcome["findings"].as_array().unwrap().iter().filter(|f| f["suppressed"].is_null()).count()
    };
    let failing = counted("FAIL");
    assert!(failing > 0);
    for status in ["FAIL ", "FAILED", "fail", "ERROR"] {
        assert_eq!(counted(status), failing, "{status:?}");
    }
    assert_eq!(counted("PASS"), 0);
    assert_eq!(counted("EXCEPTION"), 0, "an exception is kept, suppressed");
}

#[test]
fn scan_text_cannot_issue_workflow_commands() {
    let dir = tempfile::tempdir().unwrap();
    let mut leaks = report_json("defectdojo/gitleaks__gitleaks8_many.json");
    leaks[0]["RuleID"] = "aws\n::add-mask::x\n::error::pwned\u{1b}[2J".into();
    for format in ["text", "github", "markdown"] {
        let path = dir.path().join("gitleaks.json");
        std::fs::write(&path, leaks.to_string()).unwrap();
        let out = plangate(&["scan", "--fail-on", "high", "-f", format, path.to_str().unwrap()]);
        assert_eq!(code(&out), 1, "{format}: {}", text(&out.stderr));
        let all = text(&out.stdout) + &text(&out.stderr);
        let commands: Vec<&str> = all.lines().filter(|l| l.trim_start().starts_with("::")).collect();
        let ours =
            |l: &&str| ["::error file=", "::warning file=", "::notice title=plangate"].iter().any(|p| l.starts_with(p));
        assert!(commands.iter().all(ours), "{format}: {commands:?}");
        assert!(!all.contains('\u{1b}'), "{format}");
    }
}

fn plangate_env(args: &[&str], env: &[(&str, &str)], stdin: Stdio) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_plangate"));
    command.args(args).env_remove("TF_PLAN_CHECK_CONFIG").stdin(stdin);
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("plangate runs")
}

#[test]
fn endless_or_oversized_input_stops_at_once_with_the_limit_named() {
    // /dev/zero never ends: the first byte cannot start a plan.
    let out = plangate_env(&["check", "-"], &[], Stdio::from(std::fs::File::open("/dev/zero").unwrap()));
    assert_eq!(code(&out), 3);
    assert!(text(&out.stderr).contains("found byte 0x00"), "{}", text(&out.stderr));
    let out = plangate(&["check", "/dev/zero"]);
    assert_eq!(code(&out), 3, "a device is read as a stream, and refused at its first byte");
    // A sparse file of gigabytes is refused before it is read.
    let dir = tempfile::tempdir().unwrap();
    let sparse = dir.path().join("sparse.json");
    std::fs::File::create(&sparse).unwrap().set_len(2 << 30).unwrap();
    let out = plangate(&["check", sparse.to_str().unwrap()]);
    assert_eq!(code(&out), 3);
    assert!(text(&out.stderr).contains("found byte 0x00 at") || text(&out.stderr).contains("byte 0x00"));
    // Beyond a limit: the message names the variable.
    let plan = fixture("plans/audit-system-prod.plan.json");
    let out = plangate_env(&["check", plan.to_str().unwrap()], &[("PLANGATE_MAX_PLAN_BYTES", "1K")], Stdio::null());
    assert_eq!(code(&out), 3);
    assert!(text(&out.stderr).contains("PLANGATE_MAX_PLAN_BYTES"), "{}", text(&out.stderr));
    let stdin = Stdio::from(std::fs::File::open(&plan).unwrap());
    let out = plangate_env(&["check", "-"], &[("PLANGATE_MAX_PLAN_BYTES", "1K")], stdin);
    assert!(code(&out) == 3 && text(&out.stderr).contains("standard input is larger than the plan size limit"));
    let out = plangate_env(&["check", plan.to_str().unwrap()], &[("PLANGATE_MAX_PLAN_BYTES", "lots")], Stdio::null());
    assert!(code(&out) == 3 && text(&out.stderr).contains("PLANGATE_MAX_PLAN_BYTES=\"lots\""), "{}", text(&out.stderr));
    let report = fixture("reports/defectdojo/kics__many_findings.json");
    let out = plangate_env(&["scan", report.to_str().unwrap()], &[("PLANGATE_MAX_REPORT_BYTES", "1K")], Stdio::null());
    assert!(code(&out) == 3 && text(&out.stderr).contains("PLANGATE_MAX_REPORT_BYTES"), "{}", text(&out.stderr));
    let out = plangate_env(&["scan", report.to_str().unwrap()], &[("PLANGATE_MAX_FINDINGS", "3")], Stdio::null());
    assert!(code(&out) == 3 && text(&out.stderr).contains("PLANGATE_MAX_FINDINGS"), "{}", text(&out.stderr));
}

#[test]
fn a_sensitive_value_where_an_object_belongs_is_refused_without_quoting_it() {
    // Before: `invalid type: string "tok-OLD-0000"`, on stderr and in every front end's error.
    let dir = tempfile::tempdir().unwrap();
    let ssm_before = r#""before":{"allowed_pattern":"","arn":"arn:aws:ssm:us-east-1:123456789012:parameter/app/token","data_type":"text","description":"","has_value_wo":null,"id":"/app/token","insecure_value":null,"key_id":"alias/aws/ssm","name":"/app/token","overwrite":null,"tags":{},"#;
    let drift_before = r#""before":{"allowed_pattern":"","arn":"arn:aws:ssm:us-east-1:123456789012:parameter/app/token","data_type":"text","description":"","has_value_wo":null,"id":"/app/token","insecure_value":null,"key_id":"alias/aws/ssm","name":"/app/token","overwrite":null,"tags":null,"#;
    for (section, from) in [("resource_changes", ssm_before), ("resource_drift", drift_before)] {
        for secret in [r#""tok-OLD-0000""#, "31415926535"] {
            let to = format!(r#""before":{secret},"ignored":{{"#);
            let plan = edited(dir.path(), "plans/sensitive.plan.json", &[(from, &to)]);
            for format in ["text", "json", "github"] {
                let out = plangate(&["check", "-f", format, &plan]);
                let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
                assert_eq!(code(&out), 3, "{section} {secret}: {stdout}");
                assert!(stderr.contains("invalid type: a "), "{section}: {stderr}");
                let bare = secret.trim_matches('"');
                assert!(!stderr.contains(bare) && !stdout.contains(bare), "{section}: {stderr}");
            }
        }
    }
}

#[test]
fn keys_below_a_sensitive_value_are_never_named() {
    // A replace path into a sensitive attribute: the message named `secret_string.<key>`.
    let dir = tempfile::tempdir().unwrap();
    let plan = edited(
        dir.path(),
        "plans/sensitive.plan.json",
        &[(
            r#""replace_paths":[["secret_string"]]"#,
            r#""replace_paths":[["secret_string","db-PIN-4711"],["secret_string","other-PIN"]]"#,
        )],
    );
    for format in ["text", "json", "sarif", "markdown", "github"] {
        let out = plangate(&["check", "-f", format, &plan]);
        let shown = text(&out.stdout);
        assert!(!shown.contains("PIN"), "{format}: {shown}");
        assert!(shown.contains("secret_string") || shown.contains("secret\\_string"), "{format}: {shown}");
    }
    let out = plangate(&["check", &plan]);
    assert!(
        text(&out.stdout).contains("because a change to secret_string forces replacement"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn every_file_plangate_reads_is_bounded() {
    // `/dev/zero` given as each file: refused one byte past its limit, naming the variable, where
    // it was read whole before (1.4 GB a second until killed).
    let plan = fixture("plans/safe.plan.json");
    let plan = plan.to_str().unwrap();
    let binary = fixture("plans/safe.tfplan");
    let binary = binary.to_str().unwrap();
    let report = fixture("reports/defectdojo/kics__many_findings.json");
    let report = report.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    std::os::unix::fs::symlink("/dev/zero", &state).unwrap();
    let state = state.to_str().unwrap();
    let cases: [(&[&str], &str); 8] = [
        (&["check", "-c", "/dev/zero", plan], "PLANGATE_MAX_FILE_BYTES"),
        (&["check", "--plan-reader", "native", "--schema-table", "/dev/zero", binary], "PLANGATE_MAX_FILE_BYTES"),
        (&["scan", "--suppressions", "/dev/zero", report], "PLANGATE_MAX_FILE_BYTES"),
        (&["scan", "--baseline", "/dev/zero", report], "PLANGATE_MAX_REPORT_BYTES"),
        (&["retry", "schedule", "-c", "/dev/zero", "--step", "x"], "PLANGATE_MAX_FILE_BYTES"),
        (&["breaker", "status", "--state", state], "PLANGATE_MAX_FILE_BYTES"),
        (&["breaker", "request", "--state", plan, "-c", "/dev/zero"], "PLANGATE_MAX_FILE_BYTES"),
        (&["notify", "slack", "--report", "/dev/zero"], "PLANGATE_MAX_REPORT_BYTES"),
    ];
    for (args, variable) in cases {
        let started = std::time::Instant::now();
        let out = plangate_env(
            args,
            &[
                ("PLANGATE_MAX_FILE_BYTES", "1M"),
                ("PLANGATE_MAX_REPORT_BYTES", "1M"),
                ("SLACK_WEBHOOK_URL", "http://127.0.0.1:9/"),
            ],
            Stdio::null(),
        );
        assert_eq!(code(&out), 3, "{args:?}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains(variable), "{args:?}: {}", text(&out.stderr));
        assert!(started.elapsed().as_secs() < 20, "{args:?} read on");
    }
    // The defaults hold too: a configuration of 64 MiB and one byte is refused.
    let big = dir.path().join("big.yaml");
    std::fs::write(&big, vec![b'#'; (64 << 20) + 1]).unwrap();
    let out = plangate(&["check", "-c", big.to_str().unwrap(), plan]);
    assert!(code(&out) == 3 && text(&out.stderr).contains("file size limit of 64 MiB"), "{}", text(&out.stderr));
}

#[test]
fn counts_that_would_become_endless_findings_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let wiz = serde_json::json!({"status": {"state": "SUCCESS"}, "result": {"vulnerableSBOMArtifactsByNameVersion": [
        {"name": "a", "version": "1", "vulnerabilityFindings": {"severities": {"highCount": u64::MAX}}}]}});
    let out = scan(dir.path(), &[("wiz.json", wiz)], &[]);
    assert_eq!(code(&out), 3);
    assert!(text(&out.stderr).contains("PLANGATE_MAX_FINDINGS"), "{}", text(&out.stderr));
}

#[test]
fn configuration_nested_without_end_is_refused_before_parsing() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("deep.yaml");
    std::fs::write(&config, format!("gate: {}{}", "[".repeat(160_000), "]".repeat(160_000))).unwrap();
    let plan = fixture("plans/safe.plan.json");
    let out = plangate(&["check", "-c", config.to_str().unwrap(), plan.to_str().unwrap()]);
    assert_eq!(code(&out), 3);
    assert!(text(&out.stderr).contains("PLANGATE_MAX_YAML_DEPTH"), "{}", text(&out.stderr));
    let steps = dir.path().join("steps.yaml");
    std::fs::write(&steps, "resilience:\n  steps:\n    - name: deploy\n    - name: test\n    - name: deploy\n")
        .unwrap();
    let out = plangate(&["retry", "schedule", "-c", steps.to_str().unwrap(), "--step", "test"]);
    assert_eq!(code(&out), 3, "a duplicate step is refused even when another step is asked for");
    assert!(text(&out.stderr).contains("\"deploy\" is configured more than once"), "{}", text(&out.stderr));
}

#[test]
fn output_files_keep_what_they_are() {
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};
    let dir = tempfile::tempdir().unwrap();
    let plan = fixture("plans/safe.plan.json");
    let plan = plan.to_str().unwrap();
    // An existing report keeps its mode; a new one is 0644.
    let existing = dir.path().join("report.json");
    std::fs::write(&existing, "old").unwrap();
    std::fs::set_permissions(&existing, std::fs::Permissions::from_mode(0o640)).unwrap();
    assert_eq!(code(&plangate(&["check", "-f", "json", "-o", existing.to_str().unwrap(), plan])), 0);
    assert_eq!(std::fs::metadata(&existing).unwrap().permissions().mode() & 0o777, 0o640);
    assert!(std::fs::read_to_string(&existing).unwrap().contains("\"status\""));
    let new = dir.path().join("new.json");
    assert_eq!(code(&plangate(&["check", "-f", "json", "-o", new.to_str().unwrap(), plan])), 0);
    assert_eq!(std::fs::metadata(&new).unwrap().permissions().mode() & 0o777, 0o644);
    // A symbolic link is followed: its target is replaced, the link stays.
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&existing, &link).unwrap();
    std::fs::write(&existing, "old").unwrap();
    assert_eq!(code(&plangate(&["check", "-f", "json", "-o", link.to_str().unwrap(), plan])), 0);
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert!(std::fs::read_to_string(&existing).unwrap().contains("\"status\""));
    // A FIFO is written into, not replaced.
    let fifo = dir.path().join("fifo");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    assert_eq!(code(&plangate(&["check", "-f", "json", "-o", fifo.to_str().unwrap(), plan])), 0);
    assert!(reader.join().unwrap().contains("\"status\""));
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    // A character device is written into: /dev/null stays /dev/null.
    assert_eq!(code(&plangate(&["check", "-o", "/dev/null", plan])), 0);
    assert!(std::fs::metadata("/dev/null").unwrap().file_type().is_char_device());
    // A directory is an error.
    assert_eq!(code(&plangate(&["check", "-o", dir.path().to_str().unwrap(), plan])), 3);
}

#[test]
fn a_closed_standard_output_is_an_error_not_a_verdict() {
    let plan = fixture("plans/safe.plan.json");
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("\"{}\" check \"{}\" >&-", env!("CARGO_BIN_EXE_plangate"), plan.display()))
        .output()
        .unwrap();
    assert_eq!(code(&out), 3, "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("standard output is closed"), "{}", text(&out.stderr));
}

/// Waits until process `pid` handles `signal` (its handler is installed).
fn wait_until_handled(pid: u32, signal: u32) {
    for _ in 0..500 {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        let caught = status.lines().find_map(|l| l.strip_prefix("SigCgt:")).map(str::trim).unwrap_or("0");
        if u64::from_str_radix(caught, 16).unwrap_or(0) & (1 << (signal - 1)) != 0 {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("process {pid} never handled signal {signal}");
}

#[test]
fn a_plan_file_cut_while_mapped_is_a_clean_exit_3() {
    // A real cut, in the middle of a real read: a 200 MB plan (one big skipped section) is cut to
    // nothing while plangate reads it. Either it finished first (a verdict on the whole file) or it
    // saw the cut: exit 3 saying so. Never a crash, never a verdict on what it did not read.
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.json");
    let safe = std::fs::read_to_string(fixture("plans/safe.plan.json")).unwrap();
    let padding = format!("{{\"padding\":\"{}\",", "x".repeat(200 << 20));
    let whole = safe.replacen('{', &padding, 1);
    for delay in [0, 5, 20, 60] {
        std::fs::write(&plan, &whole).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_plangate"))
            .args(["check", plan.to_str().unwrap()])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        std::fs::OpenOptions::new().write(true).open(&plan).unwrap().set_len(1).unwrap();
        let out = child.wait_with_output().unwrap();
        let status = out.status.code().expect("exited normally, not by a signal");
        let err = text(&out.stderr);
        assert!(status == 0 || status == 3, "{status}: {err}");
        if status == 3 {
            let cut = ["truncated or replaced by another process", "byte 0x00", "cut short", "the input is empty"];
            assert!(cut.iter().any(|c| err.contains(c)), "{err}");
        }
    }
}

fn run_config(dir: &Path, attempts: u32) -> String {
    let config = dir.join("resilience.yaml");
    std::fs::write(
        &config,
        format!(
            "resilience:\n  retry_strategy:\n    max_attempts: {attempts}\n    initial_delay: 0.1\n    max_delay: 0.1\n  steps:\n    - name: deploy\n      retry_on: [\"timeout\"]\n"
        ),
    )
    .unwrap();
    config.to_string_lossy().into_owned()
}

#[test]
fn run_passes_termination_on_to_the_command_and_stops() {
    let dir = tempfile::tempdir().unwrap();
    let config = run_config(dir.path(), 5);
    let marker = dir.path().join("got-term");
    let script = format!("trap 'touch {}; exit 7' TERM; echo started; while :; do sleep 0.05; done", marker.display());
    let child = Command::new(env!("CARGO_BIN_EXE_plangate"))
        .args(["run", "-c", &config, "--step", "deploy", "--", "sh", "-c", &script])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_until_handled(child.id(), 15);
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success());
    let out = child.wait_with_output().unwrap();
    assert!(marker.exists(), "the command got SIGTERM: {}", text(&out.stderr));
    assert_eq!(code(&out), 128 + 15, "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).matches("started").count(), 1, "no attempt after the signal");
}

#[test]
fn run_stops_an_attempt_that_outlives_its_timeout_and_retries_it() {
    let dir = tempfile::tempdir().unwrap();
    let config = run_config(dir.path(), 2);
    let out = plangate(&[
        "run",
        "-c",
        &config,
        "--step",
        "deploy",
        "--timeout",
        "0.3",
        "--",
        "sh",
        "-c",
        "echo try; sleep 30",
    ]);
    assert_eq!(text(&out.stdout).matches("try").count(), 2, "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("timed out after"), "{}", text(&out.stderr));
    assert_eq!(code(&out), 128 + 15);
    assert_eq!(code(&plangate(&["run", "-c", &config, "--step", "deploy", "--timeout", "inf", "--", "true"])), 3);
}

#[test]
fn concurrent_breaker_records_lose_nothing_and_one_probe_is_granted() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("breaker.json");
    let state = state.to_str().unwrap();
    let config = dir.path().join("breaker.yaml");
    std::fs::write(&config, "circuit_breaker:\n  failure_threshold: 1000\n  reset_timeout: 60\n").unwrap();
    let config = config.to_str().unwrap();
    let children: Vec<_> = (0..20)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_plangate"))
                .args(["breaker", "record", "--state", state, "-c", config, "--outcome", "failure", "--now", "1000"])
                .stderr(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let status = plangate(&["breaker", "status", "--state", state, "-c", config, "--now", "1000", "-f", "json"]);
    let status: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(status["state"]["consecutive_failures"], 20, "{status}");
    // Opened, then past its reset timeout: of many concurrent requests exactly one is the probe.
    std::fs::write(dir.path().join("open.yaml"), "circuit_breaker:\n  failure_threshold: 1\n  reset_timeout: 60\n")
        .unwrap();
    let open = dir.path().join("open.yaml");
    let open = open.to_str().unwrap();
    let state2 = dir.path().join("b2.json");
    let state2 = state2.to_str().unwrap();
    plangate(&["breaker", "record", "--state", state2, "-c", open, "--outcome", "failure", "--now", "1000"]);
    let children: Vec<_> = (0..12)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_plangate"))
                .args(["breaker", "request", "--state", state2, "-c", open, "--now", "2000"])
                .stderr(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    let allowed = children.into_iter().map(|mut c| c.wait().unwrap().success()).filter(|ok| *ok).count();
    assert_eq!(allowed, 1, "one half-open probe");
}

#[test]
fn a_binary_plan_from_stdin_never_has_a_name_on_disk() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let record = dir.path().join("record");
    // A stand-in for terraform that notes what it was given: the mode of the plan file it reads
    // and what the temporary directory holds meanwhile; then prints a real plan's JSON.
    let fake = dir.path().join("terraform");
    std::fs::write(
        &fake,
        format!(
            "#!/bin/sh\nstat -L -c %a \"$4\" > {r}\nls -A \"$TMPDIR\" >> {r}\nhead -c 2 \"$4\" >> {r}\ncat {plan}\n",
            r = record.display(),
            plan = fixture("plans/critical-deletions.plan.json").display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let binary = std::fs::File::open(fixture("plans/critical-deletions.tfplan")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_plangate"))
        .args(["check", "--plan-reader", "terraform", "-"])
        .env("TERRAFORM_BINARY", &fake)
        .env("TMPDIR", &tmp)
        .stdin(binary)
        .output()
        .unwrap();
    assert_eq!(code(&out), 1, "{}", text(&out.stderr));
    let seen = std::fs::read_to_string(&record).unwrap();
    assert_eq!(seen, "600\nPK", "mode 0600, nothing named in TMPDIR, the plan's bytes readable");
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0);
    // Read natively, no file is written at all, and terraform is never run.
    std::fs::remove_file(&record).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_plangate"))
        .args(["check", "--plan-reader", "native", "-"])
        .env("TERRAFORM_BINARY", &fake)
        .env("TMPDIR", &tmp)
        .stdin(std::fs::File::open(fixture("plans/critical-deletions.tfplan")).unwrap())
        .output()
        .unwrap();
    assert_eq!(code(&out), 1, "{}", text(&out.stderr));
    assert!(!record.exists() && std::fs::read_dir(&tmp).unwrap().count() == 0);
}

#[test]
fn plan_sarif_is_streamed_and_held_to_github_limits() {
    // A real plan's changes repeated with distinct addresses: 8 findings each, 32,000 in all.
    let dir = tempfile::tempdir().unwrap();
    let mut plan = serde_json::from_str::<serde_json::Value>(
        &std::fs::read_to_string(fixture("plans/critical-deletions.plan.json")).unwrap(),
    )
    .unwrap();
    let changes = plan["resource_changes"].as_array().unwrap().clone();
    let mut many = Vec::new();
    for copy in 0..4000 {
        for change in &changes {
            let mut change = change.clone();
            let address = format!("module.copy{copy}.{}", change["address"].as_str().unwrap());
            change["address"] = address.into();
            many.push(change);
        }
    }
    plan["resource_changes"] = many.into();
    let path = dir.path().join("many.plan.json");
    std::fs::write(&path, plan.to_string()).unwrap();
    let out = plangate(&["check", "-f", "sarif", path.to_str().unwrap()]);
    assert_eq!(code(&out), 1, "{}", text(&out.stderr));
    assert!(out.stdout.len() <= 10 * 1024 * 1024);
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let run = &sarif["runs"][0];
    let written = run["results"].as_array().unwrap().len();
    assert!(written <= 25_000 && written > 10_000, "{written}");
    let note = run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"].as_str().unwrap();
    assert!(note.contains(&format!("left out {} of 32000 results", 32_000 - written)), "{note}");
    assert_eq!(run["results"][0]["level"], "error", "the worst come first");
}

#[test]
fn mutated_real_inputs_end_in_a_verdict_or_exit_3_never_a_signal() {
    // The library's property tests cover many more mutations; this runs some through the binary,
    // where a crash would show as a signal. A fixed pseudo-random sequence keeps it reproducible.
    let dir = tempfile::tempdir().unwrap();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        seed >> 33
    };
    let inputs = [
        ("check", "plans/sensitive.plan.json"),
        ("check", "plans/security-groups.plan.json"),
        ("scan", "reports/defectdojo/trivy__misconfigurations_and_secrets.json"),
        ("scan", "reports/codeql-action/valid-sarif.sarif"),
        ("scan", "reports/defectdojo/wizcli_img__wizcli_img_many_vul.json"),
    ];
    for (command, input) in inputs {
        let original = std::fs::read(fixture(input)).unwrap();
        for round in 0..12 {
            let mut bytes = original.clone();
            let at = next() as usize % bytes.len();
            match round % 3 {
                0 => bytes.truncate(at),
                1 => bytes[at] = next() as u8,
                _ => {
                    bytes.splice(at..at, b"1e400,\"\\ud800\"".iter().copied());
                }
            }
            let path = dir.path().join("mutated.json");
            std::fs::write(&path, &bytes).unwrap();
            let out = plangate(&[command, "-f", "json", path.to_str().unwrap()]);
            let exit = out.status.code();
            assert!(
                matches!(exit, Some(0..=3)),
                "{command} {input} round {round}: {:?} {}",
                out.status,
                text(&out.stderr)
            );
            for secret in ["tok-NEW-SECRET-9999", "hunter2-NEW-SECRET", "tok-OLD-0000", "hunter2-OLD"] {
                assert!(!text(&out.stdout).contains(secret) && !text(&out.stderr).contains(secret));
            }
        }
    }
}

#[test]
fn breaker_numbers_that_are_not_durations_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("b.json");
    let state = state.to_str().unwrap();
    for value in [".nan", ".inf", "-5"] {
        let config = dir.path().join("c.yaml");
        std::fs::write(&config, format!("circuit_breaker:\n  reset_timeout: {value}\n")).unwrap();
        let out = plangate(&["breaker", "request", "--state", state, "-c", config.to_str().unwrap()]);
        assert_eq!(code(&out), 3, "{value}");
        assert!(text(&out.stderr).contains("reset_timeout"), "{}", text(&out.stderr));
    }
    for now in ["NaN", "inf", "-1"] {
        let out = plangate(&["breaker", "record", "--state", state, "--outcome", "failure", "--now", now]);
        assert_eq!(code(&out), 3, "{now}");
    }
    assert!(!Path::new(state).exists() || std::fs::read_to_string(state).unwrap().contains("closed"));
}

#[test]
fn an_unknown_environment_or_a_rule_said_twice_is_never_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("gate.yaml");
    std::fs::write(&config, "thresholds:\n  critical_changes: 0\n").unwrap();
    let config = config.to_str().unwrap();
    let plan = fixture("plans/safe.plan.json");
    let plan = plan.to_str().unwrap();
    for (args, env) in [
        (vec!["check", "-e", "prodution", "-c", config, plan], None),
        (vec!["check", "-e", "prodution", plan], Some(config)),
    ] {
        let mut command = Command::new(env!("CARGO_BIN_EXE_plangate"));
        command.args(&args).env_remove("TF_PLAN_CHECK_CONFIG");
        if let Some(path) = env {
            command.env("TF_PLAN_CHECK_CONFIG", path);
        }
        let out = command.output().unwrap();
        assert_eq!(code(&out), 3, "{args:?}");
        assert!(text(&out.stderr).contains("unknown environment \"prodution\""), "{}", text(&out.stderr));
    }
    let twice = dir.path().join("twice.yaml");
    std::fs::write(&twice, "rules:\n  PG-SG-001:\n    enabled: false\n  PG-SG-001:\n    severity: critical\n").unwrap();
    let out = plangate(&["check", "-c", twice.to_str().unwrap(), plan]);
    assert_eq!(code(&out), 3);
    assert!(
        text(&out.stderr).contains("line 4") && text(&out.stderr).contains("configured twice"),
        "{}",
        text(&out.stderr)
    );
}
