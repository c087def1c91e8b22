"""plangate: a deployment gate for Terraform plans and security scan reports.

The whole engine, the same that the ``plangate`` command runs::

    import plangate

    report = plangate.check_plan("plan.json", env="production")
    print(report.render("text"))
    raise SystemExit(report.exit_code)

- :func:`check_plan` judges every change of a Terraform plan (JSON or binary, a path, bytes or a
  dict) and decides a verdict: exit code 0 pass, 1 critical, 2 high-risk.
- :func:`scan_reports` reads scanner reports (Wiz, Seeker, SARIF, Trivy, Checkov, Grype, ...),
  fails closed on anything malformed and gates on severity.
- :class:`RetryPolicy`, :func:`retry`, :class:`CircuitBreaker`, :class:`HealthCheck` and
  :class:`TrafficShift` are the resilience policies of the steps around a deployment.

Anything plangate cannot read raises a :class:`PlangateError` (:class:`PlanError`,
:class:`ConfigError`, :class:`ReportError`) with its structured details as attributes; it never
returns a verdict for it. No object, ``repr``, message or log line carries a value the plan marks
sensitive. Analyses release the GIL, and every result object is immutable.
"""

from __future__ import annotations

import functools
import json
import os
import time
from typing import (
    Any,
    Awaitable,
    Callable,
    Iterable,
    Mapping,
    NamedTuple,
    Optional,
    Sequence,
    Tuple,
    Type,
    TypeVar,
    Union,
    cast,
)

from plangate import _native
from plangate._errors import CircuitOpenError, ConfigError, InvalidArgument, PlanError, PlangateError, ReportError
from plangate._native import (
    DriftEntry,
    Finding,
    HealthCheck,
    Policy,
    Report,
    RetryPolicy,
    Rule,
    Run,
    ScanFinding,
    ScanResult,
    TrafficShift,
)

__version__: str = _native.__version__

__all__ = [
    "CircuitBreaker",
    "CircuitOpenError",
    "ConfigError",
    "DriftEntry",
    "Finding",
    "HealthCheck",
    "InvalidArgument",
    "PlanError",
    "PlangateError",
    "Policy",
    "Report",
    "ReportError",
    "RetryEvent",
    "RetryPolicy",
    "Rule",
    "Run",
    "ScanFinding",
    "ScanResult",
    "TrafficShift",
    "check_plan",
    "check_plans",
    "comment",
    "explain",
    "limits",
    "retry",
    "rules",
    "run_task_allows",
    "run_task_failed",
    "run_task_request",
    "scan_reports",
]

PathLike = Union[str, "os.PathLike[str]"]
"""A file path."""

PlanSource = Union[PathLike, bytes, bytearray, memoryview, Mapping[str, Any]]
"""A plan: a path to a JSON or binary plan file, a plan's bytes, or a plan loaded with ``json.load``."""

ReportSource = Union[PathLike, bytes, Tuple[str, bytes]]
"""A scanner report: a path, its bytes, or ``(name, bytes)``."""


def _plan_argument(plan: PlanSource) -> Union[str, bytes]:
    """A plan as the engine takes it: a path, or bytes."""
    if isinstance(plan, (str, os.PathLike)):
        return os.fspath(plan)
    if isinstance(plan, bytes):
        return plan
    if isinstance(plan, (bytearray, memoryview)):
        return bytes(plan)
    if isinstance(plan, Mapping):
        try:
            return json.dumps(plan, allow_nan=False).encode()
        except (TypeError, ValueError, RecursionError) as e:
            # The messages name types and problems (a cycle, a NaN), never values.
            raise PlanError(f"the plan dict cannot be written as JSON: {type(e).__name__}: {e}", code="PLAN_INVALID") from None
    raise TypeError(f"plan must be a path, bytes or a dict, not {type(plan).__name__}")


def _config_argument(config: Union[PathLike, Policy, None]) -> Union[str, Policy, None]:
    return config if config is None or isinstance(config, Policy) else os.fspath(config)


