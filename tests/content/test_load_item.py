"""`load_item` reads one item as `load_library` would have it: the app opens the first exercise
of the day with it while the whole collection is still being parsed, so the two must agree
on which deck an item comes from."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.content import load_library
from tutor.content.library import load_item
from tutor.content.models import authored_id

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


def test_every_shipped_item_read_alone_is_the_librarys(monkeypatch):
    """`load_item` parses only the item's own entry of its file (a file of drills or problems
    parsed whole was most of opening the first exercise of the day): every shipped item comes
    out as the library has it, lines included, and no item's own file is parsed whole (another
    file that names its id, in a `replaces:`, still is)."""
    from tutor.content import bundled_content_dir, library

    parsed_whole: list[tuple[str, str]] = []
    file_item = library._file_item

    def noted(path, deck_id, item_id):
        parsed_whole.append((path.name, item_id))
        return file_item(path, deck_id, item_id)

    roots = [bundled_content_dir()]
    items = load_library(roots).review_items()
    monkeypatch.setattr(library, "_file_item", noted)
    for item in items:
        assert repr(load_item(roots, item.id, item.deck)) == repr(item)  # repr: a variant's nan != nan
        assert (Path(item.origin.file).name, authored_id(item.id)) not in parsed_whole


ODD_LAYOUTS = {
    "a comment less indented inside the entry": "cards:\n  - id: shared-card\n# a note\n    type: basic\n"
                                                "    title: {title}\n    front: Q?\n    back: A.\n",
    "the id not the entry's first key": "cards:\n  - type: basic\n    id: shared-card\n    title: {title}\n"
                                        "    front: Q?\n    back: A.\n",
    "a text holding a line like an entry": "cards:\n  - id: other\n    type: basic\n    title: Other\n"
                                           "    front: |\n      - id: shared-card\n        type: basic\n"
                                           "        title: Forged\n        front: Q?\n        back: A.\n"
                                           "    back: A.\n  - type: basic\n    id: shared-card\n"
                                           "    title: {title}\n    front: Q?\n    back: A.\n",
    "a quoted text running on at the margin": "cards:\n  - id: shared-card\n    type: basic\n    title: {title}\n"
                                              "    front: \"Q\nstill the question?\"\n    back: A.\n",
    "the id twice": "cards:\n  - id: shared-card\n    type: basic\n    title: {title}\n    front: Q?\n"
                    "    back: A.\n  - id: shared-card\n    type: basic\n    title: Second\n    front: Q?\n"
                    "    back: A.\n",
}


@pytest.mark.parametrize("layout", ODD_LAYOUTS, ids=list(ODD_LAYOUTS))
def test_an_item_in_a_file_laid_out_otherwise_is_still_the_librarys(tmp_path, layout):
    """Where its entry cannot be told from the lines alone, the file is parsed whole: never a
    part of an item, nor an item forged inside another's text."""
    deck = tmp_path / "deck"
    deck.mkdir()
    (deck / "deck.yaml").write_text("id: good\ntitle: Good\nplan: []\n")
    (deck / "cards.yaml").write_text(ODD_LAYOUTS[layout].format(title="The real one"))
    expected = load_library([tmp_path]).item("shared-card")
    assert expected is not None and expected.title == "The real one"
    assert load_item([tmp_path], "shared-card") == expected
