"""The background held off while a key is answered (`tutor.tui.quiet`) is let go between keys,
never inside one: after QUIET_LIMIT_S of keys the preload and the garbage collector ran again at
the limit's instant, which under load fell inside an editor-opening key and put collections in it."""

from __future__ import annotations

import asyncio
import gc
import time

import pytest
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from tests.tui.engines_app import wait_for
from tests.tui.test_app_study import DAY0, SIZE
from tutor.tui.quiet import QUIET_LIMIT_S

OUTLASTING_THE_LIMIT_S = QUIET_LIMIT_S * 1.3


class SlowWidget(Static, can_focus=True):
    """Answers k in its own handler, which outlasts the limit (as a screen being built under load does)."""

    async def on_key(self, event) -> None:
        if event.key == "k":
            event.stop()
            await self.screen.slowly()


class SlowKeyScreen(Screen):
    """A key whose answer outlasts the limit, as a binding (run by the app) or by a focused widget."""

    BINDINGS = [("k", "slow", "Slow")]

    def __init__(self, in_widget: bool) -> None:
        super().__init__()
        self.in_widget = in_widget
        self.seen_at_the_end: tuple[bool, bool] | None = None  # (collector on, background held)

    def compose(self) -> ComposeResult:
        yield SlowWidget("slow") if self.in_widget else Static("slow")

    async def action_slow(self) -> None:
        await self.slowly()

    async def slowly(self) -> None:
        await asyncio.sleep(OUTLASTING_THE_LIMIT_S)
        self.seen_at_the_end = (gc.isenabled(), self.app.quiet.holding)


@pytest.mark.parametrize("answered_by", ["binding", "widget"])
async def test_a_key_outlasting_the_limit_keeps_the_collector_paused_until_it_is_answered(make_app, answered_by):
    app = make_app(DAY0)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: not app.quiet.holding, timeout=5)  # the first frame's hold let go
        await app.workers.wait_for_complete()  # the decks' parse, which pauses the collector too
        screen = SlowKeyScreen(in_widget=answered_by == "widget")
        await app.push_screen(screen)
        await wait_for(pilot, lambda: not app.quiet.holding, timeout=5)
        await pilot.press("k")
        await wait_for(pilot, lambda: screen.seen_at_the_end is not None, timeout=10)
        assert screen.seen_at_the_end == (False, True)  # the limit passed during the key: still held
        await wait_for(pilot, lambda: not app.quiet.holding, timeout=5)  # and let go once it is answered
        assert gc.isenabled()


async def test_a_key_whose_answer_never_ends_holds_the_collector_no_longer_than_the_ceiling(make_app, monkeypatch):
    import tutor.tui.quiet

    monkeypatch.setattr(tutor.tui.quiet, "QUIET_CEILING_S", QUIET_LIMIT_S + 0.1)
    app = make_app(DAY0)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: not app.quiet.holding, timeout=5)
        await app.workers.wait_for_complete()
        screen = SlowKeyScreen(in_widget=True)
        await app.push_screen(screen)
        await wait_for(pilot, lambda: not app.quiet.holding, timeout=5)
        answered = asyncio.Event()
        monkeypatch.setattr(SlowKeyScreen, "slowly", lambda self: answered.wait())  # until the test ends
        app.simulate_key("k")  # Pilot's press would wait for the key's answer
        deadline = time.monotonic() + 5
        while app.quiet.holding and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        released = not app.quiet.holding and gc.isenabled()
        answered.set()
        assert released
