"""The Lambda example against S3 as moto serves it: real S3 event payloads, real plans uploaded to a
bucket, the verdicts returned and the reports written back; a corrupt plan is an error, not a pass."""

from __future__ import annotations

import importlib.util
import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

from conftest import ROOT, plan

EXAMPLE = ROOT / "examples" / "lambda"


@pytest.fixture(scope="module")
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    moto_server = Path(sys.executable).parent / "moto_server"
    assert moto_server.exists(), "moto[server] must be installed in the test environment"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = open(tmp_path_factory.mktemp("moto") / "moto.log", "wb")
    server = subprocess.Popen([str(moto_server), "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=log)
    endpoint = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{endpoint}/moto-api/").read()
            break
        except OSError:
            time.sleep(0.1)
    else:
        server.kill()
        pytest.fail("moto_server did not start")
    saved = {k: os.environ.get(k) for k in ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION")}
    os.environ.update(AWS_ENDPOINT_URL=endpoint, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="us-east-1")
    import boto3

    client = boto3.client("s3")
    client.create_bucket(Bucket="plans")
    try:
        yield client
    finally:
        server.terminate()
        server.wait(timeout=10)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="module")
def handler() -> Any:
    spec = importlib.util.spec_from_file_location("plangate_lambda_handler", EXAMPLE / "handler.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.handler


def s3_event(bucket: str, key: str) -> Dict[str, Any]:
    event: Dict[str, Any] = json.loads((EXAMPLE / "events" / "s3-put.json").read_text())
    record = event["Records"][0]["s3"]
    record["bucket"]["name"] = bucket
    record["bucket"]["arn"] = f"arn:aws:s3:::{bucket}"
    record["object"]["key"] = urllib.parse.quote_plus(key, safe="/")
    return event


def upload(s3: Any, key: str, body: bytes) -> None:
    s3.put_object(Bucket="plans", Key=key, Body=body)


def test_an_s3_event_gates_the_uploaded_plan_and_writes_the_report(s3: Any, handler: Any) -> None:
    key = "prod/audit system.plan.json"
    upload(s3, key, plan("audit-system-prod").read_bytes())
    result = handler(s3_event("plans", key))
    assert result == {
        "status": "critical",
        "exit_code": 1,
        "critical_changes": 3,
        "high_risk_changes": 0,
        "total_changes": 7,
        "report_key": key + ".plangate.json",
    }
    report = json.loads(s3.get_object(Bucket="plans", Key=result["report_key"])["Body"].read())
    assert report["critical_changes"] == 3 and report["findings"][0]["rule"] == "PG-DEL-001"


def test_the_environment_chooses_the_preset(s3: Any, handler: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    upload(s3, "staging/network.plan.json", plan("network").read_bytes())
    event = s3_event("plans", "staging/network.plan.json")
    assert handler(event)["exit_code"] == 2, "the default policy fails on high-risk changes"
    assert handler({**event, "environment": "staging"})["exit_code"] == 0
    monkeypatch.setenv("PLANGATE_ENVIRONMENT", "staging")
    assert handler(event)["exit_code"] == 0
    upload(s3, "safe.plan.json", plan("safe").read_bytes())
    assert handler({"bucket": "plans", "key": "safe.plan.json"})["status"] == "safe"


def test_a_direct_invocation_with_the_plan_itself(handler: Any) -> None:
    result = handler({"plan": json.loads(plan("destroy").read_text()), "environment": "production"})
    assert (result["status"], result["exit_code"], result["report_key"]) == ("critical", 1, None)


def test_a_corrupt_or_missing_plan_is_an_error_result_never_a_pass(s3: Any, handler: Any) -> None:
    upload(s3, "broken.plan.json", plan("audit-system-prod").read_bytes()[:5000])
    result = handler(s3_event("plans", "broken.plan.json"))
    assert (result["status"], result["exit_code"], result["code"]) == ("error", 3, "PLAN_INVALID")
    assert "cut short" in result["error"]
    missing = handler(s3_event("plans", "absent.plan.json"))
    assert (missing["status"], missing["exit_code"]) == ("error", 3)
    assert handler({})["exit_code"] == 3
    assert handler(s3_event("plans", "x.plan.json.plangate.json"))["status"] == "skipped"


def test_the_worst_of_several_plans_is_the_verdict(s3: Any, handler: Any) -> None:
    # Before: a critical and a high-risk plan in one event returned high_risk, exit 2.
    upload(s3, "a/critical.plan.json", plan("destroy").read_bytes())
    upload(s3, "a/high.plan.json", plan("network").read_bytes())
    event = s3_event("plans", "a/high.plan.json")
    event["Records"].insert(0, s3_event("plans", "a/critical.plan.json")["Records"][0])
    result = handler(event)
    assert (result["status"], result["exit_code"]) == ("critical", 1)
    assert [r["exit_code"] for r in result["results"]] == [1, 2]
    event["Records"].append(s3_event("plans", "a/absent.plan.json")["Records"][0])
    assert handler(event)["exit_code"] == 3, "a plan that cannot be read is worse than any verdict"


def test_a_report_key_given_directly_is_an_error_not_a_skip(s3: Any, handler: Any) -> None:
    # Before: {"status": "skipped", "exit_code": 0} without reading anything.
    upload(s3, "p.plan.json.plangate.json", b"{}")
    result = handler({"bucket": "plans", "key": "p.plan.json.plangate.json"})
    assert (result["status"], result["exit_code"]) == ("error", 3)
    skipped = handler(s3_event("plans", "p.plan.json.plangate.json"))
    assert skipped["status"] == "skipped" and skipped["exit_code"] is None, "no verdict, nothing that reads as a pass"


@pytest.mark.parametrize(
    "event",
    [
        {"Records": [{}]},
        {"Records": None},
        {"Records": [{"s3": {"bucket": {"name": "plans"}, "object": {"key": 5}}}]},
        {"bucket": "plans", "key": 5},
        {"bucket": "plans"},
        ["not", "an", "object"],
        "plan.json",
        None,
        {"plan": None},
        {"plan": "/proc/self/environ"},
        {"plan": {"format_version": "1.2", "resource_changes": []}, "environment": 5},
    ],
)
def test_a_hostile_event_is_an_error_result(handler: Any, event: Any) -> None:
    # Before: KeyError, TypeError and AttributeError escaped; {"plan": "<path>"} read a local file.
    result = handler(event)
    assert (result["status"], result["exit_code"], result["code"]) == ("error", 3, "INVALID_EVENT"), result
    if isinstance(event, dict) and isinstance(event.get("plan"), str):
        assert result == handler({"plan": "/nonexistent"}), "nothing says whether the path exists"


def test_an_object_larger_than_the_plan_limit_is_refused_before_it_is_read(s3: Any, handler: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    upload(s3, "big.plan.json", plan("audit-system-prod").read_bytes())
    monkeypatch.setenv("PLANGATE_MAX_PLAN_BYTES", "1K")
    reads: List[int] = []
    import botocore.response

    original = botocore.response.StreamingBody.read

    def counting(self: Any, amt: Any = None) -> bytes:
        reads.append(1)
        return original(self, amt)

    monkeypatch.setattr(botocore.response.StreamingBody, "read", counting)
    result = handler(s3_event("plans", "big.plan.json"))
    assert (result["status"], result["exit_code"]) == ("error", 3)
    assert "PLANGATE_MAX_PLAN_BYTES" in result["error"] and not reads, result
