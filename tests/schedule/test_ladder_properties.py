"""Properties of the ladder that must hold for any history."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from tutor.schedule import AGAIN, GOOD, Review, fold
from tutor.schedule.ladder import MAX_INTERVAL, LadderScheduler

ladders = st.lists(st.integers(1, 60), min_size=1, max_size=6).map(
    lambda gaps: tuple([0] + [sum(gaps[: i + 1]) for i in range(len(gaps))]))
histories = st.lists(st.tuples(st.integers(0, 40), st.integers(1, 4)), max_size=40)


def _reviews(history):
    day = date(2026, 1, 1)
    out = []
    for lateness, rating in history:
        day += timedelta(days=lateness)
        out.append(Review("x", datetime(day.year, day.month, day.day, 12, tzinfo=UTC), day, rating))
    return out


@given(ladders, histories)
def test_due_is_never_before_the_review_nor_beyond_a_year(ladder, history):
    scheduler = LadderScheduler(ladder)
    state = None
    for review in _reviews(history):
        state = scheduler.apply(state, review)
        assert review.day <= state.due <= review.day + timedelta(days=MAX_INTERVAL)
        assert (state.due == review.day) == (review.rating == AGAIN)


@given(ladders, histories)
def test_fold_is_deterministic_and_counts_every_review(ladder, history):
    scheduler = LadderScheduler(ladder)
    reviews = _reviews(history)
    a, b = fold(scheduler, reviews), fold(scheduler, reviews)
    assert a == b
    assert (a.reps if a else 0) == len(reviews)


@given(ladders)
def test_good_every_time_visits_each_rung(ladder):
    scheduler = LadderScheduler(ladder)
    day = date(2026, 1, 1)
    state = None
    visited = []
    for _ in range(len(ladder)):
        visited.append((day - date(2026, 1, 1)).days)
        state = scheduler.apply(state, Review("x", datetime(2026, 1, 1, tzinfo=UTC), day, GOOD))
        day = state.due
    assert tuple(visited) == ladder
    assert state.data["graduated"]


@given(ladders, histories, st.lists(st.integers(2, 4), min_size=1, max_size=3))
def test_reviews_before_the_due_day_never_move_the_item(ladder, history, extra_ratings):
    scheduler = LadderScheduler(ladder)
    state = fold(scheduler, _reviews(history))
    if state is None or state.due == state.last_day:
        return  # due today: the next review counts
    early = state.last_day
    at = datetime(early.year, early.month, early.day, 13, tzinfo=UTC)
    after = fold(scheduler, [*_reviews(history), *(Review("x", at, early, r) for r in extra_ratings)])
    assert (after.due, after.data) == (state.due, state.data)
    assert after.reps == state.reps + len(extra_ratings)
