"""Studying whole days in the app at 80x24 with a pinned clock: what the learner does and sees.

Each test drives the real app (Pilot) on a temporary home and checks both the screen and the
store, so a review that looks recorded really is on disk.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList, Static

from tests.conftest import LINALG
from tests.tui.conftest import BUNDLED
from tests.tui.engines_app import wait_for
from tutor.schedule import AGAIN, EASY, GOOD, HARD

SIZE = (80, 24)
DAY0 = "2026-03-02T09:00:00"
DAY3 = "2026-03-05T09:00:00"


def screen_name(app) -> str:
    return type(app.screen).__name__


def on_dashboard(app) -> bool:
    """The dashboard is up with the numbers of the store as it is now (it reads them in a thread)."""
    return screen_name(app) == "DashboardScreen" and app.screen.up_to_date()


def item_id(app) -> str | None:
    item = getattr(app.screen, "card", None) or getattr(app.screen, "problem", None)
    return item.id if item else None


def ratings(app, item: str) -> list[int]:
    return [r.rating for r in app.study.store.live_reviews(item)]


def deck_prompt(app, index: int = 0) -> str:
    options = app.screen.query_one("#decks", OptionList)
    return str(options.get_option_at_index(index).prompt)


async def test_day_zero_again_comes_back_after_the_others_and_undo_brings_an_item_back(make_app):
    app = make_app(DAY0, roots=[LINALG])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert screen_name(app) == "DashboardScreen"
        assert app.screen.query_one("#welcome").display  # first run: the plan in three lines
        prompt = deck_prompt(app)
        assert "Day 0 •today" in prompt and "Day 3 ○Mar 5" in prompt and "2 to study" in prompt

        await pilot.press("enter")
        await wait_for(pilot, lambda: screen_name(app) == "CardScreen")
        assert item_id(app) == "eigenvector-definition"
        assert app.screen.sub_title == "linalg · 1 of 2"
        await pilot.press("space", "1")  # Again: it must come back, but after the other item
        await wait_for(pilot, lambda: item_id(app) == "orthogonal-inverse")
        assert app.screen.sub_title == "linalg · 2 of 3"
        await pilot.press("space", "3")
        await wait_for(pilot, lambda: item_id(app) == "eigenvector-definition")
        await pilot.press("space", "3")
        await wait_for(pilot, lambda: screen_name(app) == "StudyScreen" and app.screen.current is None)
        done = str(app.screen.query_one("#study-status", Static).content)
        assert "All done for today" in done
        assert "Next reviews in 3 days, on Thu 05 Mar." in done  # both rated Good on Day 0

        await pilot.press("u")  # the last review (Good on eigenvector-definition) is undone ...
        await wait_for(pilot, lambda: item_id(app) == "eigenvector-definition")  # ... and it is back
        assert ratings(app, "eigenvector-definition") == [AGAIN]
        await pilot.press("space", "4")
        await wait_for(pilot, lambda: screen_name(app) == "StudyScreen" and app.screen.current is None)
        await pilot.press("q")
        await wait_for(pilot, lambda: on_dashboard(app))
        assert "Day 0 ✓" in deck_prompt(app)
        assert "Nothing due today" in deck_prompt(app)

    assert ratings(app, "eigenvector-definition") == [AGAIN, EASY]
    assert ratings(app, "orthogonal-inverse") == [GOOD]


async def test_day_three_typed_and_choice_cards_are_checked_then_rated(make_app):
    app = make_app(DAY0, roots=[LINALG])
    for item in ("eigenvector-definition", "orthogonal-inverse"):
        app.study.review(item, GOOD)
    app = make_app(DAY3, roots=[LINALG])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not app.screen.query_one("#welcome").display
        prompt = deck_prompt(app)
        assert "Day 0 ✓" in prompt and "Day 3 •today" in prompt and "Day 7 ○Mar 9" in prompt
        assert "4 to study" in prompt

        await pilot.press("enter")
        await wait_for(pilot, lambda: item_id(app) == "eigenvector-definition")
        await pilot.press("space", "2")
        await wait_for(pilot, lambda: item_id(app) == "orthogonal-inverse")
        await pilot.press("space", "3")

        await wait_for(pilot, lambda: item_id(app) == "trace-2x2")  # typed
        await pilot.press(*" Five ", "enter")  # normalised: case and spaces do not matter
        verdict = app.screen.query_one("#verdict", Static)
        assert "Right" in str(verdict.content) and verdict.has_class("right")
        await pilot.press("enter")  # accepts the suggested Good

        await wait_for(pilot, lambda: item_id(app) == "det-2x2")  # choice
        await pilot.press("u")  # undo the typed card's Good: it comes back with an empty field
        await wait_for(pilot, lambda: item_id(app) == "trace-2x2")
        assert ratings(app, "trace-2x2") == [] and app.screen.query_one("#typed").value == ""
        await pilot.press(*"5", "enter", "enter")
        await wait_for(pilot, lambda: item_id(app) == "det-2x2")
        await pilot.press("b")  # wrong
        verdict = app.screen.query_one("#verdict", Static)
        assert "Not quite" in str(verdict.content) and "The answer: a" in str(verdict.content)
        assert app.screen.query_one("#rating").suggested == AGAIN
        back = app.screen.query_one("#back").source
        assert "The sign is wrong" in back and "1\\*4 - 2\\*3 = -2" in back  # every option explained, stars literal
        await pilot.press("enter")  # Again, suggested: the card comes back at the end
        await wait_for(pilot, lambda: item_id(app) == "det-2x2" and not app.screen.revealed)
        await pilot.press("down", "up", "enter")  # arrows + enter pick option 1
        assert app.screen.correct is True
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen_name(app) == "StudyScreen" and app.screen.current is None)

        await pilot.press("u")
        await wait_for(pilot, lambda: item_id(app) == "det-2x2")
        await pilot.press("a", "4")

    assert ratings(app, "eigenvector-definition") == [GOOD, HARD]
    assert ratings(app, "trace-2x2") == [GOOD]
    assert ratings(app, "det-2x2") == [AGAIN, EASY]
    details = [r.detail for r in app.study.store.live_reviews("det-2x2")]
    assert details[0]["correct"] is False and details[0]["picked"] == 1


async def test_cloze_hides_deletions_until_revealed(make_app):
    app = make_app(DAY0, roots=[BUNDLED], deck="adam")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: item_id(app) == "adam-update-rule")
        await pilot.press("space", "3")
        await wait_for(pilot, lambda: item_id(app) == "adam-first-moment")
        front = app.screen.query_one("#front").source
        assert "[...]" in front and "mₜ" in front  # maths in Unicode, deletions hidden
        await pilot.press("space")
        back = app.screen.query_one("#back").source
        assert "[...]" not in back and "β₁" in back
        await pilot.press("3")
        await wait_for(pilot, lambda: item_id(app) not in (None, "adam-first-moment"))
        await pilot.press("u")  # the cloze comes back, deletions hidden again
        await wait_for(pilot, lambda: item_id(app) == "adam-first-moment")
        assert not app.screen.revealed and ratings(app, "adam-first-moment") == []
        await pilot.press("space", "2")
    assert ratings(app, "adam-first-moment") == [HARD]


async def rate_the_first_and_leave(pilot, app) -> None:
    """On the linalg deck's Day 0: the first card rated Good, then q back to the dashboard."""
    await pilot.press("enter")
    await wait_for(pilot, lambda: item_id(app) == "eigenvector-definition")
    await pilot.press("space", "3")
    await wait_for(pilot, lambda: item_id(app) == "orthogonal-inverse")
    await pilot.press("q")
    await wait_for(pilot, lambda: on_dashboard(app))


