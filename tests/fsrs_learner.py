"""A synthetic learner whose memory follows FSRS with known, non-default parameters.

The learner studies with tutor's FSRS scheduler at its default parameters (as anyone does before
`tutor optimize`), reviews a little late now and then, and recalls with the probability the
*true* parameters give; its reviews come out as a tutor JSON backup (tutor/interop/backup.py).
Used by the optimizer tests and bench/bench_fitting.py.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tutor.schedule import AGAIN, EASY, GOOD, HARD, Review
from tutor.schedule.fitting import retrievability
from tutor.schedule.fsrs_scheduler import FsrsScheduler

TRUE_PARAMETERS = (0.6, 1.8, 4.5, 15.0, 7.0, 0.5, 2.0, 0.02, 1.3, 0.25, 1.1, 1.9, 0.1, 0.35, 1.8, 0.3, 2.6, 0.4,
                   0.15, 0.08, 0.35)
START = date(2025, 1, 6)
DECK = "synthetic"
FIRST_RATINGS = (0.2, 0.1, 0.55, 0.15)
PASS_RATINGS = (0.15, 0.7, 0.15)  # Hard, Good, Easy when recalled


def learner_reviews(count: int, seed: int = 1, new_per_day: int = 15,
                    parameters: tuple[float, ...] = TRUE_PARAMETERS) -> list[tuple[str, date, int, int]]:
    """(item id, study day, rating, duration ms) of `count` reviews, in the order they happened."""
    rng = random.Random(seed)
    truth = FsrsScheduler(parameters=parameters)
    schedule = FsrsScheduler()
    states: dict[str, tuple[Any, Any]] = {}  # item -> (true state, scheduled state)
    out: list[tuple[str, date, int, int]] = []
    day = START
    at = datetime.combine(START, datetime.min.time(), UTC)
    while len(out) < count:
        due = [item for item, (_, scheduled) in states.items() if scheduled.due <= day]
        fresh = [f"syn-{len(states) + n:05d}" for n in range(new_per_day)]
        for item in due + fresh:
            if len(out) >= count:
                break
            true_state, scheduled = states.get(item, (None, None))
            while len(out) < count:
                if true_state is None:
                    rating = rng.choices((AGAIN, HARD, GOOD, EASY), FIRST_RATINGS)[0]
                else:
                    elapsed = (day - true_state.last_day).days
                    recall = (retrievability(parameters, elapsed, true_state.data["stability"])
                              if elapsed else 0.95)
                    rating = (AGAIN if rng.random() > recall
                              else rng.choices((HARD, GOOD, EASY), PASS_RATINGS)[0])
                review = Review(item, at, day, rating)
                true_state, scheduled = truth.apply(true_state, review), schedule.apply(scheduled, review)
                out.append((item, day, rating, rng.randint(4000, 20000)))
                if scheduled.due > day:
                    break
            if scheduled is not None and scheduled.due > day:  # a late review now and then
                scheduled = replace(scheduled, due=scheduled.due + timedelta(days=rng.choice((0, 0, 0, 1, 2))))
            states[item] = (true_state, scheduled)
        day += timedelta(days=1)
    return out


def backup_of(reviews: list[tuple[str, date, int, int]], deck: str = DECK) -> dict[str, Any]:
    """A tutor backup (format version 1) holding these reviews of cards in `deck`."""
    rows = []
    for n, (item, day, rating, duration) in enumerate(reviews):
        at = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=10, seconds=n % 36000)
        rows.append({"uid": f"synthetic:{n}", "item_id": item, "kind": "card", "deck": deck,
                     "reviewed_at": at.isoformat(timespec="milliseconds"), "day": day.isoformat(),
                     "rating": rating, "duration_ms": duration, "scheduler": "fsrs", "detail": {}, "undoes": None})
    return {"format": "tutor-backup", "version": 1, "reviews": rows, "attempts": [], "drafts": [], "content": [],
            "settings": {}}
