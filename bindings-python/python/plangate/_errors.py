"""The errors plangate raises. Every one carries its structured facts as attributes, so a caller
decides by kind and by field, never by parsing the message."""

from __future__ import annotations

from typing import Optional, Sequence


class PlangateError(Exception):
    """Something plangate cannot read, parse or verify. Never a verdict: a pipeline exits 3 on it.

    Attributes (``None`` where they do not apply): ``code`` (``PLAN_INVALID``, ``CONFIG_INVALID``,
    ``REPORT_INVALID``), ``path`` (the file or label at fault), ``line`` and ``column`` (1-based),
    ``json_path``, ``key`` (a configuration key such as ``thresholds.critical_changes``),
    ``expected``, ``found``, and ``errors`` (every message, one per report that cannot be used).
    """

    code: str
    path: Optional[str]
    line: Optional[int]
    column: Optional[int]
    json_path: Optional[str]
    key: Optional[str]
    expected: Optional[str]
    found: Optional[str]
    errors: Sequence[str]

    def __init__(
        self,
        message: str,
        *,
        code: str = "PLANGATE_ERROR",
        path: Optional[str] = None,
        line: Optional[int] = None,
        column: Optional[int] = None,
        json_path: Optional[str] = None,
        key: Optional[str] = None,
        expected: Optional[str] = None,
        found: Optional[str] = None,
        errors: Sequence[str] = (),
    ) -> None:
        super().__init__(message)
        self.code = code
        self.path = path
        self.line = line
        self.column = column
        self.json_path = json_path
        self.key = key
        self.expected = expected
        self.found = found
        self.errors = tuple(errors) or (message,)


class PlanError(PlangateError):
    """The plan cannot be read or is not a valid plan."""


class ConfigError(PlangateError):
    """A configuration, suppressions file or resilience policy cannot be read or is invalid."""


class ReportError(PlangateError):
    """One or more scanner reports (or a baseline) cannot be used; ``errors`` lists them all."""


class InvalidArgument(PlangateError, ValueError):
    """A value given as an argument means nothing (``code`` ``INVALID_ARGUMENT``, ``key`` the argument):
    an unknown format or severity, a number out of range. Also a :class:`ValueError`."""


class CircuitOpenError(PlangateError):
    """The circuit breaker rejected the call: it is open. ``retry_in`` says when to try again."""

    retry_in: float

    def __init__(self, message: str, *, retry_in: float) -> None:
        super().__init__(message, code="CIRCUIT_OPEN")
        self.retry_in = retry_in
