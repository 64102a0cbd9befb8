"""Helpers for benchmarks: best-of-N wall time of a command in a fresh process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def best_of(cmd: list[str], runs: int = 7, env: dict[str, str] | None = None, cwd: Path | None = None) -> float:
    """The fastest of `runs` cold runs, in seconds (the least disturbed by the machine)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env or os.environ.copy(), cwd=cwd)
        times.append(time.perf_counter() - start)
    return min(times)


def report(name: str, seconds: float, floor_name: str, floor: float, budget: float) -> bool:
    ratio = seconds / floor
    ok = ratio <= budget
    print(f"{name}: {seconds * 1000:.1f} ms; {floor_name}: {floor * 1000:.1f} ms; "
          f"ratio {ratio:.2f} (budget <= {budget}) {'OK' if ok else 'OVER BUDGET'}")
    return ok
