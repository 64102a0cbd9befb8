"""Start days and review days for a deck's new items: as many as can start by the plan's
last day, no day over budget.

ARCHITECTURE.md, Daily budget. The day-by-day queue takes whatever fits today, so a long
drill released late can find every day blocked, today or on a day it will come back on, by
the returns of the cards started before it. Whether items fit together is a property of
the whole deck, not of one day: this chooses every item's start day at once, for a learner
who reviews everything due, Good, and, with it, the day of each review the load balancer may
move (`paths`: the days an item comes back on, as offsets from its start; the first is the
scheduler's own, the others each balancer move within its tolerance, which the balancer then
makes, `Study.lighter_day`).

It starts from the day-by-day greedy (the queue's order: checkpoint, then the shortest
first; on each day the first path that fits) and repairs it: an item the greedy left past
`last_start` goes on the start where it overflows least, then a bounded tabu search moves
items off the day most over the budget. That is enough for small decks; the shipped deck's
long drills, released late, need the whole plan to make room for them. So if items are
still late, the plan is built again the other way round: the first checkpoint's shortest
items pinned on its day (a first day left idle reads as nothing to do), then the most
constrained first (the latest release, then the longest), each on the start and path that keeps the days it takes
flattest (least growth of the sum of squared loads) among those that fit, the rest where
they overflow least; then threshold accepting (Dueck and Scheuer 1990: simulated annealing
with a falling threshold instead of a random test, so no float function decides a move)
moves one item at a time to a start drawn by a fixed pseudo-random sequence until no day is
over the budget, or its steps run out and the greedy's plan stands.

Pure and deterministic (no store, no randomness): the same deck, budget and paths give the
same plan, so a restored backup or a rebuilt store plans the same days.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

MAX_MOVES = 6  # tabu moves per late item
TABU = 7  # moves before a kind of item may go back to a start it left
STALL = 3  # moves without a lower overflow after which a repair gives up
MAX_REPAIRS = 4  # repairs' worth of moves in all: the plan's cost stays bounded however many items are late
MAX_GROUPS = 64  # sorts of item (release, costs) past which only the greedy plans: each move looks at every one
MAX_REBUILT = 2000  # items past which a plan is not built again: the rebuild looks at every start for each
ANNEAL_STEPS = 30_000  # moves of the threshold accepting; the shipped deck's plan took 8,000-15,000 (8 seeds)
THRESHOLD = 20.0  # seconds of overflow a move may add at first (about a card's review)...
COOLING = 0.9998  # ...times this after each step: under a second by 15,000 steps
GIVE_UP_AT, GIVE_UP_OVER = 5_000, 600.0  # moves, seconds over: the shipped deck's plans that were found
# were at most 94 s over after 5,000 moves, its budgets of 10-28 minutes (no plan) 1,233 s or more
SEEDS = (1, 2, 3)  # of the fixed pseudo-random sequences, tried in turn: 9 of seeds 1-10 planned the shipped deck
EPSILON = 1e-9

Start = tuple[int, int]  # (start day, index of the item's path in `paths`)


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


def plan_starts(items: Sequence[NewItem], paths: Sequence[Sequence[int]], budget_s: float, last_start: int,
                last_day: int, max_moves: int = MAX_MOVES) -> dict[str, Start]:
    """A start day (0: the deck's first day) and a path (an index into `paths`, each the days
    an item comes back on as offsets from its start; path 0 when it does not matter) for each
    of `items` (in plan order) that takes no longer than `budget_s` alone: on or after its
    release, as many as can by `last_start`, every day up to `last_day` within `budget_s`
    when each item also takes its review seconds on each day of its path. An item that cannot
    start by `last_start` starts on the first later day it fits by then (`last_day + 1` if
    none), on path 0 if none fits."""
    groups = _groups([i for i in items if i.seconds <= budget_s and i.review_seconds <= budget_s])
    kept_paths = [tuple(sorted({o for o in path if 0 < o <= last_day})) for path in paths] or [()]
    plan = _Plan(groups, kept_paths, budget_s, last_day)
    late = plan.greedy(0, last_start)
    moves_left = max_moves * MAX_REPAIRS if len(groups) <= MAX_GROUPS else 0
    for g in sorted(late, key=lambda g: (-groups[g].seconds, g)):
        while plan.unplaced[g] and moves_left > 0:
            placed, used = plan.repair(g, last_start, min(max_moves, moves_left))
            moves_left -= used
            if not placed:
                break
    if any(plan.unplaced) and max_moves and len(groups) <= MAX_GROUPS and len(items) <= MAX_REBUILT:
        plan = _rebuilt(groups, kept_paths, budget_s, last_start, last_day) or plan
    plan.greedy(last_start + 1, last_day)
    out: dict[str, Start] = {}
    for g, group in enumerate(groups):
        starts = sorted([start for start, count in plan.starts[g].items() for _ in range(count)] + plan.pinned[g])
        out.update(zip(group.items, starts + [(last_day + 1, 0)] * plan.unplaced[g], strict=True))
    return out


def _rebuilt(groups: list[_Group], paths: list[tuple[int, ...]], budget_s: float, last_start: int,
             last_day: int) -> _Plan | None:
    """A plan that starts every item by `last_start`, built the other way round (`_Plan.flattest`,
    then `_Plan.anneal` from each of `SEEDS` in turn), or None if none was found. First with
    the first checkpoint's shortest items pinned on its day (`_Plan.pin_first`): built freely
    the plan left the shipped deck's day 0 with 2.4 minutes, since nothing draws items to it."""
    for pinned in (True, False):
        for seed in SEEDS:
            plan = _Plan(groups, paths, budget_s, last_day)
            if pinned:
                plan.pin_first()
            plan.flattest(last_start)
            if plan.anneal(last_start, ANNEAL_STEPS, seed):
                plan.earlier()
                return plan
    return None


