//! Every AWS resource type is judged: with `high_risk: ["aws_*"]`, a create of each of the 1,526
//! managed resource types of the AWS provider 5.100.0 is reported, whether or not a rule family
//! reads its attributes. A configured class must never pass silently.

use std::path::PathBuf;

use plangate::{check, CheckOptions, PlanInput, Policy};
use serde_json::json;

fn resource_types() -> Vec<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/aws-provider/resource-types-5.100.0.txt");
    let text = std::fs::read_to_string(path).unwrap();
    text.lines().filter(|l| !l.trim().is_empty()).map(str::to_owned).collect()
}

#[test]
fn a_create_of_every_aws_resource_type_in_a_configured_class_is_reported() {
    let types = resource_types();
    assert_eq!(types.len(), 1526, "the provider's list of resource types");
    let changes: Vec<_> = types
        .iter()
        .map(|t| {
            json!({"address": format!("{t}.new"), "mode": "managed", "type": t, "name": "new",
                   "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {"id": true},
                              "before_sensitive": false, "after_sensitive": {}}})
        })
        .collect();
    let plan = json!({"format_version": "1.2", "resource_changes": changes}).to_string();
    let policy = Policy::from_yaml("resource_classifications: {high_risk: [\"aws_*\"]}", "test").unwrap();
    let report = check(PlanInput::bytes(plan.as_bytes()), &CheckOptions::new(policy)).unwrap();
    let silent: Vec<&String> =
        types.iter().filter(|t| !report.findings.iter().any(|f| f.resource_type == **t)).collect();
    assert!(silent.is_empty(), "{} types pass without a finding: {silent:?}", silent.len());
    assert_eq!(report.high_risk_changes + report.critical_changes, types.len());
}

#[test]
fn the_types_the_issue_named_are_reported_under_narrow_classes() {
    let policy =
        Policy::from_yaml("resource_classifications: {high_risk: [\"aws_iam_*\", \"aws_kms_*\"]}", "x").unwrap();
    for t in ["aws_iam_access_key", "aws_kms_grant"] {
        let plan =
            json!({"format_version": "1.2", "resource_changes": [{"address": format!("{t}.k"), "type": t, "name": "k",
            "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}}]})
            .to_string();
        let report = check(PlanInput::bytes(plan.as_bytes()), &CheckOptions::new(policy.clone())).unwrap();
        assert_eq!(report.high_risk_changes, 1, "{t}: {:#?}", report.findings);
    }
}
