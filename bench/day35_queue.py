"""How the daily queue meets the plan's items by day 35: a diligent learner, day by day.

Issue 14 asks that a learner who reviews everything due, Good, every day meets every item by
day 35 with no day over 33 minutes at the default budget. `bench/day35_fit.py` bounds what any
choice of start days could do; this runs the queue itself (`Study.queue`, as `tutor due`
does: each plan item offered from its planned start day and checked on its planned path,
`Study.deck_plan`, the load balancer making the plan's moves) and prints, for each day, its
minutes, the items introduced, and each offered item still waiting that takes a minute or
more with what stopped it (`tutor.study.budget.fit_new_items`): today over the budget, or a
day it would come back on (`d+N`, N days on) whose reserved minutes (`Study.reserved`: the
items already studied, rated Good, on their planned days or with the load balancer's moves)
leave no room. Items whose planned day is after day 35 are not offered by then: counted at
the end (on the shipped deck at 30 minutes, none: all 252 are introduced by day 35). A day N
days ahead whose reserved minutes differ from what that day finally holds shows the
look-ahead's error: `--projection` prints both for N = 7 and 14.

Run: .venv/bin/python bench/day35_queue.py [--minutes 30] [--days 35] [--projection]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta

from tutor.schedule import Rating
from tutor.study import budget, open_study

START = date(2026, 3, 2)
SHOWN_FROM_S = 60  # waiting items shorter than this (cards) are counted, not listed


class Recorder:
    """Wraps `budget.fit_new_items` to keep, for the latest call, why each waiting candidate
    did not fit and what was reserved on each later day."""

    def __init__(self) -> None:
        self.held: dict[str, tuple[float, list[str]]] = {}
        self.reserved: dict[int, float] = {}
        self._fit = budget.fit_new_items

    def __call__(self, budget_s: float, today_s: float, reserved: Callable[[], Mapping[int, float]],
                 candidates: Iterable[budget.Candidate]) -> list[budget.Candidate]:
        candidates = list(candidates)
        later = dict(reserved())  # read here even when nothing fits today: the report shows it
        chosen = self._fit(budget_s, today_s, lambda: later, candidates)
        picked = {id(c) for c in chosen}
        load, self.held, self.reserved = dict(later), {}, dict(later)
        for c in candidates:
            returns = c.path(load) if c.path else c.returns
            if id(c) in picked:
                today_s += c.seconds
                budget.add_returns(load, returns, c.review_seconds)
                continue
            why = [f"today {today_s / 60:.1f}+{c.seconds / 60:.0f}"] if today_s + c.seconds > budget_s else []
            why += [f"d+{day} {load.get(day, 0.0) / 60:.1f}+{c.review_seconds / 60:.0f}"
                    for day in returns if load.get(day, 0.0) + c.review_seconds > budget_s]
            self.held[c.item.item_id] = (c.seconds, why)
        return chosen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=30, help="daily_minutes (default 30)")
    parser.add_argument("--days", type=int, default=35)
    parser.add_argument("--projection", action="store_true", help="reserved vs final minutes 7 and 14 days on")
    args = parser.parse_args()
    os.environ.update(TUTOR_HOME=tempfile.mkdtemp(prefix="day35-"), TUTOR_DAILY_MINUTES=str(args.minutes))
    for key in ("TUTOR_CONTENT", "TUTOR_SCHEDULER", "TUTOR_NEW_PER_DAY"):
        os.environ.pop(key, None)
    recorder = Recorder()
    budget.fit_new_items = recorder
    introduced, reviews_on, reserved_on = 0, {}, {}
    for n in range(args.days + 1):
        os.environ["TUTOR_NOW"] = f"{(START + timedelta(days=n)).isoformat()}T09:00:00"
        study = open_study()
        try:
            queue = study.queue()
            new = [e for e in queue if e.status == "new"]
            introduced += len(new)
            reviews_on[n] = sum(e.seconds for e in queue if e.status != "new") / 60
            reserved_on[n] = recorder.reserved
            long_new = ", ".join(f"{e.item_id} ({e.seconds / 60:.0f})" for e in new if e.seconds >= SHOWN_FROM_S)
            print(f"day {n:2}  {sum(e.seconds for e in queue) / 60:5.1f} min  {len(queue) - len(new):3} reviews  "
                  f"{len(new):3} new ({introduced} so far)  {len(recorder.held):3} waiting"
                  + (f"  started: {long_new}" if long_new else ""))
            for item_id, (seconds, why) in recorder.held.items():
                if seconds >= SHOWN_FROM_S:
                    print(f"        waits {item_id} ({seconds / 60:.0f} min): {'; '.join(why)}")
            for entry in queue:
                study.review(entry.item_id, Rating.GOOD)
        finally:
            study.close()
    study = open_study()
    try:
        unseen = [i for deck in study.decks() for i, _, seen in study.store.deck_items(deck.id) if not seen]
    finally:
        study.close()
    print(f"introduced by day {args.days}: {introduced}; offered and waiting: {', '.join(recorder.held) or 'none'}; "
          f"not yet offered: {', '.join(sorted(set(unseen) - set(recorder.held))) or 'none'}")
    if args.projection:
        print("day  final review minutes  reserved 7 days before  14 days before")
        for n in range(14, args.days + 1):
            print(f"{n:3} {reviews_on[n]:14.1f} {reserved_on[n - 7].get(7, 0.0) / 60:20.1f}"
                  f" {reserved_on[n - 14].get(14, 0.0) / 60:15.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
