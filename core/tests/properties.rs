//! Property tests: no input makes the analysis panic; it either gives a report or an error.

use plangate::Policy;
use proptest::prelude::*;
use serde_json::{json, Value};

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,10}", inner, 0..6).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn action() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!(["no-op"])),
        Just(json!(["create"])),
        Just(json!(["update"])),
        Just(json!(["delete"])),
        Just(json!(["delete", "create"])),
        Just(json!(["create", "delete"])),
        Just(json!(["forget"])),
        Just(json!(["read"])),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = plangate::analyze(&bytes, &Policy::default());
    }

    #[test]
    fn arbitrary_values_in_a_change_never_panic(
        before in arbitrary_json(), after in arbitrary_json(), unknown in arbitrary_json(),
        before_sensitive in arbitrary_json(), after_sensitive in arbitrary_json(), actions in action(),
        resource_type in prop_oneof![Just("aws_security_group"), Just("aws_iam_role"), Just("aws_s3_bucket"), Just("aws_sqs_queue")],
    ) {
        let plan = json!({"format_version": "1.2", "resource_changes": [{
            "address": format!("{resource_type}.x"), "type": resource_type, "name": "x",
            "change": {"actions": actions, "before": before, "after": after, "after_unknown": unknown,
                       "before_sensitive": before_sensitive, "after_sensitive": after_sensitive}}],
            "resource_drift": [{"address": "aws_vpc.y", "type": "aws_vpc", "name": "y",
                       "change": {"actions": ["update"], "before": before, "after": after}}]});
        let report = plangate::analyze(plan.to_string().as_bytes(), &Policy::default());
        prop_assert!(report.is_ok(), "{:?}", report.err());
    }

    #[test]
    fn truncated_plans_are_errors_not_verdicts(cut in 1usize..40_000) {
        let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/plans/audit-system-prod.plan.json")).unwrap();
        let cut = cut.min(bytes.len() - 1);
        // The file ends with a newline, so cutting one byte still leaves whole JSON.
        prop_assume!(bytes[..cut].iter().rev().any(|b| !b.is_ascii_whitespace()) && cut < bytes.len() - 2);
        prop_assert!(plangate::analyze(&bytes[..cut], &Policy::default()).is_err());
    }
}