def _groups(items: Sequence[NewItem]) -> list[_Group]:
    """`items` grouped by (release, seconds, review seconds), groups in the queue's order: the
    earliest release first, the shortest of a release first, plan order between equals."""
    grouped: dict[tuple[int, float, float], list[str]] = {}
    for item in items:
        grouped.setdefault((item.release, item.seconds, item.review_seconds), []).append(item.item_id)
    return sorted((_Group(*key, tuple(ids)) for key, ids in grouped.items()), key=lambda g: (g.release, g.seconds))


class _Plan:
    """How many items of each group start on each (day, path), and the seconds each day holds."""

    def __init__(self, groups: list[_Group], paths: list[tuple[int, ...]], budget_s: float, last_day: int) -> None:
        self.groups, self.paths, self.budget, self.last_day = groups, paths, budget_s, last_day
        self.path_days = [frozenset(path) for path in paths]
        self.load = [0.0] * (last_day + 1)
        self.starts: list[dict[Start, int]] = [{} for _ in groups]
        self.pinned: list[list[Start]] = [[] for _ in groups]  # starts no move takes an item off
        self.unplaced = [len(g.items) for g in groups]
        self.kinds = [(g.seconds, g.review_seconds) for g in groups]
        self.footprints = [[((0, g.seconds), *((o, g.review_seconds) for o in path)) for path in paths]
                           for g in groups]

    def fits(self, g: int, start: Start) -> bool:
        day, p = start
        load, budget, last = self.load, self.budget + EPSILON, self.last_day
        return all(day + o > last or load[day + o] + s <= budget for o, s in self.footprints[g][p])

    def move(self, g: int, start: Start, count: int) -> None:
        """Start `count` more items of group `g` on `start` (a negative count takes them off)."""
        day, p = start
        for o, s in self.footprints[g][p]:
            if day + o <= self.last_day:
                self.load[day + o] += count * s
        starts = self.starts[g]
        starts[start] = starts.get(start, 0) + count
        if not starts[start]:
            del starts[start]
        self.unplaced[g] -= count

    def greedy(self, first: int, last: int) -> list[int]:
        """Day by day from `first` to `last`, each released item that fits on some path (the
        first that does), the groups in order (as the queue does); the groups with items left."""
        for day in range(first, last + 1):
            for g, group in enumerate(self.groups):
                while self.unplaced[g] and group.release <= day:
                    start = next(((day, p) for p in range(len(self.paths)) if self.fits(g, (day, p))), None)
                    if start is None:
                        break
                    self.move(g, start, 1)
        return [g for g, left in enumerate(self.unplaced) if left]

    def overflow(self) -> float:
        return sum(s - self.budget for s in self.load if s > self.budget + EPSILON)

    def change(self, g: int, start: Start, count: int) -> float:
        """How much the overflow would grow if `count` items of `g` started on `start` (a
        negative count: were taken off it). The search's inner loop: written out."""
        budget, load, last = self.budget, self.load, self.last_day
        day, p = start
        delta = 0.0
        for offset, seconds in self.footprints[g][p]:
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

    def targets(self, g: int, last_start: int) -> list[Start]:
        return [(day, p) for day in range(self.groups[g].release, last_start + 1) for p in range(len(self.paths))]

    def repair(self, late: int, last_start: int, max_moves: int) -> tuple[bool, int]:
        """Start one item of group `late` by `last_start`: on the start that overflows least,
        then tabu moves until no day is over the budget. (Whether it did, with the plan as it
        was if not; the moves it took.)"""
        targets = self.targets(late, last_start)
        if not targets:
            return False, 0
        saved = (list(self.load), [dict(s) for s in self.starts], list(self.unplaced))
        self.move(late, min(targets, key=lambda start: (self.change(late, start, 1), start)), 1)
        tabu: dict[tuple[tuple[float, float], Start], int] = {}
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

    def pin_first(self) -> None:
        """Start the items of the first group (the earliest release, the shortest of it) on
        their release day, each on the path with the least growth of the sum of squared loads,
        as many as fit, and keep them there: a learner's first day is not left idle."""
        g, day = 0, self.groups[0].release
        while self.unplaced[0]:
            fitting = [(day, p) for p in range(len(self.paths)) if self.fits(g, (day, p))]
            if not fitting:
                return
            start = min(fitting, key=lambda start: (sum(s * (2 * self.load[d] + s) for d, s in self.span(g, start)),
                                                    start))
            for d, seconds in self.span(g, start):
                self.load[d] += seconds
            self.pinned[g].append(start)
            self.unplaced[g] -= 1

    def flattest(self, last_start: int) -> None:
        """Start every item by `last_start`: the groups with the latest release first, the
        longest of a release first, each item on the start that fits with the least growth of
        the sum of squared loads (the earliest of equals), else where it overflows least."""
        order = sorted(range(len(self.groups)), key=lambda g: (-self.groups[g].release, -self.groups[g].seconds, g))
        load, cap = self.load, self.budget + EPSILON
        for g in order:
            spans = [(start, self.span(g, start)) for start in self.targets(g, last_start)]
            while self.unplaced[g]:
                chosen, least = None, math.inf
                for start, span in spans:  # the search's inner loop: written out
                    growth = 0.0
                    for day, seconds in span:
                        before = load[day]
                        if before + seconds > cap:
                            break
                        growth += seconds * (2 * before + seconds)
                    else:
                        if growth < least:
                            chosen, least = start, growth
                if chosen is None:
                    break
                self.move(g, chosen, 1)
        for g in order:
            targets = self.targets(g, last_start)
            while self.unplaced[g] and targets:
                self.move(g, min(targets, key=lambda start: (self.change(g, start, 1), start)), 1)

    def earlier(self) -> None:
        """Each item, in the queue's order, on the earliest start that fits with it taken off
        (its own if none is earlier): the rebuilt plan leaves the first days light, and a
        learner meets what fits today today."""
        for g in range(len(self.groups)):
            targets = self.targets(g, self.last_day)
            for source in sorted(self.starts[g], reverse=True):
                for _ in range(self.starts[g].get(source, 0)):
                    self.move(g, source, -1)
                    target = next(start for start in targets if start[0] > source[0] or self.fits(g, start)
                                  or start == source)
                    self.move(g, source if target[0] > source[0] else target, 1)

    def span(self, g: int, start: Start) -> list[tuple[int, float]]:
        """The days up to `last_day` an item of `g` started on `start` takes, and its seconds on each."""
        day, p = start
        return [(day + o, s) for o, s in self.footprints[g][p] if day + o <= self.last_day]

    def anneal(self, last_start: int, steps: int, seed: int) -> bool:
        """Threshold accepting: move one item (drawn by a fixed pseudo-random sequence from
        `seed`) to a start by `last_start` (drawn too) when that adds at most the threshold to
        the overflow, the threshold falling each step; whether no day is over the budget within
        `steps` (every item has a start by then), given up early when still far over after
        `GIVE_UP_AT`. The search's inner loop: written out."""
        if any(self.unplaced):
            return False
        sizes = [sum(starts.values()) for starts in self.starts]  # the pinned ones stay
        owners = [g for g, size in enumerate(sizes) for _ in range(size)]
        if not owners:
            return self.overflow() <= EPSILON
        targets = [self.targets(g, last_start) for g in range(len(self.groups))]
        load, budget, last, footprints = self.load, self.budget, self.last_day, self.footprints
        draw = _Sequence(seed)
        overflow, threshold = self.overflow(), THRESHOLD
        for step in range(steps):
            if overflow <= EPSILON:
                return True
            if step == GIVE_UP_AT and overflow > GIVE_UP_OVER:
                return False
            g = owners[draw.below(len(owners))]
            starts = self.starts[g]
            source = _nth(starts, draw.below(sizes[g]))
            target = targets[g][draw.below(len(targets[g]))]
            threshold *= COOLING
            if target == source:
                continue
            delta = 0.0
            for (day, p), sign in ((source, -1.0), (target, 1.0)):
                for offset, seconds in footprints[g][p]:
                    d = day + offset
                    if d > last:
                        break
                    before = load[d]
                    load[d] = after = before + sign * seconds
                    if after > budget:
                        delta += after - budget
                    if before > budget:
                        delta -= before - budget
            if delta <= threshold:
                overflow += delta
                starts[source] -= 1
                if not starts[source]:
                    del starts[source]
                starts[target] = starts.get(target, 0) + 1
                continue
            for (day, p), sign in ((target, -1.0), (source, 1.0)):
                for offset, seconds in footprints[g][p]:
                    if day + offset > last:
                        break
                    load[day + offset] += sign * seconds
        return self.overflow() <= EPSILON

    def _best_move(self, day: int, last_start: int, tabu: dict[tuple[tuple[float, float], Start], int], step: int,
                   best: float) -> tuple[int, Start, Start, int] | None:
        """The move of items off `day` (started on it, or on a day that returns to it) to the
        start that lowers the overflow most: (group, from, to, how many), one item or as many
        as it takes to clear `day`; a tabu move only if it beats the best overflow yet."""
        current = self.overflow()
        excess = self.load[day] - self.budget
        chosen: tuple[float, int, Start, Start, int] | None = None
        for g, starts in enumerate(self.starts):
            for source, here in sorted(starts.items()):
                offset = day - source[0]
                if offset != 0 and offset not in self.path_days[source[1]]:
                    continue
                cost = self.groups[g].seconds if offset == 0 else self.groups[g].review_seconds
                for count in sorted({1, min(here, max(1, math.ceil(excess / cost)))}):
                    removed = self.change(g, source, -count)
                    if chosen is not None and removed > chosen[0]:
                        continue  # adding items never lowers the overflow: no target can do better
                    self.move(g, source, -count)
                    for target in self.targets(g, last_start):
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


def _nth(starts: dict[Start, int], n: int) -> Start:
    """The start of the `n`th item (from 0) of a group whose items start as `starts` counts."""
    for start, count in starts.items():
        n -= count
        if n < 0:
            return start
    raise IndexError(n)


class _Sequence:
    """A 64-bit linear congruential generator (Knuth's MMIX constants): the same draws on
    every machine and Python, unlike `random`, whose import alone would cost a cold `tutor due`."""

    def __init__(self, seed: int) -> None:
        self.state = seed

    def below(self, n: int) -> int:
        """The next draw, in range(n) (n > 0)."""
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
        return (self.state >> 33) % n
