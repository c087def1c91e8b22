//! Every rule against real plans: one change it must report, and one it must stay quiet about
//! (tags only, tightening, removal, moved, forget, no-op). Plans come from fixtures/plans (shared),
//! fixtures/plans-rules (made by this project, see its README) and fixtures/plans-public.

use std::path::PathBuf;

mod support;

use plangate::{check, CheckOptions, Date, PlanInput, Policy, Report};
use support::derived;

fn analyze_with(plan: &str, policy: &Policy) -> Report {
    analyze_on(plan, policy, Date::today())
}

/// The analysis with waivers judged as of `today`.
fn analyze_on(plan: &str, policy: &Policy, today: Date) -> Report {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
    let path = ["plans", "plans-rules", "plans-public"]
        .iter()
        .map(|dir| root.join(dir).join(format!("{plan}.plan.json")))
        .chain(std::iter::once(root.join("plans-public").join(format!("{plan}.json"))))
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("no fixture plan {plan}"));
    check(PlanInput::bytes(&std::fs::read(path).unwrap()), &CheckOptions::new(policy.clone()).today(today)).unwrap()
}

fn fires(report: &Report, rule: &str, address: &str) -> bool {
    report.findings.iter().any(|f| f.rule == rule && f.address == address)
}

/// Whether `rule` reports `address` with a message containing `words`.
fn says(report: &Report, rule: &str, address: &str, words: &str) -> bool {
    report.findings.iter().any(|f| f.rule == rule && f.address == address && f.message.contains(words))
}

/// The real plan `plans-rules/{plan}` with the changes `more` makes from its change at `template`
/// added, under the default policy: what the emulator cannot apply, derived from what it made.
fn with_derived(plan: &str, template: &str, more: impl FnOnce(&serde_json::Value) -> Vec<serde_json::Value>) -> Report {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../fixtures/plans-rules/{plan}.plan.json"));
    let mut plan: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let changes = plan["resource_changes"].as_array_mut().unwrap();
    let template = changes.iter().find(|c| c["address"] == template).unwrap().clone();
    changes.extend(more(&template));
    let bytes = serde_json::to_vec(&plan).unwrap();
    check(PlanInput::bytes(&bytes), &CheckOptions::new(Policy::default())).unwrap()
}

