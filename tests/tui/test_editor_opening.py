"""Issue #19, opening items: a sitting opens on its first item without a frame of its own;
reached from the study queue, a drill's, derivation's or problem's editor takes keys typed at
once, in order; and leaving drills or derivations lets their widgets go, so a long sitting's
garbage collections stay short."""

from __future__ import annotations

import asyncio
import gc
import threading
import weakref
from pathlib import Path

import pytest
import yaml
from textual.widgets import TextArea

from tests.conftest import LINALG
from tests.tui.conftest import BUNDLED
from tests.tui.engines_app import wait_for
from tests.tui.test_app_study import DAY0, SIZE, screen_name
from tutor.tui.widgets.code_editor import CodeEditor
from tutor.tui.widgets.step_editor import StepEditor

FIRST_CARD = """\
cards:
  - id: before-the-exercise
    type: basic
    title: A card before the exercise
    front: What does Adam keep per parameter?
    back: Two moving averages.
"""


def screens_passed_to(monkeypatch, owner, method: str, screen_of) -> list[str]:
    """The class names of the screens `owner.method` is called for (`screen_of` picks the
    screen from the call's arguments, or None), each call passed on unchanged."""
    seen: list[str] = []
    original = getattr(owner, method)

    def noted(self, *args, **kwargs):
        screen = screen_of(*args)
        if screen is not None:
            seen.append(type(screen).__name__)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(owner, method, noted)
    return seen


async def press_and_settle(pilot, app, key: str, screen: str, seen: list[str]) -> None:
    """From a settled app: forget what start-up recorded in `seen`, press `key`, wait until
    `screen` is on top and everything it queued has run."""
    await pilot.pause()
    seen.clear()
    await pilot.press(key)
    await wait_for(pilot, lambda: screen_name(app) == screen)
    await pilot.pause()


def deck_of(tmp_path: Path, kind: str, count: int) -> Path:
    """A basic card, then the first `count` shipped drills or derivations, all planned for day 0."""
    source = yaml.safe_load((BUNDLED / "adam" / f"{kind}s.yaml").read_text())[f"{kind}s"][:count]
    deck = tmp_path / "decks" / kind
    deck.mkdir(parents=True)
    items = ["before-the-exercise", *(entry["id"] for entry in source)]
    (deck / "deck.yaml").write_text(yaml.safe_dump({"id": kind, "title": f"A card, then {kind}s", "plan": [
        {"day": 0, "goal": "Work them.", "items": items}]}))
    (deck / f"{kind}s.yaml").write_text(yaml.safe_dump({f"{kind}s": source}, sort_keys=False))
    (deck / "cards.yaml").write_text(FIRST_CARD)
    return deck


async def rate_the_card_and_type(app, pilot, screen: str, keys: list[str]) -> None:
    """Open the study, reveal the card, rate it and type `keys` as soon as the exercise screen
    is pushed, before it has composed, as a fast learner does."""
    await pilot.press("enter")
    await wait_for(pilot, lambda: screen_name(app) == "CardScreen")
    await pilot.press("space")
    app.simulate_key("3")
    while screen_name(app) != screen:
        await asyncio.sleep(0)  # no pilot pause: that would wait for the screen to settle
    assert not app.screen.query(TextArea)  # not composed yet: the keys queue while it opens
    for key in keys:
        app.simulate_key(key)


async def test_keys_typed_as_a_drill_opens_from_the_queue_land_in_its_editor_in_order(make_app, tmp_path):
    app = make_app(DAY0, roots=[deck_of(tmp_path, "drill", 1)])
    async with app.run_test(size=SIZE) as pilot:
        await rate_the_card_and_type(app, pilot, "DrillScreen", [*"# stepx", "backspace", "enter", *"x = 1"])
        await wait_for(pilot, lambda: screen_name(app) == "DrillScreen")
        await pilot.pause(0.3)
        editor = app.screen.query_one("#drill-editor", CodeEditor)
        assert app.screen.focused is editor
        assert editor.text.startswith("# step\nx = 1import numpy as np")


