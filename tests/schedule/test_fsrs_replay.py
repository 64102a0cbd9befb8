"""One FSRS model everywhere: the scheduler's fold, the optimizer's view of the same log, and
py-fsrs (the engine tutor scheduled with before) give the same states and intervals."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import LINALG
from tests.fsrs_learner import TRUE_PARAMETERS
from tutor.schedule import AGAIN, GOOD, HARD, Review, fold
from tutor.schedule.fitting import read_log, training_items
from tutor.schedule.fsrs_scheduler import REVIEW, FsrsScheduler

HISTORY = [  # (days after start, rating): same-day repeats, after Again and Hard and also after Good
    (0, 3), (0, 3), (2, 3), (13, 1), (13, 3), (16, 2), (30, 4), (80, 3), (81, 1), (81, 2), (81, 3),
]
START = datetime(2026, 1, 5, 10, tzinfo=UTC)


def _reviews(item: str, history=HISTORY) -> list[Review]:
    """Review n happens n minutes after 10:00 UTC on its day, so that py-fsrs's elapsed time
    (whole 24-hour periods) equals the study days tutor counts."""
    out = []
    for n, (offset, rating) in enumerate(history):
        at = START + timedelta(days=offset, minutes=n)
        out.append(Review(item, at, at.date(), rating))
    return out


def test_the_fold_schedules_the_days_py_fsrs_did():
    """Moving FSRS to fsrs-rs kept every due day (where py-fsrs's 24-hour periods are study days)."""
    from fsrs import Card, Rating, Scheduler

    py_fsrs = Scheduler(desired_retention=0.9, learning_steps=(timedelta(minutes=10),), enable_fuzzing=False)
    card, ours, state = Card(card_id=1), FsrsScheduler(), None
    for review in _reviews("x"):
        card, _ = py_fsrs.review_card(card, Rating(review.rating), review_datetime=review.at)
        state = ours.apply(state, review)
        assert state.due == max(card.due.date(), review.day)
        assert state.data["stability"] == pytest.approx(card.stability, rel=1e-4)
        assert state.data["difficulty"] == pytest.approx(card.difficulty, rel=1e-4)
    assert state.lapses == 2 and state.reps == len(HISTORY)


histories = st.lists(st.tuples(st.integers(0, 40), st.integers(1, 4)), min_size=2, max_size=25)


@settings(max_examples=60, deadline=None)
@given(histories)
def test_scheduler_and_optimizer_replay_a_log_alike(history):
    """The optimizer's item for a log (study days between reviews) replays, in fsrs-rs, to the
    memory states the scheduler folded; and the scheduler's intervals are fsrs-rs's."""
    from fsrs_rs_python import FSRS

    day = date(2026, 1, 5).toordinal()
    rows, reviews = [], []
    for n, (gap, rating) in enumerate(history):
        day += gap if n else 0
        rows.append((n, "x", day, rating, None))
        at = datetime.combine(date.fromordinal(day), datetime.min.time(), UTC)
        reviews.append(Review("x", at, date.fromordinal(day), rating))
    scheduler = FsrsScheduler(parameters=TRUE_PARAMETERS)
    states, state = [], None
    for review in reviews:
        state = scheduler.apply(state, review)
        states.append(state)
    items = training_items(read_log(rows))
    if not items:
        return  # never a later day: nothing for the optimizer
    longest = max(items, key=lambda item: len(item.reviews))
    replayed = FSRS(list(TRUE_PARAMETERS)).historical_memory_states(longest)
    for ours, theirs in zip(states, replayed):
        assert ours.data["stability"] == pytest.approx(theirs.stability, rel=1e-5)
        assert ours.data["difficulty"] == pytest.approx(theirs.difficulty, rel=1e-5)
    model = FSRS(list(TRUE_PARAMETERS))
    for review, ours in zip(reviews, states):
        if ours.data["phase"] == REVIEW and ours.due > review.day:
            interval = model.next_interval(ours.data["stability"], 0.9, GOOD)
            assert (ours.due - review.day).days == min(36500, max(1, round(interval)))


def test_again_and_hard_while_learning_come_back_the_same_day():
    scheduler = FsrsScheduler()
    day = date(2026, 1, 5)
    at = START
    state = scheduler.apply(None, Review("x", at, day, AGAIN))
    assert state.due == day
    state = scheduler.apply(state, Review("x", at, day, HARD))
    assert state.due == day
    state = scheduler.apply(state, Review("x", at, day, GOOD))
    assert state.due > day and state.data["phase"] == REVIEW and state.lapses == 0


def test_history_recorded_through_the_cli_replays_to_the_same_state(cli, home):
    from tutor.store import Store

    item = "eigenvector-definition"
    for review in _reviews(item):
        result = cli("review", item, "--rating", ("again", "hard", "good", "easy")[review.rating - 1],
                     "--scheduler", "fsrs", "--content", str(LINALG), now=review.at.isoformat())
        assert result.code == 0, result.err
    with Store.open(home) as store:
        state = store.state(item)
    assert state == fold(FsrsScheduler(), _reviews(item))