/// (rule, plan and address it reports, plan and address it must not report)
type Case = (&'static str, (&'static str, &'static str), (&'static str, &'static str));
const CASES: &[Case] = &[
    ("PG-DEL-001", ("critical-deletions", "aws_s3_bucket.reports"), ("refactor", "aws_dynamodb_table.legacy")),
    ("PG-DEL-002", ("critical-deletions", "aws_sqs_queue.scratch"), ("tightening", "aws_security_group_rule.metrics")),
    ("PG-DEL-003", ("refactor", "aws_dynamodb_table.legacy"), ("critical-deletions", "aws_dynamodb_table.sessions")),
    (
        "PG-DEL-004",
        ("modules", "module.storage.aws_s3_bucket.this[\"backups\"]"),
        ("modules", "module.storage.aws_dynamodb_table.shard[2]"),
    ),
    ("PG-DATA-001", ("protections", "aws_ecr_repository.images"), ("sensitive", "aws_secretsmanager_secret.db")),
    ("PG-READ-002", ("hidden-values", "aws_security_group_rule.ssh"), ("hidden-values", "aws_sqs_queue.jobs")),
    ("PG-SG-001", ("security-groups", "aws_security_group_rule.ssh_world"), ("drift", "aws_security_group.db")),
    ("PG-SG-002", ("security-groups", "aws_security_group.web"), ("tightening", "aws_security_group.app")),
    ("PG-SG-003", ("security-groups", "aws_security_group.workers"), ("tightening", "aws_security_group.app")),
    ("PG-SG-004", ("unverifiable", "aws_security_group_rule.from_nat"), ("replace", "aws_security_group.api")),
    ("PG-IAM-001", ("audit-system-prod", "aws_iam_role_policy.audit_system"), ("tightening", "aws_iam_policy.reader")),
    ("PG-IAM-002", ("iam", "aws_iam_role.deployer"), ("tightening", "aws_iam_role.app")),
    (
        "PG-IAM-003",
        ("iam", "aws_iam_role_policy_attachment.deployer_admin"),
        ("iam", "aws_iam_role_policy_attachment.deployer_reports"),
    ),
    ("PG-IAM-004", ("iam", "aws_iam_policy.read_reports"), ("tightening", "aws_iam_policy.reader")),
    ("PG-IAM-005", ("checkov__plan_with_iam_policies", "aws_iam_role.example"), ("iam", "aws_iam_user.ci")),
    ("PG-IAM-006", ("unverifiable", "aws_iam_policy.jobs"), ("iam", "aws_iam_policy.read_reports")),
    ("PG-DB-001", ("database", "aws_db_instance.app"), ("protections", "aws_db_instance.reports")),
    ("PG-DB-002", ("database", "aws_db_instance.app"), ("protections", "aws_db_instance.reports")),
    ("PG-DB-003", ("database", "aws_db_parameter_group.pg"), ("protections", "aws_db_instance.reports")),
    ("PG-DB-004", ("protections", "aws_db_instance.reports"), ("database", "aws_db_instance.app")),
    ("PG-DB-005", ("database", "aws_rds_cluster.analytics"), ("database", "aws_db_parameter_group.pg")),
    ("PG-NET-001", ("network", "aws_vpc.core"), ("tightening", "aws_internet_gateway.igw")),
    ("PG-NET-002", ("network", "aws_route.private_default"), ("network", "aws_route_table.private")),
    ("PG-NET-003", ("exposure", "aws_network_acl_rule.rdp"), ("tightening", "aws_network_acl.edge")),
    ("PG-NET-004", ("exposure", "aws_internet_gateway.igw"), ("tightening", "aws_internet_gateway.igw")),
    ("PG-KMS-001", ("kms", "aws_kms_key.data"), ("protections", "aws_kms_key.orders")),
    ("PG-KMS-002", ("kms", "aws_kms_key.data"), ("tightening", "aws_kms_key.app")),
    ("PG-KMS-003", ("protections", "aws_kms_key.orders"), ("tightening", "aws_kms_key.app")),
    (
        "PG-S3-001",
        ("exposure", "aws_s3_bucket_public_access_block.site"),
        ("tightening", "aws_s3_bucket_public_access_block.site"),
    ),
    ("PG-S3-002", ("resource-policies", "aws_s3_bucket_policy.meta"), ("tightening", "aws_s3_bucket_policy.site")),
    (
        "PG-RP-001",
        ("resource-policies", "aws_sqs_queue_policy.jobs"),
        ("resource-policies", "aws_ecr_repository_policy.images"),
    ),
    (
        "PG-RP-002",
        ("resource-policies", "aws_cloudwatch_log_resource_policy.route53"),
        ("resource-policies", "aws_efs_file_system_policy.shared"),
    ),
    (
        "PG-RP-003",
        ("resource-policies", "aws_secretsmanager_secret_policy.db"),
        ("resource-policies", "aws_sqs_queue_policy.internal"),
    ),
    (
        "PG-RP-004",
        ("resource-policies", "aws_sqs_queue_policy.fresh"),
        ("resource-policies", "aws_lambda_function_url.admin"),
    ),
    ("PG-IAM-007", ("controls", "aws_iam_access_key.ci"), ("controls", "aws_iam_user.ci")),
    ("PG-PUB-001", ("controls", "aws_db_snapshot.nightly"), ("protections", "aws_db_instance.reports")),
    ("PG-PUB-002", ("controls", "aws_lb.web"), ("controls", "aws_lb.internal")),
    ("PG-DET-001", ("controls", "aws_guardduty_detector.main"), ("tightening", "aws_iam_role.app")),
    ("PG-DET-002", ("controls", "aws_s3_bucket_versioning.data"), ("controls", "aws_sqs_queue.events")),
    ("PG-S3-003", ("policy-engine__resource_changes", "aws_s3_bucket.update_bucket"), ("safe", "aws_s3_bucket.site")),
    ("PG-DATA-002", ("exposure", "aws_cloudwatch_log_group.audit"), ("tightening", "aws_cloudwatch_log_group.app")),
    ("PG-OUT-001", ("outages", "aws_ecs_service.api"), ("outages", "aws_autoscaling_group.batch")),
    ("PG-TLS-001", ("outages", "aws_lb_listener.https"), ("outages", "aws_lb_listener.http")),
    ("PG-IAM-008", ("federation", "aws_iam_role.ci_wildcard"), ("federation", "aws_iam_role.release")),
    ("PG-IAM-009", ("federation", "aws_iam_role.deploy"), ("federation", "aws_iam_role.release")),
    ("PG-DEL-005", ("ecs-deploy", "aws_ecs_task_definition.api"), ("routine", "aws_ecs_task_definition.worker")),
];

/// The risks a reviewer finds in a platform team's week of real plans, each at the severity it
/// deserves, and their look-alikes: below high, or at the seed's high for security-group and IAM
/// changes (which the production policy rightly stops).
#[test]
fn rules_that_generalize_report_each_risk_at_its_severity_and_look_alikes_stay_below_high() {
    use plangate::Severity::{Critical, High};
    let risks: &[(&str, &str, &str, plangate::Severity)] = &[
        ("outages", "aws_autoscaling_group.web", "PG-OUT-001", High),
        ("outages", "aws_ecs_service.api", "PG-OUT-001", High),
        ("outages", "aws_route53_record.www", "PG-OUT-001", High),
        ("outages", "aws_lb_listener.https", "PG-TLS-001", High),
        ("outages", "aws_lambda_function.checkout", "PG-OUT-001", High),
        ("outages", "aws_s3_bucket_lifecycle_configuration.orders", "PG-DATA-002", High),
        ("switched-off", "aws_dynamodb_table.orders", "PG-DET-002", High),
        ("switched-off", "aws_backup_plan.daily", "PG-DET-002", High),
        ("switched-off", "aws_vpc_endpoint.s3", "PG-RP-002", High),
        ("federation", "aws_iam_role.ci_any", "PG-IAM-008", Critical),
        ("federation", "aws_iam_role.ci_wildcard", "PG-IAM-008", Critical),
        ("federation", "aws_iam_role.terraform", "PG-IAM-008", Critical),
        ("federation", "aws_iam_role.guests", "PG-IAM-008", Critical),
        ("federation", "aws_iam_role.deploy", "PG-IAM-009", High),
        ("network-open", "aws_default_security_group.edge", "PG-SG-001", Critical),
        ("network-open", "aws_vpc_peering_connection.partner", "PG-RP-003", High),
        ("network-open", "aws_network_acl_rule.deny_bad_range", "PG-DET-002", High),
        ("network-open", "aws_route.default", "PG-NET-002", High),
        ("sharing", "aws_db_snapshot.orders", "PG-RP-003", High),
        ("sharing", "aws_snapshot_create_volume_permission.partner", "PG-RP-003", High),
        ("routine", "aws_ecs_task_definition.worker", "PG-DEL-002", High),
        ("routine", "aws_ecs_task_definition.sidecar", "PG-DEL-002", High),
    ];
    // (plan, address, the highest severity it may have: None for no finding at all above notice)
    let look_alikes: &[(&str, &str, Option<plangate::Severity>)] = &[
        ("outages", "aws_autoscaling_group.batch", None),
        ("outages", "aws_lambda_function.reports", None),
        ("outages", "aws_route53_record.api", None),
        ("outages", "aws_lb_listener.http", None),
        ("outages", "aws_s3_bucket_lifecycle_configuration.logs", None),
        ("outages", "aws_s3_bucket_lifecycle_configuration.scratch", None),
        ("switched-off", "aws_dynamodb_table.carts", None),
        ("switched-off", "aws_cloudwatch_log_group.app", None),
        ("federation", "aws_iam_role.release", Some(High)),
        ("federation", "aws_iam_role.app_users", Some(High)),
        ("network-open", "aws_default_security_group.core", Some(High)),
        ("network-open", "aws_vpc_peering_connection.internal", None),
        ("network-open", "aws_network_acl_rule.deny_scanners", None),
        ("sharing", "aws_db_snapshot.reports", None),
        ("ecs-deploy", "aws_ecs_task_definition.api", None),
        ("ecs-deploy", "aws_ecs_service.api", None),
        ("routine", "aws_lambda_layer_version.helpers", None),
        ("routine", "terraform_data.migrations", None),
        // Attributes named as an Azure custom role's: no Azure rule reads an AWS resource.
        ("shared-names", "aws_quicksight_folder.finance", None),
        ("shared-names", "aws_connect_security_profile.agents", None),
    ];
    let policy = Policy::default();
    let mut failures = Vec::new();
    for (plan, address, rule, severity) in risks {
        let report = analyze_with(plan, &policy);
        if !report.findings.iter().any(|f| f.address == *address && f.rule == *rule && f.severity == *severity) {
            let found: Vec<_> = report.findings.iter().filter(|f| f.address == *address).collect();
            failures.push(format!("{plan}: {address} should be {rule} at {severity:?}; found {found:#?}"));
        }
    }
    for (plan, address, highest) in look_alikes {
        let report = analyze_with(plan, &policy);
        let worst = report.findings.iter().filter(|f| f.address == *address).map(|f| f.severity).max();
        let allowed = highest.unwrap_or(plangate::Severity::Notice);
        if worst.is_some_and(|w| w > allowed) {
            failures.push(format!("{plan}: {address} is a look-alike, found {worst:?} (at most {allowed:?})"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// The release the production preset must let through: a new image tag replaces the task
/// definition, the service moves to the new revision.
#[test]
fn a_routine_ecs_deploy_passes_the_production_preset() {
    let production = Policy::preset(plangate::Environment::Production);
    let report = analyze_with("ecs-deploy", &production);
    assert_eq!(report.exit_code(), 0, "{:#?}", report.findings);
    assert!(report.findings.iter().all(|f| f.rule == "PG-DEL-005"), "{:#?}", report.findings);
    // `routine: []` makes it an ordinary replacement again.
    let strict = Policy::from_yaml("fail_on_high_risk: true\nroutine: []\n", "test").unwrap();
    let report = analyze_with("ecs-deploy", &strict);
    assert!(report.findings.iter().any(|f| f.rule == "PG-DEL-002"), "{:#?}", report.findings);
    assert_eq!(report.exit_code(), 2);
}

/// What moto cannot create, derived from the real `switched-off` plan: a cache whose snapshots are
/// turned off, a backup selection and a web ACL association deleted, a distribution that lets
/// viewers use HTTP, an event source mapping switched off; and their look-alikes.
#[test]
fn meanings_of_types_moto_cannot_create_are_judged_too() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/plans-rules/switched-off.plan.json");
    let mut plan: serde_json::Value = serde_json::from_slice(&std::fs::read(root).unwrap()).unwrap();
    let changes = plan["resource_changes"].as_array_mut().unwrap();
    let template = changes.iter().find(|c| c["address"] == "aws_dynamodb_table.orders").unwrap().clone();
    let derived = |address: &str, actions: &[&str], before, after| derived(&template, address, actions, before, after);
    use serde_json::json;
    let behavior = |policy: &str| json!([{"viewer_protocol_policy": policy, "target_origin_id": "app"}]);
    changes.extend([
        derived(
            "aws_elasticache_cluster.sessions",
            &["update"],
            json!({"snapshot_retention_limit": 5}),
            json!({"snapshot_retention_limit": 0}),
        ),
        derived(
            "aws_elasticache_cluster.cache",
            &["update"],
            json!({"snapshot_retention_limit": 1}),
            json!({"snapshot_retention_limit": 7}),
        ),
        derived("aws_backup_selection.tables", &["delete"], json!({"name": "tables"}), serde_json::Value::Null),
        derived(
            "aws_wafv2_web_acl_association.api",
            &["delete"],
            json!({"resource_arn": "arn:aws:x"}),
            serde_json::Value::Null,
        ),
        derived(
            "aws_cloudfront_distribution.site",
            &["update"],
            json!({"enabled": true, "default_cache_behavior": behavior("redirect-to-https")}),
            json!({"enabled": true, "default_cache_behavior": behavior("allow-all")}),
        ),
        derived(
            "aws_cloudfront_distribution.docs",
            &["update"],
            json!({"enabled": true, "default_cache_behavior": behavior("allow-all")}),
            json!({"enabled": true, "default_cache_behavior": behavior("https-only")}),
        ),
        derived(
            "aws_lambda_event_source_mapping.orders",
            &["update"],
            json!({"enabled": true}),
            json!({"enabled": false}),
        ),
        derived(
            "aws_eks_node_group.workers",
            &["update"],
            json!({"scaling_config": [{"desired_size": 3, "max_size": 6, "min_size": 1}]}),
            json!({"scaling_config": [{"desired_size": 0, "max_size": 6, "min_size": 0}]}),
        ),
    ]);
    let bytes = serde_json::to_vec(&plan).unwrap();
    let report = check(PlanInput::bytes(&bytes), &CheckOptions::new(Policy::default())).unwrap();
    let says = |address: &str, rule: &str, words: &str| says(&report, rule, address, words);
    for (address, rule, words) in [
        ("aws_elasticache_cluster.sessions", "PG-DATA-002", "snapshot_retention_limit 5 → 0 days"),
        ("aws_backup_selection.tables", "PG-DET-002", "is deleted: the selected resources are no longer backed up"),
        ("aws_wafv2_web_acl_association.api", "PG-DET-002", "requests are no longer filtered"),
        ("aws_cloudfront_distribution.site", "PG-TLS-001", "viewer_protocol_policy redirect-to-https → allow-all"),
        ("aws_lambda_event_source_mapping.orders", "PG-OUT-001", "enabled true → false"),
        ("aws_eks_node_group.workers", "PG-OUT-001", "scaling_config.desired_size 3 → 0"),
    ] {
        assert!(says(address, rule, words), "{address} {rule} {words:?}: {:#?}", report.findings);
    }
    for quiet in ["aws_elasticache_cluster.cache", "aws_cloudfront_distribution.docs"] {
        assert!(!report.findings.iter().any(|f| f.address == quiet), "{quiet}: {:#?}", report.findings);
    }
    // Deleting what protects is reported for what it stops, not again as an ordinary deletion.
    assert!(!report.findings.iter().any(|f| f.address == "aws_backup_selection.tables" && f.rule == "PG-DEL-002"));
}

#[test]
fn every_rule_fires_on_a_real_plan_and_stays_quiet_on_another() {
    let policy = Policy::default();
    let mut failures = Vec::new();
    for (rule, (plan, address), (quiet_plan, quiet_address)) in CASES {
        let report = analyze_with(plan, &policy);
        if !fires(&report, rule, address) {
            let found: Vec<_> =
                report.findings.iter().filter(|f| f.address == *address).map(|f| f.rule.as_str()).collect();
            failures.push(format!("{rule} should report {address} in {plan} (found {found:?})"));
        }
        let quiet = analyze_with(quiet_plan, &policy);
        if fires(&quiet, rule, quiet_address) {
            failures.push(format!("{rule} must not report {quiet_address} in {quiet_plan}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_rule_has_a_case() {
    // PG-READ-001 judges binary plans read natively: its cases are in native_plans.rs (the public
    // plans of provider versions with no table fire; every binary fixture of 5.100.0 is quiet).
    // The Azure and Google rules have theirs in other_clouds.rs, on those providers' real plans.
    // PG-ACT-001 needs Terraform 1.14's actions: its cases (real plans with actions added, binary
    // and JSON) are in native_plans.rs.
    let covered: Vec<&str> = CASES
        .iter()
        .map(|c| c.0)
        .chain(["PG-CLS-001", "PG-WVR-001", "PG-READ-001", "PG-READ-003", "PG-ACT-001"])
        .collect();
    for rule in
        plangate::registry::rules().iter().filter(|r| !r.id.starts_with("PG-AZ-") && !r.id.starts_with("PG-GCP-"))
    {
        assert!(covered.contains(&rule.id), "{} has no real-plan case", rule.id);
    }
}

#[test]
fn the_tightening_plan_has_no_finding_at_all() {
    let report = analyze_with("tightening", &Policy::default());
    assert!(report.total_changes >= 10);
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
}

#[test]
fn the_class_rule_speaks_only_for_classes_no_family_judges() {
    let policy = Policy::from_yaml(
        "resource_classifications: {high_risk: [aws_sqs_queue, aws_s3_bucket, aws_security_group]}",
        "test",
    )
    .unwrap();
    let report = analyze_with("safe", &policy);
    assert!(
        fires(&report, "PG-CLS-001", "aws_sqs_queue.emails"),
        "visibility_timeout_seconds changes: {:#?}",
        report.findings
    );
    assert!(!fires(&report, "PG-CLS-001", "aws_s3_bucket.site"), "tags only");
    let report = analyze_with("tightening", &policy);
    assert!(!fires(&report, "PG-CLS-001", "aws_security_group.app"), "security groups are judged by their rules");
}

#[test]
fn rules_can_be_turned_off_or_promoted() {
    let policy =
        Policy::from_yaml("rules:\n  PG-DATA-001: {severity: critical}\n  PG-DB-004: {enabled: false}\n", "test")
            .unwrap();
    let report = analyze_with("protections", &policy);
    let ecr = report.findings.iter().find(|f| f.rule == "PG-DATA-001").unwrap();
    assert_eq!(ecr.severity, plangate::Severity::Critical);
    assert_eq!(report.critical_changes, 3, "the three stateful deletions");
    assert!(!report.findings.iter().any(|f| f.rule == "PG-DB-004"));
}

#[test]
fn waivers_keep_findings_visible_but_uncounted_until_they_expire() {
    let yaml = "waivers:\n  - address: \"module.storage.aws_s3_bucket.this[\\\"backups\\\"]\"\n    rule: PG-DEL-001\n    reason: bucket emptied and migrated (CHG-1234)\n    expires: 2026-12-31\n";
    let policy = Policy::from_yaml(yaml, "test").unwrap();
    let report = analyze_on("modules", &policy, Date::parse("2026-11-26").unwrap());
    let waived =
        report.findings.iter().find(|f| f.address.ends_with("[\"backups\"]") && f.rule == "PG-DEL-001").unwrap();
    assert!(waived.waived.as_ref().is_some_and(|w| w.reason.contains("CHG-1234")));
    assert_eq!(report.critical_changes, 1, "only the DynamoDB shard still counts");

    let report = analyze_on("modules", &policy, Date::parse("2027-01-01").unwrap());
    assert_eq!(report.critical_changes, 2, "an expired waiver no longer applies");
    assert!(report.findings.iter().any(|f| f.rule == "PG-WVR-001" && f.message.contains("expired on 2026-12-31")));
}

#[test]
fn unknown_values_inside_nested_blocks_cannot_be_verified_and_are_never_read_as_absent() {
    let report = analyze_with("nested-unknown", &Policy::default());
    let says = |rule: &str, address: &str, words: &str| says(&report, rule, address, words);
    // One inline rule of two has an unknown source: it is unverifiable, and the other still counts.
    assert!(says("PG-SG-004", "aws_security_group.app", "cannot be verified before apply"), "{:#?}", report.findings);
    assert!(says("PG-SG-002", "aws_security_group.app", "tcp 80 from 10.0.0.0/8"), "{:#?}", report.findings);
    assert!(says("PG-NET-002", "aws_route_table.edge", "a destination known only after apply"));
    assert!(says("PG-NET-003", "aws_network_acl.edge", "cannot be verified before apply"));
    assert!(says("PG-S3-002", "aws_s3_bucket_policy.exports", "cannot be verified before apply"));
    // The legacy bucket's own `policy` is computed when not configured: no finding for that.
    assert!(!report.findings.iter().any(|f| f.address == "aws_s3_bucket.exports" && f.rule == "PG-S3-002"));
}

#[test]
fn internet_access_opened_in_pieces_is_internet_access() {
    let report = analyze_with("pieces", &Policy::preset(plangate::Environment::Staging));
    let says = |rule: &str, address: &str, words: &str| says(&report, rule, address, words);
    // Within one resource: one block with two halves, two blocks with IPv6 halves, two ACL entries.
    assert!(says(
        "PG-SG-001",
        "aws_security_group.halves",
        "tcp 22 from 0.0.0.0/1, 128.0.0.0/1 (together the internet)"
    ));
    assert!(says("PG-SG-001", "aws_security_group.rdp_v6", "tcp 3389 from ::/1, 8000::/1"), "{:#?}", report.findings);
    assert!(says("PG-NET-003", "aws_network_acl.edge", "tcp 22 from 0.0.0.0/1, 128.0.0.0/1"));
    // Across resources: a new rule beside an unchanged one, four quarters on a new group, two ACL rules.
    assert!(says("PG-SG-001", "aws_vpc_security_group_ingress_rule.jump_high_half", "with aws_security_group.jump"));
    for quarter in ["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2"] {
        let address = format!("aws_security_group_rule.fresh_quarter[\"{quarter}\"]");
        assert!(says("PG-SG-001", &address, "known only after apply is open from 0.0.0.0/2, 64.0.0.0/2"), "{address}");
    }
    assert!(says("PG-NET-003", "aws_network_acl_rule.data_low", "tcp 3306 on network ACL"));
    assert!(says("PG-NET-003", "aws_network_acl_rule.data_high", "tcp 3306 on network ACL"));
    // Private ranges together are not the internet; the unchanged half is not a change.
    assert!(!report.findings.iter().any(|f| f.address == "aws_security_group.private" && f.rule == "PG-SG-001"));
    assert!(!report.findings.iter().any(|f| f.address == "aws_security_group_rule.jump_low_half"));
    assert_eq!((report.critical_changes, report.exit_code()), (7, 1));
}

#[test]
fn iam_widened_by_removing_denies_and_conditions_is_reported() {
    let report = analyze_with("iam-removal", &Policy::default());
    let says = |rule: &str, address: &str, words: &str| says(&report, rule, address, words);
    assert!(
        says("PG-IAM-005", "aws_iam_policy.guarded", "s3:DeleteBucket (no longer denied)"),
        "{:#?}",
        report.findings
    );
    assert!(says(
        "PG-IAM-004",
        "aws_iam_role_policy.mfa",
        "iam:PassRole (now without the condition on aws:multifactorauthpresent)"
    ));
    assert!(says(
        "PG-IAM-001",
        "aws_iam_role_policy.region",
        "ec2:* (now without the condition on aws:requestedregion)"
    ));
    assert!(says(
        "PG-IAM-005",
        "aws_iam_role.ops",
        "trusts AWS:arn:aws:iam::210987654321:root (now with fewer conditions)"
    ));
    assert!(says("PG-IAM-005", "aws_iam_user_policy.guardrail", "no longer denies iam:* on *"));
    // A grant unchanged, and a grant that gains a condition, are not wider.
    for control in ["aws_iam_group_policy.office", "aws_iam_group_policy.tightened"] {
        assert!(!report.findings.iter().any(|f| f.address == control), "{control}: {:#?}", report.findings);
    }
}

#[test]
fn resource_policies_report_who_they_newly_admit_and_nothing_else() {
    let report = analyze_with("resource-policies", &Policy::default());
    let rules_of = |address: &str| -> Vec<&str> {
        report.findings.iter().filter(|f| f.address == address).map(|f| f.rule.as_str()).collect()
    };
    for (address, rules) in [
        // Data or code opened to anyone, each as its resource writes it.
        ("aws_sqs_queue_policy.jobs", vec!["PG-RP-001"]),
        ("aws_sns_topic_policy.alerts", vec!["PG-RP-001"]), // NotPrincipal: everyone but one account
        ("aws_lambda_permission.public", vec!["PG-RP-001"]),
        ("aws_lambda_function_url.api", vec!["PG-RP-001"]),
        ("aws_lambda_layer_version_permission.shared", vec!["PG-RP-001"]),
        ("aws_api_gateway_rest_api.public", vec!["PG-RP-001"]),
        // Any principal, for actions that open no data; a SecureTransport condition restricts nobody.
        ("aws_cloudwatch_log_resource_policy.route53", vec!["PG-RP-002"]),
        ("aws_s3_bucket_policy.meta", vec!["PG-S3-002"]),
        // Another account, judged plan-wide.
        ("aws_secretsmanager_secret_policy.db", vec!["PG-RP-003"]),
        ("aws_lambda_permission.partner", vec!["PG-RP-003"]),
        ("aws_kms_grant.partner", vec!["PG-RP-003"]),
        ("aws_sqs_queue_policy.fresh", vec!["PG-RP-004"]),
        // Look-alikes: an organization condition, the plan's own account, a service scoped to its
        // source, IAM authorization, a Deny.
        ("aws_ecr_repository_policy.images", vec![]),
        ("aws_sqs_queue_policy.internal", vec![]),
        ("aws_lambda_permission.from_bucket", vec![]),
        ("aws_lambda_function_url.admin", vec![]),
        ("aws_efs_file_system_policy.shared", vec![]),
    ] {
        assert_eq!(rules_of(address), rules, "{address}: {:#?}", report.findings);
    }
    let secret = report.findings.iter().find(|f| f.address == "aws_secretsmanager_secret_policy.db").unwrap();
    assert_eq!(
        secret.message,
        "aws_secretsmanager_secret_policy.db: the secret policy now admits AWS account 999999999999 (not an account of this plan)"
    );
    // The queue policy's attribute on the queue itself is the policy resource's doing: no drift flag.
    assert!(report.drift.iter().all(|d| d.flags.is_empty()), "{:#?}", report.drift);
}

#[test]
fn trusted_accounts_decide_which_accounts_are_another() {
    let trusting = |yaml: &str| analyze_with("resource-policies", &Policy::from_yaml(yaml, "test").unwrap());
    let report = trusting("trusted_accounts: [\"999999999999\", 123456789012]\n");
    assert!(!report.findings.iter().any(|f| f.rule == "PG-RP-003"), "{:#?}", report.findings);
    // With a list that leaves the plan's own account out, that account is another one too.
    let report = trusting("trusted_accounts: [\"111111111111\"]\n");
    let internal = report.findings.iter().find(|f| f.address == "aws_sqs_queue_policy.internal").unwrap();
    assert!(
        internal.message.ends_with("admits AWS account 123456789012 (not among the trusted_accounts)"),
        "{}",
        internal.message
    );
    let err = Policy::from_yaml("trusted_accounts: [\"12345\"]\n", "gate.yaml").unwrap_err().to_string();
    assert!(err.contains("trusted_accounts") && err.contains("12-digit"), "{err}");
}

#[test]
fn controls_switched_off_and_new_exposure_are_reported_and_look_alikes_are_not() {
    let report = analyze_with("controls", &Policy::default());
    let says = |address: &str, rule: &str, words: &str| says(&report, rule, address, words);
    for (address, rule, words) in [
        ("aws_guardduty_detector.main", "PG-DET-001", "enable true → false: threat detection stops"),
        ("aws_config_configuration_recorder_status.main", "PG-DET-001", "is_enabled true → false"),
        ("aws_flow_log.main", "PG-DET-001", "is deleted: network traffic is no longer logged"),
        ("aws_s3_bucket_versioning.data", "PG-DET-002", "status Enabled → Suspended: overwritten"),
        ("aws_s3_bucket_server_side_encryption_configuration.data", "PG-DET-002", "is deleted"),
        ("aws_s3_bucket.data", "PG-DET-002", "force_destroy false → true"),
        ("aws_ebs_encryption_by_default.this", "PG-DET-002", "enabled true → false"),
        ("aws_sqs_queue.orders", "PG-DATA-002", "message_retention_seconds 1209600 → 86400 seconds"),
        ("aws_kinesis_stream.clicks", "PG-DATA-002", "retention_period 168 → 24 hours"),
        ("aws_iam_access_key.ci", "PG-IAM-007", "creates a long-lived access key for user ci"),
        ("aws_iam_user_login_profile.ci", "PG-IAM-007", "creates a console password for user ci"),
        ("aws_db_snapshot.nightly", "PG-PUB-001", "shared with every AWS account"),
        ("aws_ami_launch_permission.public", "PG-PUB-001", "launchable by every AWS account"),
        ("aws_lb.web", "PG-PUB-002", "is created internet-facing"),
        ("aws_eks_cluster.public", "PG-PUB-002", "endpoint becomes public to 0.0.0.0/0"),
        ("aws_instance.bastion", "PG-PUB-002", "the instance gets a public IP address"),
        ("aws_launch_template.edge", "PG-PUB-002", "instances launched from the template get a public IP"),
        ("aws_api_gateway_method.list", "PG-PUB-002", "a new GET route requires no authorization"),
    ] {
        assert!(says(address, rule, words), "{address} {rule} {words:?}: {:#?}", report.findings);
    }
    let quiet = ["aws_lb.internal", "aws_eks_cluster.private", "aws_instance.worker", "aws_api_gateway_method.cors"];
    for address in quiet.into_iter().chain(["aws_api_gateway_method.create", "aws_sqs_queue.events"]) {
        let rules: Vec<&str> = report
            .findings
            .iter()
            .filter(|f| f.address == address && ["PG-PUB", "PG-DET", "PG-DATA"].iter().any(|r| f.rule.starts_with(r)))
            .map(|f| f.rule.as_str())
            .collect();
        assert!(rules.is_empty(), "{address}: {rules:?}");
    }
}

/// A trail switched off, derived from the real plan: moto cannot create a trail, so the GuardDuty
/// detector's update is rewritten as one.
#[test]
fn a_cloudtrail_stopped_narrowed_or_deleted_is_reported() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/plans-rules/controls.plan.json");
    let mut plan: serde_json::Value = serde_json::from_slice(&std::fs::read(root).unwrap()).unwrap();
    let changes = plan["resource_changes"].as_array_mut().unwrap();
    let detector = changes.iter().find(|c| c["address"] == "aws_guardduty_detector.main").unwrap().clone();
    let trail = |name: &str, actions: &[&str], before, after| {
        derived(&detector, &format!("aws_cloudtrail.{name}"), actions, before, after)
    };
    let on = serde_json::json!({"name": "main", "enable_logging": true, "is_multi_region_trail": true,
        "enable_log_file_validation": true,
        "event_selector": [{"data_resource": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3"]}]}]});
    let off = serde_json::json!({"name": "main", "enable_logging": false, "is_multi_region_trail": false,
        "enable_log_file_validation": false, "event_selector": []});
    changes.push(trail("main", &["update"], on.clone(), off));
    changes.push(trail("old", &["delete"], on.clone(), serde_json::Value::Null));
    let mut tagged = on.clone();
    tagged["tags"] = serde_json::json!({"team": "x"});
    changes.push(trail("tagged", &["update"], on, tagged));
    let bytes = serde_json::to_vec(&plan).unwrap();
    let report = check(PlanInput::bytes(&bytes), &CheckOptions::new(Policy::default())).unwrap();
    let messages: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.rule == "PG-DET-001" && f.address.starts_with("aws_cloudtrail"))
        .map(|f| f.message.as_str())
        .collect();
    for words in [
        "aws_cloudtrail.main: enable_logging true → false: the trail stops recording API calls",
        "aws_cloudtrail.main: is_multi_region_trail true → false",
        "aws_cloudtrail.main: enable_log_file_validation true → false",
        "aws_cloudtrail.main: object and function activity (data events) is no longer recorded",
        "aws_cloudtrail.old is deleted: API calls are no longer recorded",
    ] {
        assert!(messages.iter().any(|m| m.starts_with(words)), "{words}: {messages:#?}");
    }
    assert!(!messages.iter().any(|m| m.contains("tagged")), "a tags-only edit: {messages:#?}");
}

/// Index-shift hints pair only instances of one resource block, and count a replaced sibling as
/// well as a created one. Derived from the real `modules` plan.
#[test]
fn index_shift_hints_pair_instances_of_one_block_including_replacements() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/plans/modules.plan.json");
    let mut plan: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let changes = plan["resource_changes"].as_array_mut().unwrap();
    let media =
        changes.iter().find(|c| c["address"] == "module.storage.aws_s3_bucket.this[\"media\"]").unwrap().clone();
    let mut other_block = media.clone();
    other_block["address"] = "module.storage.aws_s3_bucket.archive".into();
    other_block["name"] = "archive".into();
    other_block.as_object_mut().unwrap().remove("index");
    let mut replaced = media.clone();
    replaced["address"] = "module.storage.aws_s3_bucket.this[\"logs\"]".into();
    replaced["index"] = "logs".into();
    replaced["change"]["actions"] = serde_json::json!(["delete", "create"]);
    replaced["change"]["before"] = replaced["change"]["after"].clone();
    changes.retain(|c| c["address"] != "module.storage.aws_s3_bucket.this[\"media\"]");
    changes.push(other_block);
    changes.push(replaced);
    let bytes = serde_json::to_vec(&plan).unwrap();
    let report = check(PlanInput::bytes(&bytes), &CheckOptions::new(Policy::default())).unwrap();
    let hint = report.findings.iter().find(|f| f.rule == "PG-DEL-004" && f.address.ends_with("[\"backups\"]")).unwrap();
    assert!(hint.message.contains("module.storage.aws_s3_bucket.this[\"logs\"] is replaced"), "{}", hint.message);
    assert!(!hint.message.contains("archive"), "another block is not a sibling: {}", hint.message);
}

/// Replacements say what the replacement does, and what is unknown only because the resource is
/// new is not a finding of its own.
#[test]
fn replacements_say_what_they_do_and_add_no_noise() {
    let report = analyze_with("replacements", &Policy::default());
    let on = |address: &str| -> Vec<(&str, &str)> {
        report.findings.iter().filter(|f| f.address == address).map(|f| (f.rule.as_str(), f.message.as_str())).collect()
    };
    let db = on("aws_db_instance.orders");
    assert!(
        db.iter().any(|(rule, m)| *rule == "PG-DEL-002"
            && m.contains("because a change to username forces replacement")
            && m.ends_with("its data is lost unless the new database is restored from a snapshot")),
        "{db:#?}"
    );
    assert!(
        !db.iter().any(|(rule, _)| *rule == "PG-DB-003"),
        "the parameter group is unknown only because the instance is new: {db:#?}"
    );
    let lb = on("aws_lb.api");
    assert!(
        lb.iter()
            .any(|(rule, m)| *rule == "PG-PUB-002" && m.contains("becomes internet-facing (internal true → false")),
        "{lb:#?}"
    );
    let volume = on("aws_ebs_volume.data");
    assert!(
        volume.iter().any(|(rule, m)| *rule == "PG-DET-002"
            && m.contains("encrypted true → false: the replacement volume is not encrypted")),
        "{volume:#?}"
    );
}

/// Drift that separate resources of the configuration made is said to be theirs, not flagged; drift
/// made outside Terraform stays flagged.
#[test]
fn drift_terraform_made_is_explained_and_real_drift_stays_flagged() {
    let entry = |plan: &str, address: &str| {
        analyze_with(plan, &Policy::default()).drift.into_iter().find(|d| d.address == address).unwrap()
    };
    let bastion = entry("security-groups", "aws_security_group.bastion");
    assert!(
        bastion.flags.is_empty() && bastion.message.contains("managed by aws_security_group_rule.web_http"),
        "{bastion:#?}"
    );
    let deployer = entry("iam", "aws_iam_role.deployer");
    assert!(
        deployer.flags.is_empty() && deployer.message.contains("managed by aws_iam_role_policy_attachment"),
        "{deployer:#?}"
    );
    // The inbound 5432 rule from the internet added with the AWS API is drift, whatever else is managed.
    let db = entry("drift", "aws_security_group.db");
    assert!(db.flags.iter().any(|f| f.rule == "PG-SG-001"), "{db:#?}");
}

/// When several resources of the configuration manage what drifted, the explanation names the
/// first in plan order, whichever worker judged it first: the same plan gives the same report.
#[test]
fn drift_explained_by_several_resources_names_the_first_in_plan_order() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/plans/iam.plan.json");
    let mut plan: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let changes = plan["resource_changes"].as_array_mut().unwrap();
    let manager = changes.iter().find(|c| c["address"] == "aws_iam_role_policy_attachment.deployer_reports").unwrap();
    let other = changes.iter().find(|c| c["address"] == "aws_iam_user.ci").unwrap();
    let copy = |of: &serde_json::Value, resource_type: &str, name: String| {
        let mut copy = of.clone();
        copy["address"] = format!("{resource_type}.{name}").into();
        copy["name"] = name.into();
        copy
    };
    // The first manager is the last entry of the first batch (256 entries a batch), the others fill
    // the next batch: a worker on that one reaches its managers long before the first is judged.
    let mut entries: Vec<_> = changes.iter().filter(|c| c["address"] != manager["address"]).cloned().collect();
    let fill = 255 - entries.len();
    entries.extend((0..fill).map(|i| copy(other, "aws_iam_user", format!("ci_{i:03}"))));
    entries.push(copy(manager, "aws_iam_role_policy_attachment", "first".into()));
    entries.extend((0..256).map(|i| copy(manager, "aws_iam_role_policy_attachment", format!("later_{i:03}"))));
    *changes = entries;
    let text = serde_json::to_vec(&plan).unwrap();
    for _ in 0..5 {
        let report = check(PlanInput::bytes(&text), &CheckOptions::new(Policy::default())).unwrap();
        let deployer = report.drift.iter().find(|d| d.address == "aws_iam_role.deployer").unwrap();
        assert!(
            deployer.message.contains("managed by aws_iam_role_policy_attachment.first of this configuration"),
            "{deployer:#?}"
        );
    }
}

/// A role's trust policy follows the same definition of another account: trusting a foreign
/// account root without `sts:ExternalId` (or an organization condition) is PG-RP-003.
#[test]
fn a_trust_policy_that_loses_its_external_id_admits_another_account() {
    let report = analyze_with("iam-removal", &Policy::default());
    assert!(
        report.findings.iter().any(|f| f.address == "aws_iam_role.ops"
            && f.rule == "PG-RP-003"
            && f.message.contains("trust policy now admits AWS account 210987654321")),
        "{:#?}",
        report.findings
    );
    let report = analyze_with("iam", &Policy::default());
    assert!(!report.findings.iter().any(|f| f.rule == "PG-RP-003"), "{:#?}", report.findings);
}

/// A search domain's open access policy is the world's outside a VPC and only its VPC's inside one.
/// Derived from the real `resource-policies` plan (moto has no OpenSearch).
#[test]
fn an_open_search_domain_policy_is_critical_outside_a_vpc_only() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/plans-rules/resource-policies.plan.json");
    let mut plan: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let changes = plan["resource_changes"].as_array_mut().unwrap();
    let api = changes.iter().find(|c| c["address"] == "aws_api_gateway_rest_api.public").unwrap().clone();
    let policy =
        serde_json::json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"},
        "Action": "es:ESHttpGet", "Resource": "arn:aws:es:us-east-1:123456789012:domain/search/*"}]})
        .to_string();
    for (name, vpc) in
        [("public", serde_json::json!([])), ("private", serde_json::json!([{"subnet_ids": ["subnet-1"]}]))]
    {
        let mut domain = api.clone();
        domain["address"] = format!("aws_opensearch_domain.{name}").into();
        domain["type"] = "aws_opensearch_domain".into();
        domain["name"] = name.into();
        domain["change"]["after"] =
            serde_json::json!({"domain_name": name, "access_policies": policy, "vpc_options": vpc});
        domain["change"]["after_unknown"] = serde_json::json!({});
        domain["change"]["after_sensitive"] = serde_json::json!({});
        changes.push(domain);
    }
    let bytes = serde_json::to_vec(&plan).unwrap();
    let report = check(PlanInput::bytes(&bytes), &CheckOptions::new(Policy::default())).unwrap();
    let rule = |address: &str| {
        report.findings.iter().find(|f| f.address == address).map(|f| (f.rule.clone(), f.message.clone()))
    };
    assert_eq!(rule("aws_opensearch_domain.public").unwrap().0, "PG-RP-001");
    let (id, message) = rule("aws_opensearch_domain.private").unwrap();
    assert!(id == "PG-RP-002" && message.ends_with("(the domain is reachable only inside its VPC)"), "{id} {message}");
}

/// The new families judge what changes: moved-only and import-only changes (the `refactor` plan,
/// Terraform's own moved-block and identity-import plans) give none of their findings.
#[test]
fn moved_and_imported_resources_give_no_exposure_or_control_finding() {
    for plan in ["refactor", "terraform-json__moved_block", "terraform-json__identity"] {
        let report = analyze_with(plan, &Policy::default());
        let new_rules: Vec<&str> = report
            .findings
            .iter()
            .map(|f| f.rule.as_str())
            .filter(|r| ["PG-RP-", "PG-PUB-", "PG-DET-", "PG-IAM-007"].iter().any(|p| r.starts_with(p)))
            .collect();
        assert!(new_rules.is_empty(), "{plan}: {new_rules:?}");
    }
}

/// A change no rule reads is never silently "safe": every report counts it by provider, and with
/// `unjudged: high` it counts as high-risk, except for providers known to change nothing outside
/// Terraform (HashiCorp's, not whatever is named like them). On real plans of the GitHub and local
/// providers.
#[test]
fn changes_no_rule_judges_are_said_and_count_when_asked() {
    use plangate::report::{render, Format, RenderOptions};
    let report = analyze_with("tf-summarize__example_tfplan", &Policy::default());
    let github: Vec<_> = report.plan.unjudged.iter().filter(|u| u.provider.ends_with("github")).collect();
    assert!(!github.is_empty() && github.iter().all(|u| !u.harmless), "{:#?}", report.plan.unjudged);
    assert!(!report.findings.iter().any(|f| f.rule == "PG-READ-003"));
    let options = RenderOptions::new("plan.json");
    let text = render(&report, Format::Text, &options);
    assert!(text.contains("NOT JUDGED: 7 changes no rule judges: hashicorp/github 6 (github_branch"), "{text}");
    assert!(text.contains("among the changes the rules judge (see Not Judged)"), "{text}");
    for format in [Format::Markdown, Format::Github, Format::Sarif] {
        assert!(render(&report, format, &options).contains("no rule judges"), "{format:?}");
    }
    assert!(render(&report, Format::Json, &options).contains("\"unjudged\": ["));

    let strict = Policy::from_yaml("unjudged: high\n", "test").unwrap();
    let report = analyze_with("tf-summarize__example_tfplan", &strict);
    assert!(report.findings.iter().any(|f| f.rule == "PG-READ-003" && f.severity == plangate::Severity::High));
    assert_eq!(report.exit_code(), 2);
    // Files written by the local provider change nothing outside Terraform.
    let local = analyze_with("terraform-plan-comment__7_create_hundreds", &strict);
    assert_eq!(local.exit_code(), 0, "{:#?}", local.findings.first());
    assert!(local.plan.unjudged.iter().all(|u| u.harmless));
    // The same plan with the provider published under another namespace, or mirrored under
    // HashiCorp's on another host: a name alone makes nothing harmless.
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/plans-public/terraform-plan-comment__7_create_hundreds.json");
    let text = std::fs::read_to_string(path).unwrap();
    for impostor in ["registry.terraform.io/evil/local", "example.com/hashicorp/local"] {
        let renamed = text.replace("registry.terraform.io/hashicorp/local", impostor);
        let report = check(PlanInput::bytes(renamed.as_bytes()), &CheckOptions::new(strict.clone())).unwrap();
        assert!(report.plan.unjudged.iter().all(|u| !u.harmless), "{impostor}: {:#?}", report.plan.unjudged);
        assert_eq!(report.exit_code(), 2, "{impostor}");
    }
    let err = Policy::from_yaml("unjudged: loud\n", "gate.yaml").unwrap_err().to_string();
    assert!(err.contains("unjudged") && err.contains("list") && err.contains("high"), "{err}");
}

/// Administrator access granted outside the commercial partition and through IAM Identity Center,
/// and databases made public outside RDS, from the real `identity-and-warehouses` plan: each is
/// critical, as its commercial-IAM or RDS twin is; and what is derived from it, updates the emulator
/// cannot apply first. Before, the partitions were high only (an allowance let them through) and
/// the rest passed unjudged.
#[test]
fn administrator_access_and_public_databases_beyond_commercial_iam_and_rds_are_critical() {
    let report = analyze_with("identity-and-warehouses", &Policy::default());
    for (address, rule, words) in [
        ("aws_iam_role_policy_attachment.analysts_gov_admin", "PG-IAM-003", "attaches AdministratorAccess"),
        ("aws_iam_role_policy_attachment.analysts_cn_admin", "PG-IAM-003", "attaches AdministratorAccess"),
        ("aws_ssoadmin_managed_policy_attachment.operators_admin", "PG-IAM-003", "attaches AdministratorAccess"),
        ("aws_ssoadmin_permission_set_inline_policy.operators", "PG-IAM-001", "now grants * on every resource"),
        ("aws_redshift_cluster.reports", "PG-DB-001", "publicly accessible"),
        // Not set: the AWS provider 5's default is public.
        ("aws_redshift_cluster.adhoc", "PG-DB-001", "publicly accessible"),
        ("aws_redshiftserverless_workgroup.bi", "PG-DB-001", "publicly accessible"),
        ("aws_neptune_cluster_instance.graph", "PG-DB-001", "publicly accessible"),
        ("aws_dms_replication_instance.migrate", "PG-DB-001", "publicly accessible"),
    ] {
        assert!(says(&report, rule, address, words), "{address} {rule} {words:?}: {:#?}", report.findings);
    }
    let readers = "aws_ssoadmin_managed_policy_attachment.readers";
    assert!(says(&report, "PG-IAM-005", readers, "attaches arn:aws:iam::aws:policy/ReadOnlyAccess"));
    assert!(!fires(&report, "PG-IAM-003", readers));
    for quiet in ["aws_redshift_cluster.private", "aws_dms_replication_instance.internal"] {
        assert!(!report.findings.iter().any(|f| f.address == quiet), "{quiet}: {:#?}", report.findings);
    }
    assert_eq!((report.critical_changes, report.high_risk_changes, report.exit_code()), (9, 1, 1));

    let report = with_derived("identity-and-warehouses", "aws_redshift_cluster.private", |template| {
        let derived = |address: &str, before, after| derived(template, address, &["update"], before, after);
        use serde_json::json;
        let public = |on: bool| json!({"publicly_accessible": on});
        vec![
            derived("aws_redshift_cluster.made_public", public(false), public(true)),
            derived("aws_redshiftserverless_workgroup.made_private", public(true), public(false)),
            derived("aws_mq_broker.events", public(false), public(true)),
            derived("aws_m2_environment.mainframe", public(true), public(true)),
            derived(
                "aws_ssoadmin_managed_policy_attachment.isolated",
                json!({"managed_policy_arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}),
                json!({"managed_policy_arn": "arn:aws-iso:iam::aws:policy/IAMFullAccess"}),
            ),
            // A customer policy named like an AWS one is not AWS's.
            derived(
                "aws_iam_role_policy_attachment.own",
                json!({"role": "r", "policy_arn": "arn:aws:iam::123456789012:policy/ReadOnly"}),
                json!({"role": "r", "policy_arn": "arn:aws:iam::123456789012:policy/AdministratorAccess"}),
            ),
        ]
    });
    assert!(says(&report, "PG-DB-001", "aws_redshift_cluster.made_public", "is made publicly accessible"));
    assert!(says(&report, "PG-PUB-002", "aws_mq_broker.events", "becomes reachable from the internet"));
    assert!(says(&report, "PG-IAM-003", "aws_ssoadmin_managed_policy_attachment.isolated", "attaches IAMFullAccess"));
    assert!(says(&report, "PG-IAM-005", "aws_iam_role_policy_attachment.own", "AdministratorAccess"));
    assert!(!fires(&report, "PG-IAM-003", "aws_iam_role_policy_attachment.own"));
    for quiet in ["aws_redshiftserverless_workgroup.made_private", "aws_m2_environment.mainframe"] {
        assert!(!report.findings.iter().any(|f| f.address == quiet), "{quiet}: {:#?}", report.findings);
    }
}

/// ACLs that open data without a canned bucket ACL, from the real `public-grants` plan: a bucket
/// ACL written out as a grant to `AllUsers`, objects made `public-read` and `authenticated-read`;
/// and, derived from it, the legacy bucket's `grant` and an object copy's grant whose group is known
/// only after apply. Before, each passed with exit 0.
#[test]
fn acls_written_as_grants_or_set_on_objects_that_open_data_are_reported() {
    let report = analyze_with("public-grants", &Policy::default());
    for (address, words) in [
        ("aws_s3_bucket_acl.site", "the ACL grants READ to AllUsers: it opens the bucket to everyone"),
        ("aws_s3_object.index", "ACL public-read opens the object to everyone"),
        ("aws_s3_object.report", "ACL authenticated-read opens the object to everyone"),
    ] {
        assert!(says(&report, "PG-S3-003", address, words), "{address} {words:?}: {:#?}", report.findings);
    }
    for quiet in ["aws_s3_bucket_acl.logs", "aws_s3_object.draft"] {
        assert!(!report.findings.iter().any(|f| f.address == quiet), "{quiet}: {:#?}", report.findings);
    }
    assert_eq!((report.high_risk_changes, report.exit_code()), (3, 2));

    let report = with_derived("public-grants", "aws_s3_object.index", |template| {
        use serde_json::json;
        let owner = json!({"id": "75aa", "permissions": ["FULL_CONTROL"], "type": "CanonicalUser", "uri": ""});
        let everyone = json!({"id": "", "permissions": ["READ", "WRITE"], "type": "Group",
            "uri": "http://acs.amazonaws.com/groups/global/AllUsers"});
        let mut unknown_group = derived(
            template,
            "aws_s3_object_copy.shared",
            &["create"],
            serde_json::Value::Null,
            json!({"grant": [{"type": "Group", "permissions": ["READ"]}]}),
        );
        unknown_group["change"]["after_unknown"] = json!({"grant": [{"uri": true}]});
        vec![
            derived(
                template,
                "aws_s3_bucket.legacy",
                &["update"],
                json!({"grant": [owner.clone()]}),
                json!({"grant": [owner.clone(), everyone.clone()]}),
            ),
            // Taking the public grant away opens nothing.
            derived(
                template,
                "aws_s3_bucket.closed",
                &["update"],
                json!({"grant": [owner.clone(), everyone]}),
                json!({"grant": [owner]}),
            ),
            unknown_group,
        ]
    });
    let legacy = "the ACL grants READ to AllUsers, WRITE to AllUsers: it opens the bucket to everyone";
    assert!(says(&report, "PG-S3-003", "aws_s3_bucket.legacy", legacy), "{:#?}", report.findings);
    let unknown = "whether the ACL's grants open the object cannot be verified before apply";
    assert!(says(&report, "PG-S3-003", "aws_s3_object_copy.shared", unknown), "{:#?}", report.findings);
    assert!(!report.findings.iter().any(|f| f.address == "aws_s3_bucket.closed"), "{:#?}", report.findings);
}

/// Resource policies of the services the first rules did not read, from the real
/// `more-resource-policies` plan: each opened to any principal is critical, as a bucket or queue
/// policy is, and the look-alikes stay quiet. Before, the plan passed with exit 0.
#[test]
fn resource_policies_of_every_service_that_holds_data_or_code_are_read() {
    let report = analyze_with("more-resource-policies", &Policy::default());
    for address in [
        "aws_dynamodb_resource_policy.orders",
        "aws_kinesis_resource_policy.clicks",
        "aws_s3control_access_point_policy.exports",
        "aws_glue_resource_policy.catalog",
        "aws_cloudwatch_event_bus_policy.default",
        "aws_ecr_registry_policy.registry",
        "aws_codeartifact_repository_permissions_policy.packages",
        "aws_acmpca_policy.ca",
        "aws_ses_identity_policy.mail",
    ] {
        assert!(says(&report, "PG-RP-001", address, "now lets anyone"), "{address}: {:#?}", report.findings);
    }
    assert!(says(&report, "PG-KMS-001", "aws_kms_external_key.imported", "any principal"));
    for quiet in ["aws_dynamodb_resource_policy.orders_internal", "aws_glue_resource_policy.catalog_org"] {
        assert!(!report.findings.iter().any(|f| f.address == quiet), "{quiet}: {:#?}", report.findings);
    }
    assert_eq!((report.critical_changes, report.high_risk_changes, report.exit_code()), (10, 0, 1));
}

/// A permissions boundary taken away lets every policy of the principal grant in full: the real
/// `boundaries` plan's worker role, and, derived from it, a user's boundary removed and an
/// Identity Center permission set's boundary deleted. A boundary swapped for another is quiet.
#[test]
fn a_permissions_boundary_taken_away_is_a_protection_switched_off() {
    let report = analyze_with("boundaries", &Policy::default());
    assert!(says(&report, "PG-DET-002", "aws_iam_role.worker", "no boundary caps what the role's policies grant"));
    assert!(!report.findings.iter().any(|f| f.address == "aws_iam_role.reader"), "{:#?}", report.findings);
    assert_eq!((report.high_risk_changes, report.exit_code()), (1, 2));

    let report = with_derived("boundaries", "aws_iam_role.worker", |template| {
        use serde_json::json;
        let boundary = json!({"name": "contractor", "permissions_boundary": "arn:aws:iam::123456789012:policy/b"});
        vec![
            derived(
                template,
                "aws_iam_user.contractor",
                &["update"],
                boundary,
                json!({"name": "contractor", "permissions_boundary": null}),
            ),
            derived(
                template,
                "aws_ssoadmin_permissions_boundary_attachment.operators",
                &["delete"],
                json!({"permission_set_arn": "arn:aws:sso:::permissionSet/ssoins-1/ps-2"}),
                serde_json::Value::Null,
            ),
        ]
    });
    assert!(says(&report, "PG-DET-002", "aws_iam_user.contractor", "no boundary caps what the user's policies grant"));
    let set = "aws_ssoadmin_permissions_boundary_attachment.operators";
    assert!(says(&report, "PG-DET-002", set, "no boundary caps what the permission set's policies grant"));
}

/// A CIDR added to a managed prefix list is added to every rule that references it: the real
/// `prefix-lists` plan widens one list to the internet in two halves and another with one `::/0`
/// entry resource; a partner range added to a third stays quiet. Before, the plan passed.
#[test]
fn a_prefix_list_widened_to_the_internet_widens_every_rule_that_references_it() {
    let report = analyze_with("prefix-lists", &Policy::default());
    for (address, cidrs) in [
        ("aws_ec2_managed_prefix_list.office", "0.0.0.0/1, 128.0.0.0/1"),
        ("aws_ec2_managed_prefix_list_entry.v6_everyone", "::/0"),
    ] {
        assert!(says(&report, "PG-SG-002", address, cidrs), "{address}: {:#?}", report.findings);
        assert!(says(&report, "PG-SG-002", address, "every security group rule that references it admits everyone"));
    }
    assert!(!report.findings.iter().any(|f| f.address == "aws_ec2_managed_prefix_list.partners"));
    assert_eq!((report.high_risk_changes, report.exit_code()), (2, 2));
}

/// HTTP and WebSocket API routes are reachable as REST methods are: derived from the real
/// `controls` plan's methods, a new route without authorization (the provider's default) is
/// reported; one with a JWT authorizer and a CORS `OPTIONS` route are not.
#[test]
fn an_http_api_route_without_authorization_is_reachable_from_the_internet() {
    let report = with_derived("controls", "aws_api_gateway_method.create", |template| {
        use serde_json::json;
        let route = |address: &str, key: &str, authorization: &str| {
            let after = json!({"api_id": "a1", "route_key": key, "authorization_type": authorization});
            derived(template, address, &["create"], serde_json::Value::Null, after)
        };
        vec![
            route("aws_apigatewayv2_route.admin", "POST /admin", "NONE"),
            route("aws_apigatewayv2_route.orders", "GET /orders", "JWT"),
            route("aws_apigatewayv2_route.preflight", "OPTIONS /orders", "NONE"),
        ]
    });
    let admin = "a new POST /admin route requires no authorization (authorization_type NONE)";
    assert!(says(&report, "PG-PUB-002", "aws_apigatewayv2_route.admin", admin), "{:#?}", report.findings);
    for quiet in ["aws_apigatewayv2_route.orders", "aws_apigatewayv2_route.preflight"] {
        assert!(!report.findings.iter().any(|f| f.address == quiet), "{quiet}: {:#?}", report.findings);
    }
}

/// Sharing and opening that passed before: the real `guest-access` plan shares a Systems Manager
/// document with every account, puts an instance back on IMDSv1, throttles a function that had no
/// reserved concurrency (-1) to 0, and opens identity pools to unauthenticated identities; its
/// look-alikes stay quiet. Derived from it, what the emulator cannot apply: the region-wide blocks
/// on public snapshot and image sharing lifted or deleted, EMR's block on public security groups
/// off, a launch template and the region's metadata default back on IMDSv1, Amazon MWAA's web
/// server made public, an API stage's throttling from none to 0, an endpoint service opened to
/// `*` or another account, an event bus permission for `*` without a condition (one for an
/// organization stays quiet), the region's VPC block on internet gateways off, and the Azure and
/// Google Cloud settings that open the same things (a key vault's and a storage account's network
/// default, an AKS or GKE control plane whose authorized ranges add up to the internet, a Redis
/// firewall rule for every address, GKE's legacy ABAC, password logins to Azure SQL, anonymous
/// pulls from a container registry, an organization policy no longer enforced).
#[test]
fn sharing_with_everyone_and_opening_to_guests_are_reported() {
    let report = analyze_with("guest-access", &Policy::default());
    let says_for = |rule: &str, address: &str, words: &str| says(&report, rule, address, words);
    assert!(says_for("PG-PUB-001", "aws_ssm_document.runbook", "shared with every AWS account (account_ids All)"));
    for pool in ["aws_cognito_identity_pool.members", "aws_cognito_identity_pool.guests"] {
        assert!(says_for("PG-PUB-002", pool, "anyone on the internet can get AWS credentials"), "{pool}");
    }
    assert!(says_for("PG-DET-002", "aws_instance.web", "http_tokens required → optional"));
    assert!(says_for("PG-OUT-001", "aws_lambda_function.worker", "-1 → 0: every invocation is throttled"));
    for quiet in ["aws_ssm_document.patching", "aws_instance.api", "aws_cognito_identity_pool.staff"] {
        assert!(!report.findings.iter().any(|f| f.address == quiet), "{quiet}: {:#?}", report.findings);
    }
    assert_eq!((report.critical_changes, report.high_risk_changes, report.exit_code()), (1, 4, 1));

    let report = with_derived("guest-access", "aws_instance.web", |template| {
        use serde_json::{json, Value};
        let update =
            |address: &str, before: Value, after: Value| derived(template, address, &["update"], before, after);
        let in_provider = |provider: &str, mut change: Value| {
            change["provider_name"] = format!("registry.terraform.io/hashicorp/{provider}").into();
            change
        };
        let aks =
            |ranges: &[&str]| json!({"name": "k", "api_server_access_profile": [{"authorized_ip_ranges": ranges}]});
        let gke = |blocks: &[&str]| {
            let blocks: Vec<Value> = blocks.iter().map(|b| json!({"cidr_block": b, "display_name": "n"})).collect();
            json!({"name": "c", "master_authorized_networks_config": [{"cidr_blocks": blocks}]})
        };
        let tokens = |tokens: &str| json!({"name": "lt", "metadata_options": [{"http_tokens": tokens}]});
        let mwaa = |mode: &str| json!({"name": "airflow", "webserver_access_mode": mode});
        let throttle =
            |limit: i64| json!({"settings": [{"throttling_rate_limit": limit, "throttling_burst_limit": 5}]});
        vec![
            update(
                "aws_ebs_snapshot_block_public_access.region",
                json!({"state": "block-all-sharing"}),
                json!({"state": "unblocked"}),
            ),
            derived(
                template,
                "aws_ec2_image_block_public_access.region",
                &["delete"],
                json!({"state": "block-new-sharing"}),
                Value::Null,
            ),
            update(
                "aws_emr_block_public_access_configuration.region",
                json!({"block_public_security_group_rules": true}),
                json!({"block_public_security_group_rules": false}),
            ),
            update("aws_launch_template.workers", tokens("required"), tokens("optional")),
            update(
                "aws_ec2_instance_metadata_defaults.region",
                json!({"http_tokens": "required"}),
                json!({"http_tokens": "no-preference"}),
            ),
            derived(template, "aws_mwaa_environment.public", &["create"], Value::Null, mwaa("PUBLIC_ONLY")),
            derived(template, "aws_mwaa_environment.private", &["create"], Value::Null, mwaa("PRIVATE_ONLY")),
            update("aws_api_gateway_method_settings.all", throttle(-1), throttle(0)),
            update(
                "aws_vpc_endpoint_service.billing",
                json!({"allowed_principals": ["arn:aws:iam::123456789012:root"]}),
                json!({"allowed_principals": ["arn:aws:iam::123456789012:root", "*"]}),
            ),
            derived(
                template,
                "aws_vpc_endpoint_service_allowed_principal.partner",
                &["create"],
                Value::Null,
                json!({"vpc_endpoint_service_id": "vpce-svc-1", "principal_arn": "arn:aws:iam::999999999999:root"}),
            ),
            derived(
                template,
                "aws_cloudwatch_event_permission.everyone",
                &["create"],
                Value::Null,
                json!({"principal": "*", "action": "events:PutEvents", "event_bus_name": "default", "condition": []}),
            ),
            derived(
                template,
                "aws_cloudwatch_event_permission.organization",
                &["create"],
                Value::Null,
                json!({"principal": "*", "action": "events:PutEvents", "event_bus_name": "default",
                       "condition": [{"key": "aws:PrincipalOrgID", "type": "StringEquals", "value": "o-1"}]}),
            ),
            update(
                "aws_vpc_block_public_access_options.region",
                json!({"internet_gateway_block_mode": "block-bidirectional"}),
                json!({"internet_gateway_block_mode": "off"}),
            ),
            in_provider(
                "azurerm",
                update(
                    "azurerm_key_vault.secrets",
                    json!({"name": "kv", "network_acls": [{"default_action": "Deny", "bypass": "AzureServices"}]}),
                    json!({"name": "kv", "network_acls": [{"default_action": "Allow", "bypass": "AzureServices"}]}),
                ),
            ),
            in_provider(
                "azurerm",
                update(
                    "azurerm_storage_account_network_rules.data",
                    json!({"default_action": "Deny"}),
                    json!({"default_action": "Allow"}),
                ),
            ),
            in_provider(
                "azurerm",
                update("azurerm_kubernetes_cluster.opened", aks(&["10.0.0.0/8"]), aks(&["10.0.0.0/8", "0.0.0.0/0"])),
            ),
            in_provider(
                "azurerm",
                update("azurerm_kubernetes_cluster.narrowed", aks(&["0.0.0.0/0"]), aks(&["10.0.0.0/8"])),
            ),
            in_provider(
                "azurerm",
                derived(
                    template,
                    "azurerm_redis_firewall_rule.everyone",
                    &["create"],
                    Value::Null,
                    json!({"name": "all", "redis_cache_name": "r", "start_ip": "0.0.0.0", "end_ip": "255.255.255.255"}),
                ),
            ),
            in_provider(
                "google",
                update(
                    "google_container_cluster.opened",
                    gke(&["10.0.0.0/8"]),
                    gke(&["10.0.0.0/8", "0.0.0.0/1", "128.0.0.0/1"]),
                ),
            ),
            in_provider(
                "azurerm",
                update(
                    "azurerm_mssql_server.orders",
                    json!({"azuread_administrator": [{"azuread_authentication_only": true, "login_username": "dba"}]}),
                    json!({"azuread_administrator": [{"azuread_authentication_only": false, "login_username": "dba"}]}),
                ),
            ),
            in_provider(
                "azurerm",
                update(
                    "azurerm_container_registry.images",
                    json!({"admin_enabled": false, "anonymous_pull_enabled": false}),
                    json!({"admin_enabled": false, "anonymous_pull_enabled": true}),
                ),
            ),
            in_provider(
                "google",
                update(
                    "google_org_policy_policy.no_public_ips",
                    json!({"spec": [{"rules": [{"enforce": "TRUE"}]}]}),
                    json!({"spec": [{"rules": [{"enforce": "FALSE"}]}]}),
                ),
            ),
            in_provider(
                "google",
                update(
                    "google_container_cluster.abac",
                    json!({"name": "c", "enable_legacy_abac": false}),
                    json!({"name": "c", "enable_legacy_abac": true}),
                ),
            ),
        ]
    });
    let says_for = |rule: &str, address: &str, words: &str| says(&report, rule, address, words);
    for (address, words) in [
        ("aws_ebs_snapshot_block_public_access.region", "EBS snapshots of the region may be shared publicly"),
        ("aws_ec2_image_block_public_access.region", "is deleted: images (AMIs) of the region may be shared publicly"),
        ("aws_emr_block_public_access_configuration.region", "security groups open to the internet"),
        ("aws_launch_template.workers", "http_tokens required → optional"),
        ("aws_ec2_instance_metadata_defaults.region", "http_tokens required → no-preference"),
        ("azurerm_key_vault.secrets", "the vault accepts connections from any network"),
        ("azurerm_storage_account_network_rules.data", "the account accepts connections from any network"),
        ("azurerm_kubernetes_cluster.opened", "an authorized range is the internet"),
        ("google_container_cluster.opened", "an authorized network is the internet"),
        ("google_container_cluster.abac", "legacy ABAC"),
        ("azurerm_mssql_server.orders", "SQL logins with passwords work again"),
        ("azurerm_container_registry.images", "anyone on the internet can pull the registry's images"),
        ("google_org_policy_policy.no_public_ips", "spec.rules.enforce TRUE → FALSE"),
        ("aws_vpc_block_public_access_options.region", "block-bidirectional → off"),
    ] {
        assert!(says_for("PG-DET-002", address, words), "{address}: {:#?}", report.findings);
    }
    assert!(says_for("PG-PUB-002", "aws_mwaa_environment.public", "webserver_access_mode PUBLIC_ONLY"));
    assert!(says_for("PG-OUT-001", "aws_api_gateway_method_settings.all", "-1 → 0: every request is throttled"));
    assert!(says_for("PG-SG-001", "azurerm_redis_firewall_rule.everyone", "6380"));
    assert!(says_for("PG-PUB-002", "aws_vpc_endpoint_service.billing", "any AWS account can connect"));
    let partner = "aws_vpc_endpoint_service_allowed_principal.partner";
    assert!(says_for("PG-RP-003", partner, "AWS account 999999999999"), "{:#?}", report.findings);
    let everyone = "aws_cloudwatch_event_permission.everyone";
    assert!(says_for("PG-RP-001", everyone, "every AWS account may put events on the default event bus"));
    let quiet = [
        "aws_mwaa_environment.private",
        "azurerm_kubernetes_cluster.narrowed",
        "aws_cloudwatch_event_permission.organization",
    ];
    for quiet in quiet {
        assert!(!report.findings.iter().any(|f| f.address == quiet), "{quiet}: {:#?}", report.findings);
    }
}

/// Protections switched off in place, which passed before: the real `quietly-weakened` plan turns
/// a bucket's object ACLs back on, a queue's and a topic's encryption at rest off, and takes the
/// authorization off a REST method and an HTTP route (creates without it were already reported);
/// a queue moved to a KMS key stays quiet. Derived from it: a user pool's MFA off, a web ACL that
/// allows by default, a search domain out of its VPC, a trail's key removed, the ownership
/// controls deleted.
#[test]
fn protections_switched_off_in_place_are_reported() {
    let report = analyze_with("quietly-weakened", &Policy::default());
    for (rule, address, words) in [
        ("PG-DET-002", "aws_s3_bucket_ownership_controls.uploads", "BucketOwnerEnforced → ObjectWriter"),
        ("PG-DET-002", "aws_sqs_queue.orders", "messages are no longer encrypted at rest"),
        ("PG-DET-002", "aws_sns_topic.alerts", "messages are no longer encrypted at rest"),
        (
            "PG-PUB-002",
            "aws_api_gateway_method.delete_user",
            "no longer requires authorization (authorization AWS_IAM → NONE)",
        ),
        ("PG-PUB-002", "aws_apigatewayv2_route.refund", "the POST /refunds route no longer requires authorization"),
    ] {
        assert!(says(&report, rule, address, words), "{address}: {:#?}", report.findings);
    }
    assert!(!report.findings.iter().any(|f| f.address == "aws_sqs_queue.events"), "{:#?}", report.findings);
    assert_eq!((report.high_risk_changes, report.exit_code()), (5, 2));

    let report = with_derived("quietly-weakened", "aws_sns_topic.alerts", |template| {
        use serde_json::{json, Value};
        let update =
            |address: &str, before: Value, after: Value| derived(template, address, &["update"], before, after);
        let acl = |allow: bool| {
            let (a, b) = if allow { (json!([{}]), json!([])) } else { (json!([]), json!([{}])) };
            json!({"name": "edge", "default_action": [{"allow": a, "block": b}]})
        };
        vec![
            update(
                "aws_cognito_user_pool.customers",
                json!({"mfa_configuration": "ON"}),
                json!({"mfa_configuration": "OFF"}),
            ),
            update("aws_wafv2_web_acl.edge", acl(false), acl(true)),
            update("aws_wafv2_web_acl.allowing", acl(true), acl(true)),
            derived(
                template,
                "aws_opensearch_domain.logs",
                &["delete", "create"],
                json!({"domain_name": "logs", "vpc_options": [{"subnet_ids": ["subnet-1"]}]}),
                json!({"domain_name": "logs", "vpc_options": []}),
            ),
            update(
                "aws_cloudtrail.main",
                json!({"name": "main", "kms_key_id": "arn:aws:kms:k"}),
                json!({"name": "main", "kms_key_id": null}),
            ),
            derived(
                template,
                "aws_s3_bucket_ownership_controls.reports",
                &["delete"],
                json!({"bucket": "reports", "rule": [{"object_ownership": "BucketOwnerEnforced"}]}),
                Value::Null,
            ),
        ]
    });
    for (rule, address, words) in [
        ("PG-DET-002", "aws_cognito_user_pool.customers", "users can sign in without a second factor"),
        ("PG-DET-002", "aws_wafv2_web_acl.edge", "requests that no rule matches are allowed instead of blocked"),
        ("PG-PUB-002", "aws_opensearch_domain.logs", "leaves its VPC for a public endpoint"),
        ("PG-DET-001", "aws_cloudtrail.main", "log files are no longer encrypted with the trail's key"),
        ("PG-DET-002", "aws_s3_bucket_ownership_controls.reports", "is deleted: object ACLs work again"),
    ] {
        assert!(says(&report, rule, address, words), "{address}: {:#?}", report.findings);
    }
    assert!(!report.findings.iter().any(|f| f.address == "aws_wafv2_web_acl.allowing"), "{:#?}", report.findings);
}

/// Guardrails loosened in place, which passed before: the real `guardrails-loosened` plan lifts
/// two denials of a service control policy, stores a SecureString parameter as plain text, stops
/// a repository's scan on push and lets a transit gateway accept shared attachments unasked; the
/// regions SCP gaining a denial stays quiet. Derived from it: cluster-admin on an EKS cluster,
/// Lightsail ports opened, an OpenSearch Serverless collection made public, a multi-region access
/// point policy for anyone, a CodeCommit SSH key, a resource share opened outside the
/// organization, DNSSEC signing and a domain's transfer lock off, a bucket's retention removed, a
/// region lock opened to one more region (said as a changed condition, not a denial gone); a
/// backup policy changed is listed as judged by no rule, as it was before SCPs were read.
#[test]
fn guardrails_loosened_in_place_are_reported() {
    let report = analyze_with("guardrails-loosened", &Policy::default());
    for (rule, address, words) in [
        (
            "PG-IAM-005",
            "aws_organizations_policy.baseline",
            "the guardrail now permits organizations:LeaveOrganization (no longer denied)",
        ),
        ("PG-IAM-005", "aws_organizations_policy.baseline", "cloudtrail:StopLogging"),
        ("PG-DET-002", "aws_ssm_parameter.db_password", "type SecureString → String"),
        ("PG-DET-001", "aws_ecr_repository.payments", "pushed images are no longer scanned"),
        ("PG-DET-002", "aws_ec2_transit_gateway.hub", "auto_accept_shared_attachments disable → enable"),
    ] {
        assert!(says(&report, rule, address, words), "{address}: {:#?}", report.findings);
    }
    let quiet = "aws_organizations_policy.regions";
    assert!(!report.findings.iter().any(|f| f.address == quiet), "{:#?}", report.findings);
    assert_eq!((report.high_risk_changes, report.exit_code()), (4, 2));
    let unjudged_types = |report: &Report| -> Vec<String> {
        report.plan.unjudged.iter().filter(|u| u.provider == "hashicorp/aws").flat_map(|u| u.types.clone()).collect()
    };
    assert!(!unjudged_types(&report).contains(&"aws_organizations_policy".to_string()), "{:#?}", report.plan.unjudged);

    let report = with_derived("guardrails-loosened", "aws_ecr_repository.payments", |template| {
        use serde_json::{json, Value};
        let update =
            |address: &str, before: Value, after: Value| derived(template, address, &["update"], before, after);
        let create = |address: &str, after: Value| derived(template, address, &["create"], Value::Null, after);
        let ports = |cidrs: &[&str]| {
            json!({"instance_name": "blog", "port_info": [{"protocol": "tcp", "from_port": 22, "to_port": 22,
                "cidrs": cidrs, "ipv6_cidrs": [], "cidr_list_aliases": []}]})
        };
        let network = |public: bool| {
            let rules = json!([{"Rules": [{"ResourceType": "collection", "Resource": ["collection/logs"]}],
                "AllowFromPublic": public}]);
            json!({"name": "logs", "type": "network", "policy": rules.to_string()})
        };
        let access_point = |principal: Value| {
            let document = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": principal,
                "Action": "s3:GetObject", "Resource": "*"}]});
            json!({"account_id": "123456789012", "details": [{"name": "global", "policy": document.to_string()}]})
        };
        let region_lock = |regions: &[&str]| {
            let document = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny",
                "NotAction": ["iam:*", "sts:*"], "Resource": "*",
                "Condition": {"StringNotEquals": {"aws:RequestedRegion": regions}}}]});
            json!({"name": "regions", "type": "SERVICE_CONTROL_POLICY", "content": document.to_string()})
        };
        let mut retention = update(
            "google_storage_bucket.archive",
            json!({"name": "archive", "retention_policy": [{"is_locked": false, "retention_period": 2592000}]}),
            json!({"name": "archive", "retention_policy": []}),
        );
        retention["provider_name"] = "registry.terraform.io/hashicorp/google".into();
        vec![
            create(
                "aws_eks_access_policy_association.ci",
                json!({"cluster_name": "prod", "principal_arn": "arn:aws:iam::123456789012:role/ci",
                    "policy_arn": "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
                    "access_scope": [{"type": "cluster", "namespaces": []}]}),
            ),
            update("aws_lightsail_instance_public_ports.blog", ports(&["203.0.113.0/24"]), ports(&["0.0.0.0/0"])),
            update("aws_opensearchserverless_security_policy.logs", network(false), network(true)),
            update("aws_opensearchserverless_security_policy.still", network(true), network(true)),
            create("aws_s3control_multi_region_access_point_policy.global", access_point(json!("*"))),
            create("aws_iam_user_ssh_key.deploy", json!({"username": "deploy", "encoding": "SSH", "public_key": "k"})),
            update(
                "aws_ram_resource_share.hub",
                json!({"name": "hub", "allow_external_principals": false}),
                json!({"name": "hub", "allow_external_principals": true}),
            ),
            update(
                "aws_route53_hosted_zone_dnssec.main",
                json!({"hosted_zone_id": "Z1", "signing_status": "SIGNING"}),
                json!({"hosted_zone_id": "Z1", "signing_status": "NOT_SIGNING"}),
            ),
            update(
                "aws_route53domains_registered_domain.shop",
                json!({"domain_name": "example.com", "transfer_lock": true}),
                json!({"domain_name": "example.com", "transfer_lock": false}),
            ),
            retention,
            update(
                "aws_organizations_policy.region_lock",
                region_lock(&["eu-west-1"]),
                region_lock(&["eu-west-1", "us-east-1"]),
            ),
            // A backup policy is not an IAM document: no rule reads it, so it is listed unjudged.
            update(
                "aws_organizations_policy.backups",
                json!({"name": "backups", "type": "BACKUP_POLICY", "content": "{\"plans\":{}}"}),
                json!({"name": "backups", "type": "BACKUP_POLICY", "content": "{}"}),
            ),
        ]
    });
    assert!(unjudged_types(&report).contains(&"aws_organizations_policy".to_string()), "{:#?}", report.plan.unjudged);
    for (rule, address, words) in [
        (
            "PG-IAM-005",
            "aws_eks_access_policy_association.ci",
            "AmazonEKSClusterAdminPolicy to arn:aws:iam::123456789012:role/ci on the whole cluster prod",
        ),
        ("PG-SG-001", "aws_lightsail_instance_public_ports.blog", "tcp 22 from 0.0.0.0/0 (the internet)"),
        ("PG-PUB-002", "aws_opensearchserverless_security_policy.logs", "admits the internet (AllowFromPublic)"),
        ("PG-RP-001", "aws_s3control_multi_region_access_point_policy.global", "now lets anyone s3:GetObject"),
        ("PG-IAM-007", "aws_iam_user_ssh_key.deploy", "an SSH key for CodeCommit for user deploy"),
        ("PG-DET-002", "aws_ram_resource_share.hub", "accounts outside the organization"),
        ("PG-DET-002", "aws_route53_hosted_zone_dnssec.main", "SIGNING → NOT_SIGNING"),
        ("PG-DET-002", "aws_route53domains_registered_domain.shop", "transferred to another registrar"),
        ("PG-DATA-002", "google_storage_bucket.archive", "objects may be deleted at any time"),
        (
            "PG-IAM-005",
            "aws_organizations_policy.region_lock",
            "permits every action except iam:*, sts:* (its denial's condition on aws:requestedregion changed) on *",
        ),
    ] {
        assert!(says(&report, rule, address, words), "{address}: {:#?}", report.findings);
    }
    let quiet = "aws_opensearchserverless_security_policy.still";
    assert!(!report.findings.iter().any(|f| f.address == quiet), "{:#?}", report.findings);
}

