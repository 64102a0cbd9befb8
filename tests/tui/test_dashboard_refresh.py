"""The dashboard's numbers after a sitting: read again when anything was written (here or by
another tutor process), kept when nothing was, and the sitting resumed after it sees the same."""

from __future__ import annotations

from textual.widgets import Static

from tests.conftest import LINALG
from tests.tui.test_app_study import DAY0, SIZE, deck_prompt, item_id, rate_the_first_and_leave, screen_name, wait_for
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
        await wait_for(pilot, lambda: screen_name(app) == "DashboardScreen")
        assert "1 to study" in deck_prompt(app) and "1 review done" in today_line(app)

        other = open_study(home, roots=[LINALG])  # another tutor rates the last item meanwhile
        other.review("orthogonal-inverse", GOOD)
        other.close()
        await pilot.press("enter")  # the sitting reads the queue again: nothing is left
        await wait_for(pilot, lambda: screen_name(app) == "StudyScreen" and app.screen.current is None)
        await pilot.press("q")
        await wait_for(pilot, lambda: screen_name(app) == "DashboardScreen")
        assert "Nothing due today" in deck_prompt(app) and "2 reviews done" in today_line(app)
