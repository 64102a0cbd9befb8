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
          f"median ratio {ratio:.2f} (budget <= {budget:.2g}) {'OK' if ok else 'OVER BUDGET'}")
    return ok


def write_generated_deck(deck: Path, cards: int, files: int) -> None:
    """A deck of `cards` basic cards spread over `files` YAML files, planned for Day 0."""
    deck.mkdir(parents=True)
    (deck / "deck.yaml").write_text("id: big\ntitle: Generated deck\nplan:\n  - day: 0\n    goal: all\n    items: []\n")
    per_file = cards // files
    for f in range(files):
        lines = ["cards:"]
        for n in range(f * per_file, (f + 1) * per_file):
            lines += [f"  - id: card-{n}", "    type: basic", f"    title: Card {n}", f"    front: Question {n}?",
                      f"    back: Answer {n}.", "    tags: [generated]"]
        (deck / f"cards-{f:02d}.yaml").write_text("\n".join(lines) + "\n")
