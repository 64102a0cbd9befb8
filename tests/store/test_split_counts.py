"""A card studied whole and then split (into deletions, and those into cards of their own by
`replaces:`) gives each part a copy of its reviews, so each part keeps its schedule; every count
a learner reads (stats screen, `tutor stats`, the dashboard's reviews today, `tutor export`)
counts each review the learner gave once, however many parts it was copied to."""

from __future__ import annotations

import json

import pytest

from tests.store.test_renames import CLOZE, write_deck
from tutor.content import load_library
from tutor.interop import export_backup, import_backup, review_counts
from tutor.schedule import Rating
from tutor.study import open_study, stats

WHOLE = """cards:
  - {id: split-card, type: basic, title: Adam buffers, front: 'How many buffers per parameter does Adam keep?',
     back: two}
"""
APART = """cards:
  - {id: split-count, type: basic, title: Buffer count, front: 'How many buffers per parameter does Adam keep?',
     back: two, replaces: [split-card/c1]}
  - {id: split-precision, type: basic, title: Buffer precision, front: 'In which precision are they kept?',
     back: fp32, replaces: [split-card/c2]}
"""
DAY1, DAY3, DAY5 = "2026-03-02T09:00:00", "2026-03-04T09:00:00", "2026-03-06T09:00:00"


@pytest.fixture
def split_apart(home, tmp_path, monkeypatch):
    """`split-card` reviewed on day 1 and 3, then made a cloze card of two deletions (each given
    a copy of those two reviews), then each deletion made a card of its own by `replaces:` and
    reviewed on day 5: four reviews given, over two items."""
    deck = write_deck(tmp_path / "merge", WHOLE)
    for now, cards, reviewed in ((DAY1, WHOLE, ["split-card"]), (DAY3, WHOLE, ["split-card"]),
                                 (DAY5, CLOZE, []), (DAY5, APART, ["split-count", "split-precision"])):
        monkeypatch.setenv("TUTOR_NOW", now)
        write_deck(deck, cards)
        study = open_study(home, roots=[deck])
        assert study.content_issues == []
        for item_id in reviewed:
            study.review(item_id, Rating.GOOD)
        study.close()
    return deck


def test_the_stats_count_each_review_of_a_split_card_once(home, split_apart):
    study = open_study(home, roots=[split_apart])
    try:
        assert study.store.state("split-count").reps == 3  # each part keeps the card's history
        summary = stats.summary(study.store, study.today())
        assert (summary["reviews"], summary["items_studied"]) == (4, 2)
        assert summary["reviews_per_day"]["2026-03-02"] == 1
        assert summary["reviews_per_day"]["2026-03-06"] == 2
        # recalls: the card's on day 3 and each part's on day 5; the first review is learning
        assert summary["retention_all"] == {"reviews": 3, "passed": 3, "rate": 1.0}
    finally:
        study.close()


def test_an_export_counts_each_review_once_and_a_restore_keeps_the_copies_copies(home, split_apart, tmp_path):
    study = open_study(home, roots=[split_apart])
    try:
        document = json.loads(json.dumps(export_backup(study.store, load_library([split_apart]), study.settings)))
        assert review_counts(document)["reviews"] == 4
        assert study.undo() is not None  # split-precision's day-5 review
    finally:
        study.close()
    fresh = open_study(tmp_path / "fresh-home", roots=[split_apart])
    try:
        import_backup(fresh.store, document, scheduler_name=fresh.schedule_key(),
                      scheduler_for=fresh.scheduler_for)
        summary = stats.summary(fresh.store, fresh.today())
        assert (summary["reviews"], summary["items_studied"]) == (4, 2)
        assert fresh.store.state("split-precision").reps == 3
    finally:
        fresh.close()


def test_tutor_stats_and_export_count_each_review_of_a_split_card_once(cli, split_apart, tmp_path):
    content = ("--content", str(split_apart))
    out = cli("stats", *content, now=DAY5).out
    assert "Reviews: 4 over 2 items; streak 1 day\n" in out
    assert "True retention: 100% of 3 (30 days), 100% of 3 (all time)\n" in out
    exported = cli("export", "--format", "json", str(tmp_path / "backup.json"), *content, now=DAY5)
    assert exported.code == 0 and exported.out.startswith("Backed up 4 reviews,"), exported.out
