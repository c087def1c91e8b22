//! Real plans and real scanner reports, mutated the ways a broken pipeline or an attacker would:
//! cut short, bytes flipped, bytes spliced in, values swapped or given another type. Whatever the
//! mutation, the engine must not panic, must answer with a report or an error (never hang or crash;
//! the CLI turns an error into exit 3), and must never show a value the plan marks sensitive.

use std::path::PathBuf;

use plangate::report::{render, Format, RenderOptions};
use plangate::scan::{read, render as render_scan, ScanOptions};
use plangate::{check, CheckOptions, Limits, PlanInput, Policy};
use proptest::prelude::*;
use serde_json::Value;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

const PLANS: &[&str] = &[
    "plans/sensitive.plan.json",
    "plans/security-groups.plan.json",
    "plans/iam.plan.json",
    "plans/drift.plan.json",
    "plans-rules/pieces.plan.json",
    "plans-rules/iam-removal.plan.json",
    "plans-rules/nested-unknown.plan.json",
];

/// One real report of every format.
const REPORTS: &[&str] = &[
    "reports/codeql-action/valid-sarif.sarif",
    "reports/defectdojo/sarif__suppression_test.sarif",
    "reports/defectdojo/wizcli_iac__wizcli_iac_one_vul.json",
    "reports/defectdojo/wizcli_img__wizcli_img_many_vul.json",
    "reports/defectdojo/trivy__misconfigurations_and_secrets.json",
    "reports/defectdojo/checkov__checkov-report-1-vuln.json",
    "reports/defectdojo/kics__many_findings.json",
    "reports/defectdojo/gitleaks__gitleaks8_many.json",
    "reports/defectdojo/semgrep__high-medium-low-severities.json",
    "reports/defectdojo/snyk__single_project_one_vuln.json",
    "reports/defectdojo/tfsec__many_findings_current.json",
    "reports/grype/TestJsonImgsPresenter.golden",
];

fn read_fixture(path: &str) -> Vec<u8> {
    std::fs::read(fixtures().join(path)).unwrap()
}

fn sensitive_values() -> Vec<String> {
    let expectations: Value =
        serde_json::from_slice(&read_fixture("expectations.json")).expect("fixtures/expectations.json");
    expectations["sensitive_values"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()
}

/// A byte-level mutation of `bytes`.
#[derive(Debug, Clone)]
enum Mutation {
    Truncate(usize),
    Flip(usize, u8),
    Splice(usize, Vec<u8>),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Flip(at, byte)),
        (
            any::<usize>(),
            prop_oneof![
                Just(b"\"\\ud800\"".to_vec()),
                Just(b"1e400".to_vec()),
                Just(b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[".to_vec()),
                Just(b",null".to_vec()),
                Just(b"}".to_vec()),
                prop::collection::vec(any::<u8>(), 1..16),
            ]
        )
            .prop_map(|(at, bytes)| Mutation::Splice(at, bytes)),
    ]
}

fn apply(bytes: &[u8], mutation: &Mutation) -> Vec<u8> {
    let mut out = bytes.to_vec();
    match mutation {
        Mutation::Truncate(at) => out.truncate(at % bytes.len()),
        Mutation::Flip(at, byte) => out[at % bytes.len()] = *byte,
        Mutation::Splice(at, spliced) => {
            let at = at % bytes.len();
            out.splice(at..at, spliced.iter().copied());
        }
    }
    out
}

/// A value-level mutation that leaves every sensitivity mask alone: within the values, an attribute
/// retyped (null, a number, a list, an object) or two attributes' values swapped; or an entry's
/// actions or type changed.
#[derive(Debug, Clone)]
enum Edit {
    Retype { change: usize, side: bool, attribute: usize, to: u8 },
    Swap { change: usize, side: bool, first: usize, second: usize },
    Actions { change: usize, to: u8 },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), any::<bool>(), any::<usize>(), 0u8..5)
            .prop_map(|(change, side, attribute, to)| Edit::Retype { change, side, attribute, to }),
        (any::<usize>(), any::<bool>(), any::<usize>(), any::<usize>())
            .prop_map(|(change, side, first, second)| Edit::Swap { change, side, first, second }),
        (any::<usize>(), 0u8..6).prop_map(|(change, to)| Edit::Actions { change, to }),
    ]
}

