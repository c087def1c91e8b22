"""The release wheel (what `scripts/build-wheels` makes, and what this suite runs against) loads on
glibc 2.17 and later: AWS Lambda's python3.9-3.11 runtimes have 2.26."""

from __future__ import annotations

import os
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

import plangate


def wheel() -> Path:
    path = os.environ.get("PLANGATE_WHEEL")
    if not path:
        pytest.fail("PLANGATE_WHEEL is not set: run the Python suite through scripts/test-python")
    return Path(path)


def test_the_wheel_needs_no_glibc_newer_than_2_17(tmp_path: Path) -> None:
    assert "manylinux2014_x86_64" in wheel().name and "abi3" in wheel().name
    with zipfile.ZipFile(wheel()) as archive:
        native = [n for n in archive.namelist() if n.endswith(".so")]
        assert native == ["plangate/_native.abi3.so"]
        archive.extract(native[0], tmp_path)
    symbols = subprocess.run(["objdump", "-T", str(tmp_path / native[0])], capture_output=True, text=True, check=True).stdout
    versions = {tuple(int(p) for p in v.split(".")) for v in re.findall(r"GLIBC_(\d+(?:\.\d+)+)", symbols)}
    assert versions, "no versioned glibc symbols found: objdump output changed?"
    assert max(versions) <= (2, 17), f"the wheel needs glibc {max(versions)}"


def test_the_installed_package_is_that_wheel() -> None:
    installed = Path(plangate._native.__file__).read_bytes()
    with zipfile.ZipFile(wheel()) as archive:
        assert archive.read("plangate/_native.abi3.so") == installed


def test_the_lambda_layer_holds_the_package_under_python() -> None:
    layer = wheel().parent / "plangate-lambda-layer.zip"
    with zipfile.ZipFile(layer) as archive:
        names = archive.namelist()
    assert "python/plangate/_native.abi3.so" in names and "python/plangate/__init__.py" in names
    assert not any(n.startswith("python/bin/") for n in names)
