"""Browse previews a variant item as the learner meets it: the numbers its next review draws,
not the template's `{beta}` placeholders and answer expression."""

from __future__ import annotations

from textual.widgets import Markdown

from tests.interop.test_csv import _variant_deck
from tests.tui.engines_app import wait_for
from tests.tui.test_shown_exactly import DAY0, SIZE, shown


async def _preview(make_app, deck) -> tuple[str, object]:
    app = make_app(DAY0, roots=[deck])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "BrowseScreen")
        await pilot.pause()
        return shown(app.screen.query_one("#preview-body", Markdown)), app


async def test_browse_shows_the_numbers_the_next_review_draws(make_app, tmp_path):
    preview, app = await _preview(make_app, _variant_deck(tmp_path))
    drawn, _ = app.study.drawn(app.library().items["drawn-factor"])
    assert "{beta}" not in preview and "{answer}" not in preview and "beta^t)" not in preview.split("Answer:")[1]
    assert drawn.front.replace("^", "") in preview.replace("^", "")


async def test_a_variant_that_can_never_be_drawn_is_previewed_as_its_template(make_app, tmp_path):
    preview, _ = await _preview(make_app, _variant_deck(tmp_path, where="t > 99"))
    assert "{beta}" in preview
