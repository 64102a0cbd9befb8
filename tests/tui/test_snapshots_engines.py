"""Snapshots of the drill and derivation screens, each with a checked answer on screen,
at 80x24 and 120x40, in the light and the dark theme (`pytest --snapshot-update` accepts)."""

from __future__ import annotations

import time

import pytest

from tests.tui.engines_app import ADAM_DRILL, ADAM_NO_BIAS_CORRECTION, DERIVATION_ID, EnginesApp

SIZES = [(80, 24), (120, 40)]


@pytest.fixture(autouse=True)
def drawn_as_in_the_app():
    """The screens drawn with the app's changes to Textual's layout (`tutor.tui.layout`), which
    the app makes as it starts: made here too, so a snapshot does not depend on whether a test
    run earlier in the same process had started the app (each is made once per process)."""
    from tutor.tui import layout

    layout.lay_out_once()
    layout.footer_keys_start_wide()
    layout.footers_rebuilt_once_when_shown()
    layout.new_screens_styled_once()
    layout.screens_laid_out_once_per_size()
THEMES = ["textual-dark", "textual-light"]
WRONG_CHAIN = "E[hat_m_t]\n= E[m_t]/(1-beta1^t)\n= E[m_t]\n= g*("


async def settle(pilot, condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the screen never settled"
        await pilot.pause(0.05)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def prepare(theme: str, editor_id: str, text: str, cursor: tuple[int, int] | None = None):
    async def run_before(pilot) -> None:
        app = pilot.app
        app.theme = theme
        editor = app.screen.query_one(editor_id)
        editor.cursor_blink = False
        editor.replace(text, (0, 0), editor.document.end)
        await pilot.pause()
        screen = app.screen
        await pilot.press("ctrl+r")
        await settle(pilot, lambda: screen.runs == 1)
        if cursor is not None:
            editor.move_cursor(cursor)
            await pilot.pause()
    return run_before


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_drill_screen_with_a_named_mistake(snap_compare, tutor_home, size, theme):
    app = EnginesApp(tutor_home, "drill", ADAM_DRILL.id)
    assert snap_compare(app, terminal_size=size,
                        run_before=prepare(theme, "#drill-editor", ADAM_NO_BIAS_CORRECTION))


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_derivation_screen_with_a_false_line(snap_compare, tutor_home, size, theme):
    app = EnginesApp(tutor_home, "derivation", DERIVATION_ID)
    assert snap_compare(app, terminal_size=size,
                        run_before=prepare(theme, "#derive-editor", WRONG_CHAIN, cursor=(2, 0)))
