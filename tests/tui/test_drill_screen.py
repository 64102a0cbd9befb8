"""The drill screen as a learner uses it at 80x24: wrong code shows its named mistake, right
code passes with a rating, an endless loop never freezes the keys, and the draft survives."""

from __future__ import annotations

import os
import threading
import time

from tests.tui.engines_app import (
    ADAM_DRILL,
    ADAM_ENDLESS,
    ADAM_NO_BIAS_CORRECTION,
    ADAM_RIGHT,
    EnginesApp,
    check,
    open_study,
    put_code,
    wait_for,
)
from tutor.schedule import AGAIN, HARD
from tutor.tui.screens.drill import DrillScreen
from tutor.tui.widgets.code_editor import CodeEditor

SIZE = (80, 24)


def outcome_text(app) -> str:
    return str(app.screen.query_one("#drill-outcome").render())


async def test_wrong_drill_names_its_mistake_then_right_code_passes(tutor_home):
    app = EnginesApp(tutor_home, "drill", ADAM_DRILL.id)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, DrillScreen)
        put_code(app, ADAM_NO_BIAS_CORRECTION)
        await check(pilot)
        text = outcome_text(app)
        assert "0/6 cases pass" in text
        assert "Mistake no-bias-correction" in text
        assert "expected" in text and "got" in text

        put_code(app, ADAM_RIGHT)
        await check(pilot)
        assert "Passed: all 6 cases" in outcome_text(app)
        assert "\nRated Hard: 1 failed run today." in outcome_text(app)  # why, on a line of its own
        await pilot.press("enter")
        await pilot.pause()
    [result] = app.results
    assert result.rating == HARD
    assert result.detail["failed_runs"] == 1 and result.detail["passed"] is True
    study = open_study(tutor_home)
    assert [a["status"] for a in study.store.attempts(ADAM_DRILL.id)] == ["fail", "pass"]
    assert study.store.draft(ADAM_DRILL.id) is None  # finished: the next review starts afresh


async def test_the_shipped_adam_drill_names_the_missing_bias_correction(tutor_home):
    app = EnginesApp(tutor_home, "drill", "adam-step")  # the deck's own drill
    async with app.run_test(size=SIZE) as pilot:
        assert app.screen.drill.id == "adam-step"
        put_code(app, ADAM_NO_BIAS_CORRECTION)
        await check(pilot)
        assert "Mistake no-bias-correction" in outcome_text(app)
        put_code(app, ADAM_RIGHT)
        await check(pilot)
        assert "Passed" in outcome_text(app)


async def test_keys_work_while_an_endless_loop_is_checked_and_it_times_out(tutor_home, monkeypatch):
    app = EnginesApp(tutor_home, "drill", ADAM_DRILL.id, wall_s=8.0)
    # The real check's result is held back until the keys below are done, so a loaded machine
    # that takes longer than the wall limit to handle them cannot end the check first.
    keys_done = threading.Event()
    real_check = app.engines.check_drill

    def check_held_until_the_keys_are_done(drill, source):
        result = real_check(drill, source)
        keys_done.wait(timeout=60)  # a UI that waited for the check never sets it
        return result

    monkeypatch.setattr(app.engines, "check_drill", check_held_until_the_keys_are_done)
    async with app.run_test(size=SIZE) as pilot:
        put_code(app, ADAM_ENDLESS)
        await pilot.press("ctrl+r")
        screen = app.screen
        assert "checking" in str(screen.query_one("#drill-busy").render())
        # While the child spins: a hint opens and typing reaches the editor at once.
        await pilot.press("ctrl+t")
        assert screen.hints_shown == 1
        assert "Hint 1/2" in screen.query_one("#drill-hints").source
        editor = screen.query_one("#drill-editor", CodeEditor)
        editor.move_cursor(editor.document.end)
        await pilot.press("#", " ", "o", "k")
        assert editor.text.endswith("# ok")
        # The keys were handled while the check is still running: they did not wait for it.
        assert screen.runs == 0 and screen.query_one("#drill-busy").busy, "keys waited for the check"
        keys_done.set()
        await wait_for(pilot, lambda: screen.runs == 1, timeout=60)
        assert "ran longer than 8 s" in outcome_text(app)
        assert not screen.query_one("#drill-busy").busy


