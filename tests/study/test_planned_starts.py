"""Each plan item comes from its planned start day (ARCHITECTURE.md, Daily budget: Start days):
the plan is made from the deck alone, so a restored backup shows the same queue, and a deck
added later starts its own Day 0 on the day it is first studied."""

from __future__ import annotations

from datetime import date, timedelta

from tests.conftest import LINALG

START = date(2026, 3, 2)


def at(day: int) -> str:
    return f"{(START + timedelta(days=day)).isoformat()}T09:00:00"


def study_diligently(cli, days: int, *extra: str) -> None:
    """Days 0..days-1: everything `tutor due` gives, rated Good."""
    for n in range(days):
        due = cli("due", "--json", *extra, now=at(n))
        assert due.code == 0, due.err
        for item in due.json()["items"]:
            assert cli("review", item["id"], "--rating", "good", *extra, now=at(n)).code == 0


def test_a_restored_backup_shows_the_same_queue_in_the_middle_of_the_plan(cli, home, tmp_path):
    study_diligently(cli, 12)
    backup = tmp_path / "backup.json"
    assert cli("export", "--format", "json", str(backup), now=at(12)).code == 0
    fresh = tmp_path / "fresh"
    assert cli("--home", str(fresh), "import", str(backup), now=at(12)).code == 0
    for day in (12, 16):
        mine = cli("due", "--json", now=at(day))
        restored = cli("--home", str(fresh), "due", "--json", now=at(day))
        assert mine.code == 0 and restored.code == 0, mine.err + restored.err
        assert restored.json() == mine.json()
        assert day != 12 or mine.json()["counts"]["new"] > 0  # the plan still brings new items


def test_a_deck_first_studied_on_day_10_gets_its_day_0_items_that_day_and_its_day_3_items_three_days_on(cli, home):
    study_diligently(cli, 1)  # the Adam deck alone from day 0
    linalg = ("--deck", "linalg", "--content", str(LINALG))

    def new_on(day: int) -> list[str]:
        due = cli("due", "--json", *linalg, now=at(day))
        assert due.code == 0, due.err
        return [i["id"] for i in due.json()["items"] if i["status"] == "new"]

    first = new_on(10)  # with orthogonal-inverse, outside the plan (within new_per_day)
    assert "eigenvector-definition" in first and not {"trace-2x2", "det-2x2"} & set(first)
    for item in first:
        assert cli("review", item, "--rating", "good", *linalg[2:], now=at(10)).code == 0
    assert new_on(12) == []
    assert sorted(new_on(13)) == ["det-2x2", "trace-2x2"]
