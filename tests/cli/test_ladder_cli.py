"""The Day 0/3/7/14/21 ladder, driven through the command line with a pinned clock."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.conftest import LINALG

ITEM = "eigenvector-definition"
D = date(2026, 1, 5)


def at(day: date, hour: int = 10) -> str:
    return f"{day.isoformat()}T{hour:02d}:00:00"


def due_ids(cli, day: date, hour: int = 10) -> set[str]:
    result = cli("due", "--json", "--content", str(LINALG), now=at(day, hour))
    assert result.code == 0, result.err
    return {i["id"] for i in result.json()["items"] if i["status"] != "new"}


def review(cli, rating: str, day: date, item: str = ITEM) -> dict:
    result = cli("review", item, "--rating", rating, "--json", "--content", str(LINALG), now=at(day))
    assert result.code == 0, result.err
    return result.json()


def test_good_every_time_lands_exactly_on_the_rungs(cli):
    review(cli, "good", D)
    seen = []
    for offset in range(1, 22):
        day = D + timedelta(days=offset)
        if ITEM in due_ids(cli, day):
            seen.append(offset)
            review(cli, "good", day)
    assert seen == [3, 7, 14, 21]


def test_graduation_doubles_the_last_gap(cli):
    for offset in (0, 3, 7, 14):
        review(cli, "good", D + timedelta(days=offset))
    assert review(cli, "good", D + timedelta(days=21))["due"] == (D + timedelta(days=35)).isoformat()
    assert review(cli, "good", D + timedelta(days=35))["due"] == (D + timedelta(days=63)).isoformat()


@pytest.mark.parametrize(
    ("goods", "rating", "expected"),
    [
        (0, "hard", 1),  # Hard at rung 0: tomorrow
        (1, "hard", 3 + 2),  # Hard at rung 1 (gap 3): ceil(3/2) = 2 days
        (2, "hard", 7 + 2),  # Hard at rung 2 (gap 4): 2 days
        (3, "hard", 14 + 4),  # Hard at rung 3 (gap 7): ceil(7/2) = 4 days
        (0, "easy", 7),  # Easy skips a rung: gap(0, 2)
        (1, "easy", 3 + 11),  # gap(1, 3)
        (3, "easy", 14 + 7),  # capped at the last rung
        (4, "hard", 21 + 4),  # the last rung repeated
        (4, "easy", 21 + 21),  # graduation on Easy: 3 x the last gap
    ],
)
def test_hard_and_easy_follow_the_table(cli, goods, rating, expected):
    day = D
    for _ in range(goods):
        day = date.fromisoformat(review(cli, "good", day)["due"])
    assert review(cli, rating, day)["due"] == (D + timedelta(days=expected)).isoformat()


def test_again_restarts_the_ladder_today(cli):
    review(cli, "good", D)
    day = D + timedelta(days=3)
    assert review(cli, "again", day)["due"] == day.isoformat()
    assert ITEM in due_ids(cli, day)  # shown again in this session
    assert review(cli, "good", day)["due"] == (day + timedelta(days=3)).isoformat()
    # Not studied again the same day: still due the next day.
    review(cli, "again", day + timedelta(days=3))
    assert ITEM in due_ids(cli, day + timedelta(days=4))


def test_again_counts_a_lapse_and_four_make_a_leech(cli):
    day = D
    review(cli, "good", day)
    for n in range(4):
        day += timedelta(days=3)
        state = review(cli, "again", day)["state"]
        assert state["lapses"] == n + 1
        review(cli, "good", day)
    stats = cli("stats", "--json", "--content", str(LINALG), now=at(day)).json()
    assert [x["id"] for x in stats["leeches"]] == [ITEM]


def test_a_late_review_keeps_the_gap(cli):
    review(cli, "good", D)
    late = D + timedelta(days=3 + 3)
    assert ITEM in due_ids(cli, late)
    assert review(cli, "good", late)["due"] == (late + timedelta(days=4)).isoformat()


def test_a_review_before_the_rollover_counts_for_the_day_before(cli):
    review(cli, "good", D)
    # 03:30 on D+4 is still study day D+3, when the item is due.
    assert ITEM in due_ids(cli, D + timedelta(days=4), hour=3)
    assert ITEM not in due_ids(cli, D + timedelta(days=2), hour=23)


def test_undo_restores_the_previous_schedule(cli):
    review(cli, "good", D)
    review(cli, "again", D + timedelta(days=3))
    undo = cli("undo", "--json", "--content", str(LINALG), now=at(D + timedelta(days=3)))
    assert undo.code == 0 and undo.json()["undone"]["rating"] == "again"
    assert undo.json()["due"] == (D + timedelta(days=3)).isoformat()
    assert review(cli, "good", D + timedelta(days=3))["due"] == (D + timedelta(days=7)).isoformat()


def new_ids(cli, day: date) -> list[str]:
    result = cli("due", "--json", "--deck", "linalg", "--content", str(LINALG), now=at(day))
    return [i["id"] for i in result.json()["items"] if i["status"] == "new"]


def test_undoing_a_first_review_makes_the_item_new_again(cli):
    assert ITEM in new_ids(cli, D)
    review(cli, "good", D)
    assert ITEM not in new_ids(cli, D)
    cli("undo", "--content", str(LINALG), now=at(D))
    assert ITEM in new_ids(cli, D)


def test_plan_items_arrive_on_their_deck_day_and_the_cap_holds_back_only_the_rest(cli, monkeypatch):
    monkeypatch.setenv("TUTOR_NEW_PER_DAY", "1")
    # Day 0: the planned item always, plus one unplanned item under the cap of one.
    assert new_ids(cli, D) == ["eigenvector-definition", "orthogonal-inverse"]
    review(cli, "good", D, "orthogonal-inverse")
    assert new_ids(cli, D) == ["eigenvector-definition"]
    review(cli, "good", D, "eigenvector-definition")
    assert new_ids(cli, D + timedelta(days=1)) == []
    assert new_ids(cli, D + timedelta(days=3)) == ["trace-2x2", "det-2x2"]
    assert new_ids(cli, D + timedelta(days=7)) == ["trace-2x2", "det-2x2", "rank-nullity"]


def test_studying_plan_items_does_not_use_up_the_daily_cap(cli, monkeypatch):
    # Regression: planned items counted against new_per_day, so the queue shrank mid-session.
    monkeypatch.setenv("TUTOR_NEW_PER_DAY", "1")
    assert new_ids(cli, D) == ["eigenvector-definition", "orthogonal-inverse"]
    review(cli, "good", D, "eigenvector-definition")
    assert new_ids(cli, D) == ["orthogonal-inverse"]


def test_due_says_when_the_next_reviews_are(cli):
    review(cli, "good", D)
    result = cli("due", "--json", "--deck", "linalg", "--content", str(LINALG), now=at(D + timedelta(days=1)))
    assert result.json()["next_due"] == (D + timedelta(days=3)).isoformat()


def test_a_second_review_on_the_same_day_does_not_climb_the_ladder(cli):
    review(cli, "good", D)
    assert review(cli, "good", D)["due"] == (D + timedelta(days=3)).isoformat()
    assert ITEM not in due_ids(cli, D + timedelta(days=2))
    assert ITEM in due_ids(cli, D + timedelta(days=3))


def test_an_early_review_is_recorded_but_only_again_moves_the_item(cli, home):
    from tutor.store import Store

    review(cli, "good", D)
    assert review(cli, "easy", D + timedelta(days=1))["due"] == (D + timedelta(days=3)).isoformat()
    assert review(cli, "again", D + timedelta(days=2))["due"] == (D + timedelta(days=2)).isoformat()
    with Store.open(home) as store:
        assert [r.rating for r in store.live_reviews(ITEM)] == [3, 4, 1]


@pytest.mark.parametrize("day_start_hour", ["0", "4", "23"])
def test_a_date_alone_is_that_study_day(cli, monkeypatch, day_start_hour):
    monkeypatch.setenv("TUTOR_DAY_START_HOUR", day_start_hour)
    result = cli("due", "--json", "--content", str(LINALG), now="2026-03-05")
    assert result.code == 0, result.err
    assert result.json()["today"] == "2026-03-05"
    assert cli("due", "--content", str(LINALG), now="2026-03-05").out.startswith("Today (2026-03-05)")
