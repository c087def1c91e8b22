"""The retry policy and the @retry decorator, sync and async, over the engine's retry driver."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import List

import pytest

import plangate

POLICY = plangate.RetryPolicy(max_attempts=4, initial_delay=1, max_delay=3, jitter="none", retry_on=["Error: timeout", "regex:rate limit (exceeded|reached)"])


def test_delays_follow_the_schedule_and_are_lazy() -> None:
    assert list(POLICY.delays()) == [1.0, 2.0, 3.0]
    huge = plangate.RetryPolicy(max_attempts=4_000_000_000, initial_delay=1, max_delay=60, jitter="decorrelated")
    first = [d for _, d in zip(range(1000), huge.delays(seed=7))]
    assert len(first) == 1000 and all(0 <= d <= 60 for d in first)
    assert list(plangate.RetryPolicy(jitter="full").delays(seed=3)) == list(plangate.RetryPolicy(jitter="full").delays(seed=3))


def test_classify() -> None:
    assert POLICY.classify("│ Error: timeout while waiting") == {"class": "timeout", "matched": "Error: timeout", "retryable": True}
    assert POLICY.classify("api: rate limit exceeded")["class"] == "throttling"
    assert POLICY.classify("Error: invalid value")["retryable"] is False


def test_from_the_configuration_file(tmp_path: Path) -> None:
    config = tmp_path / "gate.yaml"
    config.write_text(
        "resilience:\n  retry_strategy: {max_attempts: 3, initial_delay: 10, max_delay: 60, jitter: false}\n"
        "  steps: [{name: terraform-apply, retry_on: ['Error: timeout']}]\n"
    )
    policy = plangate.RetryPolicy.from_config(config, "terraform-apply")
    assert (policy.name, policy.max_attempts, list(policy.delays())) == ("terraform-apply", 3, [10.0, 20.0])
    with pytest.raises(plangate.ConfigError) as caught:
        plangate.RetryPolicy.from_config(config, "deploy")
    assert "terraform-apply" in str(caught.value)


def test_a_sync_function_is_retried_until_it_succeeds() -> None:
    slept: List[float] = []
    events: List[plangate.RetryEvent] = []
    calls = []

    @plangate.retry(POLICY, sleep=slept.append, on_retry=events.append)
    def apply(target: str) -> str:
        calls.append(target)
        if len(calls) < 3:
            raise RuntimeError("Error: timeout while waiting for state")
        return f"applied {target}"

    assert apply("prod") == "applied prod"
    assert slept == [1.0, 2.0]
    assert [(e.attempt, e.delay, str(e.error)) for e in events] == [
        (1, 1.0, "Error: timeout while waiting for state"),
        (2, 2.0, "Error: timeout while waiting for state"),
    ]
    assert apply.__name__ == "apply"


def test_a_permanent_failure_is_raised_at_once_and_exhaustion_raises_the_last() -> None:
    slept: List[float] = []

    @plangate.retry(POLICY, sleep=slept.append)
    def invalid() -> None:
        raise ValueError("Error: invalid value for variable")

    with pytest.raises(ValueError):
        invalid()
    assert slept == []
    attempts = []

    @plangate.retry(POLICY, sleep=slept.append)
    def always_times_out() -> None:
        attempts.append(1)
        raise TimeoutError(f"Error: timeout #{len(attempts)}")

    with pytest.raises(TimeoutError, match="#4"):
        always_times_out()
    assert len(attempts) == 4 and slept == [1.0, 2.0, 3.0]


def test_an_exceptions_tuple_makes_a_failure_retryable() -> None:
    calls = []

    @plangate.retry(plangate.RetryPolicy(max_attempts=2, initial_delay=0, jitter="none"), exceptions=(ConnectionError,), sleep=lambda _: None)
    def connect() -> int:
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionResetError("peer reset")
        return len(calls)

    assert connect() == 2


def test_an_async_function_is_retried_with_an_awaitable_sleep() -> None:
    slept: List[float] = []

    async def fake_sleep(delay: float) -> None:
        slept.append(delay)

    calls = []

    @plangate.retry(POLICY, sleep=fake_sleep)
    async def fetch() -> str:
        calls.append(1)
        await asyncio.sleep(0)
        if len(calls) < 2:
            raise RuntimeError("rate limit exceeded")
        return "ok"

    assert asyncio.run(fetch()) == "ok" and slept == [1.0]

    @plangate.retry(plangate.RetryPolicy(max_attempts=3, initial_delay=0.001, jitter="none", retry_on=["boom"]))
    async def always() -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        asyncio.run(always())


class Unprintable(Exception):
    def __str__(self) -> str:
        raise RuntimeError("__str__ fails")


@pytest.mark.parametrize(
    "error",
    [RuntimeError("Error: timeout \ud800 in a lone surrogate"), Unprintable(), ValueError("x" * 100_000)],
    ids=["lone-surrogate", "failing-str", "long"],
)
def test_the_callers_exception_is_what_is_raised_whatever_its_text(error: Exception) -> None:
    # Before: UnicodeEncodeError, or what __str__ raised, replaced the caller's exception.
    policy = plangate.RetryPolicy(max_attempts=2, initial_delay=0, jitter="none", retry_on=["Error: timeout"])
    calls: List[int] = []

    @plangate.retry(policy, sleep=lambda _: None)
    def failing() -> None:
        calls.append(1)
        raise error

    with pytest.raises(type(error)) as caught:
        failing()
    assert caught.value is error
    retried = isinstance(error, RuntimeError)
    assert len(calls) == (2 if retried else 1)


def test_absurd_numbers_are_refused_when_the_policy_is_made() -> None:
    # Before: initial_delay=1e300 was accepted, and time.sleep raised OverflowError in place of the
    # failure being retried.
    for settings in ({"initial_delay": 1e300}, {"max_delay": 1e9}, {"max_total_delay": float("inf")}, {"initial_delay": -1}):
        with pytest.raises(plangate.InvalidArgument) as caught:
            plangate.RetryPolicy(**settings)  # type: ignore[arg-type]
        assert "a day" in str(caught.value)
