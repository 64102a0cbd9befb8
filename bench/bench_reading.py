"""Opening the reading screen (DESIGN §9's first-frame budget, applied to one screen).

From `r` on a settled dashboard to the first frame that shows the lesson (the screen module
imported, the deck's lessons read, the top of the part laid out; the rest follows in later
frames), in a fresh process each run,
against a minimal Textual app's first frame (Header + Static + Footer, imports included).
Budget: best-of-N <= 1.5x the minimal app's first frame, as bench_tui.py measures the app.

Run: .venv/bin/python bench/bench_reading.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile

from bench_tui import MINIMAL, run_child

BUDGET = 1.5

READING = """
import time
t0 = time.perf_counter()
from tutor.study import open_study
from tutor.tui.app import TutorApp

class Timed(TutorApp):
    def on_ready(self):
        super().on_ready()
        self.set_interval(0.02, self.when_settled)

    def when_settled(self):
        if self._library is None or getattr(self, "opened", None) is not None:
            return
        self.opened = time.perf_counter()
        self.screen.action_read()
        self.set_interval(0.001, self.when_shown)

    def when_shown(self):
        screen = self.screen
        if (type(screen).__name__ == "ReadingScreen" and screen.query_one("#reading-text").children
                and not getattr(self, "done", 0)):  # the lesson's first blocks are mounted
            self.done = 1
            self.call_after_refresh(self.report)

    def report(self):
        print(f"READY {time.perf_counter() - self.opened:.6f}", flush=True)
        self.exit()

study = open_study()
Timed(study).run(headless=True, size=(80, 24))
study.close()
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TUTOR_")}
        env.update(TUTOR_HOME=home, TUTOR_NOW="2026-03-02T09:00:00")
        run_child(READING, env)  # builds the catalog in the new home; not counted
        minimal, reading = [], []
        for _ in range(args.runs):  # interleaved, so a busy moment hurts both alike
            minimal.append(run_child(MINIMAL, env)[0])
            reading.append(run_child(READING, env)[0])
    for name, values in (("minimal app first frame", minimal), ("r to the reading screen", reading)):
        print(f"{name:24}: best {min(values) * 1000:6.1f} ms, median {statistics.median(values) * 1000:6.1f} ms")
    ratio = min(reading) / min(minimal)
    median_ratio = statistics.median(reading) / statistics.median(minimal)
    ok = ratio <= BUDGET
    print(f"ratio reading/minimal: best {ratio:.2f}, median {median_ratio:.2f}"
          f" (budget <= {BUDGET}) {'OK' if ok else 'OVER BUDGET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
