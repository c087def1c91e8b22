"""Benchmark of the Python package (never a timed test): check_plan on a big plan from a path, from
bytes and from a dict, and two plans in two threads against one. Prints medians.

    python3 ../shared/tools/bigplan.py /tmp/big.json 286 fixtures/plans/*.plan.json
    target/test-venv/bin/python bindings-python/bench/bench.py /tmp/big.json [/tmp/big2.json]
"""

from __future__ import annotations

import json
import statistics
import sys
import threading
import time
from typing import Callable

import plangate


def median_ms(run: Callable[[], object], repeat: int) -> float:
    run()  # warm the page cache and the allocator
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    path = sys.argv[1]
    second = sys.argv[2] if len(sys.argv) > 2 else path
    repeat = 15
    data = open(path, "rb").read()
    loaded = json.loads(data)
    print(f"check_plan(path):  {median_ms(lambda: plangate.check_plan(path), repeat):7.1f} ms")
    print(f"check_plan(bytes): {median_ms(lambda: plangate.check_plan(data), repeat):7.1f} ms")
    print(f"check_plan(dict):  {median_ms(lambda: plangate.check_plan(loaded), 5):7.1f} ms (json.dumps included)")
    print(f"json.dumps(dict):  {median_ms(lambda: json.dumps(loaded), 5):7.1f} ms")

    def two_threads() -> None:
        threads = [threading.Thread(target=plangate.check_plan, args=(p,)) for p in (path, second)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    def two_in_a_row() -> None:
        plangate.check_plan(path)
        plangate.check_plan(second)

    one = median_ms(lambda: plangate.check_plan(path), repeat)
    print(f"one plan:          {one:7.1f} ms")
    print(f"two, one after the other: {median_ms(two_in_a_row, repeat):7.1f} ms")
    both = median_ms(two_threads, repeat)
    print(f"two in two threads:       {both:7.1f} ms ({both / one:.2f}x one)")


if __name__ == "__main__":
    main()
