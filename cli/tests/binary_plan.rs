//! Binary plan files, read for real with terraform and the AWS provider from a local mirror.
//! Without terraform these tests fail and say so, unless PLANGATE_SKIP_TERRAFORM_TESTS=1 asks to
//! skip them (and then each prints that it was skipped): they must never pass silently.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// An initialized Terraform working directory the fixture plans can be shown in, or `None` when
/// terraform tests are explicitly skipped.
fn working_dir() -> Option<tempfile::TempDir> {
    let terraform = std::env::var("TERRAFORM_BINARY").unwrap_or_else(|_| "terraform".into());
    let mirror = std::env::var("TF_PLUGIN_DIR").unwrap_or_else(|_| "/opt/tf-plugins".into());
    let missing = match Command::new(&terraform).arg("version").stdout(Stdio::null()).stderr(Stdio::null()).status() {
        Ok(status) if status.success() => None,
        _ => Some(format!("terraform (`{terraform}`) is not installed or does not run")),
    }
    .or_else(|| (!Path::new(&mirror).is_dir()).then(|| format!("no provider mirror at {mirror} (set TF_PLUGIN_DIR)")));
    if let Some(why) = missing {
        if std::env::var("PLANGATE_SKIP_TERRAFORM_TESTS").as_deref() == Ok("1") {
            eprintln!("SKIPPED: binary-plan test needs terraform: {why}");
            return None;
        }
        panic!("{why}. Install terraform and the AWS provider 5.100.0 mirror, or set PLANGATE_SKIP_TERRAFORM_TESTS=1 to skip these tests");
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "terraform {\n  required_providers {\n    aws = { source = \"hashicorp/aws\", version = \"5.100.0\" }\n  }\n}\n",
    )
    .unwrap();
    let init = Command::new(&terraform)
        .args(["init", "-input=false", "-no-color", &format!("-plugin-dir={mirror}")])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(init.status.success(), "terraform init failed:\n{}", String::from_utf8_lossy(&init.stderr));
    Some(dir)
}

fn check(dir: &Path, plan: &Path, extra_env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_plangate"));
    command.args(["check", "-f", "json"]).arg(plan).current_dir(dir).env_remove("TF_PLAN_CHECK_CONFIG");
    for (key, value) in extra_env {
        command.env(key, value);
    }
    command.output().unwrap()
}

#[test]
fn binary_plans_give_the_same_report_as_their_json() {
    let Some(dir) = working_dir() else { return };
    for name in ["audit-system-prod", "refactor", "sensitive"] {
        let binary = root().join(format!("fixtures/plans/{name}.tfplan"));
        let json = root().join(format!("fixtures/plans/{name}.plan.json"));
        let from_binary = check(dir.path(), &binary, &[]);
        let from_json = check(dir.path(), &json, &[]);
        assert_eq!(
            from_binary.status.code(),
            from_json.status.code(),
            "{name}: {}",
            String::from_utf8_lossy(&from_binary.stderr)
        );
        let a: serde_json::Value = serde_json::from_slice(&from_binary.stdout).unwrap();
        let b: serde_json::Value = serde_json::from_slice(&from_json.stdout).unwrap();
        assert_eq!(a, b, "{name}");
    }
}

#[test]
fn a_plan_from_another_terraform_version_is_a_clear_error() {
    let Some(dir) = working_dir() else { return };
    let out = check(dir.path(), &root().join("fixtures/plans-public/trivy__nested_modules.tfplan"), &[]);
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("terraform said") && stderr.contains("1.7.3"), "{stderr}");
}

#[test]
fn missing_terraform_is_a_clear_error() {
    // Needs no terraform: it checks what happens without one.
    let out =
        check(&root(), &root().join("fixtures/plans/noop.tfplan"), &[("TERRAFORM_BINARY", "/nonexistent/terraform")]);
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("binary plan") && stderr.contains("TERRAFORM_BINARY"), "{stderr}");
}
