"""Schedulers: pure functions from a review history to the next due study day.

The review log is the source of truth; an item's state is `fold(reviews)`. Both schedulers
share one envelope, `ItemState`, so the store and the queue never care which one ran.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import IntEnum
from typing import Any, Protocol


class Rating(IntEnum):
    """How well the learner recalled an item; the store keeps these integers (1-4, as in Anki)."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


AGAIN, HARD, GOOD, EASY = Rating  # the rating rules read better without the prefix
RATINGS = {rating.name.lower(): rating for rating in Rating}  # the command line's words
RATING_NAMES = {rating: name for name, rating in RATINGS.items()}
LEECH_LAPSES = 4
# The load balancer's tolerance (ARCHITECTURE.md, Daily budget): a next review may move later
# by 5 % of its interval, at least one day, once the interval is a week or more.
BALANCE_SHARE = 0.05
BALANCE_FROM_DAYS = 7
FIXED_RUNGS = 3  # the ladder's Day 0/3/7 rungs: the plan's checkpoints rely on them, they never move


@dataclass(frozen=True)
class Review:
    """One rating of one item, as a scheduler needs it."""

    item_id: str
    at: datetime  # UTC instant
    day: date  # the study day it counted for
    rating: Rating


@dataclass(frozen=True)
class ItemState:
    """What every scheduler tells: when next, how often seen, how often forgotten."""

    scheduler: str
    due: date
    reps: int
    lapses: int
    first_day: date
    last_day: date
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def leech(self) -> bool:
        return self.lapses >= LEECH_LAPSES

    def to_dict(self) -> dict[str, Any]:
        return {"scheduler": self.scheduler, "due": self.due.isoformat(), "reps": self.reps, "lapses": self.lapses,
                "first_day": self.first_day.isoformat(), "last_day": self.last_day.isoformat(),
                "data": dict(self.data)}  # its values are plain numbers and text

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "ItemState":
        return cls(
            scheduler=d["scheduler"], due=date.fromisoformat(d["due"]), reps=int(d["reps"]),
            lapses=int(d["lapses"]), first_day=date.fromisoformat(d["first_day"]),
            last_day=date.fromisoformat(d["last_day"]), data=dict(d.get("data") or {}),
        )


class Scheduler(Protocol):
    @property
    def name(self) -> str:
        """The name stored with each review and state ("ladder", "fsrs")."""

    def apply(self, state: ItemState | None, review: Review) -> ItemState:
        """The state after one more review (state None: the item's first)."""

    def preview(self, state: ItemState | None, at: datetime, day: date) -> dict[int, date]:
        """The due day each rating would give now, for the labels on the rating keys."""


def balance_tolerance(state: ItemState) -> int:
    """How many days after the due day its scheduler gave the load balancer may put the item's
    next review: 0 for intervals under a week and for a ladder's first rungs (Day 0, 3, 7)."""
    interval = (state.due - state.last_day).days
    rung = state.data.get("rung")
    on_fixed_rung = isinstance(rung, int) and rung < FIXED_RUNGS and not state.data.get("graduated")
    if interval < BALANCE_FROM_DAYS or on_fixed_rung:
        return 0
    return max(1, round(interval * BALANCE_SHARE))


def fold(scheduler: Scheduler, reviews: Iterable[Review]) -> ItemState | None:
    state = None
    for review in reviews:
        state = scheduler.apply(state, review)
    return state


def make_scheduler(name: str, *, ladder: tuple[int, ...] | None = None, desired_retention: float = 0.9,
                   parameters: Sequence[float] | None = None) -> Scheduler:
    """`parameters`: FSRS's 21 parameters (fitted by `tutor optimize`); None means the defaults."""
    if name == "fsrs":
        from tutor.schedule.fsrs_scheduler import FsrsScheduler

        return FsrsScheduler(desired_retention=desired_retention, parameters=parameters)
    from tutor.schedule.ladder import DEFAULT_LADDER, LadderScheduler

    return LadderScheduler(ladder or DEFAULT_LADDER)
