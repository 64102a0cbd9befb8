"""Can every item of the shipped deck start by day 35 within the daily budget? A bound, not a run.

Issue 14 asks that a learner who reviews everything due, Good, every day meets every item by
day 35 with no day over 33 minutes at the default budget (30). The queue is one way to choose
start days (`tests/study/test_daily_budget_simulation.py` runs it); this computes what ANY
choice could do, as a linear program over start days:

- each item costs its estimate (`tutor.study.budget.Estimates` with no answers of the learner's:
  target_min, else the card defaults) on its start day and on each day its Good reviews come
  back (the deck's ladder through `tutor.schedule.ladder`: 3, 7, 14, 21, 35, 63 days later);
- an item starts on or after its plan checkpoint (`--any-start`: on any day) and by day 35;
- every day up to day 56 (day 35 and the queue's 21 days of look-ahead) stays within budget.

Printed: the least busiest-day minutes with which all items can start, and how many can start
at most at 30 and 33 minutes (the LP bound rounded down; a real schedule, in whole items, can
only do as well or worse). Row 2 lets the load balancer move each review it may move
(`tutor.schedule.balance_tolerance`: the Day 14, 21 and 35 reviews by a day) wherever it
helps, which the real balancer (a lighter day, chosen then) does not always do.

The LP is solved by a small dense simplex in numpy (no solver dependency). `--integer` also
asks an integer program (whole items; scipy's HiGHS, `pip install scipy`, not a dependency of
the tutor) for the most items that can start by day 35 at 30 minutes, within `--seconds`.
Measured on the shipped deck when it had 252 items: on the ladder's days 251 found in 120 s
without a proof that 252 cannot be; with the balancer's moves chosen in the plan 252 (optimal,
55 s). So the plan the queue follows (`tutor.study.planner`) chooses each item's moves with
its start day (`tutor.study.budget.review_paths`, the paths of `review_paths(balanced=True)`
below), and the balancer makes them: it starts all the deck's items (241 now) by day 35 in a
fraction of a second.

Run: .venv/bin/python bench/day35_fit.py [--any-start] [--content DIR] [--integer [--seconds 120]]
"""

from __future__ import annotations

import argparse
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import numpy as np

from tutor.content import bundled_content_dir, load_library
from tutor.schedule import GOOD, ItemState, Review, balance_tolerance
from tutor.schedule.ladder import LadderScheduler
from tutor.study.budget import Estimates

DECK = "adam"
LAST_START = 35
LAST_DAY = LAST_START + 21  # the queue keeps the next 21 days within budget
BUDGETS = (30, 33)
EPS = 1e-9
STALL = 50  # steps without gain before the simplex switches to Bland's rule


def review_paths(ladder: tuple[int, ...], balanced: bool) -> list[tuple[int, ...]]:
    """Offsets (from the start day) of an item's Good reviews up to LAST_DAY: one path on the
    ladder's own days or, `balanced`, every path the load balancer's moves can make."""
    scheduler = LadderScheduler(ladder)
    origin = date(2026, 1, 1)

    def walk(state: ItemState, days: tuple[int, ...]) -> list[tuple[int, ...]]:
        latest = (state.due - origin).days + (balance_tolerance(state) if balanced else 0)
        out = []
        for offset in range((state.due - origin).days, latest + 1):
            if offset > LAST_DAY:
                return out + [days]
            day = origin + timedelta(days=offset)
            at = datetime.combine(day, time(12), tzinfo=UTC)
            out += walk(scheduler.apply(state, Review("", at, day, GOOD)), days + (offset,))
        return out

    first = scheduler.apply(None, Review("", datetime.combine(origin, time(12), tzinfo=UTC), origin, GOOD))
    return walk(first, (0,))


def max_started(costs: np.ndarray, groups: np.ndarray, sizes: np.ndarray, budget_s: float) -> float:
    """The LP: most items started, with each day's load (costs @ x) within `budget_s` and at
    most `sizes[g]` of group g (columns with `groups == g`). A dense tableau simplex: the
    slacks are a feasible start since every bound is >= 0. The steepest column enters, or by
    Bland's rule (which cannot cycle) after a run of steps that gained nothing."""
    days, columns = costs.shape
    membership = (groups[None, :] == np.arange(len(sizes))[:, None]).astype(float)
    a = np.vstack([costs, membership])
    rows = a.shape[0]
    tableau = np.zeros((rows + 1, columns + rows + 1))
    tableau[:rows, :columns] = a
    tableau[:rows, columns:columns + rows] = np.eye(rows)
    tableau[:rows, -1] = np.concatenate([np.full(days, budget_s), sizes])
    tableau[rows, :columns] = -1.0
    basis = np.arange(columns, columns + rows)
    stalled = 0
    while True:
        reduced = tableau[rows, :-1]
        entering = np.flatnonzero(reduced < -EPS)
        if not len(entering):
            return float(tableau[rows, -1])
        j = entering[0] if stalled > STALL else int(np.argmin(reduced))
        column = tableau[:rows, j]
        positive = column > EPS
        ratios = np.full(rows, np.inf)
        ratios[positive] = tableau[:rows, -1][positive] / column[positive]
        ties = np.flatnonzero(ratios <= ratios.min() + EPS)
        i = ties[np.argmin(basis[ties])]
        stalled = stalled + 1 if ratios[i] <= EPS else 0
        pivot = tableau[i] / tableau[i, j]
        tableau -= np.outer(tableau[:, j], pivot)
        tableau[i] = pivot
        basis[i] = j


