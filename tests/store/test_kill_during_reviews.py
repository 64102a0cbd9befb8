"""A process killed with SIGKILL while recording reviews loses none that had returned."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys

from tutor.store import Store

WRITER = r"""
import sys
from datetime import date, datetime, timezone
from tutor.schedule.ladder import LadderScheduler
from tutor.store import Store
store = Store.open(__import__("pathlib").Path(sys.argv[1]))
scheduler = LadderScheduler()
for n in range(1000):
    store.record_review(item_id=f"item-{n % 97}", kind="card", deck="d",
                        at=datetime.now(timezone.utc), day=date(2026, 1, 5), rating=1 + n % 4,
                        scheduler=scheduler, detail={"n": n})
    print(n, flush=True)
"""


def test_sigkill_loses_no_returned_review(tmp_path):
    Store.open(tmp_path).close()
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    # The kill comes after a random number of returned reviews, not after a random time: a
    # loaded machine can take longer than any fixed time to start the writer at all.
    kill_after = random.randint(1, 500)
    confirmed = -1
    while confirmed < kill_after:
        line = proc.stdout.readline()  # bounded by the suite's timeout if the writer hangs
        if not line:
            break
        confirmed = int(line)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with Store.open(tmp_path) as store:
        assert store.integrity_errors() == []
        numbers = {r.detail["n"] for r in store.live_reviews()}
    assert set(range(confirmed + 1)) <= numbers
    assert confirmed > 0
