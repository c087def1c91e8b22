//! Every reader's recursion and size bounds, on the real fixtures mutated as an attacker would: the
//! native reader's zip, protobuf and msgpack layers, YAML configurations, and the JSON inputs other
//! than plans and reports (which `mutated_fixtures.rs` covers). Whatever the input, the engine
//! answers with a verdict or an error: it never panics, never overflows the stack (these tests run
//! on the test harness's 2 MiB threads, smaller than a main thread's), and never reads beyond a
//! limit.

use plangate::plan::PlanReader;
use plangate::{check, CheckOptions, Limits, PlanInput, Policy};
use proptest::prelude::*;

mod support;
use support::{change, fixtures, members, zipped};

const BINARY: &[&str] = &[
    "plans/audit-system-prod.tfplan",
    "plans/sensitive.tfplan",
    "plans/modules.tfplan",
    "plans-rules/builtin.tfplan",
    "plans-rules/secrets.tfplan",
    "plans-public/trivy__with_var_opentofu.tfplan",
];

/// The plan file with its `tfplan` member changed by `change`, zipped again (so the checksums hold
/// and the mutation reaches the protobuf and msgpack layers).
fn with_tfplan(path: &str, change: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut plan = members(&fixtures().join(path));
    change(&mut plan.iter_mut().find(|(n, _)| n == "tfplan").unwrap().1);
    zipped(&plan)
}

/// Reads a binary plan natively, under small limits: a verdict or an error, nothing else.
fn read_natively(bytes: &[u8]) {
    let mut options = CheckOptions::new(Policy::default());
    options.policy.plan_reading.reader = PlanReader::Native;
    let mut limits = Limits::default();
    limits.max_plan_bytes = 64 << 20;
    options.limits = Some(limits);
    let _ = check(PlanInput::bytes(bytes), &options);
}

/// msgpack that nests `depth` times: arrays, maps, dynamic `[type, value]` pairs, or random bytes.
fn msgpack() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        (1usize..100_000).prop_map(|depth| [vec![0x91; depth], vec![0xc0]].concat()),
        (1usize..50_000).prop_map(|depth| {
            let mut out = Vec::new();
            for _ in 0..depth {
                out.extend([0x81, 0xa1, b'k']);
            }
            out.push(0xc0);
            out
        }),
        (1usize..50_000).prop_map(|depth| {
            let mut out = Vec::new();
            for _ in 0..depth {
                out.extend([0x92, 0xc4, 9]);
                out.extend(b"\"dynamic\"");
            }
            out.push(0xc0);
            out
        }),
        prop::collection::vec(any::<u8>(), 0..64),
        // A length far beyond the bytes that follow.
        Just(vec![0xdd, 0xff, 0xff, 0xff, 0xff]),
        Just(vec![0xdb, 0xff, 0xff, 0xff, 0xff, b'x']),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// The zip layer: bytes of the file itself flipped, cut or spliced.
    #[test]
    fn mutated_plan_files_give_a_verdict_or_an_error(
        plan in 0..BINARY.len(),
        at in any::<usize>(),
        byte in any::<u8>(),
        cut in any::<bool>(),
    ) {
        let mut bytes = std::fs::read(fixtures().join(BINARY[plan])).unwrap();
        let at = at % bytes.len();
        if cut {
            bytes.truncate(at);
        } else {
            bytes[at] = byte;
        }
        read_natively(&bytes);
    }

    /// The protobuf layer: the `tfplan` member mutated, then zipped again so that it is read.
    #[test]
    fn mutated_tfplan_messages_give_a_verdict_or_an_error(
        plan in 0..BINARY.len(),
        at in any::<usize>(),
        spliced in prop::collection::vec(any::<u8>(), 1..32),
    ) {
        let bytes = with_tfplan(BINARY[plan], |tfplan| {
            let at = at % tfplan.len();
            tfplan.splice(at..at, spliced);
        });
        read_natively(&bytes);
    }

    /// The msgpack layer and the sensitive paths: values nested without end, random values, lengths
    /// beyond the data, paths of any length, in a change added to a real plan.
    #[test]
    fn hostile_values_and_paths_are_bounded(
        plan in 0..BINARY.len(),
        before in msgpack(),
        after in msgpack(),
        steps in prop_oneof![Just(0usize), 1usize..200, 100_000usize..200_000],
        resource_type in prop_oneof![Just("aws_sqs_queue"), Just("terraform_data"), Just("aws_security_group")],
    ) {
        let bytes = with_tfplan(BINARY[plan], |tfplan| tfplan.extend(change(&format!("{resource_type}.fuzzed"), &before, &after, steps)));
        read_natively(&bytes);
    }

    /// YAML: a real configuration mutated, or nested far beyond the depth limit.
    #[test]
    fn mutated_configurations_give_a_policy_or_an_error(
        at in any::<usize>(),
        spliced in prop_oneof![
            prop::collection::vec(any::<u8>(), 1..16).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
            (1usize..200_000).prop_map(|n| "[".repeat(n)),
            (1usize..200_000).prop_map(|n| "{a: ".repeat(n)),
            (1usize..50_000).prop_map(|n| "- ".repeat(n)),
            Just("&a [*a, *a]".to_string()),
        ],
    ) {
        let mut text = plangate::Environment::Production.preset_yaml().to_string();
        let mut at = at % text.len();
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        text.insert_str(at, &spliced);
        let _ = Policy::from_yaml(&text, "fuzzed.yaml");
        let _ = plangate::scan::Suppression::list_from_yaml(&text, "fuzzed.yaml");
    }

    /// The other JSON inputs: schema tables, breaker state and baselines nested without end.
    #[test]
    fn deep_json_inputs_are_errors(depth in 1usize..300_000, kind in 0..3usize) {
        let dir = tempfile::tempdir().unwrap();
        let deep = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        let file = dir.path().join("input.json");
        match kind {
            0 => {
                let table = format!(r#"{{"provider":"registry.terraform.io/hashicorp/aws","version":"5.100.0","resources":{{"aws_sqs_queue":{{"sensitive":{deep}}}}},"data_sources":{{}}}}"#);
                std::fs::write(&file, table).unwrap();
                let mut options = CheckOptions::new(Policy::default());
                options.policy.plan_reading.reader = PlanReader::Native;
                options.policy.plan_reading.schema_tables.push(file);
                let bytes = std::fs::read(fixtures().join("plans/audit-system-prod.tfplan")).unwrap();
                let _ = check(PlanInput::bytes(&bytes), &options);
            }
            1 => {
                std::fs::write(&file, format!(r#"{{"state": {deep}}}"#)).unwrap();
                prop_assert!(plangate::resilience::BreakerFile::new(&file).read().is_err());
            }
            _ => {
                std::fs::write(&file, format!(r#"{{"findings": {deep}}}"#)).unwrap();
                prop_assert!(plangate::scan::Baseline::from_file(&file).is_err());
            }
        }
    }
}
