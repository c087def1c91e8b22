//! The compatibility corpus: real plans from other projects, format versions 0.1 to 1.2, Terraform
//! 0.12 to 1.15. Each analyses, or fails with a located message where it is invalid on purpose.

use std::path::PathBuf;

use plangate::plan::PlanError;
use plangate::{Policy, Report, Severity};

fn read(name: &str) -> Vec<u8> {
    std::fs::read(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/plans-public").join(name)).unwrap()
}

fn analyze(name: &str) -> Report {
    plangate::check(plangate::PlanInput::bytes(&read(name)), &plangate::CheckOptions::new(Policy::default()))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn every_valid_json_plan_analyses() {
    // (file, total_changes) — counts from the corpus README, less no-ops and reads.
    let expected = [
        ("checkov__plan_change_keys.json", 2),
        ("checkov__plan_with_deleted_resources.json", 1),
        ("checkov__plan_win_utf16.json", 1),
        ("checkov__plan_with_iam_policies.json", 7),
        ("checkov__plan_route53_no_values.json", 4),
        ("checkov__plan_for_each_enrichment.json", 5),
        ("infracost__terraform_v0.12_plan.json", 13),
        ("overmind__plan_no_format_version.json", 4),
        ("terraform-json__moved_block.json", 0),
        ("terraform-json__action_reason.json", 1),
        ("terraform-json__identity.json", 1),
        ("terraform-json__has_checks.json", 2),
        ("policy-engine__resource_changes.json", 3),
        ("policy-engine__sensitive.json", 1),
        ("terraform-plan-comment__3_remove_forget.json", 1),
        ("terraform-plan-comment__7_create_hundreds.json", 300),
        ("tf-summarize__example_tfplan.json", 7),
        ("trivy__module_call.json", 1),
    ];
    for (name, total) in expected {
        assert_eq!(analyze(name).total_changes, total, "{name}");
    }
}

#[test]
fn headers_of_every_format_version_are_read() {
    assert_eq!(analyze("infracost__terraform_v0.12_plan.json").plan.format_version.as_deref(), Some("0.1"));
    assert_eq!(analyze("terraform-json__identity.json").plan.terraform_version.as_deref(), Some("1.13.0-dev"));
    let headless = analyze("overmind__plan_no_format_version.json");
    assert_eq!((headless.plan.format_version, headless.plan.terraform_version), (None, None));
}

#[test]
fn utf16_with_bom_reads_like_utf8() {
    let report = analyze("checkov__plan_win_utf16.json");
    assert_eq!(report.plan.terraform_version.as_deref(), Some("1.2.2"));
}

#[test]
fn the_wrapper_noise_file_is_a_located_error_with_a_hint() {
    let err = plangate::check(
        plangate::PlanInput::bytes(&read("infracost__plan_with_terraform_wrapper.json")),
        &plangate::CheckOptions::new(Policy::default()),
    )
    .unwrap_err();
    let plangate::Error::Plan { error: PlanError::Syntax { location, hint, .. }, .. } = &err else {
        panic!("expected a syntax error, got {err}")
    };
    assert_eq!((location.line, location.column, location.offset), (1, 2, 1));
    assert!(hint.as_deref().is_some_and(|h| h.contains("setup-terraform")), "{err}");
}

#[test]
fn forget_and_tainted_replacements_from_other_terraform_versions() {
    let forget = analyze("terraform-plan-comment__3_remove_forget.json");
    assert!(forget.findings.iter().all(|f| f.severity == Severity::Notice) && !forget.findings.is_empty());
    let tainted = analyze("terraform-json__action_reason.json");
    assert!(tainted.findings.iter().any(|f| f.message.contains("tainted")), "{:#?}", tainted.findings);
}
