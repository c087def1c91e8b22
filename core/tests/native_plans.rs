//! The native reader of binary plan files, against its oracle: every binary fixture has the JSON
//! `terraform show -json` printed for it, and reading the binary plan natively must give the same
//! report, in every output format, as reading that JSON. Then what must never happen: a value
//! terraform would mark sensitive in any output, and a plan file plangate does not understand read
//! as anything but an error. None of this needs terraform.

use std::path::{Path, PathBuf};

use plangate::plan::{PlanError, PlanReader, ReadBy};
use plangate::report::{self, Format, RenderOptions};
use plangate::{check, CheckOptions, Error, Limits, PlanInput, Policy, Report};

const FORMATS: [Format; 5] = [Format::Text, Format::Json, Format::Sarif, Format::Markdown, Format::Github];

mod support;
use support::{change, field, fixtures, members, zipped};

/// Every binary fixture that has its `terraform show -json` twin.
fn twins() -> Vec<(PathBuf, PathBuf)> {
    let mut twins = Vec::new();
    for dir in ["plans", "plans-rules"] {
        for entry in std::fs::read_dir(fixtures().join(dir)).unwrap() {
            let binary = entry.unwrap().path();
            if binary.extension().is_some_and(|e| e == "tfplan") {
                let json = binary.with_extension("plan.json");
                assert!(json.exists(), "{} has no JSON twin", binary.display());
                twins.push((binary, json));
            }
        }
    }
    twins.sort();
    assert!(twins.len() >= 26, "found only {} binary fixtures", twins.len());
    twins
}

fn options(reader: PlanReader) -> CheckOptions {
    let mut policy = Policy::default();
    policy.plan_reading.reader = reader;
    CheckOptions::new(policy).label("plan")
}

fn read(path: &Path, reader: PlanReader) -> Result<Report, Error> {
    check(PlanInput::bytes(&std::fs::read(path).unwrap()), &options(reader))
}

fn rendered(report: &Report) -> Vec<String> {
    FORMATS
        .iter()
        .map(|format| {
            let mut out = Vec::new();
            report::write(report, *format, &RenderOptions::new("plan"), &mut out).unwrap();
            String::from_utf8(out).unwrap()
        })
        .collect()
}

#[test]
fn every_binary_fixture_reads_as_its_json_twin_in_every_format() {
    for (binary, json) in twins() {
        let mut native = read(&binary, PlanReader::Native).unwrap_or_else(|e| panic!("{}: {e}", binary.display()));
        let expected = read(&json, PlanReader::Native).unwrap();
        assert_eq!(native.plan.read_by, Some(ReadBy::Native), "{}", binary.display());
        assert!(native.plan.masked_providers.is_empty(), "{}: {:?}", binary.display(), native.plan.masked_providers);
        // The one documented difference: the report says what read the binary plan.
        native.plan.read_by = None;
        assert_eq!(native, expected, "{}", binary.display());
        for (format, (a, b)) in FORMATS.iter().zip(rendered(&native).iter().zip(&rendered(&expected))) {
            assert_eq!(a, b, "{} as {format:?}", binary.display());
        }
    }
}

#[test]
fn auto_reads_natively_when_every_provider_has_a_table() {
    // No terraform is run: the AWS provider 5.100.0 table is embedded.
    let report = read(&fixtures().join("plans/sensitive.tfplan"), PlanReader::Auto).unwrap();
    assert_eq!(report.plan.read_by, Some(ReadBy::Native));
}

/// Every string in `value` at a place `marks` (a `*_sensitive` tree) marks sensitive.
fn sensitive_strings(value: &serde_json::Value, marks: &serde_json::Value, out: &mut Vec<String>) {
    use serde_json::Value;
    match (value, marks) {
        (_, Value::Bool(true)) => collect_strings(value, out),
        (Value::Object(members), Value::Object(marks)) => {
            for (key, mark) in marks {
                if let Some(member) = members.get(key) {
                    sensitive_strings(member, mark, out);
                }
            }
        }
        (Value::Array(items), Value::Array(marks)) => {
            for (item, mark) in items.iter().zip(marks) {
                sensitive_strings(item, mark, out);
            }
        }
        _ => {}
    }
}

fn collect_strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => {
            out.push(s.clone());
            // JSON documents inside strings (a secret_string) hold secrets of their own.
            if let Ok(inner) = serde_json::from_str::<serde_json::Value>(s) {
                collect_strings(&inner, out);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| collect_strings(i, out)),
        serde_json::Value::Object(members) => members.values().for_each(|m| collect_strings(m, out)),
        _ => {}
    }
}

