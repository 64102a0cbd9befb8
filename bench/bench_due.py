"""`tutor due` speed (ARCHITECTURE.md, Speed budgets).

1. Cold `tutor due --json` on the shipped deck vs `python -c "import yaml, sqlite3"` (<= 2.0x).
2. `tutor due` over a generated store of 100,000 items and 1,000,000 reviews vs a bare SQLite
   query over the same tables (<= 3x and <= 0.5 s). The first run after generating refreshes
   the content catalog (parses the 100,000 YAML cards once); it is reported separately.

Run: .venv/bin/python bench/bench_due.py [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PYTHON, compare, precompile, report, write_generated_deck, write_generated_history

ITEMS, REVIEWS, FILES = 100_000, 1_000_000, 20
TODAY = date(2026, 6, 1)


def make_content(root: Path) -> None:
    write_generated_deck(root / "big", ITEMS, FILES)


def make_store(home: Path, content: Path) -> None:
    env = {**os.environ, "TUTOR_HOME": str(home), "TUTOR_NOW": f"{TODAY.isoformat()}T12:00:00"}
    start = time.perf_counter()
    subprocess.run([PYTHON, "-m", "tutor", "due", "--content", str(content)], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    print(f"first run (creates the store and catalogs {ITEMS:,} cards): {time.perf_counter() - start:.2f} s")
    write_generated_history(home / "tutor.db", ITEMS, REVIEWS, TODAY.toordinal())


BARE_QUERY = """
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
today = int(sys.argv[2])
rows = con.execute("SELECT s.item_id, c.kind, s.due_day FROM item_state s JOIN catalog_items c ON c.id = s.item_id "
                   "WHERE s.due_day <= ? ORDER BY s.due_day, c.position", (today,)).fetchall()
print(len(rows))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="reuse/keep the generated data in this dir")
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    ok = True
    precompile()

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "TUTOR_HOME": str(Path(tmp) / "small"), "TUTOR_NOW": "2026-06-01T12:00:00"}
        subprocess.run([PYTHON, "-m", "tutor", "due", "--json"], check=True, env=env, stdout=subprocess.DEVNULL)
        tutor, floor, ratio = compare([PYTHON, "-m", "tutor", "due", "--json"],
                                      [PYTHON, "-c", "import yaml, sqlite3"], args.runs, env)
        ok &= report("tutor due --json (shipped deck, cold process)", tutor, "import yaml, sqlite3", floor,
                     ratio, 2.0)

    root = args.keep or Path(tempfile.mkdtemp())
    home, content = root / "home", root / "content"
    if not (home / "tutor.db").exists():
        make_content(content)
        start = time.perf_counter()
        make_store(home, content)
        print(f"generated {ITEMS:,} items and {REVIEWS:,} reviews in {time.perf_counter() - start:.1f} s")
    env = {**os.environ, "TUTOR_HOME": str(home), "TUTOR_NOW": f"{TODAY.isoformat()}T12:00:00"}
    cmd = [PYTHON, "-m", "tutor", "due", "--json", "--content", str(content)]
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
    tutor, bare, ratio = compare(cmd, [PYTHON, "-c", BARE_QUERY, str(home / "tutor.db"), str(TODAY.toordinal())],
                                 args.runs, env)
    ok &= report(f"tutor due --json ({ITEMS:,} items, {REVIEWS:,} reviews)", tutor, "bare SQLite query", bare,
                 ratio, 3.0)
    print(f"absolute: {tutor:.3f} s (budget <= 0.5 s) {'OK' if tutor <= 0.5 else 'OVER BUDGET'}")
    ok &= tutor <= 0.5
    if not args.keep:
        import shutil

        shutil.rmtree(root, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
