"""Shared paths and helpers. The suite runs against the installed package: `scripts/test-python`
installs the release wheel into a fresh virtual environment and runs it from there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
PLANS = FIXTURES / "plans"
REPORTS = FIXTURES / "reports"


def plan(name: str) -> Path:
    """A fixture plan's JSON file, from `fixtures/plans` or `fixtures/plans-rules`."""
    for folder in ("plans", "plans-rules"):
        path = FIXTURES / folder / f"{name}.plan.json"
        if path.exists():
            return path
    raise FileNotFoundError(name)


def run_cli(*args: str, cwd: Path | None = None, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """The installed `plangate` console script."""
    env = dict(os.environ)
    env.pop("TF_PLAN_CHECK_CONFIG", None)
    script = Path(sys.executable).parent / "plangate"
    return subprocess.run([str(script), *args], capture_output=True, cwd=cwd, input=stdin, env=env, timeout=300)


@pytest.fixture(autouse=True)
def _no_ambient_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TF_PLAN_CHECK_CONFIG", raising=False)
