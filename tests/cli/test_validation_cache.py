"""`tutor content validate` reuses its last result only while nothing it depends on changed."""

from __future__ import annotations

import os
import shutil

from tests.conftest import LINALG


def copy_deck(tmp_path):
    deck = tmp_path / "linalg"
    shutil.copytree(LINALG, deck)
    return deck


def test_a_repeat_run_gives_the_same_result_and_an_edit_is_validated_again(cli, home, tmp_path):
    deck = copy_deck(tmp_path)
    first = cli("content", "validate", "--quick", "--json", str(deck))
    assert first.code == 0 and first.json()["ok"]
    assert (home / "cache" / "validate.json").is_file()
    assert cli("content", "validate", "--quick", "--json", str(deck)).out == first.out
    cards = deck / "cards.yaml"
    stat = cards.stat()
    text = cards.read_text().replace("id: trace-2x2", "id: Trace 2x2", 1)  # same size
    cards.write_text(text)
    os.utime(cards, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same mtime: the bytes still tell
    edited = cli("content", "validate", "--quick", "--json", str(deck))
    assert edited.code != 0 and any("cards.yaml" in p for p in edited.json()["problems"])


def test_the_quick_and_the_full_check_are_kept_apart(cli, tmp_path):
    deck = copy_deck(tmp_path)
    assert cli("content", "validate", "--quick", str(deck)).code == 0
    assert cli("content", "validate", str(deck)).code == 0