async def test_leaving_keeps_the_place_and_resumes(make_app):
    app = make_app(DAY0, roots=[LINALG])
    async with app.run_test(size=SIZE) as pilot:
        await rate_the_first_and_leave(pilot, app)
        assert "1 to study" in deck_prompt(app)
        assert "1 review done" in str(app.screen.query_one("#today", Static).content)
        await pilot.press("enter")
        await wait_for(pilot, lambda: item_id(app) == "orthogonal-inverse")
        assert app.screen.sub_title == "linalg · 2 of 2"


async def test_help_lists_the_keys_of_the_screen_and_theme_toggles(make_app):
    app = make_app(DAY0, roots=[LINALG])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen_name(app) == "CardScreen")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: screen_name(app) == "HelpScreen")
        rows = dict((what, keys) for keys, what in app.screen.rows)
        assert rows["rate Again / Hard / Good / Easy (wrong answer: Again)"] == "1 2 3 4"
        assert rows["pick an option (choice cards; or arrows, enter)"] == "a b c d"
        assert "show the answer" in rows and "Undo last" in rows and "Leave" in rows
        await pilot.press("escape")
        await wait_for(pilot, lambda: screen_name(app) == "CardScreen")
        app.start_study("linalg")  # the palette's "Study" while studying: no second session on top
        await pilot.pause()
        assert screen_name(app) == "CardScreen"
        assert sum(type(s).__name__ == "StudyScreen" for s in app.screen_stack) == 1
        assert app.current_theme.dark
        await pilot.press("f2")
        assert not app.current_theme.dark
        await pilot.press("f2")
        assert app.current_theme.dark


