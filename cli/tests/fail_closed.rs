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
