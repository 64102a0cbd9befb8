"""A database whose WAL still holds pages (a tutor that crashed, or a copy of a home taken
while the app ran) and whose main file was then cut short or had pages overwritten. A cut
file is called truncated, as it is with an empty WAL; an overwritten one damaged; either way
in one line, and neither the file nor its WAL is written to (closing the refused store used to
copy the WAL into the file). A whole file with such a WAL opens and keeps every review."""

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
for n in range(400):
    store.record_review(item_id=f"item-{n}", kind="card", deck="d", at=datetime(2026, 1, 5, 12, tzinfo=UTC),
                        day=date(2026, 1, 5), rating=3, scheduler=LadderScheduler(), detail={"pad": "x" * 200})
if len(sys.argv) > 2:  # the first reviews checkpointed into the file, the rest left in the WAL
    store.con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for n in range(400, 430):
        store.record_review(item_id=f"item-{n}", kind="card", deck="d", at=datetime(2026, 1, 5, 12, tzinfo=UTC),
                            day=date(2026, 1, 5), rating=3, scheduler=LadderScheduler(), detail={"pad": "x" * 200})
os._exit(0)  # no close: the WAL keeps its pages
"""


def _crashed(home, *split):
    subprocess.run([sys.executable, "-c", CRASHES_WITH_PAGES_IN_THE_WAL, str(home), *split], check=True,
                   env=subprocess_env(), timeout=120)
    path = home / "tutor.db"
    assert (home / "tutor.db-wal").stat().st_size > 0
    return path


def _files(home):
    return {name: hashlib.sha256((home / name).read_bytes()).hexdigest()
            for name in ("tutor.db", "tutor.db-wal")}


def _cut(path, keep):
    data = path.read_bytes()
    path.write_bytes(data[:keep(len(data))])


DAMAGE = {
    "cut to half": (lambda path: _cut(path, lambda n: n // 2), "truncated"),
    "cut by a part of its last page": (lambda path: _cut(path, lambda n: n - 1000), "truncated"),
    "pages of its reviews overwritten": (lambda path: _overwrite_middle(path), "damaged"),
}


def _overwrite_middle(path):
    """Pages the opening check does not read (the schema and meta come first in the file)."""
    data = bytearray(path.read_bytes())
    pages = len(data) // 4096
    data[4096 * (pages // 2):4096 * (pages // 2 + 4)] = b"\xa5" * 4096 * 4
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_file_with_pages_in_its_wal_is_named_and_left_as_it_was(cli, home, damage):
    path = _crashed(home, "split")
    harm, word = DAMAGE[damage]
    harm(path)
    before = _files(home)
    for command in [("due",), ("review", "det-2x2", "--rating", "good"), ("stats",)]:
        run = cli("--content", str(LINALG), *command)
        assert run.code == 2 and run.err.count("\n") == 1, (command, run.err)
        assert word in run.err and "Traceback" not in run.err and "internal error" not in run.err, run.err
        assert _files(home) == before, command
    assert cli("--content", str(LINALG), "doctor").code == 2
    assert _files(home) == before


def test_a_whole_file_with_pages_in_its_wal_opens_with_every_review(cli, home):
    _crashed(home)
    assert cli("--content", str(LINALG), "review", "det-2x2", "--rating", "good").code == 0
    doctor = cli("--content", str(LINALG), "doctor", "--json")
    assert doctor.code == 0 and doctor.json()["counts"]["reviews"] == 401
