"""Issue #19, the first drill or derivation of the day: while the learner is on the dashboard the
app starts the checkers of the kinds due today, and nothing when none is due; a drill opened
with enter the moment the app is up takes the keys typed at once, in order; and whatever the
app holds back while it answers a key (the preload, the garbage collector) runs again after."""

from __future__ import annotations

import asyncio
import gc
import threading
from pathlib import Path

import pytest
import yaml
from textual import events
from textual.widgets import Markdown, TextArea

from tests.tui.engines_app import wait_for
from tests.tui.test_app_study import DAY0, SIZE, screen_name
from tests.tui.test_editor_opening import deck_of
from tutor.tui.engines import Engines
from tutor.tui.widgets.code_editor import CodeEditor

CARDS_ONLY = """\
cards:
  - id: only-a-card
    type: basic
    title: A card
    front: What does Adam keep per parameter?
    back: Two moving averages.
"""


def cards_only_deck(tmp_path: Path) -> Path:
    deck = tmp_path / "decks" / "cards"
    deck.mkdir(parents=True)
    (deck / "deck.yaml").write_text(yaml.safe_dump({"id": "cards", "title": "Cards only", "plan": [
        {"day": 0, "goal": "Recall.", "items": ["only-a-card"]}]}))
    (deck / "cards.yaml").write_text(CARDS_ONLY)
    return deck


def drill_only_deck(tmp_path: Path) -> Path:
    """The deck of `deck_of` without its card: the day starts on the drill."""
    deck = deck_of(tmp_path, "drill", 1)
    plan = yaml.safe_load((deck / "deck.yaml").read_text())
    plan["plan"][0]["items"].remove("before-the-exercise")
    (deck / "deck.yaml").write_text(yaml.safe_dump(plan))
    (deck / "cards.yaml").unlink()
    return deck


def record_warm_ups(monkeypatch) -> list[str]:
    """The kinds the app starts a checker for, without starting any process."""
    started: list[str] = []
    monkeypatch.setattr(Engines, "warm_drills", lambda self: started.append("drill"))
    monkeypatch.setattr(Engines, "derivation_checker", lambda self: started.append("derivation"))
    return started