fn side_of(change: &mut Value, after: bool) -> Option<&mut serde_json::Map<String, Value>> {
    change["change"][if after { "after" } else { "before" }].as_object_mut()
}

fn apply_edit(plan: &mut Value, edit: &Edit) {
    let Some(changes) = plan["resource_changes"].as_array_mut().filter(|c| !c.is_empty()) else { return };
    let count = changes.len();
    match *edit {
        Edit::Retype { change, side, attribute, to } => {
            let Some(values) = side_of(&mut changes[change % count], side).filter(|v| !v.is_empty()) else { return };
            let key = values.keys().nth(attribute % values.len()).unwrap().clone();
            values[&key] = match to {
                0 => Value::Null,
                1 => Value::from(-1),
                2 => Value::from(vec![Value::Null]),
                3 => Value::Object(serde_json::Map::new()),
                _ => Value::from(""),
            };
        }
        Edit::Swap { change, side, first, second } => {
            let Some(values) = side_of(&mut changes[change % count], side).filter(|v| v.len() > 1) else { return };
            let keys: Vec<String> = values.keys().cloned().collect();
            let (a, b) = (&keys[first % keys.len()], &keys[second % keys.len()]);
            let (va, vb) = (values[a].clone(), values[b].clone());
            // Only values of attributes the masks treat alike are swapped: a sensitive value never
            // moves into a place no mask covers.
            let masked = |change: &Value, key: &str| {
                ["before_sensitive", "after_sensitive"].iter().any(|m| change["change"][*m].get(key).is_some())
            };
            let change_value = changes[change % count].clone();
            if masked(&change_value, a) || masked(&change_value, b) {
                return;
            }
            let values = side_of(&mut changes[change % count], side).unwrap();
            values[a] = vb;
            values[b] = va;
        }
        Edit::Actions { change, to } => {
            let actions = [
                vec!["create"],
                vec!["delete"],
                vec!["update"],
                vec!["delete", "create"],
                vec!["no-op"],
                vec!["forget"],
            ];
            changes[change % count]["change"]["actions"] =
                Value::from(actions[usize::from(to) % actions.len()].clone());
        }
    }
}