@pytest.mark.parametrize("kind", ["drill", "derivation"])
async def test_leaving_exercises_lets_their_editors_go(make_app, kind):
    """Each editor opened used to stay in memory for good (a theme callback and Textual's
    watchers held it), so every full collection walked more of them."""
    from tutor.tui.screens.derivation import DerivationScreen
    from tutor.tui.screens.drill import DrillScreen

    kinds = {"drill": (DrillScreen, CodeEditor), "derivation": (DerivationScreen, StepEditor)}
    screen_class, editor_class = kinds[kind]
    app = make_app(DAY0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        items = [item for item in app.library().items.values() if item.kind == kind][:4]
        opened: weakref.WeakSet = weakref.WeakSet()
        for item in items:
            app.push_screen(screen_class(item, app.study, app.engines))
            await wait_for(pilot, lambda: isinstance(app.screen.focused, editor_class))
            opened.add(app.screen.focused)
            await pilot.press("escape", "q")  # out of the editor, then leave (the draft stays)
            await wait_for(pilot, lambda: screen_name(app) == "DashboardScreen")
        await app.workers.wait_for_complete()  # a screen's warm-up thread holds it until done
        # The last one may wait for a late callback, which a loaded machine runs late; never all four.
        await wait_for(pilot, lambda: gc.collect() >= 0 and len(opened) <= 2)


async def test_a_derivations_first_line_typed_as_it_opens_is_checked(make_app, tmp_path):
    app = make_app(DAY0, roots=[deck_of(tmp_path, "derivation", 1)])
    async with app.run_test(size=SIZE) as pilot:
        await rate_the_card_and_type(app, pilot, "DerivationScreen", [*"E[hat_m_x", "backspace", *"t]", "enter",
                                                                      *"= E[m_t]/(1-beta1^t)"])
        await wait_for(pilot, lambda: app.screen.query(StepEditor))
        editor = app.screen.query_one("#derive-editor", StepEditor)
        await wait_for(pilot, lambda: editor.mark_of(2) is not None, timeout=60)
        assert app.screen.focused is editor
        assert editor.text == "E[hat_m_t]\n= E[m_t]/(1-beta1^t)"
        assert editor.mark_of(2) == "ok"


@pytest.mark.parametrize("draft", ["", "Kept from before: "])
async def test_keys_typed_as_a_problem_opens_from_the_queue_land_in_its_answer_in_order(make_app, tmp_path, draft):
    """A timed problem reached by rating a card: what is typed before its screen has composed
    goes into the answer, in order, after the answer kept from an earlier opening (it was handed
    to no one and lost, and a letter that is one of the screen's keys, r or h, could reveal the
    answer or open a hint)."""
    app = make_app(DAY0, roots=[deck_of(tmp_path, "problem", 1)])
    if draft:
        problem = next(item for item in app.library().items.values() if item.kind == "problem")
        app.study.store.save_draft(problem.id, "problem", draft, app.study.now())
    async with app.run_test(size=SIZE) as pilot:
        await rate_the_card_and_type(app, pilot, "ProblemScreen", [*"the rate", "backspace", "enter", *"m_0 = 0"])
        await wait_for(pilot, lambda: app.screen.query("#answer"))
        await pilot.pause(0.3)
        answer = app.screen.query_one("#answer", TextArea)
        assert app.screen.focused is answer
        assert answer.text == f"{draft}the rat\nm_0 = 0"
        assert not app.screen.revealed and app.screen.hints_used == 0


async def test_a_sitting_opens_on_its_first_item_without_a_frame_of_the_study_screen(make_app, monkeypatch):
    """enter on the dashboard draws the first item next: the study screen's own frame (it says
    only "Loading…") was drawn first, at the cost of a frame, each time a sitting began."""
    from tutor.tui.app import TutorApp

    drawn = screens_passed_to(monkeypatch, TutorApp, "_display",
                              lambda screen, renderable: screen if renderable is not None else None)
    app = make_app(DAY0, roots=[LINALG])
    async with app.run_test(size=SIZE) as pilot:
        await press_and_settle(pilot, app, "enter", "CardScreen", drawn)
        assert drawn and "StudyScreen" not in drawn


async def test_the_study_screen_builds_its_own_widgets_only_when_it_shows(make_app):
    """The study screen's header, status and footer were built before its first item, which
    goes up before a frame of it: they are built when the screen itself shows (the day's end)."""
    app = make_app(DAY0, roots=[LINALG])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen_name(app) == "CardScreen")
        study = app.screen_stack[-2]
        assert not study.children
        for _ in range(2):
            await pilot.press("space", "3")
            await pilot.pause()
        await wait_for(pilot, lambda: screen_name(app) == "StudyScreen" and app.screen.current is None)
        await pilot.pause()
        assert "All done for today" in str(study.query_one("#study-status").content)
        assert "linalg · done" in str(study.query_one("HeaderTitle").render())