/// Signals dimmed in place, which passed before: the real `signals-dimmed` plan switches a
/// cluster's Container Insights off and moves an HTTPS listener to a TLS 1.0 policy; enhanced
/// observability and a TLS 1.3-only policy stay quiet. Derived from it, across the three clouds:
/// the protections, records and grants the emulator cannot apply (a function's ingress narrowed,
/// and a federated credential's audience changed, stay quiet).
#[test]
fn signals_dimmed_in_place_are_reported() {
    let report = analyze_with("signals-dimmed", &Policy::default());
    assert!(says(&report, "PG-DET-001", "aws_ecs_cluster.apps", "Container Insights"), "{:#?}", report.findings);
    assert!(
        says(&report, "PG-TLS-001", "aws_lb_listener.https", "→ ELBSecurityPolicy-2016-08"),
        "{:#?}",
        report.findings
    );
    for quiet in ["aws_ecs_cluster.batch", "aws_lb_listener.admin"] {
        assert!(!report.findings.iter().any(|f| f.address == quiet), "{quiet}: {:#?}", report.findings);
    }
    assert_eq!((report.high_risk_changes, report.exit_code()), (2, 2));

    let report = with_derived("signals-dimmed", "aws_ecs_cluster.apps", |template| {
        use serde_json::{json, Value};
        let in_provider = |provider: &str, mut change: Value| {
            change["provider_name"] = format!("registry.terraform.io/hashicorp/{provider}").into();
            change
        };
        let update =
            |address: &str, before: Value, after: Value| derived(template, address, &["update"], before, after);
        let create = |address: &str, after: Value| derived(template, address, &["create"], Value::Null, after);
        // One attribute from `from` to `to`, the steps before the last being blocks.
        let flip = |address: &str, path: &str, from: Value, to: Value| {
            let side = |value: Value| {
                let (blocks, last) = path.rsplit_once('.').map_or((None, path), |(b, l)| (Some(b), l));
                let inner = json!({last: value});
                blocks.map_or(inner.clone(), |b| b.rsplit('.').fold(inner, |v, step| json!({step: [v]})))
            };
            update(address, side(from), side(to))
        };
        vec![
            flip("aws_cloudtrail.main", "include_global_service_events", json!(true), json!(false)),
            flip(
                "aws_lb_listener.fips",
                "ssl_policy",
                json!("ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04"),
                json!("ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04"),
            ),
            flip("aws_dlm_lifecycle_policy.daily", "state", json!("ENABLED"), json!("DISABLED")),
            flip(
                "aws_kinesis_firehose_delivery_stream.events",
                "server_side_encryption.enabled",
                json!(true),
                json!(false),
            ),
            flip("aws_memorydb_cluster.sessions", "acl_name", json!("app-users"), json!("open-access")),
            flip("aws_msk_cluster.events", "client_authentication.unauthenticated", json!(false), json!(true)),
            update(
                "aws_eks_cluster.prod",
                json!({"name": "prod", "enabled_cluster_log_types": ["api", "audit"]}),
                json!({"name": "prod", "enabled_cluster_log_types": ["api"]}),
            ),
            flip(
                "aws_apprunner_service.web",
                "network_configuration.ingress_configuration.is_publicly_accessible",
                json!(false),
                json!(true),
            ),
            in_provider(
                "google",
                create(
                    "google_bigquery_dataset_access.analysts",
                    json!({"dataset_id": "sales", "role": "READER", "special_group": "allAuthenticatedUsers",
                        "user_by_email": "", "group_by_email": "", "domain": "", "iam_member": ""}),
                ),
            ),
            in_provider(
                "google",
                update(
                    "google_project_iam_custom_role.deployer",
                    json!({"role_id": "deployer", "permissions": ["run.services.update"]}),
                    json!({"role_id": "deployer", "permissions": ["run.services.update", "iam.serviceAccounts.actAs"]}),
                ),
            ),
            in_provider(
                "google",
                flip(
                    "google_container_node_pool.default",
                    "node_config.workload_metadata_config.mode",
                    json!("GKE_METADATA"),
                    json!("GCE_METADATA"),
                ),
            ),
            in_provider(
                "azurerm",
                flip("azurerm_subscription_policy_assignment.baseline", "enforce", json!(true), json!(false)),
            ),
            in_provider(
                "azurerm",
                flip("azurerm_linux_web_app.shop", "site_config.ftps_state", json!("FtpsOnly"), json!("AllAllowed")),
            ),
            in_provider(
                "azurerm",
                flip("azurerm_redis_cache.sessions", "minimum_tls_version", json!("1.2"), json!("1.0")),
            ),
            in_provider(
                "azurerm",
                flip("azurerm_cognitive_account.openai", "local_auth_enabled", json!(false), json!(true)),
            ),
            in_provider(
                "azurerm",
                flip("azurerm_eventhub_namespace.events", "public_network_access_enabled", json!(false), json!(true)),
            ),
            in_provider(
                "google",
                flip(
                    "google_container_cluster.prod",
                    "private_cluster_config.enable_private_nodes",
                    json!(true),
                    json!(false),
                ),
            ),
            in_provider(
                "google",
                flip(
                    "google_cloud_run_v2_service.api",
                    "ingress",
                    json!("INGRESS_TRAFFIC_INTERNAL_ONLY"),
                    json!("INGRESS_TRAFFIC_ALL"),
                ),
            ),
            in_provider(
                "google",
                flip(
                    "google_compute_backend_service.web",
                    "security_policy",
                    json!("projects/p/global/securityPolicies/edge"),
                    json!(""),
                ),
            ),
            in_provider(
                "google",
                flip("google_dns_managed_zone.shop", "dnssec_config.state", json!("on"), json!("off")),
            ),
            in_provider(
                "google",
                flip(
                    "google_cloudfunctions_function.hook",
                    "ingress_settings",
                    json!("ALLOW_ALL"),
                    json!("ALLOW_INTERNAL_ONLY"),
                ),
            ),
            in_provider(
                "google",
                flip(
                    "google_iam_workload_identity_pool_provider.github",
                    "attribute_condition",
                    json!("assertion.repository_owner == 'acme'"),
                    json!(""),
                ),
            ),
            in_provider(
                "azurerm",
                create(
                    "azurerm_federated_identity_credential.ci",
                    json!({"name": "ci", "issuer": "https://token.actions.githubusercontent.com",
                        "subject": "repo:someone/else:ref:refs/heads/main", "audience": ["api://AzureADTokenExchange"],
                        "parent_id": "/subscriptions/s/resourceGroups/ops/providers/Microsoft.ManagedIdentity/userAssignedIdentities/deploy"}),
                ),
            ),
            in_provider(
                "azurerm",
                flip("azurerm_federated_identity_credential.kept", "audience", json!(["a"]), json!(["b"])),
            ),
        ]
    });
    for quiet in ["google_cloudfunctions_function.hook", "azurerm_federated_identity_credential.kept"] {
        assert!(!report.findings.iter().any(|f| f.address == quiet), "{quiet}: {:#?}", report.findings);
    }
    for (rule, address, words) in [
        ("PG-DET-001", "aws_cloudtrail.main", "calls to IAM, STS and other global services"),
        ("PG-TLS-001", "aws_lb_listener.fips", "→ ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04"),
        ("PG-DET-002", "aws_dlm_lifecycle_policy.daily", "ENABLED → DISABLED"),
        ("PG-DET-002", "aws_kinesis_firehose_delivery_stream.events", "no longer encrypted at rest"),
        ("PG-DET-002", "aws_memorydb_cluster.sessions", "without a password (open-access)"),
        ("PG-DET-002", "aws_msk_cluster.events", "without authenticating"),
        ("PG-DET-001", "aws_eks_cluster.prod", "the Kubernetes audit log is no longer recorded"),
        ("PG-PUB-002", "aws_apprunner_service.web", "reachable from the internet"),
        ("PG-GCP-001", "google_bigquery_dataset_access.analysts", "READER to allAuthenticatedUsers"),
        ("PG-GCP-003", "google_project_iam_custom_role.deployer", "now includes iam.serviceAccounts.actAs"),
        ("PG-DET-002", "google_container_node_pool.default", "GKE_METADATA → GCE_METADATA"),
        ("PG-DET-002", "azurerm_subscription_policy_assignment.baseline", "it only reports"),
        ("PG-TLS-001", "azurerm_linux_web_app.shop", "FtpsOnly → AllAllowed"),
        ("PG-TLS-001", "azurerm_redis_cache.sessions", "1.2 → 1.0"),
        ("PG-DET-002", "azurerm_cognitive_account.openai", "its API keys work again"),
        ("PG-DET-002", "azurerm_eventhub_namespace.events", "reachable from any network"),
        ("PG-DET-002", "google_container_cluster.prod", "the cluster's nodes get public IP addresses"),
        ("PG-DET-002", "google_cloud_run_v2_service.api", "INGRESS_TRAFFIC_INTERNAL_ONLY → INGRESS_TRAFFIC_ALL"),
        ("PG-DET-002", "google_compute_backend_service.web", "without Cloud Armor's filtering"),
        ("PG-DET-002", "google_dns_managed_zone.shop", "on → off"),
        ("PG-DET-002", "google_iam_workload_identity_pool_provider.github", "every token the issuer signs"),
        (
            "PG-AZ-002",
            "azurerm_federated_identity_credential.ci",
            "lets repo:someone/else:ref:refs/heads/main (tokens of https://token.actions.githubusercontent.com) sign in as",
        ),
    ] {
        assert!(says(&report, rule, address, words), "{address}: {:#?}", report.findings);
    }
}

