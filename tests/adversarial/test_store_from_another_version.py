"""A database made by another version of tutor, whose migrations were numbered otherwise (a
diverged branch, an older or newer build): refused in one line that says so, before anything
is written, instead of a raw SQLite message ("table item_days already exists") or a file
silently missing what this tutor's schema has."""

from __future__ import annotations

import sqlite3
from datetime import date

from tests.store.test_store_robustness import _expect_refusal as expect_refusal
from tutor.store import Store
from tutor.store.db import SCHEMA_KEY, schema_digest
from tutor.store.migrations import LATEST, MIGRATIONS

REVIEW = ("INSERT INTO reviews (item_id, kind, deck, reviewed_at, day, rating, scheduler) "
          "VALUES ('kept', 'card', 'd', '2026-01-05T12:00:00.000+00:00', ?, 3, 'ladder')")


def _made_by(home, migrations: list[str], version: int) -> None:
    """A file that ran `migrations` and says it is at `version`, with one review in it."""
    home.mkdir()
    con = sqlite3.connect(home / "tutor.db")
    for script in migrations:
        con.executescript(script)
    con.execute(REVIEW, (date(2026, 1, 5).toordinal(),))
    con.execute(f"PRAGMA user_version = {version}")
    con.commit()
    con.close()


def _reviews(home) -> list[str]:
    con = sqlite3.connect(home / "tutor.db")
    try:
        return [r[0] for r in con.execute("SELECT item_id FROM reviews")]
    finally:
        con.close()


def test_a_file_that_already_has_a_later_table_is_refused(cli, home):
    # Its version 5 made item_days, which is this tutor's migration 6.
    _made_by(home, [*MIGRATIONS[:5], MIGRATIONS[5]], 5)
    expect_refusal(cli, home / "tutor.db", "was made by another version of tutor (schema 5; migration 6: "
                                          "table item_days already exists)")
    assert _reviews(home) == ["kept"]


def test_a_file_that_already_has_a_later_column_is_refused(cli, home):
    # Its version 8 added item_days.clock_started_at, which is this tutor's migration 9.
    _made_by(home, [*MIGRATIONS[:9]], 8)
    expect_refusal(cli, home / "tutor.db", "was made by another version of tutor (schema 8; migration 9: "
                                          "duplicate column name: clock_started_at)")
    assert _reviews(home) == ["kept"]


def test_a_file_at_this_version_whose_migrations_were_others_is_refused(cli, home):
    Store.open(home).close()
    con = sqlite3.connect(home / "tutor.db")
    con.execute("UPDATE meta SET value = ? WHERE key = ?", (f"{LATEST}:0badc0de", SCHEMA_KEY))
    con.execute(REVIEW, (date(2026, 1, 5).toordinal(),))
    con.commit()
    con.close()
    expect_refusal(cli, home / "tutor.db", f"was made by another version of tutor (schema {LATEST}; "
                                          "its migrations differ from this tutor's)")
    assert _reviews(home) == ["kept"]


def test_an_older_file_of_this_tutor_is_migrated_and_marked(home):
    _made_by(home, [*MIGRATIONS[:5]], 5)
    with Store.open(home) as store:
        assert store.meta(SCHEMA_KEY) == schema_digest(LATEST)
        assert [r.item_id for r in store.live_reviews()] == ["kept"]
