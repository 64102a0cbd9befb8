"""Hostile files in the cache folder (`tutor.study.cache_files`): a named pipe where a cache
file goes, or a link to one (reading it waited for a writer forever); a link out of the folder,
at a cache file's name or at the name its temporary file takes (writing followed it and
overwrote the file it led to); a 100 MB file; a file that cannot be read. The cache is only a
speed-up: each command answers as it does with no cache at all, in bounded time, and nothing
outside the folder is written."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import LINALG, REPO, subprocess_env

FIRST_DAY, LATER = "2026-03-02T09:00:00", "2026-03-05T09:00:00"
COMMANDS = {"plans.json": ("due", "--json"), "validate.json": ("content", "validate", "--quick", "--json", str(LINALG))}


def _tutor(home, *args, now=LATER):
    """A separate process: a read that waits forever ends at the time-out instead of the suite."""
    return subprocess.run([sys.executable, "-m", "tutor", *args], capture_output=True, text=True, timeout=60,
                          cwd=REPO, env=subprocess_env(TUTOR_HOME=str(home), TUTOR_NOW=now, TZ="Europe/London"))


@pytest.fixture
def cached(home):
    """A home whose cache holds both files, and what each command says with the cache as made."""
    assert _tutor(home, "due", now=FIRST_DAY).returncode == 0
    said = {name: _tutor(home, *command).stdout for name, command in COMMANDS.items()}
    assert all(said.values()) and {"plans.json", "validate.json"} <= {p.name for p in (home / "cache").iterdir()}
    return said


def _answers_as_before(home, said, name):
    run = _tutor(home, *COMMANDS[name])
    assert run.returncode == 0 and run.stdout == said[name] and run.stderr == "", run.stderr


@pytest.mark.parametrize("name", list(COMMANDS))
@pytest.mark.parametrize("where", ["in the folder", "through a link out of it"])
def test_a_named_pipe_for_a_cache_file_is_passed_by(home, cached, tmp_path, name, where):
    path = home / "cache" / name
    path.unlink()
    pipe = path if where == "in the folder" else tmp_path / "pipe"
    os.mkfifo(pipe)
    if pipe != path:
        path.symlink_to(pipe)
    _answers_as_before(home, cached, name)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_link_out_of_the_folder_is_neither_read_nor_written_through(home, cached, tmp_path, name):
    """The link leads to a file of the learner's, which it says is the cache: it is not
    believed, and the cache written next takes the link's place, not the file's."""
    outside = tmp_path / "notes.json"
    outside.write_text(json.dumps({"format": "1", "plans": {}, "key": "forged", "result": {}}))
    before = outside.read_bytes()
    path = home / "cache" / name
    path.unlink()
    path.symlink_to(outside)
    _answers_as_before(home, cached, name)
    assert outside.read_bytes() == before


def test_a_link_at_the_temporary_files_name_writes_nothing_outside(cli, home, tmp_path):
    """The temporary file's name is the cache file's and the process id: known in advance."""
    assert cli("due", "--json", now=FIRST_DAY).code == 0
    assert cli("content", "validate", "--quick", str(LINALG)).code == 0
    fresh = cli("due", "--json", now=LATER).out
    outside = tmp_path / "notes.txt"
    outside.write_text("mine\n")
    for name in COMMANDS:
        (home / "cache" / name).unlink()
        (home / "cache" / f"{name}.{os.getpid()}.tmp").symlink_to(outside)
    assert cli("due", "--json", now=LATER).out == fresh
    assert cli("content", "validate", "--quick", str(LINALG)).code == 0
    assert outside.read_text() == "mine\n"
    assert all(json.loads((home / "cache" / name).read_text()) for name in COMMANDS)  # the caches were written


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_hundred_megabyte_cache_file_is_passed_by(home, cached, name):
    with (home / "cache" / name).open("r+b") as fh:
        fh.truncate(100 * 1024 * 1024)  # sparse: its size is what a reader sees
    _answers_as_before(home, cached, name)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_cache_file_that_cannot_be_read_is_passed_by(home, cached, name):
    """(As root, the file is read all the same: the answer is as before either way.)"""
    (home / "cache" / name).chmod(0)
    _answers_as_before(home, cached, name)


@pytest.mark.parametrize("where", ["in the folder", "through a link out of it"])
def test_a_named_pipe_for_a_drills_cases_is_passed_by(home, tmp_path, where):
    """The drill case cache (`tutor.drills.cache`) keeps its own files in the same folder."""
    answer = tmp_path / "answer.py"
    answer.write_text("def adam_step(*args, **kwargs):\n    return None\n")
    first = _tutor(home, "drill", "check", "adam-step", str(answer), "--json")
    cases = home / "cache" / "drills" / "adam-step.cases"
    cases.unlink()
    pipe = cases if where == "in the folder" else tmp_path / "pipe"
    os.mkfifo(pipe)
    if pipe != cases:
        cases.symlink_to(pipe)
    again = _tutor(home, "drill", "check", "adam-step", str(answer), "--json")
    assert again.returncode == first.returncode and again.stderr == first.stderr
    assert json.loads(again.stdout)["tests"] == json.loads(first.stdout)["tests"]
