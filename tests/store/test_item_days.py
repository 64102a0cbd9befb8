"""An item's study-day record (failed checks, hints, giving up) outlives screens and restarts."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tutor.store import ItemDay, Store

DAY = date(2026, 3, 5)
AT = datetime(2026, 3, 5, 10, tzinfo=UTC)


def test_marks_add_up_and_survive_reopening(tmp_path):
    with Store.open(tmp_path) as store:
        assert store.item_day("adamw", DAY) == ItemDay()
        store.mark_item_day("adamw", DAY, AT)
        store.mark_item_day("adamw", DAY, datetime(2026, 3, 5, 11, tzinfo=UTC), failed_check=True)
        store.mark_item_day("adamw", DAY, AT, hints=2)
        store.mark_item_day("adamw", DAY, AT, hints=1)  # hints shown only ever grow
    with Store.open(tmp_path) as store:
        assert store.item_day("adamw", DAY) == ItemDay(failed_checks=1, hints=2, gave_up=False, started_at=AT)
        store.mark_item_day("adamw", DAY, AT, gave_up=True)
        assert store.item_day("adamw", DAY).gave_up
        assert store.item_day("adamw", date(2026, 3, 6)) == ItemDay()  # a new day starts clean
        assert store.item_day("adam-step", DAY) == ItemDay()


def test_a_problem_clock_runs_from_its_first_opening_until_answered(tmp_path):
    later = datetime(2026, 3, 5, 10, 5, tzinfo=UTC)
    with Store.open(tmp_path) as store:
        assert store.start_item_clock("why-adam", DAY, AT).clock_started_at == AT
    with Store.open(tmp_path) as store:  # reopened later (a restart): the same clock runs on
        assert store.start_item_clock("why-adam", DAY, later).clock_started_at == AT
        store.stop_item_clock("why-adam", DAY)  # answered: the next attempt starts afresh
        day = store.start_item_clock("why-adam", DAY, later)
        assert day.clock_started_at == later and day.started_at == AT
