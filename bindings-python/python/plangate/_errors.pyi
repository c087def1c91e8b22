from typing import Optional, Sequence

class PlangateError(Exception):
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
    ) -> None: ...

class PlanError(PlangateError): ...
class ConfigError(PlangateError): ...
class ReportError(PlangateError): ...

class CircuitOpenError(PlangateError):
    retry_in: float
    def __init__(self, message: str, *, retry_in: float) -> None: ...
