#!/usr/bin/env python3
"""Run pytest with sensible defaults and print a compact summary."""
from __future__ import annotations

import shutil
import subprocess
import sys


def main(argv: list[str]) -> int:
    runner = ["uv", "run", "pytest"] if shutil.which("uv") else [sys.executable, "-m", "pytest"]
    cmd = [*runner, "-q", "--maxfail=5", "--durations=10", "-p", "no:cacheprovider", *argv]
    print("$", " ".join(cmd), flush=True)
    result = subprocess.run(cmd, check=False)
    if result.returncode == 5:
        print("pytest collected no tests: check testpaths in pyproject.toml")
    return result.returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
