"""`plangate comment` and `plangate.comment`: one sticky comment per key on GitHub, GitLab, Azure
DevOps and Bitbucket Cloud, checked against a stand-in of each API (`fixtures/forges/standin.py`:
pages of two comments, read-only tokens, rate limits, other people's comments imitating the
marker). The engine must never touch a comment it did not write under the same key, and a
comment that cannot be written is a warning, never a failure."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest

from conftest import FIXTURES, plan, run_cli

import plangate

sys.path.insert(0, str(FIXTURES / "forges"))
import standin  # noqa: E402

PROVIDERS = ["github", "gitlab", "azure-devops", "bitbucket"]
HUMAN = {"gh": "octocat", "gl": 7, "az": "human-id", "bb": "{human}"}
BOT = {"gh": "plangate-bot", "gl": 41, "az": "6a0c-bot", "bb": "{b07-0001}"}


@pytest.fixture()
def forge() -> Iterator[standin.Standin]:
    server = standin.start()
    yield server
    server.shutdown()


@pytest.fixture()
def reports(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name, fixture in [("prod", "kms"), ("staging", "safe"), ("prod-later", "network")]:
        path = tmp_path / f"{name}.json"
        run_cli("check", str(plan(fixture)), "-f", "json", "-o", str(path))
        out[name] = path
    return out


def comment(forge: standin.Standin, provider: str, *args: str, token: str | None = "bot-token", tmp: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "CI_", "SYSTEM_", "BUILD_", "BITBUCKET_", "GITLAB_"))}
    env.update(forge.env(provider, token))
    if provider == "github":
        event = (tmp or Path(os.environ.get("TMPDIR", "/tmp"))) / "event.json"
        event.write_text(json.dumps({"pull_request": {"number": 7}}))
        env.update(GITHUB_EVENT_PATH=str(event), GITHUB_EVENT_NAME="pull_request")
    script = Path(sys.executable).parent / "plangate"
    return subprocess.run([str(script), "comment", "--provider", provider, *args], capture_output=True, text=True, env=env, timeout=120)


def comments(forge: standin.Standin, provider: str) -> list[dict[str, Any]]:
    return [c for c in forge.state.comments[standin.PREFIX[provider]] if not c["deleted"]]


def seed_humans(forge: standin.Standin, provider: str) -> list[dict[str, Any]]:
    prefix = standin.PREFIX[provider]
    with forge.state.lock:
        return [
            forge.state.seed(prefix, HUMAN[prefix], "<!-- plangate:sticky sha256=00 -->\nsafe, trust me"),
            forge.state.seed(prefix, HUMAN[prefix], "[//]: # (plangate:sticky sha256=00)\n\nLGTM"),
            forge.state.seed(prefix, HUMAN[prefix], "please look at the database"),
        ]


@pytest.mark.parametrize("provider", PROVIDERS)
def test_one_sticky_comment_per_key_across_runs(forge: standin.Standin, reports: dict[str, Path], provider: str, tmp_path: Path) -> None:
    humans = [dict(c) for c in seed_humans(forge, provider)]
    first = comment(forge, provider, str(reports["prod"]), "--key", "production", tmp=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "wrote a new comment" in first.stderr
    again = comment(forge, provider, str(reports["prod"]), "--key", "production", tmp=tmp_path)
    assert "the comment is up to date" in again.stderr, again.stderr
    staging = comment(forge, provider, str(reports["staging"]), "--key", "staging", tmp=tmp_path)
    assert "wrote a new comment" in staging.stderr
    later = comment(forge, provider, str(reports["prod-later"]), "--key", "production", tmp=tmp_path)
    assert "updated the comment" in later.stderr, later.stderr

    now = comments(forge, provider)
    ours = [c for c in now if c["author"] == BOT[standin.PREFIX[provider]]]
    assert len(ours) == 2, "one comment per key, across four runs"
    production = next(c for c in ours if "plangate: high_risk" in c["body"])
    assert "plangate: safe" in next(c for c in ours if c is not production)["body"]
    assert "plangate: critical" not in production["body"], "the later report replaced the earlier"
    # Every human comment, the ones imitating the marker included, is as it was.
    assert [dict(c) for c in now if c["author"] != BOT[standin.PREFIX[provider]]] == humans
    first_line = production["body"].split("\n", 1)[0]
    if provider == "bitbucket":
        assert first_line.startswith("[//]: # (plangate:sticky key=") and "<details>" not in production["body"]
    else:
        assert first_line.startswith("<!-- plangate:sticky key=")
    # Pages of two: the lists were read to the end.
    listed = [r for r in forge.state.requests if r["method"] == "GET" and r["path"].endswith(("comments", "notes", "threads"))]
    assert len(listed) >= 3


@pytest.mark.parametrize("provider", PROVIDERS)
def test_behaviours(forge: standin.Standin, reports: dict[str, Path], provider: str, tmp_path: Path) -> None:
    prefix = standin.PREFIX[provider]
    assert comment(forge, provider, str(reports["prod"]), tmp=tmp_path).returncode == 0
    hide = comment(forge, provider, str(reports["prod-later"]), "--behaviour", "hide-and-new", "--key", str(reports["prod"]), tmp=tmp_path)
    assert "1 earlier comment(s) retired" in hide.stderr, hide.stderr
    old, new = comments(forge, provider)
    assert "hidden" in old["body"].split("\n", 1)[0] and "plangate: high_risk" in new["body"]
    if prefix == "gh":
        assert old["minimized"], "GitHub hides it as outdated"
    elif prefix == "az":
        assert old["status"] == "closed", "Azure DevOps closes the thread"
    else:
        assert "Superseded by a newer plangate report" in old["body"]
    delete = comment(forge, provider, str(reports["prod"]), "--behaviour", "delete-and-new", "--key", str(reports["prod"]), tmp=tmp_path)
    assert delete.returncode == 0
    live = [c for c in comments(forge, provider) if "hidden" not in c["body"].split("\n", 1)[0]]
    assert len(live) == 1 and "plangate: critical" in live[0]["body"]
    comment(forge, provider, str(reports["prod"]), "--behaviour", "new", "--key", str(reports["prod"]), tmp=tmp_path)
    current = [c for c in comments(forge, provider) if "hidden" not in c["body"].split("\n", 1)[0]]
    assert len(current) == 2 and all("plangate: critical" in c["body"] for c in current)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_without_write_permission_it_warns_and_exits_0(forge: standin.Standin, reports: dict[str, Path], provider: str, tmp_path: Path) -> None:
    result = comment(forge, provider, str(reports["prod"]), token="readonly-token", tmp=tmp_path)
    assert result.returncode == 0
    assert "warning:" in result.stderr and "HTTP 403" in result.stderr, result.stderr
    assert comments(forge, provider) == []
    assert "readonly-token" not in result.stderr
    missing = comment(forge, provider, str(reports["prod"]), token=None, tmp=tmp_path)
    assert missing.returncode == 0 and "no token" in missing.stderr


@pytest.mark.parametrize("provider", PROVIDERS)
def test_rate_limits_are_waited_out(forge: standin.Standin, reports: dict[str, Path], provider: str, tmp_path: Path) -> None:
    forge.state.rate_limit[standin.PREFIX[provider]] = 2
    result = comment(forge, provider, str(reports["prod"]), tmp=tmp_path)
    assert result.returncode == 0 and "wrote a new comment" in result.stderr, result.stderr
    assert result.stderr.count("rate limited") == 2
    assert len(comments(forge, provider)) == 1


@pytest.mark.parametrize("provider", PROVIDERS)
def test_another_accounts_comment_with_the_same_key_is_left_alone(forge: standin.Standin, reports: dict[str, Path], provider: str, tmp_path: Path) -> None:
    # Another workflow's bot wrote the same key first: it is not ours to edit.
    assert comment(forge, provider, str(reports["prod"]), token="other-bot-token", tmp=tmp_path).returncode == 0
    theirs = dict(comments(forge, provider)[0])
    assert comment(forge, provider, str(reports["prod-later"]), "--key", str(reports["prod"]), tmp=tmp_path).returncode == 0
    assert comments(forge, provider)[0] == theirs
    assert len(comments(forge, provider)) == 2


def test_github_tokens_that_cannot_say_who_they_are(forge: standin.Standin, reports: dict[str, Path], tmp_path: Path) -> None:
    # The workflow token (an installation token) writes as github-actions[bot]: its comment is found again.
    assert comment(forge, "github", str(reports["prod"]), token="ghs_workflowtoken", tmp=tmp_path).returncode == 0
    assert "updated" in comment(forge, "github", str(reports["prod-later"]), "--key", str(reports["prod"]), token="ghs_workflowtoken", tmp=tmp_path).stderr
    before = [dict(c) for c in comments(forge, "github")]
    assert len(before) == 1 and before[0]["author"] == "github-actions[bot]"
    # A personal token whose GET /user fails must not adopt that account's comment, nor write a second.
    result = comment(forge, "github", str(reports["prod"]), token="github_pat_nouser", tmp=tmp_path)
    assert result.returncode == 0 and "cannot tell which account the token writes as" in result.stderr
    assert comments(forge, "github") == before


def test_not_a_request_bad_reports_and_missing_variables(forge: standin.Standin, reports: dict[str, Path], tmp_path: Path) -> None:
    env = dict(os.environ, **forge.env("gitlab"))
    env.pop("CI_MERGE_REQUEST_IID")
    script = str(Path(sys.executable).parent / "plangate")
    branch = subprocess.run([script, "comment", "--provider", "gitlab", str(reports["prod"])], capture_output=True, text=True, env=env)
    assert branch.returncode == 0 and "not a merge-request pipeline" in branch.stderr
    env = dict(os.environ, **forge.env("azure-devops"))
    env.pop("SYSTEM_COLLECTIONURI")
    missing = subprocess.run([script, "comment", "--provider", "azure-devops", str(reports["prod"])], capture_output=True, text=True, env=env)
    assert missing.returncode == 3 and "SYSTEM_COLLECTIONURI is not set" in missing.stderr
    broken = tmp_path / "broken.json"
    broken.write_text('{"status": "safe"')
    bad = comment(forge, "gitlab", str(broken), tmp=tmp_path)
    assert bad.returncode == 3 and "broken.json" in bad.stderr and "not a plangate report" in bad.stderr
    unknown = subprocess.run([script, "comment", "--provider", "gitea", str(reports["prod"])], capture_output=True, text=True, env=env)
    assert unknown.returncode == 3 and "expected github, gitlab, azure-devops or bitbucket" in unknown.stderr
    assert forge.state.comments["gl"] == []


def test_python_api(forge: standin.Standin, reports: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in forge.env("bitbucket").items():
        monkeypatch.setenv(name, value)
    outcome = plangate.comment([reports["prod"], reports["staging"]], provider="bitbucket")
    assert outcome["action"] == "created" and outcome["url"].startswith("https://bitbucket.test/")
    body = comments(forge, "bitbucket")[0]["body"]
    assert f"### 🔴 `{reports['prod']}` — critical" in body and f"`{reports['staging']}` — safe" in body
    assert plangate.comment([reports["prod"], reports["staging"]], provider="bitbucket")["action"] == "unchanged"
    readonly = plangate.comment(reports["prod"], provider="bitbucket", token="readonly-token")
    assert readonly["action"] == "not-written" and "HTTP 403" in readonly["warnings"][0]
    with pytest.raises(plangate.InvalidArgument):
        plangate.comment(reports["prod"], provider="bitbucket", behaviour="sometimes")
    with pytest.raises(plangate.ReportError):
        plangate.comment("/nonexistent/report.json", provider="bitbucket")
