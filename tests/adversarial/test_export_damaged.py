"""A database edited to hold rows a backup cannot carry, exported to save what is there: a
details or result field that is not JSON is carried as none (as the store reads it); a day past
the calendar or a time that is not one is one line naming the row, and no file is written.
Either way a backup `tutor export` writes is one `tutor import` restores."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.conftest import LINALG

NOW = "2026-01-05T10:00:00"
KEPT = {
    "a review detail that is not JSON": "UPDATE reviews SET detail = 'garbage'",
    "an attempt result that is not JSON": "INSERT INTO attempts (item_id, kind, at, status, result) "
                                         "VALUES ('det-2x2', 'card', '2026-01-05T10:00:00+00:00', 'fail', '{')",
}
REFUSED = {
    "a lesson read on day 10^11": ("INSERT INTO lesson_reads VALUES ('linalg', 'determinants', "
                                   "'2026-01-05T10:00:00+00:00', 99999999999)", "at lesson_reads[0].day"),
    "a review time that is not one": ("UPDATE reviews SET reviewed_at = 'garbage'", "at reviews[0].reviewed_at"),
}


def _tampered(cli, home, sql):
    assert cli("--content", str(LINALG), "review", "det-2x2", "--rating", "good", now=NOW).code == 0
    con = sqlite3.connect(home / "tutor.db")
    con.execute(sql)
    con.commit()
    con.close()


@pytest.mark.parametrize("sql", KEPT.values(), ids=KEPT.keys())
def test_a_damaged_detail_is_exported_as_none_and_the_backup_restores(cli, home, tmp_path, monkeypatch, sql):
    _tampered(cli, home, sql)
    out = tmp_path / "backup.json"
    result = cli("--content", str(LINALG), "export", "--format", "json", str(out), now=NOW)
    assert result.code == 0, result.err
    assert json.loads(out.read_text())["reviews"][0]["item_id"] == "det-2x2"
    monkeypatch.setenv("TUTOR_HOME", str(tmp_path / "elsewhere"))
    assert cli("--content", str(LINALG), "import", str(out), now=NOW).code == 0


@pytest.mark.parametrize(("sql", "place"), REFUSED.values(), ids=REFUSED.keys())
def test_a_row_no_backup_can_carry_is_one_line_naming_it(cli, home, tmp_path, sql, place):
    _tampered(cli, home, sql)
    out = tmp_path / "backup.json"
    result = cli("--content", str(LINALG), "export", "--format", "json", str(out), now=NOW)
    assert result.code == 2 and result.err.count("\n") == 1 and place in result.err, result.err
    assert "internal error" not in result.err and not out.exists()
