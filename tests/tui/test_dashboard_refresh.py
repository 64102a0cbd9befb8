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
