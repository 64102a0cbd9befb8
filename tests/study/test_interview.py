"""Preparing for an interview date: the plan compressed to fit, reviews that never jump over the
date, no new items on the last two days, a light last day, and readiness that FSRS-6 (py-fsrs,
default parameters) replayed over the exported log agrees with."""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.conftest import REPO
from tutor.schedule import Rating
from tutor.study import open_study
from tutor.study.interview import due_by, plan_offset

ADAM = [REPO / "content"]
FIRST = date(2026, 3, 2)
INTERVIEW = FIRST + timedelta(days=14)


def _study_daily(home, monkeypatch, days: int, seed: int = 3) -> None:
    """A learner who studies everything in the queue each morning, with mixed ratings, and gives
    the deck the time a 14-day run-up needs (the daily budget is tested on its own)."""
    monkeypatch.setenv("TUTOR_DAILY_MINUTES", "240")
    rng = random.Random(seed)
    for n in range(days):
        monkeypatch.setenv("TUTOR_NOW", f"{FIRST + timedelta(days=n)}T09:00:00")
        study = open_study(home, roots=ADAM)
        try:
            for entry in study.queue("adam"):
                rating = rng.choices(list(Rating), weights=(1, 2, 6, 1))[0]
                study.review(entry.item_id, rating)
        finally:
            study.close()


def _py_fsrs_readiness(backup: dict, items: list[str], on: date) -> float:
    """Mean recall on `on` by py-fsrs with FSRS-6's default parameters, unseen items 0."""
    from fsrs import Card, ReviewLog, Scheduler  # noqa: F401  (py-fsrs, an independent engine)
    from fsrs import Rating as FsrsRating

    scheduler = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    undone = {r["undoes"] for r in backup["reviews"] if r["undoes"]}
    cards: dict[str, Card] = {}
    for r in backup["reviews"]:
        if r["rating"] is None or r["uid"] in undone:
            continue
        card = cards.get(r["item_id"]) or Card(card_id=len(cards) + 1)
        at = datetime.fromisoformat(r["reviewed_at"]).astimezone(UTC)
        cards[r["item_id"]], _ = scheduler.review_card(card, FsrsRating(r["rating"]), review_datetime=at)
    when = datetime(on.year, on.month, on.day, 12, tzinfo=UTC)
    return sum(scheduler.get_card_retrievability(cards[i], when) if i in cards else 0.0 for i in items) / len(items)


@pytest.mark.slow
def test_fourteen_days_to_the_interview_fit_the_plan_and_readiness_matches_py_fsrs(cli, home, monkeypatch):
    assert cli("plan", "--interview", INTERVIEW.isoformat(), "--deck", "adam", now=f"{FIRST}T08:00:00").code == 0
    _study_daily(home, monkeypatch, 14)
    evening = f"{INTERVIEW - timedelta(days=1)}T20:00:00"
    plan = cli("plan", "--json", "--deck", "adam", now=evening).json()
    checkpoints = plan["decks"][0]["checkpoints"]
    assert [c["day"] for c in checkpoints] == [0, 3, 7, 14, 21]
    assert all(date.fromisoformat(c["date"]) <= INTERVIEW for c in checkpoints), checkpoints
    assert all(c["status"] == "done" for c in checkpoints), checkpoints  # every checkpoint was studied in time
    ready = plan["interview"]
    assert ready["date"] == INTERVIEW.isoformat() and ready["days_left"] == 1

    backup_path = home.parent / "backup.json"
    assert cli("export", "--format", "json", str(backup_path), now=evening).code == 0
    backup = json.loads(backup_path.read_text())
    items = [i["id"] for i in cli("content", "list", "--json", now=evening).json()["items"] if i["deck"] == "adam"]
    replayed = _py_fsrs_readiness(backup, items, INTERVIEW)
    assert replayed > 0.3  # the learner covered the deck, so the comparison means something
    assert abs(ready["readiness"] - replayed) <= 0.05, (ready["readiness"], replayed)


def test_the_last_two_days_bring_nothing_new_and_the_last_is_a_light_review(cli, home, monkeypatch):
    interview = FIRST + timedelta(days=4)
    assert cli("plan", "--interview", interview.isoformat(), now=f"{FIRST}T08:00:00").code == 0
    _study_daily(home, monkeypatch, 2)
    for days_before in (2, 1):
        monkeypatch.setenv("TUTOR_NOW", f"{interview - timedelta(days=days_before)}T09:00:00")
        study = open_study(home, roots=ADAM)
        try:
            queue = study.queue("adam")
            assert not [e for e in queue if e.status == "new"]
            if days_before == 1:
                assert queue and len(queue) >= 10  # the weakest, besides anything due
        finally:
            study.close()


def test_without_a_date_the_plan_is_unchanged_and_none_clears_it(cli):
    before = cli("plan", "--json", "--deck", "adam", now=f"{FIRST}T09:00:00").json()
    assert before["interview"] is None
    assert cli("plan", "--interview", "2026-03-05", now=f"{FIRST}T09:00:00").code == 0
    squeezed = cli("plan", "--json", "--deck", "adam", now=f"{FIRST}T09:00:00").json()
    assert [c["date"] for c in squeezed["decks"][0]["checkpoints"]] == ["2026-03-02"] * 5
    assert cli("plan", "--interview", "none", now=f"{FIRST}T09:00:00").code == 0
    assert cli("plan", "--json", "--deck", "adam", now=f"{FIRST}T09:00:00").json() == before


@pytest.mark.parametrize("given", ["2026-02-30", "next week", "2026-03-01"])
def test_a_bad_or_past_date_is_one_line_and_nothing_is_saved(cli, home, given):
    result = cli("plan", "--interview", given, now=f"{FIRST}T09:00:00")
    assert result.code == 2 and "--interview" in result.err and len(result.err.strip().splitlines()) == 1
    assert not (home / "config.yaml").exists()


def test_far_dates_leave_the_plan_alone_and_near_ones_compress_it_in_proportion():
    assert [plan_offset(d, 21, FIRST, FIRST + timedelta(days=40)) for d in (0, 3, 7, 14, 21)] == [0, 3, 7, 14, 21]
    assert [plan_offset(d, 21, FIRST, INTERVIEW) for d in (0, 3, 7, 14, 21)] == [0, 1, 3, 7, 11]
    assert plan_offset(21, 21, FIRST, None) == 21


def test_a_review_never_jumps_over_the_date():
    today = FIRST
    for item in ("a", "b", "adam-step", "x" * 50):
        latest = due_by(item, INTERVIEW + timedelta(days=5), today, INTERVIEW)
        assert latest is not None and INTERVIEW - timedelta(days=7) <= latest <= INTERVIEW - timedelta(days=2)
    assert due_by("a", INTERVIEW - timedelta(days=3), today, INTERVIEW) is None  # already before it
    assert due_by("a", INTERVIEW + timedelta(days=5), INTERVIEW - timedelta(days=6), INTERVIEW) is None  # final week
