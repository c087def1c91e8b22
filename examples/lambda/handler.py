"""An AWS Lambda function that gates Terraform plans with plangate.

Triggered by S3 ``ObjectCreated`` events (or invoked directly), it reads the plan object (JSON from
``terraform show -json``, or a binary plan file), checks it under a policy, writes the JSON report
next to the plan as ``<plan key>.plangate.json``, and returns the verdict::

    {"status": "critical", "exit_code": 1, "critical_changes": 3, "high_risk_changes": 0,
     "total_changes": 7, "report_key": "plans/prod.plan.json.plangate.json"}

The policy is a preset named by the event's ``environment``, else the ``PLANGATE_ENVIRONMENT``
variable; or a configuration file named by ``PLANGATE_CONFIG`` (a path inside the function or a
layer). Anything that cannot be read or checked gives ``{"status": "error", "exit_code": 3,
"error": ..., "code": ...}``, never a pass: a plan that cannot be read, an object larger than the
plan size limit (``PLANGATE_MAX_PLAN_BYTES``, checked before the object is read), an event of
another shape. Direct invocation: ``{"bucket": ..., "key": ..., "environment": ...}``, or ``{"plan":
{...}, "environment": ...}`` with the plan itself as a JSON object (nothing is written then).

Configure the S3 trigger with a suffix filter (``.plan.json``) so that the reports it writes do not
trigger it again; S3 records of reports are skipped anyway (``{"status": "skipped", "exit_code":
None}`` when that is all there is: no verdict, and nothing that reads as a pass).
"""

from __future__ import annotations

import json
import os
import urllib.parse
from typing import Any, Dict, List, NamedTuple, Optional, Tuple

import boto3

import plangate

REPORT_SUFFIX = ".plangate.json"


class BadEvent(Exception):
    """The event is not one this function reads."""


class Input(NamedTuple):
    """A plan to check: its name, its content, the S3 object it came from (if any), or why it
    could not be read (an error result) instead of a content."""

    name: str
    plan: Any
    location: Optional[Tuple[str, str]]
    failure: Optional[Dict[str, Any]]


def handler(event: Any, context: Any = None) -> Dict[str, Any]:
    """The Lambda entry point."""
    try:
        environment, plan, objects = read_event(event)
    except BadEvent as e:
        return error(str(e), code="INVALID_EVENT")
    config = os.environ.get("PLANGATE_CONFIG") or None
    if plan is not None:
        return gate([Input("plan", plan, None, None)], environment, config)
    wanted = [(bucket, key) for bucket, key, from_record in objects if not (from_record and key.endswith(REPORT_SUFFIX))]
    if not wanted:
        return {"status": "skipped", "exit_code": None, "reason": "only plangate reports were uploaded"}
    return gate([read_object(bucket, key) for bucket, key in wanted], environment, config)


def read_event(event: Any) -> Tuple[Optional[str], Optional[Dict[str, Any]], List[Tuple[str, str, bool]]]:
    """The preset, the plan given in the event, and the S3 objects (bucket, key, from a record)."""
    if not isinstance(event, dict):
        raise BadEvent(f"the event is a {type(event).__name__}: expected an object with S3 Records, {{bucket, key}} or {{plan}}")
    environment = event.get("environment")
    if environment is not None and not isinstance(environment, str):
        raise BadEvent(f"environment is a {type(environment).__name__}: expected a preset name (develop, staging, production)")
    environment = environment or os.environ.get("PLANGATE_ENVIRONMENT") or None
    if "plan" in event:
        # Only a plan itself: a string is never read as a path inside the function.
        if not isinstance(event["plan"], dict):
            raise BadEvent(f"plan is a {type(event['plan']).__name__}: expected the plan as a JSON object")
        return environment, event["plan"], []
    objects: List[Tuple[str, str, bool]] = []
    records = event.get("Records", [])
    if not isinstance(records, list):
        raise BadEvent(f"Records is a {type(records).__name__}: expected a list of S3 event records")
    for i, record in enumerate(records):
        try:
            bucket, key = record["s3"]["bucket"]["name"], record["s3"]["object"]["key"]
        except (TypeError, KeyError):
            raise BadEvent(f"Records[{i}] is not an S3 event record (s3.bucket.name and s3.object.key)") from None
        if not isinstance(bucket, str) or not isinstance(key, str):
            raise BadEvent(f"Records[{i}]: the bucket name and the object key must be strings")
        objects.append((bucket, urllib.parse.unquote_plus(key), True))
    if "bucket" in event or "key" in event:
        bucket, key = event.get("bucket"), event.get("key")
        if not isinstance(bucket, str) or not isinstance(key, str):
            raise BadEvent("bucket and key must both be given, as strings")
        objects.append((bucket, key, False))
    if not objects:
        raise BadEvent("the event names no plan: expected S3 records, {bucket, key} or {plan}")
    return environment, None, objects