async def test_light_theme_from_settings(make_app):
    app = make_app(DAY0, roots=[LINALG], theme="textual-light")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "textual-light"


PROBLEM_DECK = """\
id: interview
title: Interview practice
plan:
  - day: 0
    goal: Answer one question against the clock.
    items: [why-adam]
"""
PROBLEM = """\
problems:
  - id: why-adam
    title: Why Adam
    tags: [adam]
    prompt: Explain what the $\\hat{m}_t$ correction does.
    time_limit_min: 8
    target_min: 5
    hints: ['Think about $m_0 = 0$.', 'Divide by $1-\\beta_1^t$.']  # single quotes: "\\b" would be a backspace
    answer: It removes the bias toward zero from the zero start.
    rubric:
      strong_hire: [Names the zero initialisation]
      lean_hire: [Vague]
      no_hire: [Wrong]
    key_points:
      - point: Zero initialisation
        match: ['zero']
      - point: The geometric series
        match: ['geometric']
"""


@pytest.fixture
def problem_deck(tmp_path) -> Path:
    deck = tmp_path / "decks" / "interview"
    deck.mkdir(parents=True)
    (deck / "deck.yaml").write_text(PROBLEM_DECK)
    (deck / "problems.yaml").write_text(PROBLEM)
    return deck


async def test_problem_with_a_hint_is_capped_and_the_draft_is_kept(make_app, problem_deck):
    app = make_app(DAY0, roots=[problem_deck])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await wait_for(pilot, lambda: item_id(app) == "why-adam")
        clock = str(app.screen.query_one("#clock", Static).content)
        assert "8:00 left" in clock and "target 5:00" in clock and "limit 8:00" in clock
        await pilot.press(*"the zero start biases m")
        # The draft is saved as it is typed (after a short pause), before anything else is pressed.
        await wait_for(pilot, lambda: app.study.store.draft("why-adam") == "the zero start biases m")
        await pilot.press("ctrl+t")
        assert "Hint 1: Think about m₀ = 0." in str(app.screen.query_one("#hints", Static).content)
        await pilot.press("ctrl+r")
        coverage = str(app.screen.query_one("#coverage", Static).content)
        assert "1 of 2" in coverage and "✓ Zero initialisation" in coverage and "✗ The geometric" in coverage
        assert "Strong Hire" in app.screen.query_one("#rubric").source
        keys = str(app.screen.query_one("#verdict-help", Static).content)  # each rating shown before the choice
        assert "s Strong Hire → Good" in keys and "l Lean Hire → Hard" in keys and "n No Hire → Again" in keys
        await pilot.press("s", "enter")  # Strong Hire, under the target: Easy, but the hint caps it at Good
        await wait_for(pilot, lambda: screen_name(app) == "StudyScreen")
    [review] = app.study.store.live_reviews("why-adam")
    assert review.rating == GOOD
    assert review.detail["hints_used"] == 1 and review.detail["verdict"] == "strong_hire"
    assert app.study.store.draft("why-adam") is None