/// Notebooks opened in place, which passed before: the real `notebooks-opened` plan gives a
/// SageMaker notebook's users root; another taking root away stays quiet. Derived from it, what the
/// emulator cannot apply: a notebook answering IMDSv1 again, a Studio domain sent around its VPC,
/// an Athena workgroup that no longer enforces its settings or encrypts results, the Glue Data
/// Catalog's encryption off, and a Redis AUTH token removed, judged though the plan marks it
/// sensitive (and never shown); the same token rotated, or removed for RBAC user groups, is quiet.
#[test]
fn notebooks_and_query_engines_opened_in_place_are_reported() {
    let report = analyze_with("notebooks-opened", &Policy::default());
    assert!(
        says(
            &report,
            "PG-DET-002",
            "aws_sagemaker_notebook_instance.research",
            "Disabled → Enabled: the notebook's users get root"
        ),
        "{:#?}",
        report.findings
    );
    let quiet = "aws_sagemaker_notebook_instance.shared";
    assert!(!report.findings.iter().any(|f| f.address == quiet), "{:#?}", report.findings);
    assert_eq!((report.high_risk_changes, report.exit_code()), (1, 2));

    let report = with_derived("notebooks-opened", "aws_sagemaker_notebook_instance.research", |template| {
        use serde_json::{json, Value};
        let update =
            |address: &str, before: Value, after: Value| derived(template, address, &["update"], before, after);
        let token = |address: &str, before: Value, after: Value| {
            let mut change = update(address, before, after);
            change["change"]["before_sensitive"] = json!({"auth_token": true});
            change["change"]["after_sensitive"] = json!({"auth_token": true});
            change
        };
        let redis = |token: Value, groups: &[&str]| {
            json!({"replication_group_id": "sessions", "transit_encryption_enabled": true, "auth_token": token,
                "user_group_ids": groups})
        };
        vec![
            update(
                "aws_sagemaker_notebook_instance.lab",
                json!({"name": "lab", "instance_metadata_service_configuration": [
                    {"minimum_instance_metadata_service_version": "2"}]}),
                json!({"name": "lab", "instance_metadata_service_configuration": [
                    {"minimum_instance_metadata_service_version": "1"}]}),
            ),
            update(
                "aws_sagemaker_domain.studio",
                json!({"domain_name": "studio", "app_network_access_type": "VpcOnly"}),
                json!({"domain_name": "studio", "app_network_access_type": "PublicInternetOnly"}),
            ),
            update(
                "aws_athena_workgroup.analysts",
                json!({"name": "analysts", "configuration": [{"enforce_workgroup_configuration": true,
                    "result_configuration": [{"encryption_configuration": [{"encryption_option": "SSE_S3"}]}]}]}),
                json!({"name": "analysts", "configuration": [{"enforce_workgroup_configuration": false,
                    "result_configuration": [{"encryption_configuration": []}]}]}),
            ),
            update(
                "aws_glue_data_catalog_encryption_settings.catalog",
                json!({"data_catalog_encryption_settings": [{
                    "connection_password_encryption": [{"return_connection_password_encrypted": true}],
                    "encryption_at_rest": [{"catalog_encryption_mode": "SSE-KMS"}]}]}),
                json!({"data_catalog_encryption_settings": [{
                    "connection_password_encryption": [{"return_connection_password_encrypted": false}],
                    "encryption_at_rest": [{"catalog_encryption_mode": "DISABLED"}]}]}),
            ),
            token(
                "aws_elasticache_replication_group.sessions",
                redis(json!("s3cr3t-t0ken"), &[]),
                redis(Value::Null, &[]),
            ),
            token(
                "aws_elasticache_replication_group.rotated",
                redis(json!("s3cr3t-t0ken"), &[]),
                redis(json!("n3w-t0ken"), &[]),
            ),
            token(
                "aws_elasticache_replication_group.rbac",
                redis(json!("s3cr3t-t0ken"), &[]),
                redis(Value::Null, &["app-users"]),
            ),
        ]
    });
    for (rule, address, words) in [
        ("PG-DET-002", "aws_sagemaker_notebook_instance.lab", "2 → 1: the notebook instance's role credentials"),
        ("PG-DET-002", "aws_sagemaker_domain.studio", "VpcOnly → PublicInternetOnly"),
        ("PG-DET-002", "aws_athena_workgroup.analysts", "queries may override the workgroup's settings"),
        ("PG-DET-002", "aws_athena_workgroup.analysts", "query results are no longer encrypted"),
        ("PG-DET-002", "aws_glue_data_catalog_encryption_settings.catalog", "SSE-KMS → DISABLED"),
        (
            "PG-DET-002",
            "aws_glue_data_catalog_encryption_settings.catalog",
            "connection passwords are returned in clear text",
        ),
        ("PG-DET-002", "aws_elasticache_replication_group.sessions", "auth_token (sensitive) → (unset)"),
    ] {
        assert!(says(&report, rule, address, words), "{address}: {:#?}", report.findings);
    }
    for quiet in ["aws_elasticache_replication_group.rotated", "aws_elasticache_replication_group.rbac"] {
        assert!(!report.findings.iter().any(|f| f.address == quiet), "{quiet}: {:#?}", report.findings);
    }
    use plangate::report::{render, Format, RenderOptions};
    for format in [Format::Text, Format::Json, Format::Sarif, Format::Markdown, Format::Github] {
        let shown = render(&report, format, &RenderOptions::new("plan.json"));
        assert!(!shown.contains("s3cr3t") && !shown.contains("n3w-t0ken"), "{format:?}: a sensitive value is shown");
    }
}