async def test_a_footer_is_rebuilt_once_per_change_and_not_under_another_screen(make_app, monkeypatch):
    """Textual's footer rebuilt its keys as often as it heard its screen's bindings may have
    changed, covered or not: the dashboard's, four times over while an enter pressed at once
    opened the first item (`tutor.tui.layout.footers_rebuilt_once_when_shown`)."""
    from textual.widgets import Footer

    rebuilt: list[str] = []
    recompose = Footer.recompose

    async def counted(footer):
        rebuilt.append(type(footer.screen).__name__)
        await recompose(footer)

    monkeypatch.setattr(Footer, "recompose", counted)
    app = make_app(DAY0, roots=[LINALG])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dashboard = app.screen
        rebuilt.clear()
        for _ in range(3):
            dashboard.refresh_bindings()
        await pilot.pause()
        assert rebuilt == ["DashboardScreen"]
        rebuilt.clear()
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen_name(app) == "CardScreen")
        await pilot.pause()
        dashboard.refresh_bindings()
        await pilot.pause()
        assert "DashboardScreen" not in rebuilt
        await pilot.press("q")
        await wait_for(pilot, lambda: screen_name(app) == "DashboardScreen")
        await pilot.pause()
        assert rebuilt.count("DashboardScreen") == 1
        assert "Study" in " ".join(str(key.description) for key in dashboard.query("FooterKey"))


async def test_a_drill_opened_before_the_highlighting_is_compiled_is_coloured_once_it_is(make_app, monkeypatch):
    """Compiling Python's highlighting takes a twelfth of a second the first time: a drill
    opened before the app's preload has done it opens without waiting, then gets its colours."""
    from textual.document import _syntax_aware_document as syntax

    from tutor.tui.screens.drill import DrillScreen
    from tutor.tui.widgets import code_editor

    monkeypatch.setattr(code_editor, "_compiled_queries", {})  # as in a fresh process
    compiled_on: list[threading.Thread] = []
    query = syntax.Query

    def recorded_query(*args):
        compiled_on.append(threading.current_thread())
        return query(*args)

    monkeypatch.setattr(syntax, "Query", recorded_query)
    app = make_app(DAY0)
    async with app.run_test(size=SIZE) as pilot:
        drill = next(item for item in app.library().items.values() if item.kind == "drill")
        app.push_screen(DrillScreen(drill, app.study, app.engines))
        await wait_for(pilot, lambda: isinstance(app.screen.focused, CodeEditor))
        editor = app.screen.focused
        await pilot.press(*"x = 1")
        await wait_for(pilot, lambda: editor._highlights, timeout=10)  # the spans coloured on screen
        assert editor.text.startswith("x = 1")
    assert compiled_on and threading.main_thread() not in compiled_on  # never while keys wait


async def test_a_new_screen_is_styled_once_as_it_is_pushed(make_app, monkeypatch):
    """Textual restyled every widget of a screen the first time it showed, just after styling
    each as it was mounted: a tenth of opening a drill (`tutor.tui.layout.new_screens_styled_once`).
    A screen shown again after a change of theme while it was covered still takes the new theme."""
    from textual.app import App
    from textual.screen import Screen

    restyled = screens_passed_to(monkeypatch, App, "update_styles",
                                 lambda node, *_: node if isinstance(node, Screen) else None)
    app = make_app(DAY0, roots=[LINALG])
    async with app.run_test(size=SIZE) as pilot:
        await press_and_settle(pilot, app, "question_mark", "HelpScreen", restyled)
        assert restyled == []
        dashboard = app.screen_stack[0]
        before = dashboard.styles.background
        app.theme = "textual-light"
        await pilot.press("escape")
        await wait_for(pilot, lambda: screen_name(app) == "DashboardScreen")
        await pilot.pause()
        assert dashboard.styles.background != before


async def test_a_new_screen_is_laid_out_once_and_the_screens_under_it_not_again(make_app, monkeypatch):
    """Textual laid a pushed screen out as it showed, then again on its own Resize at the same
    size, and every screen under it once more (`tutor.tui.layout.screens_laid_out_once_per_size`).
    A terminal resized while a screen is covered still lays that screen out at the new size."""
    from textual.screen import Screen

    laid_out: list[str] = []
    refresh_layout = Screen._refresh_layout

    def noted(screen, size=None, scroll=False):
        if size is not None:  # a whole-screen layout at a given size (not a widget's own change)
            laid_out.append(type(screen).__name__)
        return refresh_layout(screen, size, scroll)

    monkeypatch.setattr(Screen, "_refresh_layout", noted)
    app = make_app(DAY0, roots=[LINALG])
    async with app.run_test(size=SIZE) as pilot:
        await press_and_settle(pilot, app, "question_mark", "HelpScreen", laid_out)
        assert laid_out == ["HelpScreen"]
        dashboard = app.screen_stack[0]
        wider = (SIZE[0] + 20, SIZE[1] + 4)
        await pilot.resize_terminal(*wider)
        await pilot.pause()
        await pilot.press("escape")
        await wait_for(pilot, lambda: screen_name(app) == "DashboardScreen")
        await pilot.pause()
        assert tuple(dashboard.size) == wider
        assert max(widget.region.right for widget in dashboard.query("FooterKey")) <= wider[0]
        assert dashboard.query_one("Footer").region.width == wider[0]
