"""The derivation screen at 80x24: a false line gets ✗ with its counterexample, a line SymPy
cannot read gets ? with its column, fixing the chain reaches the goal and finishes."""

from __future__ import annotations

from tests.tui.engines_app import DERIVATION_ID, EnginesApp, open_study, wait_for
from tutor.schedule import AGAIN, HARD
from tutor.tui.screens.derivation import DerivationScreen
from tutor.tui.widgets.step_editor import StepEditor

SIZE = (80, 24)
WRONG_CHAIN = "E[hat_m_t]\n= E[m_t]/(1-beta1^t)\n= E[m_t]\n= g*("
RIGHT_CHAIN = ("E[hat_m_t]\n= E[m_t]/(1-beta1^t)\n"
               "= (1 - beta1) * sum(beta1^(t-i) * E[g_i], i, 1, t) / (1 - beta1^t)\n"
               "= (1 - beta1) * g * sum(beta1^(t-i), i, 1, t) / (1 - beta1^t)\n"
               "= g * (1 - beta1^t) / (1 - beta1) * (1 - beta1) / (1 - beta1^t)\n"
               "= g")  # through every key step of the derivation


def pane_text(screen) -> str:
    return "\n".join(str(screen.query_one(f"#derive-{part}").render())
                     for part in ("verdict", "detail", "pretty", "others"))


def put_text(screen, text: str) -> StepEditor:
    editor = screen.query_one("#derive-editor", StepEditor)
    editor.replace(text, (0, 0), editor.document.end)
    return editor


async def test_false_line_shows_cross_and_counterexample_then_fixed_chain_passes(tutor_home):
    app = EnginesApp(tutor_home, "derivation", DERIVATION_ID)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, DerivationScreen)
        editor = put_text(screen, WRONG_CHAIN)
        await pilot.pause()
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.runs == 1)
        assert [editor.mark_of(n) for n in (1, 2, 3, 4)] == ["ok", "ok", "wrong", "unparsed"]
        editor.move_cursor((2, 0))  # onto the false line
        await pilot.pause()
        text = pane_text(screen)
        assert "line 3 ✗" in text and "biased towards zero" in text
        assert "counterexample at beta1 = " in text and "line 2 is" in text
        assert "line 4 ? col 6" in text  # the unparsed line, with its column
        editor.move_cursor((1, 0))  # line 2 is echoed as SymPy read it, as a 2-D fraction
        await pilot.pause()
        assert "───" in str(screen.query_one("#derive-pretty").render())
        assert "3✗" in "".join(segment.text for segment in editor.render_line(2))

        put_text(screen, RIGHT_CHAIN)  # fixed: checked live after a pause in typing
        await wait_for(pilot, lambda: "ctrl+r to finish" in pane_text(screen))
        await pilot.press("ctrl+r")  # only an explicit check finishes
        await wait_for(pilot, lambda: screen.outcome is not None)
        assert [editor.mark_of(n) for n in (1, 2, 3, 4)] == ["ok"] * 4
        assert "Reached the goal g" in pane_text(screen) and "Rated Hard" in pane_text(screen)
        await pilot.press("enter")
        await pilot.pause()
    [result] = app.results
    assert result.rating == HARD and result.detail["failed_runs"] == 2  # the run and its changed ✗ line
    study = open_study(tutor_home)
    assert [a["status"] for a in study.store.attempts(DERIVATION_ID)] == ["fail", "pass"]
    assert study.store.draft(DERIVATION_ID) is None


async def test_a_result_for_text_that_has_changed_since_is_dropped(tutor_home):
    app = EnginesApp(tutor_home, "derivation", DERIVATION_ID)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        editor = put_text(screen, "E[hat_m_t]\n= 0")
        await pilot.pause()
        stale_generation = screen._generation
        put_text(screen, "E[hat_m_t]")
        await pilot.pause()
        screen._show_result({"status": "fail", "goal_reached": False, "steps": [
            {"line": 2, "text": "= 0", "status": "wrong", "message": "stale",
             "counterexample": None, "pretty": "0"}]}, stale_generation)
        assert editor.mark_of(2) is None and screen.runs == 0
        await wait_for(pilot, lambda: editor.mark_of(1) == "ok")


