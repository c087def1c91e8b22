"""The types cover the whole API: typed code using every public name passes `mypy --strict`, and
`stubtest` finds the native module's stubs (and the inline types of the Python modules) in step
with the installed package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, cwd=HERE / "typed")


def test_typed_code_using_every_public_name_passes_mypy_strict() -> None:
    out = run("mypy", "--strict", "--no-incremental", "usage.py")
    assert out.returncode == 0, out.stdout + out.stderr


def test_every_public_name_is_used_by_the_typed_code() -> None:
    import plangate

    usage = (HERE / "typed" / "usage.py").read_text()
    missing = [name for name in plangate.__all__ if name not in usage]
    assert not missing, missing


def test_stubtest_finds_the_stubs_in_step_with_the_package() -> None:
    out = run("mypy.stubtest", "plangate", "--concise", "--allowlist", "stubtest-allowlist.txt")
    assert out.returncode == 0, out.stdout + out.stderr
