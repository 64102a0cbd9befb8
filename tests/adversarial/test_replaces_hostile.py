"""A deck's `replaces:` list must not take over review history that belongs elsewhere: a live
item of another deck keeps its reviews, and an old id claimed by two decks counts for neither."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tutor.content import load_library
from tutor.interop.scaffold import new_deck
from tutor.schedule import Rating
from tutor.study import open_study


def deck(root: Path, deck_id: str, cards: str) -> Path:
    folder = root / deck_id
    folder.mkdir(parents=True)
    (folder / "deck.yaml").write_text(f"id: {deck_id}\ntitle: {deck_id}\n")
    (folder / "cards.yaml").write_text(f"cards:\n{cards}")
    return folder


def card(card_id: str, replaces: str = "") -> str:
    extra = f", replaces: [{replaces}]" if replaces else ""
    return f"  - {{id: {card_id}, type: basic, title: T, front: 'Q {card_id}?', back: A{extra}}}\n"


def test_a_deck_cannot_take_over_a_live_item_of_another_deck(home, tmp_path):
    owner = deck(tmp_path, "owner", card("owner-card"))
    thief = deck(tmp_path, "thief", card("thief-card", "owner-card"))
    study = open_study(home, roots=[owner])
    study.review("owner-card", Rating.GOOD)
    study.close()
    study = open_study(home, roots=[owner, thief])
    try:
        assert any("still an item" in problem for problem in study.content_issues)
        assert study.store.state("owner-card").reps == 1 and study.store.state("thief-card") is None
    finally:
        study.close()


def test_an_old_id_claimed_by_two_decks_counts_for_neither(home, tmp_path):
    first = deck(tmp_path, "first", card("first-card", "gone-card"))
    second = deck(tmp_path, "second", card("second-card", "gone-card"))
    lib = load_library([first, second])
    assert "gone-card" not in lib.renames
    assert sum("more than one item" in error for error in lib.errors) == 2


def test_an_item_cannot_replace_itself(tmp_path):
    lib = load_library([deck(tmp_path, "self", card("self-card", "self-card"))])
    assert lib.renames == {} and any("still an item" in error for error in lib.errors)


def cloze(card_id: str, deletions: int, replaces: str = "") -> str:
    extra = f", replaces: [{replaces}]" if replaces else ""
    blanks = " ".join(f"{{{{c{n}::w{n}}}}}" for n in range(1, deletions + 1))
    return f"  - {{id: {card_id}, type: cloze, title: T, front: 'Q {blanks}'{extra}}}\n"


LOCATED = re.compile(r"cards\.yaml:\d+: ")


def refusals(lib, message: str) -> list[str]:
    """The errors containing `message`, each checked to name FILE:LINE."""
    found = [error for error in lib.errors if message in error]
    assert all(LOCATED.search(error) for error in found), found
    return found


@pytest.mark.parametrize("owner_card", [cloze("owner-card", 2), cloze("owner-card", 1)])
def test_a_deck_cannot_take_over_a_deletion_of_another_decks_card(home, tmp_path, owner_card):
    """Whether the deletion is still reviewed (two deletions) or was removed (one left), its
    reviews stay with the deck that logged them."""
    owner = deck(tmp_path, "owner", owner_card)
    thief = deck(tmp_path, "thief", card("thief-card", "owner-card/c2"))
    study = open_study(home, roots=[owner])
    reviewed = study.queue()[0].item_id
    study.review(reviewed, Rating.GOOD)
    study.close()
    study = open_study(home, roots=[owner, thief])
    try:
        assert any("owner-card/c2" in problem and LOCATED.search(problem) for problem in study.content_issues)
        assert study.store.state(reviewed).reps == 1 and study.store.state("thief-card") is None
    finally:
        study.close()


@pytest.mark.parametrize(("first", "second"), [
    (card("loop-a", "loop-b"), card("loop-b", "loop-a")),
    (cloze("loop-a", 2, "loop-b/c1"), cloze("loop-b", 2, "loop-a/c1")),
])
def test_two_items_that_replace_each_other_are_both_refused(tmp_path, first, second):
    lib = load_library([deck(tmp_path, "loop", first + second)])
    assert lib.renames == {} and len(refusals(lib, "still an item")) == 2
    assert set(lib.items) == {"loop-a", "loop-b"}  # both still load


@pytest.mark.parametrize(("cards", "message"), [
    (card("taker", "gone-card/c0"), "neither an id"),
    (card("taker", "gone-card/c1/c2"), "neither an id"),
    (card("taker", "Gone-Card/C1"), "neither an id"),
    (cloze("taker", 2, "gone-card/c1"), "reviewed as one item per deletion"),
])
def test_a_deletion_that_cannot_have_been_reviewed_is_refused(tmp_path, cards, message):
    lib = load_library([deck(tmp_path, "blank", cards)])
    assert lib.renames == {} and refusals(lib, message)


@pytest.mark.parametrize("other_kind", ["s-example-problem", "s-momentum-drill"])
def test_a_deletion_of_an_item_that_is_not_a_card_is_refused(tmp_path, other_kind):
    """Only a card has ever had deletions (an id never changes kind)."""
    folder = new_deck("S", tmp_path)
    with (folder / "cards.yaml").open("a") as cards:
        cards.write(card("s-taker", f"{other_kind}/c1"))
    lib = load_library([folder])
    assert lib.renames == {} and refusals(lib, "only a card has deletions")
    assert "s-taker" in lib.items
