"""Reading the lessons in the app: from the dashboard and from an answered item, search, headings,
read marks, and coming back to the same place in a study session, at 80x24 and 120x40."""

from __future__ import annotations

import pytest
from textual.containers import VerticalScroll
from textual.widgets import OptionList, Static

from tests.tui.conftest import BUNDLED, DAY0, reveal_problem
from tests.tui.engines_app import wait_for
from tests.tui.test_app_study import on_dashboard

SIZES = [(80, 24), (120, 40)]


def screen_name(app) -> str:
    return type(app.screen).__name__


def status(app) -> str:
    return str(app.screen.query_one("#reading-status", Static).content)


def deck_prompt(app) -> str:
    return str(app.screen.query_one("#decks", OptionList).get_option_at_index(0).prompt)


def part(app) -> str:
    return app.screen.lessons[app.screen.index].id


async def open_reading(pilot, app) -> None:
    await pilot.pause()
    await pilot.press("r")
    await wait_for(pilot, lambda: screen_name(app) == "ReadingScreen" and app.screen.shown is not None)


@pytest.mark.parametrize("size", SIZES)
async def test_r_opens_the_checkpoint_reading_and_reaching_the_end_of_a_part_records_it(make_app, size):
    app = make_app(DAY0, roots=[BUNDLED])
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert "Read for Day 0: parts 1-5, 0 of 5 read" in deck_prompt(app)
        await open_reading(pilot, app)
        assert part(app) == "sgd-problems" and app.screen.sub_title == "adam · part 1 of 13 · Day 0"
        assert "unread" in status(app) and app.study.read_sections("adam") == set()
        await pilot.press("end")
        await wait_for(pilot, lambda: "sgd-problems" in app.study.read_sections("adam"))
        assert "read ✓" in status(app)
        await pilot.press("q")
        await wait_for(pilot, lambda: on_dashboard(app))
        assert "Read for Day 0: parts 1-5, 1 of 5 read" in deck_prompt(app)
        await open_reading(pilot, app)  # r now opens at the first unread part
        assert part(app) == "momentum-rmsprop"


async def test_headings_and_parts_move_through_the_text(make_app):
    app = make_app(DAY0, roots=[BUNDLED])
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reading(pilot, app)
        body = app.screen.query_one("#reading-body", VerticalScroll)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        first = body.scroll_y
        assert first > 0
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert body.scroll_y > first
        await pilot.press("greater_than_sign")
        await wait_for(pilot, lambda: part(app) == "momentum-rmsprop")
        assert body.scroll_y == 0
        await pilot.press("less_than_sign")
        await wait_for(pilot, lambda: part(app) == "sgd-problems")


@pytest.mark.parametrize("size", SIZES)
async def test_search_finds_text_in_another_part_and_n_walks_the_matches(make_app, size):
    app = make_app(DAY0, roots=[BUNDLED])
    async with app.run_test(size=size) as pilot:
        await open_reading(pilot, app)
        await pilot.press("slash", *"epsilon hat", "enter")
        await wait_for(pilot, lambda: part(app) == "adam-algorithm" and app.screen.query(".-search-hit"))
        await pilot.pause()
        assert "match 1/" in status(app) and "'epsilon hat'" in status(app)
        body = app.screen.query_one("#reading-body", VerticalScroll)
        (hit,) = app.screen.query(".-search-hit")
        assert "epsilon hat" in hit.source
        assert body.scroll_y <= hit.virtual_region.y < body.scroll_y + body.size.height  # on screen
        assert "match 1/1 " in status(app)
        await pilot.press("slash", *"bias correction", "enter")
        await wait_for(pilot, lambda: "for 'bias correction'" in status(app))
        first = app.screen.match_at
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen.match_at == first + 1)
        assert f"match {first + 2}/" in status(app)
        await pilot.press("N")
        await wait_for(pilot, lambda: app.screen.match_at == first)
        await pilot.press("slash", *"no such words anywhere", "enter")
        await wait_for(pilot, lambda: "no match for 'no such words anywhere'" in status(app))