async def test_leaving_a_problem_keeps_the_draft_and_the_clock_for_next_time(make_app, problem_deck,
                                                                            monkeypatch):
    app = make_app(DAY0, roots=[problem_deck])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await wait_for(pilot, lambda: item_id(app) == "why-adam")
        await pilot.press(*"half an answer", "escape", "q")
        await wait_for(pilot, lambda: on_dashboard(app))
        monkeypatch.setenv("TUTOR_NOW", "2026-03-02T09:01:30")  # a minute and a half away
        await pilot.press("enter")
        await wait_for(pilot, lambda: item_id(app) == "why-adam")
        assert app.screen.query_one("#answer").text == "half an answer"
        assert "6:30 left" in str(app.screen.query_one("#clock", Static).content)
    assert app.study.store.live_reviews("why-adam") == []


async def test_content_errors_are_listed_not_fatal(make_app, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "deck.yaml").write_text("id: bad\ntitle: Broken\n")
    (bad / "cards.yaml").write_text("cards:\n  - id: x\n    type: basic\n    front: [unclosed\n")
    app = make_app(DAY0, roots=[LINALG, bad])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        issues = app.screen.query_one("#content-issues", Static)
        assert issues.display
        assert "bad/cards.yaml:5: at (top): YAML syntax error" in str(issues.content)


async def test_stats_and_browse_show_what_was_studied(make_app):
    app = make_app(DAY0, roots=[LINALG])
    app.study.review("eigenvector-definition", GOOD)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: screen_name(app) == "StatsScreen")
        assert "1 over 1 item " in str(app.screen.query_one("#stats-head", Static).content)
        await pilot.press("q", "b")
        await wait_for(pilot, lambda: screen_name(app) == "BrowseScreen")
        await pilot.press(*"#eigen")
        table = app.screen.query_one("#results")
        assert table.row_count == 1
        assert "Good" in str(app.screen.query_one("#history", Static).content)
        await pilot.press("escape")
        await wait_for(pilot, lambda: on_dashboard(app))


@pytest.fixture
def derivation_deck(tmp_path) -> Path:
    """A deck whose only item is the shipped bias-correction derivation."""
    import yaml

    source = yaml.safe_load((BUNDLED / "adam" / "derivations.yaml").read_text())
    deck = tmp_path / "decks" / "derive"
    deck.mkdir(parents=True)
    (deck / "deck.yaml").write_text("id: derive\ntitle: One derivation\n")
    (deck / "derivations.yaml").write_text(yaml.safe_dump({"derivations": source["derivations"][:1]}))
    return deck


async def test_a_kind_this_build_cannot_show_is_skipped_with_a_notice(make_app, derivation_deck, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "tutor.tui.screens.derivation", None)  # import now fails
    app = make_app(DAY0, roots=[derivation_deck])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen_name(app) == "StudyScreen" and app.screen.current is None
                       and app.screen.session.skipped)
        assert any("cannot be studied in this build" in n.message for n in app._notifications)
        assert "could not be shown" in str(app.screen.query_one("#study-status", Static).content)


async def test_a_failing_worker_becomes_a_modal_not_a_crash(make_app):
    app = make_app(DAY0, roots=[LINALG])

    def broken() -> None:
        raise RuntimeError("disk on fire")

    async with app.run_test(size=SIZE) as pilot:
        app.run_worker(broken, thread=True, exit_on_error=False, description="a test job")
        await wait_for(pilot, lambda: screen_name(app) == "MessageModal")
        assert "disk on fire" in app.screen.body and app.screen.title_text == "a test job failed"
        await pilot.press("enter")
        await wait_for(pilot, lambda: on_dashboard(app))


