"""Scheduling towards an interview date (issue 15): reviews scheduled after the date come into
its final week even when the date was set after they were scheduled; the minutes a day the
deck needs and the light last day use the daily budget's estimates."""

from __future__ import annotations

from datetime import date, timedelta

from tests.conftest import LINALG, REPO
from tutor.schedule import GOOD
from tutor.study import open_study
from tutor.study.budget import Estimates
from tutor.study.interview import final_week_day, minutes_needed

D = date(2026, 1, 5)
ITEM = "eigenvector-definition"


def at(day: date) -> str:
    return f"{day.isoformat()}T10:00:00"


def _due_ids(cli, day: date) -> list[str]:
    due = cli("due", "--json", "--deck", "linalg", "--content", str(LINALG), now=at(day))
    assert due.code == 0, due.err
    return [i["id"] for i in due.json()["items"] if i["status"] != "new"]


def test_setting_a_date_brings_a_review_scheduled_after_it_into_the_final_week(cli):
    for offset in (0, 3, 7, 14, 21):
        review = cli("review", ITEM, "--rating", "good", "--json", "--content", str(LINALG),
                     now=at(D + timedelta(days=offset)))
    assert review.json()["due"] == (D + timedelta(days=35)).isoformat()
    interview = D + timedelta(days=30)
    assert cli("plan", "--interview", interview.isoformat(), "--deck", "linalg", "--content", str(LINALG),
               now=at(D + timedelta(days=22))).code == 0
    latest = final_week_day(ITEM, interview)
    assert ITEM not in _due_ids(cli, latest - timedelta(days=1))
    assert ITEM in _due_ids(cli, latest)  # was due only on Day 35, after the date
    assert cli("review", ITEM, "--rating", "good", "--content", str(LINALG), now=at(latest)).code == 0
    assert ITEM not in _due_ids(cli, latest + timedelta(days=1))  # its last review before the date is done
    assert cli("plan", "--interview", "none", "--content", str(LINALG), now=at(latest)).code == 0
    assert ITEM not in _due_ids(cli, interview - timedelta(days=1))


def test_minutes_needed_use_the_budget_estimates_target_minutes_and_the_learners_own_pace():
    drill = {("drill", 12.0): 1}  # first study and two reviews at its 12 target minutes
    assert minutes_needed(drill, {}, 3, Estimates()) == 36
    cards = {("card", None): 10}
    assert minutes_needed(cards, {}, 3, Estimates()) == 7  # 10 x (13.78 s + 2 x 12.38 s), rounded up
    assert minutes_needed(cards, {}, 3, Estimates({"card": 60.0})) == 30  # the learner takes a minute a card
    assert minutes_needed(cards, {("drill", 5.0): 2}, 3, Estimates()) == 17  # and two drill reviews due
    assert minutes_needed({}, drill, 3, Estimates()) is None  # nothing left to learn


def test_the_light_last_day_estimates_a_derivation_at_its_target_minutes(monkeypatch, home):
    interview = D + timedelta(days=10)
    monkeypatch.setenv("TUTOR_INTERVIEW", f"adam={interview.isoformat()}")
    monkeypatch.setenv("TUTOR_NOW", at(D))
    study = open_study(home, roots=[REPO / "content"])
    try:
        study.review("warmup-midpoint", GOOD)  # a derivation of 5 target minutes
        monkeypatch.setenv("TUTOR_NOW", at(interview - timedelta(days=1)))
        light = study.light_review("adam", study.today(), set(), study.estimates())
    finally:
        study.close()
    assert [(e.item_id, e.seconds) for e in light] == [("warmup-midpoint", 300.0)]


def test_with_fsrs_an_interval_that_keeps_recall_above_the_target_through_the_date_is_kept(monkeypatch, home):
    from tutor.schedule.fitting import retrievability
    from tutor.schedule.fsrs_scheduler import default_parameters

    interview = D + timedelta(days=40)
    monkeypatch.setenv("TUTOR_SCHEDULER", "fsrs")
    monkeypatch.setenv("TUTOR_INTERVIEW", f"linalg={interview.isoformat()}")
    monkeypatch.setenv("TUTOR_NOW", at(D))
    study = open_study(home, roots=[LINALG])
    try:
        day, spans = D, []
        while (interview - day).days > 7:  # reviewed Good on each day FSRS gives, well before the date
            monkeypatch.setenv("TUTOR_NOW", at(day))
            _, state = study.review(ITEM, GOOD)
            if state.due > interview:
                spans.append(state)
            day = state.due
    finally:
        study.close()
    assert spans, "no interval reached past the date"
    state = spans[0]  # not pulled into the final week (the ladder's rule): recall holds on the date
    recall = retrievability(default_parameters(), (interview - state.last_day).days, state.data["stability"])
    assert recall >= 0.9, recall
