"""A day that fits the learner's time: what an item costs, and which new items fit.

ARCHITECTURE.md, Daily budget. Due reviews always come (most overdue for its interval
first); a new item comes only if it fits today and leaves room on every day its ladder will
bring it back (its rungs: the first three never move, later ones only to a lighter day),
after what the items already studied will need on those days if every review goes well. So
a learner who does each day's queue never meets a day over the budget, and new items wait
rather than pile up on Day 3 and Day 7.

Everything here is pure: the store reads the numbers, `Study.queue` wires them. A
caller planning another way (e.g. towards an interview date) calls `fit_new_items` with
its own budget and reservations.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Generic, TypeVar

from tutor.schedule import GOOD, ItemState, Review, Scheduler, balance_tolerance

# Seconds a card takes when no answers of the learner's are timed yet: fsrs-rs's simulator
# defaults (`fsrs_rs_python.default_simulator_config().state_rating_costs`, answered Good),
# medians measured on Anki review logs: first sight 13.78 s, a review 12.38 s.
CARD_NEW_S = 13.78
CARD_REVIEW_S = 12.38
OWN_AFTER = 20  # timed reviews of a kind before the learner's own median replaces the defaults
OWN_WINDOW = 200  # the median is over the latest reviews: it follows the learner's pace

T = TypeVar("T")


@dataclass(frozen=True)
class Estimates:
    """Seconds an item takes: the learner's median for its kind once `OWN_AFTER` of their
    answers of that kind are timed, else the item's own `target_min` (problems, drills,
    derivations), else the card defaults above."""

    own: Mapping[str, float] = field(default_factory=dict)  # kind -> median seconds

    @classmethod
    def from_durations(cls, durations_ms: Mapping[str, Sequence[int]]) -> "Estimates":
        """`durations_ms`: per kind, the latest timed answers (at most `OWN_WINDOW` are used)."""
        timed = {kind: times[:OWN_WINDOW] for kind, times in durations_ms.items() if len(times) >= OWN_AFTER}
        return cls({kind: _median(times) / 1000 for kind, times in timed.items()})

    def seconds(self, kind: str, target_min: float | None, new: bool) -> float:
        if kind in self.own:
            return self.own[kind]
        if target_min is not None:
            return target_min * 60
        return CARD_NEW_S if new else CARD_REVIEW_S

    def source(self, kind: str) -> str:
        """Where the kind's estimate comes from, for the learner: "yours" or "default"."""
        return "yours" if kind in self.own else "default"


