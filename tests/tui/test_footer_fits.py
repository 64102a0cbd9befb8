"""At 80x24 on the bundled deck every key the footer shows is whole: the dashboard's `? Keys`
was cut to `? Key` under the command palette's key, and a revealed problem's footer ran past
the screen's edge (its verdict keys are named with their ratings on the line above)."""

from __future__ import annotations

import pytest
from textual.widgets import TextArea
from textual.widgets._footer import FooterKey

from tests.tui.conftest import BUNDLED, reveal_problem
from tests.tui.engines_app import wait_for

DAY3 = "2026-03-05T09:00:00"


def cut_keys(app) -> list[str]:
    """The footer keys that run under the palette key or past the screen's edge."""
    keys = [key for key in app.screen.query(FooterKey) if key.display]
    palette = next((key for key in keys if key.has_class("-command-palette")), None)
    edge = min(palette.region.x, app.size.width) if palette else app.size.width
    return [f"{key.key_display} {key.description}" for key in keys
            if key is not palette and key.region.right > edge]


def laid_out(app, *descriptions: str) -> bool:
    """Whether the screen's footer shows these keys and every shown key has its place: before
    the footer's first layout (late on a loaded machine) each key, the palette's too, sits at 0."""
    keys = [key for key in app.screen.query(FooterKey) if key.display]
    shown = {key.description for key in keys}
    return bool(keys) and shown.issuperset(descriptions) and all(key.region.width for key in keys)


async def test_the_dashboard_footer_is_whole_at_80_columns(make_app):
    app = make_app(DAY3, roots=[BUNDLED])
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DashboardScreen" and laid_out(app, "Read"))
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


def shown_keys(app) -> dict[str, str]:
    """The footer's keys as the learner reads them: description -> key."""
    return {key.description: key.key_display for key in app.screen.query(FooterKey)
            if key.display and not key.has_class("-command-palette")}


@pytest.mark.parametrize("kind", ["drill", "derivation"])
async def test_an_exercise_footer_names_what_escape_does_in_and_out_of_the_editor(make_app, kind):
    """The footer said `esc back` in the editor, where escape only leaves the editor (as Textual's
    TextArea does when tab indents); outside it escape goes back. f1 lists the keys in the editor,
    where ? is typed."""
    from tutor.tui.screens.derivation import DerivationScreen
    from tutor.tui.screens.drill import DrillScreen

    app = make_app(DAY3, roots=[BUNDLED])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screens = {"drill": (DrillScreen, "adam-step"), "derivation": (DerivationScreen, "ema-weights-sum")}
        screen_type, item_id = screens[kind]
        screen = screen_type(app.library().items[item_id], app.study, app.engines)
        await app.push_screen(screen)
        await wait_for(pilot, lambda: app.focused is screen.query_one(TextArea))
        await pilot.pause()
        keys = shown_keys(app)
        assert keys.get("Leave editor") == "esc" and "Back" not in keys and keys.get("Keys") == "f1"
        assert cut_keys(app) == []
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and app.focused is not screen.query_one(TextArea)
        keys = shown_keys(app)
        assert keys.get("Back") == "esc" and "Leave editor" not in keys and keys.get("Keys") == "?"
        assert cut_keys(app) == []
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is not screen)


async def test_a_typed_card_field_footer_names_undo_and_keys(make_app):
    """In a typed card's field u and ? are letters: the footer showed only `esc Leave` though
    ctrl+z undoes and f1 lists the keys there."""
    from tutor.tui.screens.card import CardScreen

    app = make_app(DAY3, roots=[BUNDLED])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.push_screen(CardScreen(app.library().items["adam-name"], app.study, "test · 1 of 1"))
        await pilot.pause()
        assert shown_keys(app) == {"Undo last": "^z", "Leave": "esc", "Keys": "f1"}
        assert cut_keys(app) == []
        await pilot.press("x", "enter")
        await wait_for(pilot, lambda: app.screen.revealed)
        assert shown_keys(app)["Undo last"] == "u" and shown_keys(app)["Keys"] == "?"


async def test_f1_in_a_drill_editor_lists_what_escape_does_in_and_out_of_it(make_app):
    """The keys list, opened from the editor, named escape 'leave editor' only: how to go back
    was not in it."""
    from tutor.tui.screens.drill import DrillScreen
    from tutor.tui.screens.help import HelpScreen

    app = make_app(DAY3, roots=[BUNDLED])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = DrillScreen(app.library().items["adam-step"], app.study, app.engines)
        await app.push_screen(screen)
        await wait_for(pilot, lambda: app.focused is screen.query_one(TextArea))
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        rows = dict(app.screen.rows)
        assert "back" in rows["escape"] and "leave" in rows["escape"]


@pytest.mark.parametrize("kind", ["drill", "derivation", "mock drill"])
async def test_an_exercise_footer_is_capitalised_and_starts_with_the_check(make_app, kind):
    """The drill footer began with `^e $EDITOR` (the editor binds ctrl+e too, so the key came
    first) and the exercise labels were lowercase where every other screen capitalises (`Undo
    last`, `Show answer`): the keys now run in the order a learner needs them, check first."""
    from tutor.tui.screens.derivation import DerivationScreen
    from tutor.tui.screens.drill import DrillScreen
    from tutor.tui.screens.mock_exercises import MockDrillScreen

    app = make_app(DAY3, roots=[BUNDLED])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screens = {"drill": (DrillScreen, "adam-step"), "derivation": (DerivationScreen, "ema-weights-sum")}
        if kind == "mock drill":
            from tutor.tui.screens.mock import MockClock

            screen = MockDrillScreen(app.library().items["adam-step"], app.study, app.engines)
            screen.clock = MockClock(app.study, minutes=30, total=1)
        else:
            screen_type, item_id = screens[kind]
            screen = screen_type(app.library().items[item_id], app.study, app.engines)
        await app.push_screen(screen)
        await wait_for(pilot, lambda: app.focused is screen.query_one(TextArea))
        await pilot.pause()
        descriptions = list(shown_keys(app))
        expected = {"drill": ["Check", "Hint", "$EDITOR", "Give up", "Leave editor", "Keys"],
                    "derivation": ["Check", "Hint", "Give up", "Leave editor", "Keys"],
                    "mock drill": ["Submit", "Hint", "$EDITOR", "Give up", "Leave editor", "Keys"]}[kind]
        assert descriptions == expected
        assert cut_keys(app) == []


async def test_a_long_exercise_title_is_cut_short_of_the_progress(make_app):
    """At 80 columns a derivation's long title ran into the progress: 'sum …adam · 32 of 45'."""
    from textual.widgets import Static

    from tutor.tui.screens.derivation import DerivationScreen

    app = make_app(DAY3, roots=[BUNDLED])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.sub_title = "adam · 32 of 45"
        screen = DerivationScreen(app.library().items["ema-weights-sum"], app.study, app.engines)
        await app.push_screen(screen)
        await wait_for(pilot, lambda: app.focused is screen.query_one(TextArea))
        name, progress = screen.query_one("#derive-name", Static), screen.query_one("#derive-progress", Static)
        assert name.region.width < len(str(name.render()))  # the title is long enough to be cut at 80 columns
        assert progress.region.x - name.region.right >= 2 and progress.region.right <= 80
