"""Start days for a deck's new items: as many as can by the plan's last day, no day over budget.

ARCHITECTURE.md, Daily budget. The day-by-day queue takes whatever fits today, so a long
drill released late can find every day blocked, today or on a day it will come back on, by
the returns of the cards started before it. Whether items fit together is a property of
the whole deck, not of one day: this chooses every item's start day at once, for a learner
who reviews everything due, Good, on its day (`returns`: the same offsets for every item).

It starts from the day-by-day greedy (the queue's order: checkpoint, then the shortest
first) and repairs it: an item the greedy left past `last_start` goes on the day by then
where it overflows least, then items are moved off the day most over the budget onto the
start day that removes most overflow (one item, or as many as clear that day), a tabu
search in which a kind of item may not go back to a start day it just left, until no day
is over or the moves run out; then the repair is undone and the item starts later.

Pure and deterministic (no store, no randomness): the same deck, budget and returns give the
same plan, so a restored backup or a rebuilt store plans the same days.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

MAX_MOVES = 6  # tabu moves per late item: the shipped deck's one successful repair takes 4
TABU = 7  # moves before a kind of item may go back to a start day it left
STALL = 3  # moves without a lower overflow after which a repair gives up
MAX_REPAIRS = 4  # repairs' worth of moves in all: the plan's cost stays bounded however many items are late
MAX_GROUPS = 64  # sorts of item (release, costs) past which only the greedy plans: each move looks at every one
EPSILON = 1e-9


@dataclass(frozen=True)
class NewItem:
    """A new item to plan: its id, its release (the first day it may start: its checkpoint's
    deck day) and the seconds it takes at first sight and at each review."""

    item_id: str
    release: int
    seconds: float
    review_seconds: float


@dataclass(frozen=True)
class _Group:
    """Items the plan cannot tell apart (same release and costs), in plan order."""

    release: int
    seconds: float
    review_seconds: float
    items: tuple[str, ...]


def plan_starts(items: Sequence[NewItem], returns: Sequence[int], budget_s: float, last_start: int,
                last_day: int, max_moves: int = MAX_MOVES) -> dict[str, int]:
    """A start day (0: the deck's first day) for each of `items` (in plan order) that takes
    no longer than `budget_s` alone: on or after its release, as many as can by `last_start`,
    every day up to `last_day` within `budget_s` when each item also takes its review seconds
    on each day of `returns` (offsets from its start). An item that cannot start by
    `last_start` starts on the first later day it fits by then (`last_day + 1` if none)."""
    groups = _groups([i for i in items if i.seconds <= budget_s and i.review_seconds <= budget_s])
    plan = _Plan(groups, tuple(sorted({o for o in returns if 0 < o <= last_day})), budget_s, last_day)
    late = plan.greedy(0, last_start)
    moves_left = max_moves * MAX_REPAIRS if len(groups) <= MAX_GROUPS else 0
    for g in sorted(late, key=lambda g: (-groups[g].seconds, g)):
        while plan.unplaced[g] and moves_left > 0:
            placed, used = plan.repair(g, last_start, min(max_moves, moves_left))
            moves_left -= used
            if not placed:
                break
    plan.greedy(last_start + 1, last_day)
    out: dict[str, int] = {}
    for g, group in enumerate(groups):
        days = sorted(day for day, count in plan.starts[g].items() for _ in range(count))
        out.update(zip(group.items, days + [last_day + 1] * plan.unplaced[g], strict=True))
    return out


def _groups(items: Sequence[NewItem]) -> list[_Group]:
    """`items` grouped by (release, seconds, review seconds), groups in the queue's order: the
    earliest release first, the shortest of a release first, plan order between equals."""
    grouped: dict[tuple[int, float, float], list[str]] = {}
    for item in items:
        grouped.setdefault((item.release, item.seconds, item.review_seconds), []).append(item.item_id)
    return sorted((_Group(*key, tuple(ids)) for key, ids in grouped.items()), key=lambda g: (g.release, g.seconds))


class _Plan:
    """How many items of each group start on each day, and the seconds each day holds."""

    def __init__(self, groups: list[_Group], offsets: tuple[int, ...], budget_s: float, last_day: int) -> None:
        self.groups, self.offsets, self.budget, self.last_day = groups, offsets, budget_s, last_day
        self.load = [0.0] * (last_day + 1)
        self.starts: list[dict[int, int]] = [{} for _ in groups]
        self.unplaced = [len(g.items) for g in groups]
        self.kinds = [(g.seconds, g.review_seconds) for g in groups]
        self.footprints = [((0, g.seconds), *((o, g.review_seconds) for o in offsets)) for g in groups]

    def costs(self, g: int, day: int) -> list[tuple[int, float]]:
        """The days up to `last_day` an item of group `g` started on `day` takes, and its seconds on each."""
        group = self.groups[g]
        out = [(day, group.seconds)] if day <= self.last_day else []
        return out + [(day + o, group.review_seconds) for o in self.offsets if day + o <= self.last_day]

    def fits(self, g: int, day: int) -> bool:
        return all(self.load[d] + s <= self.budget + EPSILON for d, s in self.costs(g, day))

    def move(self, g: int, day: int, count: int) -> None:
        """Start `count` more items of group `g` on `day` (a negative count takes them off)."""
        for d, s in self.costs(g, day):
            self.load[d] += count * s
        starts = self.starts[g]
        starts[day] = starts.get(day, 0) + count
        if not starts[day]:
            del starts[day]
        self.unplaced[g] -= count

    def greedy(self, first: int, last: int) -> list[int]:
        """Day by day from `first` to `last`, each released item that fits, the groups in order
        (as the queue does); the groups with items left."""
        for day in range(first, last + 1):
            for g, group in enumerate(self.groups):
                while self.unplaced[g] and group.release <= day and self.fits(g, day):
                    self.move(g, day, 1)
        return [g for g, left in enumerate(self.unplaced) if left]

    def overflow(self) -> float:
        return sum(s - self.budget for s in self.load if s > self.budget + EPSILON)

    def change(self, g: int, day: int, count: int) -> float:
        """How much the overflow would grow if `count` items of `g` started on `day` (a
        negative count: were taken off it). The search's inner loop: written out, not `costs`."""
        budget, load, last = self.budget, self.load, self.last_day
        delta = 0.0
        for offset, seconds in self.footprints[g]:
            d = day + offset
            if d > last:
                break
            before = load[d]
            after = before + count * seconds
            if after > budget:
                delta += after - budget
            if before > budget:
                delta -= before - budget
        return delta

    def repair(self, late: int, last_start: int, max_moves: int) -> tuple[bool, int]:
        """Start one item of group `late` by `last_start`: on the day it overflows least, then
        tabu moves until no day is over the budget. (Whether it did, with the plan as it was
        if not; the moves it took.)"""
        days = range(self.groups[late].release, last_start + 1)
        if not days:
            return False, 0
        saved = (list(self.load), [dict(s) for s in self.starts], list(self.unplaced))
        self.move(late, min(days, key=lambda day: (self.change(late, day, 1), day)), 1)
        tabu: dict[tuple[tuple[float, float], int], int] = {}
        best, best_at, step = self.overflow(), 0, 0
        for step in range(max_moves):
            if best <= EPSILON:
                return True, step
            if step - best_at > STALL:
                break
            worst = max(range(len(self.load)), key=lambda d: (self.load[d], -d))
            chosen = self._best_move(worst, last_start, tabu, step, best)
            if chosen is None:
                break
            g, source, target, count = chosen
            self.move(g, source, -count)
            self.move(g, target, count)
            tabu[(self.kinds[g], source)] = step + TABU
            if self.overflow() < best - EPSILON:
                best, best_at = self.overflow(), step
        if self.overflow() <= EPSILON:
            return True, step + 1
        self.load, self.starts, self.unplaced = saved
        return False, step + 1

    def _best_move(self, day: int, last_start: int, tabu: dict[tuple[tuple[float, float], int], int], step: int,
                   best: float) -> tuple[int, int, int, int] | None:
        """The move of items off `day` (started on it, or on a day that returns to it) to the
        start day that lowers the overflow most: (group, from, to, how many), one item or as
        many as it takes to clear `day`; a tabu move only if it beats the best overflow yet."""
        current = self.overflow()
        excess = self.load[day] - self.budget
        chosen: tuple[float, int, int, int, int] | None = None
        for offset in (0, *self.offsets):
            source = day - offset
            if source < 0:
                continue
            for g, starts in enumerate(self.starts):
                here = starts.get(source, 0)
                if not here:
                    continue
                cost = self.groups[g].seconds if offset == 0 else self.groups[g].review_seconds
                for count in sorted({1, min(here, max(1, math.ceil(excess / cost)))}):
                    removed = self.change(g, source, -count)
                    if chosen is not None and removed > chosen[0]:
                        continue  # adding items never lowers the overflow: no target can do better
                    self.move(g, source, -count)
                    for target in range(self.groups[g].release, last_start + 1):
                        if target == source:
                            continue
                        added = self.change(g, target, count)
                        delta = removed + added
                        if tabu.get((self.kinds[g], target), -1) >= step and current + delta >= best - EPSILON:
                            continue
                        if chosen is None or (delta, g, source, target, count) < chosen:
                            chosen = (delta, g, source, target, count)
                        if added <= EPSILON:
                            break  # the earliest target that adds nothing: the best from here
                    self.move(g, source, count)
        return None if chosen is None else chosen[1:]
