"""Would another order of the new items let the daily queue start every item by day 35?

Issue 14 asks that a learner who reviews everything due, Good, every day meets every item by
day 35 with no day over the budget. Day by day, `tutor.study.budget.fit_new_items` takes each
offered item that fits today and every day its Good reviews come back on. This runs that same
function day by day over the shipped deck with the items offered in several orders (each from
its checkpoint's day), at the stated estimates (`Estimates` with no answers of the learner's)
and with every review on its ladder day, and prints for each order the items started by day
35, the busiest day up to day 56 and the day the last item starts. No order of the
day-by-day rule starts all (249 at best). The queue itself offers each plan item from its
planned start day and checks it on its planned path, the days its reviews come back on with
the load balancer's moves the plan chose (`tutor.study.planner`, the last row: the same
function with each item offered from its planned day on, its reviews on its planned days):
all start by day 35. `bench/day35_fit.py` bounds what any choice of start days could do.

Run: .venv/bin/python bench/day35_orders.py [--random 200] [--minutes 30]
"""

from __future__ import annotations

import argparse
import random
import statistics
from collections.abc import Callable, Mapping
from datetime import date
from typing import NamedTuple

from tutor.content import bundled_content_dir, load_library
from tutor.schedule.ladder import LadderScheduler
from tutor.study.budget import Candidate, Estimates, add_returns, fit_new_items, good_path, review_paths
from tutor.study.planner import NewItem, plan_starts

DECK = "adam"
LAST_START, LAST_DAY = 35, 56
HORIZON = 21  # the queue's look-ahead: the ladder's last rung
START = date(2026, 3, 2)


class Item(NamedTuple):
    item_id: str
    checkpoint: int
    position: int
    seconds: float
    review_seconds: float


def deck_items() -> list[Item]:
    library = load_library([bundled_content_dir()])
    deck = library.deck(DECK)
    assert deck is not None and not library.errors, library.errors
    estimates = Estimates()
    out = []
    for position, item in enumerate(i for i in library.review_items() if i.deck == DECK):
        target = getattr(item, "target_min", None)
        out.append(Item(item.id, deck.plan_day(item.id), position, estimates.seconds(item.kind, target, new=True),
                        estimates.seconds(item.kind, target, new=False)))
    return out


def run(items: list[Item], order: Callable[[Item], tuple], budget_s: float,
        release: Mapping[str, int] | None = None,
        paths: Mapping[str, tuple[int, ...]] | None = None) -> tuple[int, float, int]:
    """Day by day, the candidates in `order` through `fit_new_items`, each from its `release`
    day (default its checkpoint's), its reviews on its `paths` days (offsets from its start;
    default the ladder's): (items started by LAST_START, the busiest day's minutes to
    LAST_DAY, the day the last item started)."""
    ladder = good_path(LadderScheduler(), None, START, LAST_DAY)  # the same offsets from any start day
    first = release or {i.item_id: i.checkpoint for i in items}
    path = {i.item_id: (paths or {}).get(i.item_id, ladder) for i in items}
    load: dict[int, float] = {}
    started: dict[str, int] = {}
    for day in range(LAST_DAY + 1):
        waiting = sorted((i for i in items if first[i.item_id] <= day and i.item_id not in started), key=order)
        later = {offset - day: seconds for offset, seconds in load.items() if offset > day}
        candidates = [Candidate(i, i.seconds, i.review_seconds, tuple(r for r in path[i.item_id] if r <= HORIZON))
                      for i in waiting]
        for chosen in fit_new_items(budget_s, load.get(day, 0.0), lambda later=later: later, candidates):
            started[chosen.item.item_id] = day
            load[day] = load.get(day, 0.0) + chosen.seconds
            add_returns(load, (day + r for r in path[chosen.item.item_id]), chosen.review_seconds)
    busiest = max(load.get(day, 0.0) for day in range(LAST_DAY + 1)) / 60
    return sum(day <= LAST_START for day in started.values()), busiest, max(started.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--random", type=int, default=200, help="random orders to try (seeded)")
    parser.add_argument("--minutes", type=int, default=30)
    args = parser.parse_args()
    items, budget_s = deck_items(), args.minutes * 60
    orders: dict[str, Callable[[Item], tuple]] = {
        "checkpoint, then shortest": lambda i: (i.checkpoint, i.seconds, i.position),
        "plan order": lambda i: (i.checkpoint, i.position),
        "largest first": lambda i: (-i.seconds, i.checkpoint, i.position),
        "checkpoint, then largest first": lambda i: (i.checkpoint, -i.seconds, i.position),
    }
    print(f"{len(items)} items, {args.minutes} min a day; started by day {LAST_START}, busiest day to {LAST_DAY}, "
          "last start")
    for name, order in orders.items():
        started, busiest, last = run(items, order, budget_s)
        print(f"{name:40} {started:>4} {busiest:>7.1f} min {last:>4}")
    rng = random.Random(14)
    counts = []
    for _ in range(args.random):
        spread = rng.choice((0.5, 1, 3, 10))  # checkpoint plus noise: a shuffle within and across checkpoints
        priority = {i.item_id: i.checkpoint + rng.uniform(0, spread) for i in items}
        counts.append(run(items, lambda i, priority=priority: (priority[i.item_id], i.position), budget_s)[0])
    if counts:
        print(f"{args.random} random orders (checkpoint + noise): started by day {LAST_START} "
              f"median {statistics.median(counts):.0f}, best {max(counts)}")
    paths = review_paths(LadderScheduler(), START, LAST_DAY)
    planned = plan_starts([NewItem(i.item_id, i.checkpoint, i.seconds, i.review_seconds) for i in items],
                          paths, budget_s, LAST_START, LAST_DAY)
    release = {i.item_id: planned[i.item_id][0] if i.item_id in planned else i.checkpoint for i in items}
    started, busiest, last = run(items, lambda i: (release[i.item_id], i.seconds, i.position), budget_s, release,
                                 {item_id: paths[path] for item_id, (_, path) in planned.items()})
    print(f"{'planned start days and paths (the queue)':40} {started:>4} {busiest:>7.1f} min {last:>4}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
