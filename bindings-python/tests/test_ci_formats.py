"""The other CIs' native formats, checked as their readers read them: GitLab Code Quality (the
fields GitLab documents), GitLab's Terraform report (the counts its `gitlab-terraform` script makes
with jq), Azure Pipelines logging commands, and JUnit XML parsed by a real XML parser."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import jsonschema

import plangate
from conftest import FIXTURES, PLANS, plan

SCHEMAS = FIXTURES / "schemas"


def validator(name: str) -> jsonschema.Draft7Validator:
    schema = json.loads((SCHEMAS / name).read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def test_every_fixture_plan_validates_against_the_published_schemas() -> None:
    """SARIF against OASIS's schema, GitLab's two reports against the schemas of its documentation
    (`fixtures/schemas/`): one plan at a time and several plans at once."""
    sarif = validator("sarif-schema-2.1.0.json")
    code_quality = validator("gitlab-code-quality.schema.json")
    terraform = validator("gitlab-terraform-report.schema.json")
    paths = sorted(PLANS.glob("*.plan.json"))
    for path in paths:
        report = plangate.check_plan(path)
        for check, fmt in ((sarif, "sarif"), (code_quality, "gitlab"), (terraform, "gitlab-terraform")):
            errors = [e.message for e in check.iter_errors(json.loads(report.render(fmt)))]
            assert errors == [], f"{path.name} -f {fmt}: {errors[:3]}"
    run = plangate.check_plans([(p.name, str(p)) for p in paths[:6]])
    for check, fmt in ((sarif, "sarif"), (code_quality, "gitlab")):
        assert list(check.iter_errors(json.loads(run.render(fmt)))) == [], fmt
    # The validators catch what GitLab would drop: a sanity check that they are not vacuous.
    assert list(code_quality.iter_errors([{"description": "x", "check_name": "y", "fingerprint": "z", "severity": "high", "location": {"path": "a"}}]))

SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def gitlab_counts(path) -> dict[str, int]:
    """What GitLab's own `gitlab-terraform plan-json` computes with jq."""
    actions = [rc["change"]["actions"] for rc in json.loads(path.read_text())["resource_changes"]]
    return {name: sum(1 for a in actions if name in a) for name in ("create", "update", "delete")}


def test_gitlab_terraform_counts_as_gitlab_does() -> None:
    for path in sorted(PLANS.glob("*.plan.json")):
        report = plangate.check_plan(path)
        assert json.loads(report.render("gitlab-terraform")) == gitlab_counts(path), path.name


def test_code_quality_has_every_field_gitlab_requires() -> None:
    for name in ("security-groups", "critical-deletions", "sensitive", "safe"):
        text = plangate.check_plan(plan(name)).render("gitlab")
        assert not text.startswith("\ufeff")
        issues = json.loads(text)
        assert isinstance(issues, list)
        for issue in issues:
            assert isinstance(issue["description"], str) and issue["description"]
            assert isinstance(issue["check_name"], str) and issue["check_name"]
            assert re.fullmatch(r"[0-9a-f]{16}", issue["fingerprint"])
            assert issue["severity"] in SEVERITIES
            assert isinstance(issue["location"]["path"], str)
            assert isinstance(issue["location"]["lines"]["begin"], int) and issue["location"]["lines"]["begin"] >= 1
        assert len({i["fingerprint"] for i in issues}) == len(issues), "fingerprints tell issues apart"


def test_azure_devops_commands_are_well_formed() -> None:
    text = plangate.check_plan(plan("security-groups")).render("azure-devops")
    lines = text.splitlines()
    command = re.compile(r"##vso\[task\.logissue type=(error|warning);sourcepath=[^;\]]+(;linenumber=\d+)?;code=[^;\]]+\][^\r\n]*")
    assert all(command.fullmatch(line) for line in lines[:-1]), text
    assert lines[-1].startswith("plangate: critical")


def test_junit_is_xml_with_a_failure_per_risk() -> None:
    report = plangate.check_plan(plan("security-groups"))
    suites = ET.fromstring(report.render("junit"))
    (suite,) = suites.findall("testsuite")
    cases = suite.findall("testcase")
    assert int(suite.get("tests")) == len(cases) == len(report.findings)
    assert int(suite.get("failures")) == sum(1 for c in cases if c.find("failure") is not None)
    safe = ET.fromstring(plangate.check_plan(plan("noop")).render("junit"))
    assert safe.find("testsuite").get("failures") == "0" and len(safe.findall("testsuite/testcase")) == 1
    run = plangate.check_plans([("a", plan("kms")), ("b", str(PLANS / "missing.plan.json"))])
    two = ET.fromstring(run.render("junit"))
    assert [s.get("name") for s in two.findall("testsuite")] == ["a", "b"]
    assert two.findall("testsuite")[1].find("testcase/error") is not None, "an unreadable plan is an error"
