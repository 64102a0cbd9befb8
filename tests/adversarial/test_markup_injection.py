"""Deck text that looks like Textual markup (`[bold]`, `[@click=app.quit]`) or carries escape
sequences is shown as written: it never styles, links, runs an action or drives the terminal."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.conftest import DAY0
from tests.tui.engines_app import wait_for
from tutor.content import load_library

CLICK = "[@click=app.quit]Quit[/]"
BOLD = "[bold]PASS[/bold]"


@pytest.fixture
def markup_deck(tmp_path) -> Path:
    deck = tmp_path / "markup"
    deck.mkdir()
    (deck / "deck.yaml").write_text("id: markup\ntitle: '[b]Markup[/b] deck'\n")
    (deck / "cards.yaml").write_text(f"""cards:
  - id: click
    title: '{CLICK}'
    type: basic
    front: 'Press {CLICK} now'
    back: '{BOLD}'
  - id: bold
    title: '{BOLD}'
    type: basic
    front: 'What is E[hat_m_t]?'
    back: g
""")
    return tmp_path


async def test_titles_in_browse_are_shown_literally(make_app, markup_deck):
    from textual.widgets import DataTable
    from textual.widgets._data_table import default_cell_formatter

    app = make_app(DAY0, roots=[markup_deck])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("b")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "BrowseScreen")
        table = app.screen.query_one("#results", DataTable)
        await wait_for(pilot, lambda: table.row_count == 2)
        shown = {default_cell_formatter(table.get_row_at(row)[0]).plain for row in range(2)}
        assert shown == {CLICK, BOLD}  # what the title column draws
        await pilot.click("#results", offset=(5, 1))  # a click on the title runs no action
        await pilot.pause()
        assert app.is_running


async def test_the_dashboard_shows_a_markup_deck_title_literally(make_app, markup_deck):
    app = make_app(DAY0, roots=[markup_deck])
    async with app.run_test(size=(100, 30)):
        shown = app.export_screenshot().replace("&#160;", " ")
        assert "[b]Markup[/b] deck" in shown


@pytest.mark.parametrize("escape", ["\\e[2J", "\\e]52;c;cm0gLXJmIH4=\\a", "\\u202eSSAP", "\\x9b31m"],
                         ids=["clear screen", "OSC 52 clipboard", "bidi override", "C1 CSI"])
def test_escape_sequences_in_deck_text_are_refused_at_their_line(tmp_path, escape):
    deck = tmp_path / "esc"
    deck.mkdir()
    (deck / "deck.yaml").write_text("id: esc\ntitle: Escapes\n")
    (deck / "cards.yaml").write_text(f'cards:\n  - id: one\n    title: fine\n    type: basic\n'
                                     f'    front: "{escape}"\n    back: x\n')
    library = load_library([tmp_path])
    assert len(library.errors) == 1
    assert "cards.yaml:5: at cards.0.front: control character U+" in library.errors[0]
    assert "one" not in library.items
