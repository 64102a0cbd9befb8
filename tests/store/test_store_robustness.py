"""A damaged, foreign, truncated or newer database is refused in one line and left untouched."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, date, datetime

import pytest

from tests.conftest import LINALG
from tutor.schedule.ladder import LadderScheduler
from tutor.store import Store, StoreError
from tutor.store.migrations import LATEST, MIGRATIONS

NOW = datetime(2026, 1, 5, 12, tzinfo=UTC)


def _populated(home):
    store = Store.open(home)
    for n in range(300):
        store.record_review(item_id=f"item-{n}", kind="card", deck="d", at=NOW, day=date(2026, 1, 5), rating=3,
                            scheduler=LadderScheduler(), detail={"pad": "x" * 200})
    store.close()
    return home / "tutor.db"


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _expect_refusal(cli, path, words):
    before = _digest(path)
    result = cli("due", "--content", str(LINALG))
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and words in lines[0].replace(str(path), "FILE"), result.err  # the test's folder is
    # named after it: "truncated" was found in the path of a file refused as damaged
    assert "Traceback" not in result.err
    assert _digest(path) == before


def test_a_file_that_is_not_a_database(cli, home):
    home.mkdir()
    (home / "tutor.db").write_text("these are my notes, not a database\n" * 10)
    _expect_refusal(cli, home / "tutor.db", "not a tutor database")


def test_a_truncated_database(cli, home):
    path = _populated(home)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    _expect_refusal(cli, path, "truncated")


def test_a_corrupt_database(cli, home):
    path = _populated(home)
    data = bytearray(path.read_bytes())
    for offset in range(4096 * 2, len(data), 997):
        data[offset] ^= 0xFF
    path.write_bytes(bytes(data))
    _expect_refusal(cli, path, "damaged")


def test_a_database_from_a_newer_tutor(cli, home):
    path = _populated(home)
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {LATEST + 1}")
    con.close()
    _expect_refusal(cli, path, "newer tutor")


def test_a_foreign_sqlite_database(cli, home):
    home.mkdir()
    con = sqlite3.connect(home / "tutor.db")
    con.execute("CREATE TABLE photos (id INTEGER)")
    con.commit()
    con.close()
    _expect_refusal(cli, home / "tutor.db", "not a tutor database")


def test_an_old_schema_is_migrated_and_keeps_its_reviews(home):
    home.mkdir()
    con = sqlite3.connect(home / "tutor.db")
    con.executescript(MIGRATIONS[0] + "; PRAGMA user_version = 1;")
    con.execute("INSERT INTO reviews (item_id, kind, deck, reviewed_at, day, rating, scheduler) "
                "VALUES ('x', 'card', 'd', '2026-01-05T12:00:00.000+00:00', ?, 3, 'ladder')",
                (date(2026, 1, 5).toordinal(),))
    con.commit()
    con.close()
    with Store.open(home) as store:
        assert store.con.execute("PRAGMA user_version").fetchone()[0] == LATEST
        assert [r.item_id for r in store.live_reviews()] == ["x"]
        assert store.con.execute("SELECT count(*) FROM catalog_items").fetchone()[0] == 0


def test_doctor_reports_a_healthy_store_and_rebuilds_state(cli, home):
    for rating in ("good", "again", "good"):
        cli("review", "eigenvector-definition", "--rating", rating, "--content", str(LINALG),
            now="2026-01-05T10:00:00")
    before = cli("due", "--json", "--content", str(LINALG), now="2026-01-08T10:00:00").json()
    with Store.open(home) as store:
        store.con.execute("DELETE FROM item_state")
    result = cli("doctor", "--rebuild", "--json", "--content", str(LINALG))
    assert result.code == 0, result.err
    assert result.json()["integrity"] == "ok" and result.json()["rebuilt_items"] == 1
    after = cli("due", "--json", "--content", str(LINALG), now="2026-01-08T10:00:00").json()
    assert after == before


def test_switching_scheduler_replays_history_and_loses_nothing(cli, home):
    for day, rating in (("2026-01-05", "good"), ("2026-01-08", "hard"), ("2026-01-10", "good")):
        cli("review", "eigenvector-definition", "--rating", rating, "--content", str(LINALG), now=f"{day}T10:00:00")
    ladder_plan = cli("due", "--json", "--content", str(LINALG), now="2026-01-10T10:00:00").json()
    fsrs = cli("due", "--json", "--scheduler", "fsrs", "--content", str(LINALG), now="2026-01-10T10:00:00")
    assert fsrs.code == 0, fsrs.err
    with Store.open(home) as store:
        assert store.meta("scheduler").startswith("fsrs")
        assert len(store.live_reviews()) == 3
        assert store.state("eigenvector-definition").scheduler == "fsrs"
    back = cli("due", "--json", "--content", str(LINALG), now="2026-01-10T10:00:00").json()
    assert back == ladder_plan


def test_store_error_is_a_clean_exception(tmp_path):
    (tmp_path / "tutor.db").write_bytes(b"\x00" * 50)
    with pytest.raises(StoreError):
        Store.open(tmp_path)


def test_the_last_review_day_column_is_filled_from_each_state_on_upgrade(home):
    path = _populated(home)
    con = sqlite3.connect(path)
    con.executescript("DROP INDEX item_state_due; ALTER TABLE item_state DROP COLUMN last_day; "
                      "CREATE INDEX item_state_due ON item_state (due_day);")  # as the file was at schema 15
    con.execute("UPDATE item_state SET state = 'not json' WHERE item_id = 'item-0'")  # an edited file
    con.execute("PRAGMA user_version = 15")
    con.execute("DELETE FROM meta WHERE key = 'schema'")
    con.commit()
    con.close()
    with Store.open(home) as store:
        days = dict(store.con.execute("SELECT item_id, last_day FROM item_state").fetchall())
        assert days.pop("item-0") is None and set(days.values()) == {date(2026, 1, 5).toordinal()}
