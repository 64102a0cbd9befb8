"""A deck's link that is not a web address (`file:` to a local file, a scheme the desktop hands to
another program) is never opened when the learner clicks it on a card: the app names it
instead. Web links still open."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.conftest import DAY0
from tests.tui.engines_app import wait_for


@pytest.fixture
def link_deck(tmp_path) -> Path:
    deck = tmp_path / "links"
    deck.mkdir()
    (deck / "deck.yaml").write_text("id: links\ntitle: Links\n"
                                    "plan:\n  - day: 0\n    goal: start\n    items: [linked]\n")
    (deck / "cards.yaml").write_text("""cards:
  - id: linked
    title: A card with a link
    type: basic
    front: 'See [the notes](file:///etc/passwd) first'
    back: 'x'
""")
    return tmp_path


@pytest.mark.parametrize("href", ["file:///etc/passwd", "vscode://ms-python.python/run?cmd=x", "FILE:///root"],
                         ids=["file", "desktop scheme", "upper-case scheme"])
async def test_a_link_that_is_no_web_address_is_not_opened(make_app, link_deck, monkeypatch, href):
    from textual.widgets import Markdown

    opened = []
    monkeypatch.setattr("webbrowser.open", lambda url, *a, **k: opened.append(url))
    app = make_app(DAY0, roots=[link_deck])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CardScreen")
        front = app.screen.query_one("#front", Markdown)
        front.post_message(Markdown.LinkClicked(front, href))  # what a click on the link posts
        await wait_for(pilot, lambda: any("Not opened" in n.message for n in app._notifications))
        assert opened == []
        front.post_message(Markdown.LinkClicked(front, "https://pytorch.org/docs"))
        await wait_for(pilot, lambda: opened == ["https://pytorch.org/docs"])
