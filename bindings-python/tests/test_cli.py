"""The console script and `python -m plangate`: the same command line as the Rust binary, with the
same arguments, output and exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPORTS, plan, run_cli


def test_exit_codes_0_1_2_3() -> None:
    assert run_cli("check", str(plan("safe"))).returncode == 0
    critical = run_cli("check", str(plan("critical-deletions")))
    assert critical.returncode == 1 and b"ERROR: Critical changes detected" in critical.stdout
    assert run_cli("check", str(plan("network"))).returncode == 2
    broken = run_cli("check", "/nonexistent/plan.json")
    assert broken.returncode == 3 and b"/nonexistent/plan.json" in broken.stderr
    assert run_cli("check").returncode == 3, "a usage error is not a verdict"
    assert run_cli("--version").returncode == 0


def test_standard_input_scan_and_rules() -> None:
    out = run_cli("check", "-", "-f", "json", stdin=plan("destroy").read_bytes())
    assert out.returncode == 1 and b'"critical_changes": 2' in out.stdout
    assert run_cli("scan", str(REPORTS / "defectdojo" / "semgrep__empty.json")).returncode == 0
    assert b"PG-DEL-001" in run_cli("rules").stdout


def test_python_dash_m_plangate(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "plangate", "check", "-f", "json", str(plan("kms"))], capture_output=True, cwd=tmp_path)
    assert out.returncode == 1
    assert out.stdout == run_cli("check", "-f", "json", str(plan("kms"))).stdout
