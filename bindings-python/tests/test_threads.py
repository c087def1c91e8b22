"""Analyses release the GIL, and results are safe to share between threads."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import plangate
from conftest import plan

NAMES = ["audit-system-prod", "critical-deletions", "security-groups", "iam", "database", "network", "kms", "modules"]


def test_many_threads_get_the_same_reports_as_one() -> None:
    expected = {name: plangate.check_plan(plan(name)).to_json() for name in NAMES}
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda name: (name, plangate.check_plan(plan(name)).to_json()), NAMES * 4))
    assert all(expected[name] == json for name, json in got)


def test_a_shared_report_is_read_from_many_threads() -> None:
    report = plangate.check_plan(plan("security-groups"))
    with ThreadPoolExecutor(8) as pool:
        seen = list(pool.map(lambda _: tuple(f.rule for f in report.findings), range(64)))
    assert len(set(seen)) == 1


def test_the_gil_is_released_while_a_plan_is_read(tmp_path: Path) -> None:
    # The analysis reads its plan from a FIFO that only this thread writes: were the GIL held
    # while the engine reads, this thread could never write and the analysis would never finish.
    fifo = tmp_path / "plan.fifo"
    os.mkfifo(fifo)
    result: list[plangate.Report] = []
    reader = threading.Thread(target=lambda: result.append(plangate.check_plan(fifo)), daemon=True)
    reader.start()
    with open(fifo, "wb") as pipe:
        pipe.write(plan("kms").read_bytes())
    reader.join(timeout=60)
    assert result and result[0].exit_code == 1


def test_ctrl_c_stops_a_check_waiting_on_a_fifo(tmp_path: Path) -> None:
    # Before: a FIFO nothing writes to blocked check_plan in open(), deaf to Ctrl-C.
    import signal
    import time

    import pytest

    fifo = tmp_path / "plan.json"
    os.mkfifo(fifo)
    # A shell starting the tests as a background job (`cmd &`) makes them ignore SIGINT, and then
    # Python installs no handler: the signal would be lost and the wait below never end. Ctrl-C's
    # own handler is put in place for this test.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    timer = threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT))
    started = time.monotonic()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            plangate.check_plan(fifo)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert time.monotonic() - started < 10
