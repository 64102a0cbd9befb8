"""`tutor content validate` speed on 10,000 generated cards (ARCHITECTURE.md, Speed budgets).

Budget: <= 1 s. Reported against the floor `python -c "import yaml, sqlite3"` in the same
run: the first run (an empty cache: parse, check, run the engines' checks), a repeat run
(nothing changed: the last result is reused, `tutor.study.validation_cache`), and a run after
an edit of the folder, as an author validates again (the folder is checked again; the ids of
the decks on the content path it is compared against are kept), for this deck and for a
folder of 20 cards.

Run: .venv/bin/python bench/bench_validate.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PYTHON, compare, precompile, report, wall, write_generated_deck

CARDS, FILES = 10_000, 10
FLOOR = [PYTHON, "-c", "import yaml, sqlite3"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    precompile()
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        deck = Path(tmp) / "big"
        write_generated_deck(deck, CARDS, FILES)
        cmd = [PYTHON, "-m", "tutor", "content", "validate", str(deck)]
        firsts, floors = [], []
        for n in range(args.runs):  # each first run gets an empty cache
            home = Path(tmp) / f"first-{n}"
            env = {**os.environ, "TUTOR_HOME": str(home)}
            firsts.append(wall(cmd, env))
            floors.append(wall(FLOOR, env))
            shutil.rmtree(home)
        first, floor = min(firsts), min(floors)
        ratio = statistics.median(t / f for t, f in zip(firsts, floors))
        report(f"first validate ({CARDS:,} cards, empty cache)", first, "import yaml, sqlite3", floor, ratio,
               1.0 / floor)
        print(f"  absolute: {first:.2f} s (budget <= 1 s) {'OK' if first <= 1.0 else 'OVER BUDGET'}")
        ok &= first <= 1.0
        env = {**os.environ, "TUTOR_HOME": str(Path(tmp) / "repeat")}
        wall(cmd, env)
        repeat, floor, ratio = compare(cmd, FLOOR, args.runs * 2, env)
        report(f"repeat validate ({CARDS:,} cards, unchanged)", repeat, "import yaml, sqlite3", floor, ratio,
               1.0 / floor)
        print(f"  absolute: {repeat:.2f} s (budget <= 1 s) {'OK' if repeat <= 1.0 else 'OVER BUDGET'}")
        ok &= repeat <= 1.0
        small = Path(tmp) / "small"
        write_generated_deck(small, 20, 1)
        for folder, cards in ((deck, CARDS), (small, 20)):
            edited, floor, ratio = after_edits(folder, Path(tmp) / f"edited-{cards}", args.runs * 2)
            report(f"validate after an edit ({cards:,} cards)", edited, "import yaml, sqlite3", floor, ratio,
                   1.0 / floor)
    return 0 if ok else 1


def after_edits(folder: Path, home: Path, rounds: int) -> tuple[float, float, float]:
    """(best time, best floor, median ratio) of validating `folder` after each of `rounds`
    edits of one of its files (a comment added), in one home."""
    env = {**os.environ, "TUTOR_HOME": str(home)}
    cmd = [PYTHON, "-m", "tutor", "content", "validate", str(folder)]
    edited = next(folder.glob("cards-*.yaml"))
    times, floors = [], []
    wall(cmd, env)
    for n in range(rounds):
        edited.write_text(edited.read_text() + f"# edit {n}\n")
        times.append(wall(cmd, env))
        floors.append(wall(FLOOR, env))
    return min(times), min(floors), statistics.median(t / f for t, f in zip(times, floors))


if __name__ == "__main__":
    sys.exit(main())
