"""An item that `replaces:` removed ids inherits their review history (the log keeps the old
ids; the store maps them), and a deck that claims an id twice or one still in use is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.content import load_library
from tutor.schedule import Rating
from tutor.study import open_study

DECK = "id: merge\ntitle: Merge\n"
OLD = """cards:
  - {id: merge-old, type: basic, title: Old, front: 'What is 2 + 2?', back: '4'}
  - {id: merge-other, type: basic, title: Other, front: 'What is 3 + 3?', back: '6'}
"""
NEW = """cards:
  - {id: merge-kept, type: basic, title: Kept, front: 'What is 2 + 2?', back: '4', replaces: [merge-old]}
  - {id: merge-other, type: basic, title: Other, front: 'What is 3 + 3?', back: '6'}
"""


def write_deck(folder: Path, cards: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "deck.yaml").write_text(DECK)
    (folder / "cards.yaml").write_text(cards)
    return folder


def reviewed_then_renamed(home, tmp_path):
    """A Good review of `merge-old`, then the deck edited so `merge-kept` replaces it; the study reopened."""
    deck = write_deck(tmp_path / "merge", OLD)
    study = open_study(home, roots=[deck])
    study.review("merge-old", Rating.GOOD)
    study.close()
    write_deck(deck, NEW)
    return open_study(home, roots=[deck])


def test_reviews_of_a_replaced_id_count_for_the_item_that_replaces_it(home, tmp_path):
    study = reviewed_then_renamed(home, tmp_path)
    try:
        kept = study.store.state("merge-kept")
        assert kept is not None and kept.reps == 1  # the review under the old id counts
        assert study.store.state("merge-old") is None
        assert [r.item_id for r in study.store.live_reviews("merge-kept")] == ["merge-kept"]
        assert "merge-kept" not in {e.item_id for e in study.queue() if e.status == "new"}
        undone = study.undo()  # undoing the old review refolds the kept item
        assert undone is not None and undone.item_id == "merge-kept"
        assert study.store.state("merge-kept") is None
    finally:
        study.close()


def test_a_second_review_under_the_new_id_folds_after_the_old_ones(home, tmp_path):
    study = reviewed_then_renamed(home, tmp_path)
    try:
        study.review("merge-kept", Rating.GOOD)
        assert study.store.state("merge-kept").reps == 2
        assert len(study.store.live_reviews("merge-kept")) == 2
    finally:
        study.close()


@pytest.mark.parametrize(("cards", "message"), [
    (NEW.replace("replaces: [merge-old]", "replaces: [merge-other]"), "still an item"),
    (NEW.replace("back: '6'}", "back: '6', replaces: [merge-old]}"), "more than one item"),
    (NEW.replace("replaces: [merge-old]", "replaces: [Not A Slug]"), "neither an id"),
])
def test_a_replaces_list_that_would_count_reviews_twice_is_refused(tmp_path, cards, message):
    deck = write_deck(tmp_path / "merge", cards)
    lib = load_library([deck])
    assert any(message in error and "cards.yaml:" in error for error in lib.errors), lib.errors


def test_replaces_is_collected_per_old_id(tmp_path):
    lib = load_library([write_deck(tmp_path / "merge", NEW)])
    assert lib.errors == [] and lib.renames == {"merge-old": "merge-kept"}


CLOZE = """cards:
  - {id: split-card, type: cloze, title: Two blanks, front: 'Adam keeps {{c1::two}} buffers of {{c2::fp32}}.'}
"""
SPLIT = """cards:
  - id: split-card
    type: cloze
    title: One blank
    front: 'Adam keeps {{c1::two}} buffers per parameter.'
    replaces: [split-card/c1]
  - id: split-precision
    type: basic
    title: Buffer precision
    front: 'In which precision does mixed-precision AdamW keep its buffers?'
    back: 'fp32'
    replaces: [split-card/c2]
"""


def test_a_review_of_one_deletion_lands_on_the_card_that_replaces_that_deletion(home, tmp_path):
    """A cloze card split in two: its second deletion becomes a card of its own and the first
    stays as the card's only deletion (reviewed under the card's id); neither loses a review."""
    deck = write_deck(tmp_path / "merge", CLOZE)
    study = open_study(home, roots=[deck])
    study.review("split-card/c2", Rating.GOOD)
    study.review("split-card/c2", Rating.AGAIN)
    study.review("split-card/c1", Rating.GOOD)
    study.close()
    write_deck(deck, SPLIT)
    study = open_study(home, roots=[deck])
    try:
        assert study.content_issues == []
        assert study.store.state("split-precision").reps == 2
        assert study.store.state("split-precision").lapses == 1
        assert study.store.state("split-card").reps == 1
        assert study.store.state("split-card/c2") is None and study.store.state("split-card/c1") is None
        undone = study.undo()  # the last review, logged as split-card/c1, is undone on the card
        assert undone is not None and undone.item_id == "split-card"
        assert study.store.state("split-card") is None and study.store.state("split-precision").reps == 2
    finally:
        study.close()


def _studied_whole_then_split(home, tmp_path, blank: str):
    """A deck whose card `split-card` was reviewed whole, then split into deletions, of which
    `blank` was reviewed once."""
    deck = write_deck(tmp_path / "merge", OLD.replace("merge-old", "split-card"))
    study = open_study(home, roots=[deck])
    study.review("split-card", Rating.GOOD)
    study.close()
    write_deck(deck, CLOZE)
    study = open_study(home, roots=[deck])
    study.review(blank, Rating.GOOD)
    study.close()
    return deck


def test_a_card_back_to_one_deletion_counts_each_review_once(home, tmp_path):
    """Studied as one card, then split into deletions (each gets a copy of the card's reviews),
    then cut back to one deletion that `replaces:` its old sibling: the card's own reviews and
    the copies made of them are one history, not two."""
    deck = _studied_whole_then_split(home, tmp_path, "split-card/c1")
    write_deck(deck, SPLIT)
    study = open_study(home, roots=[deck])
    try:
        assert study.store.state("split-card").reps == 2  # the card's review and the one of its deletion
        assert study.store.state("split-precision").reps == 1  # the copy the second deletion was given
        assert len(study.store.live_reviews("split-card")) == 2
    finally:
        study.close()


def test_a_split_card_merged_whole_into_another_counts_each_review_once(home, tmp_path):
    """The card and both its deletions listed under `replaces:`: the card's review and the two
    copies of it are one review, and a deletion's own review after the split is another."""
    deck = _studied_whole_then_split(home, tmp_path, "split-card/c2")
    write_deck(deck, NEW.replace("replaces: [merge-old]", "replaces: [split-card, split-card/c1, split-card/c2]"))
    study = open_study(home, roots=[deck])
    try:
        assert study.content_issues == []
        assert study.store.state("merge-kept").reps == 2
    finally:
        study.close()