/// What `terraform show -json` marks sensitive anywhere in a plan's changes and drift.
fn marked_sensitive(json: &Path) -> Vec<String> {
    let plan: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
    let mut secrets = Vec::new();
    for section in ["resource_changes", "resource_drift"] {
        for change in plan[section].as_array().into_iter().flatten() {
            let change = &change["change"];
            sensitive_strings(&change["before"], &change["before_sensitive"], &mut secrets);
            sensitive_strings(&change["after"], &change["after_sensitive"], &mut secrets);
        }
    }
    // Short strings ("app", "") occur elsewhere for other reasons; secrets are longer.
    secrets.retain(|s| s.len() >= 8);
    secrets.sort();
    secrets.dedup();
    secrets
}

#[test]
fn no_value_terraform_marks_sensitive_appears_in_any_output() {
    for (name, at_least) in [("plans/sensitive", 4), ("plans-rules/secrets", 4), ("plans-rules/hidden-values", 1)] {
        let binary = fixtures().join(format!("{name}.tfplan"));
        let secrets = marked_sensitive(&fixtures().join(format!("{name}.plan.json")));
        assert!(secrets.len() >= at_least, "{name}: only {secrets:?}");
        let report = read(&binary, PlanReader::Native).unwrap();
        for output in rendered(&report) {
            for secret in &secrets {
                assert!(!output.contains(secret.as_str()), "{name}: {secret:?} in\n{output}");
            }
        }
    }
}

#[test]
fn passwords_private_keys_and_tokens_stay_hidden() {
    // The real plan of fixtures/scenarios/secrets: a database password, an Aurora master password,
    // an SSM SecureString, Secrets Manager strings, a server certificate's private key, and a
    // token that is sensitive only because its variable is (recorded in the plan, not the schema).
    let secrets = marked_sensitive(&fixtures().join("plans-rules/secrets.plan.json"));
    for literal in [
        "rds-NEW-Passw0rd",
        "aurora-NEW-Passw0rd",
        "ssm-NEW-token-8888",
        "sk-live-NEW-api-key-7777",
        "tok-NEW-9999-zzzz",
        "pw-NEW-db-secret",
    ] {
        assert!(secrets.iter().any(|s| s.contains(literal)), "terraform marks {literal} sensitive");
    }
    assert!(secrets.iter().any(|s| s.contains("BEGIN PRIVATE KEY")), "the private key is marked");
    let report = read(&fixtures().join("plans-rules/secrets.tfplan"), PlanReader::Native).unwrap();
    for output in rendered(&report) {
        for leak in ["Passw0rd", "token-8888", "sk-live", "tok-NEW", "tok-OLD", "PRIVATE KEY", "db-secret"] {
            assert!(!output.contains(leak), "{leak} in\n{output}");
        }
    }
}

#[test]
fn providers_without_a_table_are_masked_and_every_change_is_unverifiable() {
    for (name, provider) in [
        ("trivy__nested_modules", "registry.terraform.io/hashicorp/aws 5.35.0"),
        ("trivy__with_var_opentofu", "registry.opentofu.org/hashicorp/aws 5.59.0"),
    ] {
        let report = read(&fixtures().join(format!("plans-public/{name}.tfplan")), PlanReader::Native).unwrap();
        assert_eq!(report.plan.masked_providers, [provider], "{name}");
        let masked: Vec<&str> =
            report.findings.iter().filter(|f| f.rule == "PG-READ-001").map(|f| f.address.as_str()).collect();
        assert_eq!(masked.len(), report.total_changes, "{name}: every change says it cannot be verified");
        assert!(report.exit_code() >= 2, "{name}: masked changes never pass silently");
        assert!(rendered(&report)[0].contains(provider), "{name}: the text report names the provider");
    }
}

#[test]
fn a_schema_table_file_unmasks_its_provider_version() {
    // The embedded 5.100.0 table, given as the table of 5.35.0: plangate then knows that version.
    let dir = tempfile::tempdir().unwrap();
    let embedded = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schemas/registry.terraform.io/hashicorp/aws/5.100.0.json"),
    )
    .unwrap();
    let table = dir.path().join("aws-5.35.0.json");
    std::fs::write(&table, embedded.replace("\"version\":\"5.100.0\"", "\"version\":\"5.35.0\"")).unwrap();
    let mut options = options(PlanReader::Native);
    options.policy.plan_reading.schema_tables.push(table);
    let plan = std::fs::read(fixtures().join("plans-public/trivy__nested_modules.tfplan")).unwrap();
    let report = check(PlanInput::bytes(&plan), &options).unwrap();
    assert!(report.plan.masked_providers.is_empty());
    assert!(report.findings.iter().all(|f| f.rule != "PG-READ-001"));

    options.policy.plan_reading.schema_tables = vec![dir.path().join("missing.json")];
    let err = check(PlanInput::bytes(&plan), &options).unwrap_err().to_string();
    assert!(err.contains("missing.json") && err.contains("cannot be read"), "{err}");
}

