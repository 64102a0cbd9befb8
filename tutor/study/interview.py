"""Preparing for an interview date: the plan compressed to fit, reviews that never jump over the
date, the last days kept light, and readiness (the mean predicted recall on the date).

Pure functions of dates and numbers; `Study` (tutor.study.service) applies them to the queue,
the plan and each review, and computes readiness from the review log with FSRS.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from math import ceil, floor
from typing import Any

from tutor.errors import TutorError
from tutor.study.budget import Estimates

Work = tuple[str, float | None]  # an item's kind and target_min: what its estimate depends on

NO_NEW_DAYS = 2  # no new items on the last two days before the date
FINAL_WEEK = 7  # a review that would fall after the date is brought into the week before it
LIGHT_REVIEW_ITEMS = 10  # the day before the date: the weakest items, this many at most
AT_RISK_SHOWN = 20
REVIEWS_BEFORE_DATE = 2  # a new item is seen again about twice before the date


def plan_offset(day: int, last_day: int, start: date, interview: date | None) -> int:
    """Days from the deck's start to a checkpoint planned for `day`: as planned, or compressed
    in proportion so the last checkpoint comes before the days without new items."""
    if interview is None or last_day <= 0:
        return day
    room = (interview - start).days - NO_NEW_DAYS - 1  # the last day new items may start
    if room >= last_day:
        return day
    return floor(day * max(0, room) / last_day)


def no_new_items(today: date, interview: date | None) -> bool:
    """The last days before the date are for reviewing what is known."""
    return interview is not None and 0 <= (interview - today).days <= NO_NEW_DAYS


def light_review_day(today: date, interview: date | None) -> bool:
    return interview is not None and (interview - today).days == 1


def due_by(item_id: str, due: date, today: date, interview: date | None) -> date | None:
    """The latest day an item's next review may fall on so that it is not after the date:
    its `final_week_day`; None: as scheduled. An item already reviewed in the final week keeps
    its schedule."""
    if interview is None or due < interview or (interview - today).days <= FINAL_WEEK:
        return None
    return final_week_day(item_id, interview)


def final_week_day(item_id: str, interview: date) -> date:
    """The day of the final week an item's last review before the date falls on, spread by item
    over I-7 .. I-2 (before the light last day)."""
    spread = zlib.crc32(item_id.encode()) % (FINAL_WEEK - 1)
    return interview - timedelta(days=FINAL_WEEK - spread)


class BadDate(TutorError, ValueError):
    """An interview date that is not a date, or is already past."""


def with_date(dates: Mapping[str, str], deck: str | None, text: str, today: date) -> dict[str, str]:
    """The `interview` setting after setting `text` (a date, or none to clear) for `deck`
    (None: every deck; clearing without a deck clears them all)."""
    if text.strip().lower() == "none":
        return {k: v for k, v in dates.items() if deck and k != deck}
    try:
        when = date.fromisoformat(text.strip())
    except ValueError:
        raise BadDate(f"{text[:40]!r} is not a date, YYYY-MM-DD (or none)") from None
    if when < today:
        raise BadDate(f"{when.isoformat()} is in the past")
    return {**dates, deck or "*": when.isoformat()}


@dataclass(frozen=True)
class Readiness:
    """`tutor plan --json`'s "interview" for one deck."""

    date: date
    days_left: int
    readiness: float  # mean predicted recall on the date, unseen items 0
    minutes_needed: float | None  # per day to cover the deck in time; None: nothing left to learn
    at_risk: tuple[str, ...]  # items predicted below the desired retention, weakest first
    recall: dict[str, float]  # each item's predicted recall on the date

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "days_left": self.days_left, "readiness": round(self.readiness, 4),
                "minutes_needed": self.minutes_needed, "at_risk": list(self.at_risk)}


def minutes_needed(unseen: Mapping[Work, int], reviews_due: Mapping[Work, int], days_left: int,
                   estimates: Estimates) -> float | None:
    """Minutes a day that first studies of the unseen items (each then seen again about
    `REVIEWS_BEFORE_DATE` times) and the reviews due before the date take, spread over the
    days that allow new items; each at the daily budget's estimate (`tutor.study.budget`).
    `unseen`, `reviews_due`: how many items of each (kind, target_min)."""
    if not unseen:
        return None
    total = sum(n * (estimates.seconds(kind, target, new=True)
                     + REVIEWS_BEFORE_DATE * estimates.seconds(kind, target, new=False))
                for (kind, target), n in unseen.items())
    total += sum(n * estimates.seconds(kind, target, new=False) for (kind, target), n in reviews_due.items())
    return float(ceil(total / 60 / max(1, days_left - NO_NEW_DAYS)))


def section_means(recall: dict[str, float], sections: dict[str, tuple[str, ...]]) -> dict[str, float]:
    """Mean predicted recall of each section's items (an item counts in each of its tags)."""
    members: dict[str, list[float]] = {}
    for item_id, tags in sections.items():
        for tag in tags or ("untagged",):
            members.setdefault(tag, []).append(recall.get(item_id, 0.0))
    return {tag: sum(values) / len(values) for tag, values in sorted(members.items())}
