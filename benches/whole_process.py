#!/usr/bin/env python3
"""Whole-process timings of plangate against the parse floor, interleaved, with the ratios the
performance goals are stated in (README, "Performance").

    python3 benches/whole_process.py PLAN.json [--rounds N] [--python PY] [--node]
                                     [--binary PLAN.tfplan --twin PLAN.json]

Each round runs every command once, one after the other, so that a slow moment of the machine
touches all of them alike; the report gives medians with min-max. Wall time is measured around
fork and wait; CPU time (user + system) and peak RSS come from the child's rusage.

- `floor`: `parse-floor PLAN.json` (read the file, parse it into `IgnoredAny`, nothing else).
- `cli`: `plangate check -f json PLAN.json -o /dev/null`.
- `python` (with `--python`): `plangate.check_plan(PLAN)` in that interpreter, and the interpreter
  importing plangate alone (its baseline memory).
- `node` (with `--node`): the addon's `checkPlan(PLAN)` through `bindings-node/index.js` (the
  release addon of `--node-addon`, by default the Action's), and Node requiring it alone.
- `binary` / `twin` (with `--binary`): the binary plan read natively and its `terraform show -json`
  twin, both by the CLI.

Build first: `cargo build --release -p plangate-cli -p plangate-benches`.
"""

import argparse
import atexit
import os
import shutil
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RELEASE = os.path.join(ROOT, "target", "release")


def run(argv):
    """(wall seconds, CPU seconds, peak RSS in bytes) of one run of `argv`; exits on failure."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        try:
            os.execv(argv[0], argv)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    os.close(devnull)
    code = os.waitstatus_to_exitcode(status)
    # plangate exits 1 or 2 on findings: only 3 and above (and signals) are failures.
    if code < 0 or code >= 3:
        sys.exit(f"{' '.join(argv)} failed with exit code {code}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024


def node_package(addon):
    """A directory holding bindings-node/index.js beside `addon`: the addon built in bindings-node/ by
    its tests is a debug build, the Action's (action/dist/) a release build."""
    if not os.path.isfile(addon):
        sys.exit(f"--node-addon: {addon} does not exist; build it with scripts/build-action")
    directory = tempfile.mkdtemp(prefix="plangate-node-")
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    shutil.copy(os.path.join(ROOT, "bindings-node", "index.js"), directory)
    os.symlink(addon, os.path.join(directory, "plangate.linux-x64-gnu.node"))
    return os.path.join(directory, "index.js")


def commands(args):
    plan = os.path.abspath(args.plan)
    cli = os.path.join(RELEASE, "plangate")
    found = {
        "floor": [os.path.join(RELEASE, "parse-floor"), plan],
        "cli": [cli, "check", "-f", "json", plan, "-o", os.devnull],
    }
    if args.python:
        found["python"] = [args.python, "-c", "import plangate, sys; plangate.check_plan(sys.argv[1])", plan]
        found["python-import"] = [args.python, "-c", "import plangate"]
    if args.node:
        index = node_package(os.path.abspath(args.node_addon))
        node = args.node_binary
        found["node"] = [node, "-e", f"require({index!r}).checkPlan(process.argv[1])", plan]
        found["node-require"] = [node, "-e", f"require({index!r})"]
    if args.binary:
        if not args.twin:
            sys.exit("--binary needs --twin, the plan's `terraform show -json` output")
        found["binary"] = [cli, "check", "--plan-reader", "native", "-f", "json", os.path.abspath(args.binary), "-o", os.devnull]
        found["twin"] = [cli, "check", "-f", "json", os.path.abspath(args.twin), "-o", os.devnull]
    for name, argv in found.items():
        if not os.access(argv[0], os.X_OK):
            sys.exit(f"{name}: {argv[0]} is not an executable; build first (see --help)")
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("plan")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--python", help="a Python interpreter with plangate installed")
    parser.add_argument("--node", action="store_true", help="time the Node addon too")
    parser.add_argument("--node-binary", default=shutil.which("node") or "node")
    parser.add_argument(
        "--node-addon",
        default=os.path.join(ROOT, "action", "dist", "plangate.linux-x64-gnu.node"),
        help="a release build of the addon (default: the Action's)",
    )
    parser.add_argument("--binary", help="a binary plan file, read natively")
    parser.add_argument("--twin", help="the binary plan's `terraform show -json` output")
    args = parser.parse_args()
    found = commands(args)

    size = os.path.getsize(args.plan)
    for _ in range(args.warmup):
        for argv in found.values():
            run(argv)
    samples = {name: [] for name in found}
    for _ in range(args.rounds):
        for name, argv in found.items():
            samples[name].append(run(argv))

    def median(name, i):
        return statistics.median(s[i] for s in samples[name])

    print(f"{args.plan}: {size / 1e6:.1f} MB, {args.rounds} interleaved rounds, medians (min-max)")
    for name, runs in samples.items():
        walls = [r[0] for r in runs]
        cpus = [r[1] for r in runs]
        rss = [r[2] for r in runs]
        print(
            f"  {name:14} wall {statistics.median(walls):.3f} s ({min(walls):.3f}-{max(walls):.3f})"
            f"  cpu {statistics.median(cpus):.3f} s ({min(cpus):.3f}-{max(cpus):.3f})"
            f"  peak RSS {statistics.median(rss) / 2**20:.1f} MiB ({min(rss) / 2**20:.1f}-{max(rss) / 2**20:.1f})"
        )

    def ratio(label, value, goal):
        print(f"  {label:44} {value:5.2f}x  (goal <= {goal}x){'' if value <= goal else '  MISSED'}")

    print("ratios")
    ratio("cli wall / floor wall", median("cli", 0) / median("floor", 0), 0.8)
    ratio("cli cpu / floor cpu", median("cli", 1) / median("floor", 1), 1.5)
    ratio("cli peak RSS / file size", median("cli", 2) / size, 1.05)
    for host, baseline in (("python", "python-import"), ("node", "node-require")):
        if host in samples:
            # The interpreter's own start is not the call's: the call is the run less the baseline.
            call = median(host, 0) - median(baseline, 0)
            ratio(f"{host} call (run less its baseline) / cli wall", call / median("cli", 0), 1.05)
            extra = median(host, 2) - median(baseline, 2)
            ratio(f"{host} peak RSS less its baseline / file size", extra / size, 1.05)
    if "binary" in samples:
        ratio("binary plan wall / its JSON twin's wall", median("binary", 0) / median("twin", 0), 1.0)


if __name__ == "__main__":
    main()
