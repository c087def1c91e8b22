//! The users' own rules (CEL in the policy file, conftest-style Rego) on the real fixture plans:
//! what they find, in every format; how a broken rule or policy is refused when it loads and a
//! rule that fails on a change is reported; and that no rule, however written, sees or shows a
//! value the plan marks sensitive.

use std::path::{Path, PathBuf};

use plangate::report::{render, RenderOptions};
use plangate::rules::TestOutcome;
use plangate::{check, CheckOptions, ConfigError, Format, PlanInput, Policy, Report, Severity};

mod support;

/// (severity, rule, address) of a finding a test expects.
type Expected<'a> = (Severity, &'a str, &'a str);

const SECRETS: [&str; 4] = ["tok-OLD-0000", "tok-NEW-SECRET-9999", "hunter2-OLD", "hunter2-NEW-SECRET"];

fn plan(name: &str) -> PathBuf {
    support::fixtures().join("plans").join(name)
}

fn acme() -> Policy {
    Policy::from_file(support::fixtures().join("policies/acme/gate.yaml")).unwrap()
}

fn analyze(plan: &Path, policy: &Policy) -> Report {
    check(PlanInput::path(plan), &CheckOptions::new(policy.clone())).unwrap()
}

/// The findings of the users' own rules: (severity, rule, address).
fn custom(report: &Report) -> Vec<(Severity, String, String)> {
    let mut found: Vec<_> = report
        .findings
        .iter()
        .filter(|f| !f.rule.starts_with("PG-"))
        .map(|f| (f.severity, f.rule.clone(), f.address.clone()))
        .collect();
    found.sort();
    found
}

