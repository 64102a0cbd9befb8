"""Issue #12 point 11: on a choice card letters pick an option and digits rate, so no single
key both answers the question and rates the answer."""

from __future__ import annotations

from textual.widgets import Static

from tests.conftest import LINALG
from tests.tui.conftest import DAY0
from tutor.schedule import AGAIN, HARD
from tutor.tui.screens.card import CardScreen

SIZE = (80, 24)


async def open_card(app, pilot, item_id: str) -> CardScreen:
    screen = CardScreen(app.library().items[item_id], app.study, "1 of 1")
    await app.push_screen(screen)
    await pilot.pause()
    return screen


async def test_a_digit_before_picking_neither_picks_nor_rates(make_app):
    app = make_app(DAY0, roots=[LINALG])
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_card(app, pilot, "det-2x2")
        await pilot.press("1")
        await pilot.pause()
        assert not screen.revealed and screen.picked is None and app.screen is screen
        assert any("Pick an option with a-" in n.message for n in app._notifications)

        await pilot.press("b")  # the second option, which is wrong
        verdict = str(screen.query_one("#verdict", Static).content)
        assert screen.picked == 1 and "You picked b" in verdict and "The answer: a" in verdict
        assert screen.query_one("#rating").suggested == AGAIN
        assert app.screen is screen  # picking did not rate

        results = []
        screen.dismiss = results.append  # what the study screen would receive
        await pilot.press("2")  # Hard would raise the automatic Again: refused
        await pilot.pause()
        assert results == [] and any("would raise" in n.message for n in app._notifications)
        await pilot.press("1")
        await pilot.pause()
    assert [r.rating for r in results] == [AGAIN]


async def test_options_are_labelled_with_their_letters(make_app):
    app = make_app(DAY0, roots=[LINALG])
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_card(app, pilot, "det-2x2")
        await pilot.press("a")
        back = screen.query_one("#back").source
        assert "**a.**" in back and "**b.**" in back and screen.correct is True
        results = []
        screen.dismiss = results.append
        await pilot.press("2")
        await pilot.pause()
    assert results[0].rating == HARD


async def test_no_toast_covers_the_rating_bar(make_app):
    app = make_app(DAY0, roots=[LINALG])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_card(app, pilot, "det-2x2")
        await pilot.press("b", "4")  # a wrong answer, then a refused Easy: a warning toast
        await pilot.pause(0.5)
        bar = screen.query_one("#rating").region
        toasts = [toast.region for toast in screen.query("Toast")]
        assert toasts and bar.height == 1
        assert not any(toast.overlaps(bar) for toast in toasts)
