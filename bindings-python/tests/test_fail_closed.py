"""Inputs built to make the engine crash, leak or pass, through the Python package (a host process:
a crash here takes the caller down with it)."""

from __future__ import annotations

import subprocess
import sys

import pytest

import plangate
from conftest import FIXTURES, plan
from plan_files import members, with_change, zipped


def test_a_plan_file_with_two_tfplan_members_is_refused() -> None:
    # Terraform applies the first (it destroys); a reader of the last saw the safe plan.
    entries = members(FIXTURES / "plans" / "destroy.tfplan")
    safe = dict(members(FIXTURES / "plans" / "safe.tfplan"))["tfplan"]
    with pytest.raises(plangate.PlanError) as caught:
        plangate.check_plan(zipped(entries + [("tfplan", safe)]), plan_reader="native")
    assert "two members named `tfplan`" in str(caught.value)


def test_a_sensitive_path_without_end_is_an_error_not_a_crash_of_the_host() -> None:
    # 50,000 steps overflowed the stack: SIGSEGV in the Python process itself.
    data = with_change(b"\x81\xa4name\xa4deep", 50_000)
    script = "import sys, plangate\ntry:\n    plangate.check_plan(sys.stdin.buffer.read(), plan_reader='native')\nexcept plangate.PlanError as e:\n    print(e)\n"
    out = subprocess.run([sys.executable, "-c", script], input=data, capture_output=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert b"a sensitive path of 50000 steps" in out.stdout


def test_a_sensitive_value_where_an_object_belongs_is_not_quoted() -> None:
    text = plan("sensitive").read_text()
    tampered = text.replace('"before":{"allowed_pattern":""', '"before":"tok-OLD-0000","x":{"allowed_pattern":""', 1)
    assert tampered != text
    with pytest.raises(plangate.PlanError) as caught:
        plangate.check_plan(tampered.encode())
    assert "tok-OLD-0000" not in str(caught.value) and "a string" in str(caught.value)
    assert all("tok-OLD-0000" not in str(v) for v in vars(caught.value).values())
