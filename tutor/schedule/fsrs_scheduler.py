"""FSRS, the adaptive alternative, through the `fsrs` package.

py-fsrs wants UTC datetimes and explicit card ids (an implicit id sleeps 1 ms). Fuzz is off:
state must be a deterministic fold over the log, or replaying history would move due dates.
Its due instants are mapped onto study days so both schedulers answer "due today?" alike.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tutor.clock import study_day
from tutor.schedule import AGAIN, EASY, GOOD, HARD, ItemState, Review

LEARNING_STEPS = (timedelta(minutes=10),)


def card_id(item_id: str) -> int:
    """A stable 63-bit id for an item, so FSRS cards survive a rebuild."""
    return int.from_bytes(hashlib.blake2b(item_id.encode(), digest_size=8).digest(), "big") >> 1


@dataclass
class FsrsScheduler:
    desired_retention: float = 0.9
    day_start_hour: int = 4
    zone: Any = None
    name: str = "fsrs"
    _scheduler: Any = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        from fsrs import Scheduler

        self._scheduler = Scheduler(desired_retention=self.desired_retention,
                                    learning_steps=LEARNING_STEPS, enable_fuzzing=False)

    def _card(self, state: ItemState | None, item_id: str) -> Any:
        from fsrs import Card

        if state is None or not state.data.get("card"):
            return Card(card_id=card_id(item_id))
        return Card.from_dict(state.data["card"])

    def apply(self, state: ItemState | None, review: Review) -> ItemState:
        from fsrs import Rating, State

        card = self._card(state, review.item_id)
        at = review.at.astimezone(UTC)
        was_review = card.state == State.Review
        card, _ = self._scheduler.review_card(card, Rating(review.rating), review_datetime=at)
        due_day = max(study_day(card.due, self.day_start_hour, self.zone), review.day)
        if state is None:
            state = ItemState(self.name, due_day, 0, 0, review.day, review.day)
        return replace(
            state,
            scheduler=self.name,
            due=due_day,
            reps=state.reps + 1,
            lapses=state.lapses + (1 if review.rating == AGAIN and was_review else 0),
            last_day=review.day,
            data={"card": card.to_dict()},
        )

    def preview(self, state: ItemState | None, at: datetime, day: date) -> dict[int, date]:
        return {r: self.apply(state, Review("preview", at, day, r)).due for r in (AGAIN, HARD, GOOD, EASY)}
