"""A database whose main file was cut short or had pages overwritten, with its WAL empty or
still holding pages (a tutor that crashed, or a copy of a home taken while the app ran). A
cut file is called truncated, whatever the WAL holds (with pages in it, it was called damaged);
an overwritten one damaged, also when a read meets the damage after the file was opened (that
was an internal error); each in one line, and neither the file nor its WAL is written to
(closing the refused store used to copy the WAL into the file). A whole file with such a WAL
opens and keeps every review."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest

from tests.conftest import LINALG, subprocess_env

CRASHES_WITH_PAGES_IN_THE_WAL = """
import os, sys, pathlib
from datetime import UTC, date, datetime
from tutor.schedule.ladder import LadderScheduler
from tutor.store import Store

store = Store.open(pathlib.Path(sys.argv[1]))
store.con.execute("PRAGMA wal_autocheckpoint = 0")
for n in range(int(sys.argv[2]), int(sys.argv[3])):
    store.record_review(item_id=f"item-{n}", kind="card", deck="d", at=datetime(2026, 1, 5, 12, tzinfo=UTC),
                        day=date(2026, 1, 5), rating=3, scheduler=LadderScheduler(), detail={"pad": "x" * 200})
os._exit(0)  # no close: the WAL keeps its pages
"""


def _crash_after_reviews(home, first, last):
    subprocess.run([sys.executable, "-c", CRASHES_WITH_PAGES_IN_THE_WAL, str(home), str(first), str(last)],
                   check=True, env=subprocess_env(), timeout=120)
    assert (home / "tutor.db-wal").stat().st_size > 0


def _home(cli, home, wal):
    """400 reviews and the catalog in the main file; with `wal`, 30 more reviews in the WAL."""
    _crash_after_reviews(home, 0, 400)
    assert cli("--content", str(LINALG), "due").code == 0  # writes the catalog; closing empties the WAL
    if wal:
        _crash_after_reviews(home, 400, 430)
    return home / "tutor.db"


def _files(home):
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(home.glob("tutor.db*")) if not path.name.endswith("-shm") and path.stat().st_size}


def _cut(path, keep):
    data = path.read_bytes()
    path.write_bytes(data[:keep(len(data))])


def _overwrite_middle(path):
    """Four pages of reviews (the schema, meta and catalog the opening reads come before them)."""
    data = bytearray(path.read_bytes())
    middle = len(data) // 4096 // 2
    data[4096 * middle:4096 * (middle + 4)] = b"\xa5" * 4096 * 4
    path.write_bytes(bytes(data))


DAMAGE = {
    "cut to half": (lambda path: _cut(path, lambda n: n // 2), "database file is truncated"),
    "cut by a part of its last page": (lambda path: _cut(path, lambda n: n - 1000), "database file is truncated"),
    "pages of its reviews overwritten": (_overwrite_middle, "database is damaged"),
}
COMMANDS = [("due",), ("stats",), ("mock", "--json"), ("export", "--format", "json", "backup.json"),
            ("review", "det-2x2", "--rating", "good")]


@pytest.mark.parametrize("wal", [False, True], ids=["empty WAL", "pages in the WAL"])
@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_file_is_named_in_one_line_and_left_as_it_was(cli, home, damage, wal, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = _home(cli, home, wal)
    harm, words = DAMAGE[damage]
    harm(path)
    before = _files(home)
    for command in COMMANDS:
        run = cli("--content", str(LINALG), *command)
        if command[0] == "review" and "overwritten" in damage:
            # a rating reads and writes only its own item's pages, which are whole
            assert run.code == 0 or words in run.err, run.err
            continue
        assert run.code == 2 and run.err.count("\n") == 1, (command, run.err)
        assert words in run.err and "internal error" not in run.err, (command, run.err)
        assert "tutor import" in run.err
        assert _files(home) == before, command
    assert not (tmp_path / "backup.json").exists()


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_doctor_leaves_a_damaged_file_with_pages_in_its_wal_as_it_was(cli, home, damage):
    path = _home(cli, home, wal=True)
    DAMAGE[damage][0](path)
    before = _files(home)
    assert cli("--content", str(LINALG), "doctor").code == 2
    assert _files(home) == before


def test_a_whole_file_with_pages_in_its_wal_opens_with_every_review(cli, home):
    _home(cli, home, wal=True)
    assert cli("--content", str(LINALG), "review", "det-2x2", "--rating", "good").code == 0
    doctor = cli("--content", str(LINALG), "doctor", "--json")
    assert doctor.code == 0 and doctor.json()["counts"]["reviews"] == 431
