"""The dashboard's numbers after a sitting: read again when anything was written (here or by
another tutor process), kept when nothing was, and the sitting resumed after it sees the same."""

from __future__ import annotations

from textual.widgets import Static

from tests.conftest import LINALG
from tests.tui.test_app_study import (
    DAY0,
    SIZE,
    deck_prompt,
    item_id,
    on_dashboard,
    rate_the_first_and_leave,
    screen_name,
    wait_for,
)
from tutor.schedule import GOOD
from tutor.study import open_study


def today_line(app) -> str:
    return str(app.screen.query_one("#today", Static).content)


async def test_the_dashboard_and_the_resumed_sitting_follow_every_write(make_app, home):
    app = make_app(DAY0, roots=[LINALG])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "2 to study" in deck_prompt(app)
        await rate_the_first_and_leave(pilot, app)
        assert "1 to study" in deck_prompt(app) and "1 review done" in today_line(app)

        await pilot.press("enter")  # back and out again, nothing rated: the same numbers
        await wait_for(pilot, lambda: item_id(app) == "orthogonal-inverse")
        assert app.screen.sub_title == "linalg · 2 of 2"
        await pilot.press("q")
        await wait_for(pilot, lambda: on_dashboard(app))
        assert "1 to study" in deck_prompt(app) and "1 review done" in today_line(app)

        other = open_study(home, roots=[LINALG])  # another tutor rates the last item meanwhile
        other.review("orthogonal-inverse", GOOD)
        other.close()
        await pilot.press("enter")  # the sitting reads the queue again: nothing is left
        await wait_for(pilot, lambda: screen_name(app) == "StudyScreen" and app.screen.current is None)
        await pilot.press("q")
        await wait_for(pilot, lambda: on_dashboard(app))
        assert "Nothing due today" in deck_prompt(app) and "2 reviews done" in today_line(app)


async def test_back_on_the_dashboard_the_queue_is_read_in_a_thread_and_kept_for_the_sitting(make_app, monkeypatch):
    """Issue #19: today's queue of a big collection takes a tenth of a second or more, so after
    the first frame the dashboard reads it away from the keys (the UI thread), and the sitting
    the learner opens next starts from what it read."""
    import threading

    from tutor.study.service import Study

    app = make_app(DAY0, roots=[LINALG])
    read_in: list[str] = []  # the thread of each queue read from scratch
    compute = Study._queue

    def noted(study, deck):
        read_in.append(threading.current_thread().name)
        return compute(study, deck)

    monkeypatch.setattr(Study, "_queue", noted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await wait_for(pilot, lambda: item_id(app) == "eigenvector-definition")
        await pilot.press("space", "3")
        await wait_for(pilot, lambda: item_id(app) == "orthogonal-inverse")
        read_in.clear()  # from here: back on the dashboard after a rating
        await pilot.press("q")
        await wait_for(pilot, lambda: on_dashboard(app))
        assert "1 to study" in deck_prompt(app) and "1 review done" in today_line(app)
        main = threading.main_thread().name
        assert read_in and main not in read_in
        await pilot.press("enter")
        await wait_for(pilot, lambda: item_id(app) == "orthogonal-inverse")
        assert main not in read_in  # the sitting took the queue the dashboard read


def failing_reads(monkeypatch, failures: int) -> list[str]:
    """The dashboard's reads in a worker thread fail `failures` times (a file locked for a moment
    by another tutor's write), then read as before; returns the errors raised."""
    import sqlite3
    import threading

    from tutor.tui.screens import dashboard

    raised: list[str] = []
    read = dashboard.read_dashboard

    def flaky(study):
        if threading.current_thread() is not threading.main_thread() and len(raised) < failures:
            raised.append("database is locked")
            raise sqlite3.OperationalError("database is locked")
        return read(study)

    monkeypatch.setattr(dashboard, "read_dashboard", flaky)
    return raised


async def test_a_failed_background_read_is_retried_once_quietly(make_app, monkeypatch):
    app = make_app(DAY0, roots=[LINALG])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        raised = failing_reads(monkeypatch, 1)
        await rate_the_first_and_leave(pilot, app)  # waits for the numbers of the store as it is now
        assert raised and "1 to study" in deck_prompt(app) and "1 review done" in today_line(app)
        assert screen_name(app) == "DashboardScreen"  # no error shown over it


async def test_a_read_that_fails_twice_is_reported_and_read_again_on_the_next_return(make_app, monkeypatch):
    app = make_app(DAY0, roots=[LINALG])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        raised = failing_reads(monkeypatch, 2)
        await pilot.press("enter")
        await wait_for(pilot, lambda: item_id(app) == "eigenvector-definition")
        await pilot.press("space", "3")
        await wait_for(pilot, lambda: item_id(app) == "orthogonal-inverse")
        await pilot.press("q")
        await wait_for(pilot, lambda: screen_name(app) == "MessageModal")
        assert len(raised) == 2 and app.screen.title_text == "Reading today's numbers for the dashboard failed"
        await pilot.press("escape")  # back on the dashboard: it reads again, nothing was written
        await wait_for(pilot, lambda: on_dashboard(app))
        assert "1 to study" in deck_prompt(app) and "1 review done" in today_line(app)


async def test_the_title_is_the_date_again_after_browse_and_stats(make_app):
    """Nothing written, nothing read again: the dashboard's title kept 'browse · 0 items'."""
    app = make_app(DAY0, roots=[LINALG])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dated = app.sub_title
        for key, name in (("b", "BrowseScreen"), ("s", "StatsScreen")):
            await pilot.press(key)
            await wait_for(pilot, lambda name=name: screen_name(app) == name)
            await pilot.press("escape")
            await wait_for(pilot, lambda: on_dashboard(app))
            await pilot.pause()
            assert app.sub_title == dated
