//! Snapshots of the text and JSON reports for every fixture plan under the default policy. A change
//! in what plangate says about a real plan shows up here as a diff to review.

use std::path::PathBuf;

use plangate::report::{render, Format, RenderOptions};
use plangate::{check, CheckOptions, PlanInput, Policy};

#[test]
fn text_and_json_reports_of_every_fixture_plan() {
    // (folder, snapshot name prefix, how many plans at least)
    for (folder, prefix, at_least) in [("plans", "", 16), ("plans-rules", "rules-", 4)] {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures").join(folder);
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.unwrap().file_name().to_string_lossy().strip_suffix(".plan.json").map(str::to_owned))
            .collect();
        names.sort();
        assert!(names.len() >= at_least, "fixtures/{folder} is incomplete: {names:?}");
        let check_options = CheckOptions::new(Policy::default());
        for name in names {
            let bytes = std::fs::read(dir.join(format!("{name}.plan.json"))).unwrap();
            let report = check(PlanInput::bytes(&bytes), &check_options).unwrap();
            let options = RenderOptions::new(format!("fixtures/{folder}/{name}.plan.json"));
            insta::assert_snapshot!(format!("{prefix}{name}.text"), render(&report, Format::Text, &options));
            let json = render(&report, Format::Json, &options);
            insta::assert_snapshot!(format!("{prefix}{name}.json"), json);
            // The JSON report is a contract: it reads back into the very same report.
            let read_back: plangate::Report = serde_json::from_str(&json).unwrap();
            assert_eq!(read_back, report, "{name}: the JSON report does not read back into the same value");
        }
    }
}

#[test]
fn text_and_json_reports_of_the_azure_and_google_public_plans() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/plans-public");
    let check_options = CheckOptions::new(Policy::default());
    for name in [
        "checkov__azurerm_nsg_rules",
        "checkov__google_firewalls",
        "terraform-validator__compute_firewall",
        "terraform-validator__full_sql_database_instance",
        "terraform-validator__project_iam_policy",
        "terraform-validator__storage_bucket_iam_member",
    ] {
        let bytes = std::fs::read(dir.join(format!("{name}.json"))).unwrap();
        let report = check(PlanInput::bytes(&bytes), &check_options).unwrap();
        let options = RenderOptions::new(format!("fixtures/plans-public/{name}.json"));
        insta::assert_snapshot!(format!("public-{name}.text"), render(&report, Format::Text, &options));
        insta::assert_snapshot!(format!("public-{name}.json"), render(&report, Format::Json, &options));
    }
}
