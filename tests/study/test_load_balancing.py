"""The load balancer (ARCHITECTURE.md, Daily budget): a review whose interval is a week or
more may move later, by at most 5 % of the interval (at least a day), to a day with less work
due; never a ladder's Day 0/3/7 rung, never onto or past the interview date, never a plan
item's review while its deck's plan runs. The move is logged with the review, so undo and
`tutor doctor --rebuild` give the schedule the learner saw. Most tests use the linalg deck
with its plan emptied (`CONTENT`), so that its items' reviews may move from the first weeks."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.conftest import LINALG
from tutor.schedule import AGAIN, EASY, GOOD, HARD, ItemState, Review, balance_tolerance
from tutor.schedule.ladder import LadderScheduler
from tutor.store.db import MOVED_TO
from tutor.study import budget, open_study

D = date(2026, 1, 5)
CONTENT = Path()  # the linalg deck with no item in its plan (`_unplanned_linalg`)
ITEMS = ("eigenvector-definition", "trace-2x2", "det-2x2", "rank-nullity", "orthogonal-inverse")
LADDER = LadderScheduler()


@pytest.fixture(scope="module", autouse=True)
def _unplanned_linalg(tmp_path_factory):
    global CONTENT
    CONTENT = tmp_path_factory.mktemp("unplanned") / "linalg"
    shutil.copytree(LINALG, CONTENT)
    deck = CONTENT / "deck.yaml"
    deck.write_text(re.sub(r"items: \[[^]]*\]", "items: []", deck.read_text()))


def at(day: date) -> str:
    return f"{day.isoformat()}T10:00:00"


def _climb(offsets: tuple[int, ...]) -> list[ItemState]:
    state, out = None, []
    for offset in offsets:
        day = D + timedelta(days=offset)
        state = LADDER.apply(state, Review("x", None, day, GOOD))  # type: ignore[arg-type]
        out.append(state)
    return out


def test_the_tolerance_is_zero_on_the_day_3_and_day_7_rungs_and_five_percent_after():
    states = _climb((0, 3, 7, 14, 21, 35, 63, 119, 231))
    # next reviews on Day 3, 7 (fixed), 14, 21, 35, 63, 119, 231, 455 (intervals 7, 7, 14, 28, 56, 112, 224)
    assert [balance_tolerance(s) for s in states] == [0, 0, 1, 1, 1, 1, 3, 6, 11]


def test_the_lighter_day_is_later_only_and_the_due_day_wins_ties():
    after = [D + timedelta(days=n) for n in range(4)]
    assert budget.lighter_day(D, after[2], {after[0]: 30, after[1]: 30, after[2]: 10}) == after[2]
    assert budget.lighter_day(D, after[2], {after[0]: 10, after[1]: 10, after[2]: 10}) == D
    assert budget.lighter_day(D, after[3], {after[0]: 10}) == after[1]  # a free day is the lightest
    assert budget.lighter_day(D, D, {after[0]: 99}) == D


DAYS = 50
# A learner who reviews what is due each day they study (items started on a few first days,
# some days skipped, mostly Good) plus a few extra reviews of any item on any day (early ones).
learners = st.tuples(st.lists(st.integers(0, 4), min_size=len(ITEMS), max_size=len(ITEMS)),
                     st.lists(st.sampled_from([GOOD, GOOD, GOOD, GOOD, GOOD, EASY, HARD, AGAIN]), min_size=1,
                              max_size=60).map(lambda head: head + [GOOD] * 30),
                     st.sets(st.integers(0, DAYS), max_size=12),
                     st.lists(st.tuples(st.integers(0, DAYS), st.integers(0, len(ITEMS) - 1)), max_size=6))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(learner=learners, interview_in=st.one_of(st.none(), st.integers(10, DAYS)))
def test_any_history_moves_within_the_tolerance_never_a_fixed_rung_nor_past_the_interview_and_replays(
        learner, interview_in):
    starts, ratings, skipped, extra = learner
    interview = D + timedelta(days=interview_in) if interview_in is not None else None
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", "Europe/London")
        patch.setenv("TUTOR_NOW", at(D))
        if interview:
            patch.setenv("TUTOR_INTERVIEW", f"linalg={interview.isoformat()}")
        study = open_study(Path(tmp), roots=[CONTENT])
        try:
            before, left = _states(study), list(ratings)
            for n in (n for n in range(DAYS) if n not in skipped):
                day = D + timedelta(days=n)
                patch.setenv("TUTOR_NOW", at(day))
                states = _states(study)
                todo = [item for item, start in zip(ITEMS, starts, strict=True)
                        if (states[item].due <= day if states[item] else start == n)]
                for item in todo + [ITEMS[i] for when, i in extra if when == n]:
                    if not left:
                        break
                    before = _states(study)
                    _check_one_review(study, item, day, left.pop(), interview)
            lived = _states(study)
            study.store.rebuild_states(study.schedule_key(), study.scheduler_for)
            assert _states(study) == lived  # replaying the log gives the schedule the learner saw
            study.undo()
            assert _states(study) == before  # undoing the last review restores the one before it
        finally:
            study.close()


def _check_one_review(study, item: str, day: date, rating, interview: date | None) -> None:
    """Review the item; a move it gets is later than the scheduler's day, within the tolerance,
    never on a Day 0/3/7 rung, before the interview date."""
    scheduled = LADDER.apply(study.store.state(item), Review(item, study.now(), day, rating))
    study.review(item, rating)
    moved = study.store.live_reviews(item)[-1].detail.get(MOVED_TO)
    if moved is None:
        return
    event("moved")
    moved = date.fromisoformat(moved)
    tolerance = balance_tolerance(scheduled)
    assert scheduled.due < moved <= scheduled.due + timedelta(days=tolerance)
    assert tolerance <= max(1, round((scheduled.due - scheduled.last_day).days * 0.05))
    assert scheduled.data["rung"] >= 3 or scheduled.data["graduated"]
    assert interview is None or day >= interview or moved < interview  # a date gone by no longer counts
    assert study.store.state(item).due == moved


def _states(study) -> dict[str, ItemState | None]:
    return {item: study.store.state(item) for item in ITEMS}


def _review(cli, item: str, day: date, content: Path | None = None) -> date:
    result = cli("review", item, "--rating", "good", "--json", "--content", str(content or CONTENT), now=at(day))
    assert result.code == 0, result.err
    return date.fromisoformat(result.json()["due"])


def _climb_to_day_7(cli, items: tuple[str, ...], content: Path | None = None) -> list[date]:
    """The items reviewed Good on Day 0, 3 and 7; the days of their next reviews."""
    for offset, rung in ((0, 3), (3, 7)):
        for item in items:
            assert _review(cli, item, D + timedelta(days=offset), content) == D + timedelta(days=rung)
    return [_review(cli, item, D + timedelta(days=7), content) for item in items]


def _reviewed_on(cli, day: date) -> list[str]:
    due = cli("due", "--json", "--content", str(CONTENT), now=at(day))
    assert due.code == 0, due.err
    return [i["id"] for i in due.json()["items"] if i["status"] == "due"]


def test_a_heavy_day_is_lightened_and_the_day_3_and_day_7_rungs_never_move(cli):
    # four items reviewed on the same days: Day 3 and Day 7 keep all four (checked in the climb);
    # Day 14 would have all four, one day later (5 % of 7 days, at least a day) is lighter for two
    assert sorted(_climb_to_day_7(cli, ITEMS[:4])) == [D + timedelta(days=14)] * 2 + [D + timedelta(days=15)] * 2


def test_a_plan_items_reviews_stay_on_the_ladders_days_while_its_deck_plan_runs(cli):
    # the same four items in the deck with its plan: the plan chose their start days for the
    # ladder's days (Study.steady_until), so Day 14 keeps all four
    assert _climb_to_day_7(cli, ITEMS[:4], LINALG) == [D + timedelta(days=14)] * 4


def _planned_on(monkeypatch, item: str, offsets: tuple[int, ...]) -> None:
    """The linalg deck's plan as planned, `item` on the path whose first days are `offsets`."""
    from tutor.study import planner

    plan = planner.plan_starts

    def with_path(items, paths, *args, **kwargs):
        out = plan(items, paths, *args, **kwargs)
        chosen = next(n for n, path in enumerate(paths) if tuple(path[:len(offsets)]) == offsets)
        return {**out, item: (out[item][0], chosen)}

    monkeypatch.setattr(planner, "plan_starts", with_path)


