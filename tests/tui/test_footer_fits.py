"""At 80x24 on the bundled deck every key the footer shows is whole: the dashboard's `? Keys`
was cut to `? Key` under the command palette's key, and a revealed problem's footer ran past
the screen's edge (its verdict keys are named with their ratings on the line above)."""

from __future__ import annotations

from textual.widgets._footer import FooterKey

from tests.tui.conftest import BUNDLED, reveal_problem
from tests.tui.engines_app import wait_for

DAY3 = "2026-03-05T09:00:00"


def cut_keys(app) -> list[str]:
    """The footer keys that run under the palette key or past the screen's edge."""
    keys = [key for key in app.screen.query(FooterKey) if key.display]
    palette = next(key for key in keys if key.has_class("-command-palette"))
    return [f"{key.key_display} {key.description}" for key in keys
            if key is not palette and key.region.right > min(palette.region.x, app.size.width)]


async def test_the_dashboard_footer_is_whole_at_80_columns(make_app):
    app = make_app(DAY3, roots=[BUNDLED])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        descriptions = [key.description for key in app.screen.query(FooterKey) if key.display]
        assert "Read" in descriptions and "Keys" in descriptions
        assert cut_keys(app) == []


async def test_a_revealed_problem_footer_is_whole_at_80_columns(make_app):
    app = make_app(DAY3, roots=[BUNDLED])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await reveal_problem(app, pilot)
        assert cut_keys(app) == []
        await pilot.press("l")  # Lean Hire: enter now moves on
        await wait_for(pilot, lambda: app.screen.verdict is not None)
        await pilot.pause()
        assert cut_keys(app) == []