async def test_giving_up_takes_two_presses_and_rates_again(tutor_home):
    app = EnginesApp(tutor_home, "drill", ADAM_DRILL.id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+g")
        assert app.screen.outcome is None  # one press only warns
        await pilot.press("ctrl+g")
        assert "Given up" in outcome_text(app)
        await pilot.press("enter")
        await pilot.pause()
    assert app.results[0].rating == AGAIN
    assert app.results[0].detail["gave_up"] is True


async def test_draft_is_saved_while_typing_and_restored_on_open(tutor_home):
    app = EnginesApp(tutor_home, "drill", ADAM_DRILL.id)
    async with app.run_test(size=SIZE) as pilot:
        editor = app.screen.query_one("#drill-editor", CodeEditor)
        assert editor.text == ADAM_DRILL.starter  # nothing saved yet: the starter
        editor.move_cursor(editor.document.end)
        await pilot.press(*"x = 1")
        saved = open_study(tutor_home).store
        await wait_for(pilot, lambda: (saved.draft(ADAM_DRILL.id) or "").endswith("x = 1"))  # debounced
        await pilot.press("escape", "escape")  # leave the editor, then the screen
        await pilot.pause()
    assert app.results == [None]

    again = EnginesApp(tutor_home, "drill", ADAM_DRILL.id)
    async with again.run_test(size=SIZE):
        assert again.screen.query_one("#drill-editor", CodeEditor).text.endswith("x = 1")


async def test_external_editor_without_editor_set_only_warns(tutor_home):
    app = EnginesApp(tutor_home, "drill", ADAM_DRILL.id)
    notices = []
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        app.notify = lambda message, **kw: notices.append(message)
        await pilot.press("ctrl+e")
        assert any("$EDITOR" in n for n in notices)
        text = app.screen.query_one("#drill-editor", CodeEditor).text
        assert text == ADAM_DRILL.starter


async def test_external_editor_under_a_headless_driver_is_a_notice(tutor_home, monkeypatch):
    monkeypatch.setenv("EDITOR", "true")
    app = EnginesApp(tutor_home, "drill", ADAM_DRILL.id)
    notices = []
    async with app.run_test(size=SIZE) as pilot:
        app.notify = lambda message, **kw: notices.append(message)
        await pilot.press("ctrl+e")
        assert any("cannot hand over" in n for n in notices)


def test_quitting_during_an_endless_loop_check_is_immediate(tmp_path):
    from tests.tui.test_kill_drafts import TerminalApp

    home = tmp_path / "home"
    app = TerminalApp(home, "drill", ADAM_DRILL.id)  # wall limit 10 s
    try:
        app.wait_for("Adam step in numpy")
        app.type("\x1b[B" * 5)  # down to the `...` line
        app.type("\x0b")  # ctrl+k: clear it
        app.type("while True: pass")
        app.type("\x12")  # ctrl+r
        app.wait_for("checking")
        started = time.monotonic()
        app.type("\x11")  # ctrl+q
        app.process.wait(timeout=8)
        assert time.monotonic() - started < 3.0
    finally:
        if app.process.poll() is None:
            app.kill()
        else:
            os.close(app.master)


async def test_letters_go_to_the_editor_never_to_a_hint_and_the_code_follows_the_theme(tutor_home):
    app = EnginesApp(tutor_home, "drill", ADAM_DRILL.id)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        editor = screen.query_one("#drill-editor", CodeEditor)
        await pilot.press("escape", "h")  # out of the editor, a letter goes back into it
        assert screen.hints_shown == 0 and isinstance(app.screen, DrillScreen)
        assert screen.focused is editor and editor.text.startswith("h")
        await pilot.press("ctrl+t")  # hints are on ctrl+t, in the editor or not
        assert screen.hints_shown == 1
        assert editor.theme == "vscode_dark"
        app.theme = "textual-light"
        await pilot.pause()
        assert editor.theme == "github_light"


async def test_the_editor_setting_is_used_before_the_environment(tutor_home, monkeypatch):
    monkeypatch.setenv("TUTOR_EDITOR", "true")  # the `editor` setting, with $EDITOR unset
    app = EnginesApp(tutor_home, "drill", ADAM_DRILL.id)
    notices = []
    async with app.run_test(size=SIZE) as pilot:
        app.notify = lambda message, **kw: notices.append(message)
        await pilot.press("ctrl+e")
        assert any("cannot hand over" in n for n in notices), notices
