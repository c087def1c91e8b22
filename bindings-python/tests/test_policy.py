"""Policies from files, YAML text and presets, and how check_plan chooses one."""

from __future__ import annotations

from pathlib import Path

import plangate
from conftest import plan


def test_presets_differ_as_documented() -> None:
    production, staging, develop = (plangate.Policy.preset(n) for n in ("production", "staging", "dev"))
    assert (production.critical_threshold, production.high_risk_allowance, production.fail_on_high_risk) == (0, 0, True)
    assert staging.high_risk_allowance == 3 and develop.high_risk_allowance is None
    assert production.source == "preset production" and plangate.Policy().source == "default"
    assert "preset staging" in repr(staging)


def test_presets_decide_the_exit_code() -> None:
    network = plan("network")
    assert plangate.check_plan(network).exit_code == 2
    assert plangate.check_plan(network, env="production").exit_code == 2
    assert plangate.check_plan(network, env="staging").exit_code == 0
    assert plangate.check_plan(network, env="staging", fail_on_high_risk=True).exit_code == 2
    assert plangate.check_plan(network, env="develop").exit_code == 0
    assert plangate.check_plan(plan("critical-deletions"), env="develop").exit_code == 1


def test_a_configuration_file_or_policy_comes_before_the_preset(tmp_path: Path) -> None:
    lenient = tmp_path / "lenient.yaml"
    lenient.write_text("thresholds:\n  critical_changes: 10\n  high_risk_changes: 5\n")
    deletions = plan("critical-deletions")
    assert plangate.check_plan(deletions, config=lenient, env="production").exit_code == 0
    assert plangate.check_plan(deletions, config=str(lenient), fail_on_high_risk=True).exit_code == 2
    policy = plangate.Policy.from_yaml("thresholds: {critical_changes: 10, high_risk_changes: unlimited}")
    assert plangate.check_plan(deletions, config=policy).exit_code == 0
    assert policy.with_fail_on_high_risk(True).fail_on_high_risk and not policy.fail_on_high_risk


def test_waivers_and_rule_settings_apply() -> None:
    yaml = (
        "rules:\n  PG-DEL-001: {severity: high}\n"
        "waivers:\n  - {address: aws_sqs_queue.scratch, rule: '*', reason: drained (CHG-1), expires: 2999-12-31}\n"
    )
    report = plangate.check_plan(plan("critical-deletions"), config=plangate.Policy.from_yaml(yaml, "waivers.yaml"))
    assert report.critical_changes == 0
    waived = [f for f in report.findings if f.waived]
    assert waived and waived[0].waived == {"reason": "drained (CHG-1)", "expires": "2999-12-31"}
