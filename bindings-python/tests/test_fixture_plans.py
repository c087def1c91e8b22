"""Every expectation of fixtures/README.md, through Python: what a good analysis reports on each real
plan under the default policy."""

from __future__ import annotations

import json

import pytest

import plangate
from conftest import FIXTURES, plan

EXPECTED = json.loads((FIXTURES / "expectations.json").read_text())
SENSITIVE = tuple(EXPECTED["sensitive_values"])
# plan: what must be critical, at least high-risk, carry no finding, and the statuses allowed
EXPECTATIONS = EXPECTED["plans"]

RANK = {"notice": 1, "high": 2, "critical": 3}


def worst(report: plangate.Report, address: str) -> int:
    return max((RANK[f.severity] for f in report.findings if f.address == address), default=0)


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_each_real_plan_reads_as_the_fixture_readme_says(name: str) -> None:
    expected = EXPECTATIONS[name]
    critical, at_least_high, no_finding, statuses = (expected[k] for k in ("critical", "at_least_high", "no_finding", "status"))
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


def test_a_binary_plan_is_read_natively_without_terraform(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERRAFORM_BINARY", "/nonexistent/terraform")
    binary = plangate.check_plan(FIXTURES / "plans" / "sensitive.tfplan")
    from_json = plangate.check_plan(plan("sensitive"))
    assert binary.plan == {**from_json.plan, "read_by": "native"}
    assert binary.to_dict()["findings"] == from_json.to_dict()["findings"]
    assert binary.exit_code == from_json.exit_code
    shown = [binary.render(f) for f in ("text", "json", "sarif", "markdown", "github")]
    for text in shown:
        for secret in SENSITIVE:
            assert secret not in text
    masked = plangate.check_plan(FIXTURES / "plans-public" / "trivy__with_var_opentofu.tfplan")
    assert masked.plan["masked_providers"] == ("registry.opentofu.org/hashicorp/aws 5.59.0",)
    assert masked.exit_code == 2
