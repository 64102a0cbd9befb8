"""A crafted database: a tutor file with a trigger or a view that tutor did not make. SQLite runs
such code inside tutor's own reads and writes, so it could delete saved reviews on the next one,
or loop long enough to hang every command. Refused in one line before anything runs or is written."""

from __future__ import annotations

import sqlite3

import pytest

from tests.conftest import LINALG
from tests.store.test_store_robustness import _digest, _expect_refusal, _populated

PLANTED = {
    "a trigger that deletes the saved reviews on the next write":
        "CREATE TRIGGER tidy_up AFTER INSERT ON reviews BEGIN DELETE FROM reviews WHERE id < NEW.id; END",
    "tutor's own trigger given another body":
        "DROP TRIGGER item_state_studied; CREATE TRIGGER item_state_studied AFTER INSERT ON item_state "
        "BEGIN DELETE FROM reviews; END",
    "a trigger that counts for seconds on every write":
        "CREATE TRIGGER slow AFTER INSERT ON item_state BEGIN SELECT count(*) FROM (WITH RECURSIVE c(x) AS "
        "(SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) SELECT x FROM c); END",
    "a view in place of a table tutor reads":
        "DROP TABLE lesson_reads; CREATE VIEW lesson_reads AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL "
        "SELECT x + 1 FROM c WHERE x < 3000000) SELECT 'd' AS deck, 'l' AS lesson, '' AS read_at FROM c",
}


def _planted(home, sql: str):
    path = _populated(home)
    con = sqlite3.connect(path)
    con.executescript(sql)
    con.close()
    return path


@pytest.mark.parametrize("sql", PLANTED.values(), ids=PLANTED.keys())
def test_a_trigger_or_view_tutor_did_not_make_is_refused_untouched(cli, home, sql):
    _expect_refusal(cli, _planted(home, sql), "that tutor did not make")


def test_a_write_through_a_planted_trigger_loses_nothing(cli, home):
    path = _planted(home, PLANTED["a trigger that deletes the saved reviews on the next write"])
    before = _digest(path)
    result = cli("review", "eigenvector-definition", "--rating", "good", "--content", str(LINALG))
    assert result.code == 2 and "trigger 'tidy_up'" in result.err and len(result.err.strip().splitlines()) == 1
    assert _digest(path) == before
    assert sqlite3.connect(path).execute("SELECT count(*) FROM reviews").fetchone() == (300,)


def test_tutors_own_triggers_are_not_refused(cli, home):
    _populated(home)
    assert cli("due", "--content", str(LINALG)).code == 0