def _median(values: Sequence[int]) -> float:
    """`statistics.median`, which would cost `tutor due` 5 ms of imports (random, decimal...)."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


@dataclass(frozen=True)
class Candidate(Generic[T]):
    """A new item waiting to be introduced: today's cost, each review's cost, and the days
    (counted from today) its reviews come back if they all go well: `returns`, or with
    `path`, those days given what each later day holds (the load balancer's moves follow
    the load: `balanced_path`)."""

    item: T
    seconds: float
    review_seconds: float
    returns: tuple[int, ...]
    path: Callable[[Mapping[int, float]], tuple[int, ...]] | None = None


def good_path(scheduler: Scheduler, state: ItemState | None, start: date, horizon: int) -> tuple[int, ...]:
    """The days after `start` (1..horizon) on which an item comes back if it is reviewed on
    each due day and rated Good; `state` None is a new item first reviewed on `start`
    (whose first review is not in the result), else the item as it stands, next reviewed on
    `max(state.due, start)` (that day is in the result when after `start`)."""
    days: list[int] = []
    if state is None:
        state = scheduler.apply(None, Review("", _noon(start), start, GOOD))
    while True:
        day = max(state.due, start)
        offset = (day - start).days
        if offset > horizon:
            return tuple(days)
        if offset > 0:
            days.append(offset)
        state = scheduler.apply(state, Review("", _noon(day), day, GOOD))
        if state.due <= day:  # a scheduler that does not move on: stop rather than loop
            return tuple(days)


def balanced_path(scheduler: Scheduler, start: date, horizon: int, load: Mapping[int, float],
                  steady_until: date | None = None) -> tuple[int, ...]:
    """The days after `start` (1..horizon) a new item first reviewed on `start` comes back on
    if rated Good each time, as `good_path`, with each review the load balancer may move
    (`balance_tolerance`) on the day `lighter_day` would pick by `load` (seconds on each day,
    counted from `start`); a review due by `steady_until` stays on its day (`Study.steady_until`)."""
    days: list[int] = []
    state = scheduler.apply(None, Review("", _noon(start), start, GOOD))
    while (offset := (state.due - start).days) <= horizon:
        days.append(offset)
        after = scheduler.apply(state, Review("", _noon(state.due), state.due, GOOD))
        if after.due <= state.due:  # a scheduler that does not move on: stop rather than loop
            break
        state = after if steady_until is not None and after.due <= steady_until else _balanced(after, start, load)
    return tuple(days)


MAX_PATHS = 32  # ways a new item's reviews may go within a plan's days (the shipped ladder: 8)


def review_paths(scheduler: Scheduler, start: date, horizon: int) -> list[tuple[int, ...]]:
    """Every way the days after `start` (1..horizon) a new item first reviewed on `start`
    comes back on may go if rated Good each time, with each review the load balancer may move
    (`balance_tolerance`) on any day of its tolerance (a move also moves the reviews after it:
    intervals count from the real review day). The first is `good_path`, the scheduler's own
    days; at most `MAX_PATHS`, the fewest and earliest moves first (depth first, each review
    on its own day first). The planner chooses one for each plan item (`tutor.study.planner`)."""
    out: list[tuple[int, ...]] = []

    def walk(state: ItemState, days: tuple[int, ...]) -> None:
        first = (state.due - start).days
        for offset in range(first, first + balance_tolerance(state) + 1):
            if len(out) >= MAX_PATHS:
                return
            if offset > horizon:
                out.append(days)
                return
            day = start + timedelta(days=offset)
            after = scheduler.apply(state, Review("", _noon(day), day, GOOD))
            if after.due <= day:  # a scheduler that does not move on: stop rather than loop
                out.append(days + (offset,))
                continue
            walk(after, days + (offset,))

    walk(scheduler.apply(None, Review("", _noon(start), start, GOOD)), ())
    return out


def planned_states(scheduler: Scheduler, days: Sequence[date]) -> list[ItemState]:
    """The states of a new item reviewed Good on each of `days` (its start first), each review's
    next one moved by the load balancer to the following day: the states of a plan item on its
    plan after each of its reviews, its due day the next planned one (`Study.planned_day`)."""
    out: list[ItemState] = []
    state: ItemState | None = None
    for n, day in enumerate(days):
        state = scheduler.apply(state, Review("", _noon(day), day, GOOD))
        if n + 1 < len(days):
            state = replace(state, due=days[n + 1])
        out.append(state)
    return out


Group = tuple[Scheduler, ItemState, int, float, "date | None", "tuple[date, ...]"]


def projected_load(groups: Iterable[Group], start: date, horizon: int) -> dict[int, float]:
    """Seconds of reviews on each of the next `horizon` days (offsets from `start`) from the
    items in `groups` (scheduler, state, how many, seconds a review, the day until which the
    balancer leaves their reviews on their days or None, the days of their planned reviews
    after their next one) if every review goes well, with the load balancer's moves replayed
    day by day as `Study.lighter_day` makes them: a review with a planned day goes to it, any
    other it may move to the lightest day of its tolerance by what each day holds then (every
    item's Good returns from where it stands), one item at a time. Without the moves the
    projection put a moved review on a day it had left and missed it on the day it went to,
    so a new item could fill that day first."""
    load: dict[int, float] = {}
    pending: dict[int, list[tuple[Group, tuple[int, ...]]]] = {}

    def place(group: Group) -> None:
        scheduler, state, count, seconds, _, _ = group
        path = good_path(scheduler, state, start, horizon)
        add_returns(load, path, count * seconds)
        pending.setdefault(max(0, (state.due - start).days), []).append((group, path))

    for group in groups:
        place(group)
    for offset in range(horizon + 1):
        day = start + timedelta(days=offset)
        for (scheduler, state, count, seconds, steady_until, planned), path in pending.pop(offset, []):
            add_returns(load, [o for o in path if o > offset], -count * seconds)
            after = scheduler.apply(state, Review("", _noon(day), day, GOOD))
            if after.due <= day:
                continue
            if planned and after.due <= planned[0] <= after.due + timedelta(days=balance_tolerance(after)):
                place((scheduler, replace(after, due=planned[0]), count, seconds, steady_until, planned[1:]))
                continue
            first = (after.due - start).days
            tolerance = 0 if steady_until is not None and after.due <= steady_until else balance_tolerance(after)
            window = [load.get(first + n, 0.0) for n in range(tolerance + 1)]
            for n, items in enumerate(spread(window, count, seconds)):
                if items:
                    place((scheduler, replace(after, due=after.due + timedelta(days=n)), items, seconds, steady_until,
                           ()))
    return {offset: seconds for offset, seconds in load.items() if 0 < offset <= horizon}


def spread(window: list[float], count: int, seconds: float) -> list[int]:
    """How many of `count` items of `seconds` each go to each day of `window` (its seconds
    a day) if each in turn goes to the lightest day, the earliest of equals."""
    if len(window) == 2 and seconds > 0:  # the usual tolerance, one day: counted, not looped
        first, second = window
        if first <= second:  # a run on the first day until it is the heavier, then turn about
            run = min(count, math.floor((second - first) / seconds) + 1)
            rest = count - run
            return [run + rest // 2, rest - rest // 2]
        run = min(count, math.ceil((first - second) / seconds))
        rest = count - run
        return [rest - rest // 2, run + rest // 2]
    moved = [0] * len(window)
    for _ in range(count):
        lightest = window.index(min(window))
        window[lightest] += seconds
        moved[lightest] += 1
    return moved


def _balanced(state: ItemState, start: date, load: Mapping[int, float]) -> ItemState:
    """`state` with its due day where the load balancer puts it: the lightest day of its
    tolerance by `load` (offsets from `start`), the earliest of equals (`lighter_day`)."""
    tolerance = balance_tolerance(state)
    if not tolerance:
        return state
    first = (state.due - start).days
    best = min(range(first, first + tolerance + 1), key=lambda offset: (load.get(offset, 0.0), offset))
    return replace(state, due=start + timedelta(days=best))


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def overdue_order(today: date, due: date, last_day: date) -> float:
    """Sort key (ascending) of a due review: most overdue relative to its interval first."""
    interval = max(1, (due - last_day).days)
    return -(today - due).days / interval


def lighter_day(due: date, last: date, load: Mapping[date, float]) -> date:
    """Of `due` and the days after it up to `last`, the one with the least work due (`load`,
    seconds a day); the earliest of equals, so `due` unless a later day is lighter. Anki
    24.11's load balancer picks at random, weighted towards light days, earlier or later;
    here only later (a ladder review before its due day would not count) and always the
    lightest, so a replay and a test can tell where it goes."""
    days = [due + timedelta(days=n) for n in range((last - due).days + 1)]
    return min(days, key=lambda day: (load.get(day, 0.0), day))


def shortest_first(offered: Iterable[tuple[int, Candidate[T]]]) -> list[Candidate[T]]:
    """Plan items in the order they are offered to `fit_new_items`: `offered` pairs each with
    its checkpoint (plan day); the earliest checkpoint first and, within one, the shortest first
    (plan order between equals), so a checkpoint's cards come before the exercises that use
    them. Chosen by measurement, not derived: `bench/day35_orders.py` counts the items a
    diligent learner at 30 minutes meets by day 35 in each order, and this one met the most
    (plan order and largest first met fewer)."""
    return [c for _, c in sorted(offered, key=lambda pair: (pair[0], pair[1].seconds))]


def fit_new_items(budget_s: float, today_s: float, reserved: Callable[[], Mapping[int, float]],
                  candidates: Iterable[Candidate[T]]) -> list[Candidate[T]]:
    """The candidates (taken in order) to introduce today.

    `today_s`: today's work already planned or done (the due reviews and what was studied
    today); `reserved()`: seconds already expected on each later day (offset from today),
    asked for only once a candidate fits today (it reads every studied item). A candidate
    fits if today stays within `budget_s` and so does every day it comes back on; one that
    does not fit is passed over for now (a smaller one after it may fit). An item longer than
    the whole budget would never fit: it comes first on a day with nothing else.
    """
    load: dict[int, float] | None = None
    chosen: list[Candidate[T]] = []
    for c in candidates:
        alone = today_s == 0 and not chosen and c.seconds > budget_s  # it would never fit
        if not alone and today_s + c.seconds > budget_s:
            continue
        if load is None:
            load = dict(reserved())
        returns = c.path(load) if c.path else c.returns
        if alone or all(load.get(day, 0.0) + c.review_seconds <= budget_s for day in returns):
            chosen.append(c)
            today_s += c.seconds
            add_returns(load, returns, c.review_seconds)
    return chosen


def add_returns(load: dict[int, float], returns: Iterable[int], seconds: float) -> None:
    """Reserve `seconds` on each of the days `returns` (offsets from today)."""
    for day in returns:
        load[day] = load.get(day, 0.0) + seconds
