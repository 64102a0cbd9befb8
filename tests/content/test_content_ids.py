"""Validating a folder of one's own checks its ids against every deck on the content path; the
ids of a deck folder are kept between runs (`tutor.study.validation_cache.content_ids`), so
editing one's folder and validating again no longer parses the bundled decks each time. What
is reported is the same as comparing against the whole library."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import LINALG
from tutor.content import bundled_content_dir, load_library
from tutor.content import library as content_library
from tutor.content.library import ContentIds, content_ids

TAKEN = "adam-vs-sgd-architecture"  # a bundled card


def _library_ids(roots: list[Path]) -> ContentIds:
    lib = load_library(roots)
    return ContentIds({deck.id: deck.path for deck in lib.decks},
                      {item.id: (item.deck, item.origin) for item in lib.items.values()})


def _copy(tmp_path: Path, name: str, edit=lambda cards: cards, deck_edit=lambda deck: deck) -> Path:
    folder = tmp_path / name / "linalg"
    shutil.copytree(LINALG, folder)
    (folder / "cards.yaml").write_text(edit((folder / "cards.yaml").read_text()))
    (folder / "deck.yaml").write_text(deck_edit((folder / "deck.yaml").read_text()))
    return folder.parent


def test_the_ids_are_those_of_the_library_of_the_same_roots(tmp_path):
    """The first deck of an id and the first item of an id are kept, a folder named twice
    counts once, and a deck that does not load has no ids."""
    roots = [bundled_content_dir(), _copy(tmp_path, "own"),
             _copy(tmp_path, "same-deck-id"),
             _copy(tmp_path, "taken-item", lambda c: c.replace("id: det-2x2", f"id: {TAKEN}"),
                   lambda d: d.replace("id: linalg", "id: linalg-two").replace("det-2x2", TAKEN)),
             _copy(tmp_path, "broken", deck_edit=lambda d: d.replace("id: linalg", "id: [linalg")),
             bundled_content_dir()]
    assert content_ids(roots) == _library_ids(roots)


def test_a_folder_validated_again_after_an_edit_reads_no_other_deck(cli, tmp_path, monkeypatch):
    own = _copy(tmp_path, "own", lambda c: c.replace("id: det-2x2", f"id: {TAKEN}"),
                lambda d: d.replace("id: linalg", "id: mine").replace("det-2x2", TAKEN))
    first = cli("content", "validate", "--quick", str(own))
    read: list[Path] = []
    load_deck = content_library.load_deck

    def recorded(deck_dir, *args, **kwargs):
        read.append(deck_dir.resolve())
        return load_deck(deck_dir, *args, **kwargs)

    monkeypatch.setattr(content_library, "load_deck", recorded)
    cards = own / "linalg" / "cards.yaml"
    cards.write_text(cards.read_text().replace("title: Eigenvector", "title: Eigenvectors"))
    again = cli("content", "validate", "--quick", str(own))
    assert read == [(own / "linalg").resolve()]  # the folder itself, not the bundled deck
    assert again.code == first.code == 2 and again.err == first.err
    assert f"id '{TAKEN}' is also used by deck 'adam' at content/adam/" in again.err
