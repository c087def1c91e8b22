"""Every expectation of fixtures/README.md, through Python: what a good analysis reports on each real
plan under the default policy."""

from __future__ import annotations

import pytest

import plangate
from conftest import plan

SENSITIVE = ("tok-OLD-0000", "tok-NEW-SECRET-9999", "hunter2-OLD", "hunter2-NEW-SECRET")

# plan: (must be critical, must be at least high-risk, must carry no finding, allowed statuses)
EXPECTATIONS = {
    "audit-system-prod": (
        ["aws_dynamodb_table.audit_events", "aws_security_group.audit_system", "aws_iam_role_policy.audit_system"],
        [],
        ["aws_s3_bucket.audit_archive", "aws_sqs_queue.ingest", "aws_cloudwatch_log_group.api", "aws_sqs_queue.ingest_dlq"],
        ["critical"],
    ),
    "critical-deletions": (
        [
            "aws_dynamodb_table.sessions",
            "aws_s3_bucket.reports",
            "aws_rds_cluster.ledger",
            "aws_kms_key.backups",
            "aws_route53_zone.internal",
            "aws_vpc.legacy",
        ],
        ["aws_sqs_queue.scratch", "aws_cloudwatch_log_group.old"],
        [],
        ["critical"],
    ),
    "security-groups": (
        ["aws_security_group_rule.ssh_world", "aws_vpc_security_group_ingress_rule.rdp_world_v6"],
        ["aws_security_group.web", "aws_security_group.old_batch"],
        ["aws_security_group.bastion", "aws_security_group_rule.web_http", "aws_vpc.main"],
        ["critical"],
    ),
    "iam": (
        ["aws_iam_role.deployer", "aws_iam_role_policy_attachment.deployer_admin"],
        ["aws_iam_policy.read_reports"],
        ["aws_iam_user.ci", "aws_iam_role_policy_attachment.deployer_reports"],
        ["critical"],
    ),
    "database": (
        [],
        ["aws_db_instance.app", "aws_db_parameter_group.pg", "aws_rds_cluster.analytics"],
        [],
        ["critical", "high_risk"],
    ),
    "network": (
        [],
        ["aws_subnet.private_b", "aws_route.private_default", "aws_vpc.core"],
        ["aws_internet_gateway.igw", "aws_route_table.private", "aws_route_table_association.a", "aws_subnet.private_a"],
        ["critical", "high_risk"],
    ),
    "kms": (["aws_kms_key.legacy", "aws_kms_key.data"], [], ["aws_kms_alias.data"], ["critical"]),
    "replace": (
        ["aws_dynamodb_table.orders", "aws_s3_bucket.exports"],
        ["aws_sqs_queue.jobs", "aws_security_group.api"],
        [],
        ["critical"],
    ),
    "modules": (
        ["module.storage.aws_dynamodb_table.shard[2]", 'module.storage.aws_s3_bucket.this["backups"]'],
        [],
        [
            'module.storage.aws_s3_bucket.this["media"]',
            "module.queues.module.dlq[2].aws_sqs_queue.dlq",
            "module.storage.aws_dynamodb_table.shard[0]",
            "module.queues.module.dlq[0].aws_sqs_queue.dlq",
        ],
        ["critical"],
    ),
    "refactor": ([], [], ["aws_dynamodb_table.audit_events", "aws_s3_bucket.adopted", "aws_s3_bucket.assets"], ["high_risk", "safe"]),
    "tainted": (["aws_s3_bucket.state_archive"], ["aws_sqs_queue.work"], [], ["critical"]),
    "drift": ([], [], ["aws_vpc.main", "aws_s3_bucket.data"], ["high_risk", "safe"]),
    "noop": ([], [], ["aws_s3_bucket.static", "aws_sqs_queue.q"], ["safe"]),
    "destroy": (["aws_dynamodb_table.kv", "aws_s3_bucket.blobs"], ["aws_iam_role.svc", "aws_sqs_queue.events"], [], ["critical"]),
    "safe": (
        [],
        [],
        ["aws_cloudwatch_log_group.site", "aws_s3_bucket.site", "aws_s3_bucket.site_logs", "aws_sqs_queue.emails", "aws_sqs_queue.emails_dlq"],
        ["safe"],
    ),
    "sensitive": ([], [], [], ["high_risk", "safe"]),
}

RANK = {"notice": 1, "high": 2, "critical": 3}


def worst(report: plangate.Report, address: str) -> int:
    return max((RANK[f.severity] for f in report.findings if f.address == address), default=0)


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_each_real_plan_reads_as_the_fixture_readme_says(name: str) -> None:
    critical, at_least_high, no_finding, statuses = EXPECTATIONS[name]
    report = plangate.check_plan(plan(name))
    for address in critical:
        assert worst(report, address) == RANK["critical"], (address, report.findings)
    for address in at_least_high:
        assert worst(report, address) >= RANK["high"], (address, report.findings)
    for address in no_finding:
        assert worst(report, address) == 0, (address, report.findings)
    assert report.status in statuses


def test_the_audit_plan_counts_as_the_pipeline_script_did() -> None:
    report = plangate.check_plan(plan("audit-system-prod"))
    assert (report.total_changes, report.high_risk_changes, report.critical_changes) == (7, 0, 3)
    assert (report.exit_code, report.passed, report.status) == (1, False, "critical")
    assert report.plan == {"format_version": "1.2", "terraform_version": "1.11.4"}
    assert plangate.check_plan(plan("noop")).total_changes == 0
    assert plangate.check_plan(plan("refactor")).exit_code == 0, "forget is a notice"


def test_no_sensitive_value_reaches_any_python_object() -> None:
    raw = plan("sensitive").read_text()
    assert all(secret in raw for secret in SENSITIVE), "the fixture must hold the secrets"
    report = plangate.check_plan(plan("sensitive"))
    shown = [repr(report), report.to_json(), str(report.to_dict())]
    shown += [report.render(f) for f in ("text", "json", "sarif", "markdown", "github")]
    for finding in report.findings:
        shown += [repr(finding), finding.message, finding.address, str(finding.waived)]
    for entry in report.drift:
        shown += [repr(entry), entry.message, *entry.changed_attributes]
    for text in shown:
        for secret in SENSITIVE:
            assert secret not in text
