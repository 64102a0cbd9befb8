"""A deck's `replaces:` list must not take over review history that belongs elsewhere: a live
item of another deck keeps its reviews, and an old id claimed by two decks counts for neither."""

from __future__ import annotations

from pathlib import Path

from tutor.content import load_library
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
