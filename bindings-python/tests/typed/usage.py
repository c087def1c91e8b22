"""Typed code using every public name of plangate; `mypy --strict` must accept it as it is."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import plangate
from plangate import (
    CircuitBreaker,
    CircuitOpenError,
    ConfigError,
    DriftEntry,
    Finding,
    HealthCheck,
    InvalidArgument,
    PlanError,
    PlangateError,
    Policy,
    Report,
    ReportError,
    RetryEvent,
    RetryPolicy,
    Rule,
    Run,
    ScanFinding,
    ScanResult,
    TrafficShift,
)


def gate(plan: Path, config: Optional[Path]) -> int:
    policy: Policy = Policy.from_file(config) if config else Policy.preset("staging")
    report: Report = plangate.check_plan(plan, config=policy, fail_on_high_risk=False, source_dir=plan.parent)
    by_bytes: Report = plangate.check_plan(plan.read_bytes(), env="production")
    by_dict: Report = plangate.check_plan({"format_version": "1.2", "resource_changes": []})
    findings: Tuple[Finding, ...] = report.findings
    critical: List[str] = [f"{f.rule} {f.address}: {f.message}" for f in findings if f.severity == "critical"]
    actions: Tuple[str, ...] = findings[0].actions if findings else ()
    waived: Optional[Dict[str, str]] = findings[0].waived if findings else None
    located: Optional[Dict[str, Any]] = findings[0].location if findings else None
    print(located)
    drift: Tuple[DriftEntry, ...] = report.drift
    changed: List[Tuple[str, ...]] = [d.changed_attributes for d in drift]
    schema: Dict[str, Any] = report.to_dict()
    text: str = report.render("markdown") + report.to_json()
    header: Dict[str, Optional[str]] = report.plan
    summary = (report.status, report.passed, report.reason, report.total_changes, report.critical_changes)
    print(critical, actions, waived, changed, schema, text, header, summary, by_bytes, by_dict, report.high_risk_changes)
    print(policy.source, policy.critical_threshold, policy.high_risk_allowance, policy.fail_on_high_risk)
    print(Policy.from_yaml("verbose: true", "inline"), Policy(), policy.with_fail_on_high_risk(True))
    return report.exit_code


def several(plans: List[Path]) -> int:
    run: Run = plangate.check_plans([(p.name, p) for p in plans], env="staging")
    reports: Tuple[Tuple[str, Report], ...] = run.plans
    errors: List[Dict[str, str]] = run.errors
    print(run.status, run.passed, run.reason, run.total_changes, run.critical_changes, run.high_risk_changes)
    print(reports, errors, run.to_dict(), run.to_json(), run.render("github"))
    try:
        plangate.check_plan(plans[0], plan_reader="magic")
    except InvalidArgument as e:
        print(e.key)
    return run.exit_code


def registry() -> List[str]:
    limit: int = plangate.limits()["max_plan_bytes"]
    assert limit > 0
    rules: List[Rule] = plangate.rules()
    return [f"{r.id} {r.severity} {r.category} {r.title} {len(r.doc)}" for r in rules] + [plangate.explain("PG-DEL-001")]


def comment(reports: List[Path]) -> Optional[str]:
    outcome = plangate.comment(reports, provider="gitlab", key="production", behaviour="hide-and-new", refresh=True, timeout=30.0)
    url: Optional[str] = outcome.get("url")
    return url


def run_task(body: bytes, signature: Optional[str], report: Report) -> Dict[str, Any]:
    checked = plangate.run_task_request(body, signature, b"key", ["app.terraform.io"])
    assert plangate.run_task_allows("https://app.terraform.io/x")
    if "refused" in checked:
        return plangate.run_task_failed(str(checked["refused"]["why"]))
    return report.task_result()


def scan(paths: List[Path], baseline: Optional[ScanResult]) -> ScanResult:
    result: ScanResult = plangate.scan_reports(paths, fail_on="high", baseline=baseline)
    one: ScanResult = plangate.scan_reports(("report.json", b"null"))
    found: Tuple[ScanFinding, ...] = result.findings
    fields = [(f.rule, f.title, f.severity, f.raw_severity, f.source, f.tool, f.file, f.location, f.fingerprint, f.suppressed) for f in found]
    counts: Dict[str, int] = result.counts
    print(fields, counts, result.new_counts, result.reports, result.reasons, result.score, result.passed, result.exit_code)
    print(result.render("sarif"), result.to_dict(), one.to_json())
    return result


def resilience(config: Path) -> float:
    policy = RetryPolicy.from_config(config, "terraform-apply")
    custom = RetryPolicy(max_attempts=5, initial_delay=1.0, max_delay=30.0, jitter="equal", retry_on=["Error: timeout"])
    delays: List[float] = list(custom.delays(seed=1))
    verdict: Dict[str, Any] = policy.classify("Error: timeout")
    events: List[RetryEvent] = []

    @plangate.retry(custom, exceptions=(TimeoutError,), sleep=lambda _: None, on_retry=events.append)
    def apply(target: str) -> str:
        return target

    @plangate.retry(custom)
    async def fetch() -> int:
        return 1

    breaker = CircuitBreaker(failure_threshold=2, clock=lambda: 0.0)

    @breaker
    def call() -> int:
        return 2

    with breaker:
        decision: str = breaker.request()
    breaker.record(True)
    health: Dict[str, Any] = HealthCheck(retries=3).record(False)
    shift = TrafficShift([0, 50, 100], hold=60.0, error_threshold=0.05)
    step: Dict[str, Any] = TrafficShift.preset("AllAtOnce", 0.1).decide(0, 0.0, 0.0)
    print(apply("x"), asyncio.run(fetch()), call(), decision, breaker.state, health, shift.steps, step, verdict)
    print(policy.name, policy.max_attempts, [e.attempt for e in events])
    return sum(delays)


def errors() -> None:
    try:
        plangate.check_plan(b"{}")
    except PlanError as e:
        print(e.code, e.path, e.line, e.column, e.json_path, e.found, e.expected, e.key, e.errors)
    except (ConfigError, ReportError) as e:
        print(e.errors)
    except CircuitOpenError as e:
        print(e.retry_in)
    except PlangateError as e:
        print(e)
    print(plangate.__version__)
