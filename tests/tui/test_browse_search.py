"""Browse finds an item by the id the mock report and the list show, and a search that matches
nothing previews nothing."""

from __future__ import annotations

from textual.widgets import Markdown

from tests.tui.conftest import BUNDLED, DAY0
from tests.tui.engines_app import wait_for
from tests.tui.test_shown_exactly import shown


async def test_browse_finds_an_item_by_id_and_no_match_previews_nothing(make_app):
    app = make_app(DAY0, roots=[BUNDLED])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("b")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "BrowseScreen")
        await pilot.press(*"adam-step")  # an id only: no title or text holds it (it found nothing)
        await pilot.pause()
        table = app.screen.query_one("#results")
        assert table.row_count >= 1 and "adam-step" in [key.value for key in table.rows]
        for key in "-nowhere":  # typed fast: the last item highlighted stayed in the preview under '0 items'
            app.simulate_key(key)
        await pilot.pause(0.3)
        assert table.row_count == 0
        assert shown(app.screen.query_one("#preview-body", Markdown)).strip() == "No item matches."
        assert str(app.screen.query_one("#history").content) == ""


async def test_the_search_key_is_offered_only_outside_the_search_field(make_app):
    """Browse opens in its search field, where / is typed; the footer said `/ Search` there."""
    from tests.tui.test_footer_fits import shown_keys

    app = make_app(DAY0, roots=[BUNDLED])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("b")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "BrowseScreen")
        await pilot.pause()
        assert "Search" not in shown_keys(app)
        await pilot.press("tab")  # to the list
        await pilot.pause()
        assert shown_keys(app).get("Search") == "/"
        await pilot.press("slash", *"adam-step")
        await pilot.pause()
        assert app.screen.query_one("#search").value == "adam-step"


async def test_long_ids_keep_their_start_and_end_at_80_columns(make_app):
    """The id column ran past the screen's edge: `adam-bias-corrected-first-m`, and the second
    moment's read the same up to there. A cut id loses its middle, and a wider screen shows it whole."""
    from tests.tui.test_app_study import shown_lines

    app = make_app(DAY0, roots=[BUNDLED])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("b")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "BrowseScreen")
        await pilot.press(*"bias-corrected")
        await pilot.pause()
        table = app.screen.query_one("#results")
        lines = shown_lines(table)
        assert [line for line in lines if "adam-bias-cor…first-moment" in line]
        assert [line for line in lines if "adam-bias-cor…econd-moment" in line]
        assert all(len(line) <= table.size.width for line in lines)
        await pilot.resize_terminal(120, 24)
        await pilot.pause()
        assert [line for line in shown_lines(table) if "adam-bias-corrected-second-moment" in line]


async def test_a_cut_title_ends_in_an_ellipsis(make_app):
    """The title column cropped `Two learning rates that cannot be compared` to `... cannot be c`
    with nothing to say more was there; the id column already marked its cuts with `…`."""
    from tests.tui.test_app_study import shown_lines
    from tutor.tui.screens.browse import TITLE_WIDTH

    app = make_app(DAY0, roots=[BUNDLED])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("b")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "BrowseScreen")
        await pilot.press(*"cannot be compared")
        await pilot.pause()
        lines = shown_lines(app.screen.query_one("#results"))
        assert [line for line in lines if "Two learning rates that cannot be… " in line]
        assert not [line for line in lines if "compared" in line]
        await pilot.press("ctrl+u", *"#sgd")  # a title that fits is shown whole, with no mark
        await pilot.pause()
        titles = [item.title for item in app.screen.items if len(item.title) <= TITLE_WIDTH]
        assert titles and any(f" {titles[0]} " in line for line in shown_lines(app.screen.query_one("#results")))