def test_the_balancer_makes_the_moves_the_plan_chose_for_an_item_on_its_plan(cli, monkeypatch):
    # eigenvector-definition is planned on the path whose Day 14 and Day 21 reviews move a day each
    _planned_on(monkeypatch, ITEMS[0], (3, 7, 15, 23))
    assert _climb_to_day_7(cli, ITEMS[:2], LINALG) == [D + timedelta(days=15), D + timedelta(days=14)]
    assert _review(cli, ITEMS[0], D + timedelta(days=15), LINALG) == D + timedelta(days=23)
    assert _review(cli, ITEMS[1], D + timedelta(days=14), LINALG) == D + timedelta(days=21)


def test_an_item_off_its_plan_keeps_the_schedulers_days_while_the_plan_runs(cli, monkeypatch):
    _planned_on(monkeypatch, ITEMS[0], (3, 7, 15, 23))
    assert _review(cli, ITEMS[0], D, LINALG) == D + timedelta(days=3)
    late = cli("review", ITEMS[0], "--rating", "good", "--json", "--content", str(LINALG),
               now=at(D + timedelta(days=4)))  # a day late: off its plan from now on
    assert late.code == 0, late.err
    due = date.fromisoformat(late.json()["due"])
    assert _review(cli, ITEMS[0], due, LINALG) == due + timedelta(days=7)  # its Day 14 review, not moved