fn error_of(plan: &[u8], limits: Option<Limits>) -> String {
    let mut options = options(PlanReader::Native);
    options.limits = limits;
    match check(PlanInput::bytes(plan), &options) {
        Ok(report) => panic!("read as a plan with {} changes", report.total_changes),
        Err(e) => {
            assert_eq!(e.kind(), plangate::ErrorKind::Plan, "{e}");
            e.to_string()
        }
    }
}

#[test]
fn what_the_reader_does_not_understand_is_an_error_naming_it() {
    let original = members(&fixtures().join("plans/noop.tfplan"));
    let with_tfplan = |tfplan: Vec<u8>| -> Vec<u8> {
        let mut changed = original.clone();
        changed.iter_mut().find(|(n, _)| n == "tfplan").unwrap().1 = tfplan;
        zipped(&changed)
    };
    let tfplan = original.iter().find(|(n, _)| n == "tfplan").unwrap().1.clone();
    assert_eq!(&tfplan[..2], [0x08, 0x03], "the plan starts with its format version, 3");

    let mut v4 = tfplan.clone();
    v4[1] = 0x04;
    let err = error_of(&with_tfplan(v4), None);
    assert!(err.contains("format version 4") && err.contains("version 3"), "{err}");

    // `errored` (field 20) set: Terraform stopped with errors, the changes are incomplete.
    let mut errored = tfplan.clone();
    errored.extend([0xa0, 0x01, 0x01]);
    let err = error_of(&with_tfplan(errored), None);
    assert!(err.contains("incomplete") && err.contains("errored"), "{err}");

    let err = error_of(&with_tfplan(vec![0x0a, 0xff, 0x01]), None);
    assert!(err.contains("not a valid plan message"), "{err}");

    let without: Vec<_> = original.iter().filter(|(n, _)| n != "tfplan").cloned().collect();
    let err = error_of(&zipped(&without), None);
    assert!(err.contains("no `tfplan` entry") && err.contains("tfstate"), "{err}");

    let mut cut = zipped(&original);
    cut.truncate(cut.len() / 2);
    let err = error_of(&cut, None);
    assert!(err.contains("not a readable zip archive"), "{err}");

    // A zip bomb: 64 MiB of zeros in a few kilobytes stops at the plan size limit.
    let bomb = with_tfplan(vec![0; 64 << 20]);
    assert!(bomb.len() < 200_000, "{}", bomb.len());
    let mut limits = Limits::default();
    limits.max_plan_bytes = 8 << 20;
    let err = error_of(&bomb, Some(limits));
    assert!(err.contains("decompressed") && err.contains("PLANGATE_MAX_PLAN_BYTES"), "{err}");
}

#[test]
fn native_reader_errors_carry_the_details_json_errors_carry() {
    let original = members(&fixtures().join("plans/noop.tfplan"));
    let with_change = |entry: Vec<u8>| -> Vec<u8> {
        let mut changed = original.clone();
        changed.iter_mut().find(|(n, _)| n == "tfplan").unwrap().1.extend(entry);
        zipped(&changed)
    };
    let error = |plan: &[u8]| match check(PlanInput::bytes(plan), &options(PlanReader::Native)) {
        Ok(report) => panic!("read as a plan with {} changes", report.total_changes),
        Err(Error::Plan { error, .. }) => error,
        Err(other) => panic!("not a plan error: {other}"),
    };
    // 0xc1 is a byte msgpack never uses.
    let unreadable = with_change(change("aws_s3_bucket.logs", &[0xc0], &[0xc1], 0));
    let err = error(&unreadable);
    assert!(
        matches!(&err, PlanError::BinaryChange { section: "resource_changes", index: 0, address: Some(a), message }
            if a == "aws_s3_bucket.logs" && message.contains("after value")),
        "{err:?}"
    );
    let details = Error::from(err).details();
    assert_eq!(details.json_path.as_deref(), Some("resource_changes[0]"));

    // The noop plan holds two no-op changes: the third entry of the file.
    let err = error(&with_change(change("aws_s3_bucket[\"unclosed", &[0xc0], &[0xc0], 0)));
    assert!(
        matches!(&err, PlanError::BinaryChange { index: 2, address: None, message, .. } if message.contains("unclosed")),
        "{err:?}"
    );

    let mut v4 = original.clone();
    v4.iter_mut().find(|(n, _)| n == "tfplan").unwrap().1[1] = 0x04;
    let details = Error::from(error(&zipped(&v4))).details();
    assert_eq!((details.expected.as_deref(), details.found.as_deref()), (Some("3"), Some("4")));
}

