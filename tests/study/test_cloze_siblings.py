"""Cloze siblings: each deletion index of a cloze card is its own review item, `CARD/cN`,
scheduled on its own; a card with one index keeps its id; a card's reviews from before it had
several deletions carry over to each sibling (store migration 8, on a real old-schema file)."""

from __future__ import annotations

import sqlite3
import textwrap
from pathlib import Path

import pytest

from tutor.schedule import Rating
from tutor.study import open_study

NOW = "2026-03-02T09:00:00+00:00"
OLD_SCHEMA = 9  # the last migration before cloze siblings
TWO_DELETIONS = "Adam keeps {{c1::two}} moments per weight, so {{c2::2x}} the memory of plain SGD."


def write_deck(root: Path, front: str) -> Path:
    deck = root / "mem"
    deck.mkdir(parents=True, exist_ok=True)
    (deck / "deck.yaml").write_text(textwrap.dedent("""\
        id: mem
        title: Memory
        plan:
          - day: 0
            goal: Know the memory cost.
            items: [memory-cost]
        """))
    (deck / "cards.yaml").write_text(textwrap.dedent(f"""\
        cards:
          - id: memory-cost
            type: cloze
            title: Optimizer memory
            front: "{front}"
          - id: one-deletion
            type: cloze
            title: One deletion
            front: "SGD keeps {{{{c1::no}}}} state."
        """))
    return root


@pytest.fixture
def content(tmp_path) -> Path:
    return write_deck(tmp_path / "content", TWO_DELETIONS)


@pytest.fixture
def study(home, content, monkeypatch):
    monkeypatch.setenv("TUTOR_NOW", NOW)
    opened = open_study(home, roots=[content])
    yield opened
    opened.close()


def test_each_deletion_is_its_own_item_and_a_single_deletion_keeps_its_id(study):
    ids = [e.item_id for e in study.queue()]
    assert ids == ["memory-cost/c1", "memory-cost/c2", "one-deletion"]
    assert study.plan("mem")[0].items == ("memory-cost/c1", "memory-cost/c2")  # the plan names the card


def test_siblings_are_scheduled_apart(study):
    study.review("memory-cost/c1", Rating.AGAIN)
    study.review("memory-cost/c2", Rating.GOOD)
    c1, c2 = study.store.state("memory-cost/c1"), study.store.state("memory-cost/c2")
    assert c1.lapses == 0 and c1.due == study.today()  # Again: the ladder restarts at rung 0
    assert c2.due > study.today()  # Good moved c2 up alone
    study.review("memory-cost/c1", Rating.GOOD)
    assert study.store.state("memory-cost/c2") == c2  # rating c1 never moves c2
    assert [e.item_id for e in study.queue()] == ["one-deletion"]


def test_the_bare_id_of_a_multi_deletion_card_names_its_siblings(study):
    from tutor.study import UnknownItem

    with pytest.raises(UnknownItem, match="memory-cost/c1, memory-cost/c2"):
        study.review("memory-cost", Rating.GOOD)


def test_content_list_json_lists_every_deletion(cli, content):
    listed = cli("content", "list", "--deck", "mem", "--json", "--content", str(content)).json()
    assert [i["id"] for i in listed["items"]] == ["memory-cost/c1", "memory-cost/c2", "one-deletion"]
    assert listed["items"][1]["deletion"] == 2


def test_review_and_answer_take_a_sibling_id(cli, content):
    reviewed = cli("review", "memory-cost/c2", "--rating", "good", "--json", "--content", str(content), now=NOW)
    assert reviewed.code == 0 and reviewed.json()["id"] == "memory-cost/c2"
    right = cli("answer", "memory-cost/c2", "2x", "--json", "--content", str(content))
    assert right.code == 0 and right.json()["expected"] == "2x"
    wrong = cli("answer", "memory-cost/c2", "two", "--content", str(content))  # c1's answer, not c2's
    assert wrong.code == 1 and "expected: 2x" in wrong.out
    bare = cli("answer", "memory-cost", "two", "--content", str(content))
    assert bare.code == 2 and "answer one of memory-cost/c1, memory-cost/c2" in bare.err


def test_the_front_shows_the_other_deletions(content):
    from tutor.content import load_library
    from tutor.content.text import cloze_front

    c2 = load_library([content]).item("memory-cost/c2")
    assert cloze_front(c2.front, c2.deletion) == "Adam keeps two moments per weight, so [...] the memory of plain SGD."


