"""Issue #12 for timed problems: the clock and the hints opened live in the store, an empty
answer is asked about once, the key-point coverage sits beside the verdict keys, and the
verdict's rating can be lowered before enter, never raised. Each `make_app` is a fresh start
of the app on the same home."""

from __future__ import annotations

from textual.widgets import Static

from tests.tui import test_app_study
from tests.tui.engines_app import wait_for
from tests.tui.test_app_study import DAY0, SIZE, item_id, screen_name
from tutor.schedule import AGAIN, EASY, GOOD, HARD

problem_deck = test_app_study.problem_deck  # the same fixture: a deck of one timed problem


async def open_problem(app, pilot) -> None:
    await pilot.press("enter")
    await wait_for(pilot, lambda: item_id(app) == "why-adam")


def shown(app, part: str) -> str:
    return str(app.screen.query_one(f"#{part}", Static).content)


def reviewed(app) -> bool:
    return bool(app.study.store.live_reviews("why-adam"))


async def answer(app, pilot, text: str, *keys: str) -> None:
    """Type the answer, press done, then the given keys; wait until the review is recorded."""
    await pilot.press(*text, "ctrl+r", *keys)
    await wait_for(pilot, lambda: reviewed(app))


async def test_a_hint_is_not_offered_again_after_quitting_and_reopening(make_app, problem_deck):
    app = make_app(DAY0, roots=[problem_deck])
    async with app.run_test(size=SIZE) as pilot:
        await open_problem(app, pilot)
        await pilot.press("ctrl+t")
        await pilot.pause()
    app = make_app(DAY0, roots=[problem_deck])  # ctrl+q and start again
    async with app.run_test(size=SIZE) as pilot:
        await open_problem(app, pilot)
        assert "Hint 1: Think about m₀ = 0." in shown(app, "hints")
        assert "Hint 2" not in shown(app, "hints") and "hints 1/2" in shown(app, "clock")
        await pilot.press("ctrl+t")  # the second hint, not the first again
        await pilot.pause()
        assert "Hint 2: Divide by" in shown(app, "hints") and "hints 2/2" in shown(app, "clock")
        await answer(app, pilot, "the zero start biases m", "s", "enter")
    [review] = app.study.store.live_reviews("why-adam")
    assert review.rating == HARD and review.detail["hints_used"] == 2  # Easy, two levels lower


async def test_the_clock_keeps_running_across_a_restart_and_restarts_after_an_answer(make_app, problem_deck):
    app = make_app(DAY0, roots=[problem_deck])
    async with app.run_test(size=SIZE) as pilot:
        await open_problem(app, pilot)
        assert "8:00 left" in shown(app, "clock")
    app = make_app("2026-03-02T09:05:00", roots=[problem_deck])  # five minutes later, a new run
    async with app.run_test(size=SIZE) as pilot:
        await open_problem(app, pilot)
        assert "3:00 left" in shown(app, "clock") and "past target" not in shown(app, "clock")
        await pilot.press(*"the zero start biases m", "ctrl+r")
        assert "answered in 5:00" in shown(app, "clock")
        await pilot.press("n", "enter")  # No Hire: Again, back after the others (there are none)
        await wait_for(pilot, lambda: item_id(app) == "why-adam")
        assert "8:00 left" in shown(app, "clock")  # a fresh attempt, a fresh clock
    [review] = app.study.store.live_reviews("why-adam")
    assert review.rating == AGAIN and review.detail["seconds"] == 300.0


async def test_an_empty_answer_asks_once_whether_it_was_given_aloud(make_app, problem_deck):
    app = make_app(DAY0, roots=[problem_deck])
    async with app.run_test(size=SIZE) as pilot:
        await open_problem(app, pilot)
        await pilot.press("ctrl+r")
        assert "Did you give the answer aloud?" in shown(app, "verdict-help")
        await pilot.press("s", "enter")  # Strong Hire is refused until the question is answered
        await pilot.pause()
        assert screen_name(app) == "ProblemScreen" and "y or n" in shown(app, "verdict-help")
        await pilot.press("n")  # not aloud either: No Hire
        assert "Rated Again" in shown(app, "verdict-help")
        await pilot.press("enter")
        await wait_for(pilot, lambda: reviewed(app))
    [review] = app.study.store.live_reviews("why-adam")
    assert review.rating == AGAIN and review.detail["aloud"] is False


