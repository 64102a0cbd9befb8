"""Broken decks are rejected with `FILE:LINE: at KEY.PATH: message` and exit status 2."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import LINALG

GOOD_DECK = """\
id: broken
title: Broken deck
plan:
  - day: 0
    goal: start
    items: [one]
"""
GOOD_CARDS = """\
cards:
  - id: one
    type: basic
    title: One
    front: Question?
    back: Answer.
"""

TYPED = """\
  - id: two
    type: typed
    title: Two
    front: How much?
    {}
"""
PROBLEM = """\
problems:
  - id: p
    title: P
    prompt: Why did the loss explode?
    time_limit_min: 5
    target_min: 3
    answer: The learning rate is too high.
    rubric: {{strong_hire: [a], lean_hire: [b], no_hire: [c]}}
    key_points:
      - point: Names the learning rate
        {}
"""

# (file, text, expected line, expected key path, words in the message)
CASES = [
    ("cards.yaml", "cards:\n  - id: one\n    front: [unclosed\n", 4, "(top)", "YAML syntax error"),
    ("cards.yaml", GOOD_CARDS + "    colour: red\n", 7, "cards.0.colour", "unknown key 'colour'"),
    ("cards.yaml", GOOD_CARDS.replace("    back: Answer.\n", ""), 2, "cards.0", "needs 'back'"),
    ("cards.yaml", GOOD_CARDS.replace("title: One", "title: [a, b]"), 4, "cards.0.title", "must be text"),
    ("cards.yaml", GOOD_CARDS.replace("id: one", "id: One_1"), 2, "cards.0.id", "not a slug"),
    ("cards.yaml", GOOD_CARDS.replace("type: basic", "type: essay"), 3, "cards.0.type", "unknown card type"),
    ("cards.yaml", GOOD_CARDS + """\
  - id: two
    type: cloze
    title: Two
    front: "The answer is {{c1::}} here"
""", 10, "cards.1.front", "deletion 1 ('{{c1::}} ') has an empty answer"),
    ("cards.yaml", GOOD_CARDS + """\
  - id: two
    type: choice
    title: Two
    front: Pick one
    options: [a, b]
    answer: 2
    explain: [x, y]
""", 12, "cards.1.answer", "out of range"),
    ("cards.yaml", GOOD_CARDS + """\
  - id: one
    type: basic
    title: Again
    front: Q
    back: A
""", 7, "id", "duplicate id 'one'"),
    ("deck.yaml", GOOD_DECK.replace("items: [one]", "items: [one, ghost]"), 6, "plan.0.items.1", "'ghost'"),
    ("deck.yaml", GOOD_DECK + "  - day: 5\n    goal: off the ladder\n", 7, "plan.1.day", "not on the ladder"),
    ("deck.yaml", GOOD_DECK.replace("title: Broken deck\n", ""), 1, "(top)", "missing required key 'title'"),
    # Regression: a top-level key of deck.yaml was reported at ".colour" and line 1.
    ("deck.yaml", GOOD_DECK + "colour: red\n", 7, "colour", "unknown key 'colour'"),
    ("deck.yaml", GOOD_DECK.replace("title: Broken deck", "title: [a]"), 2, "title", "must be text"),
    ("cards.yaml", "flashcards:\n  - id: one\n", 1, "flashcards", "unknown top-level key"),
    ("cards.yaml", "cards:\n  - &a {id: one}\n  - *a\n", 2, "cards.1", "aliases are not allowed"),
    ("cards.yaml", GOOD_CARDS + "    title: twice\n", 7, "cards.0.title", "duplicate key 'title'"),
    ("cards.yaml", b"cards:\n  - id: \xff\n", 2, "(top)", "not UTF-8"),
    ("problems.yaml", """\
problems:
  - id: p
    title: P
    prompt: Explain.
    time_limit_min: 5
    target_min: 3
    answer: Because.
    rubric: {strong_hire: [a], lean_hire: [b], no_hire: [c]}
    key_points:
      - point: Uses a regex
        match: ["(unclosed"]
