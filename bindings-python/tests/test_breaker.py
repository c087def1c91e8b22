"""The circuit breaker as a context manager and a decorator, with an injected clock, and its state
file shared with `plangate breaker`; health-check escalation and traffic shifting."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import plangate
from conftest import run_cli


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def fail(breaker: plangate.CircuitBreaker) -> None:
    with pytest.raises(RuntimeError):
        with breaker:
            raise RuntimeError("down")


def test_opens_after_the_threshold_and_recovers_through_one_probe() -> None:
    clock = Clock()
    breaker = plangate.CircuitBreaker(failure_threshold=3, reset_timeout=300, clock=clock)
    for _ in range(3):
        fail(breaker)
    assert breaker.state == "open"
    with pytest.raises(plangate.CircuitOpenError) as caught:
        with breaker:
            pass
    assert caught.value.retry_in == 300.0
    clock.now += 301
    assert breaker.request() == "probe"
    with pytest.raises(plangate.CircuitOpenError):
        breaker.request()
    breaker.record(True)
    assert breaker.state == "closed" and repr(breaker) == "<CircuitBreaker closed>"


def test_as_a_decorator_sync_and_async() -> None:
    breaker = plangate.CircuitBreaker(failure_threshold=1, clock=Clock())

    @breaker
    def ok() -> str:
        return "ok"

    @breaker
    async def broken() -> None:
        raise RuntimeError("down")

    assert ok() == "ok"
    with pytest.raises(RuntimeError):
        asyncio.run(broken())
    with pytest.raises(plangate.CircuitOpenError):
        ok()


def test_the_state_file_is_shared_with_the_cli(tmp_path: Path) -> None:
    state = tmp_path / "breaker.json"
    breaker = plangate.CircuitBreaker(failure_threshold=3, state_file=state, clock=Clock())
    for _ in range(2):
        fail(breaker)
    out = run_cli("breaker", "record", "--state", str(state), "--outcome", "failure", "--now", "1000")
    assert out.returncode == 0, out.stderr
    assert breaker.state == "open", "the CLI's third failure opened the Python breaker's state"
    assert json.loads(state.read_text())["state"]["state"] == "open"
    assert run_cli("breaker", "status", "--state", str(state)).returncode == 1


def test_concurrent_records_lose_no_outcome(tmp_path: Path) -> None:
    state = tmp_path / "shared.json"
    breaker = plangate.CircuitBreaker(failure_threshold=1000, state_file=state, clock=Clock())
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda _: breaker.record(False), range(200)))
    recorded = json.loads(state.read_text())
    assert recorded["state"] == {"state": "closed", "consecutive_failures": 200}


def test_health_check_escalation() -> None:
    health = plangate.HealthCheck()
    steps = [health.record(False) for _ in range(30)]
    fired = [(i + 1, s["escalate"]) for i, s in enumerate(steps) if s.get("escalate")]
    assert fired == [(10, ["restart services"]), (20, ["scale up"])]
    assert steps[-1] == {"next": "gave_up", "checks": 30}
    assert plangate.HealthCheck(retries=2).record(True) == {"next": "healthy"}


def test_traffic_shifting() -> None:
    shift = plangate.TrafficShift([0, 25, 50, 100], hold=60, error_threshold=0.05)
    assert shift.decide(1, 0.01, 30) == {"action": "hold", "for_seconds": 30.0}
    assert shift.decide(1, 0.05, 60) == {"action": "promote", "to": 50}
    assert shift.decide(2, 0.051, 60) == {"action": "roll_back", "to": 0}
    assert shift.decide(3, 0.0, 0) == {"action": "done"}
    assert plangate.TrafficShift.preset("Linear25PercentEvery5Minutes", 0.05).steps == [0, 25, 50, 75, 100]
    with pytest.raises(plangate.InvalidArgument):
        plangate.TrafficShift.preset("Whenever", 0.05)


def test_a_cancelled_or_interrupted_call_is_no_failure() -> None:
    clock = Clock()
    breaker = plangate.CircuitBreaker(failure_threshold=1, clock=clock)

    @breaker
    async def cancelled() -> None:
        raise asyncio.CancelledError()

    with pytest.raises(asyncio.CancelledError):
        asyncio.run(cancelled())
    with pytest.raises(KeyboardInterrupt):
        with breaker:
            raise KeyboardInterrupt()
    assert breaker.state == "closed", "one real failure would have opened it"
    fail(breaker)
    assert breaker.state == "open"


def test_links_planted_beside_the_state_file_are_not_followed(tmp_path: Path) -> None:
    import os

    victim = tmp_path / "victim"
    victim.write_text("keep")
    state = tmp_path / "state.json"
    (tmp_path / f"state.json.{os.getpid()}.tmp").symlink_to(victim)
    (tmp_path / "other.json.lock").symlink_to(tmp_path / "nowhere")
    breaker = plangate.CircuitBreaker(failure_threshold=3, state_file=state)
    fail(breaker)
    assert victim.read_text() == "keep" and state.is_file() and not state.is_symlink()
    with pytest.raises(plangate.ConfigError):
        plangate.CircuitBreaker(state_file=tmp_path / "other.json").state
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize("step, error_rate, held_for", [(2**64 - 1, 0.0, 600.0), (5, 0.0, 600.0), (1, -0.5, 600.0), (1, float("nan"), 600.0), (1, 0.0, float("nan"))])
def test_a_traffic_decision_on_numbers_that_mean_nothing_is_an_error(step: int, error_rate: float, held_for: float) -> None:
    # Before: step 2**64-1 promoted "to 0"; NaN held_for and a negative error rate promoted.
    shift = plangate.TrafficShift([0, 25, 50, 75, 100], hold=60, error_threshold=0.05)
    with pytest.raises(plangate.PlangateError):
        shift.decide(step, error_rate, held_for)