/// A policy written to a temporary directory, with its Rego files beside it.
fn policy_in_dir(yaml: &str, rego: &[(&str, &str)]) -> (tempfile::TempDir, Result<Policy, ConfigError>) {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in rego {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    std::fs::write(dir.path().join("gate.yaml"), yaml).unwrap();
    let policy = Policy::from_file(dir.path().join("gate.yaml"));
    (dir, policy)
}

#[test]
fn cel_and_rego_rules_find_what_the_fixture_readme_says() {
    let policy = acme();
    let cases: [(&str, &[Expected]); 5] = [
        (
            "safe.plan.json",
            &[
                (Severity::High, "ACME-TAG-001", "aws_s3_bucket.site_logs"),
                (Severity::High, "ACME-TAG-001", "aws_sqs_queue.emails"),
                (Severity::High, "ACME-TAG-001", "aws_sqs_queue.emails_dlq"),
            ],
        ),
        ("security-groups.plan.json", &[(Severity::Critical, "ACME-NET-001", "aws_security_group_rule.ssh_world")]),
        ("sensitive.plan.json", &[(Severity::Notice, "ACME-SECRET-001", "aws_ssm_parameter.token")]),
        ("critical-deletions.plan.json", &[(Severity::Critical, "ACME-DB-001", "aws_rds_cluster.ledger")]),
        ("network.plan.json", &[(Severity::High, "main.warn_default_route", "aws_route.private_default")]),
    ];
    for (name, expected) in cases {
        let report = analyze(&plan(name), &policy);
        let expected: Vec<_> = expected.iter().map(|(s, r, a)| (*s, r.to_string(), a.to_string())).collect();
        assert_eq!(custom(&report), expected, "{name}");
        // The binary twin gives the same.
        let binary = analyze(&plan(&name.replace(".plan.json", ".tfplan")), &policy);
        assert_eq!(custom(&binary), expected, "{name} as a binary plan");
    }
    // A custom finding counts like a built-in one: the safe plan now fails on its high findings.
    assert_eq!(analyze(&plan("safe.plan.json"), &policy).verdict.exit_code, 2);
}

#[test]
fn custom_findings_reach_every_format_with_their_rule_metadata() {
    let report = analyze(&plan("critical-deletions.plan.json"), &acme());
    let options = RenderOptions::new("critical-deletions.plan.json");
    // gitlab-terraform is the counts of changes the merge-request widget shows, no findings.
    for format in Format::ALL.into_iter().filter(|f| *f != Format::GitlabTerraform) {
        let out = render(&report, format, &options);
        assert!(out.contains("a database is destroyed"), "{format:?} lacks the finding:\n{out}");
        // The text report is the pipeline script's layout, which shows no rule ids.
        assert!(format == Format::Text || out.contains("ACME-DB-001"), "{format:?} lacks the rule id:\n{out}");
    }
    let sarif: serde_json::Value = serde_json::from_str(&render(&report, Format::Sarif, &options)).unwrap();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    let index = rules.iter().position(|r| r["id"] == "ACME-DB-001").expect("the custom rule is in SARIF's table");
    let result = sarif["runs"][0]["results"].as_array().unwrap().iter().find(|r| r["ruleId"] == "ACME-DB-001").unwrap();
    assert_eq!(result["ruleIndex"], index);
    assert_eq!(result["level"], "error");
    assert_eq!(plangate::registry::find("PG-DEL-001").map(|r| r.id), Some("PG-DEL-001"));
    let explained = plangate::rules::explain("ACME-TAG-001").unwrap();
    assert!(explained.contains("names the team that owns it"), "{explained}");
}

#[test]
fn settings_and_waivers_apply_to_custom_rules() {
    let acme_dir = support::fixtures().join("policies/acme");
    let yaml = std::fs::read_to_string(acme_dir.join("gate.yaml"))
        .unwrap()
        .replace("path: policy", &format!("path: {}", acme_dir.join("policy").display()))
        .replace(
            "rules:\n  ACME-SECRET-001: {severity: notice}",
            "rules:\n  ACME-NET-001: {severity: high}\n  main.warn_default_route: {enabled: false}\nwaivers:\n  - {address: aws_rds_cluster.ledger, rule: ACME-DB-001, reason: decommissioned, expires: 2099-12-31}",
        );
    let (_dir, policy) = policy_in_dir(&yaml, &[]);
    let policy = policy.unwrap();
    let sg = analyze(&plan("security-groups.plan.json"), &policy);
    assert!(custom(&sg).contains(&(Severity::High, "ACME-NET-001".into(), "aws_security_group_rule.ssh_world".into())));
    assert!(custom(&analyze(&plan("network.plan.json"), &policy)).is_empty(), "turned off");
    let deletions = analyze(&plan("critical-deletions.plan.json"), &policy);
    let waived = deletions.findings.iter().find(|f| f.rule == "ACME-DB-001").unwrap();
    assert_eq!(waived.waived.as_ref().map(|w| w.reason.as_str()), Some("decommissioned"));
}

#[test]
fn conftests_published_terraform_example_runs_unchanged() {
    let dir = support::fixtures().join("policies/conftest");
    let gke = dir.join("gke-show.json");
    let yaml = format!("policies:\n  - path: {}\n", dir.join("base.rego").display());
    let (_d, policy) = policy_in_dir(&yaml, &[]);
    let report = analyze(&gke, &policy.unwrap());
    let denied: Vec<&str> =
        report.findings.iter().filter(|f| f.rule == "main.deny").map(|f| f.message.as_str()).collect();
    assert_eq!(
        denied,
        ["Terraform plan will change prohibited resources in the following namespaces: google_iam, google_container"]
    );
    assert_eq!(report.verdict.exit_code, 1, "conftest fails this plan");
    let yaml = format!("policies:\n  - path: {}\n", dir.join("gke.rego").display());
    let (_d, policy) = policy_in_dir(&yaml, &[]);
    let report = analyze(&gke, &policy.unwrap());
    assert!(report.findings.iter().all(|f| f.rule != "main.deny"), "conftest passes gke.rego");
}

#[test]
fn rego_messages_exceptions_and_namespaces_follow_conftest() {
    let rego = r#"package main
import rego.v1
deny_old contains msg if { some rc in input.resource_changes; "delete" in rc.change.actions; msg := sprintf("%s goes", [rc.address]) }
deny_plan contains "the plan deletes things" if { some rc in input.resource_changes; "delete" in rc.change.actions }
warn contains {"msg": "named elsewhere", "address": "aws_nothing.here", "severity": "notice"} if { true }
exception contains ["old"] if { true }
"#;
    let other = "package team.storage\nimport rego.v1\nviolation contains {\"msg\": \"bucket\", \"address\": rc.address} if { some rc in input.resource_changes; rc.type == \"aws_s3_bucket\" }\n";
    let yaml = "policies:\n  - {path: main.rego}\n  - {path: storage.rego, namespaces: [team.storage]}\n";
    let (_d, policy) = policy_in_dir(yaml, &[("main.rego", rego), ("storage.rego", other)]);
    let report = analyze(&plan("critical-deletions.plan.json"), &policy.unwrap());
    let by_rule = |rule: &str| report.findings.iter().filter(|f| f.rule == rule).collect::<Vec<_>>();
    // Excepted by name: kept, visible, not counted.
    let excepted = by_rule("main.deny_old");
    assert_eq!(excepted.len(), 8);
    assert!(excepted.iter().all(|f| f.severity == Severity::Notice && f.message.contains("exception")));
    // A message naming no resource is about the plan, and counts.
    let plan_wide = by_rule("main.deny_plan");
    assert_eq!(
        (plan_wide.len(), plan_wide[0].address.as_str(), plan_wide[0].severity),
        (1, "(plan)", Severity::Critical)
    );
    let warned = by_rule("main.warn");
    assert_eq!(warned[0].severity, Severity::Notice, "a message may lower its own severity");
    assert!(warned[0].message.contains("which the plan does not change"), "{}", warned[0].message);
    let storage = by_rule("team.storage.violation");
    assert_eq!((storage.len(), storage[0].address.as_str()), (1, "aws_s3_bucket.reports"));
}

#[test]
fn a_plan_wide_denial_alone_fails_the_gate() {
    let rego = "package main\nimport rego.v1\ndeny contains \"no changes on Fridays\" if { true }\n";
    let (_d, policy) = policy_in_dir("policies: [{path: p.rego}]\n", &[("p.rego", rego)]);
    let report = analyze(&plan("noop.plan.json"), &policy.unwrap());
    assert_eq!((report.critical_changes, report.verdict.exit_code), (1, 1));
}

#[test]
fn broken_rules_and_policies_are_refused_where_they_are_broken() {
    let cel = |when: &str, message: &str| {
        format!("verbose: true\ncustom_rules:\n  - id: X-1\n    title: t\n    severity: high\n    when: '{when}'\n    message: '{message}'\n")
    };
    let refused = |yaml: &str, rego: &[(&str, &str)]| policy_in_dir(yaml, rego).1.unwrap_err().to_string();
    let err = refused(&cel("after.x ==", "m"), &[]);
    assert!(
        err.contains("line 3") && err.contains("column 11 of the expression") && err.contains("gate.yaml"),
        "{err}"
    );
    let err = refused(&cel("nosuch(after.x)", "m"), &[]);
    assert!(err.contains("unknown function `nosuch`"), "{err}");
    let err = refused(&cel("aftr.x == 1", "m"), &[]);
    assert!(err.contains("unknown name `aftr`"), "{err}");
    let err = refused(&cel("true", "{adress} is bad"), &[]);
    assert!(err.contains("unknown placeholder {adress}"), "{err}");
    let err = refused(&cel("true", "m").replace("X-1", "PG-DEL-999"), &[]);
    assert!(err.contains("PG- namespace"), "{err}");
    let err = refused("rules:\n  X-2: {severity: critical}\n", &[]);
    assert!(err.contains("unknown rule id `X-2`") && err.contains("line 2"), "{err}");
    // Rego: a builtin the embedded engine lacks is found when the policy loads.
    let missing = "package main\nimport rego.v1\ndeny contains msg if {\n  msg := http.send({\"url\": \"x\"})\n}\n";
    let err = refused("policies: [{path: p.rego}]\n", &[("p.rego", missing)]);
    assert!(err.contains("p.rego at line 4") && err.contains("`http.send`"), "{err}");
    let err = refused("policies: [{path: p.rego}]\n", &[("p.rego", "package main\ndeny[msg] { msg := 1 }\n")]);
    assert!(err.contains("p.rego at line 2") && err.contains("`if` keyword"), "{err}");
    let err = refused(
        "policies: [{path: p.rego}]\n",
        &[("p.rego", "package other\nimport rego.v1\ndeny contains 1 if { true }\n")],
    );
    assert!(err.contains("package main"), "{err}");
    let err =
        refused("policies: [{path: p.rego}]\n", &[("p.rego", "package main\nimport rego.v1\nallow if { true }\n")]);
    assert!(err.contains("could never fail a plan"), "{err}");
    let err = refused("policies: [{path: nowhere}]\n", &[]);
    assert!(err.contains("nowhere"), "{err}");
    // Policies written before Rego 1.0 load when the configuration says so.
    let (_d, old) = policy_in_dir(
        "policies: [{path: p.rego, rego_version: v0}]\n",
        &[("p.rego", "package main\ndeny[msg] { msg := \"x\" }\n")],
    );
    assert!(old.is_ok(), "{old:?}");
}

#[test]
fn a_rule_that_fails_on_a_change_says_so_at_its_severity() {
    let yaml = "custom_rules:\n  - {id: X-1, title: t, severity: critical, types: [aws_security_group_rule], when: 'after.no_such_attribute == 1', message: m}\n";
    let (_d, policy) = policy_in_dir(yaml, &[]);
    let report = analyze(&plan("security-groups.plan.json"), &policy.unwrap());
    let failed: Vec<_> = report.findings.iter().filter(|f| f.rule == "X-1").collect();
    assert!(!failed.is_empty());
    assert!(failed.iter().all(|f| f.severity == Severity::Critical && f.message.contains("cannot be evaluated")));
    assert_eq!(report.verdict.exit_code, 1);
}

#[test]
fn helpers_see_unknown_sensitive_and_networks() {
    let yaml = r#"custom_rules:
  - {id: X-UNKNOWN, title: t, severity: notice, types: [aws_subnet], actions: [replace], when: 'unknown("id") && after.id == "(known after apply)"', message: '{address} gets a new id'}
  - {id: X-SENSITIVE, title: t, severity: notice, types: [aws_secretsmanager_secret_version], when: 'sensitive("secret_string") && after.secret_string == "(sensitive)"', message: m}
  - {id: X-STRINGS, title: t, severity: notice, when: 'address.startsWith("nothing.") && name.endsWith("x") && module.contains("m") && type.matches("^aws_") && size(changed) > 0', message: m}
  - {id: X-CIDR, title: t, severity: notice, types: [aws_security_group_rule], when: 'type(after.cidr_blocks) == list && after.cidr_blocks.exists(c, cidr_contains("10.0.0.0/8", c) || cidr_overlaps(c, "192.168.0.0/16"))', message: m}
"#;
    let (_d, policy) = policy_in_dir(yaml, &[]);
    let policy = policy.unwrap();
    let rules_of = |name: &str| -> Vec<String> {
        custom(&analyze(&plan(name), &policy)).into_iter().map(|(_, r, a)| format!("{r} {a}")).collect()
    };
    assert_eq!(rules_of("network.plan.json"), ["X-UNKNOWN aws_subnet.private_b"]);
    assert_eq!(rules_of("sensitive.plan.json"), ["X-SENSITIVE aws_secretsmanager_secret_version.db"]);
    // 0.0.0.0/0 overlaps every network; web_http (10.0.0.0/8) is a no-op: rules judge changes only.
    assert_eq!(rules_of("security-groups.plan.json"), ["X-CIDR aws_security_group_rule.ssh_world"]);
}

/// plangate's own reading of a binary plan writes the sections the built-in rules read, not
/// `planned_values`, `configuration` and the rest: a policy that reads those would see nothing
/// there and pass a plan its JSON twin fails. Each of its rules says it cannot be evaluated.
#[test]
fn policies_that_read_what_a_native_reading_lacks_do_not_pass_a_binary_plan() {
    let cases = [
        ("", "some r in input.planned_values.root_module.resources", Some("`input.planned_values`")),
        ("", r#"input["configuration"].provider_config"#, Some("`input.configuration`")),
        ("", r#"some k; input[k]; k == "planned_values""#, Some("`input` as a whole")),
        ("", r#"walk(input, [p, v]); v == "aws_s3_bucket""#, Some("`input` as a whole")),
        ("import input.planned_values as pv", "some r in pv.root_module.resources", Some("`input.planned_values`")),
        (
            "import input as tfplan",
            "some r in tfplan.planned_values.root_module.resources",
            Some("`input.planned_values`"),
        ),
        ("import input as tfplan", r#"some rc in tfplan.resource_changes; rc.type == "aws_s3_bucket""#, None),
        ("", r#"some rc in input.resource_changes; rc.type == "aws_s3_bucket""#, None),
    ];
    for (import, body, beyond) in cases {
        // A test that sets its own input reads nothing of the plan's.
        let rego = format!(
            "package main\nimport rego.v1\n{import}\ndeny contains \"denied\" if {{ {body} }}\ntest_sets_its_input if {{ count(deny) == 0 with input as {{\"planned_values\": {{}}}} }}\n"
        );
        let (_d, policy) = policy_in_dir("policies: [{path: p.rego}]\n", &[("p.rego", &rego)]);
        let policy = policy.unwrap();
        let unevaluable = |report: &Report| -> Vec<String> {
            report
                .findings
                .iter()
                .filter(|f| f.message.contains("cannot be evaluated"))
                .map(|f| f.message.clone())
                .collect()
        };
        let json = analyze(&plan("safe.plan.json"), &policy);
        assert_eq!(json.verdict.exit_code, 1, "{body}: the twin's JSON is denied");
        assert!(unevaluable(&json).is_empty(), "{body}: Terraform's JSON holds every section");
        let binary = analyze(&plan("safe.tfplan"), &policy);
        assert_eq!(binary.plan.read_by, Some(plangate::plan::ReadBy::Native), "{body}");
        match beyond {
            Some(what) => {
                let found = unevaluable(&binary);
                assert_eq!(found.len(), 1, "{body}: {found:?}");
                assert!(found[0].contains(what) && found[0].contains("--plan-reader terraform"), "{body}: {found:?}");
                assert_eq!(binary.verdict.exit_code, 1, "{body}: never a pass");
            }
            None => {
                assert!(unevaluable(&binary).is_empty(), "{body}: the sections it reads are all there");
                assert_eq!(custom(&binary), custom(&json), "{body}");
            }
        }
    }
}

#[test]
fn no_custom_rule_sees_or_shows_a_sensitive_value() {
    // Rules written to leak: a Rego policy that prints the whole input and every change, and CEL
    // rules whose errors quote the values they met.
    let rego = "package main\nimport rego.v1\ndeny contains sprintf(\"%v\", [input]) if { true }\nwarn contains {\"msg\": sprintf(\"%v\", [rc]), \"address\": rc.address} if { some rc in input.resource_changes }\n";
    let yaml = r#"custom_rules:
  - {id: LEAK-1, title: t, severity: high, when: 'after.value + 1 == 2', message: '{address}'}
  - {id: LEAK-2, title: t, severity: high, when: 'after.secret_string + 1 == 2 || before.secret_string + 1 == 2', message: '{address}'}
  - {id: LEAK-3, title: t, severity: high, when: 'string(after) == "" || string(before) == ""', message: '{address}'}
policies: [{path: leak.rego}]
"#;
    let (_d, policy) = policy_in_dir(yaml, &[("leak.rego", rego)]);
    let policy = policy.unwrap();
    for name in ["sensitive.plan.json", "sensitive.tfplan"] {
        let report = analyze(&plan(name), &policy);
        assert!(report.findings.iter().any(|f| f.rule == "main.deny"), "the leaking rule ran");
        for format in Format::ALL {
            let out = render(&report, format, &RenderOptions::new(name));
            for secret in SECRETS {
                assert!(!out.contains(secret), "{name} as {format:?} shows {secret}");
            }
        }
    }
}

#[test]
fn policy_tests_run_and_fail_as_written() {
    let tests = acme().rules.custom.test();
    assert_eq!(tests.len(), 5);
    assert!(tests.iter().all(|t| t.outcome == TestOutcome::Passed), "{tests:?}");
    let yaml = r#"custom_rules:
  - id: X-1
    title: t
    severity: high
    when: 'after.size > 10'
    message: m
    examples:
      - {change: {type: aws_ebs_volume, after: {size: 5}}, fires: true}
policies: [{path: p.rego}]
"#;
    let rego = "package main\nimport rego.v1\ndeny contains 1 if { false }\ntest_wrong if { count(deny) == 1 }\n";
    let (_d, policy) = policy_in_dir(yaml, &[("p.rego", rego)]);
    let tests = policy.unwrap().rules.custom.test();
    assert_eq!(tests.len(), 2);
    assert!(tests.iter().all(|t| matches!(&t.outcome, TestOutcome::Failed(_))), "{tests:?}");
}

#[test]
fn a_type_the_teams_own_rules_are_written_for_is_not_unjudged() {
    // The secrets plan's server certificate and secret version are types no built-in family reads.
    let secrets = support::fixtures().join("plans-rules/secrets.plan.json");
    let unjudged = |policy: &Policy| -> Vec<String> {
        analyze(&secrets, policy).plan.unjudged.iter().flat_map(|u| u.types.clone()).collect()
    };
    let plain = unjudged(&Policy::default());
    assert_eq!(plain, ["aws_iam_server_certificate", "aws_secretsmanager_secret_version"], "{plain:?}");
    let yaml = "unjudged: high\ncustom_rules:\n  - {id: X-CERTS, title: t, severity: high, types: [aws_iam_server_certificate, aws_secretsmanager_secret_version], when: 'false', message: m}\n  - {id: X-ALL, title: t, severity: notice, when: 'false', message: m}\n";
    let (_d, policy) = policy_in_dir(yaml, &[]);
    let policy = policy.unwrap();
    assert!(unjudged(&policy).is_empty(), "a rule for every type judges no type in particular, one named does");
    let report = analyze(&secrets, &policy);
    assert!(!report.findings.iter().any(|f| f.rule == "PG-READ-003"));
    let (_d, generic) =
        policy_in_dir("custom_rules:\n  - {id: X-ALL, title: t, severity: notice, when: 'false', message: m}\n", &[]);
    assert_eq!(unjudged(&generic.unwrap()), plain);
}
