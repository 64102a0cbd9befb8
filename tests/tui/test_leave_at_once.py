"""Screens left before they are up. Keys typed faster than screens come up (enter, q, enter,
q... on the dashboard) quit the app while a card screen was still mounting, and its mount
queried widgets the exit had taken down: `NoMatches` as the app closed. A screen popped in the
turn it was pushed left Textual's `Header` a queued title update that raised the same
(`tutor.tui.widgets.header`)."""

from __future__ import annotations

import pytest
from textual import events

from tests.tui.conftest import BUNDLED

DAY3 = "2026-03-05T09:00:00"


def press_at_once(app, *keys: str) -> None:
    """Keys as a fast typist sends them: all queued before the app has handled the first
    (Pilot's `press` waits for the app to be idle after each)."""
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)


@pytest.mark.parametrize("keys", [("enter", "q"), ("s", "q")])
async def test_opening_a_screen_and_leaving_at_once_never_raises(make_app, keys):
    app = make_app(DAY3, roots=[BUNDLED])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for _ in range(15):  # until the app quits: a q handled by the dashboard
            press_at_once(app, *keys * 3)
            await pilot.pause(0.05)
        await pilot.pause(0.5)
    assert app.return_code in (0, None)  # an exception in a handler would end it with 1 and re-raise here


async def test_a_title_bar_removed_before_its_title_was_set_is_left_alone():
    """Textual's `Header` queues its title as it mounts; a screen popped in the same turn it was
    pushed took the title widget down first and the queued update raised `NoMatches`."""
    from textual.app import App
    from textual.screen import Screen

    from tutor.tui.widgets.header import TitleBar

    class Titled(Screen):
        def compose(self):
            yield TitleBar()

    app = App()
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(3):
            app.push_screen(Titled())
            app.pop_screen()
            await pilot.pause(0.05)
        screen = Titled()
        await app.push_screen(screen)  # a title bar that stays still follows its title
        app.sub_title = "still set"
        await pilot.pause()
        assert "still set" in str(screen.query_one("HeaderTitle").render())