async def test_quitting_at_once_still_keeps_the_last_keystrokes_of_a_problem(make_app, problem_deck):
    app = make_app(DAY0, roots=[problem_deck])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await wait_for(pilot, lambda: item_id(app) == "why-adam")
        await pilot.press(*"typed just now", "ctrl+q")  # well inside the 0.5 s debounce
    assert app.study.store.draft("why-adam") == "typed just now"


async def test_an_item_screen_that_fails_to_build_is_reported_and_skipped(make_app, monkeypatch):
    from tutor.tui.screens import card

    def broken(*args, **kwargs):
        raise ValueError("bad card")

    monkeypatch.setattr(card, "CardScreen", broken)
    app = make_app(DAY0, roots=[LINALG])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen_name(app) == "MessageModal")
        assert "bad card" in app.screen.body
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen_name(app) == "MessageModal")  # the second card, too
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen_name(app) == "StudyScreen" and app.screen.current is None)
        assert len(app.screen.session.skipped) == 2


async def test_a_theme_picked_in_the_app_is_remembered(make_app, home):
    from tutor.config import load_settings

    app = make_app(DAY0, roots=[LINALG])
    app.config_path = home / "config.yaml"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await pilot.pause()
    assert load_settings({}, home=str(home)).theme == app.theme == "textual-light"


async def test_the_dashboard_shows_todays_minutes_against_the_budget(make_app, monkeypatch):
    monkeypatch.setenv("TUTOR_DAILY_MINUTES", "5")
    app = make_app(DAY0, roots=[BUNDLED])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        today = str(app.screen.query_one("#today", Static).content)
        minutes = round(sum(e.seconds for e in app.study.queue()) / 60)
        assert f"(about {minutes} of your 5 min)" in today and 0 < minutes <= 5
        assert f"about {minutes} min" in deck_prompt(app)


def shown_lines(widget) -> list[str]:
    """The widget's lines as drawn, wrapping included."""
    return ["".join(segment.text for segment in widget.render_line(y)).rstrip() for y in range(widget.size.height)]


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (120, 40)])
async def test_the_decks_minutes_are_never_broken_across_two_lines(make_app, size):
    """`about 24` ended one line of the deck's box and `min` began the next, at 80 and 100 columns."""
    app = make_app(DAY0, roots=[BUNDLED])
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: on_dashboard(app))
        minutes = f"about {round(sum(e.seconds for e in app.study.queue()) / 60)} min"
        assert minutes in deck_prompt(app)
        assert [line for line in shown_lines(app.screen.query_one("#decks", OptionList)) if minutes in line]


async def test_the_undo_notice_names_the_items_title_cut_at_a_word(make_app, tmp_path):
    """It named the id (`long-title-card`), which the learner never sees while studying."""
    deck = tmp_path / "titles"
    deck.mkdir()
    (deck / "deck.yaml").write_text("id: titles\ntitle: Titles\n")
    (deck / "cards.yaml").write_text(
        "cards:\n"
        "  - {id: long-title-card, type: basic, title: The step a weight takes when its gradients are far"
        " smaller than epsilon, front: What is it?, back: A small one.}\n"
        "  - {id: short-title-card, type: basic, title: Eigen, front: What is it?, back: A vector.}\n")
    app = make_app(DAY0, roots=[deck])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        for _ in range(2):
            await wait_for(pilot, lambda: screen_name(app) == "CardScreen")
            shown = item_id(app)
            await pilot.press("space", "3")
            await wait_for(pilot, lambda shown=shown: item_id(app) != shown)
        await pilot.press("u")
        await wait_for(pilot, lambda: any(n.message.startswith("Undid") for n in app._notifications))
        await pilot.press("escape")
        await wait_for(pilot, lambda: on_dashboard(app))
        app.undo_last()
        await wait_for(pilot, lambda: sum(n.message.startswith("Undid") for n in app._notifications) == 2)
        assert [n.message for n in app._notifications if n.message.startswith("Undid")] == [
            "Undid Good on “Eigen”.", "Undid Good on “The step a weight takes when its…”."]
