"""Files a learner hands to tutor besides decks: a backup or CSV to import, the settings file.
Each was read whole without a look at what it is: a FIFO blocked forever, a device (/dev/zero)
was read until the memory ran out, a sparse file of gigabytes likewise. Each is refused from its
metadata in one line, before a byte is read, and nothing is written."""

from __future__ import annotations

import os

import pytest

from tests.conftest import LINALG


def _fifo(path):
    os.mkfifo(path)


def _endless_device(path):
    path.symlink_to("/dev/zero")


def _sparse(path):
    with path.open("wb") as fh:
        fh.truncate(30 * 1024**3)


HOSTILE = {"a FIFO": (_fifo, "not a regular file"), "a link to /dev/zero": (_endless_device, "not a regular file"),
           "a sparse 30 GB file": (_sparse, "larger than")}


@pytest.mark.parametrize(("make", "words"), HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize("name", ["backup.json", "cards.csv"])
def test_an_import_that_is_not_a_plain_file_is_one_line(cli, home, tmp_path, make, words, name):
    source = tmp_path / name
    make(source)
    result = cli("import", str(source), "--out", str(tmp_path / "deck"), "--content", str(LINALG))
    lines = result.err.strip().splitlines()
    assert result.code == 2 and len(lines) == 1 and words in lines[0] and str(source) in lines[0], result.err
    assert not (tmp_path / "deck").exists() and not (home / "tutor.db").exists()


@pytest.mark.parametrize(("make", "words"), HOSTILE.values(), ids=HOSTILE.keys())
def test_a_settings_file_that_is_not_a_plain_file_is_one_line(cli, home, make, words):
    home.mkdir()
    make(home / "config.yaml")
    result = cli("due", "--content", str(LINALG))
    lines = result.err.strip().splitlines()
    assert result.code == 2 and len(lines) == 1 and "config.yaml: cannot read settings" in lines[0], result.err
    assert words in lines[0]
