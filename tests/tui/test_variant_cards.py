"""Variant cards in the app: the card shows the drawn numbers, a miss shows the worked numbers,
Again brings the card back with new numbers, a restart before answering keeps them, and each
review keeps its variant."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Markdown, Static

from tests.tui.test_app_study import DAY0, SIZE, screen_name, wait_for
from tutor.schedule import AGAIN, GOOD

DECK = """id: drawn
title: Drawn numbers
plan:
  - {day: 0, goal: Compute a window., items: [window]}
"""
CARDS = """cards:
  - id: window
    type: typed
    title: An EMA window
    front: 'An EMA with decay {β} averages over how many steps?'
    params:
      β: [0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999]
    answer:
      number: 1/(1-β)
"""


def _deck(tmp_path: Path) -> Path:
    deck = tmp_path / "drawn"
    deck.mkdir()
    (deck / "deck.yaml").write_text(DECK, encoding="utf-8")
    (deck / "cards.yaml").write_text(CARDS, encoding="utf-8")
    return deck


def _front(app) -> str:
    return app.screen.query_one("#front", Markdown).source


async def test_the_card_shows_drawn_numbers_and_again_brings_new_ones(make_app, tmp_path):
    deck = _deck(tmp_path)
    app = make_app(DAY0, roots=[deck])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen_name(app) == "CardScreen")
        first = _front(app)
        assert "{" not in first and "decay 0." in first
    app = make_app(DAY0, roots=[deck])  # a restart before answering: the same numbers
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen_name(app) == "CardScreen")
        assert _front(app) == first
        await pilot.press(*"12345", "enter")
        await wait_for(pilot, lambda: app.screen.revealed)
        verdict = str(app.screen.query_one("#verdict", Static).content)
        assert "worked:" in verdict and "answer = 1/(1-β) = 1/(1-0." in verdict
        await pilot.press("enter")  # the suggested Again: it comes back in this sitting
        await wait_for(pilot, lambda: screen_name(app) == "CardScreen" and not app.screen.revealed)
        second = _front(app)
        assert second != first
        beta = float(second.split("decay ")[1].split(" ")[0])
        await pilot.press(*f"{1 / (1 - beta):.3g}", "enter")
        await wait_for(pilot, lambda: app.screen.revealed)
        assert "Right" in str(app.screen.query_one("#verdict", Static).content)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen_name(app) == "StudyScreen" and app.screen.current is None)
        await pilot.press("q")
        await wait_for(pilot, lambda: screen_name(app) == "DashboardScreen")
        await pilot.press("s")
        await wait_for(pilot, lambda: screen_name(app) == "StatsScreen")
        section = app.screen.query_one("#stats-variants", Static)
        assert section.display and "window: 2 variants, 50% right of 2" in str(section.content)
    reviews = app.study.store.live_reviews("window")
    assert [r.rating for r in reviews] == [AGAIN, GOOD]
    assert reviews[1].detail["variant"]["params"] == {"beta": beta}
    assert reviews[0].detail["variant"]["seed"] != reviews[1].detail["variant"]["seed"]


async def test_the_stats_screen_has_no_variant_section_before_one_is_answered(make_app, tmp_path):
    app = make_app(DAY0, roots=[_deck(tmp_path)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: screen_name(app) == "StatsScreen")
        assert not app.screen.query_one("#stats-variants", Static).display
