"""Every command closes the store it opened, on success and on error: the last connection to
close checkpoints the WAL and removes `tutor.db-wal` and `-shm`. Left to the collector, a
connection stays open as long as anything refers to it, and its `-wal` with it (a copy of the
home taken then is missing what the WAL holds).

Each connection a command opens is kept alive here, as a cycle or a traceback could keep it,
so a command that relies on the collector shows as a connection still open."""

from __future__ import annotations

import sqlite3

import pytest

from tests.conftest import LINALG

DAY0 = "2026-03-02T09:00:00"
CARD = "trace-2x2"


@pytest.fixture
def opened(monkeypatch) -> list[sqlite3.Connection]:
    """The connections opened from now on, kept alive."""
    connections: list[sqlite3.Connection] = []
    connect = sqlite3.connect

    def connect_and_keep(*args, **kwargs):
        connections.append(connect(*args, **kwargs))
        return connections[-1]

    monkeypatch.setattr(sqlite3, "connect", connect_and_keep)
    return connections


def _open(connection: sqlite3.Connection) -> bool:
    try:
        connection.total_changes  # noqa: B018 - raises on a closed connection
    except sqlite3.ProgrammingError:
        return False
    return True


COMMANDS = {
    "due": ["due"],
    "due --json": ["due", "--json"],
    "due of an unknown deck": ["due", "--deck", "nope"],
    "review": ["review", CARD, "--rating", "good"],
    "review of an unknown item": ["review", "nope", "--rating", "good"],
    "undo": ["undo"],
    "plan": ["plan"],
    "plan --interview": ["plan", "--interview", "2026-04-01"],
    "mock --json": ["mock", "--json"],
    "stats": ["stats"],
    "doctor": ["doctor"],
    "doctor --rebuild": ["doctor", "--rebuild"],
    "optimize": ["optimize"],
    "answer": ["answer", CARD, "5"],
    "export": ["export", "--format", "json", "{tmp}/backup.json"],
    "import": ["import", "{tmp}/backup.json"],
}


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_a_command_leaves_no_connection_open_and_no_wal(cli, home, tmp_path, monkeypatch, opened, command):
    monkeypatch.setenv("TUTOR_CONTENT", str(LINALG))
    assert cli("review", CARD, "--rating", "good", now=DAY0).code == 0
    assert cli("export", "--format", "json", str(tmp_path / "backup.json"), now=DAY0).code == 0
    opened.clear()
    result = cli(*(part.format(tmp=tmp_path) for part in command), now=DAY0)
    assert "internal error" not in result.err
    assert opened and not [c for c in opened if _open(c)]
    assert not (home / "tutor.db-wal").exists() and not (home / "tutor.db-shm").exists()
