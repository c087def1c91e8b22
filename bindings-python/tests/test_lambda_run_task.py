"""The run-task Lambda example (`examples/lambda/run_task.py`) with function-URL events, against a
stand-in HCP on 127.0.0.1: it serves plans behind a redirect to an "archivist", as HCP does, and
records callbacks. The same contract as `plangate serve`: signature first, allowed hosts only,
one callback per accepted request with the engine's verdict, never a pass for a plan it cannot read,
and no token or sensitive value in any log or result."""

from __future__ import annotations

import hashlib
import hmac
import importlib.util
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest

from conftest import FIXTURES, ROOT, plan

KEY = b"the-task-hmac-key"
TOKEN = "atlasv1.s3cret-run-token"


class Hcp(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.plans: Dict[str, bytes] = {}
        self.callbacks: List[Tuple[str, str, Dict[str, Any]]] = []
        self.archivist_saw_token = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"


class _Handler(BaseHTTPRequestHandler):
    server: Hcp

    def log_message(self, *args: Any) -> None:
        pass

    def _send(self, status: int, body: bytes = b"", headers: Dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        parts = self.path.split("?")[0].split("/")
        if self.path.startswith("/api/v2/plans/"):
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                return self._send(401)
            if parts[4] == "elsewhere":
                return self._send(307, headers={"Location": "http://127.0.0.2:9/archivist/x"})
            return self._send(307, headers={"Location": f"/archivist/{parts[4]}?signature=presigned"})
        if self.path.startswith("/archivist/"):
            if self.headers.get("Authorization"):
                self.server.archivist_saw_token += 1
            found = self.server.plans.get(parts[2])
            return self._send(200, found) if found is not None else self._send(404)
        self._send(404)

    def do_PATCH(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length))
        self.server.callbacks.append((self.path.split("/")[4], self.headers.get("Authorization", ""), body))
        self._send(200)


@pytest.fixture()
def hcp() -> Iterator[Hcp]:
    server = Hcp()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    for name in ("kms", "safe", "sensitive"):
        server.plans[name] = plan(name).read_bytes()
    server.plans["garbage"] = b'{"resource_changes": ['
    yield server
    server.shutdown()


@pytest.fixture()
def function(hcp: Hcp, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("PLANGATE_RUN_TASK_KEY", KEY.decode())
    monkeypatch.setenv("PLANGATE_ALLOWED_HOSTS", hcp.base)
    monkeypatch.setenv("PLANGATE_ENVIRONMENT", "production")
    spec = importlib.util.spec_from_file_location("run_task_example", ROOT / "examples" / "lambda" / "run_task.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def request(hcp: Hcp, plan_id: str, run: str, *, token: str = TOKEN, key: bytes = KEY, stage: str = "post_plan", **change: Any) -> Dict[str, Any]:
    payload = {
        "payload_version": 1, "stage": stage, "access_token": token,
        "plan_json_api_url": f"{hcp.base}/api/v2/plans/{plan_id}/json-output",
        "task_result_callback_url": f"{hcp.base}/api/v2/task-results/{run}/callback",
        "workspace_name": "prod-network", "run_id": run, **change,
    }
    body = json.dumps(payload)
    signature = hmac.new(key, body.encode(), hashlib.sha512).hexdigest()
    return {"version": "2.0", "headers": {"X-TFC-Task-Signature": signature, "content-type": "application/json"}, "body": body, "isBase64Encoded": False}


def results(hcp: Hcp, run: str) -> List[Dict[str, Any]]:
    return [body for name, _, body in hcp.callbacks if name == run]


def test_verdicts_and_failures(hcp: Hcp, function: Any, capsys: pytest.CaptureFixture[str]) -> None:
    for plan_id, run in [("kms", "run-kms"), ("safe", "run-safe"), ("garbage", "run-garbage"), ("missing", "run-missing"), ("elsewhere", "run-elsewhere"), ("sensitive", "run-sensitive")]:
        assert function.handler(request(hcp, plan_id, run))["statusCode"] == 200, run
    assert results(hcp, "run-kms")[0]["data"]["attributes"]["status"] == "failed"
    assert any(o["attributes"]["tags"]["Rule"][0]["label"] == "PG-DEL-001" for o in results(hcp, "run-kms")[0]["data"]["relationships"]["outcomes"]["data"])
    assert results(hcp, "run-safe")[0]["data"]["attributes"]["status"] == "passed"
    for run in ("run-garbage", "run-missing", "run-elsewhere"):
        (result,) = results(hcp, run)
        assert result["data"]["attributes"]["status"] == "failed", run
        assert result["data"]["attributes"]["message"].startswith("plangate cannot check this run"), run
    assert function.handler(request(hcp, "safe", "run-pre", stage="pre_plan"))["statusCode"] == 200
    assert results(hcp, "run-pre")[0]["data"]["attributes"]["status"] == "passed"
    assert function.handler(request(hcp, "safe", "run-verify", token="test-token"))["statusCode"] == 200
    assert results(hcp, "run-verify") == [], "the verification request gets no callback"
    assert len(hcp.callbacks) == 7 and all(auth == f"Bearer {TOKEN}" for _, auth, _ in hcp.callbacks)
    assert hcp.archivist_saw_token == 0, "the token is not sent to the archivist"
    secrets = json.loads((FIXTURES / "expectations.json").read_text())["sensitive_values"] + [TOKEN, KEY.decode()]
    everything = capsys.readouterr().out + json.dumps([body for _, _, body in hcp.callbacks])
    assert '"event": "job finished"' in everything
    for secret in secrets:
        assert secret not in everything, secret


def test_requests_that_are_not_the_tasks(hcp: Hcp, function: Any) -> None:
    assert function.handler(request(hcp, "kms", "run-1", key=b"another key"))["statusCode"] == 401
    unsigned = request(hcp, "kms", "run-1")
    del unsigned["headers"]["X-TFC-Task-Signature"]
    assert function.handler(unsigned)["statusCode"] == 401
    ssrf = function.handler(request(hcp, "kms", "run-1", plan_json_api_url="http://169.254.169.254/latest/meta-data/"))
    assert ssrf["statusCode"] == 400 and "allowed_hosts" in ssrf["body"]
    assert hcp.callbacks == []
