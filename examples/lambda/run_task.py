"""An HCP Terraform / Terraform Enterprise run task as an AWS Lambda function URL.

The same contract as ``plangate serve``, for teams that would rather not run a server: HCP posts a
signed request after the plan; this function checks the ``X-TFC-Task-Signature`` (HMAC-SHA512 of
the raw body with the task's key) before anything else, fetches the plan JSON (following HCP's
redirect to its archivist by hand: only to allowed hosts, and without the token), checks it, and
sends the result to the callback URL, all before it answers. A plan that cannot be fetched or read
is a ``failed`` result saying why, never a pass.

Configuration (environment variables):

- ``PLANGATE_RUN_TASK_KEY``: the task's HMAC key (required: without it every request is refused).
- ``PLANGATE_ALLOWED_HOSTS``: the hosts plan and callback URLs may name, comma-separated (default
  ``app.terraform.io,archivist.terraform.io``; ``http://host:port`` allows plain HTTP to one
  endpoint, for a private TFE behind TLS termination).
- ``PLANGATE_CONFIG`` (a policy file in the function or a layer) or ``PLANGATE_ENVIRONMENT`` (a
  preset), as for ``handler.py``; ``PLANGATE_MAX_PLAN_BYTES`` bounds the plan read.

The check runs inside the request, so the function's timeout must stay under HCP's wait for the
answer (ten seconds); plans that take longer belong to ``plangate serve``, which answers first
and checks after. The access token is used, never logged.
"""

from __future__ import annotations

import base64
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Dict, List, Optional

import plangate

TIMEOUT = 8.0


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are followed by hand: urllib would send the token to the redirect's host."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def _hosts() -> Optional[List[str]]:
    """``PLANGATE_ALLOWED_HOSTS``, or ``None`` for HCP Terraform's own."""
    hosts = [h.strip() for h in os.environ.get("PLANGATE_ALLOWED_HOSTS", "").split(",") if h.strip()]
    return hosts or None


def _max_plan_bytes() -> int:
    return int(plangate.limits()["max_plan_bytes"])


def _open(url: str, token: Optional[str], method: str = "GET", body: Optional[bytes] = None) -> Any:
    request = urllib.request.Request(url, data=body, method=method)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    if body is not None:
        request.add_header("Content-Type", "application/vnd.api+json")
    try:
        return _OPENER.open(request, timeout=TIMEOUT)
    except urllib.error.HTTPError as answer:
        return answer  # a status to look at, 3xx included


def _fetch_plan(url: str, token: str, hosts: Optional[List[str]]) -> bytes:
    answer = _open(url, token)
    for _ in range(5):
        if answer.status not in (301, 302, 303, 307, 308):
            break
        url = urllib.parse.urljoin(url, answer.headers.get("Location", ""))
        if not plangate.run_task_allows(url, hosts):
            raise ValueError("the plan is redirected to a host PLANGATE_ALLOWED_HOSTS does not allow")
        answer = _open(url, None)
    if answer.status != 200:
        raise ValueError(f"the plan cannot be fetched: HTTP {answer.status}")
    limit = _max_plan_bytes()
    plan = answer.read(limit + 1)
    if len(plan) > limit:
        raise ValueError(f"the plan is larger than the limit of {limit} bytes (PLANGATE_MAX_PLAN_BYTES)")
    return bytes(plan)


def _policy() -> Dict[str, Any]:
    if os.environ.get("PLANGATE_CONFIG"):
        return {"config": os.environ["PLANGATE_CONFIG"]}
    return {"env": os.environ.get("PLANGATE_ENVIRONMENT") or None}


def _deliver(url: str, token: str, result: Dict[str, Any]) -> bool:
    """PATCHes the result, retrying 429 and 5xx (Retry-After as a floor, at most 2 s here)."""
    body = json.dumps(result).encode()
    for attempt in range(4):
        try:
            answer = _open(url, token, "PATCH", body)
        except OSError:
            answer = None
        if answer is not None and 200 <= answer.status < 300:
            return True
        if answer is not None and answer.status != 429 and answer.status < 500:
            return False
        after = answer.headers.get("Retry-After") if answer is not None else None
        time.sleep(min(2.0, float(after) if after and after.isdigit() else 0.2 * 2**attempt))
    return False


def _log(event: str, **fields: Any) -> None:
    print(json.dumps({"event": event, **{k: v for k, v in fields.items() if v is not None}}))


def handler(event: Dict[str, Any], context: Any = None) -> Dict[str, Any]:
    """A function-URL (payload version 2.0) request in, an HTTP answer out."""
    raw = event.get("body") or ""
    body = base64.b64decode(raw) if event.get("isBase64Encoded") else raw.encode()
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    key = os.environ.get("PLANGATE_RUN_TASK_KEY", "").encode()
    if not key:
        _log("refused", status=500, why="PLANGATE_RUN_TASK_KEY is not set")
        return {"statusCode": 500, "body": "the run task's HMAC key is not configured\n"}
    hosts = _hosts()
    checked = plangate.run_task_request(body, headers.get("x-tfc-task-signature"), key, hosts)
    if "refused" in checked:
        refused = checked["refused"]
        _log("refused", status=refused["status"], why=refused["why"])
        return {"statusCode": refused["status"], "body": f"{refused['why']}\n"}
    payload = checked["payload"]
    if payload["verification"]:
        return {"statusCode": 200, "body": ""}
    result = payload["result_without_plan"]
    if result is None:
        try:
            plan = _fetch_plan(payload["plan_json_api_url"], payload["access_token"], hosts)
            result = plangate.check_plan(plan, **_policy()).task_result()
        except (ValueError, OSError, plangate.PlangateError) as error:
            result = plangate.run_task_failed(str(error))
    delivered = _deliver(payload["task_result_callback_url"], payload["access_token"], result)
    status = result["data"]["attributes"]["status"]
    _log("job finished", run_id=payload["run_id"], workspace=payload["workspace_name"], result=status, delivered=delivered)
    return {"statusCode": 200, "body": ""}