def most_whole_items(costs: np.ndarray, groups: np.ndarray, sizes: np.ndarray, budget_s: float,
                     seconds: float) -> tuple[int, str]:
    """The integer program of `max_started`: whole items only, by scipy's HiGHS within
    `seconds`; (the most items found, whether HiGHS proved it the most)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    membership = (groups[None, :] == np.arange(len(sizes))[:, None]).astype(float)
    result = milp(c=-np.ones(costs.shape[1]), integrality=np.ones(costs.shape[1]), bounds=Bounds(0, np.inf),
                  constraints=[LinearConstraint(costs, -np.inf, budget_s), LinearConstraint(membership, 0, sizes)],
                  options={"time_limit": seconds})
    found = 0 if result.x is None else int(round(-result.fun))
    return found, "optimal" if result.status == 0 else f"best found in {seconds:.0f} s, not proved"


def least_budget(costs: np.ndarray, groups: np.ndarray, sizes: np.ndarray) -> float:
    """The least budget (seconds) at which the LP starts every item: bisection to a second."""
    low, high = 0.0, float(costs.sum())
    while high - low > 1.0:
        middle = (low + high) / 2
        low, high = (low, middle) if max_started(costs, groups, sizes, middle) >= sizes.sum() - 1e-6 else (middle, high)
    return high


def program(content: Path, any_start: bool, balanced: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray, Counter]:
    """Columns (one per item group, start day and review path) of each day's seconds."""
    library = load_library([content])
    deck = library.deck(DECK)
    assert deck is not None and not library.errors, library.errors
    items = [item for item in library.review_items() if item.deck == DECK]  # cloze siblings one by one
    estimates = Estimates()
    kinds: Counter = Counter(item.kind for item in items)
    per_group = Counter(
        (estimates.seconds(item.kind, getattr(item, "target_min", None), new=True),
         estimates.seconds(item.kind, getattr(item, "target_min", None), new=False),
         0 if any_start else deck.plan_day(item.id))
        for item in items)
    paths = review_paths(deck.ladder, balanced)
    columns, groups = [], []
    for g, (new_s, review_s, first) in enumerate(per_group):
        for start in range(first, LAST_START + 1):
            for path in paths:
                load = np.zeros(LAST_DAY + 1)
                load[start] += new_s
                for offset in path[1:]:
                    if start + offset <= LAST_DAY:
                        load[start + offset] += review_s
                columns.append(load)
                groups.append(g)
    return np.array(columns).T, np.array(groups), np.array(list(per_group.values()), float), kinds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--any-start", action="store_true", help="ignore the plan's checkpoints")
    parser.add_argument("--content", type=Path, default=bundled_content_dir(),
                        help="a content folder holding the adam deck (default: the shipped one)")
    parser.add_argument("--integer", action="store_true", help="whole items: scipy's HiGHS (pip install scipy)")
    parser.add_argument("--seconds", type=float, default=120.0, help="time limit of each integer program")
    args = parser.parse_args()
    print(f"{'':34}least busiest day  " + "  ".join(f"start by day {LAST_START} at {b} min" for b in BUDGETS))
    for balanced in (False, True):
        costs, groups, sizes, kinds = program(args.content, args.any_start, balanced)
        least = least_budget(costs, groups, sizes) / 60
        counts = [int(max_started(costs, groups, sizes, b * 60) + 1e-6) for b in BUDGETS]
        name = "load balancer's moves allowed" if balanced else "reviews on the ladder's days"
        print(f"{name:34}{least:>10.1f} min     " + "  ".join(f"{c:>16} of {int(sizes.sum())}" for c in counts))
        if args.integer:
            whole, proof = most_whole_items(costs, groups, sizes, BUDGETS[0] * 60, args.seconds)
            print(f"{'':34}whole items at {BUDGETS[0]} min: {whole} of {int(sizes.sum())} ({proof})")
    print("items: " + ", ".join(f"{n} {kind}s" for kind, n in sorted(kinds.items()))
          + (" (any start day)" if args.any_start else " (each from its plan checkpoint)"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