async def test_hints_one_at_a_time_and_give_up_shows_the_model_chain(tutor_home):
    app = EnginesApp(tutor_home, "derivation", DERIVATION_ID)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.press("ctrl+t")
        assert "Hint 1/3" in screen.query_one("#derive-hints").source
        assert "Hint 2/3" not in screen.query_one("#derive-hints").source
        await pilot.press("ctrl+g", "ctrl+g")
        assert "Given up" in pane_text(screen) and "= g" in pane_text(screen)
        await pilot.press("enter")
        await pilot.pause()
    assert app.results[0].rating == AGAIN
    assert app.results[0].detail["hints_used"] == 1


async def test_draft_restored_on_open(tutor_home):
    app = EnginesApp(tutor_home, "derivation", DERIVATION_ID)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"E[hat_m_t]")
        await pilot.pause(0.8)
        await pilot.press("escape", "escape")
        await pilot.pause()
    assert app.results == [None]
    again = EnginesApp(tutor_home, "derivation", DERIVATION_ID)
    async with again.run_test(size=SIZE) as pilot:
        editor = again.screen.query_one("#derive-editor", StepEditor)
        assert editor.text == "E[hat_m_t]"
        await wait_for(pilot, lambda: editor.mark_of(1) == "ok")  # rechecked on open


async def type_lines(pilot, lines: list[str], pause: float = 0.9) -> None:
    """Type lines as a learner does, pausing after each so the live check runs."""
    for n, line in enumerate(lines):
        await pilot.press(*line)
        if n < len(lines) - 1:
            await pilot.press("enter")
        await pilot.pause(pause)


async def finish(pilot, screen) -> None:
    """Wait for the live check to find the chain complete, then finish it with ctrl+r."""
    await wait_for(pilot, lambda: "ctrl+r to finish" in pane_text(screen))
    await pilot.press("ctrl+r")
    await wait_for(pilot, lambda: screen.outcome is not None)


async def test_a_false_line_the_learner_moved_past_costs_the_rating(tutor_home):
    app = EnginesApp(tutor_home, "derivation", DERIVATION_ID)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await type_lines(pilot, ["E[hat_m_t]", "= E[m_t]", ""])  # ✗ shown, learner moved on
        editor = screen.query_one("#derive-editor", StepEditor)
        await wait_for(pilot, lambda: editor.mark_of(2) == "wrong")
        put_text(screen, RIGHT_CHAIN)
        await finish(pilot, screen)
    assert app.results == [] and screen.outcome.rating == HARD
    assert screen.outcome.detail["wrong_lines_changed"] == 1


async def test_a_false_line_corrected_with_the_cursor_still_on_it_costs_the_rating(tutor_home):
    app = EnginesApp(tutor_home, "derivation", DERIVATION_ID)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await type_lines(pilot, ["E[hat_m_t]", "= 0"])  # shown ✗, the cursor still on it
        editor = screen.query_one("#derive-editor", StepEditor)
        await wait_for(pilot, lambda: editor.mark_of(2) == "wrong")
        await pilot.press("backspace")  # corrected in place
        await pilot.press(*"E[m_t]/(1-beta1^t)")
        await pilot.pause(0.9)
        put_text(screen, RIGHT_CHAIN)
        await finish(pilot, screen)
    assert screen.outcome.rating == HARD and screen.outcome.detail["failed_runs"] == 1
    assert screen.outcome.detail["wrong_lines_changed"] == 1


