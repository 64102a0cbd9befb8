"""Two processes opening a brand-new home at the same moment both get a healthy store."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time

from tutor.store import Store

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
