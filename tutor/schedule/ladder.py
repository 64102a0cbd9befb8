"""The study page's ladder: reviews on Day 0, 3, 7, 14 and 21, then doubling maintenance.

Rules (ARCHITECTURE.md, Rating rules), with k the rung this review completes and gap(a, b) = ladder[b] - ladder[a]:
Again restarts the ladder today (shown again this session), Hard repeats rung k after half
the previous gap, Good moves to k+1, Easy to k+2. Gaps are measured from the day the review
actually happened, so a late review keeps its gap. Passing the last rung graduates the item:
its interval then doubles on Good (x1.2 Hard, x3 Easy), capped at a year. A review before the
item is due is counted but does not move it (Again still restarts it): reviewing twice on one
day must not climb two rungs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from tutor.schedule import AGAIN, EASY, GOOD, HARD, ItemState, Rating, Review

DEFAULT_LADDER = (0, 3, 7, 14, 21)
MAX_INTERVAL = 365
MAINTENANCE = {HARD: 1.2, GOOD: 2.0, EASY: 3.0}


@dataclass(frozen=True)
class LadderScheduler:
    ladder: tuple[int, ...] = DEFAULT_LADDER
    name: str = "ladder"

    def gap(self, a: int, b: int) -> int:
        return self.ladder[b] - self.ladder[a]

    def _next(self, rung: int, graduated: bool, interval: int, rating: Rating) -> tuple[int, bool, int]:
        """(next rung, graduated, days until due) after a rating on `rung`."""
        last = len(self.ladder) - 1
        if rating == AGAIN:
            return 0, False, 0
        if graduated:
            return last, True, min(MAX_INTERVAL, max(1, math.ceil(interval * MAINTENANCE[rating])))
        if rating == HARD:
            days = 1 if rung == 0 else max(1, math.ceil(self.gap(rung - 1, rung) / 2))
            return rung, False, days
        step = 1 if rating == GOOD else 2
        if rung == last:
            last_gap = self.gap(last - 1, last)
            return last, True, min(MAX_INTERVAL, math.ceil(last_gap * MAINTENANCE[rating]))
        target = min(rung + step, last)
        return target, False, self.gap(rung, target)

    def apply(self, state: ItemState | None, review: Review) -> ItemState:
        if state is None:
            state = ItemState(self.name, review.day, 0, 0, review.day, review.day,
                              {"rung": 0, "graduated": False, "interval": 0})
        if review.day < state.due and review.rating != AGAIN:
            return replace(state, reps=state.reps + 1, last_day=review.day)
        rung = int(state.data.get("rung", 0))
        graduated = bool(state.data.get("graduated", False))
        interval = int(state.data.get("interval", 0))
        learnt = graduated or rung > 0
        rung, graduated, days = self._next(rung, graduated, interval, review.rating)
        return replace(
            state,
            scheduler=self.name,
            due=review.day + timedelta(days=days),
            reps=state.reps + 1,
            lapses=state.lapses + (1 if review.rating == AGAIN and learnt else 0),
            last_day=review.day,
            data={"rung": rung, "graduated": graduated, "interval": days},
        )

    def preview(self, state: ItemState | None, at: datetime, day: date) -> dict[int, date]:
        return {r: self.apply(state, Review("", at, day, r)).due for r in (AGAIN, HARD, GOOD, EASY)}
