"""The CI examples in `docs/ci/` run as their CI would run them: the plangate step's commands in a
shell with `set -eo pipefail`, the variables that CI sets pointing at a stand-in of its API
(`fixtures/forges/standin.py`), and the plan the earlier step leaves behind. `pip install plangate`
is skipped: the package under test is installed already."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest
import yaml

from conftest import FIXTURES, ROOT, plan

sys.path.insert(0, str(FIXTURES / "forges"))
import standin  # noqa: E402

DOCS = ROOT / "docs" / "ci"


@pytest.fixture()
def forge() -> Iterator[standin.Standin]:
    server = standin.start()
    yield server
    server.shutdown()


def run_step(commands: list[str], workdir: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    lines = [c for c in commands if not c.strip().startswith("pip install")]
    script = "set -eo pipefail\n" + "\n".join(lines) + "\n"
    full = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "CI_", "SYSTEM_", "BUILD_", "BITBUCKET_", "GITLAB_"))}
    full.update(env, PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    return subprocess.run(["bash", "-c", script], cwd=workdir, env=full, capture_output=True, text=True, timeout=300)


def workdir(tmp_path: Path, fixture: str) -> Path:
    shutil.copy(plan(fixture), tmp_path / "tfplan.json")
    return tmp_path


def test_gitlab_ci(forge: standin.Standin, tmp_path: Path) -> None:
    job = yaml.safe_load((DOCS / "gitlab-ci.yml").read_text())["plangate"]
    work = workdir(tmp_path, "kms")
    result = run_step(job["script"], work, forge.env("gitlab"))
    assert result.returncode == 1, result.stderr
    assert "wrote a new comment" in result.stderr
    for report in job["artifacts"]["reports"].values():
        assert (work / report).stat().st_size > 0
    again = run_step(job["script"], work, forge.env("gitlab"))
    assert again.returncode == 1 and "the comment is up to date" in again.stderr
    assert len(forge.state.live("gl")) == 1
    shutil.copy(plan("safe"), work / "tfplan.json")
    assert run_step(job["script"], work, forge.env("gitlab")).returncode == 0


def test_azure_pipelines(forge: standin.Standin, tmp_path: Path) -> None:
    steps = yaml.safe_load((DOCS / "azure-pipelines.yml").read_text())["steps"]
    step = next(s for s in steps if s.get("displayName") == "plangate")
    assert step["env"] == {"SYSTEM_ACCESSTOKEN": "$(System.AccessToken)"}
    result = run_step(step["script"].splitlines(), workdir(tmp_path, "kms"), forge.env("azure-devops"))
    assert result.returncode == 1, result.stderr
    assert "##vso[task.logissue type=error" in result.stdout
    assert "wrote a new comment" in result.stderr and len(forge.state.live("az")) == 1


def test_bitbucket_pipelines(forge: standin.Standin, tmp_path: Path) -> None:
    pipeline = yaml.safe_load((DOCS / "bitbucket-pipelines.yml").read_text())["pipelines"]["pull-requests"]["**"]
    step = next(s["step"] for s in pipeline if s["step"]["name"] == "plangate")
    result = run_step(step["script"], workdir(tmp_path, "network"), forge.env("bitbucket"))
    assert result.returncode == 2, result.stderr
    body = forge.state.live("bb")[0]["body"]
    assert body.startswith("[//]: # (plangate:sticky") and "<details>" not in body


def test_atlantis_custom_workflow(tmp_path: Path) -> None:
    steps = yaml.safe_load((DOCS / "atlantis.yaml").read_text())["workflows"]["gated"]["plan"]["steps"]
    command = next(s["run"] for s in steps if isinstance(s, dict) and "run" in s)
    # Atlantis sets PLANFILE to the binary plan it just made.
    binary = FIXTURES / "plans" / "kms.tfplan"
    result = run_step([command], tmp_path, {"PLANFILE": str(binary)})
    assert result.returncode == 1, "a failed step fails the plan, so apply is refused"
    assert result.stdout.startswith("## 🔴 plangate: critical")
    assert "Attempting to delete `aws_kms_key.legacy`" in result.stdout
