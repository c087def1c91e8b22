"""Type stubs of plangate's public API (see ``__init__.py`` for the documentation)."""

import os
from typing import Any, Callable, Iterable, Mapping, NamedTuple, Optional, Sequence, Tuple, Type, TypeVar, Union

from plangate._errors import CircuitOpenError as CircuitOpenError
from plangate._errors import ConfigError as ConfigError
from plangate._errors import PlanError as PlanError
from plangate._errors import PlangateError as PlangateError
from plangate._errors import ReportError as ReportError
from plangate._native import DriftEntry as DriftEntry
from plangate._native import Finding as Finding
from plangate._native import HealthCheck as HealthCheck
from plangate._native import Policy as Policy
from plangate._native import Report as Report
from plangate._native import RetryPolicy as RetryPolicy
from plangate._native import Rule as Rule
from plangate._native import ScanFinding as ScanFinding
from plangate._native import ScanResult as ScanResult
from plangate._native import TrafficShift as TrafficShift

__version__: str
__all__ = [
    "CircuitBreaker",
    "CircuitOpenError",
    "ConfigError",
    "DriftEntry",
    "Finding",
    "HealthCheck",
    "PlanError",
    "PlangateError",
    "Policy",
    "Report",
    "ReportError",
    "RetryEvent",
    "RetryPolicy",
    "Rule",
    "ScanFinding",
    "ScanResult",
    "TrafficShift",
    "check_plan",
    "explain",
    "retry",
    "rules",
    "scan_reports",
]

PathLike = Union[str, os.PathLike[str]]
PlanSource = Union[PathLike, bytes, bytearray, memoryview, Mapping[str, Any]]
ReportSource = Union[PathLike, bytes, Tuple[str, bytes]]

F = TypeVar("F", bound=Callable[..., Any])

def check_plan(
    plan: PlanSource,
    *,
    config: Union[PathLike, Policy, None] = None,
    env: Optional[str] = None,
    fail_on_high_risk: Optional[bool] = None,
    source_dir: Optional[PathLike] = None,
) -> Report: ...
def rules() -> list[Rule]: ...
def explain(rule_id: str) -> str: ...
def scan_reports(
    reports: Union[ReportSource, Iterable[ReportSource]],
    *,
    fail_on: str = "critical",
    config: Optional[PathLike] = None,
    suppressions: Optional[PathLike] = None,
    baseline: Union[PathLike, ScanResult, None] = None,
) -> ScanResult: ...

class RetryEvent(NamedTuple):
    attempt: int
    delay: float
    error: BaseException

def retry(
    policy: RetryPolicy,
    *,
    exceptions: Sequence[Type[BaseException]] = (),
    sleep: Optional[Callable[[float], Any]] = None,
    on_retry: Optional[Callable[[RetryEvent], Any]] = None,
    seed: Optional[int] = None,
) -> Callable[[F], F]: ...

class CircuitBreaker:
    def __init__(
        self,
        *,
        failure_threshold: int = 3,
        reset_timeout: float = 300.0,
        half_open_timeout: float = 60.0,
        config: Optional[PathLike] = None,
        state_file: Optional[PathLike] = None,
        clock: Callable[[], float] = ...,
    ) -> None: ...
    @property
    def state(self) -> str: ...
    def request(self) -> str: ...
    def record(self, success: bool) -> None: ...
    def __enter__(self) -> CircuitBreaker: ...
    def __exit__(self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException], tb: Any) -> None: ...
    def __call__(self, fn: F) -> F: ...
