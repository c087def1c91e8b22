"""The users' own rules (CEL and Rego, from the policy file) through the Python package: ordinary
findings, no binding code of their own, and no sensitive value through any of them."""

from __future__ import annotations

from pathlib import Path

import plangate
import pytest
from conftest import FIXTURES, PLANS, plan, run_cli

ACME = FIXTURES / "policies" / "acme" / "gate.yaml"
SECRETS = ("tok-OLD-0000", "tok-NEW-SECRET-9999", "hunter2-OLD", "hunter2-NEW-SECRET")


def custom(report: plangate.Report) -> list[tuple[str, str, str]]:
    return sorted((f.severity, f.rule, f.address) for f in report.findings if not f.rule.startswith("PG-"))


def test_cel_and_rego_findings_come_through_the_policy_file() -> None:
    assert custom(plangate.check_plan(plan("security-groups"), config=ACME)) == [
        ("critical", "ACME-NET-001", "aws_security_group_rule.ssh_world")
    ]
    deletions = plangate.check_plan(PLANS / "critical-deletions.tfplan", config=str(ACME))
    assert ("critical", "ACME-DB-001", "aws_rds_cluster.ledger") in custom(deletions)
    assert "a database is destroyed" in deletions.render("markdown")
    assert "ACME-DB-001" in deletions.render("sarif")
    safe = plangate.check_plan(plan("safe"), config=plangate.Policy.from_file(ACME))
    assert safe.exit_code == 2 and {r for _, r, _ in custom(safe)} == {"ACME-TAG-001"}
    assert "names the team that owns it" in plangate.explain("ACME-TAG-001")


def test_a_broken_rule_is_a_configuration_error_naming_its_line(tmp_path: Path) -> None:
    gate = tmp_path / "gate.yaml"
    gate.write_text("custom_rules:\n  - {id: X-1, title: t, severity: high, when: 'after.x ==', message: m}\n")
    with pytest.raises(plangate.ConfigError, match="line 2.*CEL syntax error"):
        plangate.check_plan(plan("safe"), config=gate)


def test_no_custom_rule_leaks_a_sensitive_value(tmp_path: Path) -> None:
    (tmp_path / "leak.rego").write_text(
        'package main\nimport rego.v1\ndeny contains sprintf("%v", [input]) if { true }\n'
    )
    gate = tmp_path / "gate.yaml"
    gate.write_text(
        "custom_rules:\n  - {id: LEAK-1, title: t, severity: high, when: 'string(after) == \"\"', message: '{address}'}\n"
        "policies: [{path: leak.rego}]\n"
    )
    for source in (plan("sensitive"), PLANS / "sensitive.tfplan"):
        report = plangate.check_plan(source, config=gate)
        assert any(f.rule == "main.deny" for f in report.findings)
        for fmt in ("text", "json", "sarif", "markdown", "github"):
            out = report.render(fmt)
            assert not any(secret in out for secret in SECRETS), fmt


def test_policy_test_runs_from_the_console_script() -> None:
    done = run_cli("policy", "test", "-c", str(ACME))
    assert done.returncode == 0, done.stderr
    assert b"5 tests, 5 passed, 0 failed" in done.stdout
