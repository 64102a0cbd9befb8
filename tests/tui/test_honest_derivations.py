"""Issue #12 for derivations in the real app: keys typed fast as the screen opens all land, in
order; a derivation ends only on ctrl+r and the next item only after enter, so keys typed on
never land in the next item."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.tui.conftest import BUNDLED
from tests.tui.engines_app import wait_for
from tests.tui.test_app_study import DAY0, SIZE, screen_name
from tests.tui.test_derivation_screen import RIGHT_CHAIN, pane_text
from tutor.tui.widgets.step_editor import StepEditor

NEXT_CARD = """\
cards:
  - id: after-the-derivation
    type: typed
    title: A card after the derivation
    front: What is 2 + 2?
    accept: ["4"]
"""


@pytest.fixture
def derivation_then_card(tmp_path) -> Path:
    """The shipped bias-correction derivation (planned for day 0), then a typed card."""
    source = yaml.safe_load((BUNDLED / "adam" / "derivations.yaml").read_text())
    derivation = source["derivations"][0]
    deck = tmp_path / "decks" / "derive"
    deck.mkdir(parents=True)
    (deck / "deck.yaml").write_text(yaml.safe_dump({"id": "derive", "title": "A derivation, then a card", "plan": [
        {"day": 0, "goal": "Derive it.", "items": [derivation["id"]]}]}))
    (deck / "derivations.yaml").write_text(yaml.safe_dump({"derivations": [derivation]}, sort_keys=False))
    (deck / "cards.yaml").write_text(NEXT_CARD)
    return deck


def editor(app) -> StepEditor:
    return app.screen.query_one("#derive-editor", StepEditor)


async def open_derivation(app, pilot) -> None:
    await pilot.press("enter")
    await wait_for(pilot, lambda: screen_name(app) == "DerivationScreen")


async def test_keys_typed_at_full_speed_as_the_screen_opens_all_land_in_order(make_app, derivation_then_card):
    app = make_app(DAY0, roots=[derivation_then_card])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        # No pause at all: every key is queued at once, as a fast typist's keys arrive while
        # the screen is still opening (backspaces and line ends used to be lost or misplaced).
        for key in [*"E[hat_m_tx]", "backspace", "backspace", "]", "enter", *"= E[m_t]/(1-beta1^t)",
                    "enter", *"= gg", "backspace"]:
            app.simulate_key(key)
        await wait_for(pilot, lambda: screen_name(app) == "DerivationScreen")
        await pilot.pause(0.5)
        assert editor(app).text == "E[hat_m_t]\n= E[m_t]/(1-beta1^t)\n= g"


async def test_keys_typed_after_the_goal_line_never_land_in_the_next_item(make_app, derivation_then_card):
    app = make_app(DAY0, roots=[derivation_then_card])
    async with app.run_test(size=SIZE) as pilot:
        await open_derivation(app, pilot)
        screen = app.screen
        for n, line in enumerate(RIGHT_CHAIN.split("\n")):  # typed, the goal line last
            await pilot.press(*(["enter"] if n else []), *line)
        marks = editor(app)
        await wait_for(pilot, lambda: marks.mark_of(6) == "ok")  # checked live: the goal is reached
        await pilot.press("enter", *"import numpy as np")  # typing on: still this derivation
        await pilot.pause(0.9)
        assert app.screen is screen and editor(app).text.endswith("= g\nimport numpy as np")
        await pilot.press(*["backspace"] * len("\nimport numpy as np"))
        await wait_for(pilot, lambda: "ctrl+r to finish" in pane_text(screen))
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.outcome is not None)
        await pilot.press(*"gimport")  # after the end: lands nowhere
        await pilot.pause()
        assert app.screen is screen and editor(app).text == RIGHT_CHAIN
        await pilot.press("enter")  # the explicit key: the next item
        await wait_for(pilot, lambda: getattr(app.screen, "card", None) is not None)
        assert app.screen.query_one("#typed").value == ""
    assert [r.item_id for r in app.study.store.live_reviews()] == ["bias-correction-first-moment"]


async def test_the_keys_help_says_only_ctrl_r_finishes(make_app, derivation_then_card):
    app = make_app(DAY0, roots=[derivation_then_card])
    async with app.run_test(size=(100, 40)) as pilot:
        await open_derivation(app, pilot)
        await pilot.press("f1")
        await wait_for(pilot, lambda: screen_name(app) == "HelpScreen")
        assert "finishes once the goal and the key steps are reached" in app.screen.about
        assert "never raise" in dict(app.screen.rows)["1 2 3"]
