//! Every real plan in `fixtures/plans` against what `fixtures/README.md` says a good analysis
//! reports under the default policy.

use std::collections::BTreeMap;
use std::path::PathBuf;

use plangate::report::Status;
use plangate::{Policy, Report, Severity};

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/plans").join(format!("{name}.plan.json"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn analyze(name: &str) -> Report {
    plangate::check(plangate::PlanInput::bytes(&fixture(name)), &plangate::CheckOptions::new(Policy::default()))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The worst severity reported for each address.
fn worst(report: &Report) -> BTreeMap<&str, Severity> {
    let mut worst = BTreeMap::new();
    for f in &report.findings {
        let entry = worst.entry(f.address.as_str()).or_insert(f.severity);
        *entry = (*entry).max(f.severity);
    }
    worst
}

/// What `fixtures/expectations.json` (the fixtures README's table, as data shared by the Rust,
/// Python and Node suites) says of one plan.
#[derive(serde::Deserialize)]
struct Expect {
    critical: Vec<String>,
    at_least_high: Vec<String>,
    no_finding: Vec<String>,
    status: Vec<Status>,
}

fn expectations() -> BTreeMap<String, Expect> {
    #[derive(serde::Deserialize)]
    struct Expectations {
        plans: BTreeMap<String, Expect>,
    }
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/expectations.json");
    let text = std::fs::read_to_string(path).unwrap();
    serde_json::from_str::<Expectations>(&text).unwrap().plans
}