#[test]
fn a_json_plan_that_says_it_errored_is_an_error() {
    let plan = std::fs::read_to_string(fixtures().join("plans/noop.plan.json")).unwrap();
    let errored = plan.replacen("\"errored\":false", "\"errored\":true", 1);
    assert_ne!(plan, errored);
    let err = error_of(errored.as_bytes(), None);
    assert!(err.contains("incomplete"), "{err}");
}

#[test]
fn the_schema_table_script_writes_what_the_reader_reads() {
    // A provider schema of the shape `terraform providers schema -json` prints: nested blocks
    // (list and single), a nested attribute type, sensitive, number and dynamic attributes.
    let schema = serde_json::json!({"format_version": "1.0", "provider_schemas": {"registry.terraform.io/acme/thing": {
        "resource_schemas": {
            "thing_box": {"block": {
                "attributes": {
                    "name": {"type": "string"},
                    "password": {"type": "string", "sensitive": true},
                    "size": {"type": "number"},
                    "ports": {"type": ["list", "number"]},
                    "doc": {"type": "dynamic"},
                    "creds": {"nested_type": {"nesting_mode": "set", "attributes": {
                        "token": {"type": "string", "sensitive": true}, "ttl": {"type": "number"}}}}
                },
                "block_types": {
                    "auth": {"nesting_mode": "list", "block": {"attributes": {"secret": {"type": "string", "sensitive": true}}}},
                    "limits": {"nesting_mode": "single", "block": {"attributes": {"max": {"type": "number"}}}}
                }
            }},
            "thing_plain": {"block": {"attributes": {"id": {"type": "string"}}}}
        },
        "data_source_schemas": {"thing_key": {"block": {"attributes": {"value": {"type": "string", "sensitive": true}}}}}
    }}});
    let dir = tempfile::tempdir().unwrap();
    let (input, output) = (dir.path().join("schema.json"), dir.path().join("table.json"));
    std::fs::write(&input, schema.to_string()).unwrap();
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scripts/schema-table");
    let run = std::process::Command::new("python3")
        .arg(&script)
        .args(["--from", input.to_str().unwrap(), "acme/thing", "1.2.3", output.to_str().unwrap()])
        .output()
        .expect("python3 runs the script");
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let table: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&output).unwrap()).unwrap();
    assert_eq!(
        (table["provider"].as_str(), table["version"].as_str()),
        (Some("registry.terraform.io/acme/thing"), Some("1.2.3"))
    );
    assert_eq!(
        table["resources"]["thing_box"],
        serde_json::json!({
            "sensitive": {"password": true, "creds": {"*": {"token": true}}, "auth": {"*": {"secret": true}}},
            "numbers": {"size": true, "ports": {"*": true}, "creds": {"*": {"ttl": true}}, "limits": {"max": true}},
            "dynamic": {"doc": true}
        })
    );
    assert_eq!(table["resources"]["thing_plain"], serde_json::json!({}), "a type with nothing to say is still listed");
    assert_eq!(table["data_sources"]["thing_key"]["sensitive"], serde_json::json!({"value": true}));

    // The file plangate reads with --schema-table: a provider it does not embed is then known.
    let missing = std::process::Command::new("python3")
        .arg(&script)
        .args(["--from", input.to_str().unwrap(), "acme/other", "1.0.0", output.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("has no provider registry.terraform.io/acme/other"));
}

