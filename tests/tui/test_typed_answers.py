"""Typed cards in the app: numbers and formulas are checked by meaning, the title waits for the answer."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from tests.tui.engines_app import wait_for
from tutor.schedule import AGAIN, GOOD

SIZE = (100, 30)


async def open_card(app, pilot, item_id: str):
    from tutor.tui.screens.card import CardScreen

    await app.push_screen(CardScreen(app.library().items[item_id], app.study, "test · 1 of 1"))
    await pilot.pause()


def verdict(app) -> Static:
    return app.screen.query_one("#verdict", Static)


@pytest.mark.parametrize(("item_id", "typed", "right"), [
    ("hp-default-lr", "1 × 10⁻³", True),
    ("hp-default-lr", "0.01", False),
    ("adam-bias-corrected-first-moment", "m/(1-beta1**t)", True),
    ("adam-bias-corrected-first-moment", "m_t/(1-beta2^t)", False),
])
async def test_a_typed_card_is_checked_by_meaning(make_app, item_id, typed, right):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_card(app, pilot, item_id)
        title = app.library().items[item_id].title
        assert title not in str(app.screen.query_one("#item-meta", Static).content)
        app.screen.query_one("#typed").value = typed  # Pilot types ASCII keys only
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.revealed)
        shown = str(verdict(app).content)
        assert verdict(app).has_class("right" if right else "wrong"), shown
        assert app.screen.query_one("#rating").suggested == (GOOD if right else AGAIN)
        assert title in str(app.screen.query_one("#item-meta", Static).content)
        if not right and item_id == "adam-bias-corrected-first-moment":
            assert "at " in shown and "yours is" in shown  # the values that tell them apart
