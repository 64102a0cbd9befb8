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


def write_generated_history(db: Path, cards: int, reviews: int, today: int, seed: int = 7) -> None:
    """`reviews` ladder reviews spread over the 200 days before `today` (an ordinal) on the
    `write_generated_deck` cards, and each card's state (due from 5 days ago to 60 days on),
    written straight into the store `db` (made by a first `tutor due`), as years of use would."""
    import json
    import random
    import sqlite3
    from datetime import date

    rng = random.Random(seed)
    con = sqlite3.connect(db)

    def logged():
        for n in range(reviews):
            day = today - 200 + n * 200 // reviews
            yield (f"card-{n % cards}", "card", "big", f"{date.fromordinal(day).isoformat()}T12:00:00.000+00:00", day,
                   rng.choice((1, 2, 3, 3, 3, 4)), 5000, "ladder", "{}")

    con.executemany("INSERT INTO reviews (item_id, kind, deck, reviewed_at, day, rating, duration_ms, scheduler,"
                    " detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", logged())
    states = []
    for item in range(cards):
        due = today + rng.randint(-5, 60)
        state = {"scheduler": "ladder", "due": date.fromordinal(due).isoformat(), "reps": 10, "lapses": 0,
                 "first_day": date.fromordinal(today - 200).isoformat(),
                 "last_day": date.fromordinal(today).isoformat(),
                 "data": {"rung": 4, "graduated": True, "interval": 14}}
        states.append((f"card-{item}", "big", "card", "ladder", due, today - 200, 10, 0, json.dumps(state), today))
    con.executemany("INSERT OR REPLACE INTO item_state (item_id, deck, kind, scheduler, due_day, first_day, reps, "
                    "lapses, state, last_day) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", states)
    con.commit()
    con.execute("ANALYZE")
    con.close()
