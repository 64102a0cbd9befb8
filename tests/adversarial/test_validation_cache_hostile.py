"""A damaged or forged validation cache is ignored: the content is validated again."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import LINALG
from tests.content.test_content_ids import _library_ids
from tutor.content import bundled_content_dir
from tutor.study import validation_cache


@pytest.mark.parametrize("damage", [
    lambda raw, key: b"\x00\xff not json",
    lambda raw, key: raw[: len(raw) // 2],
    lambda raw, key: json.dumps({"key": key, "result": {"ok": True, "decks": [], "items": {"card": NaN_TEXT},
                                                        "problems": [], "warnings": []}}).encode(),
    lambda raw, key: json.dumps({"key": key, "result": {"ok": True, "decks": ["x"], "items": {},
                                                        "problems": ["a problem"], "warnings": []}}).encode(),
    lambda raw, key: json.dumps({"key": key, "result": [[[[]]]] * 3}).encode(),
    lambda raw, key: b"[" * 100_000,
], ids=["garbage", "truncated", "nan-count", "ok-with-problems", "wrong-shape", "deep"])
def test_a_damaged_cache_is_ignored(cli, home, tmp_path, damage):
    deck = tmp_path / "broken"
    shutil.copytree(LINALG, deck)
    (deck / "cards.yaml").write_text((deck / "cards.yaml").read_text().replace("id: trace-2x2", "id: Bad Id", 1))
    first = cli("content", "validate", "--quick", "--json", str(deck))
    assert first.code != 0
    cache = home / "cache" / "validate.json"
    raw = cache.read_bytes()
    cache.write_bytes(damage(raw, json.loads(raw)["key"]))
    again = cli("content", "validate", "--quick", "--json", str(deck))
    assert again.code == first.code and again.out == first.out and "Traceback" not in again.err


NaN_TEXT = float("nan")


def test_a_cache_that_cannot_be_written_costs_only_speed(cli, home, tmp_path):
    (home / "cache").mkdir(parents=True)
    (home / "cache" / "validate.json").mkdir()  # a folder where the file should be
    result = cli("content", "validate", "--quick", str(LINALG))
    assert result.code == 0 and "Traceback" not in result.err


@pytest.mark.parametrize("damage", [
    lambda kept: b"\x00\xff not json",
    lambda kept: json.dumps({**kept, "decks": {folder: {**entry, "origin": [entry["origin"][0], "3"]}
                                               for folder, entry in kept["decks"].items()}}).encode(),
], ids=["garbage", "a line that is text"])
def test_damaged_kept_deck_ids_are_ignored(home, damage):
    """The ids of the decks on the content path kept for validating a folder of one's own
    (`validation_cache.content_ids`): read again from the decks when the file is not theirs."""
    roots = [bundled_content_dir(), LINALG]
    expected = validation_cache.content_ids(roots)
    kept = home / "cache" / validation_cache.IDS_NAME
    kept.write_bytes(damage(json.loads(kept.read_bytes())))
    assert validation_cache.content_ids(roots) == expected == _library_ids(roots)
