//! `plangate check --source-dir`: every finding of the project's real plans maps to the right lines
//! of the Terraform sources that made them (local modules included), in every output format.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The planned configuration of a scenario (its `2.tf`, as `main.tf`, and its module folders), the
/// way the working directory looked when the plan was made.
fn working_dir(scenario: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = root().join("fixtures/scenarios").join(scenario);
    std::fs::copy(from.join("2.tf"), dir.path().join("main.tf")).unwrap();
    copy_folders(&from, dir.path());
    dir
}

fn copy_folders(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            let target = to.join(path.file_name().unwrap());
            std::fs::create_dir_all(&target).unwrap();
            for file in std::fs::read_dir(&path).unwrap() {
                let file = file.unwrap().path();
                if file.is_dir() {
                    copy_folders(&path, &to.join(path.file_name().unwrap()));
                    break;
                }
                std::fs::copy(&file, target.join(file.file_name().unwrap())).unwrap();
            }
        }
    }
}

fn plan_of(scenario: &str) -> PathBuf {
    let rules = root().join("fixtures/plans-rules").join(format!("{scenario}.plan.json"));
    if rules.exists() {
        rules
    } else {
        root().join("fixtures/plans").join(format!("{scenario}.plan.json"))
    }
}

fn check(plan: &Path, dir: &Path, format: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_plangate"))
        .args(["check", "-f", format, "--source-dir"])
        .arg(dir)
        .arg(plan)
        .env_remove("TF_PLAN_CHECK_CONFIG")
        .output()
        .unwrap();
    assert!(matches!(out.status.code(), Some(0..=2)), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The line where `resource "TYPE" "NAME"` (or `data`) opens in `file`, found by reading the text:
/// the test's own, independent idea of the right line.
fn declared_line(dir: &Path, file: &str, kind: &str, resource_type: &str, name: &str) -> Option<usize> {
    let text = std::fs::read_to_string(dir.join(file)).ok()?;
    let opening = format!("{kind} \"{resource_type}\" \"{name}\"");
    text.lines().position(|line| line.trim_start().starts_with(&opening)).map(|i| i + 1)
}

#[test]
fn every_finding_of_the_scenarios_maps_to_the_line_that_declares_it() {
    for scenario in ["exposure", "protections", "tightening", "unverifiable", "nested-unknown", "modules"] {
        let dir = working_dir(scenario);
        let report: serde_json::Value = serde_json::from_str(&check(&plan_of(scenario), dir.path(), "json")).unwrap();
        let findings = report["findings"].as_array().unwrap();
        for finding in findings.iter().filter(|f| f["rule"] != "PG-WVR-001") {
            let address = finding["address"].as_str().unwrap();
            let location = &finding["location"];
            // A deleted resource maps to its block when the block is still there (a count that
            // shrank), else says it was removed.
            if finding["actions"] == serde_json::json!(["delete"]) && location.get("unmapped").is_some() {
                let why = location["unmapped"].as_str().unwrap();
                assert!(why.contains("removed from the configuration"), "{scenario}: {address}: {location}");
                continue;
            }
            let file =
                location["file"].as_str().unwrap_or_else(|| panic!("{scenario}: {address} is not mapped: {location}"));
            let resource_type = finding["type"].as_str().unwrap();
            let kind = if address.contains(".data.") || address.starts_with("data.") { "data" } else { "resource" };
            let name = address.rsplit_once(&format!("{resource_type}.")).unwrap().1;
            let name = name.split('[').next().unwrap();
            let expected = declared_line(dir.path(), file, kind, resource_type, name)
                .unwrap_or_else(|| panic!("{scenario}: {address}: {file} does not declare it"));
            assert_eq!(location["start_line"], expected, "{scenario}: {address}");
            assert!(location["end_line"].as_u64() >= location["start_line"].as_u64(), "{scenario}: {address}");
        }
        assert!(scenario == "tightening" || !findings.is_empty(), "{scenario} has findings to map");
    }
}

#[test]
fn instances_in_nested_local_modules_map_into_the_module_files() {
    let dir = working_dir("modules");
    let report: serde_json::Value = serde_json::from_str(&check(&plan_of("modules"), dir.path(), "json")).unwrap();
    let shard = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["address"] == "module.storage.aws_dynamodb_table.shard[2]")
        .unwrap();
    assert_eq!(shard["location"]["file"], "modules/storage/main.tf");
}

#[test]
fn sarif_github_text_and_markdown_name_the_file_and_line() {
    let dir = working_dir("exposure");
    let plan = plan_of("exposure");
    let json: serde_json::Value = serde_json::from_str(&check(&plan, dir.path(), "json")).unwrap();
    let first = &json["findings"][0];
    let (file, line) = (first["location"]["file"].as_str().unwrap(), first["location"]["start_line"].as_u64().unwrap());
    let sarif: serde_json::Value = serde_json::from_str(&check(&plan, dir.path(), "sarif")).unwrap();
    let physical = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(
        (physical["artifactLocation"]["uri"].as_str(), physical["region"]["startLine"].as_u64()),
        (Some(file), Some(line))
    );
    assert!(physical["region"]["endLine"].as_u64() >= Some(line));
    let github = check(&plan, dir.path(), "github");
    assert!(github.lines().next().unwrap().contains(&format!("file={file},line={line},endLine=")), "{github}");
    assert!(check(&plan, dir.path(), "text").contains(&format!("({file}:{line})")));
    assert!(check(&plan, dir.path(), "markdown").contains(&format!(" · {file}:{line}</sub>")));
    // The other CIs' formats point at the same place.
    let quality: serde_json::Value = serde_json::from_str(&check(&plan, dir.path(), "gitlab")).unwrap();
    assert_eq!(
        (quality[0]["location"]["path"].as_str(), quality[0]["location"]["lines"]["begin"].as_u64()),
        (Some(file), Some(line))
    );
    let azure = check(&plan, dir.path(), "azure-devops");
    assert!(azure.lines().next().unwrap().contains(&format!(";sourcepath={file};linenumber={line};")), "{azure}");
    assert!(check(&plan, dir.path(), "junit").contains(&format!("file=\"{file}\"")));
}

#[test]
fn what_cannot_be_mapped_says_why_and_a_missing_directory_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "module \"storage\" {\n  source = \"git::https://example.com/storage.git\"\n}\n",
    )
    .unwrap();
    let report: serde_json::Value =
        serde_json::from_str(&check(&root().join("fixtures/plans/modules.plan.json"), dir.path(), "json")).unwrap();
    let unmapped = report["findings"][0]["location"]["unmapped"].as_str().unwrap();
    assert!(unmapped.contains("module.storage comes from \"git::https://example.com/storage.git\""), "{unmapped}");
    let out = Command::new(env!("CARGO_BIN_EXE_plangate"))
        .args(["check", "--source-dir", "/nonexistent/infra"])
        .arg(plan_of("exposure"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/infra"));
}