def read_object(bucket: str, key: str) -> Input:
    """The object as a plan to check, or why it cannot be read."""
    name = f"s3://{bucket}/{key}"

    def failed(result: Dict[str, Any]) -> Input:
        return Input(name, None, None, result)

    if key.endswith(REPORT_SUFFIX):
        return failed(error(f"{name} is a plangate report, not a plan", key=key))
    try:
        limit = plangate.limits()["max_plan_bytes"]
    except plangate.PlangateError as e:
        return failed(error(str(e), code=e.code, key=key))
    try:
        obj = boto3.client("s3").get_object(Bucket=bucket, Key=key)
        # Judged before the body is read: a huge object is refused without holding it.
        if obj["ContentLength"] > limit:
            obj["Body"].close()
            return failed(error(f"{name} is {obj['ContentLength']} bytes, larger than the plan size limit of {limit} (PLANGATE_MAX_PLAN_BYTES)", key=key))
        body = obj["Body"].read(limit + 1)
    except Exception as e:  # the object is gone, or access is denied: no verdict
        return failed(error(f"cannot read {name}: {e}", key=key))
    if len(body) > limit:
        return failed(error(f"{name} is larger than the plan size limit of {limit} (PLANGATE_MAX_PLAN_BYTES)", key=key))
    return Input(name, body, (bucket, key), None)


def gate(inputs: List[Input], environment: Optional[str], config: Optional[str]) -> Dict[str, Any]:
    """Checks the plans that could be read, together (the engine ranks the verdicts), writes each
    report beside its plan, and returns one result: the worst, with every plan's when several."""
    readable = [(i.name, i.plan) for i in inputs if i.failure is None]
    try:
        run = plangate.check_plans(readable, env=environment, config=config)
    except plangate.PlangateError as e:  # the configuration or the environment: no verdict
        return error(str(e), code=e.code)
    reports = dict(run.plans)
    failures = {e["plan"]: e for e in run.errors}
    results: List[Dict[str, Any]] = []
    for i in inputs:
        if i.failure is not None:
            results.append(i.failure)
        elif i.name in failures:
            results.append(error(failures[i.name]["message"], code=failures[i.name]["code"], key=i.location[1] if i.location else None))
        else:
            results.append(summary(reports[i.name], i.location))
    if len(results) == 1:
        return results[0]
    # Objects that could not be read are inputs the engine never saw: any of them is exit 3.
    unread = any(i.failure is not None for i in inputs)
    worst = {
        "status": "error" if unread else run.status,
        "exit_code": 3 if unread else run.exit_code,
        "critical_changes": run.critical_changes,
        "high_risk_changes": run.high_risk_changes,
        "total_changes": run.total_changes,
    }
    return {**worst, "results": results}


def summary(report: plangate.Report, location: Optional[Tuple[str, str]]) -> Dict[str, Any]:
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
        try:
            boto3.client("s3").put_object(Bucket=bucket, Key=report_key, Body=report.to_json().encode(), ContentType="application/json")
        except Exception as e:  # the verdict stands; say that the report is missing
            result["report_error"] = f"cannot write s3://{bucket}/{report_key}: {e}"
        else:
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