async def test_an_answer_given_aloud_is_rated_by_the_verdict(make_app, problem_deck):
    app = make_app(DAY0, roots=[problem_deck])
    async with app.run_test(size=SIZE) as pilot:
        await open_problem(app, pilot)
        await answer(app, pilot, "zero", "y", "s", "enter")  # one word: asked, and said aloud
    [review] = app.study.store.live_reviews("why-adam")
    assert review.rating == EASY and review.detail["aloud"] is True


async def test_key_point_coverage_is_beside_the_verdict_keys(make_app, problem_deck):
    app = make_app(DAY0, roots=[problem_deck])
    async with app.run_test(size=SIZE) as pilot:
        await open_problem(app, pilot)
        await pilot.press(*"the zero start biases m", "ctrl+r")
        bar = shown(app, "verdict-help")
        assert "s Strong Hire → Easy" in bar and "Key points covered: 1 of 2" in bar
        assert app.screen.query_one("#verdict-help").region.y < SIZE[1] - 1  # on screen, above the footer


async def test_a_verdict_rating_can_be_lowered_before_enter_never_raised(make_app, problem_deck):
    app = make_app(DAY0, roots=[problem_deck])
    async with app.run_test(size=SIZE) as pilot:
        await open_problem(app, pilot)
        await pilot.press(*"the zero start biases m", "ctrl+r", "l")  # Lean Hire: Hard
        await pilot.press("3")  # Good would raise it: refused
        await pilot.pause()
        assert "can only be lowered" in shown(app, "verdict-help") and "Rated Hard" in shown(app, "verdict-help")
        await pilot.press("1")  # "I was generous": Again
        assert "Rated Again (lowered from Hard)" in shown(app, "verdict-help")
        await pilot.press("enter")
        await wait_for(pilot, lambda: reviewed(app))
        assert not any("→" in n.message for n in app._notifications)  # no toast repeating the verdict
    [review] = app.study.store.live_reviews("why-adam")
    assert review.rating == AGAIN and review.detail["automatic"] == HARD


async def test_a_fast_strong_hire_lowered_to_good(make_app, problem_deck):
    app = make_app(DAY0, roots=[problem_deck])
    async with app.run_test(size=SIZE) as pilot:
        await open_problem(app, pilot)
        await answer(app, pilot, "the zero start biases m", "s", "3", "enter")
    [review] = app.study.store.live_reviews("why-adam")
    assert review.rating == GOOD and review.detail["automatic"] == EASY


async def test_the_keys_help_lists_the_new_problem_keys(make_app, problem_deck):
    app = make_app(DAY0, roots=[problem_deck])
    async with app.run_test(size=(100, 40)) as pilot:
        await open_problem(app, pilot)
        await pilot.press("f1")
        await wait_for(pilot, lambda: screen_name(app) == "HelpScreen")
        rows = dict(app.screen.rows)
        assert "given aloud" in rows["y / n"] and "never raise" in rows["1 2 3"]
        assert "move on" in rows["enter"] and "keeps running" in app.screen.about


async def test_keys_typed_at_full_speed_as_the_problem_opens_all_land_in_order(make_app, problem_deck):
    app = make_app(DAY0, roots=[problem_deck])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        for key in [*"the zerx", "backspace", *"o start", "enter", *"biases mm", "backspace"]:
            app.simulate_key(key)  # all queued at once, while the screen is still opening
        await wait_for(pilot, lambda: item_id(app) == "why-adam")
        await pilot.pause(0.5)
        assert app.screen.query_one("#answer").text == "the zero start\nbiases m"
