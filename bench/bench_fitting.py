"""`tutor optimize` and `tutor simulate` on 100,000 reviews (ARCHITECTURE.md, Speed budgets: <= 5 s each).

The reviews come from the synthetic learner of the tests (memory following FSRS with known
parameters, tests/fsrs_learner.py), written to a fresh home through `tutor import`. Each command
runs as a cold process; the floor is a bare read of the same reviews with sqlite3, the input
both commands start from.

Run: .venv/bin/python bench/bench_fitting.py [--keep DIR] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from common import PYTHON, compare, precompile, report

REVIEWS = 100_000
BUDGET_S = 5.0
NOW = "2026-06-01T12:00:00"

BARE_READ = """
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
rows = con.execute("SELECT item_id, day, rating, duration_ms FROM reviews ORDER BY item_id, id").fetchall()
print(len(rows))
"""


def cpu_seconds(cmd: list[str], env: dict[str, str]) -> float:
    """User + system CPU time of one run: what the command costs when the machine is not shared."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def make_home(home: Path) -> None:
    from tests.fsrs_learner import backup_of, learner_reviews

    start = time.perf_counter()
    backup = home.parent / "learner.json"
    backup.write_text(json.dumps(backup_of(learner_reviews(REVIEWS, seed=7, new_per_day=60))))
    env = {**os.environ, "TUTOR_HOME": str(home), "TUTOR_NOW": NOW}
    subprocess.run([PYTHON, "-m", "tutor", "--scheduler", "fsrs", "import", str(backup)], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    print(f"generated and imported {REVIEWS:,} reviews in {time.perf_counter() - start:.1f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="reuse/keep the generated home in this dir")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    precompile()
    root = args.keep or Path(tempfile.mkdtemp())
    home = root / "home"
    if not (home / "tutor.db").exists():
        home.mkdir(parents=True, exist_ok=True)
        make_home(home)
    env = {**os.environ, "TUTOR_HOME": str(home), "TUTOR_NOW": NOW}
    floor = [PYTHON, "-c", BARE_READ, str(home / "tutor.db")]
    ok = True
    for name, command in (("optimize", ["optimize", "--json"]), ("simulate", ["simulate", "--json"])):
        cmd = [PYTHON, "-m", "tutor", "--scheduler", "fsrs", *command]
        out = subprocess.run(cmd, check=True, env=env, capture_output=True, text=True).stdout
        summary = json.loads(out)
        rows = summary.get("rows", [])
        print(f"tutor {name}: " + (summary.get("message") if name == "optimize" else
                                   ", ".join(f"{r['retention']:.0%} {r['minutes_per_day']} min" for r in rows)))
        seconds, bare, ratio = compare(cmd, floor, args.runs, env)
        report(f"tutor {name} --json ({REVIEWS:,} reviews, cold process)", seconds, "bare sqlite3 read", bare,
               ratio, float("inf"))
        cpu = min(cpu_seconds(cmd, env) for _ in range(args.runs))
        print(f"absolute: {seconds:.2f} s wall, {cpu:.2f} s CPU (budget <= {BUDGET_S} s) "
              f"{'OK' if seconds <= BUDGET_S else 'OVER BUDGET'}; load average {os.getloadavg()[0]:.1f} "
              f"on {os.cpu_count()} cores")
        ok &= seconds <= BUDGET_S
    if not args.keep:
        import shutil

        shutil.rmtree(root, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