/// Access widened in place, which passed before: the real `access-widened` plan adds a user to the
/// admins group and a role to an exclusive policy attachment, drops a bucket's Object Lock to
/// governance mode, replicates it into another account, and sets a web ACL's SQL injection rule
/// to count; a rule moved from counting to blocking stays quiet. Derived from it, what the emulator
/// cannot apply, web ACL rules renamed or reordered (quiet), data sent into another account, whose
/// ARNs must not pass for the plan's own, and anyone admitted but narrowed to another account.
#[test]
fn access_widened_in_place_is_reported() {
    let report = analyze_with("access-widened", &Policy::default());
    for (rule, address, words) in [
        ("PG-IAM-005", "aws_iam_group_membership.admins", "adds user mallory to group admins"),
        (
            "PG-IAM-005",
            "aws_iam_policy_attachment.billing_read",
            "attaches arn:aws:iam::123456789012:policy/billing-read",
        ),
        (
            "PG-RP-003",
            "aws_s3_bucket_replication_configuration.ledger",
            "now copies what it matches to AWS account 999988887777",
        ),
        ("PG-DET-002", "aws_s3_bucket_object_lock_configuration.ledger", "COMPLIANCE → GOVERNANCE"),
        ("PG-DET-002", "aws_wafv2_web_acl.edge", "rule sqli: the requests matched are counted or allowed"),
    ] {
        assert!(says(&report, rule, address, words), "{address}: {:#?}", report.findings);
    }
    let waf = report.findings.iter().find(|f| f.address == "aws_wafv2_web_acl.edge").unwrap();
    assert!(!waf.message.contains("probe"), "{waf:#?}");
    assert_eq!((report.high_risk_changes, report.exit_code()), (5, 2));

    let report = with_derived("access-widened", "aws_wafv2_web_acl.edge", |template| {
        use serde_json::{json, Value};
        let update =
            |address: &str, before: Value, after: Value| derived(template, address, &["update"], before, after);
        let create = |address: &str, after: Value| derived(template, address, &["create"], Value::Null, after);
        let rule = |name: &str, action: &str| {
            let mut actions = json!({"allow": [], "block": [], "captcha": [], "challenge": [], "count": []});
            actions[action] = json!([{}]);
            json!({"name": name, "priority": 1, "action": [actions], "override_action": []})
        };
        let acl = |rules: Vec<Value>| json!({"name": "acl", "rule": rules});
        let stateless = |action: &str| {
            json!({"name": "egress", "firewall_policy": [{"stateless_default_actions": [action],
                "stateless_fragment_default_actions": ["aws:drop"]}]})
        };
        let trust = |principal: Value, condition: Value| {
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": principal,
                "Action": "sts:AssumeRole", "Condition": condition}]})
            .to_string()
        };
        let narrowed_to = |account: &str| {
            let document = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
                "Action": "s3:GetObject", "Resource": "arn:aws:s3:::ledger-records/*",
                "Condition": {"StringEquals": {"aws:PrincipalAccount": account}}}]});
            json!({"bucket": "ledger-records", "policy": document.to_string()})
        };
        let sharing = |value: &str| json!({"setting_id": "/ssm/documents/console/public-sharing-permission", "setting_value": value});
        vec![
            create("aws_iam_user_group_membership.bob", json!({"user": "bob", "groups": ["admins", "dev"]})),
            update(
                "aws_route53_resolver_firewall_rule.malware",
                json!({"name": "malware", "action": "BLOCK"}),
                json!({"name": "malware", "action": "ALLOW"}),
            ),
            update("aws_ssm_service_setting.sharing", sharing("Disable"), sharing("Enable")),
            update(
                "aws_networkfirewall_firewall_policy.egress",
                stateless("aws:forward_to_sfe"),
                stateless("aws:pass"),
            ),
            update(
                "aws_wafv2_rule_group.shared",
                acl(vec![rule("bad-bots", "block")]),
                acl(vec![rule("bad-bots", "count")]),
            ),
            update("aws_wafv2_web_acl.renamed", acl(vec![rule("sqli", "block")]), acl(vec![rule("sqli-v2", "count")])),
            update(
                "aws_wafv2_web_acl.reordered",
                acl(vec![rule("a", "block"), rule("b", "count")]),
                acl(vec![rule("b", "count"), rule("a", "block")]),
            ),
            update(
                "aws_iam_instance_profile.web",
                json!({"name": "web", "role": "web"}),
                json!({"name": "web", "role": "admin"}),
            ),
            // Data sent into another account. The event target's own `arn` is the account it
            // names, as a data source's is: neither may pass for an account of the plan, or the
            // Lambda permission for that same account would pass with them.
            create(
                "aws_cloudwatch_event_target.audit",
                json!({"rule": "all", "arn": "arn:aws:events:us-east-1:999988887777:event-bus/default"}),
            ),
            create(
                "aws_lambda_permission.audit",
                json!({"function_name": "f", "principal": "999988887777", "action": "lambda:InvokeFunction"}),
            ),
            {
                let mut read = derived(
                    template,
                    "data.aws_arn.other",
                    &["read"],
                    Value::Null,
                    json!({"arn": "arn:aws:iam::555566667777:root"}),
                );
                read["mode"] = "data".into();
                read["type"] = "aws_arn".into();
                read
            },
            create(
                "aws_lambda_permission.other",
                json!({"function_name": "f", "principal": "555566667777", "action": "lambda:InvokeFunction"}),
            ),
            create(
                "aws_cloudwatch_log_subscription_filter.ship",
                json!({"name": "ship", "destination_arn": "arn:aws:logs:us-east-1:999988887777:destination:sink"}),
            ),
            create(
                "aws_sns_topic_subscription.copy",
                json!({"protocol": "sqs", "endpoint": "arn:aws:sqs:us-east-1:999988887777:copy"}),
            ),
            // Anyone, narrowed by a condition to one account, is that account.
            create("aws_s3_bucket_policy.narrowed", narrowed_to("999988887777")),
            create("aws_s3_bucket_policy.own", narrowed_to("123456789012")),
            // … and narrowed by a pattern that leaves the account open is anyone.
            update(
                "aws_iam_role.ci",
                json!({"name": "ci", "assume_role_policy": trust(json!({"AWS": "arn:aws:iam::123456789012:root"}), json!({}))}),
                json!({"name": "ci", "assume_role_policy": trust(json!({"AWS": "*"}),
                    json!({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/ci"}}))}),
            ),
            update(
                "aws_ecr_replication_configuration.images",
                json!({"replication_configuration": [{"rule": [{"destination": [{"registry_id": "123456789012"}]}]}]}),
                json!({"replication_configuration": [{"rule": [{"destination": [{"registry_id": "999988887777"}]}]}]}),
            ),
        ]
    });
    for (rule, address, words) in [
        ("PG-IAM-005", "aws_iam_user_group_membership.bob", "adds user bob to group admins, user bob to group dev"),
        ("PG-DET-002", "aws_route53_resolver_firewall_rule.malware", "BLOCK → ALLOW"),
        ("PG-DET-002", "aws_ssm_service_setting.sharing", "SSM documents may be shared publicly"),
        ("PG-DET-002", "aws_networkfirewall_firewall_policy.egress", "pass uninspected"),
        ("PG-DET-002", "aws_wafv2_rule_group.shared", "rule bad-bots"),
        ("PG-IAM-005", "aws_iam_instance_profile.web", "adds role admin to instance profile web"),
        ("PG-RP-003", "aws_cloudwatch_event_target.audit", "sends what it matches to AWS account 999988887777"),
        ("PG-RP-003", "aws_lambda_permission.audit", "admits AWS account 999988887777"),
        ("PG-RP-003", "aws_lambda_permission.other", "admits AWS account 555566667777"),
        ("PG-RP-003", "aws_cloudwatch_log_subscription_filter.ship", "sends what it matches to AWS account"),
        ("PG-RP-003", "aws_sns_topic_subscription.copy", "sends what it matches to AWS account 999988887777"),
        ("PG-RP-003", "aws_ecr_replication_configuration.images", "copies what it matches to AWS account 999988887777"),
        ("PG-RP-003", "aws_s3_bucket_policy.narrowed", "admits AWS account 999988887777"),
        ("PG-IAM-002", "aws_iam_role.ci", ""),
    ] {
        assert!(says(&report, rule, address, words), "{address}: {:#?}", report.findings);
    }
    for quiet in ["aws_wafv2_web_acl.renamed", "aws_wafv2_web_acl.reordered", "aws_s3_bucket_policy.own"] {
        assert!(!report.findings.iter().any(|f| f.address == quiet), "{quiet}: {:#?}", report.findings);
    }
}
