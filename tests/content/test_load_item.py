"""`load_item` reads one item as `load_library` would have it: the app opens the first exercise
of the day with it while the whole collection is still being parsed, so the two must agree
on which deck an item comes from."""

from __future__ import annotations

from pathlib import Path

from tutor.content import load_library
from tutor.content.library import load_item

CARD = """\
cards:
  - id: shared-card
    type: basic
    title: {title}
    front: What does Adam keep per parameter?
    back: Two moving averages.
"""


def write_deck(root: Path, folder: str, deck_yaml: str, title: str) -> None:
    deck = root / folder
    deck.mkdir(parents=True)
    (deck / "deck.yaml").write_text(deck_yaml)
    (deck / "cards.yaml").write_text(CARD.format(title=title))


def test_a_deck_the_library_leaves_out_is_not_where_an_item_is_read_from(tmp_path):
    """A first deck whose deck.yaml does not build (no title) defines the same id: the library
    takes the item from the second deck, and so must `load_item`."""
    write_deck(tmp_path, "a-broken", "id: broken\nplan: []\n", "From the broken deck")
    write_deck(tmp_path, "b-good", "id: good\ntitle: Good\nplan: []\n", "From the good deck")
    expected = load_library([tmp_path]).item("shared-card")
    assert expected is not None and expected.title == "From the good deck"
    assert load_item([tmp_path], "shared-card") == expected
    assert load_item([tmp_path], "shared-card", "good") == expected


def test_an_item_is_read_from_the_deck_named(tmp_path):
    write_deck(tmp_path, "a-first", "id: first\ntitle: First\nplan: []\n", "From the first deck")
    write_deck(tmp_path, "b-second", "id: second\ntitle: Second\nplan: []\n", "From the second deck")
    assert load_item([tmp_path], "shared-card", "first").title == "From the first deck"
    assert load_item([tmp_path], "shared-card", "second").title == "From the second deck"
    assert load_item([tmp_path], "shared-card", "third") is None
