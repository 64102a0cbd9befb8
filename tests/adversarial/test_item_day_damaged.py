"""A study day's record (failed checks, hints, the clock of a timed attempt) edited in the
database: text for a count, a negative count, a start time that is not one. Opening the item
reads it (the drill and problem screens do, to rate); a damaged record counts as none, as a
damaged review detail does, instead of an error that closes the app."""

from __future__ import annotations

import sqlite3

import pytest

from tests.conftest import LINALG
from tutor.study import open_study

NOW = "2026-01-05T10:00:00"
DAMAGE = {
    "a count that is text": "failed_checks = 'many'",
    "a negative count": "hints = -5",
    "a start that is no time": "started_at = 'garbage'",
    "a clock that is no time": "clock_started_at = 'noon'",
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_day_record_counts_as_none(home, monkeypatch, damage):
    monkeypatch.setenv("TUTOR_NOW", NOW)
    study = open_study(home, roots=[LINALG])
    try:
        study.note_failed_check("det-2x2")
        with sqlite3.connect(home / "tutor.db") as con:
            con.execute(f"UPDATE item_days SET {damage}")
        day = study.item_day("det-2x2")
        assert (day.failed_checks, day.hints, day.gave_up) == (0, 0, False)
        assert study.start_clock("det-2x2").failed_checks == 0  # the day goes on
    finally:
        study.close()