@pytest.mark.parametrize("size", SIZES)
async def test_l_on_a_revealed_card_opens_its_part_and_q_comes_back_to_the_same_card(make_app, size):
    app = make_app(DAY0, roots=[BUNDLED])
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen_name(app) == "CardScreen")
        card = app.screen.card
        progress = app.screen.sub_title
        await pilot.press("l")  # before the answer: nothing
        await pilot.pause()
        assert screen_name(app) == "CardScreen"
        await pilot.press("space", "l")
        await wait_for(pilot, lambda: screen_name(app) == "ReadingScreen")
        assert card.id in app.screen.lessons[app.screen.index].prepares
        assert not app.screen.check_action("study", ())  # inside a session: no second session
        await pilot.press("slash", *"bias", "enter", "q")
        await wait_for(pilot, lambda: screen_name(app) == "CardScreen")
        assert app.screen.card is card and app.screen.revealed and app.screen.sub_title == progress
        await pilot.press("3")
        await wait_for(pilot, lambda: screen_name(app) == "CardScreen" and app.screen.card is not card)
        assert [r.rating for r in app.study.store.live_reviews(card.id)] == [3]
        assert app.screen.sub_title.startswith("adam · 2 of ")


async def test_reading_a_checkpoint_to_the_end_offers_its_items(make_app):
    app = make_app(DAY0, roots=[BUNDLED])
    for section in ("sgd-problems", "momentum-rmsprop", "adam-algorithm", "bias-correction"):
        app.study.mark_read("adam", section)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_reading(pilot, app)
        assert part(app) == "hyperparameters"
        assert not app.screen.check_action("study", ())
        await pilot.press("end")
        await wait_for(pilot, lambda: "Day 0 read: s studies" in status(app))
        await pilot.press("s")
        await wait_for(pilot, lambda: screen_name(app) == "CardScreen")


async def test_a_deck_without_lessons_says_so(make_app):
    from tests.conftest import LINALG

    app = make_app(DAY0, roots=[LINALG])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Read for" not in deck_prompt(app)
        await pilot.press("r")
        await pilot.pause()
        assert screen_name(app) == "DashboardScreen"


async def test_on_a_revealed_problem_l_keeps_its_lean_hire_meaning_and_shift_l_opens_the_lesson(make_app):
    from tutor.tui.screens.problem import ProblemScreen

    app = make_app(DAY0, roots=[BUNDLED])
    results = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        problem = app.library().items["bias-correction-derivation-problem"]
        await app.push_screen(ProblemScreen(problem, app.study, "test"), callback=results.append)
        await pilot.press("L")  # before the answer is shown, nothing opens (the key is the editor's)
        await pilot.pause()
        assert screen_name(app) == "ProblemScreen"
        await pilot.press("ctrl+r", "L")
        await wait_for(pilot, lambda: screen_name(app) == "ReadingScreen")
        assert part(app) == "bias-correction"
        await pilot.press("q", "y", "l", "enter")  # the answer "L" was given aloud; Lean Hire
        await wait_for(pilot, lambda: results)
        assert results[0].detail["verdict"] == "lean_hire"


def footer_keys(app) -> dict[str, str]:
    """What the footer shows: description -> the key it names."""
    from textual.widgets._footer import FooterKey

    return {key.description: key.key_display for key in app.screen.query(FooterKey) if key.display}


async def test_on_a_revealed_problem_the_footer_names_the_key_that_opens_the_lesson(make_app):
    """l is Lean Hire there: the footer said "l Lesson" and l gave a verdict instead."""
    app = make_app(DAY0, roots=[BUNDLED])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await reveal_problem(app, pilot)
        shown = footer_keys(app)
        assert shown["Lesson"] == "L"
        await pilot.press(shown["Lesson"])
        await wait_for(pilot, lambda: screen_name(app) == "ReadingScreen")


async def test_l_after_giving_up_a_drill_opens_its_part(make_app):
    from tutor.tui.screens.drill import DrillScreen

    app = make_app(DAY0, roots=[BUNDLED])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.push_screen(DrillScreen(app.library().items["adamw-step"], app.study, app.engines))
        await pilot.press("l")  # typed into the editor while working
        await pilot.pause()
        assert screen_name(app) == "DrillScreen"
        await pilot.press("ctrl+g", "ctrl+g")
        await wait_for(pilot, lambda: app.screen.outcome is not None)
        await pilot.press("l")
        await wait_for(pilot, lambda: screen_name(app) == "ReadingScreen")
        assert part(app) == "adamw"
        await pilot.press("q")
        await wait_for(pilot, lambda: screen_name(app) == "DrillScreen" and app.screen.outcome is not None)
