"""Helpers for benchmarks: cold-process wall times, interleaved so machine load hits both sides."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def precompile() -> None:
    """Write tutor's bytecode, as `pip install` does for a real install.

    Without it (an editable install under PYTHONDONTWRITEBYTECODE, as on our machines) every
    cold run recompiles the package from source, while the floors' stdlib is precompiled.
    """
    import compileall

    compileall.compile_dir(str(REPO / "tutor"), quiet=1)


def wall(cmd: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env or os.environ.copy())
    return time.perf_counter() - start


def compare(cmd: list[str], floor_cmd: list[str], rounds: int = 11,
            env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """(best time, best floor time, median of per-round ratios), running the two alternately."""
    times, floors, ratios = [], [], []
    for _ in range(rounds):
        t, f = wall(cmd, env), wall(floor_cmd, env)
        times.append(t)
        floors.append(f)
        ratios.append(t / f)
    return min(times), min(floors), statistics.median(ratios)


def report(name: str, seconds: float, floor_name: str, floor: float, ratio: float, budget: float) -> bool:
    ok = ratio <= budget
    print(f"{name}: {seconds * 1000:.1f} ms; {floor_name}: {floor * 1000:.1f} ms; "
          f"median ratio {ratio:.2f} (budget <= {budget}) {'OK' if ok else 'OVER BUDGET'}")
    return ok