def check_plan(
    plan: PlanSource,
    *,
    config: Union[PathLike, Policy, None] = None,
    env: Optional[str] = None,
    fail_on_high_risk: Optional[bool] = None,
    source_dir: Optional[PathLike] = None,
    plan_reader: Optional[str] = None,
) -> Report:
    """Checks a Terraform plan and returns its :class:`Report`.

    ``plan`` is a path (``str`` or ``os.PathLike``: JSON from ``terraform show -json``, or a binary
    plan file), the plan's bytes (``bytes`` are read in place; ``bytearray`` and ``memoryview`` are
    copied once), or a ``dict`` loaded with ``json.load`` (serialized again, which costs a pass over
    it). ``config`` is a configuration file or a :class:`Policy`; else ``env`` names a preset
    (``develop``, ``staging``, ``production``); else the default policy applies. An ``env`` that
    names no preset is an error even beside a ``config``. ``fail_on_high_risk`` overrides the
    policy's, ``plan_reader`` (``auto``, ``native``, ``terraform``) its binary-plan reader.
    ``source_dir`` is the Terraform working directory of the plan: each finding's ``location`` then
    names the ``.tf`` file (relative to the git repository) and the lines of the block that
    declares its resource.

    Raises :class:`PlanError` when the plan cannot be read, :class:`ConfigError` for an invalid
    configuration or an unknown preset, :class:`InvalidArgument` for a value that means nothing.
    """
    return _native.check_plan(
        _plan_argument(plan),
        config=_config_argument(config),
        env=env,
        fail_on_high_risk=fail_on_high_risk,
        source_dir=None if source_dir is None else os.fspath(source_dir),
        plan_reader=plan_reader,
    )


def check_plans(
    plans: Iterable[Tuple[str, PlanSource]],
    *,
    config: Union[PathLike, Policy, None] = None,
    env: Optional[str] = None,
    fail_on_high_risk: Optional[bool] = None,
    source_dir: Optional[PathLike] = None,
    plan_reader: Optional[str] = None,
) -> Run:
    """Checks several plans together, each ``(name, plan)`` as :func:`check_plan` takes a plan, and
    returns a :class:`Run`: every plan's report (``run.plans``), every plan that cannot be read
    (``run.errors``: an error of one plan does not stop the others), and the worst verdict
    (``run.exit_code``: 3 a plan cannot be read, then 1 critical, then 2 high-risk, then 0).
    """
    return _native.check_plans(
        [(str(name), _plan_argument(plan)) for name, plan in plans],
        config=_config_argument(config),
        env=env,
        fail_on_high_risk=fail_on_high_risk,
        source_dir=None if source_dir is None else os.fspath(source_dir),
        plan_reader=plan_reader,
    )


def limits() -> dict[str, int]:
    """The input limits in force (``max_plan_bytes``, ``max_report_bytes``, ``max_file_bytes``,
    ``max_inflation``, ``max_findings``, ``max_yaml_depth``): the defaults, or the
    ``PLANGATE_MAX_*`` variables. :class:`ConfigError` for a variable that holds no limit."""
    return _native.limits()


def rules() -> list[Rule]:
    """Every rule of the registry, in report order."""
    return _native.rules()


def comment(
    reports: Union[PathLike, Iterable[PathLike]],
    *,
    provider: str,
    key: Optional[str] = None,
    behaviour: str = "update",
    refresh: bool = False,
    timeout: float = 60.0,
    token: Optional[str] = None,
) -> dict[str, Any]:
    """Puts the JSON reports of ``plangate check -f json`` on the pull or merge request as one
    sticky comment, exactly as ``plangate comment`` does: ``provider`` is ``github``, ``gitlab``,
    ``azure-devops`` or ``bitbucket``, and the request and token come from that CI's variables
    (``token`` overrides the latter). Reports with the same ``key`` (default: their plans' names)
    share one comment; ``behaviour`` is ``update``, ``hide-and-new``, ``delete-and-new`` or ``new``.

    A comment is not the gate: the returned dict says what was done (``action``: ``created``,
    ``updated``, ``unchanged`` or ``not-written``; ``url``; ``warnings``; or ``nowhere`` when the
    pipeline is not for a request). :class:`ReportError` for a report that cannot be read,
    :class:`InvalidArgument` for an unknown provider or behaviour or a CI variable that is missing."""
    paths = [os.fspath(reports)] if isinstance(reports, (str, os.PathLike)) else [os.fspath(r) for r in reports]
    return json.loads(_native.post_comment(paths, provider, key, behaviour, refresh, timeout, token))


def run_task_request(body: bytes, signature: Optional[str], key: bytes, allowed_hosts: Optional[Sequence[str]] = None) -> dict[str, Any]:
    """Checks an HCP Terraform run-task request as ``plangate serve`` does: the
    ``X-TFC-Task-Signature`` (HMAC-SHA512 of the raw ``body`` with ``key``) first, then the payload,
    whose plan and callback URLs must name one of ``allowed_hosts``. Returns
    ``{"refused": {"status": 401 or 400, "why"}}`` or ``{"payload": {stage, judged,
    result_without_plan, verification, access_token, plan_json_api_url, task_result_callback_url,
    workspace_name, run_id}}``; never log the access token. Report the verdict with
    :meth:`Report.task_result` (or ``result_without_plan`` when the stage is not ``judged``), or
    :func:`run_task_failed` when the plan cannot be checked."""
    hosts = None if allowed_hosts is None else list(allowed_hosts)
    return json.loads(_native.run_task_request(body, signature, key, hosts))


