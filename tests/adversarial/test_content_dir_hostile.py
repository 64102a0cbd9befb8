"""A content dir that is no deck (a file, a path that does not exist, a folder without deck.yaml),
from `--content` or `TUTOR_CONTENT`: the command goes on with the other decks and says in one
warning which dir was left out and why, instead of its decks going missing without a word."""

from __future__ import annotations

import pytest

from tests.conftest import LINALG

NOW = "2026-01-05T10:00:00"


@pytest.fixture(params=["a file", "no such path", "a folder without deck.yaml"])
def not_a_deck(request, tmp_path):
    path = {"a file": tmp_path / "passwd", "no such path": tmp_path / "typo",
            "a folder without deck.yaml": tmp_path / "empty"}[request.param]
    if request.param == "a file":
        path.write_text("root:x:0:0:root:/root:/bin/bash\n")
    elif request.param != "no such path":
        path.mkdir()
    return path, {"a file": "not a folder", "no such path": "no such folder"}.get(request.param, "no deck.yaml")


def test_a_content_flag_that_is_no_deck_is_named_and_the_rest_goes_on(cli, not_a_deck):
    path, why = not_a_deck
    result = cli("--content", str(path), "--content", str(LINALG), "due", "--deck", "linalg", now=NOW)
    assert result.code == 0 and "eigenvector-definition" in result.out
    assert f"warning: content dir {path} was skipped: {why}" in result.err and "Traceback" not in result.err


def test_a_content_variable_that_is_no_deck_is_named_too(cli, monkeypatch, not_a_deck):
    path, why = not_a_deck
    monkeypatch.setenv("TUTOR_CONTENT", f"{path}:{LINALG}")
    result = cli("due", "--deck", "linalg", now=NOW)
    assert result.code == 0 and "eigenvector-definition" in result.out
    assert result.err.count(f"content dir {path} was skipped: {why}") == 1
