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
            prop::collection::btree_map("[a-z_]{1,10}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A side of a change as Terraform writes it: an object of attributes or null (a mask may also be
/// a boolean).
fn arbitrary_side(mask: bool) -> impl Strategy<Value = Value> {
    let object = prop::collection::btree_map("[a-z_]{1,10}", arbitrary_json(), 0..6)
        .prop_map(|m| Value::Object(m.into_iter().collect()));
    if mask {
        prop_oneof![Just(Value::Null), any::<bool>().prop_map(Value::Bool), object].boxed()
    } else {
        prop_oneof![Just(Value::Null), object].boxed()
    }
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
        let _ = plangate::check(plangate::PlanInput::bytes(&bytes), &plangate::CheckOptions::new(Policy::default()));
    }

    #[test]
    fn arbitrary_values_in_a_change_never_panic(
        before in arbitrary_side(false), after in arbitrary_side(false), unknown in arbitrary_side(true),
        before_sensitive in arbitrary_side(true), after_sensitive in arbitrary_side(true), actions in action(),
        resource_type in prop_oneof![Just("aws_security_group"), Just("aws_iam_role"), Just("aws_s3_bucket"), Just("aws_sqs_queue")],
    ) {
        let plan = json!({"format_version": "1.2", "resource_changes": [{
            "address": format!("{resource_type}.x"), "type": resource_type, "name": "x",
            "change": {"actions": actions, "before": before, "after": after, "after_unknown": unknown,
                       "before_sensitive": before_sensitive, "after_sensitive": after_sensitive}}],
            "resource_drift": [{"address": "aws_vpc.y", "type": "aws_vpc", "name": "y",
                       "change": {"actions": ["update"], "before": before, "after": after}}]});
        let report = plangate::check(plangate::PlanInput::bytes(plan.to_string().as_bytes()), &plangate::CheckOptions::new(Policy::default()));
        prop_assert!(report.is_ok(), "{:?}", report.err());
    }

    #[test]
    fn truncated_plans_are_errors_not_verdicts(cut in 1usize..40_000) {
        let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/plans/audit-system-prod.plan.json")).unwrap();
        let cut = cut.min(bytes.len() - 1);
        // The file ends with a newline, so cutting one byte still leaves whole JSON.
        prop_assume!(bytes[..cut].iter().rev().any(|b| !b.is_ascii_whitespace()) && cut < bytes.len() - 2);
        prop_assert!(plangate::check(plangate::PlanInput::bytes(&bytes[..cut]), &plangate::CheckOptions::new(Policy::default())).is_err());
    }
}

/// The worst non-waived severity reported for the one change of a plan (0 none, 1 notice, 2 high,
/// 3 critical).
fn worst_severity(plan: &Value) -> u8 {
    let report = plangate::check(
        plangate::PlanInput::bytes(plan.to_string().as_bytes()),
        &plangate::CheckOptions::new(Policy::default()),
    )
    .unwrap();
    report.findings.iter().map(|f| f.severity as u8 + 1).max().unwrap_or(0)
}

fn update_plan(resource_type: &str, before: Value, after: Value) -> Value {
    json!({"format_version": "1.2", "resource_changes": [{
        "address": format!("{resource_type}.x"), "type": resource_type, "name": "x",
        "change": {"actions": ["update"], "before": before, "after": after, "after_unknown": {},
                   "before_sensitive": {}, "after_sensitive": {}}}]})
}

fn ingress_block() -> impl Strategy<Value = Value> {
    let cidr =
        prop_oneof![Just("0.0.0.0/0"), Just("10.0.0.0/8"), Just("10.1.0.0/16"), Just("192.168.0.0/16"), Just("::/0")];
    let protocol = prop_oneof![Just("tcp"), Just("udp"), Just("-1")];
    (protocol, 0i64..1024, 0i64..64, cidr).prop_map(|(protocol, from, span, cidr)| {
        let (v4, v6): (Vec<&str>, Vec<&str>) =
            if cidr.contains(':') { (vec![], vec![cidr]) } else { (vec![cidr], vec![]) };
        json!({"protocol": protocol, "from_port": from, "to_port": from + span, "cidr_blocks": v4,
               "ipv6_cidr_blocks": v6, "prefix_list_ids": [], "security_groups": [], "self": false, "description": ""})
    })
}

fn statement() -> impl Strategy<Value = Value> {
    let action = prop_oneof![
        Just("s3:GetObject"),
        Just("s3:*"),
        Just("iam:PassRole"),
        Just("*"),
        Just("dynamodb:PutItem"),
        Just("iam:Get*")
    ];
    let resource = prop_oneof![Just("*"), Just("arn:aws:s3:::bucket/*"), Just("arn:aws:dynamodb:us-east-1:1:table/t")];
    (prop::collection::vec(action, 1..3), resource)
        .prop_map(|(actions, resource)| json!({"Effect": "Allow", "Action": actions, "Resource": resource}))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn adding_an_inbound_source_never_lowers_the_severity(
        before in prop::collection::vec(ingress_block(), 0..4),
        after in prop::collection::vec(ingress_block(), 0..4),
        extra in ingress_block(),
    ) {
        let sg = |rules: &[Value]| json!({"name": "x", "ingress": rules, "egress": []});
        let mut wider = after.clone();
        wider.push(extra);
        let without = worst_severity(&update_plan("aws_security_group", sg(&before), sg(&after)));
        let with = worst_severity(&update_plan("aws_security_group", sg(&before), sg(&wider)));
        prop_assert!(with >= without, "adding a source lowered the severity from {without} to {with}");
    }

    #[test]
    fn adding_a_permission_never_lowers_the_severity(
        before in prop::collection::vec(statement(), 0..3),
        after in prop::collection::vec(statement(), 0..3),
        extra in statement(),
    ) {
        let policy = |statements: &[Value]| json!({"name": "p", "policy": json!({"Version": "2012-10-17", "Statement": statements}).to_string()});
        let mut wider = after.clone();
        wider.push(extra);
        let without = worst_severity(&update_plan("aws_iam_policy", policy(&before), policy(&after)));
        let with = worst_severity(&update_plan("aws_iam_policy", policy(&before), policy(&wider)));
        prop_assert!(with >= without, "adding a permission lowered the severity from {without} to {with}");
    }
}