def old_schema_home(home: Path, content: Path, monkeypatch) -> None:
    """A home written by the tutor before siblings (schema 9, catalog format 2): the card
    `memory-cost` had one deletion and was reviewed twice, the second review undone once."""
    import tutor.store.db as db

    write_deck(content, "Adam keeps {{c1::two}} moments per weight.")
    monkeypatch.setattr(db, "LATEST", OLD_SCHEMA)
    migrate = db.Store._migrate

    def with_later_schema(store):  # what today's code reads from later migrations; dropped below
        migrate(store)
        columns = {r[1] for r in store.con.execute("PRAGMA table_info(catalog_items)")}
        if "target_min" not in columns:
            store.con.execute("ALTER TABLE catalog_items ADD COLUMN target_min REAL")
        if "answer" not in columns:
            store.con.execute("ALTER TABLE catalog_items ADD COLUMN answer TEXT")
        store.con.execute("CREATE TABLE IF NOT EXISTS item_renames (old_id TEXT PRIMARY KEY, new_id TEXT NOT NULL)")
        if "last_day" not in {r[1] for r in store.con.execute("PRAGMA table_info(item_state)")}:
            store.con.execute("ALTER TABLE item_state ADD COLUMN last_day INTEGER")
        if "carried_from" not in {r[1] for r in store.con.execute("PRAGMA table_info(reviews)")}:
            store.con.execute("ALTER TABLE reviews ADD COLUMN carried_from INTEGER")

    monkeypatch.setattr(db.Store, "_migrate", with_later_schema)
    monkeypatch.setenv("TUTOR_NOW", "2026-03-01T09:00:00+00:00")
    old = open_study(home, roots=[content])
    old.review("memory-cost", Rating.GOOD)
    again, _ = old.review("memory-cost", Rating.AGAIN)
    with old.store.transaction() as con:  # the undo record that tutor wrote (its undo predates the new column)
        con.execute("INSERT INTO reviews (item_id, kind, deck, reviewed_at, day, scheduler, undoes) "
                    "SELECT item_id, kind, deck, reviewed_at, day, scheduler, id FROM reviews WHERE id = ?", (again,))
    old.store.rebuild_states(old.schedule_key(), old.scheduler_for)
    monkeypatch.setenv("TUTOR_NOW", "2026-03-02T09:00:00+00:00")
    old.review("memory-cost", Rating.HARD)
    old.close()
    monkeypatch.undo()
    con = sqlite3.connect(home / "tutor.db")
    con.execute("ALTER TABLE catalog_items DROP COLUMN target_min")  # added by migration 11
    con.execute("ALTER TABLE catalog_items DROP COLUMN answer")  # added by migration 13
    con.execute("DROP TABLE item_renames")  # added by migration 12
    con.execute("ALTER TABLE item_state DROP COLUMN last_day")  # added by migration 16
    con.execute("ALTER TABLE reviews DROP COLUMN carried_from")  # added by migration 10
    con.commit()
    assert con.execute("PRAGMA user_version").fetchone()[0] == OLD_SCHEMA
    assert "carried_from" not in {r[1] for r in con.execute("PRAGMA table_info(reviews)")}
    con.close()


def test_migration_carries_a_cards_reviews_over_to_each_new_sibling(home, tmp_path, monkeypatch):
    content = tmp_path / "content"
    old_schema_home(home, content, monkeypatch)
    with sqlite3.connect(home / "tutor.db") as con:
        before = con.execute("SELECT state, due_day, reps FROM item_state WHERE item_id = 'memory-cost'").fetchone()
    write_deck(content, TWO_DELETIONS)  # the author splits the card in two
    monkeypatch.setenv("TUTOR_NOW", NOW)
    study = open_study(home, roots=[content])
    try:
        for sibling in ("memory-cost/c1", "memory-cost/c2"):
            assert [r.rating for r in study.store.live_reviews(sibling)] == [Rating.GOOD, Rating.HARD]
            row = study.store.con.execute("SELECT state, due_day, reps FROM item_state WHERE item_id = ?",
                                          (sibling,)).fetchone()
            assert row == before
        assert study.store.con.execute("PRAGMA user_version").fetchone()[0] > OLD_SCHEMA
        queue = [e.item_id for e in study.queue()]
        assert "memory-cost/c1" not in queue or "memory-cost/c2" in queue  # the same schedule for both
        undone = study.undo()  # the learner's last review (Hard), with its carried copies
        assert undone is not None and undone.item_id == "memory-cost" and undone.rating == Rating.HARD
        for item_id in ("memory-cost", "memory-cost/c1", "memory-cost/c2"):
            assert [r.rating for r in study.store.live_reviews(item_id)] == [Rating.GOOD]
        study.review("memory-cost/c1", Rating.AGAIN)
        assert study.store.state("memory-cost/c2").reps == 1  # apart from here on
    finally:
        study.close()
    write_deck(content, TWO_DELETIONS + " ")  # the catalog refills: nothing is carried twice
    again = open_study(home, roots=[content])
    try:
        assert len(again.store.live_reviews("memory-cost/c2")) == 1
    finally:
        again.close()


def test_a_card_never_studied_carries_nothing(home, content, monkeypatch):
    monkeypatch.setenv("TUTOR_NOW", NOW)
    study = open_study(home, roots=[content])
    try:
        assert study.store.live_reviews() == []
    finally:
        study.close()


def test_a_siblings_history_survives_a_backup_and_a_restore(cli, content, tmp_path, monkeypatch):
    assert cli("review", "memory-cost/c2", "--rating", "good", "--content", str(content), now=NOW).code == 0
    backup = tmp_path / "backup.json"
    assert cli("export", "--format", "json", str(backup), "--content", str(content)).code == 0
    fresh = tmp_path / "fresh"
    restored = cli("import", str(backup), "--home", str(fresh), "--content", str(content), "--json")
    assert restored.code == 0, restored.err
    due = cli("due", "--deck", "mem", "--json", "--home", str(fresh), "--content", str(content), now=NOW).json()
    assert [i["id"] for i in due["items"]] == ["memory-cost/c1", "one-deletion"]  # c2 was reviewed, c1 was not


def test_csv_export_has_a_row_per_deletion(cli, content, tmp_path):
    import csv

    out = tmp_path / "cards.csv"
    assert cli("export", "--format", "csv", str(out), "--content", str(content)).code == 0
    with out.open(encoding="utf-8", newline="") as fh:
        rows = {r["id"]: r for r in csv.DictReader(fh)}
    assert rows["memory-cost/c1"]["front"] == "Adam keeps [...] moments per weight, so 2x the memory of plain SGD."
    assert rows["memory-cost/c2"]["back"] == "Adam keeps two moments per weight, so **2x** the memory of plain SGD."
