"""Every error class, with its structured attributes, mapped from the engine's errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict

import pytest

import plangate
from conftest import REPORTS, plan


def test_a_malformed_plan_is_a_plan_error_with_its_location() -> None:
    with pytest.raises(plangate.PlanError) as caught:
        plangate.check_plan(b'{\n  "resource_changes": [\n    {"a": tru}\n  ]\n}')
    error = caught.value
    assert isinstance(error, plangate.PlangateError)
    assert (error.code, error.line, error.column, error.path) == ("PLAN_INVALID", 3, 14, None)
    assert "cannot analyse the plan" in str(error)


def test_a_missing_plan_file_names_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    with pytest.raises(plangate.PlanError) as caught:
        plangate.check_plan(missing)
    assert caught.value.path == str(missing) and str(missing) in str(caught.value)


def test_an_invalid_change_names_its_json_path() -> None:
    bad = b'{"resource_changes": [{"address": "a.b", "type": "a", "change": {"actions": ["explode"]}}]}'
    with pytest.raises(plangate.PlanError) as caught:
        plangate.check_plan(bad)
    assert caught.value.json_path == "resource_changes[0]"
    assert "explode" in str(caught.value)


def test_a_state_file_is_not_a_plan() -> None:
    with pytest.raises(plangate.PlanError) as caught:
        plangate.check_plan({"format_version": "1.0", "values": {}})
    assert caught.value.found is not None and "looks like state" in caught.value.found


def test_configuration_errors_name_the_key_file_and_line(tmp_path: Path) -> None:
    config = tmp_path / "gate.yaml"
    config.write_text("verbose: true\nthresholds:\n  critical_change: 0\n")
    with pytest.raises(plangate.ConfigError) as caught:
        plangate.check_plan(plan("safe"), config=config)
    error = caught.value
    assert (error.code, error.path, error.key, error.line) == ("CONFIG_INVALID", str(config), "thresholds.critical_change", 3)
    with pytest.raises(plangate.ConfigError) as caught:
        plangate.Policy.from_yaml("rules:\n  PG-NOPE-001: {enabled: false}\n", "inline.yaml")
    assert caught.value.line == 2 and "PG-NOPE-001" in str(caught.value)


def test_a_missing_configuration_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(plangate.ConfigError) as caught:
        plangate.Policy.from_file(tmp_path / "absent.yaml")
    assert caught.value.path == str(tmp_path / "absent.yaml")


def test_an_unknown_preset_is_a_config_error_even_beside_a_file(tmp_path: Path) -> None:
    config = tmp_path / "gate.yaml"
    config.write_text("verbose: true\n")
    with pytest.raises(plangate.ConfigError) as caught:
        plangate.check_plan(plan("safe"), config=config, env="prdo")
    assert (caught.value.key, caught.value.found) == ("environment", "prdo")


def test_report_errors_list_every_report_with_the_first_ones_details() -> None:
    invalid = REPORTS / "codeql-action" / "invalid-sarif.sarif"
    with pytest.raises(plangate.ReportError) as caught:
        plangate.scan_reports([invalid, ("empty.json", b"")])
    error = caught.value
    assert (error.code, error.path, error.json_path) == ("REPORT_INVALID", str(invalid), "$.runs[0].results")
    assert (error.expected, error.found) == ("a list of results", "the number 42")
    assert len(error.errors) == 2 and "empty.json" in error.errors[1]


def test_arguments_that_mean_nothing_are_one_exception() -> None:
    # Before: ValueError for fail_on and formats, ConfigError for jitter and numbers.
    cases = [
        lambda: plangate.RetryPolicy(max_attempts=0),
        lambda: plangate.RetryPolicy(max_attempts=1.5),
        lambda: plangate.RetryPolicy(jitter="lots"),
        lambda: plangate.CircuitBreaker(reset_timeout=float("nan")),
        lambda: plangate.TrafficShift([0, 50, 40, 100], hold=1, error_threshold=0.1),
        lambda: plangate.scan_reports(REPORTS / "codeql-action" / "valid-sarif.sarif", fail_on="info"),
        lambda: plangate.check_plan(plan("safe"), plan_reader="magic"),
        lambda: plangate.check_plan(plan("safe")).render("pdf"),
        lambda: plangate.explain("PG-NOPE-001"),
    ]
    for case in cases:
        with pytest.raises(plangate.InvalidArgument) as caught:
            case()
        assert caught.value.code == "INVALID_ARGUMENT" and caught.value.key, caught.value
        assert isinstance(caught.value, ValueError) and isinstance(caught.value, plangate.PlangateError)
    with pytest.raises(plangate.InvalidArgument) as caught:
        plangate.RetryPolicy(max_attempts=0)
    assert caught.value.key == "retry_strategy" and "max_attempts" in str(caught.value)


def test_no_error_message_carries_a_sensitive_value() -> None:
    text = plan("sensitive").read_bytes()
    for cut in range(200, len(text), 997):
        try:
            plangate.check_plan(text[:cut])
        except plangate.PlanError as error:
            for secret in ("tok-OLD-0000", "tok-NEW-SECRET-9999", "hunter2-OLD", "hunter2-NEW-SECRET"):
                assert secret not in str(error) and secret not in repr(error.__dict__)
        else:
            pytest.fail(f"a plan cut at byte {cut} was read as a plan")


def test_a_plan_dict_that_is_not_json_is_a_plan_error() -> None:
    # Before: ValueError (a cycle) and TypeError (a set, an object) escaped as themselves.
    cyclic: Dict[str, Any] = {"format_version": "1.2", "resource_changes": []}
    cyclic["self"] = cyclic
    for bad in (cyclic, {"resource_changes": [{1, 2}]}, {"resource_changes": [object()]}, {"x": float("nan")}):
        with pytest.raises(plangate.PlanError) as caught:
            plangate.check_plan(bad)
        assert caught.value.code == "PLAN_INVALID"
