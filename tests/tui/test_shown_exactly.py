"""Issue #12, things shown wrong: code and formulas in deck text are shown exactly, never eaten
by Markdown emphasis or escaped with stray backslashes (driven through the real app)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Markdown
from textual.widgets._markdown import MarkdownBlock

from tests.tui.engines_app import EnginesApp, wait_for

SIZE = (80, 24)
DAY0 = "2026-03-02T09:00:00"


def shown(markdown: Markdown) -> str:
    return "\n".join(str(block.render()) for block in markdown.query(MarkdownBlock))


@pytest.fixture
def typed_deck(tmp_path) -> Path:
    deck = tmp_path / "decks" / "typed"
    deck.mkdir(parents=True)
    (deck / "deck.yaml").write_text("id: typed\ntitle: One typed card\n")
    (deck / "cards.yaml").write_text(
        "cards:\n  - id: milli\n    type: typed\n    title: One thousandth\n"
        "    front: 'Write $10^{-3}$ with a star, the way `__init__` is written in code.'\n"
        "    back: 'In Python, `1*10**-3`; in prose 1*10**-3 too.'\n"
        "    accept: [\"1*10^-3\", \"1e-3\"]\n")
    return deck


async def test_a_drill_hint_keeps_the_power_stars(tutor_home):
    app = EnginesApp(tutor_home, "drill", "adam-step")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+t", "ctrl+t")
        await pilot.pause()
        hints = shown(app.screen.query_one("#drill-hints", Markdown))
        assert "(1 - beta1**t)" in hints and "(1 - beta2**t)" in hints


async def test_a_typed_card_shows_its_accepted_answers_and_code_exactly(make_app, typed_deck):
    app = make_app(DAY0, roots=[typed_deck])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await wait_for(pilot, lambda: getattr(app.screen, "card", None) is not None)
        assert "__init__" in shown(app.screen.query_one("#front", Markdown))
        await pilot.press(*"0.002", "enter")
        back = shown(app.screen.query_one("#back", Markdown))
        assert "Answer: 1*10^-3" in back and "\\" not in back
        assert "1*10**-3; in prose 1*10**-3 too" in back


async def test_browse_shows_accepted_answers_without_backslashes(make_app, typed_deck):
    app = make_app(DAY0, roots=[typed_deck])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "BrowseScreen")
        await pilot.pause()
        preview = shown(app.screen.query_one("#preview-body", Markdown))
        assert "Answer: 1*10^-3 · 1e-3" in preview and "\\" not in preview
