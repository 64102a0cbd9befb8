"""Issue #12: what reaches the schedule is what the learner earned, whatever screens were left
or how often the app was restarted in between (each `EnginesApp` here is a fresh start)."""

from __future__ import annotations

from tests.tui.engines_app import (
    ADAM_DRILL,
    ADAM_NO_BIAS_CORRECTION,
    ADAM_RIGHT,
    EnginesApp,
    check,
    put_code,
    wait_for,
)
from tutor.schedule import AGAIN, EASY, GOOD, HARD

SIZE = (80, 24)


async def pass_drill(home) -> dict:
    app = EnginesApp(home, "drill", ADAM_DRILL.id)
    async with app.run_test(size=SIZE) as pilot:
        put_code(app, ADAM_RIGHT)
        await check(pilot)
        await pilot.press("enter")
        await pilot.pause()
    [result] = app.results
    return result


async def test_a_failed_check_counts_after_leaving_and_coming_back(tutor_home):
    app = EnginesApp(tutor_home, "drill", ADAM_DRILL.id)
    async with app.run_test(size=SIZE) as pilot:
        put_code(app, ADAM_NO_BIAS_CORRECTION)
        await check(pilot)
        await pilot.press("escape", "escape")  # out of the editor, then back: nothing rated yet
        await pilot.pause()
    assert app.results == [None]
    result = await pass_drill(tutor_home)
    assert result.rating == HARD and result.detail["failed_runs"] == 1


async def test_hints_opened_stay_open_and_count_after_a_restart(tutor_home):
    app = EnginesApp(tutor_home, "drill", ADAM_DRILL.id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+t")
        await pilot.pause()
    app = EnginesApp(tutor_home, "drill", ADAM_DRILL.id)
    async with app.run_test(size=SIZE) as pilot:
        hints = str(app.screen.query_one("#drill-hints").source)
        assert "Hint 1/2" in hints and ADAM_DRILL.hints[0] in hints
        assert ADAM_DRILL.hints[1] not in hints
        await pilot.press("ctrl+t")  # the second hint, not the first again
        await pilot.pause()
        assert ADAM_DRILL.hints[1] in str(app.screen.query_one("#drill-hints").source)
    result = await pass_drill(tutor_home)
    assert result.rating == HARD and result.detail["hints_used"] == 2


async def test_a_pass_after_giving_up_the_same_day_is_at_most_hard(tutor_home):
    app = EnginesApp(tutor_home, "drill", ADAM_DRILL.id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+g", "ctrl+g")
        await wait_for(pilot, lambda: app.screen.outcome is not None)
        await pilot.press("enter")
        await pilot.pause()
    assert app.results[0].rating == AGAIN
    result = await pass_drill(tutor_home)  # at once: well under half the target time
    assert result.rating == HARD


async def test_giving_up_a_drill_shows_its_model_solution(tutor_home):
    app = EnginesApp(tutor_home, "drill", "adamw-step")  # a shipped drill, with its solution
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+g", "ctrl+g")
        await wait_for(pilot, lambda: app.screen.outcome is not None)
        shown = str(app.screen.query_one("#drill-outcome").render())
        assert "Rated Again" in shown and "A model solution" in shown
        assert "def adamw_step(" in shown and "param = param * (1 - lr * weight_decay)" in shown


async def test_a_drill_rating_can_be_lowered_before_moving_on_never_raised(tutor_home):
    app = EnginesApp(tutor_home, "drill", ADAM_DRILL.id)
    async with app.run_test(size=SIZE) as pilot:
        put_code(app, ADAM_NO_BIAS_CORRECTION)
        await check(pilot)
        put_code(app, ADAM_RIGHT)
        await check(pilot)  # passed after a failed run: Hard
        await pilot.press("3")  # Good would raise it: refused
        await pilot.pause()
        assert any("can only be lowered" in n.message for n in app._notifications)
        await pilot.press("1")  # "I guessed": Again
        await pilot.pause()
        outcome = str(app.screen.query_one("#drill-outcome").render())
        assert "Rated Again: lowered from Hard." in outcome  # the line said Hard still
        await pilot.press("enter")
        await pilot.pause()
    [result] = app.results
    assert result.rating == AGAIN and result.detail["automatic"] == HARD


async def test_a_fast_pass_lowered_to_good(tutor_home):
    app = EnginesApp(tutor_home, "drill", ADAM_DRILL.id)
    async with app.run_test(size=SIZE) as pilot:
        put_code(app, ADAM_RIGHT)
        await check(pilot)  # well under half the target time: Easy
        await pilot.press("3", "enter")
        await pilot.pause()
    [result] = app.results
    assert result.rating == GOOD and result.detail["automatic"] == EASY
