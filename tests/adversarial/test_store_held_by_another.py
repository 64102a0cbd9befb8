"""Another process holds the database locked (an exclusive lock it never lets go, as a crashed
or hostile program could): every command ends after SQLite's busy wait with one line saying
the database stayed busy, and what was saved is all there once the lock is gone."""

from __future__ import annotations

import sqlite3

import pytest

from tests.conftest import LINALG
from tests.store.test_store_robustness import _populated


@pytest.fixture
def held(home):
    path = _populated(home)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("INSERT INTO meta (key, value) VALUES ('held', 'by another process')")
    yield path
    holder.execute("ROLLBACK")
    holder.close()


@pytest.mark.parametrize("command", [("due",), ("review", "eigenvector-definition", "--rating", "good")],
                         ids=["a read", "a write"])
def test_a_database_held_locked_is_one_line_and_loses_nothing(cli, held, command):
    result = cli(*command, "--content", str(LINALG))
    assert result.code == 2 and "Traceback" not in result.err
    assert result.err.strip().splitlines() == [f"tutor: error: {held}: the database stayed busy "
                                               "(another tutor writing?); try again"]


def test_the_reviews_are_all_there_once_the_lock_is_gone(cli, home):
    path = _populated(home)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    assert cli("review", "eigenvector-definition", "--rating", "good", "--content", str(LINALG)).code == 2
    holder.execute("ROLLBACK")
    holder.close()
    assert sqlite3.connect(path).execute("SELECT count(*) FROM reviews").fetchone() == (300,)
