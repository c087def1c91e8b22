"""An AWS Lambda function that gates Terraform plans with plangate.

Triggered by S3 ``ObjectCreated`` events (or invoked directly), it reads the plan object (JSON from
``terraform show -json``), checks it under a policy, writes the JSON report next to the plan as
``<plan key>.plangate.json``, and returns the verdict::

    {"status": "critical", "exit_code": 1, "critical_changes": 3, "high_risk_changes": 0,
     "total_changes": 7, "report_key": "plans/prod.plan.json.plangate.json"}

The policy is a preset named by the event's ``environment``, else the ``PLANGATE_ENVIRONMENT``
variable; or a configuration file named by ``PLANGATE_CONFIG`` (a path inside the function or a
layer). A plan that cannot be read gives ``{"status": "error", "exit_code": 3, "error": ...}``,
never a pass. Direct invocation: ``{"bucket": ..., "key": ..., "environment": ...}``, or
``{"plan": {...}, "environment": ...}`` with the plan itself (nothing is written then).

Configure the S3 trigger with a suffix filter (``.plan.json``) so that the reports it writes do not
trigger it again; reports are skipped anyway.
"""

from __future__ import annotations

import json
import os
import urllib.parse
from typing import Any, Dict, Optional, Tuple

import boto3

import plangate

REPORT_SUFFIX = ".plangate.json"


def handler(event: Dict[str, Any], context: Any = None) -> Dict[str, Any]:
    """The Lambda entry point."""
    environment = event.get("environment") or os.environ.get("PLANGATE_ENVIRONMENT") or None
    config = os.environ.get("PLANGATE_CONFIG") or None
    if "plan" in event:
        return gate(event["plan"], environment, config, None, None)
    objects = [(r["s3"]["bucket"]["name"], urllib.parse.unquote_plus(r["s3"]["object"]["key"])) for r in event.get("Records", [])]
    if "bucket" in event and "key" in event:
        objects.append((event["bucket"], event["key"]))
    if not objects:
        return error("the event names no plan: expected S3 records, {bucket, key} or {plan}")
    results = [gate_object(bucket, key, environment, config) for bucket, key in objects if not key.endswith(REPORT_SUFFIX)]
    if not results:
        return {"status": "skipped", "exit_code": 0, "reason": "only plangate reports were uploaded"}
    # One verdict for the invocation: the worst; every plan's is listed when there are several.
    worst = max(results, key=lambda r: (r["exit_code"] == 3, r["exit_code"]))
    return worst if len(results) == 1 else {**worst, "results": results}


def gate_object(bucket: str, key: str, environment: Optional[str], config: Optional[str]) -> Dict[str, Any]:
    s3 = boto3.client("s3")
    try:
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    except Exception as e:  # the object is gone, or access is denied: no verdict
        return error(f"cannot read s3://{bucket}/{key}: {e}", key=key)
    return gate(body, environment, config, s3, (bucket, key))


def gate(plan: Any, environment: Optional[str], config: Optional[str], s3: Any, location: Optional[Tuple[str, str]]) -> Dict[str, Any]:
    try:
        report = plangate.check_plan(plan, env=environment, config=config)
    except plangate.PlangateError as e:
        return error(str(e), code=e.code, key=location[1] if location else None)
    result: Dict[str, Any] = {
        "status": report.status,
        "exit_code": report.exit_code,
        "critical_changes": report.critical_changes,
        "high_risk_changes": report.high_risk_changes,
        "total_changes": report.total_changes,
        "report_key": None,
    }
    if location is not None:
        bucket, key = location
        report_key = key + REPORT_SUFFIX
        s3.put_object(Bucket=bucket, Key=report_key, Body=report.to_json().encode(), ContentType="application/json")
        result["report_key"] = report_key
    return result


def error(message: str, *, code: str = "PLAN_INVALID", key: Optional[str] = None) -> Dict[str, Any]:
    result: Dict[str, Any] = {"status": "error", "exit_code": 3, "error": message, "code": code}
    if key is not None:
        result["key"] = key
    return result


if __name__ == "__main__":  # a local run: python handler.py EVENT.json
    import sys

    print(json.dumps(handler(json.load(open(sys.argv[1]))), indent=2))