def run_task_allows(url: str, allowed_hosts: Optional[Sequence[str]] = None) -> bool:
    """Whether ``url`` names one of ``allowed_hosts`` (default HCP Terraform's): check a redirect's
    target before following it."""
    return _native.run_task_allows(url, None if allowed_hosts is None else list(allowed_hosts))


def run_task_failed(reason: str) -> dict[str, Any]:
    """The failed task result for a run that cannot be checked (never a pass)."""
    return json.loads(_native.run_task_failed(reason))


def explain(rule_id: str) -> str:
    """The documentation of one rule, as ``plangate explain ID`` prints it. ``ValueError`` for an
    unknown id."""
    return _native.explain(rule_id)


def _report_inputs(reports: Union[ReportSource, Iterable[ReportSource]]) -> list[Any]:
    if isinstance(reports, (str, os.PathLike, bytes)) or (
        isinstance(reports, tuple) and len(reports) == 2 and isinstance(reports[1], bytes)
    ):
        reports = [cast(ReportSource, reports)]
    inputs: list[Any] = []
    for i, report in enumerate(cast(Iterable[ReportSource], reports)):
        if isinstance(report, bytes):
            inputs.append((f"report[{i}]", report))
        elif isinstance(report, tuple):
            inputs.append((str(report[0]), bytes(report[1])))
        else:
            inputs.append(os.fspath(report))
    return inputs


def scan_reports(
    reports: Union[ReportSource, Iterable[ReportSource]],
    *,
    fail_on: str = "critical",
    config: Optional[PathLike] = None,
    suppressions: Optional[PathLike] = None,
    baseline: Union[PathLike, ScanResult, None] = None,
) -> ScanResult:
    """Reads, validates and gates scanner reports, as ``plangate scan`` does.

    ``reports`` is one report or several: paths, bytes, or ``(name, bytes)`` pairs. ``fail_on`` is
    the severity that fails the gate; ``config`` a configuration file whose ``scan:`` section sets
    ``max`` and ``unknown_severity_as``; ``suppressions`` a suppressions file; ``baseline`` an
    earlier result (a ``-f json`` file or a :class:`ScanResult`) whose findings do not fail again.

    Raises :class:`ReportError` naming every report that cannot be used (malformed, unrecognized,
    failed or partial scans), :class:`ConfigError` for invalid files.
    """
    baseline_path = None if baseline is None or isinstance(baseline, ScanResult) else os.fspath(baseline)
    baseline_json = baseline.to_json() if isinstance(baseline, ScanResult) else None
    return _native.scan_reports(
        _report_inputs(reports),
        fail_on=fail_on,
        config=None if config is None else os.fspath(config),
        suppressions=None if suppressions is None else os.fspath(suppressions),
        baseline=baseline_path,
        baseline_json=baseline_json,
    )


class RetryEvent(NamedTuple):
    """What ``on_retry`` is told before each retry."""

    attempt: int
    """The attempt that failed (1 is the first)."""
    delay: float
    """Seconds until the next attempt."""
    error: BaseException
    """The attempt's exception."""


F = TypeVar("F", bound=Callable[..., Any])


def _describe(error: BaseException) -> str:
    """``"TypeName: message"``, whatever the exception does: a ``__str__`` that raises, or text
    that is not valid UTF-8 (a lone surrogate), gives what can be read of it instead of replacing
    the exception being retried."""
    try:
        text = f"{type(error).__name__}: {error}"
    except Exception:
        text = f"{type(error).__name__}: "
    return text.encode("utf-8", "replace").decode("utf-8")


def _delay_after(
    policy: RetryPolicy,
    retrier: _native.Retrier,
    error: Exception,
    exceptions: Tuple[Type[BaseException], ...],
) -> Optional[float]:
    retryable = bool(exceptions) and isinstance(error, exceptions)
    retryable = retryable or bool(policy.classify(_describe(error))["retryable"])
    delay, _reason = retrier.after_failure(retryable)
    return delay


