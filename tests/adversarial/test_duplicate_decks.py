"""A deck whose id another deck on the content path already has: which deck the learner's
history belongs to is unknown, so every command that studies or reads the decks refuses, in
one line naming both files (as `tutor content validate` lists it), and writes nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import REPO, db_rows

CARD = "cards:\n  - id: {id}\n    type: basic\n    title: Card {id}\n    front: What is {id}?\n    back: It is {id}.\n"
DRILLS = (REPO / "content" / "adam" / "drills.yaml").read_text()


def _deck(folder: Path, deck_id: str, card_id: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "deck.yaml").write_text(f"id: {deck_id}\ntitle: Deck {card_id}\n"
                                      f"plan:\n  - {{day: 0, goal: Learn., items: [{card_id}]}}\n")
    (folder / "cards.yaml").write_text(CARD.format(id=card_id))
    return folder


def _refused(result, second: str, first: str) -> None:
    assert result.code == 2 and result.out == ""
    [line] = result.err.splitlines()
    assert line.startswith(f"tutor: error: {second}:1: at id: duplicate deck id")
    assert f"first defined at {first}:1" in line


@pytest.mark.parametrize("command", [("due",), ("due", "--json"), ("content", "list"), ("stats",),
                                     ("review", "second-card", "--rating", "good")])
def test_two_content_folders_with_one_deck_id_are_refused(cli, home, tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    _deck(tmp_path / "one" / "deck", "shared", "first-card")
    _deck(tmp_path / "two" / "deck", "shared", "second-card")
    result = cli(*command, "--content", "one", "--content", "two", now="2026-03-02T09:00:00")
    _refused(result, "two/deck/deck.yaml", "one/deck/deck.yaml")
    assert not (home / "tutor.db").exists() or db_rows(home, ("reviews", "item_state")) == {
        "reviews": [], "item_state": []}


def test_a_folder_taking_the_bundled_decks_id_is_refused_with_both_files(cli, home, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _deck(tmp_path / "mine" / "adam", "adam", "my-adam-card")
    result = cli("due", "--content", "mine", now="2026-03-02T09:00:00")
    assert result.code == 2
    assert "mine/adam/deck.yaml:1: at id: duplicate deck id 'adam' (first defined at " in result.err
    assert re.search(r"first defined at \S*content/adam/deck\.yaml:\d+\)", result.err)
    assert len(result.err.splitlines()) == 1


def test_a_drill_only_in_the_second_deck_is_never_checked(cli, home, tmp_path, monkeypatch):
    """`drill check` reads only the file that defines the drill: it must not reach into a deck
    the library leaves out."""
    monkeypatch.chdir(tmp_path)
    folder = _deck(tmp_path / "mine" / "copy", "adam", "my-adam-card")
    (folder / "drills.yaml").write_text(DRILLS.replace("id: adam-step", "id: copied-adam-step"))
    answer = tmp_path / "answer.py"
    answer.write_text("def adam_step(*args, **kw):\n    return 0\n")
    result = cli("drill", "check", "copied-adam-step", str(answer), "--content", "mine")
    assert result.code == 2
    assert "duplicate deck id 'adam'" in result.err and len(result.err.splitlines()) == 1


def test_one_folder_named_twice_is_one_deck(cli, home, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _deck(tmp_path / "one" / "deck", "solo", "solo-card")
    result = cli("due", "--json", "--content", "one", "--content", "./one", "--content", str(tmp_path / "one"),
                 now="2026-03-02T09:00:00")
    assert result.code == 0, result.err
    assert "solo-card" in [e["id"] for e in result.json()["items"]]


def test_the_validator_lists_the_duplicate_with_both_files(cli, home, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _deck(tmp_path / "one" / "deck", "shared", "first-card")
    _deck(tmp_path / "two" / "deck", "shared", "second-card")
    result = cli("content", "validate", "--quick", "one", "two")
    assert result.code == 2
    assert ("two/deck/deck.yaml:1: at id: duplicate deck id 'shared' (first defined at one/deck/deck.yaml:1)"
            in result.out + result.err)
