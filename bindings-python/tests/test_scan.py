"""Scanner reports through Python: counts, score, per-file status, findings, suppressions, baseline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import plangate
from conftest import REPORTS, run_cli

TRIVY = REPORTS / "defectdojo" / "trivy__misconfigurations_and_secrets.json"
KICS = REPORTS / "defectdojo" / "kics__many_findings.json"


def test_counts_score_status_and_findings() -> None:
    result = plangate.scan_reports([TRIVY, KICS])
    assert (result.passed, result.exit_code) == (False, 1)
    assert result.counts["critical"] == 2 and result.score == 0
    assert [r["format"] for r in result.reports] == ["trivy", "kics"]
    assert all(r["status"] == "valid" for r in result.reports)
    assert result.findings[0].severity == "critical" and result.findings[0].source == "trivy"
    assert "1 new finding" not in result.reasons[0] and "severity critical or worse" in result.reasons[0]
    assert result.to_dict() == json.loads(run_cli("scan", "-f", "json", str(TRIVY), str(KICS)).stdout)
    assert repr(result).startswith("<ScanResult failed: score 0")


def test_one_report_bytes_and_named_bytes() -> None:
    data = TRIVY.read_bytes()
    for source in (TRIVY, str(TRIVY), data, ("trivy.json", data), [("trivy.json", data)]):
        assert plangate.scan_reports(source).counts["critical"] == 2  # type: ignore[arg-type]
    assert plangate.scan_reports(("named.json", data)).reports[0]["file"] == "named.json"
    assert plangate.scan_reports(data).reports[0]["file"] == "report[0]"


def test_fail_on_config_suppressions_and_baseline(tmp_path: Path) -> None:
    wiz = REPORTS / "defectdojo" / "wizcli_iac__wizcli_iac_one_vul.json"
    assert plangate.scan_reports(wiz).exit_code == 0
    assert plangate.scan_reports(wiz, fail_on="high").exit_code == 1
    with pytest.raises(ValueError):
        plangate.scan_reports(wiz, fail_on="spicy")
    config = tmp_path / "gate.yaml"
    config.write_text("scan:\n  max: {medium: 4}\n")
    assert plangate.scan_reports(KICS, config=config).reasons == ("5 new medium findings (allowed: 4)",)
    suppressions = tmp_path / "suppressions.yaml"
    suppressions.write_text("suppressions:\n  - {rule: github-pat, reason: revoked test tokens, expires: 2999-12-31}\n")
    assert plangate.scan_reports(TRIVY, suppressions=suppressions).exit_code == 0
    earlier = plangate.scan_reports(TRIVY)
    assert plangate.scan_reports(TRIVY, baseline=earlier).exit_code == 0, "nothing new"
    baseline = tmp_path / "baseline.json"
    baseline.write_text(earlier.to_json())
    assert plangate.scan_reports(TRIVY, baseline=baseline).new_counts["critical"] == 0
    for format in ("text", "sarif", "markdown", "github"):
        assert earlier.render(format)


def test_secrets_never_reach_a_finding() -> None:
    raw = (REPORTS / "defectdojo" / "gitleaks__gitleaks8_many.json").read_text()
    result = plangate.scan_reports(("gitleaks.json", raw.encode()))
    shown = result.to_json() + repr(result.findings) + result.render("markdown")
    for leak in json.loads(raw):
        assert len(leak["Secret"]) < 4 or leak["Secret"] not in shown