/// An `action_invocations` entry (field 30 of the plan message): the action at `address`, run on
/// `event` of `resource` (an `ActionTriggerEvent` number) or, without one, by `-invoke`; its
/// configuration holds a secret.
fn invocation(address: &str, trigger: Option<(&str, u8)>) -> Vec<u8> {
    let mut entry = Vec::new();
    field(&mut entry, 1, address.as_bytes());
    field(&mut entry, 2, br#"provider["registry.terraform.io/hashicorp/aws"]"#);
    let mut config = Vec::new();
    // msgpack: a map of one string to the string "hunter2-secret".
    let mut msgpack = vec![0x81, 0xa7];
    msgpack.extend(b"payload");
    msgpack.push(0xae);
    msgpack.extend(b"hunter2-secret");
    field(&mut config, 1, &msgpack);
    field(&mut entry, 4, &config);
    match trigger {
        Some((resource, event)) => {
            let mut on = Vec::new();
            field(&mut on, 1, resource.as_bytes());
            on.extend([0x10, event]);
            field(&mut entry, 6, &on);
        }
        None => field(&mut entry, 7, &[]),
    }
    let mut plan = Vec::new();
    field(&mut plan, 30, &entry);
    plan
}

#[test]
fn the_actions_a_binary_plan_runs_are_findings_as_in_its_json() {
    let original = members(&fixtures().join("plans/noop.tfplan"));
    let mut changed = original.clone();
    let tfplan = &mut changed.iter_mut().find(|(n, _)| n == "tfplan").unwrap().1;
    tfplan.extend(invocation("action.aws_lambda_invoke.warm", Some(("aws_s3_bucket.static", 4))));
    tfplan.extend(invocation(r#"module.ops.action.aws_ec2_stop_instance.db["a"]"#, None));
    let binary = zipped(&changed);

    let mut json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fixtures().join("plans/noop.plan.json")).unwrap()).unwrap();
    json["action_invocations"] = serde_json::json!([
        {"address": "action.aws_lambda_invoke.warm", "type": "aws_lambda_invoke", "name": "warm",
         "config_values": {"payload": "hunter2-secret"}, "config_sensitive": {}, "config_unknown": {},
         "provider_name": "registry.terraform.io/hashicorp/aws",
         "lifecycle_action_trigger": {"triggering_resource_address": "aws_s3_bucket.static",
            "action_trigger_event": "after_update", "action_trigger_block_index": 0, "actions_list_index": 0}},
        {"address": "module.ops.action.aws_ec2_stop_instance.db[\"a\"]", "type": "aws_ec2_stop_instance",
         "name": "db", "provider_name": "registry.terraform.io/hashicorp/aws", "invoke_action_trigger": {}}
    ]);
    let json = serde_json::to_vec(&json).unwrap();

    let native = check(PlanInput::bytes(&binary), &options(PlanReader::Native)).unwrap();
    let shown = check(PlanInput::bytes(&json), &options(PlanReader::Native)).unwrap();
    let found = |report: &Report| -> Vec<(String, String, String)> {
        report.findings.iter().map(|f| (f.rule.clone(), f.address.clone(), f.message.clone())).collect()
    };
    assert_eq!(found(&native), found(&shown));
    assert_eq!(
        found(&native),
        [
            (
                "PG-ACT-001".to_string(),
                "action.aws_lambda_invoke.warm".to_string(),
                "action.aws_lambda_invoke.warm: the apply runs aws_lambda_invoke (hashicorp/aws) after_update of \
                 aws_s3_bucket.static; what an action does is not a resource change and cannot be verified"
                    .to_string()
            ),
            (
                "PG-ACT-001".to_string(),
                r#"module.ops.action.aws_ec2_stop_instance.db["a"]"#.to_string(),
                concat!(
                    r#"module.ops.action.aws_ec2_stop_instance.db["a"]: the apply runs aws_ec2_stop_instance "#,
                    "(hashicorp/aws) because `terraform plan -invoke` asked for it; what an action does is not a ",
                    "resource change and cannot be verified"
                )
                .to_string()
            ),
        ]
    );
    assert_eq!((native.high_risk_changes, native.critical_changes, native.total_changes), (2, 0, 0));
    assert_eq!(native.findings[0].actions, plangate::plan::Action::Invoke);
    for (format, text) in FORMATS.iter().zip(rendered(&native)) {
        assert!(!text.contains("hunter2"), "{format:?}");
        assert!(text.contains("aws_ec2_stop_instance"), "{format:?}");
    }

    // An address that names no action is an error that says which entry.
    let mut broken = original.clone();
    broken.iter_mut().find(|(n, _)| n == "tfplan").unwrap().1.extend(invocation("aws_s3_bucket.static", None));
    let err = error_of(&zipped(&broken), None);
    assert!(err.contains("action_invocations[0]") && err.contains("action.TYPE.NAME"), "{err}");
}
