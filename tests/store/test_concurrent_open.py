"""Two processes opening a brand-new home at the same moment both get a healthy store."""

from __future__ import annotations

import subprocess
import sys
import time

# Each process imports first, then waits for the same instant, so the opens really overlap.
OPEN = ("import sys, time, pathlib\nfrom tutor.store import Store\n"
        "start = float(sys.argv[2])\nwhile time.time() < start: pass\n"
        "Store.open(pathlib.Path(sys.argv[1])).close()")


def test_concurrent_first_opens_do_not_collide(tmp_path):
    for attempt in range(8):
        home = tmp_path / f"home{attempt}"
        start = time.time() + 1.0
        procs = [subprocess.Popen([sys.executable, "-c", OPEN, str(home), str(start)],
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]
        errors = [p.communicate(timeout=60)[1] for p in procs]
        assert all(p.returncode == 0 for p in procs), errors
