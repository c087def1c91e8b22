"""The report objects: the CLI's JSON schema, every format, immutability, hashing, a readable repr."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import plangate
from conftest import FIXTURES, plan, run_cli


def test_to_dict_is_exactly_the_cli_json() -> None:
    for name in ("audit-system-prod", "drift", "modules", "sensitive"):
        report = plangate.check_plan(plan(name))
        cli = run_cli("check", "-f", "json", str(plan(name)))
        assert report.to_dict() == json.loads(cli.stdout), name
        assert report.to_json().encode() == cli.stdout, name


def test_every_format_renders_as_the_cli_does() -> None:
    path = plan("security-groups")
    report = plangate.check_plan(path)
    for format in ("text", "json", "sarif", "markdown", "github"):
        assert report.render(format).encode() == run_cli("check", "-f", format, str(path)).stdout, format
    with pytest.raises(ValueError):
        report.render("xml")


def test_results_are_immutable_and_findings_hashable() -> None:
    report = plangate.check_plan(plan("kms"))
    with pytest.raises(AttributeError):
        setattr(report, "exit_code", 0)
    finding = report.findings[0]
    with pytest.raises(AttributeError):
        setattr(finding, "severity", "notice")
    again = plangate.check_plan(plan("kms")).findings[0]
    assert finding == again and hash(finding) == hash(again) and len({finding, again}) == 1
    assert report.findings is report.findings, "made once"


def test_findings_carry_every_field() -> None:
    finding = plangate.check_plan(plan("audit-system-prod")).findings[0]
    fields: dict[str, Any] = {k: getattr(finding, k) for k in ("address", "type", "actions", "severity", "rule", "category")}
    assert fields == {
        "address": "aws_dynamodb_table.audit_events",
        "type": "aws_dynamodb_table",
        "actions": ("delete",),
        "severity": "critical",
        "rule": "PG-DEL-001",
        "category": "resource_deletions",
    }
    assert finding.message == "Attempting to delete aws_dynamodb_table.audit_events" and finding.waived is None
    assert repr(finding).startswith("<Finding critical PG-DEL-001 aws_dynamodb_table.audit_events")


def test_drift_and_a_readable_repr() -> None:
    report = plangate.check_plan(plan("drift"))
    group = next(d for d in report.drift if d.address == "aws_security_group.db")
    assert group.type == "aws_security_group" and "ingress" in group.changed_attributes
    assert any(f.rule == "PG-SG-001" for f in group.flags)
    assert repr(plangate.check_plan(plan("audit-system-prod"))) == (
        "<Report critical: 3 critical and 0 high-risk of 7 changes, 3 findings; exit 1>"
    )


def test_findings_name_their_tf_lines_given_the_sources(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text((FIXTURES / "scenarios" / "exposure" / "2.tf").read_text())
    report = plangate.check_plan(plan("exposure"), source_dir=tmp_path)
    rule = next(f for f in report.findings if f.address == "aws_network_acl_rule.rdp")
    assert rule.location is not None and rule.location["file"] == "main.tf" and rule.location["start_line"] > 1
    gateway = next(f for f in report.findings if f.address == "aws_internet_gateway.igw")
    assert gateway.location is not None and "removed from the configuration" in gateway.location["unmapped"]
    assert plangate.check_plan(plan("exposure")).findings[0].location is None


def test_bytes_bytearray_memoryview_and_dict_read_alike() -> None:
    data = plan("replace").read_bytes()
    expected = plangate.check_plan(plan("replace")).to_dict()
    for source in (data, bytearray(data), memoryview(data), json.loads(data)):
        assert plangate.check_plan(source).to_dict() == expected, type(source)
    with pytest.raises(TypeError):
        plangate.check_plan(42)  # type: ignore[arg-type]


def test_rules_and_explain_read_the_registry() -> None:
    rules = plangate.rules()
    assert len(rules) >= 33 and rules[0].id == "PG-DEL-001" and rules[0].severity == "critical"
    assert all(r.doc and r.title and r.category for r in rules)
    assert plangate.explain("pg-del-003").startswith("PG-DEL-003 — ")
    assert plangate.explain("PG-DEL-003").encode() == run_cli("explain", "PG-DEL-003").stdout
    with pytest.raises(ValueError):
        plangate.explain("PG-NOPE-1")


def test_an_action_the_apply_runs_is_a_finding_named_invoke() -> None:
    # Terraform 1.14 lists the actions an apply runs in `action_invocations`; no resource change
    # shows them. The real `safe` plan with one added.
    doc = json.loads(plan("safe").read_text())
    doc["action_invocations"] = [
        {
            "address": "action.aws_lambda_invoke.warm",
            "type": "aws_lambda_invoke",
            "config_values": {"payload": "hunter2-secret"},
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "lifecycle_action_trigger": {
                "triggering_resource_address": "aws_s3_bucket.assets",
                "action_trigger_event": "after_update",
            },
        }
    ]
    report = plangate.check_plan(json.dumps(doc).encode())
    assert plangate.check_plan(plan("safe")).exit_code == 0
    assert report.exit_code == 2
    (finding,) = [f for f in report.findings if f.rule == "PG-ACT-001"]
    assert (finding.address, finding.type, finding.actions, finding.severity) == (
        "action.aws_lambda_invoke.warm",
        "aws_lambda_invoke",
        ("invoke",),
        "high",
    )
    assert "after_update of aws_s3_bucket.assets" in finding.message
    assert "hunter2" not in report.to_json()
