//! Binary plan files through the binary: read natively (no terraform needed), and read for real
//! with terraform and the AWS provider from a local mirror (`--plan-reader terraform`). Without
//! terraform the terraform tests fail and say so, unless PLANGATE_SKIP_TERRAFORM_TESTS=1 asks to
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

fn check(dir: &Path, plan: &Path, reader: &str, extra_env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_plangate"));
    command
        .args(["check", "-f", "json", "--plan-reader", reader])
        .arg(plan)
        .current_dir(dir)
        .env_remove("TF_PLAN_CHECK_CONFIG");
    for (key, value) in extra_env {
        command.env(key, value);
    }
    command.output().unwrap()
}

/// The JSON report, without the field that says what read the plan.
fn report_of(out: &Output) -> (Option<i32>, serde_json::Value, Option<serde_json::Value>) {
    let mut report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("no report: {}", String::from_utf8_lossy(&out.stderr)));
    let read_by = report["plan"].as_object_mut().unwrap().remove("read_by");
    (out.status.code(), report, read_by)
}

#[test]
fn terraform_and_the_native_reader_give_the_same_report_as_the_json() {
    let Some(dir) = working_dir() else { return };
    for name in ["audit-system-prod", "refactor", "sensitive", "drift", "modules"] {
        let binary = root().join(format!("fixtures/plans/{name}.tfplan"));
        let json = root().join(format!("fixtures/plans/{name}.plan.json"));
        let (code, by_json, read_by) = report_of(&check(dir.path(), &json, "auto", &[]));
        assert_eq!(read_by, None, "{name}: a JSON plan is read as it is");
        let (terraform_code, by_terraform, read_by) = report_of(&check(dir.path(), &binary, "terraform", &[]));
        assert_eq!(read_by, Some("terraform".into()), "{name}");
        let (native_code, by_native, read_by) = report_of(&check(dir.path(), &binary, "native", &[]));
        assert_eq!(read_by, Some("native".into()), "{name}");
        assert_eq!((terraform_code, &by_terraform), (code, &by_json), "{name}: terraform");
        assert_eq!((native_code, &by_native), (code, &by_json), "{name}: native");
    }
}

#[test]
fn a_plan_from_another_terraform_version_is_a_clear_error() {
    let Some(dir) = working_dir() else { return };
    let plan = root().join("fixtures/plans-public/trivy__nested_modules.tfplan");
    let out = check(dir.path(), &plan, "terraform", &[]);
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("terraform said") && stderr.contains("1.7.3"), "{stderr}");
    // Natively, it is read: the AWS provider 5.35.0 has no table, so its values are masked.
    let (code, report, _) = report_of(&check(dir.path(), &plan, "native", &[]));
    assert_eq!(code, Some(2));
    assert_eq!(report["plan"]["masked_providers"], serde_json::json!(["registry.terraform.io/hashicorp/aws 5.35.0"]));
}

#[test]
fn without_terraform_binary_plans_are_read_natively() {
    // Needs no terraform: it checks what happens without one.
    let none = [("TERRAFORM_BINARY", "/nonexistent/terraform")];
    let (code, report, read_by) =
        report_of(&check(&root(), &root().join("fixtures/plans/database.tfplan"), "auto", &none));
    let (json_code, by_json, _) =
        report_of(&check(&root(), &root().join("fixtures/plans/database.plan.json"), "auto", &none));
    assert_eq!((code, read_by), (json_code, Some("native".into())));
    assert_eq!(report, by_json);
    // A provider version with no table and no terraform to ask: masked, and never a pass.
    let public = root().join("fixtures/plans-public/trivy__with_var_opentofu.tfplan");
    let (code, report, _) = report_of(&check(&root(), &public, "auto", &none));
    assert_eq!(code, Some(2));
    assert_eq!(report["plan"]["masked_providers"], serde_json::json!(["registry.opentofu.org/hashicorp/aws 5.59.0"]));
}

#[test]
fn missing_terraform_is_a_clear_error_when_terraform_is_asked_for() {
    let out = check(
        &root(),
        &root().join("fixtures/plans/noop.tfplan"),
        "terraform",
        &[("TERRAFORM_BINARY", "/nonexistent/terraform")],
    );
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("binary plan") && stderr.contains("TERRAFORM_BINARY"), "{stderr}");
    let out = check(&root(), &root().join("fixtures/plans/noop.tfplan"), "sometimes", &[]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("expected auto, native or terraform"));
}