def retry(
    policy: RetryPolicy,
    *,
    exceptions: Sequence[Type[BaseException]] = (),
    sleep: Optional[Callable[[float], Any]] = None,
    on_retry: Optional[Callable[[RetryEvent], Any]] = None,
    seed: Optional[int] = None,
) -> Callable[[F], F]:
    """Retries a function (plain or ``async``) under ``policy``.

    A failure is retried when its text (``"TypeName: message"``) matches the policy's ``retry_on``
    patterns, or when it is an instance of one of ``exceptions``; the engine decides the delays
    (jitter, ``max_delay``, ``max_total_delay``). Before each retry ``on_retry`` is called with a
    :class:`RetryEvent`, then ``sleep(delay)`` waits (``time.sleep`` by default, or
    ``asyncio.sleep`` for ``async`` functions; an injected ``sleep`` may return an awaitable). When
    retrying stops, the last exception is raised again.
    """
    catch = tuple(exceptions)
    # asyncio and inspect cost more to import than the rest of plangate: only retried code pays.
    import inspect

    def decorate(fn: F) -> F:
        if inspect.iscoroutinefunction(fn):

            @functools.wraps(fn)
            async def retried_async(*args: Any, **kwargs: Any) -> Any:
                retrier = policy.retrier(seed)
                while True:
                    try:
                        return await fn(*args, **kwargs)
                    except Exception as error:
                        delay = _delay_after(policy, retrier, error, catch)
                        if delay is None:
                            raise
                        if on_retry is not None:
                            on_retry(RetryEvent(retrier.attempts, delay, error))
                        if sleep is None:
                            import asyncio

                            await asyncio.sleep(delay)
                            continue
                        waited = sleep(delay)
                        if inspect.isawaitable(waited):
                            await cast(Awaitable[Any], waited)

            return cast(F, retried_async)

        @functools.wraps(fn)
        def retried(*args: Any, **kwargs: Any) -> Any:
            retrier = policy.retrier(seed)
            while True:
                try:
                    return fn(*args, **kwargs)
                except Exception as error:
                    delay = _delay_after(policy, retrier, error, catch)
                    if delay is None:
                        raise
                    if on_retry is not None:
                        on_retry(RetryEvent(retrier.attempts, delay, error))
                    (sleep or time.sleep)(delay)

        return cast(F, retried)

    return decorate


class CircuitBreaker:
    """A circuit breaker: ``failure_threshold`` consecutive failures open it, it rejects calls for
    ``reset_timeout`` seconds, then lets one probe through. Use it as a context manager (``with
    breaker:``) or a decorator (``@breaker``): a rejected call raises :class:`CircuitOpenError`; an
    exception inside records a failure, a normal exit a success.

    ``clock`` returns the time in seconds (``time.time`` by default; inject one in tests).
    ``state_file`` keeps the state in the JSON file ``plangate breaker --state`` uses, locked around
    each decision, so processes and pipeline steps share one breaker. ``config`` reads the
    ``circuit_breaker:`` section of a configuration file instead of the keyword settings (giving
    both is an :class:`InvalidArgument`); settings not given are the engine's defaults (3 failures,
    300 s, 60 s).
    """

    def __init__(
        self,
        *,
        failure_threshold: Optional[int] = None,
        reset_timeout: Optional[float] = None,
        half_open_timeout: Optional[float] = None,
        config: Optional[PathLike] = None,
        state_file: Optional[PathLike] = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._breaker = _native.Breaker(
            failure_threshold=failure_threshold,
            reset_timeout=reset_timeout,
            half_open_timeout=half_open_timeout,
            config=None if config is None else os.fspath(config),
            state_file=None if state_file is None else os.fspath(state_file),
        )
        self._clock = clock

    @property
    def state(self) -> str:
        """``closed``, ``open`` or ``half_open``."""
        return self._breaker.state()

    def request(self) -> str:
        """Asks to make a call now: ``"allowed"`` or ``"probe"`` (the one call that tests whether the
        service recovered); raises :class:`CircuitOpenError` while the breaker is open."""
        decision, retry_in = self._breaker.request(self._clock())
        if decision == "rejected":
            raise CircuitOpenError(f"the circuit breaker is {self.state}: try again in {retry_in:.0f} s", retry_in=retry_in)
        return decision

    def record(self, success: bool) -> None:
        """Records the outcome of a call."""
        self._breaker.record(success, self._clock())

    def __enter__(self) -> CircuitBreaker:
        self.request()
        return self

    def __exit__(self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException], tb: Any) -> None:
        # A call that was cancelled or interrupted (asyncio.CancelledError, KeyboardInterrupt,
        # SystemExit) says nothing about the service: no outcome is recorded. A half-open probe
        # left without one is let through again after half_open_timeout.
        if exc_type is None or issubclass(exc_type, Exception):
            self.record(exc_type is None)

    def __call__(self, fn: F) -> F:
        import inspect

        if inspect.iscoroutinefunction(fn):

            @functools.wraps(fn)
            async def guarded_async(*args: Any, **kwargs: Any) -> Any:
                with self:
                    return await fn(*args, **kwargs)

            return cast(F, guarded_async)

        @functools.wraps(fn)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            with self:
                return fn(*args, **kwargs)

        return cast(F, guarded)

    def __repr__(self) -> str:
        return f"<CircuitBreaker {self.state}>"
