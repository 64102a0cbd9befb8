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


async def test_what_was_typed_is_a_draft_kept_across_leaving_and_restarts_until_answered(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_card(app, pilot, "hp-default-lr")
        await pilot.press(*"0.00", "escape")  # left half typed, at once (inside the debounce delay)
        await pilot.pause()
    app = make_app()  # a restart
    async with app.run_test(size=SIZE) as pilot:
        await open_card(app, pilot, "hp-default-lr")
        typed = app.screen.query_one("#typed")
        assert typed.value == "0.00"
        await pilot.press("1", "enter")  # typing goes on at the end of the draft, then answered
        await wait_for(pilot, lambda: app.screen.revealed)
        assert "You typed: 0.001" in str(verdict(app).content)
        assert app.study.store.draft("hp-default-lr") is None  # answered: the draft is gone
        await pilot.press("q")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_card(app, pilot, "hp-default-lr")
        assert app.screen.query_one("#typed").value == ""


async def test_keys_typed_at_full_speed_on_a_typed_card_all_land_in_order(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        from tutor.tui.screens.card import CardScreen

        await app.push_screen(CardScreen(app.library().items["hp-default-lr"], app.study, "test · 1 of 1"))
        for key in [*"0.0x", "backspace", *"011", "backspace"]:
            app.simulate_key(key)  # all queued at once, as the card opens
        await pilot.pause(0.5)
        assert app.screen.query_one("#typed").value == "0.001"


@pytest.mark.parametrize(("typed", "offered"), [("0.01", ["1  Again"]),
                                                ("0.001", ["1  Again", "2  Hard", "3  Good", "4  Easy"])])
async def test_the_rating_bar_offers_only_the_ratings_the_answer_allows(make_app, typed, offered):
    """After a wrong answer Hard, Good and Easy were offered, then refused with a notice when
    pressed; Again keeps its key 1."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_card(app, pilot, "hp-default-lr")
        app.screen.query_one("#typed").value = typed
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.revealed)
        bar = str(app.screen.query_one("#rating").render())
        assert [name for name in ("1  Again", "2  Hard", "3  Good", "4  Easy") if name in bar] == offered
        assert bar.rstrip().endswith("enter  " + ("Again" if len(offered) == 1 else "Good"))
