"""A database whose review log has damaged pages (a bad disk, a tool that wrote into it): every
command that meets the damage says so in one line, and `tutor doctor`, which that line sends
the learner to, reports it instead of failing with an internal error.

Two variants: a leaf of the log's table itself (what `SELECT count(*)` never read: it walks a
covering index) and a leaf of that index.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime

import pytest

from tutor.schedule.ladder import LadderScheduler
from tutor.store import Store

NOW = datetime(2026, 1, 5, 12, tzinfo=UTC)


def _leaves(data: bytes, page_size: int, root: int) -> list[int]:
    """The pages under an interior b-tree page (SQLite's file format: type 5 table, 2 index)."""
    page = data[(root - 1) * page_size:root * page_size]
    header = 100 if root == 1 else 0
    if page[header] not in (2, 5):
        return [root]
    cells = int.from_bytes(page[header + 3:header + 5], "big")
    pointers = [int.from_bytes(page[header + 12 + 2 * k:header + 14 + 2 * k], "big") for k in range(cells)]
    return [int.from_bytes(page[p:p + 4], "big") for p in pointers] + [
        int.from_bytes(page[header + 8:header + 12], "big")]


@pytest.fixture(params=["reviews", "reviews_day"], ids=["the log's table", "the log's index"])
def damaged(request, home):
    store = Store.open(home)
    for n in range(3000):
        store.record_review(item_id=f"item-{n % 50}", kind="card", deck="d", at=NOW, day=date(2026, 1, 5),
                            rating=3, scheduler=LadderScheduler(), detail={"pad": "x" * 200}, duration_ms=4000)
    store.close()
    path = home / "tutor.db"
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (request.param,)).fetchone()[0]
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    con.close()
    data = bytearray(path.read_bytes())
    leaves = _leaves(data, page_size, root)
    assert len(leaves) > 2, "the log fills more than one page"
    start = (leaves[len(leaves) // 2] - 1) * page_size
    for offset in range(start, start + page_size, 7):
        data[offset] ^= 0x5A
    path.write_bytes(bytes(data))
    return path


def test_doctor_reports_the_damage_instead_of_an_internal_error(cli, damaged):
    result = cli("doctor")
    assert result.code == 2, result.err
    assert "integrity: FAILED" in result.out and "restore a backup" in result.out
    assert "internal error" not in result.err and "Traceback" not in result.err


@pytest.mark.parametrize("command", [("due",), ("review", "adam-update-rule", "--rating", "good"), ("stats",)],
                         ids=["due", "review", "stats"])
def test_a_command_that_meets_the_damage_says_so_in_one_line(cli, damaged, command):
    result = cli(*command)
    if result.code == 0:  # what it read lay outside the damaged page
        return
    lines = result.err.strip().splitlines()
    assert result.code == 2 and len(lines) == 1 and "damaged" in lines[0], result.err


def _bytes_of(path):
    """The database file's bytes and its write-ahead log's (an empty log, as a reader leaves
    while its connection is open, holds nothing)."""
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes(), wal.read_bytes() if wal.exists() else b""


@pytest.mark.parametrize("command", [("due",), ("due", "--json"), ("stats",), ("doctor",), ("doctor", "--rebuild"),
                                     ("export", "--format", "json", "{tmp}/backup.json")],
                         ids=["due", "due-json", "stats", "doctor", "doctor-rebuild", "export"])
def test_a_refusal_writes_nothing_into_the_damaged_file(cli, damaged, command, tmp_path):
    """`tutor due` on a damaged file filled the content catalog into it (a first run, or after a
    content edit) and only then met the damage and refused: the file a learner is told to
    restore or take to `tutor doctor` had been written to."""
    before = _bytes_of(damaged)
    result = cli(*(part.format(tmp=tmp_path) for part in command))
    assert result.code == 2, result.out + result.err
    assert _bytes_of(damaged) == before


def test_starting_a_study_on_the_damaged_file_writes_nothing_into_it(home, damaged):
    from tutor.errors import TutorError
    from tutor.study import open_study

    before = _bytes_of(damaged)
    with pytest.raises(TutorError, match="damaged"):
        open_study(home).close()
    assert _bytes_of(damaged) == before
