"""Shared fixtures: a temporary home, a pinned clock and an in-process CLI runner."""

from __future__ import annotations

import gc
import io
import json
import os
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

REPO = Path(__file__).resolve().parent.parent

# Hypothesis fails an example that takes over 200 ms by default: a timed assertion, which a
# loaded machine trips (a YAML scalar's read took 314 ms once, 1.4 ms when replayed).
settings.register_profile("untimed", deadline=None)
settings.load_profile("untimed")
TEST_DECKS = REPO / "tests" / "decks"
LINALG = TEST_DECKS / "linalg"


def pytest_sessionfinish(session):
    """In an xdist worker, collect the session's garbage once and freeze what is left, before
    the worker tells the controller it has finished (xdist sends that after this hook). pytest's
    unraisable-exception check then runs its five collections at unconfigure
    (`_pytest.unraisableexception`) over what is made after this alone, not over the ~700,000
    objects a worker holds: on a loaded machine those took more than the 5 s execnet gives a
    finished worker before it interrupts it, which printed a stray KeyboardInterrupt at the end
    of `pytest -n 2`. What a finalizer raises in this collection is still reported."""
    if hasattr(session.config, "workerinput"):
        gc.collect()
        gc.freeze()


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


@pytest.fixture(autouse=True)
def _no_real_user_dirs(tmp_path_factory, monkeypatch):
    """No test writes to the learner's real data, config or cache: the default home is a
    temporary dir shared by the session (so the drill case cache is built once)."""
    monkeypatch.setenv("TUTOR_HOME", str(tmp_path_factory.getbasetemp() / "default-home"))


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """An empty data dir, a fixed zone, and no stray settings from the machine."""
    path = tmp_path / "home"
    monkeypatch.setenv("TUTOR_HOME", str(path))
    monkeypatch.setenv("TZ", "Europe/London")
    for key in ("TUTOR_NOW", "TUTOR_CONTENT", "TUTOR_SCHEDULER", "TUTOR_DAY_START_HOUR", "TUTOR_NEW_PER_DAY",
                "TUTOR_DAILY_MINUTES"):
        monkeypatch.delenv(key, raising=False)
    return path


def cli_runner(monkeypatch):
    """`run(*ARGS, now=, stdin=)`: `tutor ARGS` in-process at an optional pinned time; returns
    code, stdout, stderr (environment changes go through `monkeypatch`)."""

    def run(*args: str, now: str | None = None, stdin: str | None = None) -> CliResult:
        from tutor.cli import main

        if now:
            monkeypatch.setenv("TUTOR_NOW", now)
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = main(list(args))
        return CliResult(code, out.getvalue(), err.getvalue())

    return run


@pytest.fixture
def cli(home, monkeypatch):
    """Run `tutor ARGS` in-process at an optional pinned time; returns code, stdout, stderr."""
    return cli_runner(monkeypatch)


def db_rows(home: Path, tables: tuple[str, ...]) -> dict[str, list[tuple]]:
    """Every row of these tables of the home's database, to show that nothing changed."""
    import sqlite3

    con = sqlite3.connect(home / "tutor.db")
    try:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}
    finally:
        con.close()


def tamper(home: Path, sql: str) -> None:
    """Edit the home's database behind tutor's back, as a hostile user or a broken tool would."""
    import sqlite3

    con = sqlite3.connect(home / "tutor.db")
    try:
        con.execute(sql)
        con.commit()
    finally:
        con.close()


def subprocess_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TUTOR_")}
    env.update(extra)
    return env
