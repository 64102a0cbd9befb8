"""Two processes opening a home at the same moment both get a healthy store: a brand-new home,
or one the other process is closing."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time

from tutor.store import Store, StoreError

# Each process imports first, then waits for the same instant, so the opens really overlap.
OPEN = ("import sys, time, pathlib\nfrom tutor.store import Store\n"
        "start = float(sys.argv[2])\nwhile time.time() < start: pass\n"
        "Store.open(pathlib.Path(sys.argv[1])).close()")


def test_concurrent_first_opens_do_not_collide(tmp_path):
    for attempt in range(8):
        home = tmp_path / f"home{attempt}"
        start = time.time() + 1.0
        procs = [subprocess.Popen([sys.executable, "-c", OPEN, str(home), str(start)],
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]
        errors = [p.communicate(timeout=60)[1] for p in procs]
        assert all(p.returncode == 0 for p in procs), errors


def test_a_home_migrated_while_it_is_inspected_is_read_as_one_moment(tmp_path, monkeypatch):
    """The other process commits its migrations between two reads of the inspection (seen once
    in about 30 loaded runs of the test above): the inspection read schema 0, then the migrated
    tables and their digest, and refused the file as made by another version of tutor."""
    home = tmp_path / "home"
    home.mkdir()
    with sqlite3.connect(home / "tutor.db") as first:  # the other process has set WAL, no tables yet
        first.execute("PRAGMA journal_mode = WAL")
    real_connect = sqlite3.connect
    migrated: list[bool] = []

    class Interleaved(sqlite3.Connection):
        def execute(self, sql, *args):
            cursor = super().execute(sql, *args)
            if sql == "PRAGMA user_version" and not migrated:
                migrated.append(True)
                Store.open(home).close()  # the other process finishes its migrations now
            return cursor

    def connect(database, *args, **kwargs):
        if "mode=ro" in str(database):
            kwargs["factory"] = Interleaved
        return real_connect(database, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect)
    Store.open(home).close()
    assert migrated


# Once the test says go, commits 12 MB (3,000 pages) to the WAL and copies them into the file,
# three times over, as a `tutor import` of a long history does (SQLite's automatic checkpoint).
WRITES_AND_CHECKPOINTS = """
import sys, pathlib
from tutor.store import Store
store = Store.open(pathlib.Path(sys.argv[1]))
store.con.execute("PRAGMA wal_autocheckpoint = 0")  # each checkpoint below is asked for until it is done
store.con.execute("CREATE TABLE ballast (b BLOB)")
print("open", flush=True)
sys.stdin.readline()
for _ in range(3):
    store.con.execute("BEGIN")
    store.con.executemany("INSERT INTO ballast VALUES (randomblob(4000))", [()] * 3000)
    store.con.execute("COMMIT")
    for _ in range(10_000):  # a reader of the file as it was makes a checkpoint wait
        _, wal_pages, copied = store.con.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        if copied == wal_pages:
            break
store.close()
"""


def test_a_home_opened_while_the_other_process_checkpoints_it_is_not_refused(tmp_path):
    """A checkpoint copies the WAL's pages into the file in page order, the header page with
    the new page count first; the file read in that moment is shorter than its header says,
    and every open then was refused as "database file is truncated" (hundreds of the opens
    here before the fix, and once in the first test above on a loaded machine)."""
    home = tmp_path / "home"
    writer = subprocess.Popen([sys.executable, "-c", WRITES_AND_CHECKPOINTS, str(home)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert writer.stdin is not None and writer.stdout is not None
    assert writer.stdout.readline() == "open\n"
    writer.stdin.write("go\n")
    writer.stdin.flush()
    refusals: list[str] = []
    opens = 0
    while writer.poll() is None:
        try:
            Store.open(home).close()
        except StoreError as exc:
            refusals.append(str(exc))
        opens += 1
    assert writer.wait(timeout=60) == 0
    assert opens and refusals == [], f"{len(refusals)} of {opens} opens refused: {refusals[0]}"
