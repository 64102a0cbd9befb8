"""`tutor answer` against its budgets (cold processes, interleaved with the floor; a report, not a test).

1. A number card (`hp-default-lr '1 × 10⁻³'`) and a text card (`adam-name`) vs the `due`
   floor `python -c "import yaml, sqlite3"` (<= 2.0x: neither may import SymPy).
2. A formula card (`adam-bias-corrected-first-moment 'm/(1-beta1**t)'`) vs
   `python -c "import sympy"` (<= 2.5x: one SymPy import plus a forked check).

The home is new; one `tutor due` first fills its content catalog, as any first command does,
so the runs measure what a learner's answers cost (a number or text card is then checked
against the catalog's answer key: no YAML).

Run: .venv/bin/python bench/bench_answer.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile

from common import PYTHON, compare, precompile, report, wall

CASES = [
    ("tutor answer hp-default-lr '1 × 10⁻³' (number)", ["hp-default-lr", "1 × 10⁻³"], "import yaml, sqlite3", 2.0),
    ("tutor answer adam-name (text)", ["adam-name", "adaptive moment estimation"], "import yaml, sqlite3", 2.0),
    ("tutor answer adam-bias-corrected-first-moment (formula)",
     ["adam-bias-corrected-first-moment", "m/(1-beta1**t)"], "import sympy", 2.5),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    precompile()
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "TUTOR_HOME": tmp}
        wall([PYTHON, "-m", "tutor", "due"], env)
        for name, argv, floor_code, budget in CASES:
            seconds, floor, ratio = compare([PYTHON, "-m", "tutor", "answer", *argv], [PYTHON, "-c", floor_code],
                                            args.runs, env)
            ok &= report(name, seconds, floor_code, floor, ratio, budget)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
