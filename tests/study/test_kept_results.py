"""Results the study keeps between calls (today's queue, deck starts, readiness, the streak)
are always what reading them from scratch gives: after ratings and undos in this process or
another, a new day, changed settings or another write, and after taking back what a worker
thread read on a connection of its own."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import LINALG, TEST_DECKS
from tutor.schedule import AGAIN, EASY, GOOD, HARD
from tutor.store import StoreError
from tutor.study import budget, open_study, stats

ROOTS = [LINALG, TEST_DECKS / "batchnorm"]
D = date(2026, 3, 2)
ITEMS = ("eigenvector-definition", "trace-2x2", "det-2x2", "orthogonal-inverse", "batchnorm-axis",
         "batchnorm-train-variance", "batchnorm-forward")

steps = st.one_of(
    st.tuples(st.just("rate"), st.booleans(), st.sampled_from(ITEMS), st.sampled_from([AGAIN, HARD, GOOD, EASY])),
    st.tuples(st.just("undo"), st.booleans()),
    st.tuples(st.just("day"), st.integers(1, 4)),
    st.tuples(st.just("minutes"), st.integers(1, 40)),
    st.tuples(st.just("interview"), st.integers(2, 20)),
    st.tuples(st.just("hint"), st.sampled_from(ITEMS)),
    st.tuples(st.just("look")),  # asks again with nothing changed
    st.tuples(st.just("twin"), st.sampled_from(["none", "rate", "other", "minutes"])),  # what may happen meanwhile
)


def at(day: date) -> str:
    return f"{day.isoformat()}T10:00:00"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(script=st.lists(steps, min_size=1, max_size=14))
def test_kept_results_equal_a_fresh_reading_after_any_change(script):
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", "Europe/London")
        patch.setenv("TUTOR_NOW", at(D))
        home, day = Path(tmp), D
        study, other = open_study(home, roots=ROOTS), open_study(home, roots=ROOTS)  # other: another process
        try:
            for step in script:
                kind = step[0]
                if kind == "rate":
                    (study if step[1] else other).review(step[2], step[3], duration_ms=9000)
                elif kind == "undo":
                    (study if step[1] else other).undo()
                elif kind == "day":
                    day += timedelta(days=step[1])
                    patch.setenv("TUTOR_NOW", at(day))
                elif kind == "minutes":
                    study.settings = replace(study.settings, daily_minutes=step[1])
                elif kind == "interview":
                    when = (day + timedelta(days=step[1])).isoformat()
                    study.settings = replace(study.settings, interview={"linalg": when})
                elif kind == "hint":
                    other.note_hints(step[1], 1)
                elif kind == "twin":
                    read_on_a_twin_and_take_it_back(study, other, step[1])
                fresh = open_study(home, roots=ROOTS)
                fresh.settings = study.settings
                try:
                    for deck in (None, "linalg", "batchnorm"):
                        assert study.queue(deck) == fresh.queue(deck)
                    assert study.deck_starts() == fresh.deck_starts()
                    assert study.readiness("linalg") == fresh.readiness("linalg")
                    assert study.plan("linalg") == fresh.plan("linalg")
                finally:
                    fresh.close()
        finally:
            study.close()
            other.close()


def read_on_a_twin_and_take_it_back(study, other, meanwhile: str) -> None:
    """What the dashboard's worker does: read on `Study.on_own_connection`, then `adopt`; a write
    (here or by another process) or a settings change meanwhile makes the read stale."""
    stamp = study.stamp()
    twin = study.on_own_connection()
    try:
        for deck in (None, "linalg", "batchnorm"):
            twin.queue(deck)
        twin.deck_starts(), twin.readiness("linalg")
    finally:
        twin.close()
    if meanwhile == "rate":
        study.review("det-2x2", GOOD)
    elif meanwhile == "other":
        other.review("trace-2x2", HARD)
    elif meanwhile == "minutes":
        study.settings = replace(study.settings, daily_minutes=study.settings.daily_minutes + 1)
    assert study.adopt(stamp, twin) is (meanwhile == "none")


def test_what_a_twin_read_is_taken_back_without_reading_again(home, monkeypatch):
    monkeypatch.setenv("TUTOR_NOW", at(D))
    study = open_study(home, roots=[LINALG])
    study.review("eigenvector-definition", GOOD)  # nothing kept from before
    stamp = study.stamp()
    twin = study.on_own_connection()
    queue = twin.queue("linalg")
    twin.close()
    assert study.adopt(stamp, twin)
    monkeypatch.setattr(study, "_queue", lambda deck: pytest.fail("read again"))
    assert study.queue("linalg") == queue


def test_a_twin_never_writes(home, monkeypatch):
    monkeypatch.setenv("TUTOR_NOW", at(D))
    study = open_study(home, roots=[LINALG])
    twin = study.on_own_connection()
    with pytest.raises(StoreError, match="read-only"):
        twin.review("eigenvector-definition", GOOD)
    twin.close()
    assert study.store.live_reviews() == []


def test_a_sitting_changes_what_the_queue_gives_at_once(home, monkeypatch):
    monkeypatch.setenv("TUTOR_NOW", at(D))
    study = open_study(home, roots=[LINALG])
    first = study.queue("linalg")
    assert [e.item_id for e in first][:1] == ["eigenvector-definition"]
    first.pop(0)  # a sitting's own copy: what the study keeps is not changed by it
    assert [e.item_id for e in study.queue("linalg")][:1] == ["eigenvector-definition"]
    study.review("eigenvector-definition", AGAIN)
    monkeypatch.setenv("TUTOR_NOW", f"{D.isoformat()}T11:00:00")
    again = study.store.state("eigenvector-definition")
    study.review("eigenvector-definition", GOOD)
    assert "eigenvector-definition" not in [e.item_id for e in study.queue("linalg")]
    assert study.store.state("eigenvector-definition").due == D + timedelta(days=3)
    study.undo()  # the item, its due day and its place in the queue come back
    assert study.store.state("eigenvector-definition") == again and again.due == D
    assert [e.item_id for e in study.queue("linalg")][:1] == ["eigenvector-definition"]


def test_the_streak_counts_days_in_a_row_and_not_undone_reviews(home, monkeypatch):
    study = open_study(home, roots=[LINALG])
    for offset in (0, 1, 2, 4, 5):  # a gap on day 3
        monkeypatch.setenv("TUTOR_NOW", at(D + timedelta(days=offset)))
        study.review("eigenvector-definition", GOOD)
    last = D + timedelta(days=5)
    assert stats.streak(study.store, last) == 2
    assert stats.streak(study.store, last + timedelta(days=1)) == 2  # today not yet studied
    assert stats.streak(study.store, last + timedelta(days=2)) == 0
    monkeypatch.setenv("TUTOR_NOW", at(last))
    study.undo()  # day 5's only review
    assert stats.streak(study.store, last) == 1
    assert stats.streak(study.store, D + timedelta(days=2)) == 3


def generated_deck(root: Path, cards: int) -> Path:
    deck = root / "many"
    deck.mkdir(parents=True)
    (deck / "deck.yaml").write_text("id: many\ntitle: Many cards\nplan:\n  - day: 0\n    goal: all\n    items: []\n")
    lines = ["cards:"]
    for n in range(cards):
        lines += [f"  - id: card-{n}", "    type: basic", f"    title: Card {n}", f"    front: Question {n}?",
                  f"    back: Answer {n}."]
    (deck / "cards.yaml").write_text("\n".join(lines) + "\n")
    return deck


days = st.lists(st.tuples(st.lists(st.sampled_from([GOOD, GOOD, GOOD, EASY, HARD, AGAIN]), min_size=0, max_size=12),
                          st.integers(2_000, 90_000), st.sampled_from(["none", "none", "undo", "other"])),
                min_size=10, max_size=35)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(script=days)
def test_the_load_balancers_kept_reads_equal_a_fresh_reading_over_weeks_of_reviews(script):
    """Each review steps the answer times and the due days read so far instead of reading them
    again; after every review, undo or other process's review they are what the store gives."""
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", "Europe/London")
        patch.setenv("TUTOR_NEW_PER_DAY", "8")
        patch.setattr(budget, "OWN_WINDOW", budget.OWN_AFTER + 5)  # the window fills and slides within weeks
        root = Path(tmp)
        roots = [generated_deck(root / "content", 40)]
        patch.setenv("TUTOR_NOW", at(D))
        study, other = open_study(root / "home", roots=roots), open_study(root / "home", roots=roots)
        try:
            for offset, (ratings, duration, extra) in enumerate(script):
                day = D + timedelta(days=offset)
                patch.setenv("TUTOR_NOW", at(day))
                study.due_work(day, day + timedelta(days=70))  # read ahead, so reviews step it
                for entry, rating in zip(study.queue("many"), ratings, strict=False):
                    study.review(entry.item_id, rating, duration_ms=duration + 97 * len(entry.item_id))
                if extra == "undo":
                    study.undo()
                elif extra == "other":
                    other.review(f"card-{offset % 40}", GOOD, duration_ms=duration)
                fresh = open_study(root / "home", roots=roots)
                try:
                    assert study.estimates() == fresh.estimates()
                    ahead = day + timedelta(days=70)
                    assert study.due_work(day, ahead) == fresh.due_work(day, ahead)
                    assert study.queue("many") == fresh.queue("many")
                finally:
                    fresh.close()
        finally:
            study.close()
            other.close()
