//! Values hidden with `sensitive()` must never turn a risky change into a pass. Every real plan's
//! changes that carry a high or critical finding are checked again with each of their top-level
//! attributes marked sensitive, one at a time, before and after: the change must still carry a
//! high or critical finding (its own, or PG-READ-002 saying that what the rules judge is hidden).

use std::path::PathBuf;

use plangate::{check, CheckOptions, PlanInput, Policy, Report, Severity};
use serde_json::Value;

fn plans() -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
    let mut plans: Vec<PathBuf> = ["plans", "plans-rules"]
        .iter()
        .flat_map(|dir| std::fs::read_dir(root.join(dir)).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".plan.json"))
        .collect();
    plans.sort();
    plans
}

fn analyze(plan: &Value) -> Report {
    check(PlanInput::bytes(plan.to_string().as_bytes()), &CheckOptions::new(Policy::default())).unwrap()
}

fn counted_finding(report: &Report, address: &str) -> bool {
    report.findings.iter().any(|f| f.address == address && f.severity >= Severity::High)
}

/// Marks `attribute` sensitive on both sides of change `index`.
fn hide(plan: &Value, index: usize, attribute: &str) -> Value {
    let mut plan = plan.clone();
    let change = &mut plan["resource_changes"][index]["change"];
    for (side, mask) in [("before", "before_sensitive"), ("after", "after_sensitive")] {
        if change[side].is_object() {
            if !change[mask].is_object() {
                change[mask] = Value::Object(Default::default());
            }
            change[mask][attribute] = Value::Bool(true);
        }
    }
    plan
}

#[test]
fn no_risky_change_passes_because_a_value_is_hidden() {
    let (mut tried, mut failures) = (0, Vec::new());
    for path in plans() {
        let plan: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let report = analyze(&plan);
        for (index, rc) in plan["resource_changes"].as_array().into_iter().flatten().enumerate() {
            let address = rc["address"].as_str().unwrap();
            if !counted_finding(&report, address) {
                continue;
            }
            let change = &rc["change"];
            let attributes = change["after"].as_object().or(change["before"].as_object()).into_iter().flatten();
            for (attribute, _) in attributes {
                tried += 1;
                if !counted_finding(&analyze(&hide(&plan, index, attribute)), address) {
                    failures.push(format!("{}: {address} passes with `{attribute}` sensitive", path.display()));
                }
            }
        }
    }
    assert!(tried > 500, "only {tried} cases");
    assert!(failures.is_empty(), "{} of {tried}:\n{}", failures.len(), failures.join("\n"));
}
