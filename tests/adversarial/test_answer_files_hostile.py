"""The answer file of `tutor drill check` and `tutor derive check`: a FIFO that no one writes to
blocked the open forever. It ends in bounded time with one line and
no traceback; a pipe that is being written (`<(cat solution.py)`) is still read to its end."""

from __future__ import annotations

import os

import pytest

COMMANDS = {"derivation": ("derive", "check", "ema-weights-sum"), "drill": ("drill", "check", "adam-step")}


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_a_fifo_no_one_writes_to_is_read_as_empty(cli, home, tmp_path, command):
    fifo = tmp_path / "answer"
    os.mkfifo(fifo)
    result = cli(*command, str(fifo))
    assert result.code in (1, 2) and "Traceback" not in result.err and "internal error" not in result.err


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_a_folder_is_still_one_line(cli, home, tmp_path, command):
    result = cli(*command, str(tmp_path))
    assert result.code == 2
    assert result.err.strip().splitlines() == [f"tutor: error: {tmp_path}: cannot read: Is a directory"]


def test_a_pipe_being_written_is_read_to_its_end(cli, home, tmp_path):
    read, write = os.pipe()
    os.write(write, b"garbage that is not python(\n")
    os.close(write)
    result = cli("drill", "check", "adam-step", f"/dev/fd/{read}")
    os.close(read)
    assert result.code == 2 and "Traceback" not in result.err and "syntax error on line 1" in result.out