#[test]
fn every_fixture_plan_gives_what_the_readme_says() {
    let mut failures = Vec::new();
    for (plan, expect) in expectations() {
        let report = analyze(&plan);
        let worst = worst(&report);
        for address in &expect.critical {
            if worst.get(address.as_str()) != Some(&Severity::Critical) {
                failures.push(format!("{plan}: {address} should be critical, is {:?}", worst.get(address.as_str())));
            }
        }
        for address in &expect.at_least_high {
            if worst.get(address.as_str()).is_none_or(|s| *s < Severity::High) {
                failures
                    .push(format!("{plan}: {address} should be at least high, is {:?}", worst.get(address.as_str())));
            }
        }
        for address in &expect.no_finding {
            if let Some(severity) = worst.get(address.as_str()) {
                failures.push(format!("{plan}: {address} should have no finding, has {severity:?}"));
            }
        }
        if !expect.status.contains(&report.status) {
            failures.push(format!("{plan}: status {:?}, expected one of {:?}", report.status, expect.status));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_fixture_plan_is_in_the_table() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/plans");
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if let Some(plan) = name.strip_suffix(".plan.json") {
            assert!(expectations().contains_key(plan), "{plan} has no expectations");
        }
    }
}

#[test]
fn what_must_not_be_critical() {
    let worst_of = |plan: &str, address: &str| worst(&analyze(plan)).get(address).copied();
    assert_eq!(
        worst_of("security-groups", "aws_security_group.workers"),
        Some(Severity::High),
        "egress only: at most high"
    );
    assert_ne!(worst_of("refactor", "aws_dynamodb_table.legacy"), Some(Severity::Critical), "forget is never critical");
    assert_ne!(worst_of("drift", "aws_security_group.db"), Some(Severity::Critical), "reverting drift is not critical");
}

#[test]
fn the_audit_plan_reads_as_the_pipeline_script_did() {
    let report = analyze("audit-system-prod");
    assert_eq!((report.total_changes, report.high_risk_changes, report.critical_changes), (7, 0, 3));
    let text = plangate::report::render(
        &report,
        plangate::report::Format::Text,
        &plangate::report::RenderOptions::new("p").verbose(false),
    );
    for line in [
        "=== Analyzing Terraform Plan ===",
        "=== Checking for Resource Deletions ===\nWARNING: Found resource deletions:\nCRITICAL: Attempting to delete aws_dynamodb_table.audit_events\n",
        "=== Checking Security Group Changes ===\nCRITICAL: Modifying inbound rules for aws_security_group.audit_system",
        "=== Change Summary ===\nTotal changes: 7\nHigh-risk changes: 0\nCritical changes: 3\n\nERROR: Critical changes detected. Manual review required.\n",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
}

#[test]
fn drift_that_opens_access_is_flagged_but_not_counted() {
    let report = analyze("drift");
    let sg = report.drift.iter().find(|d| d.address == "aws_security_group.db").unwrap();
    assert!(
        sg.flags.iter().any(|f| f.rule == "PG-SG-001" && f.message.contains("5432") && f.message.contains("0.0.0.0/0")),
        "{:#?}",
        sg.flags
    );
    assert_eq!(report.critical_changes, 0);
}

#[test]
fn total_changes_leave_out_no_ops_and_reads() {
    assert_eq!(analyze("audit-system-prod").total_changes, 7);
    assert_eq!(analyze("noop").total_changes, 0);
    assert_eq!(analyze("refactor").total_changes, 1, "only the forget counts: moved and imported no-ops do not");
    assert_eq!(analyze("safe").total_changes, 5, "the data source read does not count");
}

#[test]
fn forget_is_a_notice_never_critical() {
    let report = analyze("refactor");
    let forget: Vec<_> = report.findings.iter().filter(|f| f.address == "aws_dynamodb_table.legacy").collect();
    assert_eq!(forget.len(), 1);
    assert_eq!((forget[0].severity, forget[0].rule.as_str()), (Severity::Notice, "PG-DEL-003"));
    assert_eq!(report.critical_changes + report.high_risk_changes, 0);
    assert_eq!(report.exit_code(), 0);
}

#[test]
fn tags_only_updates_are_never_high_risk_even_for_high_risk_classes() {
    let policy =
        Policy::from_yaml("resource_classifications: {high_risk: [aws_iam_user, aws_s3_bucket]}", "test").unwrap();
    let report =
        plangate::check(plangate::PlanInput::bytes(&fixture("iam")), &plangate::CheckOptions::new(policy.clone()))
            .unwrap();
    assert!(report.findings.iter().all(|f| f.address != "aws_iam_user.ci"), "{:#?}", report.findings);
    let report =
        plangate::check(plangate::PlanInput::bytes(&fixture("safe")), &plangate::CheckOptions::new(policy.clone()))
            .unwrap();
    assert!(report.findings.iter().all(|f| f.address != "aws_s3_bucket.site"), "{:#?}", report.findings);
}

#[test]
fn findings_are_ordered_by_severity_then_address() {
    let report = analyze("critical-deletions");
    let order: Vec<(Severity, &str)> = report.findings.iter().map(|f| (f.severity, f.address.as_str())).collect();
    let mut sorted = order.clone();
    sorted.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    assert_eq!(order, sorted);
}

#[test]
fn drift_is_reported_apart_and_not_counted() {
    let report = analyze("drift");
    let sg = report.drift.iter().find(|d| d.address == "aws_security_group.db").expect("the security group drifted");
    assert_eq!(sg.changed_attributes, ["ingress"]);
    assert!(report.drift.iter().all(|d| d.address != "aws_vpc.main"), "tags null -> {{}} is not drift");
}

/// Terraform 1.0.0 wrote `resource_drift` entries without `address` (fixed in 1.0.1,
/// hashicorp/terraform#28975). Every real plan with the address taken out of every entry, drift and
/// changes alike, as such a Terraform would have written it: the same report, addresses made from
/// `module_address`, `mode`, `type`, `name` and `index`.
#[test]
fn entries_without_an_address_read_as_terraform_wrote_them() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
    let mut compared = 0;
    for dir in ["plans", "plans-rules", "plans-public"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if !path.to_string_lossy().ends_with(".json") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let options = plangate::CheckOptions::new(Policy::default());
            let Ok(original) = plangate::check(plangate::PlanInput::bytes(&bytes), &options) else { continue };
            let Ok(mut plan) = serde_json::from_slice::<serde_json::Value>(&bytes) else { continue };
            for section in ["resource_changes", "resource_drift"] {
                for change in plan[section].as_array_mut().into_iter().flatten() {
                    change.as_object_mut().unwrap().remove("address");
                }
            }
            let stripped = serde_json::to_vec(&plan).unwrap();
            let report = plangate::check(plangate::PlanInput::bytes(&stripped), &options)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(report, original, "{}", path.display());
            compared += 1;
        }
    }
    assert!(compared > 40, "compared {compared} plans");
}