async def preloaded(app, pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()


@pytest.mark.parametrize("kind", ["derivation", "drill"])
async def test_the_checker_of_a_kind_due_starts_on_the_dashboard(kind, make_app, tmp_path, monkeypatch,
                                                                checkers_ahead):
    """The SymPy checker when derivations are due, a drill child when drills are."""
    started = record_warm_ups(monkeypatch)
    app = make_app(DAY0, roots=[deck_of(tmp_path, kind, 1)])
    async with app.run_test(size=SIZE) as pilot:
        await preloaded(app, pilot)
        assert screen_name(app) == "DashboardScreen"  # none opened yet
        assert started == [kind]


async def test_nothing_is_started_when_no_drill_or_derivation_is_due(make_app, tmp_path, monkeypatch,
                                                                     checkers_ahead):
    started = record_warm_ups(monkeypatch)
    app = make_app(DAY0, roots=[cards_only_deck(tmp_path)])
    async with app.run_test(size=SIZE) as pilot:
        await preloaded(app, pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen_name(app) == "CardScreen")
        await pilot.press("space", "3")  # the whole day
        await wait_for(pilot, lambda: screen_name(app) == "StudyScreen")
        assert started == []


async def test_a_drill_starts_its_warm_child_once_the_keys_that_opened_it_are_answered(make_app, tmp_path,
                                                                                        monkeypatch):
    """Starting the child holds the interpreter for a while: the drill opened at start did it
    while its editor took its first keys."""
    holding_at_start: list[bool] = []
    app = make_app(DAY0, roots=[drill_only_deck(tmp_path)])
    monkeypatch.setattr(Engines, "warm_drills", lambda self: holding_at_start.append(app.quiet.holding))
    async with app.run_test(size=SIZE) as pilot:
        app.simulate_key("enter")
        await wait_for(pilot, lambda: screen_name(app) == "DrillScreen")
        await wait_for(pilot, lambda: holding_at_start, timeout=10)
        assert holding_at_start[0] is False


async def test_keys_typed_on_a_drill_opened_the_moment_the_app_is_up_land_in_its_editor_in_order(
        make_app, tmp_path):
    app = make_app(DAY0, roots=[drill_only_deck(tmp_path)])
    async with app.run_test(size=SIZE) as pilot:
        app.simulate_key("enter")  # at once: the decks may not even be parsed yet
        while screen_name(app) != "DrillScreen":
            assert screen_name(app) in ("DashboardScreen", "StudyScreen")
            await asyncio.sleep(0)
        for key in [*"# stepx", "backspace", "enter", *"x = 1"]:
            app.simulate_key(key)
        await wait_for(pilot, lambda: isinstance(app.screen.focused, TextArea))
        await pilot.pause(0.3)
        editor = app.screen.query_one("#drill-editor", CodeEditor)
        assert editor.text.startswith("# step\nx = 1import numpy as np")


async def test_the_collector_and_the_preload_run_again_once_a_key_is_answered(make_app):
    assert gc.isenabled()
    app = make_app(DAY0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")  # the study opens on its first card
        await wait_for(pilot, lambda: screen_name(app) == "CardScreen")
        await wait_for(pilot, lambda: not app.quiet.holding, timeout=5)
        assert gc.isenabled()
        await pilot.press("q")
        await app.workers.wait_for_complete()  # the preload went on to its end
    assert gc.isenabled()


async def test_the_decks_parse_ending_while_a_key_is_answered_leaves_the_collector_off(make_app, monkeypatch):
    """Issue #19: the parse pauses the collector too; ending during a key, it switched the
    collector back on, and the key paid for a collection over all the parse made. What the
    parse made is frozen, out of every later collection's way."""
    import tutor.tui.app

    monkeypatch.setattr(tutor.tui.app, "preload_steps", lambda app, kinds: [])  # the parse is the test's
    app = make_app(DAY0)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: not app.quiet.holding, timeout=5)
        assert gc.isenabled()

        def key_arrives_once() -> None:  # called before each file the parse reads
            if not app.quiet.holding:
                app.quiet.key_arrived()

        library = app._parse_library(key_arrives_once)
        assert app.quiet.holding and not gc.isenabled()
        app.quiet.release()
        assert gc.isenabled()
        card = next(item for item in library.items.values() if item.kind == "card")
        assert gc.is_tracked(card) and not any(tracked is card for tracked in gc.get_objects())


async def test_the_collector_is_back_on_when_the_app_quits_while_a_key_is_answered(make_app):
    app = make_app(DAY0)
    async with app.run_test(size=SIZE):
        app.simulate_key("enter")
        app.exit()
    assert gc.isenabled()


async def test_a_drill_opened_at_start_does_not_wait_for_the_decks_to_be_parsed(make_app, tmp_path, monkeypatch):
    """The first exercise is read on its own while the whole collection is still being parsed
    (seconds on a big one): the learner types into it, reads its prompt and finishes it
    meanwhile (the footer's lesson key asked for the parsed decks and froze the app)."""
    import tutor.content

    parse_may_end = threading.Event()
    parse = tutor.content.load_library

    def slow_parse(roots, *args):
        parse_may_end.wait()
        return parse(roots, *args)

    app = make_app(DAY0, roots=[drill_only_deck(tmp_path)])  # its catalog built: no parse before the app's
    monkeypatch.setattr(tutor.content, "load_library", slow_parse)
    give_up_waiting = threading.Timer(20, parse_may_end.set)  # a frozen app goes on only then
    give_up_waiting.start()
    try:
        async with app.run_test(size=SIZE) as pilot:
            app.simulate_key("enter")
            await wait_for(pilot, lambda: isinstance(app.screen.focused, TextArea), timeout=10)
            for key in "x = 1":
                app.simulate_key(key)
            await wait_for(pilot, lambda: app.screen.query_one("#drill-editor", CodeEditor).text.startswith("x = 1"))
            prompt = app.screen.query_one("#drill-prompt", Markdown)
            await wait_for(pilot, lambda: prompt.source.strip() != "")
            app.screen._finish(passed=True)  # as a passing check does
            await pilot.pause()
            assert app.screen.outcome is not None
            assert not parse_may_end.is_set()  # all of it while the parse had not ended
            parse_may_end.set()
    finally:
        give_up_waiting.cancel()
        parse_may_end.set()


@pytest.mark.parametrize("typed", [("enter", "\r"), ("ctrl+j", "\n")])
async def test_an_enter_typed_before_the_first_frame_opens_the_highlighted_deck(make_app, tmp_path, typed):
    """A key typed while the app starts is handled once the dashboard lists the decks (it came
    too early and did nothing); an enter typed while the terminal was still in its line mode
    arrives as a newline, ctrl+j, and is taken as the enter it was."""
    app = make_app(DAY0, roots=[cards_only_deck(tmp_path)])
    app.post_message(events.Key(*typed))  # queued before the app runs: handled before its first frame
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: screen_name(app) == "CardScreen", timeout=10)
        await pilot.pause()  # mounted before the app quits: Textual's header fails if its screen goes mid-mount