def test_a_move_is_kept_by_undo_and_rebuild(cli, home):
    # the first one reviewed on day 7 moves: day 14 will hold the second one's review too
    assert _climb_to_day_7(cli, ITEMS[:2]) == [D + timedelta(days=15), D + timedelta(days=14)]
    _review(cli, ITEMS[2], D + timedelta(days=7))  # then undone: the re-fold keeps the others' days
    assert cli("undo", "--content", str(CONTENT), now=at(D + timedelta(days=7))).code == 0
    rebuilt = cli("doctor", "--rebuild", "--content", str(CONTENT), now=at(D + timedelta(days=7)))
    assert rebuilt.code == 0, rebuilt.out + rebuilt.err
    assert _reviewed_on(cli, D + timedelta(days=14)) == [ITEMS[1]]
    assert _reviewed_on(cli, D + timedelta(days=15)) == [ITEMS[0]]


def test_a_review_before_the_day_it_was_moved_to_is_early_in_a_replay_too(cli, home):
    _climb_to_day_7(cli, ITEMS[:2])
    assert _review(cli, ITEMS[0], D + timedelta(days=14)) == D + timedelta(days=15)  # early: it stays
    assert cli("doctor", "--rebuild", "--content", str(CONTENT), now=at(D + timedelta(days=14))).code == 0
    assert _reviewed_on(cli, D + timedelta(days=15)) == [ITEMS[0]]


def test_no_move_onto_the_interview_date(cli):
    assert cli("plan", "--interview", (D + timedelta(days=15)).isoformat(), "--deck", "linalg",
               "--content", str(CONTENT), now=at(D)).code == 0
    assert _climb_to_day_7(cli, ITEMS[:2]) == [D + timedelta(days=14)] * 2  # Day 15 is the interview


@pytest.mark.parametrize("forged", [(D + timedelta(days=90)).isoformat(), "not a day", 15])
def test_a_forged_move_in_the_database_is_ignored_on_rebuild(cli, home, forged):
    _climb_to_day_7(cli, ITEMS[:2])
    con = sqlite3.connect(home / "tutor.db")
    row_id, detail = con.execute("SELECT id, detail FROM reviews WHERE item_id = ? ORDER BY id DESC LIMIT 1",
                                 (ITEMS[0],)).fetchone()
    con.execute("UPDATE reviews SET detail = ? WHERE id = ?", (json.dumps({**json.loads(detail), MOVED_TO: forged}),
                                                               row_id))
    con.commit()
    con.close()
    assert cli("doctor", "--rebuild", "--content", str(CONTENT), now=at(D + timedelta(days=7))).code == 0
    assert _reviewed_on(cli, D + timedelta(days=14)) == list(ITEMS[:2])  # back on the ladder's day


def test_a_day_counts_the_reviews_still_to_come_onto_it_so_the_later_day_is_not_always_lighter(cli):
    # ITEMS[2] and ITEMS[3], started on day 1 and reviewed Good on day 4, are due on day 8 and will come back
    # on day 15 when rated Good then; ITEMS[0] and ITEMS[1], climbing from day 0, ask on day 7 for day 14 or 15.
    # Day 15 holds nothing yet, but it will hold two reviews: the balancer keeps both on day 14 (one each).
    for item in ITEMS[2:4]:
        assert _review(cli, item, D + timedelta(days=1)) == D + timedelta(days=4)
        assert _review(cli, item, D + timedelta(days=4)) == D + timedelta(days=8)
    assert _climb_to_day_7(cli, ITEMS[:2]) == [D + timedelta(days=14)] * 2
