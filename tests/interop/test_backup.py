"""Backups: a restore into a fresh home reproduces what the learner sees; restoring again adds nothing."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.conftest import LINALG
from tutor.config import content_dirs, load_settings
from tutor.content import load_library
from tutor.interop import BackupError, export_backup, import_backup, read_backup, write_backup
from tutor.store import Store
from tutor.store.backup import history_rows, instance_id
from tutor.study import Study

DAYS = ["2026-01-05", "2026-01-06", "2026-01-08", "2026-01-12", "2026-01-19"]
LATER = "2026-01-27T10:00:00"


def _open(home, monkeypatch=None):
    roots = content_dirs([str(LINALG)])
    return Study(Store.open(home), load_settings(home=str(home)), roots), load_library(roots)


def _history(cli, home):
    """Several days of reviews, an undo, attempts and drafts: what a learner leaves behind."""
    ratings = ["good", "hard", "again", "easy", "good"]
    for n, day in enumerate(DAYS):
        due = cli("due", "--json", "--content", str(LINALG), now=f"{day}T09:00:00").json()
        for k, entry in enumerate(due["items"][:3]):
            rating = ratings[(n + k) % len(ratings)]
            assert cli("review", entry["id"], "--rating", rating, "--content", str(LINALG),
                       now=f"{day}T09:{10 + k:02d}:00").code == 0
    assert cli("undo", "--content", str(LINALG), now=f"{DAYS[-1]}T09:30:00").code == 0
    study, _ = _open(home)
    at = datetime(2026, 1, 19, 10, tzinfo=UTC)
    study.store.add_attempt("det-2x2", "card", "fail", {"status": "fail", "tests": [1, 2]}, at,
                            mistakes=["swapped-diagonals"])
    study.store.mark_item_day("det-2x2", date(2026, 1, 19), at, failed_check=True, hints=2)
    study.store.start_item_clock("trace-2x2", date(2026, 1, 19), at)
    study.store.mark_read("linalg", "determinants", at, date(2026, 1, 19))
    study.store.save_draft("trace-2x2", "card", "def f():\n    return 5  # ünïcode\n", at)
    study.store.save_draft("rank-nullity", "card", "", at)
    study.store.close()


def _views(cli, home, now=LATER):
    due = cli("--home", str(home), "due", "--json", "--content", str(LINALG), now=now)
    stats = cli("--home", str(home), "stats", "--json", "--content", str(LINALG), now=now)
    assert due.code == 0 and stats.code == 0, due.err + stats.err
    return due.json(), stats.json()


def _rows(home):
    con = sqlite3.connect(home / "tutor.db")
    try:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
                for t in ("reviews", "attempts", "drafts", "item_state", "mistakes", "item_days", "lesson_reads")}
    finally:
        con.close()


def _backup(home, tmp_path, name="backup.json"):
    study, lib = _open(home)
    document = export_backup(study.store, lib, study.settings)
    study.store.close()
    path = tmp_path / name
    write_backup(document, path)
    return path


def _restore(home, path):
    study, _ = _open(home)
    try:
        return import_backup(study.store, read_backup(path), scheduler_name=study.schedule_key(),
                             scheduler_for=study.scheduler_for)
    finally:
        study.store.close()


@pytest.mark.parametrize("scheduler", ["ladder", "fsrs"])
def test_restore_into_a_fresh_home_reproduces_due_stats_and_drafts(cli, home, tmp_path, monkeypatch, scheduler):
    monkeypatch.setenv("TUTOR_SCHEDULER", scheduler)
    _history(cli, home)
    path = _backup(home, tmp_path)
    fresh = tmp_path / "fresh"
    counts = _restore(fresh, path)
    assert counts["reviews_added"] == len(_rows(home)["reviews"]) and counts["reviews_present"] == 0
    assert counts["attempts_added"] == 1 and counts["drafts_added"] == 2
    for now in (f"{DAYS[-1]}T12:00:00", LATER, "2026-03-01T10:00:00"):
        assert _views(cli, fresh, now) == _views(cli, home, now)
    study, _ = _open(fresh)
    assert study.store.draft("trace-2x2") == "def f():\n    return 5  # ünïcode\n"
    assert study.store.draft("rank-nullity") == ""
    assert study.store.attempts("det-2x2") == [{"at": "2026-01-19T10:00:00.000+00:00", "status": "fail",
                                                "result": {"status": "fail", "tests": [1, 2]}}]
    assert {r[3] for r in _rows(fresh)["item_state"]} == {scheduler}
    undone = [r for r in _rows(fresh)["reviews"] if r[10] is not None]
    assert len(undone) == 1  # the undo record still points at the review it cancelled


def test_mistakes_study_day_penalties_and_reading_survive_a_restore(cli, home, tmp_path):
    _history(cli, home)
    fresh = tmp_path / "fresh"
    counts = _restore(fresh, _backup(home, tmp_path))
    assert counts["mistakes_added"] == 1
    study, _ = _open(fresh)
    try:
        assert [row[:3] for row in study.store.mistake_counts()] == [("swapped-diagonals", "det-2x2", 1)]
        assert study.store.recent_mistakes("det-2x2", 3) == [{"swapped-diagonals"}]
        penalty = study.store.item_day("det-2x2", date(2026, 1, 19))
        assert (penalty.failed_checks, penalty.hints) == (1, 2)
        assert study.store.item_day("trace-2x2", date(2026, 1, 19)).clock_started_at is not None
        assert study.store.read_sections("linalg") == {"determinants"}
    finally:
        study.store.close()
    for table in ("mistakes", "item_days", "lesson_reads"):
        assert _rows(fresh)[table] == _rows(home)[table]


def test_a_study_day_merges_to_the_larger_penalty_and_a_lesson_to_its_first_reading(cli, home, tmp_path):
    _history(cli, home)
    path = _backup(home, tmp_path)
    other = tmp_path / "other"
    study, _ = _open(other)
    day, at = date(2026, 1, 19), datetime(2026, 1, 19, 8, tzinfo=UTC)
    study.store.mark_item_day("det-2x2", day, at, failed_check=True)
    study.store.mark_item_day("det-2x2", day, at, failed_check=True)
    study.store.mark_item_day("det-2x2", day, at, gave_up=True)
    study.store.mark_read("linalg", "determinants", at + timedelta(days=1), day + timedelta(days=1))
    study.store.close()
    _restore(other, path)
    study, _ = _open(other)
    try:
        merged = study.store.item_day("det-2x2", day)
        assert (merged.failed_checks, merged.hints, merged.gave_up) == (2, 2, True)
        assert merged.started_at == at  # opened here first
        first_read = study.store.con.execute("SELECT first_read_at FROM lesson_reads").fetchone()[0]
        assert first_read.startswith("2026-01-19T10:00")
    finally:
        study.store.close()


def test_restoring_twice_or_into_the_same_home_adds_nothing(cli, home, tmp_path):
    _history(cli, home)
    path = _backup(home, tmp_path)
    before = _rows(home)
    again = _restore(home, path)
    assert again["reviews_added"] == again["attempts_added"] == again["drafts_added"] == 0
    assert again["reviews_present"] == len(before["reviews"])
    assert _rows(home) == before

    fresh = tmp_path / "fresh"
    _restore(fresh, path)
    once = _rows(fresh)
    second = _restore(fresh, path)
    assert second["reviews_added"] == second["attempts_added"] == second["drafts_updated"] == 0
    assert _rows(fresh) == once
    # A backup of the restored home names the same reviews: restoring it at the origin adds nothing.
    assert _restore(home, _backup(fresh, tmp_path, "second.json"))["reviews_added"] == 0
    assert _rows(home) == before


def test_a_restore_merges_with_reviews_made_elsewhere(cli, home, tmp_path):
    _history(cli, home)
    path = _backup(home, tmp_path)
    other = tmp_path / "other"
    assert cli("--home", str(other), "review", "orthogonal-inverse", "--rating", "good", "--content", str(LINALG),
               now="2026-01-20T08:00:00").code == 0
    counts = _restore(other, path)
    assert counts["reviews_added"] == len(_rows(home)["reviews"])
    assert len(_rows(other)["reviews"]) == len(_rows(home)["reviews"]) + 1
    assert _restore(other, path)["reviews_added"] == 0


def test_a_copied_database_that_diverged_merges_without_losing_either_side(cli, home, tmp_path):
    _history(cli, home)
    copy = tmp_path / "copy"
    copy.mkdir()
    source, target = sqlite3.connect(home / "tutor.db"), sqlite3.connect(copy / "tutor.db")
    source.backup(target)  # a byte copy of the database: same instance id, same row ids from here on
    source.close()
    target.close()
    assert cli("review", "det-2x2", "--rating", "easy", "--content", str(LINALG), now=LATER).code == 0
    assert cli("--home", str(copy), "review", "trace-2x2", "--rating", "again", "--content", str(LINALG),
               now=LATER).code == 0
    path = _backup(home, tmp_path)
    counts = _restore(copy, path)
    assert counts["reviews_added"] == 1  # only the review made in the original since the copy
    items = [r[1] for r in _rows(copy)["reviews"][-2:]]
    assert items == ["trace-2x2", "det-2x2"]
    assert _restore(copy, path)["reviews_added"] == 0


def test_a_newer_draft_wins_and_an_older_one_is_kept_out(cli, home, tmp_path):
    _history(cli, home)
    path = _backup(home, tmp_path)
    fresh = tmp_path / "fresh"
    study, _ = _open(fresh)
    study.store.save_draft("trace-2x2", "card", "newer text", datetime(2026, 2, 1, tzinfo=UTC))
    study.store.save_draft("det-2x2", "card", "older text", datetime(2026, 1, 1, tzinfo=UTC))
    study.store.close()
    counts = _restore(fresh, path)
    assert counts["drafts_kept"] == 1 and counts["drafts_added"] == 1
    study, _ = _open(fresh)
    assert study.store.draft("trace-2x2") == "newer text"
    assert study.store.draft("rank-nullity") == ""


def _digest(home):
    return hashlib.sha256(json.dumps(_rows(home), default=str).encode()).hexdigest()


def _good_document(cli, home, tmp_path):
    _history(cli, home)
    return json.loads(_backup(home, tmp_path).read_text())


@pytest.fixture(scope="module")
def good_backup(tmp_path_factory):
    """One history and its backup, shared by the tests that only spoil a copy of the document."""
    import io
    from contextlib import redirect_stderr, redirect_stdout

    from tests.conftest import CliResult
    from tutor.cli import main

    base = tmp_path_factory.mktemp("good")
    home = base / "home"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TUTOR_HOME", str(home))
        mp.setenv("TZ", "Europe/London")
        for key in ("TUTOR_NOW", "TUTOR_CONTENT", "TUTOR_SCHEDULER", "TUTOR_DAY_START_HOUR", "TUTOR_NEW_PER_DAY"):
            mp.delenv(key, raising=False)

        def run(*args, now=None):
            if now:
                mp.setenv("TUTOR_NOW", now)
            out, err = io.StringIO(), io.StringIO()
            with redirect_stdout(out), redirect_stderr(err):
                code = main(list(args))
            return CliResult(code, out.getvalue(), err.getvalue())

        _history(run, home)
        return _backup(home, base)


@pytest.mark.parametrize(("mutate", "words"), [
    (lambda d: d.update(format="something"), "not a tutor backup"),
    (lambda d: d.update(version=99), "newer tutor"),
    (lambda d: d.update(version="1"), "at version"),
    (lambda d: d.update(reviews={}), "at reviews: must be a list"),
    (lambda d: d["reviews"][0].update(rating=7), "reviews[0].rating"),
    (lambda d: d["reviews"][0].pop("item_id"), "reviews[0]: missing required key 'item_id'"),
    (lambda d: d["reviews"][1].update(reviewed_at="yesterday"), "reviews[1].reviewed_at"),
    (lambda d: d["reviews"][1].update(reviewed_at="2026-01-05T10:00:00"), "no time zone"),
    (lambda d: d["reviews"][2].update(uid=d["reviews"][0]["uid"]), "appears twice"),
    (lambda d: d["reviews"][-1].update(undoes="nowhere:1"), "not an earlier rated review"),
    (lambda d: d["reviews"][0].update(kind="video"), "reviews[0].kind"),
    (lambda d: d["drafts"][0].update(text=5), "drafts[0].text"),
    (lambda d: d["attempts"][0].update(result=[]), "attempts[0].result"),
    (lambda d: d["mistakes"][0].update(attempt="elsewhere:9"), "not an attempt of this backup"),
    (lambda d: d["mistakes"][0].update(mistake="x\x07"), "mistakes[0].mistake"),
    (lambda d: d["item_days"][0].update(hints=-1), "item_days[0].hints"),
    (lambda d: d["item_days"][0].update(gave_up="yes"), "item_days[0].gave_up"),
    (lambda d: d["item_days"].append(dict(d["item_days"][0])), "two records for the same item and day"),
    (lambda d: d["lesson_reads"][0].update(deck="../etc"), "lesson_reads[0].deck"),
    (lambda d: d["lesson_reads"][0].update(first_read_at="2026-01-05T10:00:00"), "no time zone"),
])
def test_a_bad_backup_is_one_line_and_writes_nothing(home, tmp_path, good_backup, mutate, words):
    document = json.loads(good_backup.read_text())
    mutate(document)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    target = tmp_path / "target"
    _restore(target, good_backup)
    before = _digest(target)
    with pytest.raises(BackupError) as caught:
        _restore(target, path)
    message = str(caught.value)
    assert words in message and "\n" not in message and message.startswith(str(path))
    assert _digest(target) == before


@pytest.mark.parametrize(("content", "words"), [
    (b"not json at all", "invalid JSON"),
    (b"\xff\xfe\x00garbage", "not UTF-8"),
    (b"[1, 2, 3]", "not a tutor backup"),
    (b"[" * 100_000, "not a tutor backup"),
])
def test_a_file_that_is_not_a_backup(tmp_path, content, words):
    path = tmp_path / "x.json"
    path.write_bytes(content)
    with pytest.raises(BackupError) as caught:
        read_backup(path)
    assert words in str(caught.value) and "\n" not in str(caught.value)


def test_a_missing_file(tmp_path):
    with pytest.raises(BackupError, match="cannot read"):
        read_backup(tmp_path / "nope.json")


def test_the_backup_names_the_content_and_settings(cli, home, tmp_path):
    document = _good_document(cli, home, tmp_path)
    assert document["format"] == "tutor-backup" and document["version"] == 1
    assert {"id": "det-2x2", "deck": "linalg", "kind": "card"} in document["content"]
    assert document["settings"]["scheduler"] == "ladder"
    assert all(r["uid"].startswith(document["instance"] + ":") for r in document["reviews"])
    assert sum(r["rating"] is None for r in document["reviews"]) == 1


def test_an_old_database_gets_identities_when_it_migrates(tmp_path):
    from tutor.store.migrations import MIGRATIONS

    home = tmp_path / "old"
    home.mkdir()
    con = sqlite3.connect(home / "tutor.db")
    con.executescript(MIGRATIONS[0] + ";" + MIGRATIONS[1] + "; PRAGMA user_version = 2;")
    con.execute("INSERT INTO reviews (item_id, kind, deck, reviewed_at, day, rating, scheduler) "
                "VALUES ('det-2x2', 'card', 'linalg', '2026-01-05T10:00:00.000+00:00', 739621, 3, 'ladder')")
    con.commit()
    con.close()
    with Store.open(home) as store:
        rows = history_rows(store)
        assert len(instance_id(store)) == 32
        assert rows["reviews"][0]["uid"] == f"{instance_id(store)}:1"


def test_export_command_end_to_end(cli, home, tmp_path):
    _history(cli, home)
    out = tmp_path / "b.json"
    assert cli("export", "--format", "json", str(out), "--content", str(LINALG)).code == 0
    fresh = tmp_path / "fresh"
    assert cli("--home", str(fresh), "import", str(out), "--content", str(LINALG)).code == 0
    assert _views(cli, fresh) == _views(cli, home)
    assert cli("--home", str(fresh), "import", str(out), "--content", str(LINALG)).code == 0
    assert _views(cli, fresh) == _views(cli, home)


def test_export_counts_reviews_as_stats_does(cli, home, tmp_path):
    """`tutor export` said '13 review records' where `tutor stats` said 12 reviews: it counted the
    undo record and the review it undid; it now counts what stands and names the undone apart."""
    _history(cli, home)
    _, stats = _views(cli, home)
    out = tmp_path / "b.json"
    exported = cli("export", "--format", "json", str(out), "--content", str(LINALG), "--json").json()
    assert exported["reviews"] == stats["reviews"] and (exported["undone"], exported["undo_records"]) == (1, 1)
    said = cli("export", "--format", "json", str(out), "--content", str(LINALG)).out
    assert said.startswith(f"Backed up {stats['reviews']} reviews and 1 undone review, ")


def test_the_history_used_here_is_not_trivial(cli, home, tmp_path):
    _history(cli, home)
    due, stats = _views(cli, home)
    rows = _rows(home)
    assert len(rows["reviews"]) >= 12 and len(rows["item_state"]) == 5
    assert stats["reviews"] >= 10 and stats["retention_all"]["reviews"] > 0
    assert any(i["status"] == "overdue" for i in due["items"])


def test_merging_interleaved_histories_folds_them_in_time_order(cli, home, tmp_path):
    """Laptop on days 0 and 7, desktop on day 3: after the merge it is as if one machine did all three."""
    laptop, desktop, reference = home, tmp_path / "desktop", tmp_path / "reference"
    plan = [(laptop, "2026-01-05T10:00:00", "good"), (desktop, "2026-01-08T10:00:00", "easy"),
            (desktop, "2026-01-08T10:01:00", "undo"), (desktop, "2026-01-08T10:02:00", "hard"),
            (laptop, "2026-01-12T10:00:00", "good"), (desktop, "2026-01-12T11:00:00", "again")]
    for where, when, rating in plan:
        for target in (where, reference):
            command = ["undo"] if rating == "undo" else ["review", "det-2x2", "--rating", rating]
            assert cli("--home", str(target), *command, "--content", str(LINALG), now=when).code == 0
    laptop_backup = _backup(laptop, tmp_path, "laptop.json")
    counts = _restore(laptop, _backup(desktop, tmp_path, "desktop.json"))
    assert counts["reviews_added"] == 4 and counts["reviews_resequenced"] == 6
    assert [r[3] for r in _rows(laptop)["reviews"]] == sorted(r[3] for r in _rows(reference)["reviews"])
    for now in ("2026-01-13T10:00:00", LATER):
        assert _views(cli, laptop, now) == _views(cli, reference, now)
    # identities survive the renumbering: neither backup adds anything now, and new reviews do not collide
    assert _restore(laptop, laptop_backup)["reviews_added"] == 0
    assert _restore(laptop, tmp_path / "desktop.json")["reviews_added"] == 0
    assert cli("--home", str(laptop), "review", "det-2x2", "--rating", "good", "--content", str(LINALG),
               now=LATER).code == 0
    again = json.loads(_backup(laptop, tmp_path, "after.json").read_text())
    assert len({r["uid"] for r in again["reviews"]}) == len(again["reviews"]) == 7
    assert _restore(tmp_path / "fresh", tmp_path / "after.json")["reviews_added"] == 7
    assert _views(cli, tmp_path / "fresh") == _views(cli, laptop)


def test_a_copy_ahead_of_the_original_never_lends_it_a_future_identity(cli, home, tmp_path):
    """The copy's rows past the original's last id must not take ids the original will use next."""
    assert cli("review", "det-2x2", "--rating", "good", "--content", str(LINALG), now=f"{DAYS[0]}T09:00:00").code == 0
    copy = tmp_path / "copy"
    copy.mkdir()
    source, target = sqlite3.connect(home / "tutor.db"), sqlite3.connect(copy / "tutor.db")
    source.backup(target)
    source.close()
    target.close()
    for n, item in enumerate(["trace-2x2", "rank-nullity"]):
        assert cli("--home", str(copy), "review", item, "--rating", "good", "--content", str(LINALG),
                   now=f"{DAYS[1]}T09:0{n}:00").code == 0
    assert _restore(home, _backup(copy, tmp_path, "copy.json"))["reviews_added"] == 2
    assert cli("review", "orthogonal-inverse", "--rating", "good", "--content", str(LINALG),
               now=f"{DAYS[2]}T09:00:00").code == 0
    document = json.loads(_backup(home, tmp_path, "home.json").read_text())
    assert len({r["uid"] for r in document["reviews"]}) == len(document["reviews"]) == 4
    assert _restore(tmp_path / "fresh", tmp_path / "home.json")["reviews_added"] == 4


def test_settings_are_restored_only_into_a_home_without_them(tmp_path, monkeypatch):
    from tutor.interop import restore_settings

    monkeypatch.delenv("TUTOR_SCHEDULER", raising=False)
    target = tmp_path / "home" / "config.yaml"
    data = {"settings": {"scheduler": "fsrs", "new_per_day": 7, "from_the_future": 1}}
    assert restore_settings(data, target) is True
    assert load_settings(home=str(target.parent)).scheduler == "fsrs"
    assert "from_the_future" not in target.read_text()
    assert restore_settings({"settings": {"scheduler": "ladder"}}, target) is False  # never overwrites
    assert load_settings(home=str(target.parent)).new_per_day == 7
    bad = tmp_path / "bad" / "config.yaml"
    with pytest.raises(BackupError, match="at settings: .*new_per_day"):
        restore_settings({"settings": {"new_per_day": -3}}, bad)
    assert not bad.exists()