""", 11, "problems.0.key_points.0.match", "not a valid regular expression"),
    ("cards.yaml", GOOD_CARDS + TYPED.format("answer: {number: 1e-3, rtol: lots}"), 11, "cards.1.answer.rtol",
     "must be a number"),
    ("cards.yaml", GOOD_CARDS + TYPED.format("answer: {number: 1, formula: x}"), 11, "cards.1.answer",
     "either 'number'"),
    ("cards.yaml", GOOD_CARDS + TYPED.format("answer: {formula: x + y, symbols: {x: {aliases: [y]}, y: {}}}"),
     11, "cards.1.answer.symbols.x.aliases", "already names a symbol"),
    ("cards.yaml", GOOD_CARDS + TYPED.format("answer: {formula: 'x', symbols: {'2x': {}}}"), 11,
     "cards.1.answer.symbols.2x", "a symbol is a name"),
    ("cards.yaml", GOOD_CARDS + TYPED.format("notes: n"), 7, "cards.1", "needs 'accept' (text answers) or 'answer'"),
    ("problems.yaml", PROBLEM.format("phrases: [learning rate too high]\n        examples: [the lr was too low]"),
     12, "problems.0.key_points.0.examples.0", "does not match the key point"),
    ("problems.yaml", PROBLEM.format("phrases: [learning rate too high]\n        not: [learning rate is too high]"),
     12, "problems.0.key_points.0.not.0", "matches the key point"),
    ("problems.yaml", PROBLEM.format("examples: [x]"), 10, "problems.0.key_points.0", "needs 'phrases'"),
]


def _write_deck(root: Path, file: str, text: str | bytes) -> Path:
    deck = root / "broken"
    deck.mkdir(parents=True)
    (deck / "deck.yaml").write_text(GOOD_DECK)
    (deck / "cards.yaml").write_text(GOOD_CARDS)
    target = deck / file
    target.write_bytes(text if isinstance(text, bytes) else text.encode())
    return deck


@pytest.mark.parametrize(("file", "text", "line", "path", "words"), CASES,
                         ids=[f"{c[3]}-{c[4][:20]}" for c in CASES])
def test_each_malformed_deck_names_file_line_and_key(cli, tmp_path, file, text, line, path, words):
    deck = _write_deck(tmp_path / "decks", file, text)
    result = cli("content", "validate", "--quick", str(deck))
    assert result.code == 2
    expected_prefix = f"{deck / file}:{line}: at {path}: "
    matching = [line for line in result.err.splitlines() if line.startswith(expected_prefix)]
    assert matching, f"wanted {expected_prefix!r}…, got:\n{result.err}"
    assert words in matching[0]
    assert "Traceback" not in result.err


def test_duplicate_ids_across_decks_are_reported(cli, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(LINALG, other)
    (other / "deck.yaml").write_text((other / "deck.yaml").read_text().replace("id: linalg", "id: linalg2"))
    result = cli("content", "validate", "--quick", str(LINALG), str(other))
    assert result.code == 2
    assert "duplicate id 'eigenvector-definition' (first defined at" in result.err


def test_a_valid_second_deck_passes(cli):
    result = cli("content", "validate", "--quick", str(LINALG))
    assert result.code == 0, result.err
    assert "5 cards" in result.out


def test_json_validation_prints_one_document(cli, tmp_path):
    deck = _write_deck(tmp_path / "decks", "cards.yaml", GOOD_CARDS + "    colour: red\n")
    result = cli("content", "validate", "--quick", "--json", str(deck))
    assert result.code == 2
    assert result.json()["problems"][0].endswith("unknown key 'colour'")
    assert result.err == ""


def test_a_missing_path_is_one_line(cli, tmp_path):
    result = cli("content", "validate", str(tmp_path / "nope"))
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1