/// Everything the analysis of `bytes` can say: every format of its report, or its error.
fn everything_said(bytes: &[u8]) -> String {
    let options = CheckOptions::new(Policy::default()).label("mutated.plan.json");
    match check(PlanInput::bytes(bytes), &options) {
        Ok(report) => {
            let render_options = RenderOptions::new("mutated.plan.json");
            [Format::Text, Format::Json, Format::Sarif, Format::Markdown, Format::Github]
                .iter()
                .map(|format| render(&report, *format, &render_options))
                .collect()
        }
        Err(error) => format!("{error} {:?}", error.details()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    #[test]
    fn mutated_plans_give_a_report_or_an_error(plan in 0..PLANS.len(), mutation in mutation()) {
        let original = read_fixture(PLANS[plan]);
        let _ = everything_said(&apply(&original, &mutation));
    }

    #[test]
    fn no_mutation_that_keeps_the_masks_shows_a_sensitive_value(
        edits in prop::collection::vec(edit(), 1..6),
        splice in prop::option::of((any::<usize>(), prop_oneof![Just("1e400"), Just("\"\\udfff\"")])),
    ) {
        let mut plan: Value = serde_json::from_slice(&read_fixture("plans/sensitive.plan.json")).unwrap();
        for edit in &edits {
            apply_edit(&mut plan, edit);
        }
        let mut text = plan.to_string();
        // A value that scans but does not parse, put in place of any one value of the plan (a
        // mask's included: one that cannot be read hides everything).
        if let Some((at, value)) = splice {
            let starts: Vec<usize> = text.match_indices("\":").map(|(i, _)| i + 2).collect();
            let start = starts[at % starts.len()];
            let mut values = serde_json::Deserializer::from_str(&text[start..]).into_iter::<serde::de::IgnoredAny>();
            if let Some(Ok(_)) = values.next() {
                let end = start + values.byte_offset();
                text.replace_range(start..end, value);
            }
        }
        let said = everything_said(text.as_bytes());
        for secret in sensitive_values() {
            prop_assert!(!said.contains(&secret), "{secret} shown after {edits:?}: {said}");
        }
    }

    #[test]
    fn mutated_reports_give_findings_or_an_error(report in 0..REPORTS.len(), mutation in mutation()) {
        let original = read_fixture(REPORTS[report]);
        let mutated = apply(&original, &mutation);
        if let Ok(read) = read(&mutated, REPORTS[report], None, &Limits::default()) {
            let outcome = plangate::scan::judge(&[read], &ScanOptions::default());
            for format in [Format::Text, Format::Json, Format::Sarif, Format::Markdown, Format::Github] {
                let _ = render_scan(&outcome, format);
            }
        }
    }
}

#[test]
fn secrets_in_reports_stay_out_of_every_output() {
    // Gitleaks and Trivy carry the secret they found (`Secret`, `Match`): it is never copied.
    for (path, field) in [
        ("reports/defectdojo/gitleaks__gitleaks8_many.json", "Secret"),
        ("reports/defectdojo/trivy__misconfigurations_and_secrets.json", "Match"),
    ] {
        let bytes = read_fixture(path);
        let json: Value = serde_json::from_slice(&bytes).unwrap();
        let mut secrets = Vec::new();
        collect(&json, field, &mut secrets);
        assert!(!secrets.is_empty(), "{path} holds {field}");
        let outcome =
            plangate::scan::judge(&[read(&bytes, path, None, &Limits::default()).unwrap()], &ScanOptions::default());
        for format in [Format::Text, Format::Json, Format::Sarif, Format::Markdown, Format::Github] {
            let said = render_scan(&outcome, format);
            for secret in &secrets {
                assert!(!said.contains(secret.as_str()), "{path} {format:?} shows {secret}");
            }
        }
    }
}

fn collect(value: &Value, field: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match v {
                    Value::String(s) if key == field && s.len() >= 8 => out.push(s.clone()),
                    _ => collect(v, field, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect(v, field, out)),
        _ => {}
    }
}

/// A key written twice inside a value a rule reads: readers that keep the first value see the web
/// group's HTTP rule open to the internet, readers that keep the last (serde_json's `Value`, jq)
/// see 10.0.0.0/8. The change cannot be verified: the check fails, naming the key.
#[test]
fn a_key_written_twice_inside_a_value_makes_the_change_unverifiable() {
    let text = String::from_utf8(read_fixture("plans/security-groups.plan.json")).unwrap();
    let changes = text.find(r#""resource_changes""#).unwrap();
    let web = changes + text[changes..].find(r#""address":"aws_security_group.web""#).unwrap();
    let after = web + text[web..].find(r#""after":"#).unwrap();
    let rule = after + text[after..].find(r#""ingress":[{"#).unwrap() + r#""ingress":[{"#.len();
    let twice = format!(r#"{}"cidr_blocks":["0.0.0.0/0"],{}"#, &text[..rule], &text[rule..]);
    assert!(twice[rule..].starts_with(r#""cidr_blocks":["0.0.0.0/0"],"cidr_blocks":["10.0.0.0/8"]"#));
    let err = check(PlanInput::bytes(twice.as_bytes()), &CheckOptions::new(Policy::default())).unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("aws_security_group.web") && message.contains("`cidr_blocks` is written twice"),
        "{message}"
    );
}
