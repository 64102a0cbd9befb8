"""FSRS through our fold gives exactly the card py-fsrs computes directly."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from fsrs import Card, Rating, Scheduler

from tests.conftest import LINALG
from tutor.schedule import Review, fold
from tutor.schedule.fsrs_scheduler import LEARNING_STEPS, FsrsScheduler, card_id

HISTORY = [  # (days after start, hour UTC, rating)
    (0, 9, 3), (0, 9, 3), (2, 18, 3), (13, 8, 1), (13, 8, 3), (16, 20, 2), (30, 7, 4), (80, 12, 3),
]
START = datetime(2026, 1, 5, tzinfo=UTC)


def _direct(item_id: str) -> Card:
    scheduler = Scheduler(desired_retention=0.9, learning_steps=LEARNING_STEPS, enable_fuzzing=False)
    card = Card(card_id=card_id(item_id))
    for offset, hour, rating in HISTORY:
        at = START + timedelta(days=offset, hours=hour)
        card, _ = scheduler.review_card(card, Rating(rating), review_datetime=at)
    return card


def test_fold_matches_py_fsrs():
    ours = FsrsScheduler(zone=UTC)
    reviews = [Review("x", START + timedelta(days=o, hours=h), (START + timedelta(days=o, hours=h)).date(), r)
               for o, h, r in HISTORY]
    state = fold(ours, reviews)
    assert Card.from_dict(state.data["card"]).to_dict() == _direct("x").to_dict()
    assert state.reps == len(HISTORY)
    assert state.lapses == 1


def test_history_recorded_through_the_cli_replays_to_the_same_card(cli, home):
    from tutor.store import Store

    item = "eigenvector-definition"
    for offset, hour, rating in HISTORY:
        at = START + timedelta(days=offset, hours=hour)
        result = cli("review", item, "--rating", ("again", "hard", "good", "easy")[rating - 1],
                     "--scheduler", "fsrs", "--content", str(LINALG), now=at.isoformat())
        assert result.code == 0, result.err
    with Store.open(home) as store:
        state = store.state(item)
    assert Card.from_dict(state.data["card"]).to_dict() == _direct(item).to_dict()
    assert state.due >= date(2026, 1, 5)