async def test_typing_the_goal_line_does_not_finish_the_derivation(tutor_home):
    app = EnginesApp(tutor_home, "derivation", DERIVATION_ID)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.press("ctrl+t")
        editor = put_text(screen, RIGHT_CHAIN)
        await wait_for(pilot, lambda: "ctrl+r to finish" in pane_text(screen))
        assert screen.outcome is None and screen.runs == 0
        await pilot.press("end", "enter", *"= g")  # typing on: the keys stay in this editor
        await pilot.pause(0.9)
        assert editor.text == RIGHT_CHAIN + "\n= g" and screen.outcome is None
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.outcome is not None)
        assert "\nRated Hard: 1 hint today." in pane_text(screen)  # why, on a line of its own
        hints = str(screen.query_one("#derive-hints").source)
        assert "Hint 1/3" in hints and "more hint" not in hints  # finished: no more hints offered
        await pilot.press(*"gimport")  # typed on after the end: lands nowhere
        await pilot.pause()
        assert editor.text == RIGHT_CHAIN + "\n= g" and app.results == []
        await pilot.press("enter")
        await pilot.pause()
    assert app.results[0].rating == HARD


async def test_the_route_shows_start_and_goal_in_unicode(tutor_home):
    app = EnginesApp(tutor_home, "derivation", "bias-correction-second-moment")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        route = str(app.screen.query_one("#derive-route").render())
        assert "from E[v̂ₜ]" in route and "to q" in route  # q: the mean square E[g²], not a variance


async def test_a_chain_that_skips_a_key_step_says_which_one(tutor_home):
    """The goal reached without a key step does not finish; the pane names what is skipped, so
    the learner knows what to write before a ctrl+r that would cost a rating level."""
    app = EnginesApp(tutor_home, "derivation", DERIVATION_ID)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        put_text(screen, "E[hat_m_t]\n= E[m_t]/(1-beta1^t)\n"
                         "= (1-beta1)*sum(beta1^(t-i)*g, i, 1, t)/(1-beta1^t)\n= g")
        await wait_for(pilot, lambda: screen.last_result is not None)
        assert screen.last_result["status"] == "incomplete"
        text = pane_text(screen)
        assert "skips" in text and "the sum in closed form" in text
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.runs == 1)
        assert screen.outcome is None and "the sum in closed form" in pane_text(screen)


async def test_a_line_not_understood_is_explained_once(tutor_home):
    """The pane said "line 2: col 3: unknown function ..." and then "line 2 ? not understood:
    col 3: unknown function ..." for the same line."""
    app = EnginesApp(tutor_home, "derivation", DERIVATION_ID)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        put_text(screen, "E[hat_m_t]\n= foo(m_t)")
        await wait_for(pilot, lambda: screen.last_result is not None)
        assert screen.last_result["status"] == "error"
        text = pane_text(screen)
        assert text.count("unknown function 'foo'") == 1 and "line 2 ? not understood" in text


async def test_a_first_line_off_the_start_names_the_start_not_a_line_0(tutor_home):
    app = EnginesApp(tutor_home, "derivation", DERIVATION_ID)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        put_text(screen, "E[m_t]")
        await wait_for(pilot, lambda: screen.last_result is not None)
        text = pane_text(screen)
        assert "must start from" in text and "the start is" in text and "line 0" not in text


async def test_after_giving_up_the_pane_shows_the_model_chain_without_the_last_line_detail(tutor_home):
    app = EnginesApp(tutor_home, "derivation", DERIVATION_ID)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        put_text(screen, "E[hat_m_t]\n= E[m_t]\n= foo")
        await wait_for(pilot, lambda: screen.last_result is not None)
        assert "line 3 ?" in pane_text(screen)
        await pilot.press("ctrl+g", "ctrl+g")
        await wait_for(pilot, lambda: screen.outcome is not None)
        text = pane_text(screen)
        assert "Given up" in text and "= g" in text
        assert "line 2" not in text and "line 3" not in text and "read as" not in text


async def test_a_false_a_equals_b_line_shows_its_two_sides_compared(tutor_home):
    """On `a = b` the checker compares b with a, but the pane said 'line 1 is ..., line 2 is ...'."""
    app = EnginesApp(tutor_home, "derivation", DERIVATION_ID)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        put_text(screen, "E[hat_m_t]\n= E[m_t]/(1-beta1^t) = E[m_t]")
        await pilot.pause()
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.runs == 1)
        text = " ".join(pane_text(screen).split())
        assert "line 2's first expression is " in text and ", line 2's second expression is " in text
        assert "line 1 is" not in text
