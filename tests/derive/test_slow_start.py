"""A cold check's start-up is not the learner's time: a line that took 5 s on a loaded machine
was the child filling SymPy's caches and building the derivation's own values before the first
line, all counted against that line's limit (`tutor.derive.worker._collect`)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import subprocess_env

# The command line's path (a fork of this single-threaded process), with the child's start-up
# made 2 s slower than the 1 s limit per line.
COLD_CHECK = """
import json, sys, time
import tutor.derive.worker as worker
from tutor.content import bundled_content_dir
from tutor.content.library import load_item
from tutor.derive import check_derivation

units_skipped = worker._skip_units_import


def slow_start():
    time.sleep(float(sys.argv[1]))
    units_skipped()


worker._skip_units_import = slow_start  # runs in the child before it is ready
item = load_item([bundled_content_dir()], "bias-correction-first-moment")
print(json.dumps(check_derivation(item, sys.argv[2], timeout_s=1.0)))
"""


def _cold_check(start_up_s: float, text: str) -> dict:
    run = subprocess.run([sys.executable, "-c", COLD_CHECK, str(start_up_s), text], capture_output=True,
                         text=True, timeout=120, env=subprocess_env())
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_a_slow_start_up_does_not_time_out_the_first_line():
    result = _cold_check(2.0, "E[hat_m_t]\n= E[m_t]/(1 - beta1^t)")
    assert [s["status"] for s in result["steps"]] == ["ok", "ok"]


def test_a_runaway_line_after_a_slow_start_up_still_times_out_on_its_own_limit():
    result = _cold_check(2.0, "E[hat_m_t]\n= sum(i^i^i, i, 1, 10^12)")
    assert [s["status"] for s in result["steps"]] == ["ok", "timeout"]
    assert "more than 1 s" in result["steps"][1]["message"]
