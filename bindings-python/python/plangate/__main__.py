"""``python -m plangate`` and the ``plangate`` console script: the very same command line as the
Rust binary (the same arguments, output and exit codes), run by the engine itself."""

from __future__ import annotations

import sys

from plangate import _native


def main() -> None:
    """Runs the ``plangate`` command line with ``sys.argv`` and exits with its code."""
    # Rust writes straight to the process's stdout and stderr: flush what Python buffered first.
    sys.stdout.flush()
    sys.stderr.flush()
    sys.exit(_native.cli_main(["plangate", *sys.argv[1:]]))


if __name__ == "__main__":
    main()
